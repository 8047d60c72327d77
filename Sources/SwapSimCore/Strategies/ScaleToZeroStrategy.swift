/// Idle replicas are torn down after a keep-alive window; a request for a model with no
/// replica pays a full cold start. GPUs are billed only while a replica holds them.
///
/// A replica takes whole GPUs (as a Kubernetes pod requesting `nvidia.com/gpu` does). Its cold
/// start runs container start, runtime initialisation, the weight load from storage (a flow
/// sharing storage, the node's DMA cap and the GPU link with other loads, through pageable
/// memory) and warm-up, in that order; requests that arrive meanwhile wait for it. When the
/// pool has no free GPU the cold start waits, first come first served, for a replica to reach
/// the end of its keep-alive window (as a Kubernetes pod waits for a GPU); with
/// `evictIdleWhenFull`, the least recently used idle replica is torn down at once instead. With a target concurrency, a
/// model whose outstanding requests exceed target × replicas gets another replica (Knative's
/// rule), up to its maximum.
final class ScaleToZeroStrategy: ServingStrategy {
    private var liveReplicas: [[Int]] = []
    /// Requests for models that have no replica yet, waiting for GPUs.
    private var waiting: [FIFOQueue<Int32>] = []
    /// Models waiting for GPUs to start a replica, first come first served.
    private var gpuWait = FIFOQueue<(model: Int, reason: String)>()
    private var queuedForGPU: [Int] = []
    private var owner: [Int?] = []
    private var heldNs: Int128 = 0
    private var groupsByWidth: [Int: [[Int]]] = [:]

    func start(_ sim: Simulation) throws(ScenarioError) {
        let n = sim.scenario.models.count
        liveReplicas = Array(repeating: [], count: n)
        waiting = Array(repeating: FIFOQueue(), count: n)
        queuedForGPU = Array(repeating: 0, count: n)
        owner = Array(repeating: nil, count: sim.scenario.cluster.gpuCount)
        for m in sim.scenario.models where groupsByWidth[m.tensorParallel] == nil {
            groupsByWidth[m.tensorParallel] = Placement.groups(width: m.tensorParallel, cluster: sim.scenario.cluster, limit: sim.poolSize)
        }
    }

    func route(slot: Int32, model: Int, _ sim: Simulation) {
        var best: Int? = nil
        var loading: Int? = nil
        var outstanding = 0
        for r in liveReplicas[model] {
            let rep = sim.replicas[r]
            outstanding += rep.batcher.outstanding + rep.pending.count
            if rep.state == .ready {
                if best == nil || rep.batcher.outstanding < sim.replicas[best!].batcher.outstanding { best = r }
            } else if loading == nil || rep.pending.count < sim.replicas[loading!].pending.count {
                loading = r
            }
        }
        if let r = best ?? loading {
            sim.deliver(slot, to: r)
            let cfg = sim.scenario.scaleToZero
            if let target = cfg.targetConcurrency, outstanding + 1 > target * liveReplicas[model].count,
                liveReplicas[model].count + queuedForGPU[model] < cfg.maxReplicas
            {
                requestReplica(model, reason: "scale-out: \(outstanding + 1) outstanding over \(liveReplicas[model].count) replica(s)", sim)
            }
            return
        }
        waiting[model].append(slot)
        if queuedForGPU[model] == 0 {
            requestReplica(model, reason: "request for \(sim.scenario.models[model].name), no replica", sim)
        }
    }

    private func requestReplica(_ model: Int, reason: String, _ sim: Simulation) {
        queuedForGPU[model] += 1
        gpuWait.append((model, reason))
        startWaiting(sim)
    }

    /// Starts cold starts for waiting models, first come first served, while GPUs can be found.
    private func startWaiting(_ sim: Simulation) {
        while let head = gpuWait.first {
            guard let group = findGPUs(for: head.model, sim) else { return }
            _ = gpuWait.popFirst()
            queuedForGPU[head.model] -= 1
            coldStart(head.model, on: group, reason: head.reason, sim)
        }
    }

