import Foundation
import Testing

/// The command line's conventions, through the built binary: examples in every help, `-o -` as
/// stdout, a misspelled command named with the nearest one, the documented exit statuses, and
/// progress on stderr only.
/// Serialized: each test starts the binary, and the CLI suites already run side by side.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CLIConventionsTests {
    /// Every command and subcommand of `swapsim`.
    static let commands: [[String]] = [
        [], ["compare"], ["simulate"], ["plan"], ["validate"], ["runs"], ["runs", "list"], ["runs", "show"], ["runs", "delete"],
        ["report"], ["merge"], ["trace"], ["trace", "generate"], ["trace", "inspect"], ["trace", "convert"], ["calibrate"],
        ["calibrate", "fit"], ["calibrate", "show"], ["calibrate", "validate"],
    ]

    @Test(arguments: commands)
    func helpShowsExamplesThatFitEightyColumns(_ command: [String]) throws {
        let r = try SwapSimExecutable.run(command + ["--help"])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "Examples:"), "no examples in \(command) --help")
        let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(examples.first?.hasPrefix("  swapsim") == true, "\(examples)")
        for line in examples { #expect(line.count <= 80, "too wide for the help: \(line)") }
    }

    @Test func rootHelpDocumentsTheExitStatuses() throws {
        let r = try SwapSimExecutable.run(["--help"])
        #expect(r.stdout.contains("Exit status: 0 success; 1 bad input"))
        #expect(r.stdout.contains("64 a usage error"))
    }

    @Test(arguments: [
        (["simulat"], "error: 'swapsim' has no command 'simulat'; did you mean 'simulate'?"),
        (["trace", "generat"], "error: 'swapsim trace' has no command 'generat'; did you mean 'generate'?"),
        (["runs", "lst", "--db", "x.db"], "error: 'swapsim runs' has no command 'lst'; did you mean 'list'?"),
        (["xyzzy"], "error: 'swapsim' has no command 'xyzzy'; the commands are compare, simulate, plan,"),
    ])
    func misspelledCommandNamesTheNearest(_ arguments: [String], _ expected: String) throws {
        let r = try SwapSimExecutable.run(arguments)
        #expect(r.status == 64, "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix(expected), "\(r.stderr)")
    }

    @Test func exitStatuses() throws {
        // 0: success.
        #expect(try SwapSimExecutable.run(["trace", "inspect", "traces/demo.csv"]).status == 0)
        // 1: bad input (a file that does not exist) and a failed run.
        let missing = try SwapSimExecutable.run(["trace", "inspect", "no-such-trace.csv"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.hasPrefix("error: "))
        let badValue = try SwapSimExecutable.run(["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--slo-attainment", "1.5"])
        #expect(badValue.status == 1, "\(badValue)")
        #expect(badValue.stderr == "error: --slo-attainment: expected a share of requests in (0, 1], like 0.99; got '1.5'\n")
        // 64: usage (unknown option, missing required option, misspelled command).
        #expect(try SwapSimExecutable.run(["compare", "--bogus"]).status == 64)
        #expect(try SwapSimExecutable.run(["plan", "--scenario", "scenarios/demo.yaml"]).status == 64)
        #expect(try SwapSimExecutable.run(["simulat"]).status == 64)
    }

    @Test func dashOutputIsStdout() throws {
        let dir = try TemporaryDirectory()
        let args = ["trace", "generate", "--models", "a,b", "--rate", "2", "--duration", "1m", "--seed", "4"]
        let toStdout = try SwapSimExecutable.run(args + ["-o", "-"], in: dir.url)
        #expect(toStdout.status == 0, "\(toStdout)")
        #expect(toStdout.stdout.hasPrefix("arrival_s,model,input_tokens,output_tokens\n"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")), "-o - wrote a file named '-'")
        let toFile = try SwapSimExecutable.run(args + ["-o", dir.path("t.csv")])
        #expect(try String(contentsOfFile: dir.path("t.csv"), encoding: .utf8) == toStdout.stdout)

        let converted = try SwapSimExecutable.run(["trace", "convert", dir.path("t.csv"), "-o", "-"], in: dir.url)
        #expect(converted.status == 0, "\(converted)")
        #expect(converted.stdout == toStdout.stdout)
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
        _ = toFile
    }

    @Test func progressGoesToStderrOnlyAndLeavesStdoutAlone() throws {
        let args = ["compare", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--format", "json"]
        let plain = try SwapSimExecutable.run(args)
        let withProgress = try SwapSimExecutable.run(args + ["--progress"])
        #expect(withProgress.status == 0, "\(withProgress)")
        #expect(withProgress.stdout == plain.stdout)
        // Not a terminal: without --progress, nothing; with it, a closing line (the run takes
        // less than the five seconds between periodic lines).
        #expect(plain.stderr.isEmpty, "\(plain.stderr)")
        let last = try #require(withProgress.stderrLines.last)
        #expect(last.hasPrefix("simulating 3 strategies over traces/demo.csv: "), "\(withProgress.stderr)")
        #expect(last.contains(" read in "), "\(last)")

        let plan = try SwapSimExecutable.run(["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--strategies", "hot-swap", "--progress"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stderr.hasPrefix("plan: ") && plan.stderr.contains(" evaluations done in "), "\(plan.stderr)")
    }

    @Test func traceWithoutModelColumnIsInspectedWithoutModels() throws {
        let dir = try TemporaryDirectory()
        let trace = try dir.write(
            "azure.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:16:09.1000000,100,10\n")
        let table = try SwapSimExecutable.run(["trace", "inspect", trace])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("3 requests over 22.419 s"), "\(table.stdout)")
        #expect(table.stdout.contains("models\nthe trace has no model column: no per-model breakdown"), "\(table.stdout)")
        let json = try SwapSimExecutable.run(["trace", "inspect", trace, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["model_column"] as? Bool == false)
        #expect((object["models"] as? [Any])?.isEmpty == true)
        // With models assigned, the breakdown is there.
        let assigned = try SwapSimExecutable.run(["trace", "inspect", trace, "--model-mix", "zipf:1", "--models", "a,b", "--format", "json"])
        let o2 = try #require(try JSONSerialization.jsonObject(with: Data(assigned.stdout.utf8)) as? [String: Any])
        #expect(o2["model_column"] as? Bool == true)
        #expect((o2["models"] as? [Any])?.count == 2)
    }

    @Test func planSLOFlagsReplaceTheScenarios() throws {
        let base = ["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--strategies", "hot-swap", "--format", "json"]
        let r = try SwapSimExecutable.run(base + ["--slo-ttft", "1s", "--slo-attainment", "0.99", "--slo-p99", "3s"])
        #expect(r.status == 0, "\(r)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let slo = try #require(object["constraints"] as? [String: Any], "\(r.stdout.prefix(600))")
        #expect(slo["ttft_target_s"] as? Double == 1)
        #expect(slo["attainment"] as? Double == 0.99)
        let targets = try #require(slo["ttft_percentile_targets"] as? [[String: Any]])
        #expect(targets.contains { $0["percentile"] as? Double == 99 && $0["target_s"] as? Double == 3 }, "\(targets)")
        let plain = try SwapSimExecutable.run(base)
        #expect(plain.stdout != r.stdout)
    }

    @Test func planSLOFlagsKeyTheCache() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("plan.db")
        let base = ["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--strategies", "hot-swap", "--db", db, "--format", "json"]
        let first = try SwapSimExecutable.run(base)
        #expect(first.status == 0, "\(first)")
        let tighter = try SwapSimExecutable.run(base + ["--slo-p99", "1s"])
        #expect(tighter.status == 0, "\(tighter)")
        // Judged under another SLO: nothing reused from the first run.
        #expect(tighter.stderr.contains(", 0 reused from"), "\(tighter.stderr)")
        let fresh = try SwapSimExecutable.run(["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--strategies", "hot-swap", "--format", "json", "--slo-p99", "1s"])
        #expect(fresh.stdout == tighter.stdout)
    }
}
