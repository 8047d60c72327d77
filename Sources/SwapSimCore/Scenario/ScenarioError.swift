/// Why a scenario cannot be simulated. Each case names the key path of the offending value.
public enum ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidValue(keyPath: String, reason: String)
    case modelTooLarge(keyPath: String, model: String, needed: ByteCount, gpu: String, capacity: ByteCount)
    case tensorParallelTooWide(keyPath: String, model: String, tensorParallel: Int, gpusPerNode: Int)
    case swapSpaceTooSmall(keyPath: String, model: String, needed: ByteCount, swapSpace: ByteCount)
    case duplicateModel(keyPath: String, name: String)
    case alwaysWarmDoesNotFit(needed: Int, available: Int, gpu: String)
    /// A mixed pool's pinned models do not fit its GPUs; `model` is the first without room.
    case pinnedDoesNotFit(needed: Int, available: Int, gpu: String, model: String)
    case hotSwapGPUOvercommitted(gpu: Int, models: [String], reason: String)
    /// A mixed pool whose pinned models have GPUs of their own (`pinned_gpus: own`) leaves
    /// none to its other tiers.
    case noGPUsBesidePinned(pinnedGPUs: Int, pool: Int)
    /// A mixed pool's scale-to-zero model fits no group beside what never leaves the GPUs.
    case noRoomToScaleFromZero(model: String, needed: ByteCount, most: ByteCount)
    /// The run passed ``SimInstant/limit`` with requests unfinished: the pool cannot keep up.
    case simulatedTimeLimit(strategy: String, unfinished: Int)

    /// The key path of the offending value, for errors that have one.
    public var keyPath: String? {
        switch self {
        case let .invalidValue(k, _), let .modelTooLarge(k, _, _, _, _), let .tensorParallelTooWide(k, _, _, _),
            let .swapSpaceTooSmall(k, _, _, _), let .duplicateModel(k, _):
            return k
        case .alwaysWarmDoesNotFit, .pinnedDoesNotFit, .noGPUsBesidePinned, .hotSwapGPUOvercommitted, .simulatedTimeLimit, .noRoomToScaleFromZero:
            return nil
        }
    }

    public var description: String {
        switch self {
        case let .invalidValue(k, reason):
            return "\(k): \(reason)"
        case let .modelTooLarge(k, model, needed, gpu, capacity):
            return "\(k): model '\(model)' needs \(needed) per GPU (weights and KV cache split over its tensor-parallel GPUs, plus the runtime reservation) but a \(gpu) has \(capacity); raise tensor_parallel or shrink kv_cache"
        case let .tensorParallelTooWide(k, model, tp, per):
            return "\(k): model '\(model)' has tensor_parallel \(tp) but a node has only \(per) GPUs"
        case let .swapSpaceTooSmall(k, model, needed, swap):
            return "\(k): swap space \(swap) cannot hold model '\(model)' (\(needed) of weights); hot-swap needs swap space of at least the largest model"
        case let .duplicateModel(k, name):
            return "\(k): model name '\(name)' is used twice"
        case let .alwaysWarmDoesNotFit(needed, available, gpu):
            return "always-warm needs \(needed) \(gpu) GPUs to keep every replica resident, but the cluster has \(available)"
        case let .noRoomToScaleFromZero(model, needed, most):
            return "model '\(model)' scales to zero but needs \(needed) per GPU, and at most \(most) is ever free on a group of its GPUs beside the pinned models and the hot-swap servers' runtime reservations; pin fewer models, add GPUs or give it another tier"
        case let .pinnedDoesNotFit(needed, available, gpu, model):
            return "the pinned models need \(needed) \(gpu) GPUs to stay resident, but the pool has \(available): model '\(model)' is the first without room (pin fewer models or add GPUs)"
        case let .noGPUsBesidePinned(pinned, pool):
            return "with pinned_gpus: own the pinned models take \(pinned) of the pool's \(pool) GPUs, leaving none for the hot-swap and scale-to-zero models (add GPUs, pin fewer models or use pinned_gpus: shared)"
        case let .hotSwapGPUOvercommitted(gpu, models, reason):
            return "hot-swap: GPU \(gpu) serves \(models.joined(separator: ", ")) but \(reason)"
        case let .simulatedTimeLimit(strategy, unfinished):
            return "\(strategy): simulated time passed 200 years with \(unfinished) request(s) unfinished; the pool cannot keep up with the trace (add GPUs, or check for an extreme duration or rate in the scenario)"
        }
    }
}

