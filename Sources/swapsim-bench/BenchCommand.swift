import Foundation
import SwapSimCore
import SwapSimIO

/// `swapsim-bench`: generates the workloads, measures each run in a child process, prints a
/// table per workload and writes the results file.
struct BenchCommand {
    /// A workload the harness can run, in the order `all` runs them.
    enum Workload: String, CaseIterable {
        case w1 = "W1", w2 = "W2", w3 = "W3", w4 = "W4", reader, scaling
    }

    /// The strategies W4 and the model series run: those that swap.
    static let swapStrategies: [StrategyKind] = [.hotSwap, .hybrid]
    /// The model series: by default the first 20, 200 and 1,000 models of W4's scenario.
    static let defaultModelSeries = [20, 200, 1000]

    var workloads: [Workload] = Workload.allCases
    var dataFolder = ".build/bench-data"
    var output = "benchmarks/results.json"
    var scenario = "benchmarks/w1-100-models.yaml"
    /// W4's swap-heavy scenario (1,000 models), also the model series'.
    var w4Scenario = "benchmarks/w4-1000-models.yaml"
    /// How many of W4's models each run of the model series takes, ascending.
    var modelSeries = BenchCommand.defaultModelSeries
    /// Multiplies every workload's request count (tests use 0.0005).
    var scale = 1.0
    /// Simulations at once in W3 (the machine's cores by default).
    var planThreads = ProcessInfo.processInfo.activeProcessorCount
    /// Rounds of W1 and W4: each runs every strategy once per round, rounds one after another,
    /// and reports each strategy's median run (wall times on a shared machine drift by tens of
    /// percent from one minute to the next; interleaved rounds spread the drift over every strategy).
    var rounds = 1

    static let usage = """
        usage: swapsim-bench [--workload W1|W2|W3|W4|reader|scaling|all] [--data DIR] [--out FILE]
                             [--scenario FILE] [--w4-scenario FILE] [--model-series N,N,...] [--scale X]
                             [--plan-threads N] [--rounds N]

        Runs issues 7's and 16's benchmarks (build with -c release): each measured run in its own child
        process, timed on the monotonic clock, its peak RSS its own. Workload traces are generated
        into --data (default .build/bench-data) and reused while their sidecar's size and SHA-256
        match. Prints a table per workload and writes --out (default benchmarks/results.json).

          W1       1,000,000 requests over 24 h, 100 models Zipf(1.0), diurnal, lognormal tokens; per strategy
          W2       W1 stretched to ten days (10,000,000 requests at W1's rate), streamed; peak RSS
          W3       a plan over the search space of PlanBenchmark on 100,000 requests, on --plan-threads threads
          W4       swap-heavy: W2's shape over --w4-scenario's 1,000 models, hot-swap and hybrid; swap-ins
          reader   the native CSV reader alone over the W2 file: MB/s and rows/s
          scaling  100k, 1M and 10M requests per strategy (reuses W1's and W2's runs when run together),
                   and hot-swap and hybrid over W1's day on the first 20, 200 and 1,000 models of W4's
          --model-series  the model counts of that series (default 20,200,1000)
          --scale  multiplies every request count (e.g. 0.001 for a smoke test)
          --rounds W1, W4 and the model series run every strategy N times, in N interleaved rounds,
                   and report each strategy's median run (by wall time) with the range of the rounds
                   (default 1)

        """

    static func main(_ arguments: [String]) -> Int32 {
        do {
            guard let command = try BenchCommand(arguments) else {
                print(usage, terminator: "")
                return 0
            }
            try command.run()
            return 0
        } catch {
            FileHandle.standardError.write(Data("swapsim-bench: \(error)\n".utf8))
            return 1
        }
    }

