/// One published measurement set (validation/cases/NAME.yaml): where it comes from, the setup
/// it ran on (named by catalogue entries and presets only), and every figure it reports.
public struct ValidationCase: Hashable, Sendable {
    public var name: String
    public var description: String
    public var source: Source
    public var setup: Setup
    public var figures: [Figure]
    /// The serving run behind `serving` figures (`serving_run:`); nil: none.
    public var servingRun: ServingRun?

    public init(name: String, description: String, source: Source, setup: Setup, figures: [Figure], servingRun: ServingRun? = nil) {
        self.name = name
        self.description = description
        self.source = source
        self.setup = setup
        self.figures = figures
        self.servingRun = servingRun
    }

    /// A load test of one model on one replica (the serving.md rows): the engine's settings, the
    /// workload as the source describes it, and which stage the figures measure.
    public struct ServingRun: Hashable, Sendable {
        /// vLLM's `max_num_seqs`, `max_num_batched_tokens`, `gpu_memory_utilization`.
        public var maxNumSeqs: Int
        public var maxBatchedTokens: Int
        public var gpuMemoryUtilization: Double
        /// The client's timeout (inference-perf with no `request_timeout`: aiohttp's 300 s).
        public var requestTimeout: SimDuration?
        /// Prompts: `groups` × `perGroup` fixed prompts, cycled in a shuffled order, each
        /// repeating its whole self (a prefix-cache hit after its first use), of lengths (as the
        /// engine tokenises them) uniform in `minTokens...maxTokens`.
        public var groups: Int
        public var perGroup: Int
        public var minTokens: Int
        public var maxTokens: Int
        /// Output tokens of every request (`ignore_eos`).
        public var outputTokens: Int
        /// Fixed-rate stages run back to back on one server: requests per second and seconds.
        public var stages: [(rate: Double, duration: Double)]
        /// The stage (0-based) whose requests the figures measure.
        public var stage: Int

        public init(
            maxNumSeqs: Int, maxBatchedTokens: Int, gpuMemoryUtilization: Double, requestTimeout: SimDuration?, groups: Int, perGroup: Int,
            minTokens: Int, maxTokens: Int, outputTokens: Int, stages: [(rate: Double, duration: Double)], stage: Int
        ) {
            self.maxNumSeqs = maxNumSeqs
            self.maxBatchedTokens = maxBatchedTokens
            self.gpuMemoryUtilization = gpuMemoryUtilization
            self.requestTimeout = requestTimeout
            self.groups = groups
            self.perGroup = perGroup
            self.minTokens = minTokens
            self.maxTokens = maxTokens
            self.outputTokens = outputTokens
            self.stages = stages
            self.stage = stage
        }

        public static func == (a: ServingRun, b: ServingRun) -> Bool {
            a.maxNumSeqs == b.maxNumSeqs && a.maxBatchedTokens == b.maxBatchedTokens && a.gpuMemoryUtilization == b.gpuMemoryUtilization
                && a.requestTimeout == b.requestTimeout && a.groups == b.groups && a.perGroup == b.perGroup && a.minTokens == b.minTokens
                && a.maxTokens == b.maxTokens && a.outputTokens == b.outputTokens && a.stage == b.stage
                && a.stages.map(\.rate) == b.stages.map(\.rate) && a.stages.map(\.duration) == b.stages.map(\.duration)
        }

        public func hash(into h: inout Hasher) {
            h.combine(maxNumSeqs)
            h.combine(outputTokens)
            h.combine(stage)
            h.combine(stages.count)
        }
    }

    /// Where the figures were published, cited well enough to re-read.
    public struct Source: Hashable, Sendable {
        public var title: String
        public var url: String
        public var date: String
        /// Where in the source the figures are (a table, a figure's data file).
        public var location: String
        /// Whether the figures were read in someone else's summary of the source.
        public var thirdParty: Bool

        public init(title: String, url: String, date: String, location: String, thirdParty: Bool) {
            self.title = title
            self.url = url
            self.date = date
            self.location = location
            self.thirdParty = thirdParty
        }
    }

    /// The hardware and software the source ran, as catalogue entries and presets.
    public struct Setup: Hashable, Sendable {
        public var gpu: GPUSpec
        public var gpusPerNode: Int
        /// nil: the GPU's usual platform.
        public var platform: Platform?
        /// The models (a figure names which of them it is about; none named: every one).
        public var models: [ModelArchitecture]
        public var tensorParallel: Int
        public var stack: ServingStack
        public var mechanism: WakeMechanism
        /// nil: not stated (the stack's own, else the default).
        public var storage: StorageTier?
        /// The tier's bandwidth as provisioned, where the source states it.
        public var storageBandwidth: Bandwidth?
        /// nil: not stated (the stack's).
        public var loader: WeightLoader?
        public var warmupRequest: Bool
        public var lora: Bool

