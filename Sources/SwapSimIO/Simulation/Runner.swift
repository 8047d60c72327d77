import Dispatch
import Synchronization
import SwapSimCore

/// Runs strategies over a trace file, one simulation per strategy, in parallel.
public enum Runner {
    /// Simulates each strategy over the trace at `tracePath`, read as `input` says, each
    /// strategy with its own streamed reader, on up to `threads` threads. Results come back in
    /// the order of `strategies`, identical for any thread count, with what reading the trace
    /// did (from the first strategy's reader: every reader reads the same).
    ///
    /// With `recordRequests`, each result keeps every request's outcome (for `--store-requests`).
    ///
    /// A strategy that cannot run on the scenario (always-warm's replicas do not fit, say) comes
    /// back as a failure beside the others' results.
    /// - Throws: any other error (a bad trace row), that of the first strategy in order that hit one.
    public static func run(
        scenario: Scenario, tracePath: String, input: TraceInputOptions = TraceInputOptions(),
        strategies: [StrategyKind], threads: Int = 2, recordRequests: Bool = false
    ) throws -> (outcomes: [Result<StrategyResult, ScenarioError>], trace: TraceInputReport) {
        let names = scenario.models.map(\.name)
        // Open once up front so a missing file, a bad header or an empty trace fails before any work starts.
        guard try TraceInput(path: tracePath, options: input, models: names).next() != nil else {
            throw TraceError.noRequests(file: tracePath)
        }
        let box = ResultsBox(count: strategies.count)
        let work: @Sendable (Int) -> Void = { i in
            do {
                let reader = try TraceInput(path: tracePath, options: input, models: names)
                let result = try simulate(scenario: scenario, strategy: strategies[i], requests: reader, recordRequests: recordRequests)
                box.set(i, .success((result, reader.report)))
            } catch {
                box.set(i, .failure(error))
            }
        }
        if threads <= 1 {
            for i in strategies.indices { work(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: strategies.count, execute: work)
        }
        var report: TraceInputReport? = nil
        let outcomes = try box.results.map { r throws -> Result<StrategyResult, ScenarioError> in
            switch r! {
            case let .success((v, rep)):
                if report == nil { report = rep }
                return .success(v)
            case let .failure(e as ScenarioError): return .failure(e)
            case let .failure(e): throw e
            }
        }
        if report == nil {
            // Every strategy was infeasible: read the trace once for its report.
            let reader = try TraceInput(path: tracePath, options: input, models: names)
            while try reader.nextRequest() != nil {}
            report = reader.report
        }
        return (outcomes, report!)
    }
}

/// Collects results from concurrent simulations, each writing its own slot.
final class ResultsBox: Sendable {
    typealias Outcome = Result<(StrategyResult, TraceInputReport), any Error>
    private let slots: Mutex<[Outcome?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Outcome) { slots.withLock { $0[i] = r } }
    var results: [Outcome?] { slots.withLock { $0 } }
}
