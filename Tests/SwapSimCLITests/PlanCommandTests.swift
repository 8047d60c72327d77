import Foundation
import Testing

/// `swapsim plan` end to end: byte-identical output for any thread count, and one clear error
/// line for bad input.
@Suite(.timeLimit(.minutes(2))) struct PlanCommandTests {
    let base = ["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--max-gpus", "4"]

    @Test func jsonIsByteIdenticalOnOneTwoAndThreeThreads() throws {
        let one = try SwapSimExecutable.run(base + ["--format", "json", "--threads", "1"])
        #expect(one.status == 0, "\(one)")
        #expect(one.stdout.contains("\"schema\": \"swapsim.plan/1\""))
        for threads in ["2", "3"] {
            let other = try SwapSimExecutable.run(base + ["--format", "json", "--threads", threads])
            #expect(other.status == 0, "\(other)")
            #expect(other.stdout == one.stdout, "threads \(threads)")
        }
    }

    @Test func tableAndMarkdownRun() throws {
        let table = try SwapSimExecutable.run(base + ["--strategies", "hot-swap", "--idle-timeout", "30s,never", "--eviction", "lru,lfu"])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("hot-swap"))
        #expect(table.stdout.contains("evaluations:"))
        let md = try SwapSimExecutable.run(base + ["--format", "markdown", "--replications", "2"])
        #expect(md.status == 0, "\(md)")
        #expect(md.stdout.hasPrefix("# Capacity plan: demo"))
        #expect(md.stdout.contains("2 replications, seeds 1–2"))
    }

    func oneErrorLine(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try SwapSimExecutable.run(arguments)
        #expect(r.exited && r.status == 1, "\(r)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        return String(r.stderrLines.first ?? "")
    }

    @Test func shardOutOfRange() throws {
        #expect(try oneErrorLine(base + ["--shard", "3/2"]) == "error: --shard 3/2: K must be between 1 and N (shards are numbered 1 to N)")
        #expect(try oneErrorLine(base + ["--shard", "two"]) == "error: --shard two: expected K/N, e.g. 1/4")
    }

    @Test func unknownGPUTypeFlag() throws {
        let line = try oneErrorLine(base + ["--gpu-types", "H100-SXM,Z999"])
        #expect(line.hasPrefix("error: --gpu-types H100-SXM,Z999: unknown GPU 'Z999' (catalogue: "), "\(line)")
    }

    @Test func badFlagValues() throws {
        #expect(try oneErrorLine(base + ["--eviction", "random"]).contains("--eviction random: unknown eviction policy 'random'"))
        #expect(try oneErrorLine(base + ["--keep-alive", "5 parsecs"]).hasPrefix("error: --keep-alive 5 parsecs:"))
        #expect(try oneErrorLine(base + ["--max-gpus", "0"]) == "error: --max-gpus: must be between 1 and 4096, got 0")
        #expect(try oneErrorLine(base + ["--budget", "0"]).hasPrefix("error: --budget: must be a positive number"))
    }

    @Test func unknownPlanKeyInTheScenario() throws {
        let dir = try TemporaryDirectory()
        let demo = try String(contentsOfFile: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml").path, encoding: .utf8)
        let path = try dir.write("s.yaml", demo + "plan:\n  gpu_type: [L40S]\n")
        let line = try oneErrorLine(["plan", "--scenario", path, "--trace", "traces/demo.csv"])
        #expect(line.contains(path) && line.contains("plan.gpu_type"), "\(line)")
    }
}
