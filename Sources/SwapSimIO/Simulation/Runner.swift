import Dispatch
import Synchronization
import SwapSimCore

/// Runs strategies over a trace file, one simulation per strategy, in parallel.
public enum Runner {
    /// Simulates each strategy over the native CSV trace at `tracePath`, each with its own
    /// streamed reader, on up to `threads` threads. Results come back in the order of `strategies`,
    /// identical for any thread count.
    /// - Throws: the error of the first strategy (in `strategies` order) that failed.
    public static func run(
        scenario: Scenario, tracePath: String, strategies: [StrategyKind], threads: Int = 2
    ) throws -> [StrategyResult] {
        let names = scenario.models.map(\.name)
        // Open once up front so a missing file or bad header fails before any work starts.
        _ = try NativeCSVTraceReader(path: tracePath, models: names)
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
        return try box.results.map { try $0!.get() }
    }
}

/// Collects results from concurrent simulations, each writing its own slot.
final class ResultsBox: Sendable {
    private let slots: Mutex<[Result<StrategyResult, any Error>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ r: Result<StrategyResult, any Error>) { slots.withLock { $0[i] = r } }
    var results: [Result<StrategyResult, any Error>?] { slots.withLock { $0 } }
}
