import SwapSimCore
import Testing

/// Hot-swap transfer times worked out by hand: latency + swap overhead + ⌈B / W⌉ for a swap-in
/// alone on its link, and C/4 each for four GPUs waking at once under a node DMA cap C < 4W.
@Suite struct SwapTimingTests {
    /// 20 GB/s pinned H2D on every GPU (TestScenarios.gpu).
    static let linkBytesPerSecond: Int64 = 20_000_000_000
    static let latencyNs: Int64 = 10_000
    static let swapOverheadNs: Int64 = 300_000_000

    static func ceilNs(bytes: Int64, bytesPerSecond: Int64) -> Int64 {
        Int64((Int128(bytes) * 1_000_000_000 + Int128(bytesPerSecond) - 1) / Int128(bytesPerSecond))
    }

    /// One GPU that holds one of two 20 GB models at a time. Model 0 starts resident; a request for
    /// model 1 evicts it and swaps model 1 in alone over the idle 20 GB/s link (the DMA cap is
    /// 100 GB/s). Model 1 has 20,000,000,002 bytes of weights, so the copy takes 1,000,000,000.1 ns,
    /// rounded up to 1,000,000,001. With a kept host copy the eviction is a free and the swap-in
    /// starts at the arrival; without one it starts when model 0's copy-out (0.8 s at 25 GB/s D2H)
    /// has freed the memory. Either way, from its start to readiness it takes latency + overhead +
    /// ⌈B/W⌉ exactly.
    @Test(arguments: [true, false])
    func swapInAloneTakesLatencyPlusOverheadPlusBytesOverBandwidth(keepHostCopy: Bool) throws {
        let a = TestScenarios.model("a", parameters: 10_000_000_000)
        let b = TestScenarios.model("b", parameters: 10_000_000_001)
        let scenario = TestScenarios.scenario(
            models: [a, b],
            hotSwap: HotSwapConfig(idleTimeout: nil, swapOverhead: .nanoseconds(Self.swapOverheadNs), keepHostCopy: keepHostCopy))
        let bBytes = b.architecture.weightBytes.bytes
        #expect(bBytes == 20_000_000_002)
        let arrival = SimInstant(nanoseconds: 1_000_000_000)
        let request = TraceRequest(arrival: arrival, model: 1, inputTokens: 128, outputTokens: 2)
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource([request]))

        let swapIns = result.lifecycle.filter { $0.kind == .swapIn }
        try #require(swapIns.count == 1)
        #expect(swapIns[0].model == 1)
        #expect(swapIns[0].bytes.bytes == bBytes)
        let copyOut = keepHostCopy ? 0 : Self.latencyNs + Self.ceilNs(bytes: a.architecture.weightBytes.bytes, bytesPerSecond: 25_000_000_000)
        #expect(copyOut == 0 || copyOut == 800_010_000)
        #expect(swapIns[0].time == arrival + .nanoseconds(copyOut))

        let swapDuration = Self.latencyNs + Self.swapOverheadNs + Self.ceilNs(bytes: bBytes, bytesPerSecond: Self.linkBytesPerSecond)
        #expect(swapDuration == 10_000 + 300_000_000 + 1_000_000_001)
        let ready = swapIns[0].time.nanoseconds + swapDuration
        // Readiness seen by the request: its swap wait, and its TTFT less the prefill iteration.
        #expect(TestScenarios.ns(result.breakdown.swapWait) == ready - arrival.nanoseconds)
        let prefillPs = TestScenarios.cost(of: b, in: scenario).iterationPs(tokens: 128, contextTokens: 128)
        let prefillNs = (prefillPs + 999) / 1000
        #expect(TestScenarios.ns(result.ttft.max) == ready + prefillNs - arrival.nanoseconds)
        #expect(result.requestsPayingSwapIn == 1)
    }

    /// Four GPUs of one node, each bound to two 20 GB models of which only one fits; requests for
    /// the four non-resident ones arrive together. Each GPU's link is W = 20 GB/s but the node's
    /// DMA cap is C = 40 GB/s < 4W, so each copy runs at C/4 = 10 GB/s and takes 2 s (1 s alone),
    /// and all four requests see the same TTFT.
    @Test func fourGPUsWakingTogetherShareTheNodeDMACap() throws {
        let models = (0..<8).map { TestScenarios.model("m\($0)", parameters: 10_000_000_000) }
        let scenario = TestScenarios.scenario(
            gpusPerNode: 4, models: models, dmaBandwidth: .gigabytesPerSecond(40),
            hotSwap: HotSwapConfig(idleTimeout: nil, swapOverhead: .nanoseconds(Self.swapOverheadNs), keepHostCopy: true))
        let bytes = models[0].architecture.weightBytes.bytes
        let arrival = SimInstant(nanoseconds: 500_000_000)
        let trace = (4..<8).map { TraceRequest(arrival: arrival, model: $0, inputTokens: 64, outputTokens: 3) }
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))

        let swapIns = result.lifecycle.filter { $0.kind == .swapIn }
        #expect(swapIns.map(\.model) == [4, 5, 6, 7])
        #expect(swapIns.map(\.gpus) == [0..<1, 1..<2, 2..<3, 3..<4])
        #expect(swapIns.allSatisfy { $0.time == arrival })

        let shared = Self.ceilNs(bytes: bytes, bytesPerSecond: 40_000_000_000 / 4)
        #expect(shared == 2_000_000_000)
        #expect(Self.ceilNs(bytes: bytes, bytesPerSecond: Self.linkBytesPerSecond) == 1_000_000_000)
        let wait = Self.latencyNs + Self.swapOverheadNs + shared
        #expect(TestScenarios.ns(result.breakdown.swapWait) == wait)
        // Identical TTFTs: the mean equals the maximum only if all four are equal.
        #expect(result.ttft.count == 4)
        #expect(result.ttft.mean == result.ttft.max)
        #expect(result.ttft.p50 == result.ttft.max)
        let prefillPs = TestScenarios.cost(of: models[4], in: scenario).iterationPs(tokens: 64, contextTokens: 64)
        #expect(TestScenarios.ns(result.ttft.max) == wait + (prefillPs + 999) / 1000)
        #expect(result.bytesHostToGPU == 4 * bytes)
    }
}
