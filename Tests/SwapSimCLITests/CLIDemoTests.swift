import Foundation
import Testing

/// The shipped demo, the output formats and `--help`, through the built binary.
@Suite(.timeLimit(.minutes(5))) struct CLIDemoTests {
    /// Requests in traces/demo.csv: its non-blank lines after the header.
    var demoTraceRequests: Int {
        let url = SwapSimExecutable.repositoryRoot.appendingPathComponent("traces/demo.csv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().filter { !$0.allSatisfy(\.isWhitespace) }.count
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func executableIsFound() throws {
        let url = try SwapSimExecutable.location.get()
        #expect(url.lastPathComponent == "swapsim")
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }

    @Test func noArgumentsPrintsTheDemoComparison() throws {
        let r = try SwapSimExecutable.run([])
        #expect(r.status == 0 && r.exited, "\(r)")
        #expect(r.stderr.isEmpty)
        for s in ["always-warm", "scale-to-zero", "hot-swap", "Cheapest", "scenario demo", "traces/demo.csv", "\(demoTraceRequests) requests"] {
            #expect(r.stdout.contains(s), "'\(s)' missing from the demo table")
        }
    }

    @Test func compareWithNoArgumentsIsTheSameDemo() throws {
        let bare = try SwapSimExecutable.run([])
        let compare = try SwapSimExecutable.run(["compare"])
        #expect(compare.status == 0, "\(compare)")
        #expect(compare.stdout == bare.stdout)
        #expect(compare.stdout.contains("Cheapest"))
    }

    @Test func demoIsTheShippedScenarioAndTrace() throws {
        let implicit = try SwapSimExecutable.run(["compare", "--format", "csv"])
        let explicit = try SwapSimExecutable.run(["compare", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--format", "csv"])
        #expect(implicit.status == 0 && explicit.status == 0)
        #expect(implicit.stdout == explicit.stdout)
    }

    @Test func jsonFormatParsesAndHasTheSchema() throws {
        let r = try SwapSimExecutable.run(["compare", "--format", "json"])
        #expect(r.status == 0, "\(r)")
        let object = try json(r.stdout)
        #expect(object["schema"] as? String == "swapsim.summary/1")
        #expect(object["scenario"] as? String == "demo")
        #expect(object["trace"] as? String == "traces/demo.csv")
        #expect((object["requests"] as? NSNumber)?.intValue == demoTraceRequests)
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(strategies.map { $0["strategy"] as? String } == ["always-warm", "scale-to-zero", "hot-swap"])
        for s in strategies {
            #expect(s["ttft_s"] is [String: Any])
            #expect(s["cost_usd"] is NSNumber)
        }
    }

    @Test func simulateOneStrategy() throws {
        let r = try SwapSimExecutable.run(["simulate", "--strategy", "hot-swap", "--format", "json"])
        #expect(r.status == 0, "\(r)")
        let strategies = try #require(try json(r.stdout)["strategies"] as? [[String: Any]])
        #expect(strategies.count == 1)
        #expect(strategies.first?["strategy"] as? String == "hot-swap")

        let table = try SwapSimExecutable.run(["simulate", "--strategy", "hot-swap"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("hot-swap"))
        #expect(!table.stdout.contains("always-warm"))
        #expect(!table.stdout.contains("scale-to-zero"))
    }

    @Test func simulateAllIsCompare() throws {
        let simulate = try SwapSimExecutable.run(["simulate", "--strategy", "all", "--format", "json"])
        let compare = try SwapSimExecutable.run(["compare", "--format", "json"])
        #expect(simulate.status == 0)
        #expect(simulate.stdout == compare.stdout)
    }

    @Test(arguments: ["csv", "markdown"])
    func otherFormats(_ format: String) throws {
        let r = try SwapSimExecutable.run(["compare", "--format", format])
        #expect(r.status == 0, "\(r)")
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        if format == "csv" {
            #expect(first.hasPrefix("scenario,trace,seed,strategy,"))
            #expect(r.stdout.split(separator: "\n").count == 4)
        } else {
            #expect(first == "# swapsim: demo")
            #expect(r.stdout.contains("| metric | always-warm | scale-to-zero | hot-swap |"))
        }
    }

    /// A strategy that cannot run on the scenario is reported beside the others by `compare`,
    /// and is an error when it is the only one asked for.
    @Test func infeasibleStrategy() throws {
        let args = ["--scenario", "scenarios/l40s-4x-sharing.yaml", "--trace", "traces/l40s-sharing.csv"]
        let compare = try SwapSimExecutable.run(["compare"] + args)
        #expect(compare.status == 0, "\(compare)")
        #expect(compare.stdout.contains("always-warm could not run: always-warm needs "))
        let only = try SwapSimExecutable.run(["simulate", "--strategy", "always-warm"] + args)
        #expect(only.status == 1)
        #expect(only.stdout.isEmpty)
        #expect(only.stderrLines.count == 1)
        #expect(only.stderr.hasPrefix("error: always-warm needs "))
    }

    @Test(arguments: [[String](), ["compare"], ["simulate"], ["trace"], ["trace", "generate"]])
    func helpExitsZero(_ command: [String]) throws {
        let r = try SwapSimExecutable.run(command + ["--help"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("USAGE: swapsim"), "\(r.stdout.prefix(200))")
        #expect(r.stderr.isEmpty)
    }

    @Test func version() throws {
        let r = try SwapSimExecutable.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: ".").count == 3)
    }
}
