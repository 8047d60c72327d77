import Foundation
import SwapSimCore
import Testing

/// The benchmark harness end to end on a tiny workload (`--scale 0.0005`): it runs every
/// workload in child processes and writes a results file with every field. Timings are never
/// asserted here; the benchmark itself reports them.
@Suite struct BenchHarnessTests {
    /// `swapsim-bench`, built beside `swapsim`.
    static func harness() throws -> URL {
        let exe = try SwapSimExecutable.location.get().deletingLastPathComponent().appendingPathComponent("swapsim-bench")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw BenchHarnessTestError("no swapsim-bench beside \(exe.deletingLastPathComponent().path); build it (swift build)")
        }
        return exe
    }

    struct BenchHarnessTestError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Runs the harness with `arguments` in the repository root.
    static func run(_ arguments: [String]) throws -> SwapSimExecutable.Execution {
        let process = Process()
        process.executableURL = try harness()
        process.arguments = arguments
        process.currentDirectoryURL = SwapSimExecutable.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Output is small (a few tables); read both before waiting.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return SwapSimExecutable.Execution(
            status: process.terminationStatus, exited: process.terminationReason == .exit,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// W4's scenario cut to its first `models` models: a debug build checks every replica's
    /// invariants after every event, so a thousand models would take minutes here.
    static func smallW4Scenario(models: Int, in dir: TemporaryDirectory) throws -> String {
        let text = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("benchmarks/w4-1000-models.yaml"), encoding: .utf8)
        var kept = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            guard line.hasPrefix("  - {name: m") else { return true }
            kept += 1
            return kept <= models
        }
        let path = dir.path("w4-small.yaml")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func tinyRunWritesEveryFieldAndReusesItsTraces() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("results.json")
        let arguments = [
            "--workload", "all", "--scale", "0.0005", "--data", dir.path("data"), "--out", out,
            "--w4-scenario", try Self.smallW4Scenario(models: 24, in: dir), "--model-series", "4,12,24",
        ]
        let first = try Self.run(arguments)
        #expect(first.exited && first.status == 0, "\(first)")
        #expect(first.stderr.contains("generating"))
        for title in ["W1:", "W2:", "W3:", "W4:", "reader:", "scaling:", "scaling by models:"] { #expect(first.stdout.contains(title), "no \(title) table") }

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(json["schema"] as? String == "swapsim.bench/1")
        for key in ["date", "commit", "toolchain", "build"] { #expect(json[key] is String, "\(key)") }
        let machine = try #require(json["machine"] as? [String: Any])
        #expect((machine["cores"] as? Int ?? 0) >= 1)
        #expect(machine["cpu_model"] is String)
        let workloads = try #require(json["workloads"] as? [String: Any])
        #expect(Set(workloads.keys) == ["W1", "W2", "W3", "W4", "reader", "scaling"])
        let perRun = ["requests", "wall_s", "cpu_s", "requests_per_second", "events", "events_per_second", "peak_rss_bytes"]
        for name in ["W1", "W2"] {
            let w = try #require(workloads[name] as? [String: Any])
            let strategies = try #require(w["strategies"] as? [String: [String: Any]])
            #expect(Set(strategies.keys) == Set(StrategyKind.allCases.map(\.rawValue)))
            for (s, figures) in strategies {
                for key in perRun { #expect(figures[key] is NSNumber, "\(name) \(s) \(key): \(figures)") }
                #expect((figures["requests"] as? Int ?? 0) > 0)
                #expect((figures["peak_rss_bytes"] as? Int ?? 0) > 0)
                if name == "W2" { #expect(figures["rss_beyond_percentiles_bytes"] is NSNumber) }
            }
        }
        // W4: the swap-heavy strategies, with their swap-ins.
        let w4 = try #require((workloads["W4"] as? [String: Any])?["strategies"] as? [String: [String: Any]])
        #expect(Set(w4.keys) == ["hot-swap", "hybrid"])
        for (s, figures) in w4 {
            for key in perRun + ["swap_ins", "swap_ins_per_request", "requests_paying_swap_in", "rss_beyond_percentiles_bytes"] {
                #expect(figures[key] is NSNumber, "W4 \(s) \(key): \(figures)")
            }
            #expect((figures["swap_ins"] as? Int ?? 0) > 0, "W4 \(s) swaps")
        }
        let w3 = try #require(workloads["W3"] as? [String: Any])
        for key in ["wall_s", "configurations", "evaluations", "requests_per_second", "peak_rss_bytes"] {
            #expect(w3[key] is NSNumber, "W3 \(key): \(w3)")
        }
        let reader = try #require(workloads["reader"] as? [String: Any])
        for part in ["native_csv_rows", "trace_input_requests"] {
            let r = try #require(reader[part] as? [String: Any])
            for key in ["rows", "wall_s", "mb_per_second", "rows_per_second", "peak_rss_bytes"] { #expect(r[key] is NSNumber, "reader \(part) \(key)") }
        }
        // The model series: 20, 200 and 1,000 models per swap-heavy strategy.
        let byModels = try #require(((workloads["scaling"] as? [String: Any])?["models"] as? [String: Any])?["strategies"] as? [String: [String: Any]])
        #expect(Set(byModels.keys) == ["hot-swap", "hybrid"])
        for (s, series) in byModels {
            let runs = try #require(series["runs"] as? [[String: Any]])
            #expect(runs.map { $0["models"] as? Int } == [4, 12, 24], "\(s)")
            for r in runs { #expect(r["ns_per_request"] is NSNumber && r["swap_ins"] is NSNumber, "\(s): \(r)") }
            #expect(series["meets_target"] is Bool, "\(s)")
        }
        let scaling = try #require((workloads["scaling"] as? [String: Any])?["strategies"] as? [String: [[String: Any]]])
        for (s, rows) in scaling {
            #expect(rows.map { $0["size"] as? String } == ["100k", "1M", "10M"], "\(s)")
            let requests = rows.compactMap { $0["requests"] as? Int }
            #expect(requests.count == 3 && requests == requests.sorted(), "\(s): \(requests)")
        }

        #expect((workloads["W1"] as? [String: Any])?["rounds"] as? Int == 1)

        // A second run finds the traces by their sidecars instead of generating them again; in
        // three rounds, each strategy reports its median round.
        let second = try Self.run(["--workload", "W1", "--scale", "0.0005", "--data", dir.path("data"), "--out", dir.path("w1.json"), "--rounds", "3"])
        #expect(second.exited && second.status == 0, "\(second)")
        #expect(!second.stderr.contains("generating"), "\(second.stderr)")
        #expect(second.stdout.contains("median of 3 rounds"))
        // Three separate runs of each of the five strategies, not one run reused.
        let runs = second.stderr.split(separator: "\n").filter { $0.hasPrefix("swapsim-bench: running ") }
        #expect(runs.count == 3 * StrategyKind.allCases.count, "\(second.stderr)")
        let w1 = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("w1.json")))) as? [String: Any])
                .flatMap { ($0["workloads"] as? [String: Any])?["W1"] as? [String: Any] })
        #expect(w1["rounds"] as? Int == 3)
        for (s, figures) in try #require(w1["strategies"] as? [String: [String: Any]]) {
            let rates = try #require(figures["requests_per_second_rounds"] as? [Double], "\(s)")
            let median = try #require(figures["requests_per_second"] as? Double)
            #expect(rates.count == 3 && rates.sorted()[1] == median, "\(s): \(median) of \(rates)")
        }

        // The model series in rounds too: each size's median of two separate runs (the slower).
        let third = try Self.run([
            "--workload", "scaling", "--scale", "0.0005", "--data", dir.path("data"), "--out", dir.path("scaling.json"), "--rounds", "2",
            "--w4-scenario", try Self.smallW4Scenario(models: 24, in: dir), "--model-series", "4,12",
        ])
        #expect(third.exited && third.status == 0, "\(third)")
        #expect(third.stdout.contains("each the median of 2 rounds"))
        let seriesRuns = third.stderr.split(separator: "\n").filter { $0.hasPrefix("swapsim-bench: running ") && $0.contains(" models") }
        #expect(seriesRuns.count == 2 * 2 * 2, "\(third.stderr)")  // rounds, sizes, hot-swap and hybrid
        let models = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("scaling.json")))) as? [String: Any])
                .flatMap { (($0["workloads"] as? [String: Any])?["scaling"] as? [String: Any])?["models"] as? [String: Any] })
        #expect(models["rounds"] as? Int == 2)
        for (s, series) in try #require(models["strategies"] as? [String: [String: Any]]) {
            for run in try #require(series["runs"] as? [[String: Any]], "\(s)") {
                let rates = try #require(run["requests_per_second_rounds"] as? [Double], "\(s)")
                let median = try #require(run["requests_per_second"] as? Double)
                #expect(rates.count == 2 && rates.min() == median, "\(s): \(median) of \(rates)")
            }
        }
    }

    @Test func roundsMustBeAPositiveCount() throws {
        let r = try Self.run(["--rounds", "0"])
        #expect(r.status == 1)
        #expect(r.stderr == "swapsim-bench: --rounds: expected a whole number from 1 to 100, got '0'\n")
    }

    @Test func modelSeriesMustAscend() throws {
        let r = try Self.run(["--model-series", "200,20"])
        #expect(r.status == 1)
        #expect(r.stderr == "swapsim-bench: --model-series: expected ascending model counts like 20,200,1000, got '200,20'\n")
    }

    @Test func unknownWorkloadIsOneLineError() throws {
        let r = try Self.run(["--workload", "W9"])
        #expect(r.status == 1)
        #expect(r.stderr == "swapsim-bench: --workload: expected W1, W2, W3, W4, reader, scaling or all, got 'W9'\n")
    }
}
