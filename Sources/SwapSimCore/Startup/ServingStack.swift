/// One stage of a serving process's start-up.
public enum StartupStage: String, Hashable, Sendable, CaseIterable {
    /// Container or process start, Python imports, the API server (and an orchestrator's own
    /// start-up: a pod, a Ray actor).
    case container
    /// Engine bootstrap: configuration, worker processes, CUDA contexts, model structure,
    /// tokenizer; plus the per-rank cost of each further tensor-parallel worker.
    case runtimeInit = "runtime_init"
    /// Reading the weights from storage into GPU memory (a flow through the storage tier, the
    /// node's DMA and the GPU's link, capped at the loader's rate).
    case weightLoad = "weight_load"
    /// torch.compile (Dynamo and Inductor), from scratch or from its cache.
    case compile
    /// The profiling run that sizes the KV cache.
    case kvProfiling = "kv_profiling"
    /// CUDA-graph capture.
    case graphCapture = "graph_capture"
    /// The lazy initialisation the first request of a process pays (kernels compiled or tuned
    /// on first use), paid at start-up instead when a warm-up request is sent.
    case firstRequest = "first_request"
}

/// How torch.compile runs at start-up.
public enum CompileCost: Hashable, Sendable {
    /// No torch.compile (engines before vLLM 0.6).
    case none
    /// From scratch: `fixed + perLayer × layers` seconds.
    case cold(fixed: Double, perLayer: Double)
    /// From the compile cache: `perLayer × layers` seconds, after fetching the cache for
    /// `downloadPerLayer × layers` seconds (0 when it is on local disk).
    case cached(perLayer: Double, downloadPerLayer: Double)
}

/// The timings of vLLM's sleep mode in one engine version (``WakeMechanism``).
public struct SleepModeTimings: Hashable, Sendable {
    /// Level-1 wake: remapping and copying back each large tensor.
    public var mapPerTensor: Double
    /// Level-1 wake copies at this share of the path's host→device rate.
    public var wakeEfficiency: Double
    /// Level-1 sleep: each large tensor's backup copy and unmap.
    public var unmapPerTensor: Double
    /// Level-1 sleep copies at this share of the path's device→host rate.
    public var sleepEfficiency: Double
    /// The first level-1 sleep of a process allocates its pinned backup at this rate.
    public var pinAllocation: Bandwidth
    /// The backup's bytes over the weights' (PyTorch rounds each pinned block up to a power of two).
    public var backupRounding: Double
    /// Level-2 wake: reloading each large tensor (besides its bytes).
    public var reloadPerTensor: Double
    /// Level-2 wake reloads at this rate; nil: the loader's rate from the storage tier.
    public var reloadRate: Bandwidth?
    /// Level-2 sleep: freeing each large tensor.
    public var freePerTensor: Double
    /// Level-2 sleep unmaps the weights at this rate.
    public var unmapRate: Bandwidth
}

/// A serving stack's start-up, stage by stage, and its sleep mode: `serving.stack` in a scenario.
///
/// Each stage is a function of the model (layers, weights, parameters, tensor parallelism),
/// the storage tier and the loader; the constants are derived from the training cases in
/// validation/cases/ by validation/fit/derive_presets.py (see ``StackCatalog``).
public struct ServingStack: Hashable, Sendable {
    public var name: String
    public var summary: String
    /// Seconds of ``StartupStage/container``.
    public var container: Double
    /// Seconds of ``StartupStage/runtimeInit`` for one rank, and its parts for reporting.
    public var runtimeInit: Double
    public var runtimeParts: [String: Double] = [:]
    /// Seconds each further tensor-parallel rank adds (worker process, NCCL and all-reduce setup).
    public var perExtraRank: Double
    public var compile: CompileCost
    /// KV profiling: `fixed + perLayer × layers + perBillion × parameters (billions)` seconds.
    public var kvProfiling: (fixed: Double, perLayer: Double, perBillion: Double)
    /// CUDA-graph capture, the same form.
    public var graphCapture: (fixed: Double, perLayer: Double, perBillion: Double)
    /// The first request's lazy initialisation: seconds for a text model, and more with a vision encoder.
    public var firstRequest: Double
    public var firstRequestMultimodal: Double
    /// The loader it reads weights with unless a scenario says otherwise.
    public var loader: WeightLoader
    /// The storage tier it reads from unless a scenario says otherwise (nil: the scenario's).
    public var storage: String?
    public var sleep: SleepModeTimings

    /// The seconds of every stage but the weight load (a flow the simulator runs), for a replica
    /// of `model` on `tp` GPUs, in start-up order.
    public func stageSeconds(_ model: ModelArchitecture, tensorParallel tp: Int) -> [(StartupStage, Double)] {
        let l = Double(model.layers + model.visionLayers)
        let b = Double(model.parameters) / 1e9
        let compileSeconds: Double
        switch compile {
        case .none: compileSeconds = 0
        case let .cold(fixed, perLayer): compileSeconds = fixed + perLayer * l
        case let .cached(perLayer, download): compileSeconds = (perLayer + download) * l
        }
        return [
            (.container, container),
            (.runtimeInit, runtimeInit + perExtraRank * Double(max(0, tp - 1))),
            (.compile, compileSeconds),
            (.kvProfiling, kvProfiling.fixed + kvProfiling.perLayer * l + kvProfiling.perBillion * b),
            (.graphCapture, graphCapture.fixed + graphCapture.perLayer * l + graphCapture.perBillion * b),
            (.firstRequest, firstRequest + (model.isMultimodal ? firstRequestMultimodal : 0)),
        ]
    }

    public static func == (a: ServingStack, b: ServingStack) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
}
