extension StrategyKind {
    /// Idle replicas are torn down; the next request pays a cold start.
    public static let scaleToZero = StrategyKind(name: "scale-to-zero")
}

/// The scale-to-zero strategy's settings.
public struct ScaleToZeroConfig: Hashable, Sendable {
    /// How long an idle replica is kept before it is torn down.
    public var keepAlive: SimDuration
    /// Container or pod start, in place of the serving stack's (nil: the stack's).
    public var containerStart: SimDuration?
    /// Runtime and CUDA context initialisation, in place of the stack's.
    public var runtimeInit: SimDuration?
    /// Everything after the weight load until the server serves at full speed (compile, KV
    /// profiling, graph capture and the first request's initialisation), in place of the stack's.
    public var warmup: SimDuration?
    /// Whether each new replica is sent a warm-up request before it takes traffic, so its first
    /// real request does not pay the process's lazy initialisation (the start-up does).
    public var warmupRequest: Bool
    /// Outstanding requests per replica above which another replica is started (nil: never scale out).
    public var targetConcurrency: Int?
    /// Most replicas of one model (`models[].replicas` overrides it per model).
    public var maxReplicas: Int
    /// Most GPUs held at once, the first of the cluster's (nil: all of them).
    public var gpus: Int?
    /// When the pool is full, tear down an idle replica (the eviction policy's first) to make
    /// room, instead of waiting for one to reach the end of its keep-alive window.
    public var evictIdleWhenFull: Bool
    /// Which idle replica goes first when one is torn down to make room.
    public var eviction: EvictionPolicy

    public init(
        keepAlive: SimDuration, containerStart: SimDuration? = nil, runtimeInit: SimDuration? = nil, warmup: SimDuration? = nil,
        warmupRequest: Bool = false, targetConcurrency: Int? = nil, maxReplicas: Int = 1, gpus: Int? = nil, evictIdleWhenFull: Bool = false,
        eviction: EvictionPolicy = .lru
    ) {
        self.gpus = gpus
        self.evictIdleWhenFull = evictIdleWhenFull
        self.keepAlive = keepAlive
        self.containerStart = containerStart
        self.runtimeInit = runtimeInit
        self.warmup = warmup
        self.warmupRequest = warmupRequest
        self.targetConcurrency = targetConcurrency
        self.maxReplicas = maxReplicas
        self.eviction = eviction
    }

    /// The start-up figures it states in place of the stack's.
    public var overrides: StartupOverrides { StartupOverrides(container: containerStart, runtimeInit: runtimeInit, warmup: warmup) }
}

extension Scenario {
    /// The scale-to-zero strategy's settings (`strategies.scale-to-zero`).
    public var scaleToZero: ScaleToZeroConfig {
        get {
            let s = strategies[.scaleToZero]
            return ScaleToZeroConfig(
                keepAlive: s.duration("keep_alive"), containerStart: s.optionalDuration("cold_start.container"),
                runtimeInit: s.optionalDuration("cold_start.runtime_init"), warmup: s.optionalDuration("cold_start.warmup"),
                warmupRequest: s.flag("warmup_request"),
                targetConcurrency: s.optionalInteger("target_concurrency"), maxReplicas: s.integer("max_replicas"), gpus: s.pool,
                evictIdleWhenFull: s.flag("evict_idle_when_full"), eviction: EvictionPolicy(rawValue: s.choice("eviction"))!)
        }
        set {
            var s = strategies[.scaleToZero]
            s["keep_alive"] = .duration(newValue.keepAlive)
            s["cold_start.container"] = .optionalDuration(newValue.containerStart)
            s["cold_start.runtime_init"] = .optionalDuration(newValue.runtimeInit)
            s["cold_start.warmup"] = .optionalDuration(newValue.warmup)
            s["warmup_request"] = .flag(newValue.warmupRequest)
            s["target_concurrency"] = .optionalInteger(newValue.targetConcurrency)
            s["max_replicas"] = .integer(newValue.maxReplicas)
            s["gpus"] = .optionalInteger(newValue.gpus)
            s["evict_idle_when_full"] = .flag(newValue.evictIdleWhenFull)
            s["eviction"] = .choice(newValue.eviction.rawValue)
            strategies[.scaleToZero] = s
        }
    }
}

