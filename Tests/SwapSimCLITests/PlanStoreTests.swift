import Foundation
import Testing

/// `swapsim plan --db` with the real results store: shards into separate databases, merged,
/// give the single-machine plan byte for byte without simulating anything; a re-run reuses
/// every evaluation.
@Suite(.timeLimit(.minutes(3))) struct PlanStoreTests {
    /// The demo over a small space: every strategy, at most 4 GPUs, two hot-swap idle timeouts
    /// (so the shards have several chains to split).
    let base = [
        "plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--max-gpus", "4", "--idle-timeout", "60s,never",
        "--format", "json",
    ]

    /// The counts in the `plan: N evaluations: S simulated, R reused from FILE` line on stderr.
    struct Reuse: Equatable { var evaluations, simulated, reused: Int }

    func reuse(_ run: SwapSimExecutable.Execution, sourceLocation: SourceLocation = #_sourceLocation) throws -> Reuse {
        let line = try #require(run.stderrLines.first { $0.hasPrefix("plan: ") }, "no plan: line in \(run.stderr)", sourceLocation: sourceLocation)
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count >= 3, "\(line)", sourceLocation: sourceLocation)
        return Reuse(evaluations: numbers[0], simulated: numbers[1], reused: numbers[2])
    }

    @Test func mergedShardsGiveTheSingleRunPlanAndSimulateNothing() throws {
        let dir = try TemporaryDirectory()
        let single = try SwapSimExecutable.run(base)
        #expect(single.status == 0, "\(single)")
        #expect(!single.stderr.contains("reused"), "without --db nothing is said about reuse: \(single.stderr)")

        let a = try SwapSimExecutable.run(base + ["--shard", "1/2", "--db", dir.path("a.db")])
        let b = try SwapSimExecutable.run(base + ["--shard", "2/2", "--db", dir.path("b.db")])
        #expect(a.status == 0 && b.status == 0, "\(a) \(b)")
        let ra = try reuse(a), rb = try reuse(b)
        #expect(ra.reused == 0 && rb.reused == 0)
        #expect(ra.simulated > 0 && rb.simulated > 0, "both shards have work: \(ra) \(rb)")
        #expect(a.stdout != single.stdout, "a shard's output covers only its chains")

        let merge = try SwapSimExecutable.run(["merge", "--out", dir.path("m.db"), dir.path("a.db"), dir.path("b.db")])
        #expect(merge.status == 0, "\(merge)")
        #expect(merge.stdout.contains("\(ra.simulated) plan evaluations added"), "\(merge.stdout)")

        let merged = try SwapSimExecutable.run(base + ["--db", dir.path("m.db")])
        #expect(merged.status == 0, "\(merged)")
        #expect(merged.stdout == single.stdout, "the plan over merged shards differs from the single run")
        #expect(try reuse(merged) == Reuse(evaluations: ra.simulated + rb.simulated, simulated: 0, reused: ra.simulated + rb.simulated))
    }

    @Test func aRerunOverTheSameDatabaseReusesEverything() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("plan.db")
        let first = try SwapSimExecutable.run(base + ["--db", db, "--threads", "2"])
        #expect(first.status == 0, "\(first)")
        let r1 = try reuse(first)
        #expect(r1.simulated == r1.evaluations && r1.reused == 0 && r1.evaluations > 0, "\(r1)")

        let again = try SwapSimExecutable.run(base + ["--db", db, "--threads", "1"])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout == first.stdout)
        #expect(try reuse(again) == Reuse(evaluations: r1.evaluations, simulated: 0, reused: r1.evaluations))

        // The table's last line tells the same story.
        let table = try SwapSimExecutable.run(Array(base.dropLast(2)) + ["--db", db])
        #expect(table.stdout.contains("0 simulated, \(r1.evaluations) from the cache"), "\(table.stdout)")
    }

    @Test func aDatabaseThatCannotBeOpenedIsOneErrorLine() throws {
        let dir = try TemporaryDirectory()
        let notADatabase = try dir.write("text.db", "this is not SQLite\n")
        let r = try SwapSimExecutable.run(base + ["--db", notADatabase])
        #expect(r.exited && r.status == 1, "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
    }
}