    /// The options, or nil for `--help`.
    init?(_ arguments: [String]) throws {
        var i = 0
        func value(_ flag: String) throws -> String {
            guard i + 1 < arguments.count else { throw BenchError("\(flag): expected a value") }
            i += 1
            return arguments[i]
        }
        while i < arguments.count {
            let flag = arguments[i]
            switch flag {
            case "-h", "--help": return nil
            case "--workload":
                let v = try value(flag)
                if v == "all" {
                    workloads = Workload.allCases
                } else {
                    workloads = try v.split(separator: ",").map { name in
                        guard let w = Workload(rawValue: String(name)) ?? Workload(rawValue: name.uppercased()) else {
                            throw BenchError("--workload: expected W1, W2, W3, W4, reader, scaling or all, got '\(name)'")
                        }
                        return w
                    }
                }
            case "--data": dataFolder = try value(flag)
            case "--out": output = try value(flag)
            case "--scenario": scenario = try value(flag)
            case "--w4-scenario": w4Scenario = try value(flag)
            case "--model-series":
                let v = try value(flag)
                let counts = v.split(separator: ",").compactMap { Int($0) }
                guard !counts.isEmpty, counts.count == v.split(separator: ",").count, counts.allSatisfy({ $0 >= 1 }), counts == counts.sorted() else {
                    throw BenchError("--model-series: expected ascending model counts like 20,200,1000, got '\(v)'")
                }
                modelSeries = counts
            case "--scale":
                let v = try value(flag)
                guard let s = Double(v), s > 0, s <= 1000, s.isFinite else { throw BenchError("--scale: expected a positive number, got '\(v)'") }
                scale = s
            case "--rounds":
                let v = try value(flag)
                guard let n = Int(v), n >= 1, n <= 100 else { throw BenchError("--rounds: expected a whole number from 1 to 100, got '\(v)'") }
                rounds = n
            case "--plan-threads":
                let v = try value(flag)
                guard let n = Int(v), n >= 1 else { throw BenchError("--plan-threads: expected a positive number, got '\(v)'") }
                planThreads = n
            default: throw BenchError("unknown argument '\(flag)' (see --help)")
            }
            i += 1
        }
    }