/// Idle replicas are torn down after a keep-alive window; a request for a model with no
/// replica pays a full cold start. GPUs are billed only while a replica holds them.
///
/// A replica takes whole GPUs (as a Kubernetes pod requesting `nvidia.com/gpu` does): no two
/// of its replicas share a GPU. Its cold start runs the serving stack's stages in order
/// (``Scenario/startupSteps(of:overrides:warmupRequest:)``): container, runtime, the weight load
/// (a flow through the storage tier, the node's topology and the GPU links, each rank capped at
/// its loader's rate), compile, KV profiling and graph capture; requests that arrive meanwhile
/// wait for it, and the first pays the process's lazy initialisation unless a warm-up request
/// was sent. Each stage is logged and timed. When the pool has no free GPU the cold start waits, first come first
/// served, for a replica to reach the end of its keep-alive window (as a Kubernetes pod waits
/// for a GPU); with `evictIdleWhenFull`, an idle replica (the eviction policy's first) is torn
/// down at once instead. With a target concurrency, a model whose outstanding requests exceed
/// target × replicas gets another replica (Knative's rule), up to its maximum.
///
/// In a mixed pool (``HybridStrategy``) it serves the scale-to-zero models: a replica then
/// takes GPUs no other of its replicas holds, beside whatever pinned and hot-swap models hold there.
final class ScaleToZeroStrategy: ServingStrategy, ReleasingTier {
    static let descriptor = StrategyDescriptor(
        kind: .scaleToZero,
        summary: "idle replicas are torn down after a keep-alive window; the next request pays a cold start",
        settings: [
            SettingSpec("keep_alive", .duration, default: .duration(.minutes(5)), "how long an idle replica is kept before it is torn down"),
            SettingSpec("cold_start.container", .optionalDuration, default: .optionalDuration(nil), "container or pod start, in place of the serving stack's"),
            SettingSpec("cold_start.runtime_init", .optionalDuration, default: .optionalDuration(nil), "runtime and CUDA context initialisation, in place of the serving stack's"),
            SettingSpec("cold_start.warmup", .optionalDuration, default: .optionalDuration(nil), "everything after the weight load (compile, KV profiling, graph capture, first-request initialisation), in place of the serving stack's"),
            SettingSpec("warmup_request", .flag, default: .flag(false), "send each new replica a warm-up request before it takes traffic (start-up pays the first request's initialisation)"),
            SettingSpec("target_concurrency", .optionalInteger(1...ScenarioLimits.maxBatch), default: .optionalInteger(nil), "scale out above this many outstanding requests per replica (unset: never)"),
            SettingSpec("max_replicas", .integer(1...ScenarioLimits.maxReplicas), default: .integer(1), "most replicas of one model (models[].replicas overrides it)"),
            SettingSpec("evict_idle_when_full", .flag, default: .flag(false), "when the pool is full, tear down an idle replica at once instead of waiting for a keep-alive to expire"),
            SettingSpec("eviction", .choice(EvictionPolicy.allCases.map(\.rawValue)), default: .choice("lru"), "which idle replica goes first when one is torn down for room", noun: "eviction policy"),
        ],
        planAxes: [.keepAlive],
        billing: { _ in .occupied },
        make: { ScaleToZeroStrategy(scenario: $0, members: Array($0.models.indices)) })

    /// The models it serves.
    let members: [Int]
    private let config: ScaleToZeroConfig
    private var ranking: EvictionRanking
    private var liveReplicas: [[Int]]
    /// Requests for models that have no replica yet, waiting for GPUs.
    private var waiting: [FIFOQueue<Int32>]
    /// Models waiting for GPUs to start a replica, first come first served.
    private var gpuWait = FIFOQueue<(model: Int, reason: LifecycleReason)>()
    /// Per model, its starts waiting in `gpuWait`: such a model is warming, not cold. Lower it
    /// only as a replica is added for the model: ``readiness(of:_:)`` must turn a model cold only
    /// with a replica's change of state, which the engine's pre-warm timers rely on
    /// (``Simulation/setColdTimer(model:after:)`` skips its check on that promise).
    private var queuedForGPU: [Int]
    /// Per GPU, the replica of this strategy holding it.
    private var owner: [Int?]
    /// Per replica, the index of its cold-start step in progress, and per model its steps.
    private var stage: [Int] = []
    private var steps: [[StartupStep]] = []
    /// Per model, its whole start-up with nothing else in the way (the eviction policies' reload cost).
    private var estimates: [SimDuration] = []
    /// In a mixed pool: where to ask for idle memory other tiers hold.
    weak var arbiter: (any MemoryArbiter)?
    /// The first GPU of the pool it may use: in a mixed pool whose pinned models have GPUs of
    /// their own (`pinned_gpus: own`), the first after theirs; set before ``start(_:)``.
    var firstGPU = 0
    /// Per model, its replica's memory on each of its GPUs, its GPU groups, its batch limit and
    /// its replica limit: read on every request, so kept here rather than copied out of the
    /// scenario each time (a copy of the scenario retains every array it holds).
    private let footprint: [ByteCount]
    private var groupsOf: [[Range<Int>]] = []
    private let maxBatchOf: [Int]
    private let replicaLimit: [Int]

