import Foundation
import Testing

/// `swapsim trace convert` end to end, and the trace flags it shares with `simulate` and
/// `compare`: native CSV ⇄ JSONL round trips byte for byte, an Azure-like trace filled with a
/// model mix becomes a native trace `compare` reads, `--trace-format csv --map …` works directly
/// on `simulate`/`compare` with the fill notes in the table, and errors are one `error:` line.
@Suite(.timeLimit(.minutes(5))) struct TraceConvertTests {
    static let nativeHeader = "arrival_s,model,input_tokens,output_tokens"

    /// A native CSV as swapsim writes it: at least six decimals, quoted names with commas.
    static let canonicalCSV = """
        arrival_s,model,input_tokens,output_tokens
        0.000000,a,181,129
        0.441206,b,497,146
        1.123456789,"a,with comma",1,1
        2.5000001,b,1048576,7
        2.5000001,a,12,34
        3600.000000,b,2,3

        """

    /// An Azure LLM trace in miniature: 7-digit fractions, no trailing newline.
    static let azureLike = """
        TIMESTAMP,ContextTokens,GeneratedTokens
        2023-11-16 18:17:03.9799600,4808,10
        2023-11-16 18:17:04.0319600,3180,8
        2023-11-16 18:17:04.0781490,110,27
        2023-11-16 18:17:04.1206440,7433,14
        2023-11-16 18:17:04.4249540,34,12
        2023-11-16 18:17:04.5191470,374,14
        2023-11-16 18:17:04.6785310,6985,9
        2023-11-16 18:17:05.1000001,90,40
        2023-11-16 18:17:07.0000000,1200,3
        2023-11-16 18:17:09.2500000,55,60
        """

    /// A two-model scenario (models `a` and `b`) in the shape of scenarios/demo.yaml.
    static func tinyScenario(in dir: TemporaryDirectory) throws -> String {
        let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let start = try #require(demo.range(of: "\nmodels:\n"))
        let end = try #require(demo.range(of: "\nserving:", range: start.upperBound..<demo.endIndex))
        var yaml = demo.replacingCharacters(
            in: start.lowerBound..<end.lowerBound,
            with: "\nmodels:\n  - {name: a, arch: llama-3.1-8b, kv_cache: 8GiB}\n  - {name: b, arch: mistral-7b, kv_cache: 8GiB}")
        yaml = yaml.replacingOccurrences(of: "name: demo\n", with: "name: tiny\n")
        return try dir.write("tiny.yaml", yaml)
    }

    func run(_ args: [String]) throws -> SwapSimExecutable.Execution { try SwapSimExecutable.run(args) }

    func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }

    /// Checks that a run succeeded and returns it.
    @discardableResult
    func expectSuccess(_ r: SwapSimExecutable.Execution, sourceLocation: SourceLocation = #_sourceLocation) -> SwapSimExecutable.Execution {
        #expect(r.exited && r.status == 0, "\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// Checks the shape of a reported error — exit 1, nothing on stdout, one `error:` line — and returns the line.
    func expectOneErrorLine(_ r: SwapSimExecutable.Execution, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard r.exited else {
            Issue.record("crashed instead of reporting an error: \(r)", sourceLocation: sourceLocation)
            return ""
        }
        #expect(r.status == 1, "\(r)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "stdout: \(r.stdout.prefix(200))", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr.prefix(400))", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("error: "), "stderr: \(r.stderr.prefix(400))", sourceLocation: sourceLocation)
        return String(r.stderrLines.first ?? "")
    }

    // MARK: Round trips

    @Test func nativeCSVAndJSONLRoundTripsAreByteIdentical() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("in.csv", Self.canonicalCSV)
        let jsonl = dir.path("mid.jsonl")
        let back = dir.path("back.csv")
        let again = dir.path("again.jsonl")
        // CSV → JSONL → CSV.
        let toJSONL = expectSuccess(try run(["trace", "convert", csv, "--to", "jsonl", "-o", jsonl]))
        #expect(toJSONL.stdout.isEmpty)
        #expect(toJSONL.stderr == "trace format: native CSV; 6 requests\n")
        #expect(contents(jsonl).split(separator: "\n").first == #"{"arrival_s":0.000000,"model":"a","input_tokens":181,"output_tokens":129}"#)
        #expect(contents(jsonl).contains(#"{"arrival_s":1.123456789,"model":"a,with comma","input_tokens":1,"output_tokens":1}"#))
        let toCSV = expectSuccess(try run(["trace", "convert", jsonl, "--to", "csv", "-o", back]))
        #expect(toCSV.stderr == "trace format: native JSONL; 6 requests\n")
        #expect(contents(back) == Self.canonicalCSV)
        // JSONL → CSV → JSONL (the CSV is `back`).
        expectSuccess(try run(["trace", "convert", back, "--to", "jsonl", "-o", again]))
        #expect(contents(again) == contents(jsonl))
    }

    @Test func shippedDemoTraceConvertsToItself() throws {
        let demo = SwapSimExecutable.repositoryRoot.appendingPathComponent("traces/demo.csv").path
        let r = expectSuccess(try run(["trace", "convert", "traces/demo.csv"]))
        #expect(r.stdout == contents(demo))
    }

    /// A model name with a quote: CSV doubles it (`"say ""hi"""`), and reading it back must undo that.
    @Test func modelNameWithAQuoteRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let jsonl = try dir.write("in.jsonl", #"{"arrival_s":0.000000,"model":"say \"hi\"","input_tokens":1,"output_tokens":2}"# + "\n")
        let csv = dir.path("mid.csv")
        let back = dir.path("back.jsonl")
        expectSuccess(try run(["trace", "convert", jsonl, "-o", csv]))
        #expect(contents(csv) == "\(Self.nativeHeader)\n0.000000,\"say \"\"hi\"\"\",1,2\n")
        expectSuccess(try run(["trace", "convert", csv, "--to", "jsonl", "-o", back]))
        #expect(contents(back) == contents(jsonl))
    }

    @Test func convertWritesToStandardOutputWithoutDashO() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("in.csv", Self.canonicalCSV)
        let r = expectSuccess(try run(["trace", "convert", csv, "--to", "jsonl"]))
        #expect(r.stdout.split(separator: "\n").count == 6)
        #expect(r.stderr == "trace format: native CSV; 6 requests\n")
    }

    // MARK: Filling, then simulating

    @Test func azureLikeWithZipfMixBecomesANativeTraceCompareReads() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike)
        let out = dir.path("native.csv")
        let r = expectSuccess(try run(["trace", "convert", azure, "--model-mix", "zipf:1", "--models", "a,b", "-o", out]))
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines == [
            "trace format: azure-llm; 10 requests",
            "arrivals rebased: the first request (1700158623.979960 s) is at 0",
            "models assigned by zipf:1 over 2 models, popularity ranked in list order (zipf:S,shuffle:SEED ranks in a seeded random order): 1 a, 2 b (seed 1)",
        ])
        let lines = contents(out).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == Substring(Self.nativeHeader))
        #expect(lines.count == 12, "header, 10 rows and the final empty piece")
        let rows = lines.dropFirst().dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { String($0[0]) } == [
            "0.000000", "0.052000", "0.098189", "0.140684", "0.444994", "0.539187", "0.698571", "1.1200401", "3.020040", "5.270040",
        ])
        #expect(rows.allSatisfy { $0[1] == "a" || $0[1] == "b" })
        #expect(rows.map { String($0[2]) } == ["4808", "3180", "110", "7433", "34", "374", "6985", "90", "1200", "55"])
        #expect(rows.map { String($0[3]) } == ["10", "8", "27", "14", "12", "14", "9", "40", "3", "60"])

        let scenario = try Self.tinyScenario(in: dir)
        let c = expectSuccess(try run(["compare", "--scenario", scenario, "--trace", out]))
        #expect(c.stdout.contains("· 10 requests"), "\(c.stdout.prefix(300))")
        #expect(c.stderr.isEmpty, "\(c.stderr.prefix(300))")
    }

    @Test func convertIsAFunctionOfItsSeed() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike)
        func convert(_ seed: String) throws -> String {
            let r = expectSuccess(try run(["trace", "convert", azure, "--model-mix", "zipf:0", "--models", "a,b,c,d", "--output-tokens", "fixed:1",
                                           "--seed", seed]))
            return r.stdout
        }
        let one = try convert("1")
        #expect(try convert("1") == one)
        #expect(try convert("2") != one)
    }

    @Test func noHeaderCSVConvertsThroughNumberedColumns() throws {
        let dir = try TemporaryDirectory()
        let raw = try dir.write("raw.csv", "1700000000123,x,5,6\n1700000000623,y,7,8\n")
        let r = expectSuccess(try run(["trace", "convert", raw, "--trace-format", "csv", "--no-header",
                                       "--map", "arrival=1:ms", "--map", "model=2", "--map", "input=3", "--map", "output=4"]))
        #expect(r.stdout == "\(Self.nativeHeader)\n0.000000,x,5,6\n0.500000,y,7,8\n")
    }

    /// A trace with epoch milliseconds and prompt lengths only.
    static let mappedCSV = """
        ts,prompt,user
        1700000000123,100,u1
        1700000000623,200,u2
        1700000001123,300,u3
        1700000004123,50,u4

        """

    static let mapFlags = ["--trace-format", "csv", "--map", "arrival=ts:ms", "--map", "input=prompt",
                           "--output-tokens", "fixed:16", "--model-mix", "weights:a=2,b=1"]

    @Test func simulateReadsAMappedCSVDirectlyAndPrintsTheFillNotes() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let r = expectSuccess(try run(["simulate", "--scenario", scenario, "--trace", trace, "--strategy", "hot-swap"] + Self.mapFlags))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("· 4 requests") == true, "\(lines.first ?? "")")
        #expect(Array(lines.dropFirst().prefix(4)) == [
            "trace format: csv (--map)",
            "arrivals rebased: the first request (1700000000.123000 s) is at 0",
            "output tokens drawn from fixed:16 (seed 1)",
            "models assigned by weights:a=2,b=1 over 2 models (seed 1)",
        ])
    }

    @Test func compareReadsAMappedCSVDirectlyAndPrintsTheFillNotes() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let r = expectSuccess(try run(["compare", "--scenario", scenario, "--trace", trace, "--seed", "3"] + Self.mapFlags))
        #expect(r.stdout.contains("\ntrace format: csv (--map)\n"))
        #expect(r.stdout.contains("\noutput tokens drawn from fixed:16 (seed 3)\n"))
        #expect(r.stdout.contains("\nmodels assigned by weights:a=2,b=1 over 2 models (seed 3)\n"))
        for strategy in ["always-warm", "scale-to-zero", "hot-swap"] { #expect(r.stdout.contains(strategy)) }

        let json = expectSuccess(try run(["simulate", "--strategy", "hot-swap", "--scenario", scenario, "--trace", trace, "--format", "json"] + Self.mapFlags))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let input = try #require(object["trace_input"] as? [String: Any])
        #expect(input["format"] as? String == "csv (--map)")
        #expect(input["rows"] as? Int == 4)
        #expect((input["rebased_from_ns"] as? NSNumber)?.int64Value == 1_700_000_000_123_000_000)
        #expect(input["filled"] as? [String] == ["output tokens drawn from fixed:16 (seed 1)", "models assigned by weights:a=2,b=1 over 2 models (seed 1)"])
    }

    // MARK: Errors: exit 1, one error line

    @Test func convertWithoutAModelMixNamesTheFlag() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike)
        let line = expectOneErrorLine(try run(["trace", "convert", azure, "--models", "a,b", "-o", dir.path("out.csv")]))
        #expect(line == "error: --model-mix: \(azure) has no model column; give --model-mix zipf:S or weights:NAME=W,…")
    }

    @Test func convertWithAMixButNoModelsAsksForThem() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike)
        let line = expectOneErrorLine(try run(["trace", "convert", azure, "--model-mix", "zipf:1", "-o", dir.path("out.csv")]))
        #expect(line == "error: --model-mix: give the model names to assign it over with --models a,b,c")
    }

    @Test func convertWithOneModelNeedsNoMix() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike)
        let r = expectSuccess(try run(["trace", "convert", azure, "--models", "only"]))
        #expect(r.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.split(separator: ",")[1] == "only" })
        #expect(r.stderrLines.contains("every request assigned to the only model, only"))
    }

    @Test func mapWithoutAGenericFormat() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let line = expectOneErrorLine(try run(["trace", "convert", trace, "--map", "arrival=ts:ms"]))
        #expect(line == "error: --map applies to --trace-format csv or jsonl")
    }

    @Test func badMapKey() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let line = expectOneErrorLine(try run(["compare", "--scenario", scenario, "--trace", trace, "--trace-format", "csv", "--map", "arrival=ts:ms", "--map", "prompt=prompt"]))
        #expect(line == "error: --map prompt=prompt: unknown key 'prompt' (keys: arrival, model, input, output)")
    }

    @Test func undetectableTraceSaysWhichFlagsAreNeeded() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let line = expectOneErrorLine(try run(["simulate", "--scenario", scenario, "--trace", trace]))
        #expect(line.hasPrefix("error: \(trace): cannot tell the trace format from its first line 'ts,prompt,user'; "))
        #expect(line.contains("--trace-format csv --map arrival="))
    }

    @Test func missingTokenColumnNamesTheFlag() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let line = expectOneErrorLine(try run(["simulate", "--scenario", scenario, "--trace", trace, "--trace-format", "csv",
                                               "--map", "arrival=ts:ms", "--map", "input=prompt", "--model-mix", "zipf:1"]))
        #expect(line.hasPrefix("error: --output-tokens: \(trace) has no output-length column; give a distribution"))
    }

    @Test func unknownWeightNamesInTheMix() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("mapped.csv", Self.mappedCSV)
        let scenario = try Self.tinyScenario(in: dir)
        let line = expectOneErrorLine(try run(["compare", "--scenario", scenario, "--trace", trace, "--trace-format", "csv", "--map", "arrival=ts:ms",
                                               "--map", "input=prompt", "--output-tokens", "fixed:1", "--model-mix", "weights:a=1,gpt=2"]))
        #expect(line == "error: --model-mix: weights name model(s) gpt not among a, b")
    }

    @Test func malformedRowInConvertNamesFileLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike.replacingOccurrences(of: "2023-11-16 18:17:04.4249540,34,12", with: "2023-11-16 18:17:04.4249540,34,lots"))
        let line = expectOneErrorLine(try run(["trace", "convert", azure, "--models", "a", "-o", dir.path("out.csv")]))
        #expect(line == "error: \(azure):6: column 'GeneratedTokens': expected a whole number of tokens (value 'lots')")
    }

    @Test func skipInvalidInConvertReportsTheSkippedRows() throws {
        let dir = try TemporaryDirectory()
        let azure = try dir.write("azure.csv", Self.azureLike.replacingOccurrences(of: "2023-11-16 18:17:04.4249540,34,12", with: "2023-11-16 18:17:04.4249540,34,lots"))
        let r = expectSuccess(try run(["trace", "convert", azure, "--models", "a", "--skip-invalid"]))
        #expect(r.stdout.split(separator: "\n").count == 10, "header and 9 rows")
        #expect(r.stderrLines.first == "trace format: azure-llm; 9 requests")
        #expect(r.stderrLines.last == "skipped 1 invalid row: GeneratedTokens: expected a whole number of tokens")
    }

    @Test func unsortedTraceNamesTheLineAndSortFixesIt() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n2,b,1,1\n1,a,1,1\n")
        let line = expectOneErrorLine(try run(["trace", "convert", trace, "-o", dir.path("out.csv")]))
        #expect(line == "error: \(trace):4: arrival 1.000000 s is before the previous row's 2.000000 s; traces must be sorted by arrival (--sort sorts them in memory)")
        let r = expectSuccess(try run(["trace", "convert", trace, "--sort"]))
        #expect(r.stdout == "\(Self.nativeHeader)\n0.000000,a,1,1\n1.000000,a,1,1\n2.000000,b,1,1\n")
        #expect(r.stderrLines.contains("sorted by arrival: 2 rows moved"))
    }

    @Test func unknownModelsInCompare() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n1,llama,1,1\n2,llama,1,1\n")
        let scenario = try Self.tinyScenario(in: dir)
        let line = expectOneErrorLine(try run(["compare", "--scenario", scenario, "--trace", trace]))
        #expect(line == "error: \(trace):3: column 'model': model 'llama' (2 rows, first at line 3) not in the scenario (scenario models: a, b; map names with --model-map TRACE=SCENARIO)")
        let mapped = expectSuccess(try run(["compare", "--scenario", scenario, "--trace", trace, "--model-map", "llama=b"]))
        #expect(mapped.stdout.contains("· 3 requests"))
    }

    @Test func unwritableOutput() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("in.csv", Self.canonicalCSV)
        let out = dir.path("no/such/folder/out.csv")
        let line = expectOneErrorLine(try run(["trace", "convert", csv, "-o", out]))
        #expect(line.hasPrefix("error: \(out): cannot write trace"))
    }

    @Test func missingInput() throws {
        let dir = try TemporaryDirectory()
        let absent = dir.path("absent.csv")
        let line = expectOneErrorLine(try run(["trace", "convert", absent]))
        #expect(line == "error: \(absent): cannot read trace: no such file")
    }
}