        public init(
            gpu: GPUSpec, gpusPerNode: Int, platform: Platform? = nil, models: [ModelArchitecture], tensorParallel: Int = 1,
            stack: ServingStack = StackCatalog.defaultStack, mechanism: WakeMechanism = .vllmSleepL1, storage: StorageTier? = nil,
            storageBandwidth: Bandwidth? = nil, loader: WeightLoader? = nil, warmupRequest: Bool = false, lora: Bool = false
        ) {
            self.gpu = gpu
            self.gpusPerNode = gpusPerNode
            self.platform = platform
            self.models = models
            self.tensorParallel = tensorParallel
            self.stack = stack
            self.mechanism = mechanism
            self.storage = storage
            self.storageBandwidth = storageBandwidth
            self.loader = loader
            self.warmupRequest = warmupRequest
            self.lora = lora
        }
    }

    /// One reported figure: what was timed, every measured value, and how close a prediction must come.
    public struct Figure: Hashable, Sendable {
        public var name: String
        public var experiment: Experiment
        public var measured: [Double]
        /// `s`, `GB/s` or `x`.
        public var unit: String
        public var tolerance: Tolerance
        public var aggregate: Aggregate
        /// A lower or upper bound ("> 140 s") rather than a value.
        public var bound: Bound?
        public var metric: Metric
        public var workload: Workload
        /// Indices into the setup's models; empty: every model of the setup.
        public var models: [Int]
        /// Switches of a switch-total benchmark.
        public var switches: Int
        /// Overrides of the setup for this figure.
        public var warmupRequest: Bool?
        public var mechanism: WakeMechanism?
        /// For a sleep: the process's first (which allocates its pinned backup), not a later one.
        public var firstSleep: Bool
        /// Whether a miss fails `swapsim validate` (else the figure is shown, for information).
        public var gates: Bool

        public init(
            name: String, experiment: Experiment, measured: [Double], unit: String, tolerance: Tolerance,
            aggregate: Aggregate = .mean, bound: Bound? = nil, metric: Metric = .e2e, workload: Workload = Workload(),
            models: [Int] = [], switches: Int = 1, warmupRequest: Bool? = nil, mechanism: WakeMechanism? = nil,
            firstSleep: Bool = false, gates: Bool
        ) {
            self.name = name
            self.experiment = experiment
            self.measured = measured
            self.unit = unit
            self.tolerance = tolerance
            self.aggregate = aggregate
            self.bound = bound
            self.metric = metric
            self.workload = workload
            self.models = models
            self.switches = switches
            self.warmupRequest = warmupRequest
            self.mechanism = mechanism
            self.firstSleep = firstSleep
            self.gates = gates
        }
    }

    /// How close a prediction must come: a share of the measured value, or an amount in its unit.
    public enum Tolerance: Hashable, Sendable {
        case relative(Double)
        case absolute(Double)
    }

    /// How several measured values meet one prediction.
    public enum Aggregate: String, Hashable, Sendable, CaseIterable {
        /// Their mean.
        case mean
        /// Every value on its own.
        case each
        /// The interval from the least to the greatest, widened by the tolerance.
        case range
    }

    /// A published bound: the prediction must not fall below (or rise above) it, less the tolerance.
    public enum Bound: String, Hashable, Sendable, CaseIterable {
        case lower
        case upper
    }

    /// Which latency of a request figure (for `serving`: the mean over the stage's served requests).
    public enum Metric: String, Hashable, Sendable, CaseIterable {
        /// Arrival to last token.
        case e2e
        /// Arrival to first token.
        case ttft
        /// `serving`: the 99th percentile of TTFT.
        case ttftP99 = "ttft-p99"
        /// `serving`: (E2E mean − TTFT mean) / (output tokens − 1), as serving.md reads it.
        case perToken = "per-token"
        /// `serving`: the share of the stage's requests that failed (timed out).
        case failedShare = "failed-share"
    }

    /// The requests behind a request figure or a switch benchmark.
    public struct Workload: Hashable, Sendable {
        public var inputTokens: Int
        public var outputTokens: Int
        public var rounds: Int
        public var promptsPerRound: Int

