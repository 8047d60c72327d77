/// Where the time to first token went, as means over completed requests, in seconds.
public struct TTFTBreakdown: Hashable, Sendable {
    /// Waiting in a replica's queue for a place in the batch (and for a GPU in the pool).
    public var queueing: Double
    /// Waiting for the model's swap-in.
    public var swapWait: Double
    /// Waiting for a cold start (or a load from storage).
    public var coldStartWait: Double
    /// The prefill iteration itself.
    public var prefill: Double

    public init(queueing: Double, swapWait: Double, coldStartWait: Double, prefill: Double) {
        self.queueing = queueing
        self.swapWait = swapWait
        self.coldStartWait = coldStartWait
        self.prefill = prefill
    }
}

/// How long one start-up stage took on average over the start-ups that ran it.
public struct StartupStageTime: Hashable, Sendable {
    public var stage: StartupStage
    /// Start-ups that ran it.
    public var count: Int
    /// Mean seconds it took.
    public var meanSeconds: Double

    public init(stage: StartupStage, count: Int, meanSeconds: Double) {
        self.stage = stage
        self.count = count
        self.meanSeconds = meanSeconds
    }
}

/// A TTFT percentile target and what was achieved.
public struct PercentileOutcome: Hashable, Sendable {
    public var percentile: Double
    public var target: SimDuration
    /// The achieved percentile, in seconds.
    public var achieved: Double
    public var met: Bool

    public init(percentile: Double, target: SimDuration, achieved: Double, met: Bool) {
        self.percentile = percentile
        self.target = target
        self.achieved = achieved
        self.met = met
    }
}

/// The outcome of simulating one strategy over one trace.
public struct StrategyResult: Hashable, Sendable {
    public var strategy: StrategyKind
    public var requests: Int
    public var completed: Int
    public var rejected: Int
    /// Of the rejected, requests whose client timed out (``ServingConfig/requestTimeout``).
    public var timedOut = 0
    /// Preemptions by recompute: requests that lost their KV cache when it ran out.
    public var preemptions = 0
    public var ttft: LatencySummary
    public var tpot: LatencySummary
    public var e2e: LatencySummary
    public var ttftTarget: SimDuration
    /// Share of requests (completed or rejected) whose TTFT met the target; rejected ones did not.
    public var sloAttainment: Double
    /// Each percentile target with the achieved value and whether it was met.
    public var percentileTargets: [PercentileOutcome]
    /// The attainment level the SLO asks for.
    public var requiredAttainment: Double
    /// GPUs the strategy may use (the pool).
    public var gpus: Int
    public var gpuHours: Double
    public var hostGiBHours: Double
    public var cost: Dollars
    public var usdPerMillionOutputTokens: Double
    /// GPU time with a non-empty batch over GPU time billed.
    public var gpuUtilization: Double
    public var coldStarts: Int
    public var swapIns: Int
    public var swapOuts: Int
    public var evictions: Int
    public var teardowns: Int
    public var requestsPayingColdStart: Int
    public var requestsPayingSwapIn: Int
    public var bytesHostToGPU: Int64
    public var bytesGPUToHost: Int64
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var breakdown: TTFTBreakdown
    /// The cold starts' stages, in start-up order, each with its mean time (empty: none ran).
    public var startup: [StartupStageTime] = []
    /// Instant of the last arrival or completion: the span billed.
    public var horizon: SimInstant
    /// Events the engine processed.
    public var events: Int
    /// The cold starts, swaps and evictions, in time order: every one, or on a run that recorded
    /// more than ``LifecycleLog/defaultLimit`` (2^20), an even sample of them
    /// (``lifecycleRecorded`` says how many there were; the counts above are exact either way).
    public var lifecycle: [LifecycleEvent]
    /// Lifecycle steps the run recorded; more than `lifecycle.count` when the log was sampled.
    public var lifecycleRecorded = 0
    /// Every request's outcome in completion order (rejections at arrival); empty unless asked for.
    public var requestLog: [RequestOutcome]
    /// The TTFT distribution at fixed quantiles, for CDF plots.
    public var ttftCDF: LatencyCDF
    /// GPU memory by model, link traffic and queue length over time, downsampled.
    public var timeline: Timeline
    /// Per model, in scenario order (empty for results stored before per-model results existed).
    public var models: [ModelResult]
    /// The strategy's own counters (pre-warm hits, say), in its registry entry's order.
    public var counters: [StrategyCounter]

