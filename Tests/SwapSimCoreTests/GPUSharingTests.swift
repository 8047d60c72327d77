import SwapSimCore
import Testing

/// Replicas that share a GPU time-slice it: k busy replicas each run at 1/k of their speed alone.
@Suite struct GPUSharingTests {
    /// Two 2B-parameter models that both fit on one GPU, always-warm.
    static func twoModelsOnOneGPU() -> Scenario {
        TestScenarios.scenario(models: [
            TestScenarios.model("a", parameters: 2_000_000_000),
            TestScenarios.model("b", parameters: 2_000_000_000),
        ])
    }

    static func e2e(_ requests: [TraceRequest], _ scenario: Scenario) throws -> StrategyResult {
        try simulate(scenario: scenario, strategy: .alwaysWarm, requests: ArrayRequestSource(requests))
    }

    @Test func aReplicaAloneRunsAtFullSpeed() throws {
        let s = Self.twoModelsOnOneGPU()
        let alone = try Self.e2e([TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 200)], s)
        // The closed form for one request: one prefill iteration, then 199 decodes.
        let cost = TestScenarios.cost(of: s.models[0], in: s)
        let expectedPs = Int128(cost.iterationPs(tokens: 100, contextTokens: 100))
            + cost.decodePs(batch: 1, context: 101, count: 199)
        #expect(Int128(alone.e2e.max * 1e9 + 0.5) == (expectedPs + 999) / 1000)
    }

    @Test func twoBusyReplicasOnOneGPUEachTakeTwiceAsLong() throws {
        let s = Self.twoModelsOnOneGPU()
        let one = TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 200)
        let alone = try Self.e2e([one], s)
        var other = one
        other.model = 1
        let shared = try Self.e2e([one, other], s)
        // Identical work started together: both are slowed 2× for their whole life, and finish
        // together, at twice the time alone (to within the picosecond re-anchoring).
        #expect(shared.e2e.max == shared.e2e.p50)
        #expect(abs(shared.e2e.max - 2 * alone.e2e.max) < 1e-6)
        #expect(abs(shared.ttft.max - 2 * alone.ttft.max) < 1e-6)
    }

    @Test func aReplicaSpeedsUpWhenItsNeighbourFinishes() throws {
        let s = Self.twoModelsOnOneGPU()
        let long = TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 400)
        let short = TraceRequest(arrival: .zero, model: 1, inputTokens: 100, outputTokens: 100)
        let longAlone = try Self.e2e([long], s).e2e.max
        let shortAlone = try Self.e2e([short], s).e2e.max
        let both = try Self.e2e([long, short], s)
        // The short one runs at half speed throughout; the long one is slowed only while the
        // short one runs: it loses exactly the short one's time alone.
        #expect(abs(both.e2e.p50 - 2 * shortAlone) < 1e-6)
        #expect(abs(both.e2e.max - (longAlone + shortAlone)) < 1e-6)
    }

    @Test func replicasOnDifferentGPUsDoNotSlowEachOther() throws {
        var s = Self.twoModelsOnOneGPU()
        // Make each model too large to share: one per GPU on a two-GPU node.
        s.models = [
            TestScenarios.model("a", parameters: 10_000_000_000),
            TestScenarios.model("b", parameters: 10_000_000_000),
        ]
        s.cluster.gpusPerNode = 2
        let a = TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 200)
        var b = a
        b.model = 1
        let alone = try Self.e2e([a], s)
        let both = try Self.e2e([a, b], s)
        #expect(both.e2e.max == alone.e2e.max)
    }
}
