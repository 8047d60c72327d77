/// The machines: identical nodes of identical GPUs, host memory, their host topology and storage.
public struct ClusterSpec: Hashable, Sendable {
    public var nodes: Int
    public var gpusPerNode: Int
    public var gpu: GPUSpec
    /// Host DRAM per node.
    public var hostMemory: ByteCount
    /// Pinned host memory per node set aside for swapped-out models (hot-swap).
    public var swapSpace: ByteCount
    /// One node-wide cap on host↔GPU copies, per direction (`host.dma_bandwidth`, a shorthand
    /// beside the topology); nil: none.
    public var dmaBandwidth: Bandwidth?
    /// The platform whose topology the nodes have (nil: the GPU's usual platform).
    public var platform: Platform?
    /// A topology stated in full, in place of the platform's.
    public var topologyOverride: HostTopology?
    /// Where weights are read from.
    public var storage: StorageTier
    /// The loader weights are read with (nil: the serving stack's).
    public var loader: WeightLoader?
    /// Whether the scenario names the storage tier (`storage.tier`); if not, a stack with a
    /// storage of its own (NIM's registry download) uses that.
    public var storageStated = false

    public init(
        nodes: Int, gpusPerNode: Int, gpu: GPUSpec, hostMemory: ByteCount, swapSpace: ByteCount,
        dmaBandwidth: Bandwidth?, storageReadBandwidth: Bandwidth?, platform: Platform? = nil, topology: HostTopology? = nil,
        storage: StorageTier = StorageCatalog.defaultTier, loader: WeightLoader? = nil
    ) {
        self.nodes = nodes
        self.gpusPerNode = gpusPerNode
        self.gpu = gpu
        self.hostMemory = hostMemory
        self.swapSpace = swapSpace
        self.dmaBandwidth = dmaBandwidth
        self.platform = platform
        self.topologyOverride = topology
        var tier = storage
        if let bw = storageReadBandwidth { tier.bandwidth = bw }
        self.storage = tier
        self.loader = loader
    }

    /// GPUs in the whole cluster.
    public var gpuCount: Int { nodes * gpusPerNode }

    /// Storage read bandwidth per node, shared by concurrent weight loads.
    public var storageReadBandwidth: Bandwidth { storage.bandwidth }

    /// The topology of each node: stated, or the platform's, or the GPU's usual platform's.
    public var topology: HostTopology {
        topologyOverride ?? (platform ?? PlatformCatalog.defaultPlatform(for: gpu.name)).topology(gpus: gpusPerNode)
    }
}

/// One served model: its architecture and how it is deployed.
public struct ModelDeployment: Hashable, Sendable {
    /// The name requests use in the trace.
    public var name: String
    public var architecture: ModelArchitecture
    /// GPUs per replica (tensor parallelism), all on one node.
    public var tensorParallel: Int
    /// KV-cache memory of each replica, across its GPUs (resolved from `kv_cache: auto` by
    /// ``KVCacheSizing`` when the scenario is loaded).
    public var kvCache: ByteCount
    /// Whether ``kvCache`` was sized by vLLM's rule rather than stated.
    public var kvCacheAuto = false
    /// Maximum requests in the running batch.
    public var maxBatch: Int
    /// Start-up stages stated for this model (`models[].startup`), in place of the stack's.
    public var startup: [StartupStage: SimDuration] = [:]
    /// Whether it serves LoRA adapters (their stacked tensors add to sleep mode's work).
    public var lora = false
    /// Replicas of this model (each its own server), overriding the strategy's default
    /// (always-warm `replicas`, scale-to-zero `max_replicas`, hot-swap's one server); nil: the default.
    public var replicas: Int?
    /// How a mixed (`hybrid`) pool serves it; nil: hot-swap. The single strategies ignore it.
    public var tier: ModelTier?
    /// Its own latency objective, checked besides the scenario's; nil: only the scenario's.
    public var slo: SLOConfig?

