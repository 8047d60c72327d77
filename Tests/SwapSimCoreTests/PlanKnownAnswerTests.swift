import Testing

@testable import SwapSimCore

/// The planner on constructed scenarios whose answers are known by hand.
@Suite struct PlanKnownAnswerTests {
    /// A model whose replica holds exactly `footprint` GiB of a TestGPU: weights of
    /// `footprint − 2` GiB, 1 GiB of KV cache and the 1 GiB runtime reservation.
    func model(_ name: String, footprintGiB: Int64) -> ModelDeployment {
        let weights = ByteCount.gibibytes(footprintGiB - 2)
        return TestScenarios.model(name, parameters: weights.bytes / 2, kvCache: .gibibytes(1))
    }

    func plan(_ scenario: Scenario, _ requests: [TraceRequest], strategy: StrategyKind, maxGPUs: Int = 16) throws -> PlanResult {
        let space = PlanSpace(
            strategies: [strategy], gpuTypes: [.init(spec: scenario.cluster.gpu, pricePerHour: scenario.costs.gpuHour)],
            maxGPUs: maxGPUs, swapSpaces: [scenario.cluster.swapSpace], keepAlives: [scenario.scaleToZero.keepAlive],
            idleTimeouts: [scenario.hotSwap.idleTimeout], evictions: [scenario.hotSwap.eviction])
        return try PlanSearch.run(
            base: scenario, space: space, seeds: [1], trace: "constructed", requests: requests.count,
            evaluate: PlanSearch.serialEvaluator(base: scenario, requests: [1: requests]))
    }

    /// Seven 20 GiB replicas on 40 GiB GPUs: two fit per GPU exactly, so bin packing needs
    /// ⌈7 × 20 / 40⌉ = 4 GPUs, the memory bound. At light load (one short request per model,
    /// seconds apart) every resident model meets any reasonable TTFT, so the answer is 4.
    @Test func alwaysWarmNeedsTheMemoryBoundAtLightLoad() throws {
        let models = (0..<7).map { model("m\($0)", footprintGiB: 20) }
        let scenario = TestScenarios.scenario(gpusPerNode: 8, models: models, slo: SLOConfig(ttft: .seconds(1), attainment: 1))
        let requests = (0..<14).map { i in
            TraceRequest(arrival: SimInstant(nanoseconds: Int64(i) * 5_000_000_000), model: i % 7, inputTokens: 100, outputTokens: 10)
        }
        let totalResident = models.reduce(ByteCount.zero) { $0 + scenario.perGPUFootprint($1) }
        let bound = Int((totalResident.bytes + scenario.cluster.gpu.memory.bytes - 1) / scenario.cluster.gpu.memory.bytes)
        #expect(bound == 4)
        let result = try plan(scenario, requests, strategy: .alwaysWarm)
        let cheapest = try #require(result.strategies[0].cheapest)
        #expect(result.configurations[cheapest].configuration.gpus == bound)
        #expect(result.chains[0].minimumGPUs == bound)
        // One fewer cannot hold every replica.
        #expect(result.strategies[0].oneFewer?.contains("needs 4") == true, "\(result.strategies[0].oneFewer ?? "")")
    }

    /// Six models of 38 GiB (one per 40 GiB GPU) behind a link so fast that swaps cost
    /// nothing. Long requests come in waves: at most three models have a request in flight at
    /// once (the peak concurrent working set). With free swaps hot-swap needs exactly three
    /// GPUs: with two, the third model of the peak wave waits for a whole request to finish.
    ///
    /// Hot-swap binds each model's server to a GPU at the start (equal models round-robin:
    /// model m on GPU m mod pool), so each wave is of models consecutive mod 6, which sit on
    /// distinct GPUs of a pool of three or more: the working set, not the binding, decides.
    @Test func hotSwapWithFreeSwapsNeedsThePeakWorkingSet() throws {
        var gpu = TestScenarios.gpu
        gpu.link = HostLink(
            hostToDevice: .terabytesPerSecond(1000), deviceToHost: .terabytesPerSecond(1000),
            pageableHostToDevice: .terabytesPerSecond(1000), latency: .zero, duplex: .full)
        let models = (0..<6).map { model("m\($0)", footprintGiB: 38) }
        let scenario = TestScenarios.scenario(
            gpusPerNode: 8, gpu: gpu, models: models, dmaBandwidth: .terabytesPerSecond(1000),
            hotSwap: HotSwapConfig(idleTimeout: nil, swapOverhead: .zero, keepHostCopy: true),
            slo: SLOConfig(ttft: .milliseconds(500), attainment: 1))
        // Waves 60 s apart; each request decodes 400 tokens (about 20 ms an iteration: seconds).
        let waves: [[Int]] = [[0, 1], [2, 3, 4], [5, 0, 1], [1, 2, 3], [4], [3, 4, 5]]
        var requests: [TraceRequest] = []
        for (w, wave) in waves.enumerated() {
            for (k, m) in wave.enumerated() {
                let t = Int64(w) * 60_000_000_000 + Int64(k) * 1_000_000
                requests.append(TraceRequest(arrival: SimInstant(nanoseconds: t), model: m, inputTokens: 64, outputTokens: 400))
            }
        }
        let peak = waves.map(\.count).max()!
        #expect(peak == 3)
        let result = try plan(scenario, requests, strategy: .hotSwap)
        let cheapest = try #require(result.strategies[0].cheapest, "\(result.strategies[0].closestReason ?? "")")
        #expect(result.configurations[cheapest].configuration.gpus == peak)
        let two = try #require(result.configurations.first { $0.configuration.gpus == peak - 1 })
        #expect(!two.meetsSLO)
    }
}
