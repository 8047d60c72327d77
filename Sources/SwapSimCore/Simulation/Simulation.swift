/// Simulates one strategy serving one trace on one scenario's cluster.
///
/// The engine is the event loop: it pops events in their total order (``EventPhase``) and
/// dispatches them. The state it dispatches over lives in parts a reader can find by name:
/// - the request table and the replicas' batches (here, with ``Batcher``);
/// - memory, per tier (``MemoryLedger``);
/// - transfers and the links they share (``Interconnect``);
/// - GPU time-slicing (``GPUSharing``);
/// - the metrics, the lifecycle log and the timeline, turned into a result by ``ResultBuilder``.
///
/// A ``ServingStrategy`` decides where requests go and when models move; it sees the engine
/// only through a ``StrategyContext``. One instance runs one simulation: nothing is shared
/// between instances, so simulations may run on many threads at once.
///
/// Invariants (checked after every event in debug builds): no GPU holds more memory than it
/// has, every batch respects its KV and size limits, and every request ends exactly once.
final class Simulation {
    enum Event {
        case arrival
        case boundary(replica: Int32, generation: UInt32)
        case flows
        case transferReady(Int32)
        case stage(replica: Int32, generation: UInt32)
        case timer(replica: Int32, generation: UInt32)
        case modelTimer(model: Int32, generation: UInt32)
    }

    /// A model's cold timer: when it is due, its place in the order, and whether it is in the queue.
    struct ColdTimer {
        var at: SimInstant
        var key: UInt64
        var queued: Bool
    }

    struct RequestRecord {
        var arrival: Int64
        var readyAt: Int64 = 0
        var admitted: Int64 = 0
        var firstToken: Int64 = 0
        var model: Int32
        var inputTokens: Int32
        var outputTokens: Int32
        var cause: WaitCause = .none
        var prefixID: Int64 = -1
        var prefixTokens: Int32 = 0
        /// API latency added to its TTFT and end-to-end latency (with its share of the spread).
        var apiNs: Int64 = 0
    }

    let scenario: Scenario
    let kind: StrategyKind
    let strategy: any ServingStrategy
    private(set) var now: SimInstant = .zero
    private var events = EventQueue<Event>()
    private var source: any RequestSource
    private var nextRequest: TraceRequest?

    /// GPUs this strategy may use: the first `poolSize` of the cluster.
    let poolSize: Int
    let ledger: MemoryLedger
    private var interconnect: Interconnect
    private var scheduledFlowEvent: SimInstant? = nil
    /// Scratch for the transfers a flow event finishes.
    private var finishedTransfers: [Interconnect.Transfer] = []
    private var sharing: GPUSharing
    /// Set when memory is freed or a replica becomes idle during an event; the strategy hears
    /// of it after the event (``ServingStrategy/settle(_:)``).
    private var unsettled = false

    // Replicas and requests
    private(set) var replicas = OwnedArray<Replica>(capacity: 16)
    private var requests = Slab<RequestRecord>()
    private var outcomes: [BatchOutcome] = []
    /// Outcomes at the head of `outcomes` already handled.
    private var outcomesDone = 0
    private var resolvedScratch: [BatchOutcome] = []
    private var stoppedReplicas: [Int] = []
    private var modelTimerGeneration: OwnedArray<UInt32>
    /// Per model, its cold timer (``setColdTimer(model:after:)``) while one is set.
    private var coldTimers: OwnedArray<ColdTimer?>
    /// Models whose cold timer may have to enter the queue: set during this event, or a
    /// replica of theirs changed state. Checked once the event is over.
    private var coldChecks = OwnedArray<Int32>()
    private var future: FutureArrivals? = nil