    /// A group of free GPUs for `model`; with `evictIdleWhenFull`, tearing down the least
    /// recently used idle replicas if that is what it takes.
    private func findGPUs(for model: Int, _ sim: Simulation) -> [Int]? {
        let groups = groupsByWidth[sim.scenario.models[model].tensorParallel]!
        if let g = groups.first(where: { $0.allSatisfy { owner[$0] == nil } }) { return g }
        guard sim.scenario.scaleToZero.evictIdleWhenFull else { return nil }
        var best: (group: [Int], age: SimInstant)? = nil
        for g in groups {
            var newest = SimInstant(nanoseconds: Int64.min)
            var ok = true
            for x in g {
                guard let r = owner[x] else { continue }
                let rep = sim.replicas[r]
                if rep.state != .ready || !rep.isIdle { ok = false; break }
                newest = max(newest, rep.lastUsed)
            }
            if ok && (best == nil || newest < best!.age) { best = (g, newest) }
        }
        guard let g = best?.group else { return nil }
        var victims: [Int] = []
        for x in g { if let r = owner[x], !victims.contains(r) { victims.append(r) } }
        for r in victims {
            sim.record(.eviction, replica: r, reason: "pool full: GPUs needed by \(sim.scenario.models[model].name)")
            tearDown(r, reason: "evicted for \(sim.scenario.models[model].name)", sim)
        }
        return g
    }

    private func coldStart(_ model: Int, on gpus: [Int], reason: String, _ sim: Simulation) {
        let r = sim.addReplica(model: model, gpus: gpus, state: .loading)
        for g in gpus { owner[g] = r }
        sim.allocate(sim.scenario.perGPUFootprint(sim.scenario.models[model]), on: gpus, for: model)
        sim.replicas[r].holdsMemory = true
        sim.replicas[r].heldSince = sim.now
        sim.replicas[r].stage = 0
        liveReplicas[model].append(r)
        sim.record(.coldStart, replica: r, bytes: sim.scenario.models[model].architecture.weightBytes, reason: reason)
        while let slot = waiting[model].popFirst() { sim.deliver(slot, to: r) }
        sim.scheduleStage(r, after: sim.scenario.scaleToZero.containerStart)
    }

    func stageFinished(_ r: Int, _ sim: Simulation) {
        let cfg = sim.scenario.scaleToZero
        switch sim.replicas[r].stage {
        case 0:
            sim.replicas[r].stage = 1
            sim.scheduleStage(r, after: cfg.runtimeInit)
        case 1:
            sim.replicas[r].stage = 2
            let m = sim.scenario.models[sim.replicas[r].model]
            sim.startTransfer(.load, replica: r, bytes: m.architecture.weightBytes)
        default:
            sim.replicas[r].stage = 4
            sim.makeReady(r, cause: .coldStart)
        }
    }

    func transferFinished(_ r: Int, kind: TransferKind, _ sim: Simulation) {
        sim.replicas[r].stage = 3
        sim.scheduleStage(r, after: sim.scenario.scaleToZero.warmup)
    }

    func replicaIdle(_ r: Int, _ sim: Simulation) {
        guard sim.replicas[r].state == .ready else { return }
        if !gpuWait.isEmpty { startWaiting(sim) }
        if sim.replicas[r].state == .ready {
            sim.setTimer(r, after: sim.scenario.scaleToZero.keepAlive)
        }
    }

    func timerFired(_ r: Int, _ sim: Simulation) {
        guard sim.replicas[r].state == .ready, sim.replicas[r].isIdle else { return }
        tearDown(r, reason: "idle for the keep-alive window", sim)
        startWaiting(sim)
    }

    private func tearDown(_ r: Int, reason: String, _ sim: Simulation) {
        let rep = sim.replicas[r]
        sim.record(.teardown, replica: r, reason: reason)
        sim.free(sim.scenario.perGPUFootprint(sim.scenario.models[rep.model]), on: rep.gpus, for: rep.model)
        for g in rep.gpus { owner[g] = nil }
        heldNs += Int128((sim.now - rep.heldSince).nanoseconds) * Int128(rep.gpus.count)
        liveReplicas[rep.model].removeAll { $0 == r }
        sim.replicas[r].holdsMemory = false
        sim.stopReplica(r)
    }

    func billedGPUNanoseconds(_ sim: Simulation, horizon: SimInstant) -> Int128 {
        // Teardowns after the horizon (keep-alive expiring after the last request) are not billed
        // past it: the bill covers the trace's span.
        var total: Int128 = 0
        for e in sim.lifecycle where e.kind == .teardown && e.time > horizon {
            total -= Int128((e.time - horizon).nanoseconds) * Int128(e.gpus.count)
        }
        total += heldNs
        for rep in sim.replicas where rep.holdsMemory {
            total += Int128(max(0, (horizon - rep.heldSince).nanoseconds)) * Int128(rep.gpus.count)
        }
        return total
    }

    var billedHostMemory: ByteCount { .zero }
}
