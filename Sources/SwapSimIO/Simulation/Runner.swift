import Dispatch
import Synchronization
import SwapSimCore

/// Runs strategies over a trace file, one simulation per strategy, in parallel.
public enum Runner {
    /// Simulates each strategy over the native CSV trace at `tracePath`, each with its own
    /// streamed reader, on up to `threads` threads. Results come back in the order of `strategies`,
    /// identical for any thread count.
    /// A strategy that cannot run on the scenario (always-warm's replicas do not fit, say) comes
    /// back as a failure beside the others' results.
    /// - Throws: any other error (a bad trace row), that of the first strategy in order that hit one.
    public static func run(
        scenario: Scenario, tracePath: String, strategies: [StrategyKind], threads: Int = 2
    ) throws -> [Result<StrategyResult, ScenarioError>] {
        let names = scenario.models.map(\.name)
        // Open once up front so a missing file, a bad header or an empty trace fails before any work starts.
        guard try NativeCSVTraceReader(path: tracePath, models: names).next() != nil else {
            throw TraceError.noRequests(file: tracePath)
        }
        let box = ResultsBox(count: strategies.count)
        let work: @Sendable (Int) -> Void = { i in
            do {
                let reader = try NativeCSVTraceReader(path: tracePath, models: names)
                box.set(i, .success(try simulate(scenario: scenario, strategy: strategies[i], requests: reader)))
            } catch {
                box.set(i, .failure(error))
            }
        }
        if threads <= 1 {
            for i in strategies.indices { work(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: strategies.count, execute: work)
        }
        return try box.results.map { r throws -> Result<StrategyResult, ScenarioError> in
            switch r! {
            case let .success(v): return .success(v)
            case let .failure(e as ScenarioError): return .failure(e)
            case let .failure(e): throw e
            }
        }
    }
}

/// Collects results from concurrent simulations, each writing its own slot.
final class ResultsBox: Sendable {
    private let slots: Mutex<[Result<StrategyResult, any Error>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Result<StrategyResult, any Error>) { slots.withLock { $0[i] = r } }
    var results: [Result<StrategyResult, any Error>?] { slots.withLock { $0 } }
}