    // Results
    private(set) var metrics: MetricsCollector
    private(set) var lifecycle: LifecycleLog
    /// Per start-up stage (in ``StartupStage/allCases`` order): nanoseconds spent in it over
    /// every start-up, and how many start-ups ran it.
    private(set) var startupStageNs = Array(repeating: Int64(0), count: StartupStage.allCases.count)
    private(set) var startupStageCounts = Array(repeating: 0, count: StartupStage.allCases.count)
    private(set) var bytesHostToGPU: Int64 = 0
    private(set) var bytesGPUToHost: Int64 = 0
    private(set) var horizon: SimInstant = .zero
    private(set) var eventCount = 0
    private(set) var timeline: TimelineRecorder
    /// Every request's outcome in completion order, when asked for.
    private(set) var requestLog: [RequestOutcome]? = nil
    /// Every replica state change in order, when asked for (``ValidationRun`` times wakes,
    /// sleeps and start-ups with it); nil: not recorded.
    var stateLog: [(time: SimInstant, replica: Int, model: Int, state: ReplicaState)]? = nil
    /// The strategy's own counters: totals, and per model (`models × counters`, row-major).
    private(set) var counters: OwnedArray<Int>
    private(set) var modelCounters: OwnedArray<Int>
    /// Per model, the API latency of its requests (ns), and the mean of the ingress spread.
    private let apiLatencyNs: [Int64]
    private let apiJitterNs: Int64
    /// Per model, its replicas' KV-cache capacity in tokens; and the client timeout (ns), if any.
    /// Read on every request, so kept apart from the scenario's larger structures.
    private let kvCapacityTokens: [Int64]
    private let requestTimeoutNs: Int64?
    /// Requests that timed out (``ServingConfig/requestTimeout``), counted among the rejected.
    private(set) var timedOut = 0
    /// Preemptions by recompute (KV ran out), over every replica.
    private(set) var preemptions = 0

    init(scenario: Scenario, strategy kind: StrategyKind, source: any RequestSource, recordRequests: Bool = false, recordTimeline: Bool = true) {
        if recordRequests { requestLog = [] }
        self.scenario = scenario
        self.kind = kind
        self.source = source
        let descriptor = kind.descriptor
        strategy = descriptor.make(scenario)
        let c = scenario.cluster
        poolSize = scenario.poolSize(for: kind)
        ledger = MemoryLedger(gpus: c.gpuCount, nodes: c.nodes, models: scenario.models.count, gpuCapacity: c.gpu.memory, hostCapacity: c.swapSpace)
        interconnect = Interconnect(cluster: c, storage: scenario.storageTier)
        sharing = GPUSharing(gpus: c.gpuCount)
        timeline = recordTimeline ? TimelineRecorder(limit: TimelineRecorder.limit(forGPUs: poolSize)) : .disabled
        lifecycle = LifecycleLog(models: scenario.models.count)
        metrics = MetricsCollector(ttftTarget: scenario.slo.ttft, modelTargets: scenario.models.map { $0.slo?.ttft ?? scenario.slo.ttft })
        modelTimerGeneration = OwnedArray(repeating: 0, count: scenario.models.count)
        coldTimers = OwnedArray(repeating: nil, count: scenario.models.count)
        counters = OwnedArray(repeating: 0, count: descriptor.counters.count)
        modelCounters = OwnedArray(repeating: 0, count: descriptor.counters.count * scenario.models.count)
        apiLatencyNs = scenario.models.map { scenario.apiLatency(of: $0).nanoseconds }
        apiJitterNs = scenario.apiJitter.nanoseconds
        kvCapacityTokens = scenario.models.map(\.kvCapacityTokens)
        requestTimeoutNs = scenario.serving.requestTimeout?.nanoseconds
    }

    /// The node that holds GPU `g`.
    func node(ofGPU g: Int) -> Int { g / scenario.cluster.gpusPerNode }

    // MARK: - Running

    /// Runs the trace to completion and returns the result.
    func run() throws -> StrategyResult {
        try scenario.validate()
        try kind.descriptor.check(scenario)
        try checkIterationBounds()
        if strategy.needsFuture {
            let f = try FutureArrivals(reading: &source, models: scenario.models.count)
            source = ArrayRequestSource(f.requests)
            future = f
        }
        try strategy.start(context)
        if !coldChecks.isEmpty { armColdTimers() }
        nextRequest = try source.next()
        if let r = nextRequest { events.schedule(.arrival, at: r.arrival, phase: .arrival) }
        while let (time, _, event) = events.pop() {
            precondition(time >= now, "event queue went back in time")
            if time > SimInstant.limit {
                throw ScenarioError.simulatedTimeLimit(strategy: kind.rawValue, unfinished: metrics.arrived - metrics.completed - metrics.rejected)
            }
            if timeline.isDue(before: time) { timeline.record(upTo: time) { sample(at: $0) } }
            now = time
            eventCount += 1
            try handle(event)
            if unsettled {
                unsettled = false
                strategy.settle(context)
            }
            if !coldChecks.isEmpty { armColdTimers() }
            #if DEBUG
                checkInvariants()
            #endif
        }
        if metrics.completed + metrics.rejected != metrics.arrived {
            var stuck: [String] = []
            for i in replicas.indices where !replicas[i].isIdle {
                let r = replicas[i]
                stuck.append("replica \(i) model \(r.model) gpus \(r.gpus) state \(r.state) pending \(r.pending.count) outstanding \(r.batcher.outstanding)")
            }
            let free = (0..<scenario.cluster.gpuCount).map { "\(ledger.freeGPU($0))" }
            preconditionFailure("a request did not end: \(stuck.joined(separator: "; ")); free: \(free)")
        }
        strategy.finish(context)
        timeline.record(upTo: now) { sample(at: $0) }
        var result = ResultBuilder.build(self)
        result.timedOut = timedOut
        result.preemptions = preemptions
        for m in result.models.indices { result.models[m].kvCacheTokens = scenario.models[m].kvCapacityTokens }
        return result
    }