    /// Every field, as stored: for rebuilding a result read back from the results store.
    public init(
        strategy: StrategyKind,
        requests: Int,
        completed: Int,
        rejected: Int,
        ttft: LatencySummary,
        tpot: LatencySummary,
        e2e: LatencySummary,
        ttftTarget: SimDuration,
        sloAttainment: Double,
        percentileTargets: [PercentileOutcome],
        requiredAttainment: Double,
        gpus: Int,
        gpuHours: Double,
        hostGiBHours: Double,
        cost: Dollars,
        usdPerMillionOutputTokens: Double,
        gpuUtilization: Double,
        coldStarts: Int,
        swapIns: Int,
        swapOuts: Int,
        evictions: Int,
        teardowns: Int,
        requestsPayingColdStart: Int,
        requestsPayingSwapIn: Int,
        bytesHostToGPU: Int64,
        bytesGPUToHost: Int64,
        inputTokens: Int64,
        outputTokens: Int64,
        breakdown: TTFTBreakdown,
        horizon: SimInstant,
        events: Int,
        lifecycle: [LifecycleEvent],
        requestLog: [RequestOutcome],
        ttftCDF: LatencyCDF,
        timeline: Timeline,
        models: [ModelResult] = [],
        counters: [StrategyCounter] = []
    ) {
        self.strategy = strategy
        self.requests = requests
        self.completed = completed
        self.rejected = rejected
        self.ttft = ttft
        self.tpot = tpot
        self.e2e = e2e
        self.ttftTarget = ttftTarget
        self.sloAttainment = sloAttainment
        self.percentileTargets = percentileTargets
        self.requiredAttainment = requiredAttainment
        self.gpus = gpus
        self.gpuHours = gpuHours
        self.hostGiBHours = hostGiBHours
        self.cost = cost
        self.usdPerMillionOutputTokens = usdPerMillionOutputTokens
        self.gpuUtilization = gpuUtilization
        self.coldStarts = coldStarts
        self.swapIns = swapIns
        self.swapOuts = swapOuts
        self.evictions = evictions
        self.teardowns = teardowns
        self.requestsPayingColdStart = requestsPayingColdStart
        self.requestsPayingSwapIn = requestsPayingSwapIn
        self.bytesHostToGPU = bytesHostToGPU
        self.bytesGPUToHost = bytesGPUToHost
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.breakdown = breakdown
        self.horizon = horizon
        self.events = events
        self.lifecycle = lifecycle
        self.lifecycleRecorded = lifecycle.count
        self.requestLog = requestLog
        self.ttftCDF = ttftCDF
        self.timeline = timeline
        self.models = models
        self.counters = counters
    }

    /// Whether the SLO holds: attainment at or above the level, every percentile target met, and
    /// every model with an SLO of its own meeting it.
    public var meetsSLO: Bool {
        sloAttainment >= requiredAttainment && percentileTargets.allSatisfy { $0.met } && models.allSatisfy { $0.meetsOwnSLO ?? true }
    }

    /// The models that miss: their own SLO, or (with no SLO of their own, when the scenario's
    /// SLO is missed) the scenario's TTFT target for more requests than the SLO allows.
    public var modelsMissing: [ModelResult] {
        models.filter { m in
            if let own = m.meetsOwnSLO { return !own }
            return !meetsSLO && m.sloAttainment < requiredAttainment
        }
    }
}
