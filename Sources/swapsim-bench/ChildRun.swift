import Foundation
import SwapSimCore
import SwapSimIO

/// The measured side of the harness: one run in its own process (`swapsim-bench --child KIND
/// OPTIONS`), so its peak resident memory is its own. It prints `key=value` lines on standard
/// output for the parent (``ChildProcess``) and exits 0, or prints the error on standard error
/// and exits 1.
///
/// Only the work is timed, on the monotonic clock: process start, loading the scenario and
/// printing are not.
enum ChildRun {
    static func main(_ arguments: [String]) -> Int32 {
        do {
            guard let kind = arguments.first else { throw BenchError("--child: give a kind (simulate, read-rows, read-requests, plan)") }
            let options = try ChildOptions(Array(arguments.dropFirst()))
            let figures: [(String, String)]
            switch kind {
            case "simulate": figures = try simulate(options)
            case "read-rows": figures = try readRows(options)
            case "read-requests": figures = try readRequests(options)
            case "plan": figures = try plan(options)
            default: throw BenchError("--child: unknown kind '\(kind)'")
            }
            let rss = ProcessMeter.peakResidentBytes()
            print((figures + [("peak_rss_bytes", String(rss))]).map { "\($0.0)=\($0.1)" }.joined(separator: "\n"))
            return 0
        } catch {
            FileHandle.standardError.write(Data("swapsim-bench child: \(error)\n".utf8))
            return 1
        }
    }

    /// One strategy over the trace, streamed: reading (on its own thread) and simulating are
    /// timed together, in wall time and in CPU time over both threads.
    static func simulate(_ o: ChildOptions) throws -> [(String, String)] {
        var scenario = try ScenarioLoader.load(path: try o.require("scenario"))
        if let n = o.optional("models") {
            // The scenario's first n models (the model series of the scaling workload).
            guard let k = Int(n), (1...scenario.models.count).contains(k) else {
                throw BenchError("--models: expected 1 to \(scenario.models.count), got '\(n)'")
            }
            scenario.models = Array(scenario.models.prefix(k))
        }
        let trace = try o.require("trace")
        guard let strategy = StrategyKind(rawValue: try o.require("strategy")) else { throw BenchError("--strategy: unknown strategy") }
        let start = ProcessMeter.monotonicNanoseconds()
        let cpuStart = ProcessMeter.cpuNanoseconds()
        // As `simulate` and `compare` read it: parsed on a second thread (ReadAheadSource).
        let reader = try TraceInput(path: trace, options: TraceInputOptions(), models: scenario.models.map(\.name))
        let result = try SwapSimCore.simulate(scenario: scenario, strategy: strategy, requests: ReadAheadSource(reader))
        let wall = ProcessMeter.monotonicNanoseconds() - start
        let cpu = ProcessMeter.cpuNanoseconds() - cpuStart
        return [("wall_ns", String(wall)), ("cpu_ns", String(cpu)), ("requests", String(result.requests)), ("events", String(result.events)),
                ("completed", String(result.completed)), ("swap_ins", String(result.swapIns)),
                ("requests_paying_swap_in", String(result.requestsPayingSwapIn))]
    }

    /// The native CSV row reader alone: split and parse every row, nothing else.
    static func readRows(_ o: ChildOptions) throws -> [(String, String)] {
        let trace = try o.require("trace")
        let start = ProcessMeter.monotonicNanoseconds()
        let reader = try MappedCSVReader(path: trace, mapping: .native, absoluteArrivals: false)
        var rows = 0
        var checksum: Int64 = 0
        while let r = try reader.nextRow() {
            rows += 1
            checksum &+= r.arrival &+ Int64(r.inputTokens) &+ Int64(r.outputTokens)
        }
        let wall = ProcessMeter.monotonicNanoseconds() - start
        return [("wall_ns", String(wall)), ("rows", String(rows)), ("checksum", String(checksum))]
    }

    /// The full trace input (format detection, order check, model resolution) as the simulator reads it.
    static func readRequests(_ o: ChildOptions) throws -> [(String, String)] {
        let scenario = try ScenarioLoader.load(path: try o.require("scenario"))
        let trace = try o.require("trace")
        let start = ProcessMeter.monotonicNanoseconds()
        let reader = try TraceInput(path: trace, options: TraceInputOptions(), models: scenario.models.map(\.name))
        var rows = 0
        while try reader.nextRequest() != nil { rows += 1 }
        let wall = ProcessMeter.monotonicNanoseconds() - start
        return [("wall_ns", String(wall)), ("rows", String(rows))]
    }

    /// W3: a plan through the planner's library API, on `threads` threads; reading the trace into
    /// memory is timed with it.
    static func plan(_ o: ChildOptions) throws -> [(String, String)] {
        let scenarioPath = try o.require("scenario")
        let trace = try o.require("trace")
        guard let threads = Int(try o.require("threads")), threads >= 1 else { throw BenchError("--threads: expected a positive number") }
        let (scenario, _, text) = try ScenarioLoader.loadForPlanning(path: scenarioPath)
        let space = try PlanBenchmark.section.resolve(scenario: scenario)
        let inputs = Planner.Inputs(
            scenario: scenario, scenarioHash: SHA256.hex(text), tracePath: trace, traceDisplay: trace, traceInput: TraceInputOptions())
        let start = ProcessMeter.monotonicNanoseconds()
        let result = try Planner.run(inputs, space: space, threads: threads)
        let wall = ProcessMeter.monotonicNanoseconds() - start
        let cheapest = result.strategies.map { p in
            "\(p.strategy.rawValue):\(p.cheapest.map { "\(result.configurations[$0].configuration.gpus)-gpus" } ?? "none")"
        }.joined(separator: ",")
        return [("wall_ns", String(wall)), ("requests", String(result.requests)), ("configurations", String(result.configurations.count)),
                ("evaluations", String(result.statistics.evaluations)), ("chains", String(result.chains.count)),
                ("rounds", String(result.statistics.rounds)), ("cheapest", cheapest)]
    }
}

/// `--key value` pairs of a child run.
struct ChildOptions {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            guard a.hasPrefix("--"), i + 1 < arguments.count else { throw BenchError("child option '\(a)': expected --key value") }
            values[String(a.dropFirst(2))] = arguments[i + 1]
            i += 2
        }
    }

    func optional(_ key: String) -> String? { values[key] }

    func require(_ key: String) throws -> String {
        guard let v = values[key] else { throw BenchError("child: missing --\(key)") }
        return v
    }
}

/// A harness failure, with its message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