    public init(
        name: String, architecture: ModelArchitecture, tensorParallel: Int, kvCache: ByteCount, maxBatch: Int,
        replicas: Int? = nil, tier: ModelTier? = nil, slo: SLOConfig? = nil
    ) {
        self.name = name
        self.architecture = architecture
        self.tensorParallel = tensorParallel
        self.kvCache = kvCache
        self.maxBatch = maxBatch
        self.replicas = replicas
        self.tier = tier
        self.slo = slo
    }

    /// KV capacity in tokens.
    public var kvCapacityTokens: Int64 { kvCache.bytes / max(1, architecture.kvBytesPerToken.bytes) }
}

/// Figures of the serving engine common to every model.
///
/// The memberwise defaults describe a plain continuous batcher (no token budget, no scheduling
/// lag, no API latency, no timeout); a scenario file's defaults are vLLM 0.15's
/// (``vllmDefaults(for:)``). Step-time figures left nil come from the GPU's fitted
/// ``ServingPreset``.
public struct ServingConfig: Hashable, Sendable {
    /// The serving stack: start-up stages and sleep-mode timings (`serving.stack`).
    public var stack: ServingStack = StackCatalog.defaultStack
    /// Fixed cost per iteration (scheduler, launches, sampling); nil: the preset's.
    public var iterationOverhead: SimDuration?
    /// Share of peak FLOP/s achieved by the prefill/decode matmuls; nil: the preset's.
    public var computeEfficiency: Double?
    /// Share of peak memory bandwidth achieved when streaming weights and KV; nil: the preset's.
    public var memoryEfficiency: Double?
    /// GPU memory a live server holds besides weights and KV (CUDA context, graphs, activations).
    public var runtimeReservation: ByteCount
    /// vLLM's `gpu_memory_utilization`: the share of each GPU an engine alone may use (`kv_cache: auto`).
    public var gpuMemoryUtilization: Double = 0.9
    /// Engines sharing each GPU under `kv_cache: auto`: each sizes its KV from u / k of the memory.
    public var enginesPerGPU: Int = 1
    /// vLLM's `max_num_batched_tokens`: tokens one step may process (decodes first, then prefill
    /// chunks); nil: no limit.
    public var maxBatchedTokens: Int? = nil
    /// Whether a request's cached prefix (`prefix_tokens` of a trace) skips prefill.
    public var prefixCaching: Bool = true
    /// vLLM's KV allocation: as tokens are computed, with preemption by recompute when a step's
    /// decodes do not fit (else each request reserves KV for its prompt and all its output).
    public var incrementalKV: Bool = false
    /// vLLM's async scheduling: a step is planned while the previous one runs, so a request that
    /// reaches the engine during step k first runs in step k + 2.
    public var asyncScheduling: Bool = false
    /// API latency added to every request (half before the engine, half after its tokens); nil:
    /// the preset's.
    public var apiLatency: SimDuration? = .zero
    /// Mean of an exponential, mean-preserving spread of the ingress half; nil: the preset's.
    public var apiJitter: SimDuration? = .zero
    /// A client timeout: a request not finished this long after it arrived fails (counted as
    /// rejected, not served); nil: none.
    public var requestTimeout: SimDuration? = nil

    public init(iterationOverhead: SimDuration?, computeEfficiency: Double?, memoryEfficiency: Double?, runtimeReservation: ByteCount) {
        self.iterationOverhead = iterationOverhead
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
        self.runtimeReservation = runtimeReservation
    }

    /// vLLM 0.15's engine defaults on `gpu`, with the step-time and API figures from its preset:
    /// `gpu_memory_utilization` 0.9, async scheduling, prefix caching, and
    /// `max_num_batched_tokens` 8192 on GPUs of 70 GiB or more other than A100s, else 2048
    /// (vLLM `arg_utils.get_batch_defaults`, docs/research/serving.md §1.1).
    public static func vllmDefaults(for gpu: GPUSpec) -> ServingConfig {
        var c = ServingConfig(iterationOverhead: nil, computeEfficiency: nil, memoryEfficiency: nil, runtimeReservation: .mebibytes(1536))
        c.maxBatchedTokens = gpu.memory >= .gibibytes(70) && !gpu.name.hasPrefix("A100") ? 8192 : 2048
        c.asyncScheduling = true
        c.incrementalKV = true
        c.apiLatency = nil
        c.apiJitter = nil
        return c
    }
}

