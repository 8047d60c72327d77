/// What a strategy may do and see: the effects it may ask the engine for, and read-only views
/// of the state.
///
/// Like a channel handler's context, it is the strategy's whole interface to the simulation:
/// a strategy holds no reference to the engine. A context is valid only during the hook it was
/// handed to.
struct StrategyContext {
    private let engine: Simulation

    init(engine: Simulation) { self.engine = engine }

    // MARK: Facts

    var now: SimInstant { engine.now }
    var scenario: Scenario { engine.scenario }
    /// The strategy's pool: the first `pool` GPUs of the cluster.
    var pool: Int { engine.poolSize }
    var gpuCapacity: ByteCount { engine.scenario.cluster.gpu.memory }
    func node(ofGPU g: Int) -> Int { engine.node(ofGPU: g) }

    // MARK: Replicas (read-only views; read in place, never copied whole)

    // Each reads through a pointer into the engine's array (``Simulation/readReplica(_:_:)``): a
    // read through the array's subscript copies the whole replica (its batcher's arrays retained
    // and released) whenever the property read is not inlined into the projection.

    var replicaCount: Int { engine.replicas.count }
    @inline(__always) func model(of r: Int) -> Int { engine.readReplica(r) { $0.pointee.model } }
    @inline(__always) func gpus(of r: Int) -> Range<Int> { engine.readReplica(r) { $0.pointee.gpus } }
    @inline(__always) func node(of r: Int) -> Int { engine.readReplica(r) { $0.pointee.node } }
    @inline(__always) func state(of r: Int) -> ReplicaState { engine.readReplica(r) { $0.pointee.state } }
    /// Whether replica `r` has nothing running, queued or waiting.
    @inline(__always) func isIdle(_ r: Int) -> Bool { engine.readReplica(r) { $0.pointee.isIdle } }
    /// Requests running or queued in `r`'s batch.
    @inline(__always) func outstanding(_ r: Int) -> Int { engine.readReplica(r) { $0.pointee.batcher.outstanding } }
    /// Requests waiting for `r` to become ready.
    @inline(__always) func pendingCount(_ r: Int) -> Int { engine.readReplica(r) { $0.pointee.pending.count } }
    /// `r`'s last arrival or completion.
    @inline(__always) func lastUsed(_ r: Int) -> SimInstant { engine.readReplica(r) { $0.pointee.lastUsed } }
    /// Requests routed to `r` so far.
    @inline(__always) func uses(_ r: Int) -> Int64 { engine.readReplica(r) { $0.pointee.uses } }

    // MARK: Memory (MemoryLedger)

    func freeGPU(_ g: Int) -> ByteCount { engine.ledger.freeGPU(g) }
    /// Models holding memory on GPU `g`.
    func models(on g: Int) -> Int { engine.ledger.models(on: g) }
    /// Whether model `m` holds memory on GPU `g`.
    func holds(_ m: Int, on g: Int) -> Bool { engine.ledger.held(by: Int32(m), on: g) > 0 }
    /// Bytes model `m` (nil: server runtime reservations) holds on GPU `g`.
    func held(by m: Int?, on g: Int) -> ByteCount { ByteCount(bytes: engine.ledger.held(by: m.map { Int32($0) } ?? MemoryLedger.runtime, on: g)) }
    func freeHost(node: Int) -> ByteCount { engine.ledger.freeHost(node) }
    /// Takes `bytes` on each GPU of `gpus` for `model` (nil: server runtime reservations).
    func allocate(_ bytes: ByteCount, on gpus: Range<Int>, for model: Int?) { engine.allocate(bytes, on: gpus, for: model) }
    /// Returns memory taken with ``allocate(_:on:for:)``.
    func free(_ bytes: ByteCount, on gpus: Range<Int>, for model: Int?) { engine.free(bytes, on: gpus, for: model) }
    func reserveHost(_ bytes: ByteCount, node: Int) { engine.reserveHost(bytes, node: node) }
    func releaseHost(_ bytes: ByteCount, node: Int) { engine.releaseHost(bytes, node: node) }

    // MARK: Replicas and requests

    /// Adds a replica of `model` on `gpus` (consecutive GPUs of one node) and returns its index.
    func addReplica(model: Int, gpus: Range<Int>, state: ReplicaState) -> Int { engine.addReplica(model: model, gpus: gpus, state: state) }
    /// Stops idle replica `r`; its index may be reused.
    func stopReplica(_ r: Int) { engine.stopReplica(r) }
    func setState(_ r: Int, _ state: ReplicaState) { engine.setState(r, state) }
    /// Rebinds replica `r`, which must hold no GPU memory, to `gpus` (a server that moves with
    /// its memory: dynamic placement).
    func move(_ r: Int, to gpus: Range<Int>) { engine.move(r, to: gpus) }
    /// Sends `request` to replica `r`: into its batch if ready, else to wait until it is.
    func deliver(_ request: Int32, to r: Int) { engine.deliver(request, to: r) }
    /// Marks `r` ready and hands it the requests that waited, their wait attributed to `cause`.
    /// Calls ``ServingStrategy/replicaIdle(_:_:)`` before returning if `r` then has none.
    func makeReady(_ r: Int, cause: WaitCause) { engine.makeReady(r, cause: cause) }

    // MARK: Transfers, timers, stages

    /// Moves `bytes` of `r`'s memory (split over its GPUs) after the link latency plus `overhead`;
    /// ``ServingStrategy/transferFinished(_:kind:_:)`` hears when it ends.
    /// `cap` limits each GPU's share of the copy (a loader's rate, a mechanism's share of the link).
    func startTransfer(_ kind: TransferKind, replica r: Int, bytes: ByteCount, overhead: SimDuration = .zero, cap: Bandwidth? = nil) {
        engine.startTransfer(kind, replica: r, bytes: bytes, overhead: overhead, cap: cap)
    }
    /// Replica `r` begins start-up stage `stage` (logged and timed until its next stage or until it is ready).
    func beginStage(_ r: Int, _ stage: StartupStage, bytes: ByteCount = .zero) { engine.beginStage(r, stage, bytes: bytes) }
    /// Makes the next iteration replica `r` runs take `delay` longer: the lazy initialisation a
    /// process pays on its first request.
    func delayFirstIteration(_ r: Int, by delay: SimDuration) { engine.delayFirstIteration(r, by: delay) }
    func setTimer(_ key: TimerKey, after delay: SimDuration) { engine.setTimer(key, after: delay) }
    func cancelTimer(_ key: TimerKey) { engine.cancelTimer(key) }
    /// Sets model `m`'s timer to fire after `delay` only if the model is cold then (``Simulation/setColdTimer(model:after:)``).
    func setColdTimer(model m: Int, after delay: SimDuration) { engine.setColdTimer(model: m, after: delay) }
    /// ``ServingStrategy/stageFinished(_:_:)`` hears of `r` after `delay`.
    func scheduleStage(_ r: Int, after delay: SimDuration) { engine.scheduleStage(r, after: delay) }

    // MARK: Records

    func record(_ kind: LifecycleEvent.Kind, replica r: Int, bytes: ByteCount = .zero, reason: LifecycleReason) {
        engine.record(kind, replica: r, bytes: bytes, reason: reason)
    }
    /// Adds one to the strategy's counter number `k` (its registry entry's order) for model `m`.
    func count(_ k: Int, model m: Int) { engine.count(k, model: m) }

    /// Model `m`'s next request not yet arrived (nil: none); only for a strategy that declares
    /// ``ServingStrategy/needsFuture``.
    func nextArrival(of m: Int) -> SimInstant? { engine.nextArrival(of: m) }
}