extension Scenario {
    /// Checks that every model can run on the cluster at all. Strategy-specific checks
    /// (always-warm placement, hot-swap sharing) happen when that strategy starts.
    public func validate() throws(ScenarioError) {
        if !(1...4096).contains(cluster.nodes) {
            throw .invalidValue(keyPath: "cluster.nodes", reason: "must be between 1 and 4096, got \(cluster.nodes)")
        }
        if !(1...1024).contains(cluster.gpusPerNode) {
            throw .invalidValue(keyPath: "cluster.gpus_per_node", reason: "must be between 1 and 1024, got \(cluster.gpusPerNode)")
        }
        if cluster.gpuCount > ScenarioLimits.maxGPUs {
            throw .invalidValue(keyPath: "cluster.nodes", reason: "a cluster of \(cluster.nodes) nodes × \(cluster.gpusPerNode) GPUs has \(cluster.gpuCount) GPUs; at most \(ScenarioLimits.maxGPUs) are supported")
        }
        try checkFigures()
        try checkDurations()
        if models.isEmpty { throw .invalidValue(keyPath: "models", reason: "at least one model is needed") }
        if models.count > ScenarioLimits.maxModels {
            throw .invalidValue(keyPath: "models", reason: "\(models.count) models; at most \(ScenarioLimits.maxModels) are supported")
        }
        if let e = serving.computeEfficiency, !(e >= 0.01 && e <= 1) {
            throw .invalidValue(keyPath: "serving.compute_efficiency", reason: "must be between 0.01 and 1, got \(e)")
        }
        if let e = serving.memoryEfficiency, !(e >= 0.01 && e <= 1) {
            throw .invalidValue(keyPath: "serving.memory_efficiency", reason: "must be between 0.01 and 1, got \(e)")
        }
        try checkEngine()
        var largestWeights: (Int, ByteCount) = (0, .zero)
        // Names seen so far: a set, not a scan of the earlier models (quadratic: 5·10⁹ string
        // comparisons at the 100,000-model limit). Only membership is asked, so the set's
        // per-process hash seed cannot change the outcome.
        var names = Set<String>()
        names.reserveCapacity(models.count)
        for (i, m) in models.enumerated() {
            let path = "models[\(i)]"
            if !names.insert(m.name).inserted {
                throw .duplicateModel(keyPath: "\(path).name", name: m.name)
            }
            if m.tensorParallel < 1 {
                throw .invalidValue(keyPath: "\(path).tensor_parallel", reason: "must be at least 1, got \(m.tensorParallel)")
            }
            if m.tensorParallel > cluster.gpusPerNode {
                throw .tensorParallelTooWide(keyPath: "\(path).tensor_parallel", model: m.name, tensorParallel: m.tensorParallel, gpusPerNode: cluster.gpusPerNode)
            }
            if m.maxBatch < 1 || m.maxBatch > ScenarioLimits.maxBatch {
                throw .invalidValue(keyPath: "\(path).max_batch", reason: "must be between 1 and \(ScenarioLimits.maxBatch), got \(m.maxBatch)")
            }
            if let budget = serving.maxBatchedTokens, budget < m.maxBatch {
                // vLLM refuses to start: every running request must be able to decode in one step.
                throw .invalidValue(keyPath: "serving.max_num_batched_tokens", reason: "\(budget) is less than model '\(m.name)''s max_batch (max_num_seqs) of \(m.maxBatch); vLLM requires at least one token per running request")
            }
            if m.kvCapacityTokens < 1 {
                throw .invalidValue(keyPath: "\(path).kv_cache", reason: "holds no token of KV cache (\(m.architecture.kvBytesPerToken) per token)")
            }
            let need = perGPUFootprint(m)
            if need > cluster.gpu.memory {
                throw .modelTooLarge(keyPath: path, model: m.name, needed: need, gpu: cluster.gpu.name, capacity: cluster.gpu.memory)
            }
            if m.architecture.weightBytes > largestWeights.1 { largestWeights = (i, m.architecture.weightBytes) }
        }
        if cluster.swapSpace < largestWeights.1 {
            throw .swapSpaceTooSmall(keyPath: "cluster.host.swap_space", model: models[largestWeights.0].name, needed: largestWeights.1, swapSpace: cluster.swapSpace)
        }
        if cluster.swapSpace > cluster.hostMemory {
            throw .invalidValue(keyPath: "cluster.host.swap_space", reason: "swap space \(cluster.swapSpace) exceeds host memory \(cluster.hostMemory)")
        }
        try strategies.validate()
        var totalReplicas = 0
        for (i, m) in models.enumerated() {
            if let r = m.replicas, !(1...ScenarioLimits.maxReplicas).contains(r) {
                throw .invalidValue(keyPath: "models[\(i)].replicas", reason: "model '\(m.name)': must be between 1 and \(ScenarioLimits.maxReplicas), got \(r)")
            }
            totalReplicas += m.replicas ?? max(alwaysWarm.replicas, scaleToZero.maxReplicas)
            if let own = m.slo { try own.check(path: "models[\(i)].slo") }
        }
        if totalReplicas > ScenarioLimits.maxTotalReplicas {
            throw .invalidValue(keyPath: "models", reason: "\(totalReplicas) replicas in all; at most \(ScenarioLimits.maxTotalReplicas) are supported")
        }
        for d in StrategyRegistry.all {
            guard let pool = strategies[d.kind].pool else { continue }
            let k = d.kind.rawValue
            if pool < 1 || pool > cluster.gpuCount {
                throw .invalidValue(keyPath: "strategies.\(k).gpus", reason: "must be between 1 and the cluster's \(cluster.gpuCount) GPUs, got \(pool)")
            }
            if let m = models.first(where: { Placement.groups(width: $0.tensorParallel, cluster: cluster, limit: pool).isEmpty }) {
                throw .invalidValue(keyPath: "strategies.\(k).gpus", reason: "a pool of \(pool) GPUs has no group of \(m.tensorParallel) GPUs on one node for model '\(m.name)'")
            }
        }
        if costs.gpuHour.amount < 0 || !costs.gpuHour.amount.isFinite {
            throw .invalidValue(keyPath: "costs.gpu_hour_usd", reason: "must not be negative, got \(costs.gpuHour.amount)")
        }
        if costs.hostGiBHour.amount < 0 || !costs.hostGiBHour.amount.isFinite {
            throw .invalidValue(keyPath: "costs.host_gib_hour_usd", reason: "must not be negative, got \(costs.hostGiBHour.amount)")
        }
        try slo.check(path: "slo")
    }