        public init(inputTokens: Int = 30, outputTokens: Int = 100, rounds: Int = 1, promptsPerRound: Int = 1) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.rounds = rounds
            self.promptsPerRound = promptsPerRound
        }
    }
}

/// What a figure timed, and so how swapsim predicts it.
public indirect enum Experiment: Hashable, Sendable {
    /// One GPU's pinned copy rate alone (nvbandwidth's copy-engine rows), per direction.
    case copyH2D
    case copyD2H
    /// Each direction's rate with both copying at once.
    case copyBidirectional
    /// How fast the host pins memory.
    case pinRate
    /// A sleeping model's wake (the engine's wake call, to ready).
    case wake
    /// Putting a model to sleep.
    case sleep
    /// A server's start from nothing until it is ready (health check passes).
    case coldStart
    /// The first token of a request for a model with no replica (scale from zero).
    case ttftFromZero
    /// The first token of a request for a model in host memory.
    case swapTTFT
    /// `swapTTFT` of the figure's first model less that of its second.
    case swapTTFTDifference
    /// The first request a new process serves (no warm-up), from when it is ready.
    case firstRequestAfterColdStart
    /// The first request after a wake, from when the model is awake.
    case firstRequestAfterWake
    /// A benchmark alternating two models for `switches` switches, start-up included.
    case switchTotal
    /// One start-up stage (`weight-load`, `torch-compile`, `compile-cache-download`,
    /// `kv-profiling`, `cuda-graph-capture`, `engine-total`, or a runtime part such as `worker-init`).
    case stage(String)
    /// One experiment's prediction over another's.
    case ratio(Experiment, Experiment)
    /// A load test of one replica (the case's `serving_run`): latency statistics of one stage.
    case serving

    /// The name case files use.
    public var name: String {
        switch self {
        case .copyH2D: return "copy-h2d"
        case .copyD2H: return "copy-d2h"
        case .copyBidirectional: return "copy-bidirectional"
        case .pinRate: return "pin-rate"
        case .wake: return "wake"
        case .sleep: return "sleep"
        case .coldStart: return "cold-start"
        case .ttftFromZero: return "ttft-from-zero"
        case .swapTTFT: return "swap-ttft"
        case .swapTTFTDifference: return "swap-ttft-difference"
        case .firstRequestAfterColdStart: return "first-request-after-cold-start"
        case .firstRequestAfterWake: return "first-request-after-wake"
        case .switchTotal: return "switch-total"
        case let .stage(s): return "stage:" + s
        case .ratio: return "ratio"
        case .serving: return "serving"
        }
    }

    /// The experiments a case names without arguments.
    public static let plain: [Experiment] = [
        .copyH2D, .copyD2H, .copyBidirectional, .pinRate, .wake, .sleep, .coldStart, .ttftFromZero, .swapTTFT,
        .swapTTFTDifference, .firstRequestAfterColdStart, .firstRequestAfterWake, .switchTotal, .serving,
    ]

    /// The stages `stage:NAME` may name.
    public static let stages = [
        "weight-load", "torch-compile", "compile-cache-download", "kv-profiling", "cuda-graph-capture", "engine-total",
        "worker-init", "cuda-init", "model-init", "tokenizer",
    ]

    /// The experiment named `name` (`stage:weight-load`; `ratio` is built from its two parts).
    public static func named(_ name: String) -> Experiment? {
        if name.hasPrefix("stage:") {
            let s = String(name.dropFirst(6))
            return stages.contains(s) ? .stage(s) : nil
        }
        return plain.first { $0.name == name }
    }

    /// Whether a miss fails validation unless the case says otherwise: the figures the
    /// strategies turn on (copy and pinning rates, wakes, sleeps, cold starts and what a request
    /// sees of them, a whole engine start-up). One stage of a start-up, a request's own latency
    /// and a benchmark's total are shown for information: they rest on the serving model and on
    /// workloads the sources only estimate.
    public var gatesByDefault: Bool {
        switch self {
        case .copyH2D, .copyD2H, .copyBidirectional, .pinRate, .wake, .sleep, .coldStart, .ttftFromZero, .swapTTFT, .swapTTFTDifference, .serving:
            return true
        case let .ratio(a, b): return a.gatesByDefault && b.gatesByDefault
        case let .stage(s): return s == "engine-total"
        case .firstRequestAfterColdStart, .firstRequestAfterWake, .switchTotal: return false
        }
    }
}
