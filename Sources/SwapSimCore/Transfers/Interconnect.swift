/// Why a transfer runs, which decides its direction and the path it takes.
public enum TransferKind: Sendable, Equatable {
    /// Host swap space → GPU.
    case swapIn
    /// GPU → host swap space.
    case swapOut
    /// Storage → GPU (cold start, or a hot-swap model not in swap space).
    case load
}

/// The links between memory tiers and the transfers crossing them.
///
/// It builds the flow network's resources from each node's ``HostTopology`` and routes a
/// transfer between tiers over them, per direction:
/// - swap-in: host memory → the socket's memory bandwidth → the GPU's switch uplink (H2D) →
///   the GPU's link (H2D);
/// - swap-out: the same path device→host (D2H resources);
/// - load: storage → the socket's memory → uplink → link, capped at the loader's rate.
/// A link or uplink whose bidirectional rate is known adds a budget both directions share, so
/// a swap-out during a swap-in slows each only as far as the hardware does; a half-duplex link
/// has one resource for both directions. `host.dma_bandwidth`, when stated, adds one node-wide
/// cap per direction.
///
/// A transfer to a tensor-parallel group is one flow per GPU, each carrying its shard; it
/// finishes when its last shard does. The interconnect owns no clock: the engine starts a
/// transfer's flows after the link latency and asks for the next completion.
///
/// Every resource belongs to one node, so each node has a flow network of its own and a flow
/// starting or ending re-shares only its node's links: max-min fairness over independent parts
/// is the fairness of each part alone, to the bit (progressive filling fixes each part's flows
/// at the same shares in the same order). All networks advance together, so every flow's bytes
/// are accounted over the same intervals as in one network, and completions are merged in the
/// order their flows started.
struct Interconnect: ~Copyable {
    struct Transfer {
        var tag: Int32
        var kind: TransferKind
        var gpus: Range<Int>
        var node: Int
        var bytes: ByteCount
        var cap: Bandwidth?
        var pendingFlows: Int
    }

    /// The resources of one GPU's path, per direction (−1: none).
    struct Path {
        var h2d: [Int] = []
        var d2h: [Int] = []
    }

    /// Per node, the flow network of its resources; the indices below are within it.
    /// One per node (an ``OwnedArray``: each write through an `Array` checked its uniqueness).
    private var networks = OwnedArray<FlowNetwork>()
    private let gpusPerNode: Int
    private var gpuH2D: [Int] = []
    private var gpuD2H: [Int] = []
    private var paths: [Path] = []
    private var nodeStorage: [Int] = []
    private let pageableCap: Bandwidth
    private var transfers = Slab<Transfer>()
    /// Flows started so far, over every node: each flow's identifier, so completions on
    /// different nodes merge in start order.
    private var flowsStarted = 0
    /// Scratch for ``finished(at:into:)``: the flows that finished, over every node.
    private var flowScratch: [(id: FlowNetwork.FlowID, tag: Int)] = []

    /// `storage`: the tier weights load from (nil: the cluster's own).
    init(cluster c: ClusterSpec, storage: StorageTier? = nil) {
        pageableCap = c.gpu.link.pageableHostToDevice
        gpusPerNode = c.gpusPerNode
        let topology = c.topology
        let link = c.gpu.link
        for _ in 0..<c.nodes {
            var network = FlowNetwork()
            defer { networks.append(network) }
            nodeStorage.append(network.addResource((storage ?? c.storage).bandwidth))
            // Per node: sockets, switch uplinks, the optional node-wide caps.
            let sockets = (0..<topology.sockets).map { _ in network.addResource(topology.socketMemoryBandwidth) }
            var uplinks: [(h2d: Int, d2h: Int, both: Int?)?] = []
            for s in topology.switches.indices {
                guard !topology.isPrivate(s) else { uplinks.append(nil); continue }
                let h = network.addResource(topology.uplinkH2D)
                let d = network.addResource(topology.uplinkD2H)
                let both = topology.uplinkBidirectional.map { network.addResource(Bandwidth(bytesPerSecond: 2 * $0.bytesPerSecond)) }
                uplinks.append((h, d, both))
            }
            let dma = c.dmaBandwidth.map { (h2d: network.addResource($0), d2h: network.addResource($0)) }
            for local in 0..<c.gpusPerNode {
                let h = network.addResource(link.hostToDevice)
                let d = link.duplex == .full ? network.addResource(link.deviceToHost) : h
                let both = link.duplex == .full ? link.bidirectional.map { network.addResource(Bandwidth(bytesPerSecond: 2 * $0.bytesPerSecond)) } : nil
                gpuH2D.append(h)
                gpuD2H.append(d)
                var p = Path()
                p.h2d = [h] + (both.map { [$0] } ?? [])
                p.d2h = [d] + (both.map { [$0] } ?? [])
                if let s = topology.switchOf(local), let u = uplinks[s] {
                    p.h2d += [u.h2d] + (u.both.map { [$0] } ?? [])
                    p.d2h += [u.d2h] + (u.both.map { [$0] } ?? [])
                }
                let socket = sockets[topology.socketOf(local, gpus: c.gpusPerNode)]
                p.h2d.append(socket)
                p.d2h.append(socket)
                if let dma {
                    p.h2d.append(dma.h2d)
                    p.d2h.append(dma.d2h)
                }
                paths.append(p)
            }
        }
    }

