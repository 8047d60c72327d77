extension StrategyKind {
    /// One pool where each model has its own tier: pinned, hot-swap or scale-to-zero.
    public static let hybrid = StrategyKind(name: "hybrid")
}

/// How a mixed pool's pinned models share GPUs with its other tiers (`pinned_gpus`).
public enum PinnedGPUs: String, CaseIterable, Sendable {
    /// The other tiers use whatever memory the pinned models leave, on any GPU.
    case shared
    /// Each pinned replica takes GPUs of its own, on the first GPUs of the pool; the other
    /// tiers use only the GPUs after them.
    case own
}

/// One pool of GPUs where each model is served its own way (`models[].strategy`): pinned
/// models stay resident, hot-swap models share the rest of the memory and swap to host, and
/// scale-to-zero models cold-start into whatever room is free.
///
/// It composes the single strategies, each restricted to its models and sharing the pool:
/// - pinned models are placed first, by always-warm's placement (spread over the pool);
/// - hot-swap servers are then bound beside them (hot-swap's rules, on the least loaded GPUs
///   counting the pinned memory), and evict only other hot-swap models;
/// - scale-to-zero replicas take GPU groups none of its other replicas holds, when the memory
///   there is free (scale-to-zero's rules), and tear down only other scale-to-zero replicas.
///
/// With `pinned_gpus: own` each pinned replica instead takes GPUs of its own, on the first
/// GPUs of the pool (widest first), and the other tiers use only the GPUs after them: a busy
/// pinned model is then never time-sliced with another model, at the price of the memory its
/// GPUs leave free. Which is cheaper depends on the traffic; the planner searches both.
///
/// Memory is settled between tiers (``MemoryArbiter``): a hot-swap model short of room after
/// evicting the idle hot-swap models it may tears down idle scale-to-zero replicas on its GPUs,
/// and a scale-to-zero model with no free group swaps out idle hot-swap models in the first
/// group where that makes room. After every event that freed memory or left a replica idle,
/// the hot-swap tier, then the scale-to-zero tier, retry what waited.
///
/// With every model in one tier it is that strategy, byte for byte (tested): the pool is
/// billed whole, unless every model scales to zero (then GPUs are billed while held).
final class HybridStrategy: ServingStrategy, MemoryArbiter {
    static let descriptor = StrategyDescriptor(
        kind: .hybrid,
        summary: "one pool, a tier per model (models[].strategy): pinned models stay resident, hot-swap models swap to host, scale-to-zero models cold-start",
        settings: [
            SettingSpec(
                "pinned_gpus", .choice(PinnedGPUs.allCases.map(\.rawValue)), default: .choice(PinnedGPUs.shared.rawValue),
                "whether the pinned models share their GPUs with the other tiers (shared) or take GPUs of their own, the other tiers using the rest of the pool (own)",
                noun: "pinned GPU placement")
        ],
        planAxes: [.tiers, .pinnedGPUs],
        inCompare: { s in s.strategies[.hybrid].given || s.models.contains { $0.tier != nil } },
        billing: { s in s.models.indices.allSatisfy { s.tier(of: $0) == .scaleToZero } ? .occupied : .pool },
        make: { HybridStrategy(scenario: $0) })

    private let pinned: AlwaysWarmStrategy?
    private let swap: HotSwapStrategy?
    private let zero: ScaleToZeroStrategy?
    private let tiers: [ModelTier]
    private let pinnedGPUs: PinnedGPUs
    /// Each part, by tier, in the order they start.
    private let parts: [any ServingStrategy]

    init(scenario s: Scenario) {
        let tiers = s.models.indices.map { s.tier(of: $0) }
        self.tiers = tiers
        pinnedGPUs = PinnedGPUs(rawValue: s.strategies[.hybrid].choice("pinned_gpus")) ?? .shared
        let p = tiers.indices.filter { tiers[$0] == .pinned }
        let h = tiers.indices.filter { tiers[$0] == .hotSwap }
        let z = tiers.indices.filter { tiers[$0] == .scaleToZero }
        pinned = p.isEmpty ? nil : AlwaysWarmStrategy(scenario: s, members: p, isPinnedTier: true)
        swap = h.isEmpty ? nil : HotSwapStrategy(scenario: s, members: h)
        zero = z.isEmpty ? nil : ScaleToZeroStrategy(scenario: s, members: z)
        parts = [pinned as (any ServingStrategy)?, swap, zero].compactMap { $0 }
        if parts.count > 1 {
            // Hot-swap asks for memory only scale-to-zero's idle replicas can give (pinned
            // models never leave): without that tier it has no arbiter, and replays every failed
            // try it can (``HotSwapStrategy``).
            if zero != nil { swap?.arbiter = self }
            zero?.arbiter = self
        }
    }