    /// Reads replica `r` in place (``StrategyContext``'s views): the stored array is borrowed,
    /// neither it nor the replica is copied.
    @inline(__always) func readReplica<T>(_ r: Int, _ read: (UnsafePointer<Replica>) -> T) -> T {
        read(replicas.pointer(at: r))
    }

    /// The context strategies act through.
    var context: StrategyContext { StrategyContext(engine: self) }

    private func handle(_ event: Event) throws {
        switch event {
        case .arrival:
            let r = nextRequest!
            arrive(r)
            nextRequest = try source.next()
            if let n = nextRequest {
                precondition(n.arrival >= r.arrival, "request source yielded unsorted arrivals")
                events.schedule(.arrival, at: n.arrival, phase: .arrival)
            }
        case let .boundary(ri, gen):
            let r = Int(ri)
            guard replicas[r].boundaryGeneration == gen else { return }
            replicas[r].scheduledBoundary = nil
            replicas[r].batcher.advance(into: &outcomes)
            processOutcomes(of: r)
        case .flows:
            guard scheduledFlowEvent == now else { return }
            scheduledFlowEvent = nil
            // A reusable buffer, moved out while the strategy hears of each transfer.
            var done: [Interconnect.Transfer] = []
            swap(&done, &finishedTransfers)
            interconnect.finished(at: now, into: &done)
            for t in done {
                switch t.kind {
                case .swapIn, .load: bytesHostToGPU += t.bytes.bytes
                case .swapOut: bytesGPUToHost += t.bytes.bytes
                }
                strategy.transferFinished(Int(t.tag), kind: t.kind, context)
            }
            done.removeAll(keepingCapacity: true)
            swap(&done, &finishedTransfers)
            scheduleFlowEvent()
        case let .transferReady(t):
            interconnect.release(t, at: now)
            scheduleFlowEvent()
        case let .stage(ri, gen):
            let r = Int(ri)
            guard replicas[r].stageGeneration == gen else { return }
            strategy.stageFinished(r, context)
        case let .timer(ri, gen):
            let r = Int(ri)
            guard replicas[r].timerGeneration == gen else { return }
            strategy.timerFired(.replica(r), context)
        case let .modelTimer(mi, gen):
            let m = Int(mi)
            guard modelTimerGeneration[m] == gen else { return }
            coldTimers[m] = nil
            strategy.timerFired(.model(m), context)
        }
    }

    private func reachHorizon(_ t: SimInstant) {
        if t > horizon {
            horizon = t
            ledger.horizonReached(t)
        }
    }

