/// The three ways of serving many models that swapsim compares.
public enum StrategyKind: String, CaseIterable, Sendable, Hashable {
    /// Every model keeps its replicas on GPUs all the time.
    case alwaysWarm = "always-warm"
    /// Idle replicas are torn down; the next request pays a cold start.
    case scaleToZero = "scale-to-zero"
    /// Idle models are swapped to host memory; their servers stay alive.
    case hotSwap = "hot-swap"
}

/// The machines: identical nodes of identical GPUs, host memory, DMA engines and storage.
public struct ClusterSpec: Hashable, Sendable {
    public var nodes: Int
    public var gpusPerNode: Int
    public var gpu: GPUSpec
    /// Host DRAM per node.
    public var hostMemory: ByteCount
    /// Pinned host memory per node set aside for swapped-out models (hot-swap).
    public var swapSpace: ByteCount
    /// Aggregate host-side DMA bandwidth shared by all of a node's GPUs, both directions.
    public var dmaBandwidth: Bandwidth
    /// Storage read bandwidth per node, shared by concurrent weight loads.
    public var storageReadBandwidth: Bandwidth

    public init(
        nodes: Int, gpusPerNode: Int, gpu: GPUSpec, hostMemory: ByteCount, swapSpace: ByteCount,
        dmaBandwidth: Bandwidth, storageReadBandwidth: Bandwidth
    ) {
        self.nodes = nodes
        self.gpusPerNode = gpusPerNode
        self.gpu = gpu
        self.hostMemory = hostMemory
        self.swapSpace = swapSpace
        self.dmaBandwidth = dmaBandwidth
        self.storageReadBandwidth = storageReadBandwidth
    }

    /// GPUs in the whole cluster.
    public var gpuCount: Int { nodes * gpusPerNode }
}

/// One served model: its architecture and how it is deployed.
public struct ModelDeployment: Hashable, Sendable {
    /// The name requests use in the trace.
    public var name: String
    public var architecture: ModelArchitecture
    /// GPUs per replica (tensor parallelism), all on one node.
    public var tensorParallel: Int
    /// KV-cache memory reserved per replica, across its GPUs.
    public var kvCache: ByteCount
    /// Maximum requests in the running batch.
    public var maxBatch: Int

    public init(name: String, architecture: ModelArchitecture, tensorParallel: Int, kvCache: ByteCount, maxBatch: Int) {
        self.name = name
        self.architecture = architecture
        self.tensorParallel = tensorParallel
        self.kvCache = kvCache
        self.maxBatch = maxBatch
    }

    /// KV capacity in tokens.
    public var kvCapacityTokens: Int64 { kvCache.bytes / max(1, architecture.kvBytesPerToken.bytes) }
}

/// Figures of the serving engine common to every model.
public struct ServingConfig: Hashable, Sendable {
    /// Fixed cost per iteration (scheduler, launches, sampling).
    public var iterationOverhead: SimDuration
    /// Share of peak FLOP/s achieved by the prefill/decode matmuls.
    public var computeEfficiency: Double
    /// Share of peak memory bandwidth achieved when streaming weights and KV.
    public var memoryEfficiency: Double
    /// GPU memory a live server holds besides weights and KV (CUDA context, graphs, activations).
    public var runtimeReservation: ByteCount

    public init(iterationOverhead: SimDuration, computeEfficiency: Double, memoryEfficiency: Double, runtimeReservation: ByteCount) {
        self.iterationOverhead = iterationOverhead
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
        self.runtimeReservation = runtimeReservation
    }
}

/// Parameters of the always-warm strategy.
public struct AlwaysWarmConfig: Hashable, Sendable {
    /// Replicas of every model.
    public var replicas: Int
    /// GPUs in the strategy's pool, the first of the cluster's (nil: all of them).
    public var gpus: Int?
    public init(replicas: Int = 1, gpus: Int? = nil) {
        self.replicas = replicas
        self.gpus = gpus
    }
}

/// Parameters of the scale-to-zero strategy.
public struct ScaleToZeroConfig: Hashable, Sendable {
    /// How long an idle replica is kept before it is torn down.
    public var keepAlive: SimDuration
    /// Container or pod start.
    public var containerStart: SimDuration
    /// Runtime and CUDA context initialisation.
    public var runtimeInit: SimDuration
    /// Warm-up after the weights are loaded (graph capture, KV profiling).
    public var warmup: SimDuration
    /// Outstanding requests per replica above which another replica is started (nil: never scale out).
    public var targetConcurrency: Int?
    /// Most replicas of one model.
    public var maxReplicas: Int
    /// Most GPUs held at once, the first of the cluster's (nil: all of them).
    public var gpus: Int?
    /// When the pool is full, tear down the least recently used idle replica to make room,
    /// instead of waiting for one to reach the end of its keep-alive window.
    public var evictIdleWhenFull: Bool