/// How a model is served in a mixed pool (the `hybrid` strategy): `models[].strategy`.
public enum ModelTier: String, Hashable, Sendable, CaseIterable {
    /// Always resident, like always-warm.
    case pinned
    /// Swapped to host memory when idle, like hot-swap.
    case hotSwap = "hot-swap"
    /// Torn down when idle and cold-started on demand, like scale-to-zero.
    case scaleToZero = "scale-to-zero"
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
    /// Every registered strategy's configuration (`strategies:`); typed views such as
    /// ``hotSwap`` live beside each strategy.
    public var strategies: StrategyConfigurations
    public var costs: CostConfig
    public var slo: SLOConfig

    public init(
        name: String, cluster: ClusterSpec, models: [ModelDeployment], serving: ServingConfig,
        strategies: StrategyConfigurations = StrategyConfigurations(), costs: CostConfig, slo: SLOConfig
    ) {
        self.name = name
        self.cluster = cluster
        self.models = models
        self.serving = serving
        self.strategies = strategies
        self.costs = costs
        self.slo = slo
    }

    /// GPU memory one replica of `model` holds on each of its GPUs: its share of weights and
    /// KV reservation, plus the runtime reservation.
    public func perGPUFootprint(_ model: ModelDeployment) -> ByteCount {
        (model.architecture.weightBytes + model.kvCache).divided(into: model.tensorParallel)
            + serving.runtimeReservation
    }

    /// The fitted preset for the scenario's GPU.
    public var servingPreset: ServingPreset { ServingPreset.forGPU(cluster.gpu) }

    /// The step-time cost of a replica of `model`: the scenario's stated figures, else its GPU's preset.
    public func iterationCost(of model: ModelDeployment) -> IterationCost {
        let p = servingPreset
        let tp = model.tensorParallel
        return IterationCost(
            model: model.architecture, gpu: cluster.gpu, tensorParallel: tp,
            overhead: serving.iterationOverhead ?? p.overhead(model.architecture, tensorParallel: tp),
            computeEfficiency: serving.computeEfficiency ?? p.computeEfficiency(tensorParallel: tp),
            memoryEfficiency: serving.memoryEfficiency ?? p.memoryEfficiency,
            perSequence: serving.iterationOverhead == nil ? p.perSequence(tensorParallel: tp) : .zero)
    }

    /// The API latency of a request to `model` (added to its TTFT and end-to-end latency).
    public func apiLatency(of model: ModelDeployment) -> SimDuration {
        serving.apiLatency ?? servingPreset.apiLatency(tensorParallel: model.tensorParallel)
    }

    /// The mean spread of the ingress half of the API latency.
    public var apiJitter: SimDuration { serving.apiJitter ?? servingPreset.apiJitter }

    /// GPUs the strategy may use: its pool, the first GPUs of the cluster.
    public func poolSize(for strategy: StrategyKind) -> Int {
        min(strategy.descriptor.pool(self) ?? cluster.gpuCount, cluster.gpuCount)
    }

    /// The index of the model named `name`, if any.
    public func modelIndex(named name: String) -> Int? { models.firstIndex { $0.name == name } }

    /// Model `m`'s replicas under a strategy whose default is `defaultReplicas`.
    public func replicas(of m: Int, default defaultReplicas: Int) -> Int { models[m].replicas ?? defaultReplicas }

    /// Where weights are read from: the scenario's tier if it names one, else the stack's own,
    /// else the default (the page cache), with a stated `read_bandwidth` kept.
    public var storageTier: StorageTier {
        guard !cluster.storageStated, let name = serving.stack.storage, var t = StorageCatalog.named(name) else { return cluster.storage }
        if cluster.storage.bandwidth != StorageCatalog.defaultTier.bandwidth { t.bandwidth = cluster.storage.bandwidth }
        return t
    }

    /// The loader weights are read with: the scenario's, else the stack's.
    public var loader: WeightLoader { cluster.loader ?? serving.stack.loader }

    /// Model `m`'s tier in a mixed pool.
    public func tier(of m: Int) -> ModelTier { models[m].tier ?? .hotSwap }
}
