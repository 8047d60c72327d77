/// A fixed GPU pool where every model has a live server and idle models live in host memory.
///
/// As with NVIDIA Run:ai GPU memory swap, each model's server is bound to its GPUs at the start
/// (balanced by memory, largest first) and keeps its runtime reservation (CUDA context) there
/// for the whole run; only its weights and KV cache come and go. A request for a model that is
/// not resident queues it for a swap-in; when its GPUs lack room, idle resident models that
/// share them are evicted in the policy's order (LRU by default). A model with requests running,
/// queued or waiting is never evicted. Models waiting for memory are served first come first
/// served: a waiting model holds its GPUs against later ones.
///
/// A swap-out copies the weights to pinned swap space (D2H); with `keep_host_copy`, a clean copy
/// of the weights stays in swap space, so a swap-out only frees GPU memory. When swap space
/// cannot take the weights, they are dropped and the next swap-in is a load from storage
/// (recorded as a cold start). KV cache is not swapped: a model is only swapped out idle.
final class HotSwapStrategy: ServingStrategy {
    /// Each model's resident share per GPU (weights and KV cache, without the runtime reservation).
    private var part: [ByteCount] = []
    private var boundTo: [[Int]] = []
    private var hostUsed: [ByteCount] = []
    private var permanentCopy: [Bool] = []
    private var waitList: [Int] = []
    private var queued: [Bool] = []
    /// Scratch for ``serveWaitList(_:)``: GPUs held by a waiting model that could not start.
    private var blocked: [Bool] = []
    private var hostSwapBilled: ByteCount = .zero

    func start(_ sim: Simulation) throws(ScenarioError) {
        let s = sim.scenario
        let n = s.models.count
        part = s.models.map { ($0.architecture.weightBytes + $0.kvCache).divided(into: $0.tensorParallel) }
        boundTo = Array(repeating: [], count: s.cluster.gpuCount)
        hostUsed = Array(repeating: .zero, count: s.cluster.nodes)
        permanentCopy = Array(repeating: false, count: n)
        queued = Array(repeating: false, count: n)
        hostSwapBilled = s.cluster.swapSpace * Int64(s.cluster.nodes)

        // Bind each server to the group whose most loaded GPU is least loaded, largest models
        // first, among groups where it fits beside the runtime reservations of every server bound
        // there (each bound server keeps its CUDA context resident; the largest must still fit).
        var load = Array(repeating: ByteCount.zero, count: s.cluster.gpuCount)
        var largest = Array(repeating: ByteCount.zero, count: s.cluster.gpuCount)
        var home = Array(repeating: [Int](), count: n)
        let runtime = s.serving.runtimeReservation
        let order = (0..<n).sorted { part[$0] != part[$1] ? part[$0] > part[$1] : $0 < $1 }
        for m in order {
            let groups = Placement.groups(width: s.models[m].tensorParallel, cluster: s.cluster, limit: sim.poolSize)
            func fits(_ g: [Int]) -> Bool {
                g.allSatisfy { runtime * Int64(boundTo[$0].count + 1) + max(largest[$0], part[m]) <= sim.gpuCapacity }
            }
            var best: [Int]? = nil
            var bestLoad = ByteCount.zero
            for g in groups where fits(g) {
                let l = g.map { load[$0] }.max()!
                if best == nil || l < bestLoad { best = g; bestLoad = l }
            }
            guard let chosen = best else {
                let g = groups[0]
                throw .hotSwapGPUOvercommitted(
                    gpu: g[0], models: boundTo[g[0]].map { s.models[$0].name } + [s.models[m].name],
                    reason: "no GPU of the pool of \(sim.poolSize) has room for another server's runtime reservation (\(runtime)) beside the largest model bound there; add GPUs to the pool or lower serving.runtime_reservation")
            }
            for g in chosen {
                load[g] += part[m]
                largest[g] = max(largest[g], part[m])
                boundTo[g].append(m)
            }
            home[m] = chosen
        }
        for g in 0..<sim.poolSize where !boundTo[g].isEmpty {
            sim.allocate(runtime * Int64(boundTo[g].count), on: [g], for: nil)
        }
        for m in 0..<n {
            let r = sim.addReplica(model: m, gpus: home[m], state: .swapped)
            precondition(r == m)
            let weights = s.models[m].architecture.weightBytes
            let node = sim.replicas[m].node
            if s.hotSwap.keepHostCopy && hostUsed[node] + weights <= s.cluster.swapSpace {
                permanentCopy[m] = true
                hostUsed[node] += weights
            }
            if home[m].allSatisfy({ sim.freeMemory(on: $0) >= part[m] }) {
                sim.allocate(part[m], on: home[m], for: m)
                sim.replicas[m].state = .ready
                sim.replicas[m].holdsMemory = true
            } else if permanentCopy[m] {
                sim.replicas[m].state = .swapped
            } else if hostUsed[node] + weights <= s.cluster.swapSpace {
                hostUsed[node] += weights
                sim.replicas[m].state = .swapped
            } else {
                sim.replicas[m].state = .offloaded
            }
        }
    }