    private func arrive(_ r: TraceRequest) {
        metrics.arrival(model: r.model)
        reachHorizon(r.arrival)
        future?.arrived(model: r.model)
        var record = RequestRecord(
            arrival: r.arrival.nanoseconds, model: Int32(r.model), inputTokens: r.inputTokens,
            outputTokens: r.outputTokens, prefixID: r.prefixID, prefixTokens: r.prefixTokens)
        record.apiNs = apiLatencyNs[r.model]
        if apiJitterNs > 0 {
            // An exponential spread of the ingress delay, mean-preserving, drawn from the
            // request's arrival order and instant alone (so the same trace gets the same draws).
            var state = UInt64(truncatingIfNeeded: metrics.arrived) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: r.arrival.nanoseconds)
            let u = Double(RandomStream.splitMix(&state) >> 11) * 0x1p-53
            let spread = Int64((-MathFunctions.log(1 - u) - 1) * Double(apiJitterNs))
            record.apiNs = max(0, record.apiNs + spread)
        }
        let slot = requests.insert(record)
        // A request whose KV reservation exceeds its model's whole KV cache can never run.
        if Int64(r.inputTokens) + Int64(r.outputTokens) > kvCapacityTokens[r.model] {
            metrics.reject(model: r.model)
            requestLog?.append(RequestOutcome(arrival: r.arrival, model: r.model, inputTokens: r.inputTokens, outputTokens: r.outputTokens, ttft: nil, e2e: nil, cause: .none))
            requests.remove(slot)
            return
        }
        strategy.route(slot, model: r.model, context)
    }

    /// One batch iteration alone, at its largest possible batch, within the declared limit
    /// (``ScenarioLimits/longestIteration``): the batcher's clock relies on it.
    private func checkIterationBounds() throws(ScenarioError) {
        for (i, m) in scenario.models.enumerated() {
            let cost = iterationCost(of: m)
            let tokens = Int128(m.kvCapacityTokens) + Int128(m.maxBatch)
            let compute = Int128(cost.computePsPerToken) * tokens
            let memory = Int128(cost.weightReadPs) + Int128(cost.kvReadPsPerToken) * Int128(m.kvCapacityTokens)
            let worst = Int128(cost.overheadPs) + max(compute, memory)
            if worst > Int128(ScenarioLimits.longestIteration.nanoseconds) * 1000 {
                throw .invalidValue(
                    keyPath: "models[\(i)]",
                    reason: "one batch iteration of model '\(m.name)' could take \(Double(worst) / 1e12) s at its largest batch; at most 4h is supported (check the GPU's and the model's figures and serving efficiencies)")
            }
        }
    }

    // MARK: - Effects (called through StrategyContext)

    /// Sends request `slot` to replica `r`: into its batch if ready, else to wait for it.
    func deliver(_ slot: Int32, to r: Int) {
        replicas[r].lastUsed = now
        replicas[r].uses += 1
        if replicas[r].state == .ready {
            requests[slot].readyAt = now.nanoseconds
            submit(slot, to: r)
        } else {
            replicas[r].pending.append(slot)
        }
    }

    private func submit(_ slot: Int32, to r: Int) {
        let q = requests[slot]
        var br = BatchRequest(slot: slot, inputTokens: q.inputTokens, outputTokens: q.outputTokens, prefixID: q.prefixID, prefixTokens: q.prefixTokens)
        if let t = requestTimeoutNs { br.deadlineNs = q.arrival &+ t }
        replicas[r].batcher.enqueue(br, at: now, into: &outcomes)
        processOutcomes(of: r)
    }

    /// Marks replica `r` ready and hands it the requests that waited, attributing their wait to `cause`.
    func makeReady(_ r: Int, cause: WaitCause) {
        endStage(r)
        replicas[r].state = .ready
        stateLog?.append((now, r, replicas[r].model, .ready))
        stateChanged(model: replicas[r].model)
        while let slot = replicas[r].pending.popFirst() {
            requests[slot].readyAt = now.nanoseconds
            requests[slot].cause = cause
            submit(slot, to: r)
        }
        if replicas[r].isIdle {
            unsettled = true
            strategy.replicaIdle(r, context)
        }
    }

    func setState(_ r: Int, _ state: ReplicaState) {
        replicas[r].state = state
        stateChanged(model: replicas[r].model)
        // A sleeping or stopped server's KV cache is gone, and its prefix cache with it.
        if state == .swapped || state == .offloaded || state == .stopped || state == .swappingOut { replicas[r].batcher.dropPrefixCache() }
        stateLog?.append((now, r, replicas[r].model, state))
    }

    func move(_ r: Int, to gpus: Range<Int>) {
        precondition(replicas[r].isIdle || replicas[r].batcher.isIdle, "a replica moves only between batches")
        replicas[r].gpus = gpus
        replicas[r].node = node(ofGPU: gpus.lowerBound)
    }

    func iterationCost(of m: ModelDeployment) -> IterationCost { scenario.iterationCost(of: m) }

    func makeBatcher(model: Int) -> Batcher {
        let m = scenario.models[model]
        let sv = scenario.serving
        let policy = SchedulerPolicy(
            maxBatchedTokens: sv.maxBatchedTokens.map { Int64($0) } ?? .max, prefixCaching: sv.prefixCaching,
            asyncScheduling: sv.asyncScheduling, incrementalKV: sv.incrementalKV)
        return Batcher(cost: iterationCost(of: m), kvCapacityTokens: m.kvCapacityTokens, maxBatch: m.maxBatch, policy: policy)
    }

    /// Adds a replica and returns its index, reusing the slot of a stopped one when there is one.
    func addReplica(model: Int, gpus: Range<Int>, state: ReplicaState) -> Int {
        var rep = Replica(model: model, gpus: gpus, node: node(ofGPU: gpus.lowerBound), batcher: makeBatcher(model: model), state: state)
        rep.lastUsed = now
        if let r = stoppedReplicas.popLast() {
            let old = replicas[r]
            // Keep the generations, so events scheduled for the old replica stay stale.
            rep.boundaryGeneration = old.boundaryGeneration &+ 1
            rep.timerGeneration = old.timerGeneration &+ 1
            rep.stageGeneration = old.stageGeneration &+ 1
            replicas[r] = rep
            stateLog?.append((now, r, model, state))
            stateChanged(model: model)
            return r
        }
        replicas.append(rep)
        stateLog?.append((now, replicas.count - 1, model, state))
        stateChanged(model: model)
        return replicas.count - 1
    }

    /// Marks replica `r` stopped; its slot may be reused by ``addReplica(model:gpus:state:)``.
    func stopReplica(_ r: Int) {
        precondition(replicas[r].isIdle)
        replicas[r].state = .stopped
        stateChanged(model: replicas[r].model)
        cancelTimer(.replica(r))
        replicas[r].stageGeneration &+= 1
        stoppedReplicas.append(r)
    }

    private func processOutcomes(of r: Int) {
        var finishedAny = false
        // `outcomes` is emptied only once it grows long: its removeAll is an outlined call.
        for k in outcomesDone..<outcomes.count {
            switch outcomes[k] {
            case let .admitted(slot, admitted, firstToken):
                requests[slot].admitted = admitted.nanoseconds
                requests[slot].firstToken = firstToken.nanoseconds
            case let .finished(slot, finished):
                let q = requests[slot]
                assert(finished.nanoseconds >= q.firstToken && q.firstToken > q.arrival, "completion before arrival")
                reachHorizon(finished)
                // The client sees its tokens after the API latency.
                let firstToken = q.firstToken &+ q.apiNs
                let done = finished.nanoseconds &+ q.apiNs
                if let t = requestTimeoutNs, done - q.arrival > t {
                    // The client gave up before its last token: failed, not served.
                    failRequest(slot)
                } else {
                    metrics.complete(
                        model: Int(q.model), arrival: q.arrival, readyAt: q.readyAt, admitted: q.admitted, firstToken: firstToken,
                        finished: done, inputTokens: q.inputTokens, outputTokens: q.outputTokens,
                        cause: q.cause)
                    requestLog?.append(RequestOutcome(
                        arrival: SimInstant(nanoseconds: q.arrival), model: Int(q.model), inputTokens: q.inputTokens, outputTokens: q.outputTokens,
                        ttft: .nanoseconds(firstToken - q.arrival), e2e: .nanoseconds(done - q.arrival), cause: q.cause))
                    requests.remove(slot)
                }
                finishedAny = true
            case let .timedOut(slot, at):
                reachHorizon(at)
                failRequest(slot)
                finishedAny = true
            case .preempted:
                preemptions += 1
            }
        }
        if outcomes.count >= 256 {
            outcomes.removeAll(keepingCapacity: true)
            outcomesDone = 0
        } else {
            outcomesDone = outcomes.count
        }
        noteBusy(r)
        scheduleBoundary(r)
        if finishedAny {
            replicas[r].lastUsed = now
            if replicas[r].isIdle {
                unsettled = true
                strategy.replicaIdle(r, context)
            }
        }
    }

    /// Ends request `slot` unserved: its client timed out.
    private func failRequest(_ slot: Int32) {
        let q = requests[slot]
        timedOut += 1
        metrics.reject(model: Int(q.model))
        requestLog?.append(RequestOutcome(arrival: SimInstant(nanoseconds: q.arrival), model: Int(q.model), inputTokens: q.inputTokens, outputTokens: q.outputTokens, ttft: nil, e2e: nil, cause: q.cause))
        requests.remove(slot)
    }

    /// Tracks which replicas on each GPU have a non-empty batch, and re-paces the replicas that
    /// share a GPU with `r` when that changes (``GPUSharing``).
    @inline(__always) private func noteBusy(_ r: Int) {
        let busy = replicas[r].batcher.runningCount > 0
        if busy != replicas[r].busy { busyChanged(r, busy: busy) }
    }

    /// ``noteBusy(_:)`` where the batch just filled or emptied (kept out of line: most calls
    /// change nothing).
    private func busyChanged(_ r: Int, busy: Bool) {
        replicas[r].busy = busy
        guard sharing.setBusy(r, gpus: replicas[r].gpus, busy: busy, currentSlowdown: replicas[r].batcher.slowdown, at: now) else { return }
        // By index: iterating the array itself would retain it around the loop's writes to self.
        for i in 0..<sharing.affected.count {
            let a = Int(sharing.affected[i])
            replicas[a].batcher.setSlowdown(sharing.factor(on: replicas[a].gpus), at: now, into: &resolvedScratch)
            for case let .admitted(slot, admitted, firstToken) in resolvedScratch {
                requests[slot].admitted = admitted.nanoseconds
                requests[slot].firstToken = firstToken.nanoseconds
            }
            if !resolvedScratch.isEmpty { resolvedScratch.removeAll(keepingCapacity: true) }
            if a != r { scheduleBoundary(a) }
        }
    }

    private func scheduleBoundary(_ r: Int) {
        let next = replicas[r].batcher.nextBoundary
        if next == replicas[r].scheduledBoundary { return }
        replicas[r].boundaryGeneration &+= 1
        replicas[r].scheduledBoundary = next
        // One boundary event per replica, replaced in place when it moves (see EventQueue).
        if let t = next {
            events.schedule(.boundary(replica: Int32(r), generation: replicas[r].boundaryGeneration), at: t, phase: .iteration, slot: boundarySlot(r))
        } else {
            events.cancel(slot: boundarySlot(r))
        }
    }

    /// Takes `bytes` of memory on each GPU in `gpus` for `model` (nil: runtime reservations).
    func allocate(_ bytes: ByteCount, on gpus: Range<Int>, for model: Int?) {
        ledger.allocate(bytes, on: gpus, for: model.map { Int32($0) } ?? MemoryLedger.runtime, at: now)
    }

    /// Returns `bytes` of memory on each GPU in `gpus` held for `model` (nil: runtime reservations).
    func free(_ bytes: ByteCount, on gpus: Range<Int>, for model: Int?) {
        ledger.free(bytes, on: gpus, for: model.map { Int32($0) } ?? MemoryLedger.runtime, at: now, horizon: horizon)
        unsettled = true
    }

    func reserveHost(_ bytes: ByteCount, node: Int) { ledger.reserveHost(bytes, node: node) }
    func releaseHost(_ bytes: ByteCount, node: Int) { ledger.releaseHost(bytes, node: node) }

    // Timers: one replaceable event per replica and per model in the queue's slots: models first,
    // then each replica's boundary and timer.
    private func boundarySlot(_ r: Int) -> Int { scenario.models.count + 2 * r }
    private func timerSlot(_ r: Int) -> Int { scenario.models.count + 2 * r + 1 }

    /// Sets timer `key` to fire after `delay`, replacing any earlier one for the same key.
    ///
    /// Keep-alive and idle timers are reset on every request: like batch boundaries, each is one
    /// replaceable event in the queue (see ``EventQueue``).
    func setTimer(_ key: TimerKey, after delay: SimDuration) {
        switch key {
        case let .replica(r):
            replicas[r].timerGeneration &+= 1
            events.schedule(.timer(replica: Int32(r), generation: replicas[r].timerGeneration), at: now + delay, phase: .timer, slot: timerSlot(r))
        case let .model(m):
            modelTimerGeneration[m] &+= 1
            coldTimers[m] = nil
            events.schedule(.modelTimer(model: Int32(m), generation: modelTimerGeneration[m]), at: now + delay, phase: .timer, slot: m)
        }
    }

    /// Sets model `m`'s timer to fire after `delay` if the model is cold then
    /// (``ServingStrategy/readiness(of:_:)``), replacing any earlier timer for it.
    ///
    /// A pre-warm's timer is set on every request and, for a model that stays resident, comes
    /// due while it is still warm, with nothing to do. So the timer stays out of the event
    /// queue, holding the place in the order it was set with (``EventQueue/reserveKey(phase:)``),
    /// and enters it only once an event leaves the model cold before the timer is due (a
    /// model turns cold only when one of its replicas changes state). It then fires at the same
    /// instant and in the same order as a plain timer set now would; one that finds the model
    /// warm or warming never fires.
    ///
    /// A model whose earlier timer is still held out of the queue was not cold when the last
    /// event ended (``armColdTimers()`` keeps that so), and any change of its state since then,
    /// in this event too, has put it on the list of checks (``stateChanged(model:)``): so only
    /// a model without such a timer is checked here. That is the common case's saving: a
    /// request for a warm model resets its timer with no check at all.
    func setColdTimer(model m: Int, after delay: SimDuration) {
        modelTimerGeneration[m] &+= 1
        if coldTimers[m]?.queued ?? true {
            events.cancel(slot: m)
            coldChecks.append(Int32(m))
        }
        coldTimers[m] = ColdTimer(at: now + delay, key: events.reserveKey(phase: .timer), queued: false)
    }

    /// Notes that a replica of model `m` changed state: its cold timer, if it has one, is checked after the event.
    @inline(__always) private func stateChanged(model m: Int) {
        if let t = coldTimers[m], !t.queued { coldChecks.append(Int32(m)) }
    }

    /// Puts in the queue the cold timers of the models this event left cold, and forgets those
    /// already due (they would have fired with their model warm).
    private func armColdTimers() {
        for i in 0..<coldChecks.count {
            let mi = coldChecks[i]
            let m = Int(mi)
            guard let t = coldTimers[m], !t.queued else { continue }
            guard events.isPending(at: t.at, key: t.key) else {
                coldTimers[m] = nil
                continue
            }
            if strategy.readiness(of: m, context) == .cold {
                events.schedule(.modelTimer(model: mi, generation: modelTimerGeneration[m]), at: t.at, key: t.key, slot: m)
                coldTimers[m]!.queued = true
            }
        }
        coldChecks.removeAll()
    }

    /// Cancels timer `key`.
    func cancelTimer(_ key: TimerKey) {
        switch key {
        case let .replica(r):
            replicas[r].timerGeneration &+= 1
            events.cancel(slot: timerSlot(r))
        case let .model(m):
            modelTimerGeneration[m] &+= 1
            coldTimers[m] = nil
            events.cancel(slot: m)
        }
    }

    /// Finishes replica `r`'s current stage after `delay`.
    func scheduleStage(_ r: Int, after delay: SimDuration) {
        replicas[r].stageGeneration &+= 1
        events.schedule(.stage(replica: Int32(r), generation: replicas[r].stageGeneration), at: now + delay, phase: .lifecycle)
    }

    /// Records a lifecycle step.
    func record(_ kind: LifecycleEvent.Kind, replica r: Int, bytes: ByteCount, reason: LifecycleReason) {
        lifecycle.record(LifecycleEvent(time: now, kind: kind, model: replicas[r].model, gpus: replicas[r].gpus, bytes: bytes, reason: reason))
    }

    /// Replica `r` begins start-up stage `stage`: logged, and timed until its next stage or
    /// until it is ready.
    func beginStage(_ r: Int, _ stage: StartupStage, bytes: ByteCount) {
        endStage(r)
        replicas[r].startupStage = stage
        replicas[r].stageSince = now
        record(.startupStage, replica: r, bytes: bytes, reason: .stage(stage))
    }

    /// Ends replica `r`'s start-up stage in progress, if any.
    private func endStage(_ r: Int) {
        guard let stage = replicas[r].startupStage else { return }
        let i = StartupStage.allCases.firstIndex(of: stage)!
        startupStageNs[i] += (now - replicas[r].stageSince).nanoseconds
        startupStageCounts[i] += 1
        replicas[r].startupStage = nil
    }

    /// Makes the next iteration replica `r` runs take `delay` longer (a process's lazy
    /// initialisation on its first request).
    func delayFirstIteration(_ r: Int, by delay: SimDuration) {
        replicas[r].batcher.addOneOffDelay(delay)
        scheduleBoundary(r)
    }

    /// Adds one to the strategy's counter `k` for model `m`.
    func count(_ k: Int, model m: Int) {
        counters[k] += 1
        modelCounters[m * counters.count + k] += 1
    }

    /// Model `m`'s next request not yet arrived, for strategies that read the future.
    func nextArrival(of m: Int) -> SimInstant? {
        guard let f = future else { preconditionFailure("the strategy asked for the future without declaring needsFuture") }
        return f.next(of: m)
    }

    /// Starts moving `bytes` of replica `r`'s memory, split evenly over its GPUs, after the
    /// link's per-transfer latency plus `overhead` (see ``Interconnect`` for the routes).
    func startTransfer(_ kind: TransferKind, replica r: Int, bytes: ByteCount, overhead: SimDuration, cap: Bandwidth? = nil) {
        let id = interconnect.register(kind, gpus: replicas[r].gpus, node: replicas[r].node, bytes: bytes, cap: cap, tag: Int32(r))
        events.schedule(.transferReady(id), at: now + scenario.cluster.gpu.link.latency + overhead, phase: .transfer)
    }

    private func scheduleFlowEvent() {
        guard let next = interconnect.nextCompletion else { scheduledFlowEvent = nil; return }
        if next == scheduledFlowEvent { return }
        scheduledFlowEvent = next
        events.schedule(.flows, at: next, phase: .transfer)
    }

    // MARK: - Timeline

    /// The state in force at `t` (no event between the last one handled and `t`).
    private func sample(at t: SimInstant) -> TimelineSample {
        var residents: [[ResidentShare]] = []
        var h2d: [Int64] = []
        var d2h: [Int64] = []
        residents.reserveCapacity(poolSize)
        h2d.reserveCapacity(poolSize)
        d2h.reserveCapacity(poolSize)
        for g in 0..<poolSize {
            // Mapped, then sorted in place by holder (each holds once per GPU): one array per GPU.
            var shares = ledger.holdings[g].map {
                ResidentShare(model: $0.holder == MemoryLedger.runtime ? nil : Int($0.holder), bytes: ByteCount(bytes: $0.bytes))
            }
            shares.sort { ($0.model.map(Int32.init) ?? MemoryLedger.runtime) < ($1.model.map(Int32.init) ?? MemoryLedger.runtime) }
            residents.append(shares)
            h2d.append(Int64(interconnect.carriedToGPU(g, at: t).rounded()))
            d2h.append(Int64(interconnect.carriedFromGPU(g, at: t).rounded()))
        }
        var queued = 0
        var running = 0
        for r in replicas.indices where replicas[r].state != .stopped {
            queued += replicas[r].pending.count + replicas[r].batcher.queuedCount
            running += replicas[r].batcher.runningCount
        }
        return TimelineSample(time: t, residents: residents, hostToDeviceBytes: h2d, deviceToHostBytes: d2h, queued: queued, running: running)
    }

    // MARK: - Results (read by ResultBuilder)

    var busyGPUNanoseconds: Int128 { sharing.busyGPUNanoseconds(upTo: now) }

    /// Frees the TPOT and E2E samples once the result has summarised them.
    func dropTPOTAndE2ESamples() { metrics.dropTPOTAndE2E() }

    // MARK: - Invariants

    func checkInvariants() {
        precondition(ledger.checkInvariants(), "memory ledger out of balance")
        for r in replicas.indices {
            precondition(replicas[r].batcher.checkInvariants(), "replica \(r) batch invariants broken")
            if replicas[r].state != .ready {
                precondition(replicas[r].batcher.isIdle, "replica \(r) not ready but batching")
            }
        }
        if eventCount & 1023 == 0 { precondition(events.checkInvariants(), "event queue heap broken") }
        // What setColdTimer(model:after:) relies on to skip its check: a cold timer still to come
        // and held out of the queue belongs to a model that is not cold.
        for m in coldTimers.indices {
            guard let t = coldTimers[m], !t.queued, events.isPending(at: t.at, key: t.key) else { continue }
            precondition(strategy.readiness(of: m, context) != .cold, "model \(m) is cold with its pre-warm timer out of the queue")
        }
    }
}

/// Simulates `strategy` serving the requests of `source` on `scenario`.
///
/// The result depends only on the scenario, the strategy and the requests: the same inputs give
/// the same result bit for bit, on any thread.
/// - Throws: ``ScenarioError`` if the scenario cannot run under the strategy, or whatever the
///   source throws for a bad row.
/// - Parameters:
///   - recordRequests: keep every request's outcome in ``StrategyResult/requestLog`` (memory
///     grows with the trace; off by default).
///   - recordTimeline: sample the state over time into ``StrategyResult/timeline`` (on by
///     default; off, the timeline has no samples and every other figure is the same).
public func simulate(
    scenario: Scenario, strategy: StrategyKind, requests source: some RequestSource, recordRequests: Bool = false, recordTimeline: Bool = true
) throws -> StrategyResult {
    try Simulation(scenario: scenario, strategy: strategy, source: source, recordRequests: recordRequests, recordTimeline: recordTimeline).run()
}