    /// The vLLM engine settings within their ranges.
    private func checkEngine() throws(ScenarioError) {
        let u = serving.gpuMemoryUtilization
        if !(u > 0 && u <= 1) {
            throw .invalidValue(keyPath: "serving.gpu_memory_utilization", reason: "must be a share of the GPU's memory above 0 and at most 1, got \(u)")
        }
        if !(1...64).contains(serving.enginesPerGPU) {
            throw .invalidValue(keyPath: "serving.engines_per_gpu", reason: "must be between 1 and 64, got \(serving.enginesPerGPU)")
        }
        if let b = serving.maxBatchedTokens, !(1...(1 << 24)).contains(b) {
            throw .invalidValue(keyPath: "serving.max_num_batched_tokens", reason: "must be between 1 and 16777216, got \(b)")
        }
        for (key, d) in [("serving.api_latency", serving.apiLatency), ("serving.api_jitter", serving.apiJitter)] {
            if let d, d < .zero || d > .hours(1) {
                throw .invalidValue(keyPath: key, reason: "must be between 0 and 1h, got \(d.seconds) s")
            }
        }
        if let t = serving.requestTimeout, t <= .zero || t > .hours(24 * 365) {
            throw .invalidValue(keyPath: "serving.request_timeout", reason: "must be positive and at most a year, got \(t.seconds) s")
        }
    }

    /// The serving durations within their limits (strategies' durations are checked with their keys).
    private func checkDurations() throws(ScenarioError) {
        guard let d = serving.iterationOverhead else { return }
        if d < .zero { throw .invalidValue(keyPath: "serving.iteration_overhead", reason: "must not be negative, got \(d.seconds) s") }
        if d > ScenarioLimits.longestIteration {
            throw .invalidValue(keyPath: "serving.iteration_overhead", reason: "at most 4h per batch iteration is supported, got \(d.seconds) s")
        }
    }

