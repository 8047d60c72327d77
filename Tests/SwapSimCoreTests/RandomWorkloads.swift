import SwapSimCore

/// Random multi-model scenarios and traces on a small cluster (one node of four 40 GiB GPUs)
/// where hot-swap must swap and scale-to-zero must cold start: six models whose footprints add up
/// to several GPUs, including tensor-parallel ones (2 and 4 GPUs), one with a small KV cache
/// that long requests overflow (so some are rejected), and random strategy parameters.
enum RandomWorkloads {
    static func scenarioAndTrace(seed: UInt64, requests count: Int = 300) -> (scenario: Scenario, trace: [TraceRequest]) {
        var rng = RandomStream(seed: seed, stream: "workload")
        func int64(_ r: ClosedRange<Int64>) -> Int64 { r.lowerBound + Int64(rng.nextInt(below: UInt64(r.upperBound - r.lowerBound + 1))) }
        let models = [
            TestScenarios.model("small-a", parameters: int64(3_000_000_000...6_000_000_000), kvCache: .gibibytes(2)),
            TestScenarios.model("small-b", parameters: int64(3_000_000_000...8_000_000_000), maxBatch: 8),
            TestScenarios.model("mid", parameters: int64(10_000_000_000...14_000_000_000), kvCache: .gibibytes(4)),
            TestScenarios.model("big-tp2", parameters: int64(25_000_000_000...35_000_000_000), tensorParallel: 2, kvCache: .gibibytes(8)),
            TestScenarios.model("huge-tp4", parameters: int64(50_000_000_000...60_000_000_000), tensorParallel: 4, kvCache: .gibibytes(8)),
            TestScenarios.model("short-kv", parameters: int64(1_000_000_000...2_000_000_000), kvCache: .mebibytes(256), maxBatch: 4),
        ]
        let largest = models.map(\.architecture.weightBytes).max()!
        var total = ByteCount.zero
        for m in models { total += m.architecture.weightBytes }
        // Swap space between the largest model and all of them: sometimes too small to hold every
        // evicted model, so some swap-ins become loads from storage.
        let swapSpace = largest + ByteCount(bytes: int64(0...(total - largest).bytes))
        let policies = EvictionPolicy.allCases
        var scenario = TestScenarios.scenario(
            gpusPerNode: 4, models: models, hostMemory: .gibibytes(1024), swapSpace: swapSpace,
            dmaBandwidth: .gigabytesPerSecond(Double(rng.uniformInt(20...60))),
            storageReadBandwidth: .gigabytesPerSecond(Double(rng.uniformInt(2...10))),
            scaleToZero: ScaleToZeroConfig(
                keepAlive: .seconds(Int64(rng.uniformInt(2...20))), containerStart: .seconds(2), runtimeInit: .seconds(1),
                warmup: .milliseconds(Int64(rng.uniformInt(0...2000))),
                targetConcurrency: rng.nextUnit() < 0.5 ? nil : rng.uniformInt(1...4), maxReplicas: rng.uniformInt(1...2),
                evictIdleWhenFull: seed % 2 == 0),
            hotSwap: HotSwapConfig(
                idleTimeout: rng.nextUnit() < 0.3 ? nil : .seconds(Int64(rng.uniformInt(3...30))),
                eviction: policies[rng.uniformInt(0...policies.count - 1)],
                swapOverhead: .milliseconds(Int64(rng.uniformInt(0...500))),
                keepHostCopy: rng.nextUnit() < 0.4))
        // Tiers for a mixed pool: the two smallest models may be pinned; any may swap or scale to zero.
        for i in scenario.models.indices {
            let draw = rng.uniformInt(0...2)
            scenario.models[i].tier = draw == 0 && (i == 0 || i == 5) ? .pinned : draw == 2 ? .scaleToZero : .hotSwap
        }
        // Skewed popularity, bursts and lulls.
        let weights = [30, 25, 15, 12, 8, 10]
        let meanGap = Double(rng.uniformInt(100...3000)) * 1e6  // ns
        var t: Int64 = 0
        var trace: [TraceRequest] = []
        for _ in 0..<count {
            let lull = rng.nextUnit() < 0.05 ? 30.0 : 1.0
            t += Int64(rng.exponential(mean: meanGap * lull).rounded())
            var pick = rng.uniformInt(0...99)
            var model = 0
            while pick >= weights[model] { pick -= weights[model]; model += 1 }
            let input = Int32(rng.uniformInt(1...3000))
            let output = rng.nextUnit() < 0.3 ? Int32(1) : Int32(rng.uniformInt(1...300))
            trace.append(TraceRequest(arrival: SimInstant(nanoseconds: t), model: model, inputTokens: input, outputTokens: output))
        }
        return (scenario, trace)
    }

    /// Always-warm needs a replica of every model resident: three such nodes hold them. A mixed
    /// pool's permanent residents (pinned models, hot-swap servers' contexts) leave the largest
    /// scale-to-zero models room on two.
    static func forStrategy(_ kind: StrategyKind, _ scenario: Scenario) -> Scenario {
        var s = scenario
        if kind == .alwaysWarm { s.cluster.nodes = 3 }
        if kind == .hybrid { s.cluster.nodes = 2 }
        return s
    }
}
