import Foundation
import Testing

/// Bad input end to end: exit status 1, nothing on stdout, one `error:` line on stderr naming
/// the file and the line or key; usage errors exit non-zero.
@Suite(.timeLimit(.minutes(5))) struct CLIBadInputTests {
    /// Checks the shape every reported error has, and returns its one line.
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

    @Test func malformedTraceRow() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("bad.csv", "arrival_s,model,input_tokens,output_tokens\n0.5,mistral-7b,100,10\n1.5,mistral-7b,abc,10\n")
        let r = try SwapSimExecutable.run(["compare", "--scenario", "scenarios/demo.yaml", "--trace", trace])
        let line = expectOneErrorLine(r)
        #expect(line == "error: \(trace):3: column 'input_tokens': expected a whole number of tokens (value 'abc')")
    }

    @Test func traceWithUnknownModel() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write("bad.csv", "arrival_s,model,input_tokens,output_tokens\n0.5,gpt-9,100,10\n")
        let r = try SwapSimExecutable.run(["simulate", "--strategy", "hot-swap", "--scenario", "scenarios/demo.yaml", "--trace", trace])
        let line = expectOneErrorLine(r)
        #expect(line.hasPrefix("error: \(trace):2: column 'model': model 'gpt-9' (1 row, first at line 2) not in the scenario"))
    }

    @Test func missingTraceFile() throws {
        let dir = try TemporaryDirectory()
        let trace = dir.path("absent.csv")
        let r = try SwapSimExecutable.run(["compare", "--scenario", "scenarios/demo.yaml", "--trace", trace])
        let line = expectOneErrorLine(r)
        #expect(line.hasPrefix("error: \(trace): cannot read trace"))
    }

    /// scenarios/demo.yaml with `text` inserted after the line `name: demo`.
    func demoScenario(inserting text: String, in dir: TemporaryDirectory) throws -> (path: String, yaml: String) {
        let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let yaml = demo.replacingOccurrences(of: "name: demo\n", with: "name: demo\n\(text)")
        return (try dir.write("scenario.yaml", yaml), yaml)
    }

    func line(of fragment: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(fragment) } ?? -1) + 1
    }

    @Test func scenarioWithUnknownKey() throws {
        let dir = try TemporaryDirectory()
        let (path, yaml) = try demoScenario(inserting: "colour: blue\n", in: dir)
        let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: \(path):\(line(of: "colour:", in: yaml)): unknown key 'colour' (allowed here: "), "\(l)")
    }

    @Test func scenarioWithBadUnit() throws {
        let dir = try TemporaryDirectory()
        let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let yaml = demo.replacingOccurrences(of: "swap_space: 512GiB", with: "swap_space: 512 gigs")
        let path = try dir.write("scenario.yaml", yaml)
        let r = try SwapSimExecutable.run(["simulate", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: \(path):\(line(of: "swap_space:", in: yaml)): cluster.host.swap_space: expected a size with a unit"), "\(l)")
    }

    @Test func scenarioWithDuplicateKey() throws {
        let dir = try TemporaryDirectory()
        let (path, yaml) = try demoScenario(inserting: "name: again\n", in: dir)
        let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: \(path):\(line(of: "name: again", in: yaml)): "), "\(l)")
    }

    @Test func missingScenarioFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("absent.yaml")
        let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l == "error: \(path): cannot read scenario: no such file")
    }

    /// A size too large for 64 bits is a clear error, not a crash.
    @Test func hugeSizeInScenario() throws {
        let dir = try TemporaryDirectory()
        let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let yaml = demo.replacingOccurrences(of: "memory: 1TiB", with: "memory: 1e30GB")
        let path = try dir.write("scenario.yaml", yaml)
        let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: \(path):\(line(of: "1e30GB", in: yaml)): cluster.host.memory: "), "\(l)")
    }

    struct Extreme: CustomTestStringConvertible, Sendable {
        var name: String
        /// A replacement in scenarios/demo.yaml (nil: the demo as shipped).
        var scenarioEdit: (from: String, to: String)?
        /// The trace's text (nil: traces/demo.csv).
        var trace: String?
        var testDescription: String { name }
    }

    /// Values at the edge of what the files allow end in an error line or a result, never a crash.
    @Test(arguments: [
        Extreme(name: "nodes: Int64.max", scenarioEdit: ("  nodes: 1\n", "  nodes: 9223372036854775807\n")),
        Extreme(name: "compute_efficiency: 1e-30", scenarioEdit: ("  max_batch: 128\n", "  max_batch: 128\n  compute_efficiency: 1e-30\n")),
        Extreme(name: "dma_bandwidth: 1e-20GB/s", scenarioEdit: ("swap_space: 512GiB}", "swap_space: 512GiB, dma_bandwidth: 1e-20GB/s}")),
        // About 116 days into the trace: past Int64 picoseconds, well within what the reader accepts.
        Extreme(name: "arrival 1e7 s", trace: "arrival_s,model,input_tokens,output_tokens\n10000000,mistral-7b,10,10\n"),
    ])
    func extremeValuesNeverCrash(_ c: Extreme) throws {
        let dir = try TemporaryDirectory()
        var scenario = "scenarios/demo.yaml"
        if let edit = c.scenarioEdit {
            let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent(scenario), encoding: .utf8)
            #expect(demo.contains(edit.from))
            scenario = try dir.write("scenario.yaml", demo.replacingOccurrences(of: edit.from, with: edit.to))
        }
        let trace = try c.trace.map { try dir.write("trace.csv", $0) } ?? "traces/demo.csv"
        let r = try SwapSimExecutable.run(["compare", "--scenario", scenario, "--trace", trace])
        if r.exited && r.status == 0 {
            #expect(r.stderr.isEmpty)
        } else {
            _ = expectOneErrorLine(r)
        }
    }

    /// Prices cannot be negative: a negative cost would make the worst strategy the cheapest.
    @Test func negativePriceIsAnError() throws {
        let dir = try TemporaryDirectory()
        let demo = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        let path = try dir.write("scenario.yaml", demo.replacingOccurrences(of: "gpu_hour_usd: 3.78", with: "gpu_hour_usd: -3.78"))
        let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
        let l = expectOneErrorLine(r)
        #expect(l.contains("costs.gpu_hour_usd"), "\(l)")
    }

    @Test(arguments: [["compare", "--scenario", "scenarios/demo.yaml"], ["simulate", "--trace", "traces/demo.csv"]])
    func scenarioAndTraceGoTogether(_ args: [String]) throws {
        let r = try SwapSimExecutable.run(args)
        #expect(r.exited)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("--scenario and --trace"), "\(r.stderr)")
    }

    @Test func unknownStrategyIsAUsageError() throws {
        let r = try SwapSimExecutable.run(["simulate", "--strategy", "bogus"])
        #expect(r.exited)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("bogus"), "\(r.stderr)")
    }

    @Test func unknownFormatIsAUsageError() throws {
        let r = try SwapSimExecutable.run(["compare", "--format", "yaml"])
        #expect(r.exited)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("yaml"))
    }

    @Test func zeroThreadsIsAUsageError() throws {
        let r = try SwapSimExecutable.run(["compare", "--threads", "0"])
        #expect(r.exited)
        #expect(r.status != 0)
        #expect(r.stderr.contains("--threads"))
    }

    @Test func traceGenerateDurationWithoutUnit() throws {
        let r = try SwapSimExecutable.run(["trace", "generate", "--models", "a,b", "--rate", "1", "--duration", "5"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: --duration: expected a duration with a unit"))
    }

    /// A duration too long for 64-bit nanoseconds is a clear error, not a crash.
    @Test func traceGenerateHugeDuration() throws {
        let r = try SwapSimExecutable.run(["trace", "generate", "--models", "a", "--rate", "1", "--duration", "1e12h"])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: --duration: "))
    }

    @Test(arguments: [
        ["--models", "a,,b", "--rate", "1", "--duration", "1m"],
        ["--models", "a", "--rate", "0", "--duration", "1m"],
        ["--models", "a", "--rate", "1", "--duration", "1m", "--sigma=-1"],
        ["--models", "a, ,b", "--rate", "1", "--duration", "1m"],
        ["--models", "a", "--rate", "1", "--duration", "1m", "--input-mean", "0"],
    ])
    func traceGenerateBadOptions(_ args: [String]) throws {
        let r = try SwapSimExecutable.run(["trace", "generate"] + args)
        _ = expectOneErrorLine(r)
    }

    @Test func traceGenerateToUnwritablePath() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("no/such/folder/t.csv")
        let r = try SwapSimExecutable.run(["trace", "generate", "--models", "a", "--rate", "1", "--duration", "1m", "-o", out])
        let l = expectOneErrorLine(r)
        #expect(l.hasPrefix("error: \(out): cannot write trace: cannot create the file"))
    }
}