    /// Hardware and model figures within the ranges the simulator's integer clocks can carry.
    /// The bounds are far outside any real part; they only stop a mistyped figure from
    /// overflowing a time.
    private func checkFigures() throws(ScenarioError) {
        let g = cluster.gpu
        func atLeast(_ value: Double, _ minimum: Double, _ key: String, _ unit: String) throws(ScenarioError) {
            if !(value >= minimum) || !value.isFinite {
                throw .invalidValue(keyPath: key, reason: "must be at least \(unit) (got \(value) in base units)")
            }
        }
        try atLeast(g.memoryBandwidth.bytesPerSecond, 1e9, "cluster.gpu.memory_bandwidth", "1GB/s")
        try atLeast(g.bf16.flopsPerSecond, 1e12, "cluster.gpu.bf16", "1TFLOPS")
        try atLeast(g.link.hostToDevice.bytesPerSecond, 1e6, "cluster.link.h2d", "1MB/s")
        try atLeast(g.link.deviceToHost.bytesPerSecond, 1e6, "cluster.link.d2h", "1MB/s")
        try atLeast(g.link.pageableHostToDevice.bytesPerSecond, 1e6, "cluster.link.pageable_h2d", "1MB/s")
        if let dma = cluster.dmaBandwidth { try atLeast(dma.bytesPerSecond, 1e6, "cluster.host.dma_bandwidth", "1MB/s") }
        let t = cluster.topology
        if let (g, problem) = t.uncovered(gpus: cluster.gpusPerNode) {
            throw .invalidValue(keyPath: "cluster.topology.switches", reason: "GPU \(g) \(problem); list every GPU of the node's \(cluster.gpusPerNode) once (a GPU on a root port of its own is a switch of one)")
        }
        if t.sockets < 1 || t.sockets > cluster.gpusPerNode {
            throw .invalidValue(keyPath: "cluster.topology.sockets", reason: "must be between 1 and the node's \(cluster.gpusPerNode) GPUs, got \(t.sockets)")
        }
        try atLeast(t.uplinkH2D.bytesPerSecond, 1e6, "cluster.topology.uplink.h2d", "1MB/s")
        try atLeast(t.uplinkD2H.bytesPerSecond, 1e6, "cluster.topology.uplink.d2h", "1MB/s")
        if let b = t.uplinkBidirectional { try atLeast(b.bytesPerSecond, 1e6, "cluster.topology.uplink.bidirectional", "1MB/s") }
        try atLeast(t.socketMemoryBandwidth.bytesPerSecond, 1e6, "cluster.topology.socket_memory_bandwidth", "1MB/s")
        try atLeast(t.pinRate.bytesPerSecond, 1e6, "cluster.topology.pin_rate", "1MB/s")
        if let b = g.link.bidirectional { try atLeast(b.bytesPerSecond, 1e6, "cluster.link.bidirectional", "1MB/s") }
        try atLeast(cluster.storageReadBandwidth.bytesPerSecond, 1e6, "cluster.storage.read_bandwidth", "1MB/s")
        if g.memory > .gibibytes(16 * 1024) {
            throw .invalidValue(keyPath: "cluster.gpu.memory", reason: "at most 16TiB is supported, got \(g.memory)")
        }
        if g.link.latency > .seconds(60) {
            throw .invalidValue(keyPath: "cluster.link.latency", reason: "at most 60s is supported, got \(g.link.latency.seconds) s")
        }
        if g.pricePerHour.amount < 0 {
            throw .invalidValue(keyPath: "cluster.gpu.price_per_hour_usd", reason: "must not be negative, got \(g.pricePerHour.amount)")
        }
        for (i, m) in models.enumerated() {
            for stage in StartupStage.allCases {
                guard let d = m.startup[stage] else { continue }
                if d < .zero || d > SimDuration.longestSetting {
                    throw .invalidValue(keyPath: "models[\(i)].startup.\(stage.rawValue)", reason: "must be between 0 and 10 years, got \(d.seconds) s")
                }
            }
            let a = m.architecture
            let path = "models[\(i)].arch"
            if a.parameters > 1_000_000_000_000_000 || a.activeParameters > a.parameters || a.activeParameters < 1 {
                throw .invalidValue(keyPath: path, reason: "parameters must be at most 1e15 and active parameters between 1 and the total")
            }
            if a.bytesPerParameter > 8 || a.kvBytesPerElement > 8 || a.layers > 100_000 || a.kvHeads > 100_000 || a.headDimension > 100_000 {
                throw .invalidValue(keyPath: path, reason: "layers, kv_heads and head_dim must be at most 100000 and bytes per element at most 8")
            }
        }
    }
}

extension SLOConfig {
    /// Checks the targets: a positive TTFT within 10 years, attainment in (0, 1], percentile targets likewise.
    func check(path: String) throws(ScenarioError) {
        if ttft <= .zero { throw .invalidValue(keyPath: "\(path).ttft", reason: "must be positive") }
        if ttft > SimDuration.longestSetting { throw .invalidValue(keyPath: "\(path).ttft", reason: "at most 10 years is supported, got \(ttft.seconds) s") }
        if !(attainment > 0 && attainment <= 1) {
            throw .invalidValue(keyPath: "\(path).attainment", reason: "must be in (0, 1], got \(attainment)")
        }
        for p in ttftPercentiles where p.target < .zero || p.target > SimDuration.longestSetting {
            throw .invalidValue(keyPath: "\(path).ttft_percentiles", reason: "targets must be between 0 and 10 years, got \(p.target.seconds) s")
        }
    }
}