    init(scenario: Scenario, members: [Int]) {
        self.members = members
        let config = scenario.scaleToZero
        self.config = config
        steps = scenario.models.indices.map { scenario.startupSteps(of: $0, overrides: config.overrides, warmupRequest: config.warmupRequest) }
        estimates = scenario.models.indices.map { scenario.startupEstimate(of: $0, overrides: config.overrides, warmupRequest: config.warmupRequest) }
        ranking = EvictionRanking(config.eviction)
        let n = scenario.models.count
        liveReplicas = Array(repeating: [], count: n)
        waiting = Array(repeating: FIFOQueue(), count: n)
        queuedForGPU = Array(repeating: 0, count: n)
        owner = Array(repeating: nil, count: scenario.cluster.gpuCount)
        footprint = scenario.models.map { scenario.perGPUFootprint($0) }
        maxBatchOf = scenario.models.map(\.maxBatch)
        replicaLimit = scenario.models.indices.map { scenario.replicas(of: $0, default: config.maxReplicas) }
    }

    var needsFuture: Bool { config.eviction == .belady && config.evictIdleWhenFull }

    func start(_ ctx: StrategyContext) throws(ScenarioError) {
        var groupsByWidth: [Int: [Range<Int>]] = [:]
        for m in members where groupsByWidth[ctx.scenario.models[m].tensorParallel] == nil {
            let w = ctx.scenario.models[m].tensorParallel
            groupsByWidth[w] = Placement.groups(width: w, cluster: ctx.scenario.cluster, limit: ctx.pool, from: firstGPU)
        }
        groupsOf = ctx.scenario.models.map { groupsByWidth[$0.tensorParallel] ?? [] }
    }

    func route(_ request: Int32, model: Int, _ ctx: StrategyContext) {
        var best: Int? = nil
        var loading: Int? = nil
        var outstanding = 0
        for r in liveReplicas[model] {
            outstanding += ctx.outstanding(r) + ctx.pendingCount(r)
            if ctx.state(of: r) == .ready {
                if best == nil || ctx.outstanding(r) < ctx.outstanding(best!) { best = r }
            } else if loading == nil || ctx.pendingCount(r) < ctx.pendingCount(loading!) {
                loading = r
            }
        }
        if let r = best ?? loading {
            ctx.deliver(request, to: r)
            let replicas = replicaLimit[model]
            // Without a target, a model allowed several replicas scales out past a full batch each.
            if let target = config.targetConcurrency ?? (replicas > 1 ? maxBatchOf[model] : nil),
                outstanding + 1 > target * liveReplicas[model].count,
                liveReplicas[model].count + queuedForGPU[model] < replicas
            {
                requestReplica(model, reason: .scaleOut(outstanding: Int32(outstanding + 1), replicas: Int32(liveReplicas[model].count)), ctx)
            }
            return
        }
        waiting[model].append(request)
        if queuedForGPU[model] == 0 {
            requestReplica(model, reason: .requestNoReplica, ctx)
        }
    }

    private func requestReplica(_ model: Int, reason: LifecycleReason, _ ctx: StrategyContext) {
        queuedForGPU[model] += 1
        gpuWait.append((model, reason))
        startWaiting(ctx)
    }

