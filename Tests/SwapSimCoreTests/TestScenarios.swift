import SwapSimCore

/// Scenario values built in code for the core tests, with round figures so that expected
/// results can be worked out by hand.
enum TestScenarios {
    /// A made-up GPU with round figures: 40 GiB, 2 TB/s HBM, 500 TFLOP/s bf16, a 20 GB/s H2D and
    /// 25 GB/s D2H pinned link (10 GB/s pageable) with 10 µs per-transfer latency.
    static let gpu = GPUSpec(
        name: "TestGPU", memory: .gibibytes(40), memoryBandwidth: .terabytesPerSecond(2),
        bf16: .teraflops(500),
        link: HostLink(
            hostToDevice: .gigabytesPerSecond(20), deviceToHost: .gigabytesPerSecond(25),
            pageableHostToDevice: .gigabytesPerSecond(10), latency: .microseconds(10), duplex: .full),
        pricePerHour: Dollars(2))

    /// A dense model of `parameters` bf16 weights with a Llama-8B-like KV layout
    /// (32 layers × 8 KV heads × 128 dims × 2 bytes × K and V = 128 KiB per token).
    static func architecture(_ name: String, parameters: Int64) -> ModelArchitecture {
        ModelArchitecture(name: name, parameters: parameters, layers: 32, kvHeads: 8, headDimension: 128)
    }

    static func model(
        _ name: String, parameters: Int64, tensorParallel: Int = 1, kvCache: ByteCount = .gibibytes(1),
        maxBatch: Int = 16
    ) -> ModelDeployment {
        ModelDeployment(
            name: name, architecture: architecture(name, parameters: parameters), tensorParallel: tensorParallel,
            kvCache: kvCache, maxBatch: maxBatch)
    }

    static let serving: ServingConfig = {
        var s = ServingConfig(
            iterationOverhead: .microseconds(100), computeEfficiency: 0.5, memoryEfficiency: 0.8,
            runtimeReservation: .gibibytes(1))
        s.stack = stack
        return s
    }()

    /// vLLM 0.11's stack without the first request's lazy initialisation, so that hand-worked
    /// TTFTs need not add it (StartupStageTests times it with the real stack).
    static let stack: ServingStack = {
        var s = StackCatalog.defaultStack
        s.name = "test-stack"
        s.firstRequest = 0
        s.firstRequestMultimodal = 0
        return s
    }()

    /// Each GPU on a root port of its own, and swap space pinned in well under a millisecond,
    /// so hand-worked swap times need not add the pinning (StartupStageTests times it).
    static let platform = Platform(
        name: "test", gpusPerSwitch: 1, uplinkH2D: gpu.link.hostToDevice, uplinkD2H: gpu.link.deviceToHost, uplinkBidirectional: nil,
        sockets: 1, socketMemoryBandwidth: .terabytesPerSecond(10), pinRate: .terabytesPerSecond(10_000))

    static func scenario(
        name: String = "test",
        nodes: Int = 1,
        gpusPerNode: Int = 1,
        gpu: GPUSpec = TestScenarios.gpu,
        models: [ModelDeployment],
        hostMemory: ByteCount = .gibibytes(1024),
        swapSpace: ByteCount = .gibibytes(512),
        dmaBandwidth: Bandwidth = .gigabytesPerSecond(100),
        storageReadBandwidth: Bandwidth = .gigabytesPerSecond(5),
        serving: ServingConfig = TestScenarios.serving,
        alwaysWarm: AlwaysWarmConfig = AlwaysWarmConfig(replicas: 1),
        scaleToZero: ScaleToZeroConfig = ScaleToZeroConfig(
            keepAlive: .seconds(60), containerStart: .seconds(2), runtimeInit: .seconds(1), warmup: .seconds(1)),
        hotSwap: HotSwapConfig = HotSwapConfig(idleTimeout: nil, swapOverhead: .milliseconds(300)),
        slo: SLOConfig = SLOConfig(ttft: .seconds(5))
    ) -> Scenario {
        var s = Scenario(
            name: name,
            cluster: ClusterSpec(
                nodes: nodes, gpusPerNode: gpusPerNode, gpu: gpu, hostMemory: hostMemory, swapSpace: swapSpace,
                dmaBandwidth: dmaBandwidth, storageReadBandwidth: storageReadBandwidth, platform: platform),
            models: models, serving: serving, costs: CostConfig(gpuHour: Dollars(2)), slo: slo)
        s.alwaysWarm = alwaysWarm
        s.scaleToZero = scaleToZero
        s.hotSwap = hotSwap
        return s
    }

    /// The iteration cost the simulator uses for `model` on `scenario`'s GPUs.
    static func cost(of model: ModelDeployment, in scenario: Scenario) -> IterationCost {
        scenario.iterationCost(of: model)
    }

    /// Poisson arrivals: `count` requests with exponential gaps of mean `meanGap`, drawn from the
    /// "arrivals" stream of `seed`, rounded to the nanosecond.
    static func poissonArrivals(count: Int, meanGap: SimDuration, seed: UInt64) -> [SimInstant] {
        var rng = RandomStream(seed: seed, stream: "arrivals")
        var t: Int64 = 0
        var out: [SimInstant] = []
        out.reserveCapacity(count)
        let mean = Double(meanGap.nanoseconds)
        for _ in 0..<count {
            t += Int64(rng.exponential(mean: mean).rounded())
            out.append(SimInstant(nanoseconds: t))
        }
        return out
    }

    /// Nanoseconds from seconds reported as a double (exact for the spans tests use).
    static func ns(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
}

extension LifecycleEvent {
    /// The reason in words, models named by index (the tests' checks read words).
    var words: String { reason.text(model: model, names: []) }
}
