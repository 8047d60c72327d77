import Foundation
import SwapSimIO
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `swapsim` child process with its own environment, for the store's crash and concurrency tests.
struct SwapSimChild {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    /// Starts `swapsim arguments…` in the repository root with `environment` added to this process's.
    init(_ arguments: [String], environment: [String: String] = [:], in dir: TemporaryDirectory, name: String) throws {
        stdoutURL = dir.url.appendingPathComponent("\(name).out")
        stderrURL = dir.url.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try SwapSimExecutable.location.get()
        process.arguments = arguments
        process.currentDirectoryURL = SwapSimExecutable.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
}

/// Waits up to `seconds` for a file to appear.
func waitForFile(_ path: String, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if FileManager.default.fileExists(atPath: path) { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return false
}

/// The results store used through the real executable: one transaction per run (a writer killed
/// mid-run leaves nothing behind), concurrent writers, `runs`, `report` and `merge`.
@Suite(.serialized) struct StoreProcessTests {
    @Test func writerKilledMidRunLeavesNoPartialRun() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("results.db")
        // One complete run first, so the database has something to lose.
        let first = try SwapSimExecutable.run(["compare", "--db", db, "--format", "json"])
        #expect(first.status == 0, "\(first)")

        // The second stops inside its transaction (test hook), with per-request rows to come, and is killed there.
        let marker = dir.path("paused")
        let child = try SwapSimChild(
            ["compare", "--db", db, "--store-requests", "--format", "json"],
            environment: ["SWAPSIM_TEST_STORE_PAUSE": marker], in: dir, name: "killed")
        let paused = waitForFile(marker, seconds: 120)
        #expect(paused, "the writer never reached its transaction: \(child.stderr)")
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        #expect(child.process.terminationReason == .uncaughtSignal)

        let store = try ResultsStore(path: db)
        #expect(try store.integrityCheck() == "ok")
        let runs = try store.listRuns()
        #expect(runs.count == 1)
        #expect(runs.first?.storedRequests == false)
        // Nothing of the killed run survived, in any table.
        let list = try SwapSimExecutable.run(["runs", "list", "--db", db, "--format", "json"])
        #expect(list.status == 0)
        #expect(list.stdout.components(separatedBy: "\"id\":").count == 2)
        // And the database takes new runs.
        let after = try SwapSimExecutable.run(["simulate", "--strategy", "hot-swap", "--db", db, "--format", "json"])
        #expect(after.status == 0, "\(after)")
        #expect(try store.listRuns().map(\.id) == [1, 2])
    }

    @Test func twoProcessesWritingAtOnceBothSucceed() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("results.db")
        // A holds the write transaction for two seconds; B, started meanwhile, must wait for it.
        let marker = dir.path("a-holds-lock")
        let a = try SwapSimChild(
            ["compare", "--db", db, "--format", "json"],
            environment: ["SWAPSIM_TEST_STORE_PAUSE": marker, "SWAPSIM_TEST_STORE_PAUSE_SECONDS": "2"], in: dir, name: "a")
        #expect(waitForFile(marker, seconds: 120), "A never reached its transaction: \(a.stderr)")
        let b = try SwapSimChild(["compare", "--db", db, "--store-requests", "--format", "json"], in: dir, name: "b")
        #expect(a.wait() == 0, "A failed: \(a.stderr)")
        #expect(b.wait() == 0, "B failed: \(b.stderr)")
        #expect(a.stderr.contains("stored run 1 in"))
        #expect(b.stderr.contains("stored run 2 in"))
        let store = try ResultsStore(path: db)
        #expect(try store.listRuns().count == 2)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func twoProcessesCreatingOneDatabaseAtOnceBothSucceed() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("fresh.db")
        let a = try SwapSimChild(["simulate", "--strategy", "hot-swap", "--db", db, "--format", "csv"], in: dir, name: "a")
        let b = try SwapSimChild(["simulate", "--strategy", "always-warm", "--db", db, "--format", "csv"], in: dir, name: "b")
        #expect(a.wait() == 0, "A failed: \(a.stderr)")
        #expect(b.wait() == 0, "B failed: \(b.stderr)")
        #expect(try ResultsStore(path: db).listRuns().count == 2)
    }