    /// Starts cold starts for waiting models, first come first served, while GPUs can be found.
    private func startWaiting(_ ctx: StrategyContext) {
        while let head = gpuWait.first {
            guard let group = findGPUs(for: head.model, ctx) else { return }
            _ = gpuWait.popFirst()
            queuedForGPU[head.model] -= 1
            coldStart(head.model, on: group, reason: head.reason, ctx)
        }
    }

    /// Whether GPU `g` can take `need` bytes for a new replica, once `freed` bytes are returned.
    private func room(_ g: Int, need: ByteCount, freed: ByteCount, _ ctx: StrategyContext) -> Bool {
        ctx.freeGPU(g) + freed >= need && ctx.models(on: g) < ScenarioLimits.maxServersPerGPU
    }

    /// A group of GPUs for `model` that no replica of this strategy holds; with
    /// `evictIdleWhenFull`, tearing down idle replicas (the policy's first) if that is what it takes.
    private func findGPUs(for model: Int, _ ctx: StrategyContext) -> Range<Int>? {
        let need = footprint[model]
        if let g = groupsOf[model].first(where: { $0.allSatisfy { owner[$0] == nil && room($0, need: need, freed: .zero, ctx) } }) { return g }
        if let a = arbiter {
            // A mixed pool: the first group free of these replicas where the other tiers' idle
            // models can make room; wait there while their memory comes free.
            for g in groupsOf[model] where g.allSatisfy({ owner[$0] == nil }) {
                guard g.allSatisfy({ ctx.freeGPU($0).bytes + a.reclaimable(on: $0, excluding: .scaleToZero, ctx) >= need.bytes }) else { continue }
                a.reclaim(on: g, need: need.bytes, for: model, excluding: .scaleToZero, ctx)
                return g.allSatisfy { room($0, need: need, freed: .zero, ctx) } ? g : nil
            }
        }
        guard config.evictIdleWhenFull else { return nil }
        // The group whose most valuable idle owner ranks lowest (ties: the first group).
        var best: (group: Range<Int>, primary: Int64, lastUsed: Int64)? = nil
        for g in groupsOf[model] {
            var top: (primary: Int64, lastUsed: Int64)? = nil
            var ok = true
            for x in g {
                var freed = ByteCount.zero
                if let r = owner[x] {
                    if ctx.state(of: r) != .ready || !ctx.isIdle(r) { ok = false; break }
                    let k = key(of: r, ctx)
                    if top == nil || (k.primary, k.lastUsed) > top! { top = (k.primary, k.lastUsed) }
                    freed = footprint[ctx.model(of: r)]
                }
                if !room(x, need: need, freed: freed, ctx) { ok = false; break }
            }
            guard ok, let t = top else { continue }
            if best == nil || (t.primary, t.lastUsed) < (best!.primary, best!.lastUsed) { best = (g, t.primary, t.lastUsed) }
        }
        guard let g = best?.group else { return nil }
        var victims: [Int] = []
        for x in g { if let r = owner[x], !victims.contains(r) { victims.append(r) } }
        for r in victims {
            ranking.evicted(key(of: r, ctx))
            ctx.record(.eviction, replica: r, reason: .poolFull(for: Int32(model)))
            tearDown(r, reason: .tornDownFor(Int32(model)), ctx)
        }
        return g
    }

    private func key(of r: Int, _ ctx: StrategyContext) -> EvictionKey {
        let m = ctx.model(of: r)
        return ranking.key(EvictionFacts(
            index: r, lastUsed: ctx.lastUsed(r), uses: ctx.uses(r), bytes: footprint[m],
            reloadCost: ranking.needsReloadCost ? coldStartEstimate(m, ctx) : .zero, nextUse: ranking.policy == .belady ? ctx.nextArrival(of: m) : nil))
    }

    private func coldStart(_ model: Int, on gpus: Range<Int>, reason: LifecycleReason, _ ctx: StrategyContext) {
        let s = ctx.scenario
        let r = ctx.addReplica(model: model, gpus: gpus, state: .loading)
        for g in gpus { owner[g] = r }
        ctx.allocate(s.perGPUFootprint(s.models[model]), on: gpus, for: model)
        if r >= stage.count { stage.append(contentsOf: repeatElement(0, count: r + 1 - stage.count)) }
        stage[r] = 0
        liveReplicas[model].append(r)
        ctx.record(.coldStart, replica: r, bytes: s.weightLoad(of: model).bytes, reason: reason)
        while let slot = waiting[model].popFirst() { ctx.deliver(slot, to: r) }
        runStep(r, ctx)
    }

