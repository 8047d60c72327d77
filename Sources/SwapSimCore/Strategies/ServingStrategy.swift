/// A policy that decides where requests go and when models move, driven by the engine.
///
/// The engine owns time, hardware, transfers and batches; a strategy only reacts to what the
/// engine reports and asks it for effects through the ``StrategyContext`` it is handed: take
/// and free memory, start a transfer, set a timer, mark a replica ready, record a lifecycle
/// step. It keeps its own per-replica state; the context's views are read-only.
///
/// Guarantees, for every hook:
/// - ``start(_:)`` runs exactly once, at time zero, before any other hook.
/// - Hooks run one at a time, at the instant of the event that caused them (``SimInstant``
///   `ctx.now`), in the engine's total event order (``EventPhase``).
/// - The engine calls back into the strategy during an effect in one case only:
///   ``StrategyContext/makeReady(_:cause:)`` hands the replica the requests that waited, and if
///   it then has none it calls ``replicaIdle(_:_:)`` before returning. No other effect calls a hook.
/// - Every hook has a no-op default, so a strategy implements only what it uses.
protocol ServingStrategy: AnyObject {
    /// Places the initial replicas. Throws if the scenario cannot run under this strategy.
    func start(_ ctx: StrategyContext) throws(ScenarioError)
    /// A request for `model` has arrived; the strategy must deliver it to a replica of that
    /// model (at once, or later) with ``StrategyContext/deliver(_:to:)``.
    func route(_ request: Int32, model: Int, _ ctx: StrategyContext)
    /// Replica `r` has nothing running, queued or waiting (after its last request completed,
    /// or when it became ready with none).
    func replicaIdle(_ r: Int, _ ctx: StrategyContext)
    /// The timer `key` has fired (it was not reset or cancelled since it was set).
    func timerFired(_ key: TimerKey, _ ctx: StrategyContext)
    /// The stage replica `r` scheduled with ``StrategyContext/scheduleStage(_:after:)`` has finished.
    func stageFinished(_ r: Int, _ ctx: StrategyContext)
    /// A transfer for replica `r` has finished (all its shards).
    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext)
    /// During the event just handled, GPU memory was freed or a replica became idle. Called
    /// after the event, once, so that a composite strategy can let its parts retry work that
    /// waited for room (which idle memory elsewhere may now provide).
    func settle(_ ctx: StrategyContext)
    /// Brings model `m` in ahead of a request a predictor expects, if the strategy can without
    /// delaying a waiting request. Returns whether it started to.
    func prewarm(model m: Int, _ ctx: StrategyContext) -> Bool
    /// How long bringing model `m` in from where it rests when idle takes (a swap-in, a cold
    /// start) with the links to itself, for predictors that must start early enough; zero for
    /// a model that never leaves.
    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration
    /// Whether model `m` is ready to serve, on its way in, or out. A model turns cold only
    /// when one of its replicas changes state: the engine's cold timers rely on it, and skip
    /// checks that it makes needless (``Simulation/setColdTimer(model:after:)``; debug builds
    /// check the promise after every event).
    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness
    /// The trace has ended and every request is done: the last hook, once, before the result.
    func finish(_ ctx: StrategyContext)
    /// Host swap space billed, for the whole horizon.
    var billedHostMemory: ByteCount { get }
    /// The name of the tier model `m` is served in (`pinned`, `hot-swap`, `scale-to-zero`).
    func tierName(of m: Int) -> String
    /// Whether it reads the trace's future (``StrategyContext/nextArrival(of:)``): the engine then
    /// reads the whole trace before the run.
    var needsFuture: Bool { get }
}

extension ServingStrategy {
    func replicaIdle(_ r: Int, _ ctx: StrategyContext) {}
    func timerFired(_ key: TimerKey, _ ctx: StrategyContext) {}
    func stageFinished(_ r: Int, _ ctx: StrategyContext) {}
    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext) {}
    func settle(_ ctx: StrategyContext) {}
    func prewarm(model m: Int, _ ctx: StrategyContext) -> Bool { false }
    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration { .zero }
    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness { .warm }
    func finish(_ ctx: StrategyContext) {}
    var billedHostMemory: ByteCount { .zero }
    var needsFuture: Bool { false }
}

/// Where a model stands for a request that would come now.
public enum Readiness: Sendable, Equatable {
    /// Some replica is ready.
    case warm
    /// A replica is on its way in (a swap-in, a cold start).
    case warming
    /// None is resident or coming.
    case cold
}

/// What a timer is set for: a replica (keep-alive, idle timeout) or a model (a prediction,
/// which may come when the model has no replica).
public enum TimerKey: Hashable, Sendable {
    case replica(Int)
    case model(Int)
}