    func route(slot: Int32, model m: Int, _ sim: Simulation) {
        sim.deliver(slot, to: m)
        switch sim.replicas[m].state {
        case .swapped, .offloaded: requestSwapIn(m, sim)
        default: break  // ready, or already moving: the request waits for it
        }
    }

    private func requestSwapIn(_ m: Int, _ sim: Simulation) {
        if !queued[m] {
            queued[m] = true
            waitList.append(m)
        }
        serveWaitList(sim)
    }

    /// Starts swap-ins for waiting models in arrival order, evicting idle models as needed. A model
    /// that cannot start holds its GPUs: later models that need any of them wait behind it.
    private func serveWaitList(_ sim: Simulation) {
        if waitList.isEmpty { return }
        if blocked.count != sim.scenario.cluster.gpuCount { blocked = Array(repeating: false, count: sim.scenario.cluster.gpuCount) }
        for g in blocked.indices { blocked[g] = false }
        var i = 0
        while i < waitList.count {
            let m = waitList[i]
            let gpus = sim.replicas[m].gpus
            if gpus.contains(where: { blocked[$0] }) { i += 1; continue }
            if makeRoom(for: m, sim) {
                waitList.remove(at: i)
                queued[m] = false
                startSwapIn(m, sim)
            } else {
                for g in gpus { blocked[g] = true }
                i += 1
            }
        }
    }

    /// Frees memory for `m` on its GPUs, evicting idle models in policy order. Returns whether
    /// the memory is free now (evictions that copy out free it only when their copy ends).
    private func makeRoom(for m: Int, _ sim: Simulation) -> Bool {
        let gpus = sim.replicas[m].gpus
        let need = part[m]
        func deficit(_ projected: (Int) -> ByteCount) -> Bool { gpus.contains { projected($0) < need } }
        if !deficit({ sim.freeMemory(on: $0) }) { return true }
        // Memory already on its way out.
        var incoming = [ByteCount](repeating: .zero, count: gpus.count)
        for (k, g) in gpus.enumerated() {
            for v in boundTo[g] where sim.replicas[v].state == .swappingOut { incoming[k] += part[v] }
        }
        var projected = gpus.indices.map { sim.freeMemory(on: gpus[$0]) + incoming[$0] }
        if !deficit({ g in projected[gpus.firstIndex(of: g)!] }) { return false }
        // Candidates: idle resident models sharing a GPU with m, in eviction order.
        var candidates: [Int] = []
        for g in gpus {
            for v in boundTo[g] where v != m && !candidates.contains(v) {
                // Read the fields in place: copying a replica copies its batch's buffers' references.
                if sim.replicas[v].state == .ready && sim.replicas[v].isIdle { candidates.append(v) }
            }
        }
        candidates.sort { evictsBefore($0, $1, sim) }
        var victims: [Int] = []
        for v in candidates {
            let vg = sim.replicas[v].gpus
            // Only evict a model that frees memory where some is still missing.
            let helps = gpus.indices.contains { projected[$0] < need && vg.contains(gpus[$0]) }
            guard helps else { continue }
            victims.append(v)
            for k in gpus.indices where vg.contains(gpus[k]) { projected[k] += part[v] }
            if !deficit({ g in projected[gpus.firstIndex(of: g)!] }) { break }
        }
        if deficit({ g in projected[gpus.firstIndex(of: g)!] }) { return false }
        let name = sim.scenario.models[m].name
        for v in victims {
            sim.record(.eviction, replica: v, reason: "make room for \(name)")
            swapOut(v, reason: "evicted for \(name)", sim)
        }
        return !deficit({ sim.freeMemory(on: $0) })
    }