    /// Starts replica `r`'s cold-start step `stage[r]`, or makes it ready after the last.
    private func runStep(_ r: Int, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        guard stage[r] < steps[m].count else {
            if !config.warmupRequest && config.warmup == nil {
                ctx.delayFirstIteration(r, by: ctx.scenario.firstRequestPenalty(of: m))
            }
            ctx.makeReady(r, cause: .coldStart)
            return
        }
        let step = steps[m][stage[r]]
        if let d = step.duration {
            ctx.beginStage(r, step.stage)
            ctx.scheduleStage(r, after: d)
        } else {
            let load = ctx.scenario.weightLoad(of: m)
            ctx.beginStage(r, .weightLoad)
            ctx.startTransfer(.load, replica: r, bytes: load.bytes, cap: load.perRank)
        }
    }

    func stageFinished(_ r: Int, _ ctx: StrategyContext) {
        stage[r] += 1
        runStep(r, ctx)
    }

    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext) {
        stage[r] += 1
        runStep(r, ctx)
    }

    func replicaIdle(_ r: Int, _ ctx: StrategyContext) {
        guard ctx.state(of: r) == .ready else { return }
        if !gpuWait.isEmpty { startWaiting(ctx) }
        if ctx.state(of: r) == .ready {
            ctx.setTimer(.replica(r), after: config.keepAlive)
        }
    }

    func timerFired(_ key: TimerKey, _ ctx: StrategyContext) {
        guard case let .replica(r) = key, ctx.state(of: r) == .ready, ctx.isIdle(r) else { return }
        tearDown(r, reason: .keepAliveExpired, ctx)
        startWaiting(ctx)
    }

    private func tearDown(_ r: Int, reason: LifecycleReason, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        let gpus = ctx.gpus(of: r)
        ctx.record(.teardown, replica: r, reason: reason)
        ctx.free(footprint[m], on: gpus, for: m)
        for g in gpus { owner[g] = nil }
        liveReplicas[m].removeAll { $0 == r }
        ctx.stopReplica(r)
    }

    // MARK: ReleasingTier (a mixed pool)

    func reclaimable(on g: Int, _ ctx: StrategyContext) -> Int64 {
        guard let r = owner[g], ctx.state(of: r) == .ready, ctx.isIdle(r) else { return 0 }
        return footprint[ctx.model(of: r)].bytes
    }

    func release(on gpus: Range<Int>, need: Int64, for m: Int, _ ctx: StrategyContext) {
        for g in gpus where ctx.freeGPU(g).bytes < need {
            guard let r = owner[g], ctx.state(of: r) == .ready, ctx.isIdle(r) else { continue }
            ranking.evicted(key(of: r, ctx))
            ctx.record(.eviction, replica: r, reason: .makeRoom(for: Int32(m)))
            tearDown(r, reason: .tornDownFor(Int32(m)), ctx)
        }
    }

    /// Starts waiting cold starts that memory freed elsewhere (another tier of a mixed pool) now allows.
    func retryWaiting(_ ctx: StrategyContext) {
        if !gpuWait.isEmpty { startWaiting(ctx) }
    }

    func prewarm(model m: Int, _ ctx: StrategyContext) -> Bool {
        guard liveReplicas[m].isEmpty, queuedForGPU[m] == 0, gpuWait.isEmpty else { return false }
        let need = footprint[m]
        guard let g = groupsOf[m].first(where: { $0.allSatisfy { owner[$0] == nil && room($0, need: need, freed: .zero, ctx) } }) else { return false }
        coldStart(m, on: g, reason: .prewarm, ctx)
        return true
    }

    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration { coldStartEstimate(m, ctx) }

    /// A cold start's stages, the load with nothing else in the way.
    private func coldStartEstimate(_ m: Int, _ ctx: StrategyContext) -> SimDuration { estimates[m] }

    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness {
        if liveReplicas[m].contains(where: { ctx.state(of: $0) == .ready }) { return .warm }
        return liveReplicas[m].isEmpty && queuedForGPU[m] == 0 ? .cold : .warming
    }

    func tierName(of m: Int) -> String { ModelTier.scaleToZero.rawValue }
}