    /// The resources a shard of a `kind` transfer to or from GPU `g` on `node` crosses, and its
    /// own cap (`cap` when given, else the pageable rate for loads).
    func route(_ kind: TransferKind, gpu g: Int, node: Int, cap: Bandwidth?) -> (path: [Int], cap: Bandwidth?) {
        switch kind {
        case .swapIn: return (paths[g].h2d, cap)
        case .swapOut: return (paths[g].d2h, cap)
        case .load: return ([nodeStorage[node]] + paths[g].h2d, cap ?? pageableCap)
        }
    }

    /// Registers a transfer of `bytes` split evenly over `gpus` (the first `bytes % n` shards carry
    /// one byte more, so the shards add up exactly); its flows start with ``release(_:at:)``.
    /// `cap` limits each shard's flow (a loader's rate, a mechanism's share of the link).
    mutating func register(_ kind: TransferKind, gpus: Range<Int>, node: Int, bytes: ByteCount, cap: Bandwidth? = nil, tag: Int32) -> Int32 {
        transfers.insert(Transfer(tag: tag, kind: kind, gpus: gpus, node: node, bytes: bytes, cap: cap, pendingFlows: gpus.count))
    }

    /// Starts the flows of transfer `id` at `now`.
    mutating func release(_ id: Int32, at now: SimInstant) {
        let t = transfers[id]
        let n = Int64(t.gpus.count)
        advanceAll(to: now)
        for (k, g) in t.gpus.enumerated() {
            let shard = ByteCount(bytes: t.bytes.bytes / n + (Int64(k) < t.bytes.bytes % n ? 1 : 0))
            let r = route(t.kind, gpu: g, node: t.node, cap: t.cap)
            _ = networks[t.node].start(bytes: shard, path: r.path, cap: r.cap, tag: Int(id), id: flowsStarted, at: now)
            flowsStarted += 1
        }
    }

    /// Accounts every node's flows up to `now`, so that all networks advance over the same
    /// intervals (as one network would).
    private mutating func advanceAll(to now: SimInstant) {
        for n in networks.indices { networks[n].advance(to: now) }
    }

    /// The instant the earliest active flow finishes.
    var nextCompletion: SimInstant? {
        var best: SimInstant? = nil
        for n in networks.indices {
            if let t = networks[n].nextCompletion, best == nil || t < best! { best = t }
        }
        return best
    }

    /// Advances to `now` and returns the transfers whose last flow finished, in the order their
    /// flows were started.
    mutating func finished(at now: SimInstant) -> [Transfer] {
        var done: [Transfer] = []
        finished(at: now, into: &done)
        return done
    }

    /// ``finished(at:)``, appending to `done` (a caller's reusable buffer).
    mutating func finished(at now: SimInstant, into done: inout [Transfer]) {
        var flows: [(id: FlowNetwork.FlowID, tag: Int)] = []
        swap(&flows, &flowScratch)
        // This call's flows follow what earlier calls left; the buffer is emptied only once it
        // grows long (`removeAll` is an outlined call of about 120 instructions).
        let start = flows.count < 256 ? flows.count : 0
        if start == 0 && !flows.isEmpty { flows.removeAll(keepingCapacity: true) }
        defer { swap(&flows, &flowScratch) }
        for n in networks.indices { networks[n].removeFinishedFlows(at: now, into: &flows) }
        if networks.count > 1 && flows.count - start > 1 { flows[start...].sort { $0.id < $1.id } }
        for f in flows[start...] {
            let id = Int32(f.tag)
            transfers[id].pendingFlows -= 1
            if transfers[id].pendingFlows == 0 { done.append(transfers.remove(id)) }
        }
    }

    /// Bytes GPU `g`'s host→device link has carried by `now` (for the timeline).
    func carriedToGPU(_ g: Int, at now: SimInstant) -> Double { networks[g / gpusPerNode].carried(by: gpuH2D[g], at: now) }
    /// Bytes GPU `g`'s device→host link has carried by `now` (the H2D link's when half-duplex).
    func carriedFromGPU(_ g: Int, at now: SimInstant) -> Double { networks[g / gpusPerNode].carried(by: gpuD2H[g], at: now) }

    // MARK: Predictions

    /// The rate in bytes per second of each of `kinds` (one transfer each, started together on
    /// the first GPU of `cluster`'s first node, 1 GB each, with nothing else running), leaving
    /// out the per-transfer latency: what a copy benchmark such as nvbandwidth reports.
    static func aloneRates(cluster: ClusterSpec, kinds: [TransferKind]) -> [Double] {
        var net = Interconnect(cluster: cluster)
        let bytes = ByteCount(bytes: 1_000_000_000)
        var ids: [Int32] = []
        for k in kinds {
            let id = net.register(k, gpus: 0..<1, node: 0, bytes: bytes, tag: Int32(ids.count))
            net.release(id, at: .zero)
            ids.append(id)
        }
        var rates = Array(repeating: 0.0, count: kinds.count)
        while let t = net.nextCompletion {
            for done in net.finished(at: t) { rates[Int(done.tag)] = Double(bytes.bytes) / t.seconds }
        }
        return rates
    }
}
