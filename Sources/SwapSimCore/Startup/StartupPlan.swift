/// One step of a replica's start-up: a stage that takes a set time, or the weight load, a flow
/// the simulator times on the storage tier, the node's topology and the GPU's link.
public struct StartupStep: Hashable, Sendable {
    public var stage: StartupStage
    /// How long it takes; nil for a weight load run as a flow.
    public var duration: SimDuration?

    public init(_ stage: StartupStage, _ duration: SimDuration?) {
        self.stage = stage
        self.duration = duration
    }
}

/// Start-up figures a strategy states in place of the stack's (scale-to-zero's
/// `cold_start.container`, `cold_start.runtime_init`, `cold_start.warmup`).
public struct StartupOverrides: Hashable, Sendable {
    public var container: SimDuration?
    public var runtimeInit: SimDuration?
    /// Replaces compile, KV profiling, graph capture and the first request's initialisation together.
    public var warmup: SimDuration?

    public init(container: SimDuration? = nil, runtimeInit: SimDuration? = nil, warmup: SimDuration? = nil) {
        self.container = container
        self.runtimeInit = runtimeInit
        self.warmup = warmup
    }
}

extension Scenario {
    /// Model `m`'s start-up from nothing, in order: container, runtime, the weight load, compile,
    /// KV profiling, graph capture and, when a warm-up request is sent, the first request's
    /// initialisation (else the first real request pays it, see ``firstRequestPenalty(of:)``).
    ///
    /// Each stage is the serving stack's function of the model, replaced by the strategy's
    /// `overrides` and then by the model's own `startup` figures; stages of no time are left out.
    public func startupSteps(of m: Int, overrides: StartupOverrides = StartupOverrides(), warmupRequest: Bool) -> [StartupStep] {
        let d = models[m]
        var seconds: [StartupStage: SimDuration] = [:]
        for (stage, s) in serving.stack.stageSeconds(d.architecture, tensorParallel: d.tensorParallel) {
            seconds[stage] = SimDuration(seconds: s)
        }
        if let c = overrides.container { seconds[.container] = c }
        if let r = overrides.runtimeInit { seconds[.runtimeInit] = r }
        if let w = overrides.warmup {
            seconds[.compile] = w
            seconds[.kvProfiling] = .zero
            seconds[.graphCapture] = .zero
            seconds[.firstRequest] = .zero
        }
        for (stage, s) in d.startup { seconds[stage] = s }
        var steps: [StartupStep] = []
        for stage in StartupStage.allCases {
            if stage == .weightLoad {
                steps.append(StartupStep(.weightLoad, d.startup[.weightLoad]))
                continue
            }
            if stage == .firstRequest && !warmupRequest { continue }
            if let s = seconds[stage], s > .zero { steps.append(StartupStep(stage, s)) }
        }
        return steps
    }

    /// The lazy initialisation the first request of a new process of model `m` pays when no
    /// warm-up request was sent.
    public func firstRequestPenalty(of m: Int) -> SimDuration {
        let d = models[m]
        if let s = d.startup[.firstRequest] { return s }
        let stages = serving.stack.stageSeconds(d.architecture, tensorParallel: d.tensorParallel)
        return SimDuration(seconds: stages.first { $0.0 == .firstRequest }?.1 ?? 0)
    }

    /// Bytes one replica of model `m` reads from storage in all (each rank's share, or the whole
    /// checkpoint per rank for a loader that cannot read shards), and the rate each rank reads at.
    public func weightLoad(of m: Int) -> (bytes: ByteCount, perRank: Bandwidth) {
        let d = models[m]
        let w = d.architecture.weightBytes
        let bytes = loader.bytesPerRank(w, tensorParallel: d.tensorParallel) == w ? ByteCount(bytes: w.bytes * Int64(d.tensorParallel)) : w
        return (bytes, loader.rate(from: storageTier))
    }

    /// The time model `m`'s weight load takes with nothing else in the way: each rank's bytes at
    /// the slowest of its loader's rate and its link's pageable rate, or the storage tier's
    /// bandwidth shared by the ranks.
    public func weightLoadEstimate(of m: Int) -> SimDuration {
        let d = models[m]
        if let s = d.startup[.weightLoad] { return s }
        let load = weightLoad(of: m)
        let tp = Double(d.tensorParallel)
        let perRank = min(load.perRank.bytesPerSecond, cluster.gpu.link.pageableHostToDevice.bytesPerSecond, storageTier.bandwidth.bytesPerSecond / tp)
        return cluster.gpu.link.latency + SimDuration(seconds: Double(load.bytes.bytes) / tp / perRank)
    }

    /// The whole start-up of model `m` with nothing else in the way.
    public func startupEstimate(of m: Int, overrides: StartupOverrides = StartupOverrides(), warmupRequest: Bool) -> SimDuration {
        var total = SimDuration.zero
        for step in startupSteps(of: m, overrides: overrides, warmupRequest: warmupRequest) {
            total += step.duration ?? weightLoadEstimate(of: m)
        }
        return total
    }
}