    @Test func reportFromTheStoreIsByteIdenticalToTheRunTimeReport() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("results.db")
        let live = try SwapSimExecutable.run(["compare", "--db", db, "--report", dir.path("live"), "--format", "markdown"])
        #expect(live.status == 0, "\(live)")
        let regenerated = try SwapSimExecutable.run(["report", "--db", db, "--run", "1", "--out", dir.path("stored")])
        #expect(regenerated.status == 0, "\(regenerated)")
        for name in ReportFiles.names {
            let a = FileManager.default.contents(atPath: dir.path("live/\(name)"))
            let b = FileManager.default.contents(atPath: dir.path("stored/\(name)"))
            #expect(a != nil && a == b, "\(name) differs between run time and the store")
        }
        // `runs show` renders the stored summary as the run printed it.
        let shown = try SwapSimExecutable.run(["runs", "show", "1", "--db", db, "--format", "markdown"])
        #expect(shown.stdout == live.stdout)
        let reproduce = try #require(String(data: FileManager.default.contents(atPath: dir.path("stored/report.md")) ?? Data(), encoding: .utf8))
        #expect(reproduce.contains("swapsim compare --scenario scenarios/demo.yaml --trace traces/demo.csv\n"))
    }

    @Test func runsListShowDelete() throws {
        let dir = try TemporaryDirectory()
        let db = dir.path("results.db")
        #expect(try SwapSimExecutable.run(["compare", "--db", db, "--format", "csv"]).status == 0)
        #expect(try SwapSimExecutable.run(["simulate", "--strategy", "scale-to-zero", "--seed", "7", "--db", db, "--format", "csv"]).status == 0)
        let list = try SwapSimExecutable.run(["runs", "list", "--db", db])
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("id  stored (UTC)"))
        #expect(lines[1].contains("always-warm,scale-to-zero,hot-swap  hot-swap"))
        #expect(lines[2].contains("scale-to-zero"))
        let show = try SwapSimExecutable.run(["runs", "show", "2", "--db", db])
        #expect(show.stdout.contains("command: swapsim simulate --strategy scale-to-zero --seed 7 --scenario scenarios/demo.yaml --trace traces/demo.csv"))
        let deleted = try SwapSimExecutable.run(["runs", "delete", "1", "--db", db])
        #expect(deleted.stdout == "deleted run 1\n")
        let missing = try SwapSimExecutable.run(["runs", "show", "1", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderr.contains("no run with id 1"))
        let noFile = try SwapSimExecutable.run(["runs", "list", "--db", dir.path("nope.db")])
        #expect(noFile.status == 1 && noFile.stderr == "error: \(dir.path("nope.db")): no such results database\n")
    }

    @Test func mergeCombinesStoresOnce() throws {
        let dir = try TemporaryDirectory()
        let a = dir.path("a.db"), b = dir.path("b.db"), out = dir.path("out.db")
        #expect(try SwapSimExecutable.run(["compare", "--db", a, "--format", "csv"]).status == 0)
        #expect(try SwapSimExecutable.run(["compare", "--db", b, "--seed", "2", "--format", "csv"]).status == 0)
        try ResultsStore(path: b).storeEvaluation("{}", forKey: PlanEvaluationKey(scenarioHash: "s", traceHash: "t", configuration: "c", seed: 1))
        let first = try SwapSimExecutable.run(["merge", "--out", out, a, b])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("\(b): 1 run added, 0 already present; 1 plan evaluation added, 0 already present"))
        let again = try SwapSimExecutable.run(["merge", "--out", out, a, b])
        #expect(again.stdout.contains("\(a): 0 runs added, 1 already present"))
        let store = try ResultsStore(path: out)
        #expect(try store.listRuns().map(\.seed) == [1, 2])
        #expect(try store.planEvaluationCount() == 1)
    }
}