    func run() throws {
        #if DEBUG
            log("note: a debug build; timings are meaningful only with -c release")
        #endif
        let models = try ScenarioLoader.load(path: scenario).models.map(\.name)
        var swapModels: [String] = []
        if workloads.contains(.w4) || workloads.contains(.scaling) {
            swapModels = try ScenarioLoader.load(path: w4Scenario).models.map(\.name)
            guard swapModels.count >= modelSeries.last! else {
                throw BenchError("--w4-scenario: the model series needs \(modelSeries.last!) models, \(w4Scenario) has \(swapModels.count)")
            }
        }
        var results = BenchResults(machine: .current(), scale: scale)
        var traces: [String: TraceFile] = [:]
        func trace(_ recipe: TraceRecipe, models: [String]) throws -> TraceFile {
            if let t = traces[recipe.fileName] { return t }
            let t = try recipe.materialise(in: dataFolder, models: models, log: log)
            traces[recipe.fileName] = t
            return t
        }
        func trace(_ recipe: TraceRecipe) throws -> TraceFile { try trace(recipe, models: models) }
        /// Simulation runs by trace file, scenario and strategy, so scaling reuses W1's and W2's.
        var simulated: [String: RunOutcome] = [:]
        func runKey(_ file: TraceFile, _ strategy: StrategyKind, scenario: String?, models: Int? = nil) -> String {
            [file.path, scenario ?? self.scenario, strategy.rawValue, models.map(String.init) ?? "all"].joined(separator: "|")
        }
        func simulate(_ file: TraceFile, _ strategy: StrategyKind, scenario: String? = nil, models: Int? = nil) -> RunOutcome {
            let key = runKey(file, strategy, scenario: scenario, models: models)
            let scenario = scenario ?? self.scenario
            if let o = simulated[key] { return o }
            log("running \(strategy.rawValue) over \(file.rows) requests" + (models.map { " on \($0) models" } ?? ""))
            var options = [("scenario", scenario), ("trace", file.path), ("strategy", strategy.rawValue)]
            if let models { options.append(("models", String(models))) }
            let o = measure("simulate", options)
            simulated[key] = o
            return o
        }
        /// Each run of `runs` (a strategy over a trace, maybe on the first `models` models of
        /// `scenario`) in `rounds` interleaved rounds; each one's median run stands for it (and
        /// is what a later workload reuses).
        func simulateRounds(_ runs: [(file: TraceFile, strategy: StrategyKind, models: Int?)], scenario: String? = nil) -> [StrategyRuns] {
            var all = [[RunOutcome]](repeating: [], count: runs.count)
            for round in 0..<rounds {
                if rounds > 1 { log("round \(round + 1) of \(rounds)") }
                for (i, run) in runs.enumerated() {
                    // A fresh run every round, even where an earlier workload ran the same (its
                    // run was not interleaved with these).
                    simulated[runKey(run.file, run.strategy, scenario: scenario, models: run.models)] = nil
                    all[i].append(simulate(run.file, run.strategy, scenario: scenario, models: run.models))
                }
            }
            return runs.indices.map { i in
                let median = StrategyRuns.median(of: all[i])
                simulated[runKey(runs[i].file, runs[i].strategy, scenario: scenario, models: runs[i].models)] = median
                return StrategyRuns(strategy: runs[i].strategy, outcome: median, rounds: all[i])
            }
        }
        /// Every strategy of `strategies` over `file` in rounds (``simulateRounds(_:scenario:)``).
        func simulateRounds(_ file: TraceFile, _ strategies: [StrategyKind], scenario: String? = nil) -> [StrategyRuns] {
            simulateRounds(strategies.map { (file, $0, nil) }, scenario: scenario)
        }

        for workload in workloads {
            switch workload {
            case .w1, .w2:
                let recipe = workload == .w1 ? TraceRecipe.w1(scale: scale) : TraceRecipe.w2(scale: scale)
                let file = try trace(recipe)
                let summary = workload == .w1
                    ? "\(file.rows) requests over 24 h on 2 nodes x 8 H100, one strategy at a time, the trace read on a second thread"
                    : "W1 stretched to ten days: \(file.rows) requests at W1's rate, streamed from disk, one strategy at a time"
                let w = SimulationWorkload(
                    name: workload.rawValue, summary: summary, trace: file,
                    runs: workload == .w1
                        ? simulateRounds(file, StrategyKind.allCases)
                        : StrategyKind.allCases.map { s in let o = simulate(file, s); return StrategyRuns(strategy: s, outcome: o, rounds: [o]) })
                print(BenchTable.simulation(w, withPercentiles: workload == .w2))
                if workload == .w1 { results.w1 = w } else { results.w2 = w }
            case .w3:
                let file = try trace(.hundredThousand(scale: scale))
                log("planning over \(file.rows) requests on \(planThreads) threads")
                let outcome = Result { () throws(BenchError) -> (Measurement, [String: String]) in
                    do {
                        let f = try ChildProcess.run("plan", [("scenario", scenario), ("trace", file.path), ("threads", String(planThreads))])
                        return (try Measurement(f), f)
                    } catch let e as BenchError { throw e } catch { throw BenchError("\(error)") }
                }
                let w = PlanWorkload(
                    summary: "a plan (\(PlanBenchmark.summary)) over \(file.rows) requests, \(planThreads) threads",
                    trace: file, threads: planThreads, outcome: outcome.map { ($0.0, $0.1) })
                print(BenchTable.plan(w))
                results.w3 = w
            case .w4:
                let file = try trace(.w4(models: swapModels.count, scale: scale), models: swapModels)
                let w = SimulationWorkload(
                    name: "W4",
                    summary: "swap-heavy: \(file.rows) requests over ten days, \(swapModels.count) models Zipf(1.0) on 2 nodes x 8 H100, streamed, one strategy at a time",
                    trace: file, runs: simulateRounds(file, Self.swapStrategies, scenario: w4Scenario))
                print(BenchTable.simulation(w, withPercentiles: true, withSwapIns: true))
                results.w4 = w
            case .reader:
                let file = try trace(.w2(scale: scale))
                log("reading \(file.path)")
                let w = ReaderWorkload(
                    trace: file, rows: measure("read-rows", [("trace", file.path)], countKey: "rows"),
                    requests: measure("read-requests", [("scenario", scenario), ("trace", file.path)], countKey: "rows"))
                print(BenchTable.reader(w))
                results.reader = w
            case .scaling:
                let recipes = [TraceRecipe.hundredThousand(scale: scale), .w1(scale: scale), .w2(scale: scale)]
                let files = try recipes.map { (label: $0.label, file: try trace($0)) }
                let w = ScalingWorkload(
                    traces: files,
                    runs: StrategyKind.allCases.map { s in (s, files.map { simulate($0.file, s) }) })
                print(BenchTable.scaling(w))
                results.scaling = w
                let series = try modelSeries.map { n in
                    (models: n, file: try trace(.modelSeries(models: n, scale: scale), models: Array(swapModels.prefix(n))))
                }
                // In rounds, as W1's and W4's: the series is judged by a ratio of two runs,
                // which one run each left to the VM's drift.
                let runs = simulateRounds(
                    Self.swapStrategies.flatMap { s in series.map { (file: $0.file, strategy: s, models: Optional($0.models)) } },
                    scenario: w4Scenario)
                let m = ModelScalingWorkload(
                    traces: series,
                    runs: Self.swapStrategies.indices.map { i in
                        (Self.swapStrategies[i], Array(runs[(i * series.count)..<((i + 1) * series.count)]))
                    },
                    rounds: rounds)
                print(BenchTable.modelScaling(m))
                results.modelScaling = m
            }
        }
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try results.json.rendered().write(toFile: output, atomically: true, encoding: .utf8)
        log("wrote \(output)")
    }

    /// One child run, its failure kept as the outcome.
    func measure(_ kind: String, _ options: [(String, String)], countKey: String = "requests") -> RunOutcome {
        do {
            return .success(try Measurement(try ChildProcess.run(kind, options), countKey: countKey))
        } catch let e as BenchError {
            return .failure(e)
        } catch {
            return .failure(BenchError("\(error)"))
        }
    }

    func log(_ line: String) {
        FileHandle.standardError.write(Data("swapsim-bench: \(line)\n".utf8))
    }
}
