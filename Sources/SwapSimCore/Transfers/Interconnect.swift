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
/// It builds the flow network's resources from the cluster (each GPU's host link, per
/// direction unless half-duplex; each node's DMA cap and storage) and routes a transfer
/// between tiers over them:
/// - swap-in: host swap space → the GPU's H2D link and the node's DMA cap;
/// - swap-out: the GPU's D2H link and the node's DMA cap → host;
/// - load: storage → the node's DMA cap → the GPU's H2D link, through pageable memory (capped
///   at the link's pageable rate).
///
/// A transfer to a tensor-parallel group is one flow per GPU, each carrying its shard; it
/// finishes when its last shard does. The interconnect owns no clock: the engine starts a
/// transfer's flows after the link latency and asks for the next completion.
struct Interconnect {
    struct Transfer {
        var tag: Int32
        var kind: TransferKind
        var gpus: Range<Int>
        var node: Int
        var bytes: ByteCount
        var pendingFlows: Int
    }

    private(set) var network = FlowNetwork()
    private var linkH2D: [Int] = []
    private var linkD2H: [Int] = []
    private var nodeDMA: [Int] = []
    private var nodeStorage: [Int] = []
    private let pageableCap: Bandwidth
    private var transfers = Slab<Transfer>()

    init(cluster c: ClusterSpec) {
        pageableCap = c.gpu.link.pageableHostToDevice
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

    /// The resources a shard of a `kind` transfer to or from GPU `g` on `node` crosses, and its own cap.
    func route(_ kind: TransferKind, gpu g: Int, node: Int) -> (path: [Int], cap: Bandwidth?) {
        switch kind {
        case .swapIn: return ([linkH2D[g], nodeDMA[node]], nil)
        case .swapOut: return ([linkD2H[g], nodeDMA[node]], nil)
        case .load: return ([nodeStorage[node], nodeDMA[node], linkH2D[g]], pageableCap)
        }
    }

    /// Registers a transfer of `bytes` split evenly over `gpus` (the first `bytes % n` shards carry
    /// one byte more, so the shards add up exactly); its flows start with ``release(_:at:)``.
    mutating func register(_ kind: TransferKind, gpus: Range<Int>, node: Int, bytes: ByteCount, tag: Int32) -> Int32 {
        transfers.insert(Transfer(tag: tag, kind: kind, gpus: gpus, node: node, bytes: bytes, pendingFlows: gpus.count))
    }

    /// Starts the flows of transfer `id` at `now`.
    mutating func release(_ id: Int32, at now: SimInstant) {
        let t = transfers[id]
        let n = Int64(t.gpus.count)
        for (k, g) in t.gpus.enumerated() {
            let shard = ByteCount(bytes: t.bytes.bytes / n + (Int64(k) < t.bytes.bytes % n ? 1 : 0))
            let r = route(t.kind, gpu: g, node: t.node)
            _ = network.start(bytes: shard, path: r.path, cap: r.cap, tag: Int(id), at: now)
        }
    }

    /// The instant the earliest active flow finishes.
    var nextCompletion: SimInstant? { network.nextCompletion }

    /// Advances to `now` and returns the transfers whose last flow finished, in the order their
    /// flows were started.
    mutating func finished(at now: SimInstant) -> [Transfer] {
        var done: [Transfer] = []
        for tag in network.removeFinished(at: now) {
            let id = Int32(tag)
            transfers[id].pendingFlows -= 1
            if transfers[id].pendingFlows == 0 { done.append(transfers.remove(id)) }
        }
        return done
    }

    /// Bytes GPU `g`'s host→device link has carried by `now` (for the timeline).
    func carriedToGPU(_ g: Int, at now: SimInstant) -> Double { network.carried(by: linkH2D[g], at: now) }
    /// Bytes GPU `g`'s device→host link has carried by `now` (the H2D link's when half-duplex).
    func carriedFromGPU(_ g: Int, at now: SimInstant) -> Double { network.carried(by: linkD2H[g], at: now) }

    // MARK: Predictions

    /// The time the simulator's transfer model gives for copying `bytes` host→device to one GPU
    /// in chunks of `chunk` (the last one shorter), one copy after another: each copy waits the
    /// link's latency, then flows over the same route a swap-in takes. The node is a one-GPU
    /// node of `link`, with `dmaBandwidth` as its DMA cap (nil: no cap beyond the link).
    ///
    /// - Complexity: O(bytes / chunk).
    static func chunkedCopyTime(bytes: ByteCount, chunk: ByteCount, link: HostLink, dmaBandwidth: Bandwidth?) -> SimDuration {
        precondition(chunk > .zero, "chunk size must be positive")
        let gpu = GPUSpec(name: "prediction", memory: .zero, memoryBandwidth: .init(bytesPerSecond: 1), bf16: .init(flopsPerSecond: 1), link: link, pricePerHour: Dollars(0))
        let cluster = ClusterSpec(
            nodes: 1, gpusPerNode: 1, gpu: gpu, hostMemory: .zero, swapSpace: .zero,
            dmaBandwidth: dmaBandwidth ?? Bandwidth(bytesPerSecond: .infinity), storageReadBandwidth: .init(bytesPerSecond: 1))
        var net = Interconnect(cluster: cluster)
        var now = SimInstant.zero
        var left = bytes
        while left > .zero {
            let piece = min(left, chunk)
            now = now + link.latency
            let id = net.register(.swapIn, gpus: 0..<1, node: 0, bytes: piece, tag: 0)
            net.release(id, at: now)
            if let done = net.nextCompletion {
                now = done
                _ = net.finished(at: now)
            }
            left -= piece
        }
        return now - .zero
    }
}
