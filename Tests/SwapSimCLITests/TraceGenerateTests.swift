import Foundation
import Testing

/// `swapsim trace generate` end to end: the shipped traces rebuild byte for byte from the
/// commands in traces/README.md, every flag combination is a function of its seed, CSV and
/// JSONL carry the same requests, and bad flags are one line on stderr.
@Suite(.timeLimit(.minutes(5))) struct TraceGenerateTests {
    /// One request as written: arrival text, model, input, output.
    struct Row: Equatable, CustomStringConvertible {
        var arrival: String, model: String, input: Int, output: Int
        var description: String { "\(arrival),\(model),\(input),\(output)" }
    }

    static func generate(_ args: [String], into dir: TemporaryDirectory, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        let out = dir.path(name)
        let r = try SwapSimExecutable.run(["trace", "generate"] + args + ["-o", out])
        #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(r)", sourceLocation: sourceLocation)
        return (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data()
    }

    static func csvRows(_ data: Data) -> [Row] {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "arrival_s,model,input_tokens,output_tokens")
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(arrival: f[0], model: f[1], input: Int(f[2]) ?? -1, output: Int(f[3]) ?? -1)
        }
    }

    static func jsonlRows(_ data: Data) throws -> [Row] {
        try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            // The arrival's text as written, so CSV and JSONL compare exactly.
            let text = try #require(line.split(separator: ",").first?.split(separator: ":").last.map(String.init))
            #expect(o["arrival_s"] is NSNumber)
            return Row(arrival: text, model: o["model"] as? String ?? "?", input: o["input_tokens"] as? Int ?? -1, output: o["output_tokens"] as? Int ?? -1)
        }
    }

    /// The `trace generate` commands of traces/README.md, each with its output file.
    static func documentedCommands() throws -> [(args: [String], output: String)] {
        let readme = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("traces/README.md"), encoding: .utf8)
        let joined = readme.replacingOccurrences(of: "\\\n", with: " ")
        var commands: [(args: [String], output: String)] = []
        for line in joined.split(separator: "\n") where line.hasPrefix("swift run swapsim trace generate") {
            var words = line.split(whereSeparator: \.isWhitespace).map(String.init).dropFirst(5).map { $0 }
            guard let o = words.firstIndex(of: "-o"), o + 1 < words.count else { continue }
            let output = words[o + 1]
            words.removeSubrange(o...(o + 1))
            commands.append((words, output))
        }
        return commands
    }

    // MARK: Reproducibility

    /// The shipped traces are what their documented commands make, byte for byte.
    @Test func shippedTracesReproduceFromTheirDocumentedCommands() throws {
        let commands = try Self.documentedCommands()
        #expect(commands.count >= 3)
        let dir = try TemporaryDirectory()
        for (i, c) in commands.enumerated() {
            let made = try Self.generate(c.args, into: dir, name: "t\(i).csv")
            let shipped = try Data(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent(c.output))
            #expect(made == shipped, "\(c.output) differs from what its command in traces/README.md makes")
        }
    }

    static let configurations: [[String]] = [
        ["--models", "a,b,c", "--arrivals", "gamma", "--rate", "4", "--cv", "3", "--duration", "5m"],
        ["--models", "a,b", "--arrivals", "onoff", "--on-rate", "20", "--off-rate", "0.5", "--on-duration", "10s", "--off-duration", "1m",
         "--duration", "30m", "--diurnal-amplitude", "0.8", "--diurnal-period", "10m", "--diurnal-peak", "2m"],
        ["--model-rates", "x=2,y=0.5,z=1", "--arrivals", "gamma", "--cv", "0.5", "--duration", "10m", "--diurnal-amplitude", "1",
         "--diurnal-period", "5m"],
        ["--models", "a,b,c", "--rate", "3", "--duration", "5m", "--model-mix", "weights:c=1,a=3,b=0",
         "--input-tokens", "uniform:10-100", "--output-tokens", "fixed:64"],
    ]

    @Test(arguments: configurations.indices)
    func sameSeedGivesTheSameFileByteForByte(_ i: Int) throws {
        let dir = try TemporaryDirectory()
        let args = Self.configurations[i]
        let a = try Self.generate(args + ["--seed", "5"], into: dir, name: "a.csv")
        let b = try Self.generate(args + ["--seed", "5"], into: dir, name: "b.csv")
        let c = try Self.generate(args + ["--seed", "6"], into: dir, name: "c.csv")
        #expect(Self.csvRows(a).count > 50, "configuration \(i)")
        #expect(a == b, "configuration \(i)")
        #expect(a != c, "configuration \(i)")
    }

    /// --format jsonl (or an output ending in .jsonl) writes the requests the CSV holds.
    @Test(arguments: configurations.indices)
    func csvAndJSONLCarryTheSameRequests(_ i: Int) throws {
        let dir = try TemporaryDirectory()
        let args = Self.configurations[i] + ["--seed", "3"]
        let csv = Self.csvRows(try Self.generate(args, into: dir, name: "t.csv"))
        let jsonl = try Self.jsonlRows(try Self.generate(args + ["--format", "jsonl"], into: dir, name: "t.out"))
        let inferred = try Self.generate(args, into: dir, name: "t.jsonl")
        #expect(!csv.isEmpty)
        #expect(csv == jsonl, "configuration \(i)")
        #expect(inferred == (try Data(contentsOf: URL(fileURLWithPath: dir.path("t.out")))), "configuration \(i)")
    }

    /// The shorthands are the general flags: --zipf S is --model-mix zipf:S; --input-mean,
    /// --output-mean and --sigma are lognormal token specs.
    @Test func shorthandsEqualTheGeneralFlags() throws {
        let dir = try TemporaryDirectory()
        let common = ["--models", "a,b,c,d", "--rate", "2", "--duration", "10m", "--seed", "8"]
        let short = try Self.generate(common + ["--zipf", "1.3", "--input-mean", "800", "--output-mean", "200", "--sigma", "0.8"], into: dir, name: "a.csv")
        let long = try Self.generate(
            common + ["--model-mix", "zipf:1.3", "--input-tokens", "lognormal:800,0.8", "--output-tokens", "lognormal:200,0.8"], into: dir, name: "b.csv")
        #expect(short == long)
    }

    // MARK: What the flags do

    /// Weights and --model-rates name the models in the file; a zero weight is never drawn; the
    /// order of --model-rates is the model order when --models is absent.
    @Test func modelsComeFromTheMixOrTheRates() throws {
        let dir = try TemporaryDirectory()
        let weighted = Self.csvRows(try Self.generate(Self.configurations[3] + ["--seed", "1"], into: dir, name: "w.csv"))
        #expect(Set(weighted.map(\.model)) == ["a", "c"])
        #expect(weighted.allSatisfy { (10...100).contains($0.input) && $0.output == 64 })
        let rated = Self.csvRows(try Self.generate(["--model-rates", "big=5,small=0.2", "--duration", "20m", "--seed", "1"], into: dir, name: "r.csv"))
        let big = rated.filter { $0.model == "big" }.count
        let small = rated.filter { $0.model == "small" }.count
        // 6,000 ± 4·77 and 240 ± 4·15.5 requests.
        #expect(abs(big - 6000) <= 310 && abs(small - 240) <= 62, "\(big) big, \(small) small")
    }

    /// An empirical token file: only its values appear.
    @Test func empiricalTokensFromAFile() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("lengths.csv", "tokens,weight\n16,1\n512,3\n")
        let rows = Self.csvRows(try Self.generate(
            ["--models", "m", "--rate", "5", "--duration", "2m", "--input-tokens", "empirical:\(file)", "--output-tokens", "fixed:1"], into: dir, name: "t.csv"))
        #expect(rows.count > 400)
        #expect(Set(rows.map(\.input)) == [16, 512])
    }

    /// A diurnal cycle peaking at 14h over two days: the busiest hour is 13–15h, the quietest
    /// 1–3h, and amplitude 0.6 makes the peak about four times the trough.
    @Test func diurnalCyclePeaksWhereAsked() throws {
        let dir = try TemporaryDirectory()
        let rows = Self.csvRows(try Self.generate(
            ["--models", "m", "--rate", "0.5", "--duration", "2d", "--diurnal-amplitude", "0.6", "--diurnal-peak", "14h", "--input-tokens", "fixed:1",
             "--output-tokens", "fixed:1"], into: dir, name: "t.csv"))
        var perHour = [Int](repeating: 0, count: 24)
        for r in rows { perHour[Int(Double(r.arrival)! / 3600) % 24] += 1 }
        let busiest = perHour.indices.max { perHour[$0] < perHour[$1] }!
        let quietest = perHour.indices.min { perHour[$0] < perHour[$1] }!
        #expect((13...14).contains(busiest), "\(perHour)")
        #expect((1...2).contains(quietest), "\(perHour)")
    }

    // MARK: Bad flags

    @Test(arguments: [
        (["--models", "a", "--duration", "1m"], "error: --rate: give the mean requests per second"),
        (["--duration", "1m", "--rate", "1"], "error: --models: "),
        (["--models", "a", "--rate", "1", "--duration", "36526d"], "error: --duration: a trace may last at most 100 years"),
        (["--models", "a", "--arrivals", "gamma", "--rate", "1", "--duration", "1m"], "error: --cv: "),
        (["--models", "a", "--arrivals", "gamma", "--rate", "1", "--cv=-1", "--duration", "1m"], "error: --cv: "),
        (["--models", "a", "--rate", "1", "--cv", "2", "--duration", "1m"], "error: --cv applies to --arrivals gamma only"),
        (["--models", "a", "--arrivals", "onoff", "--on-rate", "5", "--duration", "1m"], "error: --arrivals onoff needs "),
        (["--models", "a", "--arrivals", "onoff", "--rate", "1", "--on-rate", "5", "--on-duration", "1s", "--off-duration", "1s", "--duration", "1m"],
         "error: --rate does not apply to --arrivals onoff"),
        (["--models", "a", "--arrivals", "onoff", "--on-rate", "5", "--on-duration", "0s", "--off-duration", "1s", "--duration", "1m"],
         "error: --arrivals onoff: "),
        (["--models", "a", "--arrivals", "onoff", "--on-rate", "5", "--on-duration", "1", "--off-duration", "1s", "--duration", "1m"],
         "error: --on-duration: "),
        (["--models", "a", "--rate", "1", "--off-rate", "1", "--duration", "1m"], "error: --off-rate applies to --arrivals onoff only"),
        (["--models", "a", "--rate", "1", "--diurnal-amplitude", "1.5", "--duration", "1m"], "error: --diurnal-amplitude/--diurnal-period: "),
        (["--models", "a", "--rate", "1", "--diurnal-amplitude", "0.5", "--diurnal-period", "0s", "--duration", "1m"], "error: --diurnal-amplitude/--diurnal-period: "),
        (["--models", "a,b", "--rate", "1", "--model-mix", "weights:a=1", "--duration", "1m"], "error: --model-mix: no weight for model 'b'"),
        (["--models", "a", "--rate", "1", "--model-mix", "weights:a=1,z=2", "--duration", "1m"], "error: --model-mix: model 'z' is not in --models"),
        (["--models", "a", "--rate", "1", "--model-mix", "pareto:1", "--duration", "1m"], "error: --model-mix: "),
        (["--models", "a", "--rate", "1", "--model-mix", "zipf:1", "--zipf", "1", "--duration", "1m"], "error: --zipf is a shorthand"),
        (["--models", "a", "--rate", "1", "--model-rates", "a=1", "--duration", "1m"], "error: --rate and --model-rates cannot both be given"),
        (["--model-rates", "a=1,b=0", "--duration", "1m"], "error: --model-rates: "),
        (["--model-rates", "a=1,a=2", "--duration", "1m"], "error: --model-rates: model 'a' is listed twice"),
        (["--models", "a,b", "--model-rates", "a=1", "--duration", "1m"], "error: --model-rates: no rate for model 'b'"),
        (["--model-rates", "a=1", "--zipf", "1", "--duration", "1m"], "error: --model-mix/--zipf and --model-rates"),
        (["--models", "a", "--rate", "1", "--input-tokens", "normal:5", "--duration", "1m"], "error: --input-tokens: "),
        (["--models", "a", "--rate", "1", "--output-tokens", "empirical:/no/such/file", "--duration", "1m"], "error: --output-tokens: "),
        (["--models", "a", "--rate", "1", "--input-tokens", "fixed:5", "--input-mean", "5", "--duration", "1m"], "error: --input-mean is a shorthand"),
        (["--models", "a", "--rate", "1", "--format", "parquet", "--duration", "1m"], "error: --format: expected csv or jsonl"),
        (["--models", "a", "--rate", "1", "--max-tokens", "0", "--duration", "1m"], "error: --max-tokens"),
        // Issue 13: a declared limit on rate × duration, refused before a row is written.
        (["--models", "a", "--rate", "1e6", "--duration", "100d"],
         "error: --rate × --duration: about 8640000000000 requests (a mean of 1000000.0 per second for 100d), more than the limit of 1e9 requests per trace"),
        (["--model-rates", "a=1e5,b=1e5", "--duration", "1d"], "error: --model-rates × --duration: about 17280000000 requests"),
        (["--models", "a", "--arrivals", "onoff", "--on-rate", "1e7", "--on-duration", "1s", "--off-duration", "1s", "--duration", "1d"],
         "error: --on-rate/--off-rate × --duration: about 432000000000 requests"),
        // Negative numbers reach the flag's own check instead of reading as an unknown option.
        (["--models", "a", "--rate", "-1", "--duration", "1m"], "error: --rate: must be a positive number of requests per second, got -1.0"),
        (["--models", "a", "--rate", "1", "--sigma", "-1", "--duration", "1m"], "error: --sigma: must be in [0, 10], got -1.0"),
    ])
    func badFlagsAreOneErrorLine(_ args: [String], _ prefix: String) throws {
        let r = try SwapSimExecutable.run(["trace", "generate"] + args)
        #expect(r.exited && r.status == 1, "\(args): \(r)")
        #expect(r.stdout.isEmpty, "\(args)")
        #expect(r.stderrLines.count == 1, "\(args): \(r.stderr)")
        #expect(r.stderr.hasPrefix(prefix), "\(args): \(r.stderr)")
    }

    @Test func helpNamesEveryGeneratorFlag() throws {
        let r = try SwapSimExecutable.run(["trace", "generate", "--help"])
        #expect(r.status == 0)
        for flag in ["--arrivals", "--cv", "--on-rate", "--off-duration", "--diurnal-amplitude", "--model-mix", "--model-rates", "--input-tokens", "--format"] {
            #expect(r.stdout.contains(flag), "\(flag)")
        }
    }
}
