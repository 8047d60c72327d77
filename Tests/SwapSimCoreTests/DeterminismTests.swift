import SwapSimCore
import Testing

/// The same inputs give the same result, field for field (lifecycle included), whether run
/// again on one thread or on several at once.
@Suite struct DeterminismTests {
    @Test(arguments: StrategyKind.allCases)
    func sameInputsGiveEqualResults(strategy: StrategyKind) async throws {
        for seed in UInt64(100)..<104 {
            let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed, requests: 200)
            let scenario = RandomWorkloads.forStrategy(strategy, base)
            let first = try simulate(scenario: scenario, strategy: strategy, requests: ArrayRequestSource(trace))
            let second = try simulate(scenario: scenario, strategy: strategy, requests: ArrayRequestSource(trace))
            #expect(first == second, "seed \(seed), \(strategy.rawValue): two runs differ")
            #expect(first.lifecycle == second.lifecycle)
            #expect(first.ttft == second.ttft && first.tpot == second.tpot && first.e2e == second.e2e)
            #expect(first.bytesHostToGPU == second.bytesHostToGPU && first.events == second.events)

            let concurrent = try await withThrowingTaskGroup(of: StrategyResult.self) { group in
                for _ in 0..<3 {
                    group.addTask { try simulate(scenario: scenario, strategy: strategy, requests: ArrayRequestSource(trace)) }
                }
                var all: [StrategyResult] = []
                for try await r in group { all.append(r) }
                return all
            }
            for r in concurrent { #expect(r == first, "seed \(seed), \(strategy.rawValue): a concurrent run differs") }
        }
    }
}