    public init(
        keepAlive: SimDuration, containerStart: SimDuration, runtimeInit: SimDuration, warmup: SimDuration,
        targetConcurrency: Int? = nil, maxReplicas: Int = 1, gpus: Int? = nil, evictIdleWhenFull: Bool = false
    ) {
        self.gpus = gpus
        self.evictIdleWhenFull = evictIdleWhenFull
        self.keepAlive = keepAlive
        self.containerStart = containerStart
        self.runtimeInit = runtimeInit
        self.warmup = warmup
        self.targetConcurrency = targetConcurrency
        self.maxReplicas = maxReplicas
    }
}

/// Which idle resident model a hot-swap evicts first.
public enum EvictionPolicy: String, Hashable, Sendable, CaseIterable {
    /// Least recently used first.
    case lru
    /// Least frequently used (fewest requests so far) first; ties by least recently used.
    case lfu
    /// Largest first, so one eviction frees the most memory; ties by least recently used.
    case largest
}

/// Parameters of the hot-swap strategy.
public struct HotSwapConfig: Hashable, Sendable {
    /// A model idle this long is swapped out proactively (nil: only when evicted).
    public var idleTimeout: SimDuration?
    public var eviction: EvictionPolicy
    /// Fixed cost of each swap-in besides the copy (memory management, re-mapping).
    public var swapOverhead: SimDuration
    /// Keep a clean copy of the weights in host memory, so a swap-out is a free, not a copy.
    public var keepHostCopy: Bool
    /// GPUs in the fixed pool, the first of the cluster's (nil: all of them).
    public var gpus: Int?

    public init(idleTimeout: SimDuration?, eviction: EvictionPolicy = .lru, swapOverhead: SimDuration, keepHostCopy: Bool = false, gpus: Int? = nil) {
        self.gpus = gpus
        self.idleTimeout = idleTimeout
        self.eviction = eviction
        self.swapOverhead = swapOverhead
        self.keepHostCopy = keepHostCopy
    }
}

/// Prices used for the bill.
public struct CostConfig: Hashable, Sendable {
    /// Dollars per GPU-hour.
    public var gpuHour: Dollars
    /// Dollars per GiB-hour of host swap space (hot-swap), zero if not priced.
    public var hostGiBHour: Dollars

    public init(gpuHour: Dollars, hostGiBHour: Dollars = Dollars(0)) {
        self.gpuHour = gpuHour
        self.hostGiBHour = hostGiBHour
    }
}

/// The latency objective.
public struct SLOConfig: Hashable, Sendable {
    /// Time-to-first-token target; attainment is the share of requests at or under it.
    public var ttft: SimDuration
    /// Optional percentile targets on TTFT, e.g. p99 ≤ 10 s, as (percentile, target).
    public var ttftPercentiles: [Percentile]
    /// The share of requests that must meet ``ttft`` for the SLO to hold.
    public var attainment: Double

    /// One percentile target.
    public struct Percentile: Hashable, Sendable {
        public var percentile: Double
        public var target: SimDuration
        public init(percentile: Double, target: SimDuration) {
            self.percentile = percentile
            self.target = target
        }
    }

    public init(ttft: SimDuration, ttftPercentiles: [Percentile] = [], attainment: Double = 0.95) {
        self.ttft = ttft
        self.ttftPercentiles = ttftPercentiles
        self.attainment = attainment
    }
}

/// A complete, resolved scenario: cluster, models, strategies' parameters, costs and SLO.
public struct Scenario: Hashable, Sendable {
    public var name: String
    public var cluster: ClusterSpec
    public var models: [ModelDeployment]
    public var serving: ServingConfig
    public var alwaysWarm: AlwaysWarmConfig
    public var scaleToZero: ScaleToZeroConfig
    public var hotSwap: HotSwapConfig
    public var costs: CostConfig
    public var slo: SLOConfig

    public init(
        name: String, cluster: ClusterSpec, models: [ModelDeployment], serving: ServingConfig,
        alwaysWarm: AlwaysWarmConfig, scaleToZero: ScaleToZeroConfig, hotSwap: HotSwapConfig,
        costs: CostConfig, slo: SLOConfig
    ) {
        self.name = name
        self.cluster = cluster
        self.models = models
        self.serving = serving
        self.alwaysWarm = alwaysWarm
        self.scaleToZero = scaleToZero
        self.hotSwap = hotSwap
        self.costs = costs
        self.slo = slo
    }

    /// GPU memory one replica of `model` holds on each of its GPUs: its share of weights and
    /// KV reservation, plus the runtime reservation.
    public func perGPUFootprint(_ model: ModelDeployment) -> ByteCount {
        (model.architecture.weightBytes + model.kvCache).divided(into: model.tensorParallel)
            + serving.runtimeReservation
    }

    /// GPUs the strategy may use: its pool, the first GPUs of the cluster.
    public func poolSize(for strategy: StrategyKind) -> Int {
        let stated: Int?
        switch strategy {
        case .alwaysWarm: stated = alwaysWarm.gpus
        case .scaleToZero: stated = scaleToZero.gpus
        case .hotSwap: stated = hotSwap.gpus
        }
        return min(stated ?? cluster.gpuCount, cluster.gpuCount)
    }

    /// The index of the model named `name`, if any.
    public func modelIndex(named name: String) -> Int? { models.firstIndex { $0.name == name } }
}