    private func part(of m: Int) -> any ServingStrategy {
        switch tiers[m] {
        case .pinned: return pinned!
        case .hotSwap: return swap!
        case .scaleToZero: return zero!
        }
    }

    var needsFuture: Bool { parts.contains { $0.needsFuture } }
    var billedHostMemory: ByteCount { swap?.billedHostMemory ?? .zero }

    func start(_ ctx: StrategyContext) throws(ScenarioError) {
        var first = 0
        if pinnedGPUs == .own, let p = pinned, parts.count > 1 {
            p.exclusive = true
            try p.start(ctx)
            first = p.gpusHeld
            if first >= ctx.pool { throw .noGPUsBesidePinned(pinnedGPUs: first, pool: ctx.pool) }
            swap?.firstGPU = first
            zero?.firstGPU = first
            for q in parts.dropFirst() { try q.start(ctx) }
        } else {
            for p in parts { try p.start(ctx) }
        }
        try checkScaleToZeroRoom(from: first, ctx)
    }

    /// Every scale-to-zero model fits some group beside what never leaves the GPUs: the pinned
    /// models and the hot-swap servers' runtime reservations. Otherwise its requests would wait forever.
    private func checkScaleToZeroRoom(from first: Int, _ ctx: StrategyContext) throws(ScenarioError) {
        let s = ctx.scenario
        let pinnedModels = tiers.indices.filter { tiers[$0] == .pinned }
        var permanent: [ByteCount] = []
        for g in 0..<ctx.pool {
            var held = ctx.held(by: nil, on: g)
            for m in pinnedModels { held += ctx.held(by: m, on: g) }
            permanent.append(held)
        }
        for (m, t) in tiers.enumerated() where t == .scaleToZero {
            let need = s.perGPUFootprint(s.models[m])
            let groups = Placement.groups(width: s.models[m].tensorParallel, cluster: s.cluster, limit: ctx.pool, from: first)
            let most = groups.map { g in g.map { ctx.gpuCapacity - permanent[$0] }.min()! }.max() ?? .zero
            if most < need { throw .noRoomToScaleFromZero(model: s.models[m].name, needed: need, most: most) }
        }
    }

    func route(_ request: Int32, model: Int, _ ctx: StrategyContext) { part(of: model).route(request, model: model, ctx) }
    func replicaIdle(_ r: Int, _ ctx: StrategyContext) { part(of: ctx.model(of: r)).replicaIdle(r, ctx) }
    func stageFinished(_ r: Int, _ ctx: StrategyContext) { part(of: ctx.model(of: r)).stageFinished(r, ctx) }
    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext) { part(of: ctx.model(of: r)).transferFinished(r, kind: kind, ctx) }

    func timerFired(_ key: TimerKey, _ ctx: StrategyContext) {
        switch key {
        case let .replica(r): part(of: ctx.model(of: r)).timerFired(key, ctx)
        case let .model(m): part(of: m).timerFired(key, ctx)
        }
    }

    func settle(_ ctx: StrategyContext) {
        // A tier alone retries its own waiting work when it frees memory.
        guard parts.count > 1 else { return }
        swap?.retryWaiting(ctx)
        zero?.retryWaiting(ctx)
    }

    // MARK: MemoryArbiter

    /// The tiers that can give memory back, other than `tier`: scale-to-zero first (a teardown
    /// frees at once), then hot-swap (a swap-out copies first).
    private func releasers(excluding tier: ModelTier) -> [any ReleasingTier] {
        var out: [any ReleasingTier] = []
        if tier != .scaleToZero, let z = zero { out.append(z) }
        if tier != .hotSwap, let h = swap { out.append(h) }
        return out
    }

    func reclaimable(on g: Int, excluding tier: ModelTier, _ ctx: StrategyContext) -> Int64 {
        releasers(excluding: tier).reduce(0) { $0 + $1.reclaimable(on: g, ctx) }
    }

    func reclaim(on gpus: Range<Int>, need: Int64, for m: Int, excluding tier: ModelTier, _ ctx: StrategyContext) {
        for p in releasers(excluding: tier) { p.release(on: gpus, need: need, for: m, ctx) }
    }

    func prewarm(model m: Int, _ ctx: StrategyContext) -> Bool { part(of: m).prewarm(model: m, ctx) }
    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration { part(of: m).warmupEstimate(model: m, ctx) }
    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness { part(of: m).readiness(of: m, ctx) }
    func finish(_ ctx: StrategyContext) { for p in parts { p.finish(ctx) } }
    func tierName(of m: Int) -> String { tiers[m].rawValue }
}
