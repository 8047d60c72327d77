extension StrategyKind {
    /// A base strategy that brings each model in ahead of its predicted next request.
    public static let prewarm = StrategyKind(name: "pre-warm")
}

/// A base strategy (hot-swap, scale-to-zero or a hybrid pool) that also brings each model in
/// ahead of its next request, predicted from the model's own arrival history.
///
/// After every request for a model, its predictor (``PredictorKind``) says when the next is
/// expected; a timer for the model then fires a lead time before that: the base's estimate of
/// the model's warm-up (a swap-in, a cold start) with a quarter more, plus a tenth of the
/// predicted gap (the margin of Shahrad et al.'s pre-warm window). If the model is cold then,
/// the base brings it in as it would for a request, unless a request is waiting for room.
///
/// It counts, per model, every request that found its model:
/// - warm thanks to a pre-warm (a hit);
/// - still warming from a pre-warm (late);
/// - cold or warming with no pre-warm behind it (a miss);
/// and every pre-warm that no request used before the model left again (wasted).
final class PrewarmStrategy: ServingStrategy {
    static let descriptor = StrategyDescriptor(
        kind: .prewarm,
        summary: "a base strategy that brings each model in ahead of its predicted next request",
        settings: [
            SettingSpec("base", .choice(["hot-swap", "scale-to-zero", "hybrid"]), default: .choice("hot-swap"), "the strategy that serves; pre-warm adds predictions to it", noun: "base strategy"),
            SettingSpec("predictor", .choice(PredictorKind.allCases.map(\.rawValue)), default: .choice("histogram"), "how a model's next request is predicted", noun: "predictor"),
        ],
        inCompare: { s in s.strategies[.prewarm].given },
        counters: [
            CounterSpec(key: "prewarm_hits", label: "pre-warm hits"), CounterSpec(key: "prewarm_late", label: "pre-warm late"),
            CounterSpec(key: "prewarm_misses", label: "pre-warm misses"), CounterSpec(key: "prewarm_wasted", label: "pre-warm wasted"),
        ],
        pool: { s in s.strategies[.prewarm].pool ?? s.strategies[base(s)].pool },
        billing: { s in base(s).descriptor.billing(s) },
        make: { PrewarmStrategy(scenario: $0) })

    static func base(_ s: Scenario) -> StrategyKind { StrategyKind(rawValue: s.strategies[.prewarm].choice("base"))! }

    private enum Counter: Int { case hit, late, miss, wasted }

    private let base: any ServingStrategy
    /// Per model, its predictor: in the array of the chosen kind, the other empty. Concrete
    /// values held in place, so that each request's observation and prediction are direct calls.
    /// (`OwnedArray`s: a write to an `Array` held by a class checks first that it is not shared.)
    private let predictor: PredictorKind
    private var histograms = OwnedArray<IdleHistogramPredictor>(capacity: 1)
    private var ewmas = OwnedArray<EWMAPredictor>(capacity: 1)
    /// Per model, whether a pre-warm brought it in and no request has come since.
    private var pending: OwnedArray<Bool>

    init(scenario s: Scenario) {
        base = Self.base(s).descriptor.make(s)
        predictor = PredictorKind(rawValue: s.strategies[.prewarm].choice("predictor"))!
        switch predictor {
        case .histogram: histograms = OwnedArray(repeating: IdleHistogramPredictor(), count: s.models.count)
        case .ewma: ewmas = OwnedArray(repeating: EWMAPredictor(), count: s.models.count)
        }
        pending = OwnedArray(repeating: false, count: s.models.count)
    }

    /// Records model `m`'s arrival at `now` and returns when its next request is expected.
    @inline(__always) private func observe(model m: Int, at now: SimInstant) -> SimInstant? {
        // In place, in one mutating call: `histograms[m].predictNext()` copied the predictor
        // (retaining its histogram) first.
        switch predictor {
        case .histogram: return histograms[m].observeAndPredict(now)
        case .ewma: return ewmas[m].observeAndPredict(now)
        }
    }

    var needsFuture: Bool { base.needsFuture }
    var billedHostMemory: ByteCount { base.billedHostMemory }

    func start(_ ctx: StrategyContext) throws(ScenarioError) { try base.start(ctx) }

    func route(_ request: Int32, model m: Int, _ ctx: StrategyContext) {
        let readiness = base.readiness(of: m, ctx)
        if pending[m] {
            pending[m] = false
            switch readiness {
            case .warm: ctx.count(Counter.hit.rawValue, model: m)
            case .warming: ctx.count(Counter.late.rawValue, model: m)
            case .cold:
                ctx.count(Counter.wasted.rawValue, model: m)
                ctx.count(Counter.miss.rawValue, model: m)
            }
        } else if readiness != .warm {
            ctx.count(Counter.miss.rawValue, model: m)
        }
        base.route(request, model: m, ctx)
        guard let next = observe(model: m, at: ctx.now) else { return }
        let lead = SimDuration(seconds: 1.25 * base.warmupEstimate(model: m, ctx).seconds + 0.1 * (next - ctx.now).seconds)
        ctx.setColdTimer(model: m, after: max(.zero, (next - ctx.now) - lead))
    }

    func timerFired(_ key: TimerKey, _ ctx: StrategyContext) {
        guard case let .model(m) = key else { return base.timerFired(key, ctx) }
        if base.readiness(of: m, ctx) == .cold && base.prewarm(model: m, ctx) { pending[m] = true }
    }

    func replicaIdle(_ r: Int, _ ctx: StrategyContext) { base.replicaIdle(r, ctx) }
    func stageFinished(_ r: Int, _ ctx: StrategyContext) { base.stageFinished(r, ctx) }
    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext) { base.transferFinished(r, kind: kind, ctx) }
    func settle(_ ctx: StrategyContext) { base.settle(ctx) }
    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness { base.readiness(of: m, ctx) }
    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration { base.warmupEstimate(model: m, ctx) }
    func tierName(of m: Int) -> String { base.tierName(of: m) }

    func finish(_ ctx: StrategyContext) {
        for m in pending.indices where pending[m] { ctx.count(Counter.wasted.rawValue, model: m) }
        base.finish(ctx)
    }
}
