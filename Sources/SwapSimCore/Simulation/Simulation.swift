/// Simulates one strategy serving one trace on one scenario's cluster.
///
/// The engine owns the clock, the event queue, GPU memory, the transfer network, the
/// replicas' batches and the per-request bookkeeping. A ``ServingStrategy`` decides where
/// requests go and when models move; it asks the engine for effects through the methods in
/// the "effects" section. One instance runs one simulation: nothing is shared between
/// instances, so simulations may run on many threads at once.
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
    }

    struct Transfer {
        var replica: Int
        var kind: TransferKind
        var shards: [(bytes: ByteCount, path: [Int], cap: Bandwidth?)]
        var pendingFlows: Int
    }

    let scenario: Scenario
    let kind: StrategyKind
    let strategy: any ServingStrategy
    private(set) var now: SimInstant = .zero
    private var events = EventQueue<Event>()
    private var source: any RequestSource
    private var nextRequest: TraceRequest?

    // Hardware
    let gpuCapacity: ByteCount
    /// GPUs this strategy may use: the first `poolSize` of the cluster.
    let poolSize: Int
    private(set) var gpuUsed: [ByteCount]
    /// Per GPU, bytes held by the runtime reservations (index 0) and by each model (index m + 1):
    /// `gpuHeld[g * (models + 1) + k]`, for the timeline.
    private var gpuHeld: [Int64]
    private var linkH2D: [Int] = []
    private var linkD2H: [Int] = []
    private var nodeDMA: [Int] = []
    private var nodeStorage: [Int] = []
    private var network = FlowNetwork()
    private var scheduledFlowEvent: SimInstant? = nil
    private var transfers = Slab<Transfer>()

    // Replicas and requests
    var replicas: [Replica] = []
    private var requests = Slab<RequestRecord>()
    private var outcomes: [BatchOutcome] = []
    private var affectedScratch: [Int] = []
    private var resolvedScratch: [BatchOutcome] = []
    private var stoppedReplicas: [Int] = []
    /// Per GPU: replicas on it with a non-empty batch, since when, and the total time with any.
    private var busyOn: [[Int]]
    private var gpuBusySince: [Int64]
    private var gpuBusyNs: [Int64]

    // Results
    private(set) var metrics: MetricsCollector
    private(set) var lifecycle: [LifecycleEvent] = []
    private(set) var bytesHostToGPU: Int64 = 0
    private(set) var bytesGPUToHost: Int64 = 0
    private(set) var horizon: SimInstant = .zero
    private(set) var eventCount = 0
    private var timeline = TimelineRecorder()
    /// Every request's outcome in completion order, when asked for.
    private var requestLog: [RequestOutcome]? = nil

    init(scenario: Scenario, strategy kind: StrategyKind, source: any RequestSource, recordRequests: Bool = false) {
        if recordRequests { requestLog = [] }
        self.scenario = scenario
        self.kind = kind
        self.source = source
        switch kind {
        case .alwaysWarm: strategy = AlwaysWarmStrategy()
        case .scaleToZero: strategy = ScaleToZeroStrategy()
        case .hotSwap: strategy = HotSwapStrategy()
        }
        let c = scenario.cluster
        gpuCapacity = c.gpu.memory
        poolSize = scenario.poolSize(for: kind)
        gpuUsed = Array(repeating: .zero, count: c.gpuCount)
        gpuHeld = Array(repeating: 0, count: c.gpuCount * (scenario.models.count + 1))
        busyOn = Array(repeating: [], count: c.gpuCount)
        gpuBusySince = Array(repeating: 0, count: c.gpuCount)
        gpuBusyNs = Array(repeating: 0, count: c.gpuCount)
        metrics = MetricsCollector(ttftTarget: scenario.slo.ttft)
        for _ in 0..<c.nodes {
            nodeDMA.append(network.addResource(c.dmaBandwidth))
            nodeStorage.append(network.addResource(c.storageReadBandwidth))
        }
        for _ in 0..<c.gpuCount {
            let link = c.gpu.link
            let h2d = network.addResource(link.hostToDevice)
            linkH2D.append(h2d)
            linkD2H.append(link.duplex == .full ? network.addResource(link.deviceToHost) : h2d)
        }
    }

    /// The node that holds GPU `g`.
    func node(ofGPU g: Int) -> Int { g / scenario.cluster.gpusPerNode }

    // MARK: - Running

    /// Runs the trace to completion and returns the result.
    func run() throws -> StrategyResult {
        try scenario.validate()
        try strategy.start(self)
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
            #if DEBUG
                checkInvariants()
            #endif
        }
        precondition(metrics.completed + metrics.rejected == metrics.arrived, "a request did not end")
        timeline.record(upTo: now) { sample(at: $0) }
        return makeResult()
    }

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
            let finished = network.removeFinished(at: now)
            for tag in finished { flowFinished(transfer: tag) }
            scheduleFlowEvent()
        case let .transferReady(t):
            startFlows(of: t)
        case let .stage(ri, gen):
            let r = Int(ri)
            guard replicas[r].stageGeneration == gen else { return }
            strategy.stageFinished(r, self)
        case let .timer(ri, gen):
            let r = Int(ri)
            guard replicas[r].timerGeneration == gen else { return }
            strategy.timerFired(r, self)
        }
    }

    private func arrive(_ r: TraceRequest) {
        metrics.arrival()
        if r.arrival > horizon { horizon = r.arrival }
        let record = RequestRecord(
            arrival: r.arrival.nanoseconds, model: Int32(r.model), inputTokens: r.inputTokens,
            outputTokens: r.outputTokens)
        let slot = requests.insert(record)
        // A request whose KV reservation exceeds its model's whole KV cache can never run.
        let m = scenario.models[r.model]
        if Int64(r.inputTokens) + Int64(r.outputTokens) > m.kvCapacityTokens {
            metrics.reject()
            requestLog?.append(RequestOutcome(arrival: r.arrival, model: r.model, inputTokens: r.inputTokens, outputTokens: r.outputTokens, ttft: nil, e2e: nil, cause: .none))
            release(slot)
            return
        }
        strategy.route(slot: slot, model: r.model, self)
    }

    private func release(_ slot: Int32) { requests.remove(slot) }

    // MARK: - Effects for strategies

    /// Sends a request to replica `r`: into its batch if ready, else to wait for it.
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
        let br = BatchRequest(slot: slot, inputTokens: q.inputTokens, outputTokens: q.outputTokens)
        replicas[r].batcher.enqueue(br, at: now, into: &outcomes)
        processOutcomes(of: r)
    }

    /// Marks replica `r` ready and hands it the requests that waited, attributing their wait to `cause`.
    func makeReady(_ r: Int, cause: WaitCause) {
        replicas[r].state = .ready
        while let slot = replicas[r].pending.popFirst() {
            requests[slot].readyAt = now.nanoseconds
            requests[slot].cause = cause
            submit(slot, to: r)
        }
        if replicas[r].isIdle { strategy.replicaIdle(r, self) }
    }

    func makeBatcher(model: Int) -> Batcher {
        let m = scenario.models[model]
        let cost = IterationCost(
            model: m.architecture, gpu: scenario.cluster.gpu, tensorParallel: m.tensorParallel,
            overhead: scenario.serving.iterationOverhead, computeEfficiency: scenario.serving.computeEfficiency,
            memoryEfficiency: scenario.serving.memoryEfficiency)
        return Batcher(cost: cost, kvCapacityTokens: m.kvCapacityTokens, maxBatch: m.maxBatch)
    }

    /// Adds a replica and returns its index, reusing the slot of a stopped one when there is one.
    func addReplica(model: Int, gpus: [Int], state: ReplicaState) -> Int {
        var rep = Replica(model: model, gpus: gpus, node: node(ofGPU: gpus[0]), batcher: makeBatcher(model: model), state: state)
        rep.lastUsed = now
        if let r = stoppedReplicas.popLast() {
            let old = replicas[r]
            // Keep the generations, so events scheduled for the old replica stay stale.
            rep.boundaryGeneration = old.boundaryGeneration &+ 1
            rep.timerGeneration = old.timerGeneration &+ 1
            rep.stageGeneration = old.stageGeneration &+ 1
            replicas[r] = rep
            return r
        }
        replicas.append(rep)
        return replicas.count - 1
    }

    /// Marks replica `r` stopped; its slot may be reused by ``addReplica(model:gpus:state:)``.
    func stopReplica(_ r: Int) {
        precondition(replicas[r].isIdle)
        replicas[r].state = .stopped
        cancelTimer(r)
        replicas[r].stageGeneration &+= 1
        stoppedReplicas.append(r)
    }

    private func processOutcomes(of r: Int) {
        var finishedAny = false
        for o in outcomes {
            switch o {
            case let .admitted(slot, admitted, firstToken):
                requests[slot].admitted = admitted.nanoseconds
                requests[slot].firstToken = firstToken.nanoseconds
            case let .finished(slot, finished):
                let q = requests[slot]
                assert(finished.nanoseconds >= q.firstToken && q.firstToken > q.arrival, "completion before arrival")
                metrics.complete(
                    arrival: q.arrival, readyAt: q.readyAt, admitted: q.admitted, firstToken: q.firstToken,
                    finished: finished.nanoseconds, inputTokens: q.inputTokens, outputTokens: q.outputTokens,
                    cause: q.cause)
                if finished > horizon { horizon = finished }
                requestLog?.append(RequestOutcome(
                    arrival: SimInstant(nanoseconds: q.arrival), model: Int(q.model), inputTokens: q.inputTokens, outputTokens: q.outputTokens,
                    ttft: .nanoseconds(q.firstToken - q.arrival), e2e: .nanoseconds(finished.nanoseconds - q.arrival), cause: q.cause))
                release(slot)
                finishedAny = true
            }
        }
        if !outcomes.isEmpty { outcomes.removeAll(keepingCapacity: true) }
        noteBusy(r)
        scheduleBoundary(r)
        if finishedAny {
            replicas[r].lastUsed = now
            if replicas[r].isIdle { strategy.replicaIdle(r, self) }
        }
    }

    /// Tracks which replicas on each GPU have a non-empty batch: for utilisation, and to slow
    /// down replicas that share a GPU (time-slicing: k busy replicas on a GPU each run at 1/k).
    private func noteBusy(_ r: Int) {
        let busy = replicas[r].batcher.runningCount > 0
        guard busy != replicas[r].busy else { return }
        replicas[r].busy = busy
        var shared = false
        for g in replicas[r].gpus {
            if busy {
                if busyOn[g].isEmpty { gpuBusySince[g] = now.nanoseconds }
                busyOn[g].append(r)
            } else {
                if let k = busyOn[g].firstIndex(of: r) { busyOn[g].remove(at: k) }
                if busyOn[g].isEmpty { gpuBusyNs[g] += now.nanoseconds - gpuBusySince[g] }
            }
            if busyOn[g].count > (busy ? 1 : 0) { shared = true }
        }
        // Alone on its GPUs at its own pace: nobody's pace changes (the common case).
        if !shared && replicas[r].batcher.slowdown == 1 { return }
        // Re-pace every busy replica sharing a GPU with r (r itself included when busy). The
        // scratch buffers are reused: this runs at every start and end of a batch.
        if !affectedScratch.isEmpty { affectedScratch.removeAll(keepingCapacity: true) }
        if busy { affectedScratch.append(r) }
        for g in replicas[r].gpus {
            for a in busyOn[g] where !affectedScratch.contains(a) { affectedScratch.append(a) }
        }
        for a in affectedScratch {
            var factor = 1
            for g in replicas[a].gpus { factor = max(factor, busyOn[g].count) }
            replicas[a].batcher.setSlowdown(Int64(factor), at: now, into: &resolvedScratch)
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
            events.schedule(.boundary(replica: Int32(r), generation: replicas[r].boundaryGeneration), at: t, phase: .iteration, slot: Self.boundarySlot(r))
        } else {
            events.cancel(slot: Self.boundarySlot(r))
        }
    }

    /// Takes `bytes` of memory on each GPU in `gpus` for `model` (nil: runtime reservations).
    func allocate(_ bytes: ByteCount, on gpus: [Int], for model: Int?) {
        let stride = scenario.models.count + 1
        for g in gpus {
            gpuHeld[g * stride + (model.map { $0 + 1 } ?? 0)] += bytes.bytes
            gpuUsed[g] += bytes
            precondition(gpuUsed[g] <= gpuCapacity, "GPU \(g) over capacity")
        }
    }

    /// Returns `bytes` of memory on each GPU in `gpus` held for `model` (nil: runtime reservations).
    func free(_ bytes: ByteCount, on gpus: [Int], for model: Int?) {
        let stride = scenario.models.count + 1
        for g in gpus {
            gpuHeld[g * stride + (model.map { $0 + 1 } ?? 0)] -= bytes.bytes
            gpuUsed[g] -= bytes
            precondition(gpuUsed[g] >= .zero, "GPU \(g) freed more than it held")
        }
    }

    /// Free memory on GPU `g`.
    func freeMemory(on g: Int) -> ByteCount { gpuCapacity - gpuUsed[g] }

    /// Sets replica `r`'s timer to fire after `delay`, replacing any earlier one.
    ///
    /// Keep-alive and idle timers are reset on every request: like batch boundaries, each
    /// replica's timer is one replaceable event in the queue (see ``EventQueue``).
    func setTimer(_ r: Int, after delay: SimDuration) {
        replicas[r].timerGeneration &+= 1
        events.schedule(.timer(replica: Int32(r), generation: replicas[r].timerGeneration), at: now + delay, phase: .timer, slot: Self.timerSlot(r))
    }

    /// Cancels replica `r`'s timer.
    func cancelTimer(_ r: Int) {
        replicas[r].timerGeneration &+= 1
        events.cancel(slot: Self.timerSlot(r))
    }

    /// Replica `r`'s slots in the event queue: its next batch boundary and its timer.
    private static func boundarySlot(_ r: Int) -> Int { 2 * r }
    private static func timerSlot(_ r: Int) -> Int { 2 * r + 1 }

    /// Finishes replica `r`'s current cold-start stage after `delay`.
    func scheduleStage(_ r: Int, after delay: SimDuration) {
        replicas[r].stageGeneration &+= 1
        events.schedule(.stage(replica: Int32(r), generation: replicas[r].stageGeneration), at: now + delay, phase: .lifecycle)
    }

    /// Records a lifecycle step.
    func record(_ kind: LifecycleEvent.Kind, replica r: Int, bytes: ByteCount = .zero, reason: String) {
        lifecycle.append(LifecycleEvent(time: now, kind: kind, model: replicas[r].model, gpus: replicas[r].gpus, bytes: bytes, reason: reason))
    }

    /// Starts moving `bytes` of replica `r`'s weights, split evenly over its GPUs, after the
    /// link's per-transfer latency plus `overhead`.
    ///
    /// Swap-ins come from pinned swap space over each GPU's H2D link and the node's DMA cap;
    /// swap-outs go the other way; loads come from the node's storage through pageable memory.
    func startTransfer(_ kind: TransferKind, replica r: Int, bytes: ByteCount, overhead: SimDuration = .zero) {
        let gpus = replicas[r].gpus
        let node = replicas[r].node
        // Split exactly: the shards add up to `bytes` (the first `bytes % n` carry one byte more),
        // so the bytes moved equal the bytes recorded in the lifecycle.
        let n = Int64(gpus.count)
        let link = scenario.cluster.gpu.link
        var shards: [(bytes: ByteCount, path: [Int], cap: Bandwidth?)] = []
        for (k, g) in gpus.enumerated() {
            let shard = ByteCount(bytes: bytes.bytes / n + (Int64(k) < bytes.bytes % n ? 1 : 0))
            switch kind {
            case .swapIn: shards.append((shard, [linkH2D[g], nodeDMA[node]], nil))
            case .swapOut: shards.append((shard, [linkD2H[g], nodeDMA[node]], nil))
            case .load: shards.append((shard, [nodeStorage[node], nodeDMA[node], linkH2D[g]], link.pageableHostToDevice))
            }
        }
        let id = transfers.insert(Transfer(replica: r, kind: kind, shards: shards, pendingFlows: shards.count))
        events.schedule(.transferReady(id), at: now + link.latency + overhead, phase: .transfer)
    }

    private func startFlows(of t: Int32) {
        for s in transfers[t].shards {
            _ = network.start(bytes: s.bytes, path: s.path, cap: s.cap, tag: Int(t), at: now)
        }
        scheduleFlowEvent()
    }

    private func scheduleFlowEvent() {
        guard let next = network.nextCompletion else { scheduledFlowEvent = nil; return }
        if next == scheduledFlowEvent { return }
        scheduledFlowEvent = next
        events.schedule(.flows, at: next, phase: .transfer)
    }

    private func flowFinished(transfer tag: Int) {
        let t = Int32(tag)
        transfers[t].pendingFlows -= 1
        guard transfers[t].pendingFlows == 0 else { return }
        let tr = transfers.remove(t)
        var total: Int64 = 0
        for s in tr.shards { total += s.bytes.bytes }
        switch tr.kind {
        case .swapIn, .load: bytesHostToGPU += total
        case .swapOut: bytesGPUToHost += total
        }
        strategy.transferFinished(tr.replica, kind: tr.kind, self)
    }

    // MARK: - Timeline

    /// The state in force at `t` (no event between the last one handled and `t`).
    private func sample(at t: SimInstant) -> TimelineSample {
        let stride = scenario.models.count + 1
        var residents: [[ResidentShare]] = []
        var h2d: [Int64] = []
        var d2h: [Int64] = []
        residents.reserveCapacity(poolSize)
        for g in 0..<poolSize {
            var shares: [ResidentShare] = []
            for k in 0..<stride where gpuHeld[g * stride + k] != 0 {
                shares.append(ResidentShare(model: k == 0 ? nil : k - 1, bytes: ByteCount(bytes: gpuHeld[g * stride + k])))
            }
            residents.append(shares)
            h2d.append(Int64(network.carried(by: linkH2D[g], at: t).rounded()))
            d2h.append(Int64(network.carried(by: linkD2H[g], at: t).rounded()))
        }
        var queued = 0
        var running = 0
        for r in replicas.indices where replicas[r].state != .stopped {
            queued += replicas[r].pending.count + replicas[r].batcher.queuedCount
            running += replicas[r].batcher.runningCount
        }
        return TimelineSample(time: t, residents: residents, hostToDeviceBytes: h2d, deviceToHostBytes: d2h, queued: queued, running: running)
    }

    // MARK: - Invariants

    func checkInvariants() {
        for g in gpuUsed.indices {
            precondition(gpuUsed[g] >= .zero && gpuUsed[g] <= gpuCapacity, "GPU \(g) memory \(gpuUsed[g]) outside [0, \(gpuCapacity)]")
        }
        for r in replicas.indices {
            precondition(replicas[r].batcher.checkInvariants(), "replica \(r) batch invariants broken")
            if replicas[r].state != .ready {
                precondition(replicas[r].batcher.isIdle, "replica \(r) not ready but batching")
            }
        }
        if eventCount & 1023 == 0 { precondition(events.checkInvariants(), "event queue heap broken") }
    }

    // MARK: - Result

    private func makeResult() -> StrategyResult {
        var (ttft, tpot, e2e) = metrics.takeSamples()
        let ttftSummary = LatencySummary(sortingNanoseconds: &ttft)
        let total = metrics.completed + metrics.rejected
        var targets: [PercentileOutcome] = []
        for p in scenario.slo.ttftPercentiles {
            // Rejected requests never got a first token: they rank after every completed one.
            let rank = Int((p.percentile / 100 * Double(total)).rounded(.up))
            let achieved: Double
            if total == 0 {
                achieved = 0
            } else if rank > ttft.count {
                achieved = .infinity
            } else {
                achieved = Double(ttft[max(rank, 1) - 1]) / 1e9
            }
            targets.append(PercentileOutcome(percentile: p.percentile, target: p.target, achieved: achieved, met: achieved <= p.target.seconds))
        }
        let gpuNs = strategy.billedGPUNanoseconds(self, horizon: horizon)
        let gpuHours = Double(gpuNs) / 3.6e12
        let hostGiBHours = strategy.billedHostMemory.gibibytes * horizon.seconds / 3600
        let cost = gpuHours * scenario.costs.gpuHour.amount + hostGiBHours * scenario.costs.hostGiBHour.amount
        var busyGPUNs: Int128 = 0
        for ns in gpuBusyNs { busyGPUNs += Int128(ns) }
        var counts: [LifecycleEvent.Kind: Int] = [:]
        for e in lifecycle { counts[e.kind, default: 0] += 1 }
        let n = Double(max(1, metrics.completed))
        return StrategyResult(
            strategy: kind, requests: metrics.arrived, completed: metrics.completed, rejected: metrics.rejected,
            ttft: ttftSummary, tpot: LatencySummary(sortingNanoseconds: &tpot), e2e: LatencySummary(sortingNanoseconds: &e2e),
            ttftTarget: scenario.slo.ttft,
            sloAttainment: total == 0 ? 1 : Double(metrics.withinTTFTTarget) / Double(total),
            percentileTargets: targets, requiredAttainment: scenario.slo.attainment, gpus: poolSize, gpuHours: gpuHours, hostGiBHours: hostGiBHours,
            cost: Dollars(cost),
            usdPerMillionOutputTokens: metrics.outputTokens == 0 ? 0 : cost / (Double(metrics.outputTokens) / 1e6),
            gpuUtilization: gpuNs == 0 ? 0 : Double(busyGPUNs) / Double(gpuNs),
            coldStarts: counts[.coldStart] ?? 0, swapIns: counts[.swapIn] ?? 0, swapOuts: counts[.swapOut] ?? 0,
            evictions: counts[.eviction] ?? 0, teardowns: counts[.teardown] ?? 0,
            requestsPayingColdStart: metrics.paidColdStart, requestsPayingSwapIn: metrics.paidSwapIn,
            bytesHostToGPU: bytesHostToGPU, bytesGPUToHost: bytesGPUToHost,
            inputTokens: metrics.inputTokens, outputTokens: metrics.outputTokens,
            breakdown: TTFTBreakdown(
                queueing: Double(metrics.queueingNs) / n / 1e9, swapWait: Double(metrics.swapWaitNs) / n / 1e9,
                coldStartWait: Double(metrics.coldStartWaitNs) / n / 1e9, prefill: Double(metrics.prefillNs) / n / 1e9),
            horizon: horizon, events: eventCount, lifecycle: lifecycle, requestLog: requestLog ?? [],
            ttftCDF: LatencyCDF(sortedNanoseconds: ttft, total: total),
            timeline: Timeline(
                interval: timeline.interval, hostToDeviceCapacity: scenario.cluster.gpu.link.hostToDevice.bytesPerSecond,
                deviceToHostCapacity: scenario.cluster.gpu.link.duplex == .full ? scenario.cluster.gpu.link.deviceToHost.bytesPerSecond : scenario.cluster.gpu.link.hostToDevice.bytesPerSecond,
                gpus: poolSize, samples: timeline.samples))
    }
}

/// Simulates `strategy` serving the requests of `source` on `scenario`.
///
/// The result depends only on the scenario, the strategy and the requests: the same inputs give
/// the same result bit for bit, on any thread.
/// - Throws: ``ScenarioError`` if the scenario cannot run under the strategy, or whatever the
///   source throws for a bad row.
/// - Parameter recordRequests: keep every request's outcome in ``StrategyResult/requestLog``
///   (memory grows with the trace; off by default).
public func simulate(scenario: Scenario, strategy: StrategyKind, requests source: some RequestSource, recordRequests: Bool = false) throws -> StrategyResult {
    try Simulation(scenario: scenario, strategy: strategy, source: source, recordRequests: recordRequests).run()
}