    private func evictsBefore(_ a: Int, _ b: Int, _ sim: Simulation) -> Bool {
        switch sim.scenario.hotSwap.eviction {
        case .lru:
            break
        case .lfu:
            let (ua, ub) = (sim.replicas[a].uses, sim.replicas[b].uses)
            if ua != ub { return ua < ub }
        case .largest:
            if part[a] != part[b] { return part[a] > part[b] }
        }
        let (la, lb) = (sim.replicas[a].lastUsed, sim.replicas[b].lastUsed)
        return la != lb ? la < lb : a < b
    }

    private func swapOut(_ v: Int, reason: String, _ sim: Simulation) {
        sim.cancelTimer(v)
        let weights = sim.scenario.models[v].architecture.weightBytes
        let node = sim.replicas[v].node
        sim.replicas[v].holdsMemory = false
        if permanentCopy[v] {
            sim.free(part[v], on: sim.replicas[v].gpus, for: v)
            sim.replicas[v].state = .swapped
            sim.record(.swapOut, replica: v, reason: "\(reason); clean host copy kept, GPU memory freed")
        } else if hostUsed[node] + weights <= sim.scenario.cluster.swapSpace {
            hostUsed[node] += weights
            sim.replicas[v].state = .swappingOut
            sim.record(.swapOut, replica: v, bytes: weights, reason: reason)
            sim.startTransfer(.swapOut, replica: v, bytes: weights)
        } else {
            sim.free(part[v], on: sim.replicas[v].gpus, for: v)
            sim.replicas[v].state = .offloaded
            sim.record(.swapOut, replica: v, reason: "\(reason); swap space full, weights dropped (next load from storage)")
        }
    }

    private func startSwapIn(_ m: Int, _ sim: Simulation) {
        let weights = sim.scenario.models[m].architecture.weightBytes
        let name = sim.scenario.models[m].name
        sim.allocate(part[m], on: sim.replicas[m].gpus, for: m)
        sim.replicas[m].holdsMemory = true
        let overhead = sim.scenario.hotSwap.swapOverhead
        if sim.replicas[m].state == .swapped {
            sim.replicas[m].state = .swappingIn
            sim.record(.swapIn, replica: m, bytes: weights, reason: "request for \(name), not resident")
            sim.startTransfer(.swapIn, replica: m, bytes: weights, overhead: overhead)
        } else {
            sim.replicas[m].state = .loading
            sim.record(.coldStart, replica: m, bytes: weights, reason: "request for \(name), weights not in swap space: load from storage")
            sim.startTransfer(.load, replica: m, bytes: weights, overhead: overhead)
        }
    }

    func transferFinished(_ m: Int, kind: TransferKind, _ sim: Simulation) {
        switch kind {
        case .swapOut:
            sim.free(part[m], on: sim.replicas[m].gpus, for: m)
            sim.replicas[m].state = .swapped
            if !sim.replicas[m].pending.isEmpty {
                requestSwapIn(m, sim)
            } else {
                serveWaitList(sim)
            }
        case .swapIn, .load:
            if kind == .swapIn && !permanentCopy[m] {
                hostUsed[sim.replicas[m].node] -= sim.scenario.models[m].architecture.weightBytes
            }
            sim.makeReady(m, cause: kind == .swapIn ? .swapIn : .coldStart)
        }
    }

    func replicaIdle(_ m: Int, _ sim: Simulation) {
        guard sim.replicas[m].state == .ready else { return }
        if !waitList.isEmpty { serveWaitList(sim) }
        if sim.replicas[m].state == .ready, let t = sim.scenario.hotSwap.idleTimeout {
            sim.setTimer(m, after: t)
        }
    }

    func timerFired(_ m: Int, _ sim: Simulation) {
        guard sim.replicas[m].state == .ready, sim.replicas[m].isIdle else { return }
        swapOut(m, reason: "idle for the idle timeout", sim)
        serveWaitList(sim)
    }

    func stageFinished(_ r: Int, _ sim: Simulation) {}

    func billedGPUNanoseconds(_ sim: Simulation, horizon: SimInstant) -> Int128 {
        Int128(sim.poolSize) * Int128(horizon.nanoseconds)
    }

    var billedHostMemory: ByteCount { hostSwapBilled }
}
