/// Finding GPUs for replicas: tensor-parallel groups of consecutive GPUs on one node.
enum Placement {
    /// The GPU groups of size `width` a replica may occupy: aligned runs of `width` GPUs
    /// within a node, in GPU order, among GPUs `from..<limit`.
    static func groups(width: Int, cluster: ClusterSpec, limit: Int = .max, from: Int = 0) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for node in 0..<cluster.nodes {
            var start = 0
            while start + width <= cluster.gpusPerNode {
                let first = node * cluster.gpusPerNode + start
                if first >= from && first + width <= limit { result.append(first..<(first + width)) }
                start += width
            }
        }
        return result
    }

    /// First-fit decreasing: places items (per-GPU bytes, width) on the first `limit` GPUs of
    /// `cluster`, each holding `capacity` of which `used` is taken, largest first (ties by
    /// index), each on the first group with room on every GPU and fewer than
    /// ``ScenarioLimits/maxServersPerGPU`` servers.
    ///
    /// Returns each item's group, or nil for items that found none, and the GPUs' memory used.
    /// - Complexity: O(n log n + n · w log G) for n items, w distinct widths and G GPUs.
    static func firstFitDecreasing(
        items: [(bytes: ByteCount, width: Int)], capacity: ByteCount, cluster: ClusterSpec, limit: Int = .max, used: [ByteCount]? = nil
    ) -> (groups: [Range<Int>?], used: [ByteCount]) {
        var packer = FirstFitPacker(cluster: cluster, capacity: capacity, limit: limit, widths: items.map(\.width), used: used)
        var placed = [Range<Int>?](repeating: nil, count: items.count)
        for i in decreasingOrder(items) {
            placed[i] = packer.place(items[i].bytes, width: items[i].width)
        }
        return (placed, packer.used.map { ByteCount(bytes: $0) })
    }

    /// Spread decreasing: places items like ``firstFitDecreasing(items:capacity:cluster:limit:used:)``
    /// but each on the group with the most free memory (ties: the first), so replicas spread
    /// over the pool and share a GPU only when the pool has no emptier one. A real always-warm
    /// deployment gives each replica its own GPUs when it has them; packing them first-fit onto
    /// the first GPUs would time-slice models on a GPU while other GPUs of the pool sit idle.
    ///
    /// Returns nil when some item finds no group (spreading can fragment a pool that first fit
    /// would still fill), else each item's group.
    /// - Complexity: O(n log n + n · w log G).
    static func spreadDecreasing(
        items: [(bytes: ByteCount, width: Int)], capacity: ByteCount, cluster: ClusterSpec, limit: Int = .max, used: [ByteCount]? = nil
    ) -> [Range<Int>]? {
        var packer = FirstFitPacker(cluster: cluster, capacity: capacity, limit: limit, widths: items.map(\.width), used: used)
        var placed = [Range<Int>](repeating: 0..<0, count: items.count)
        for i in decreasingOrder(items) {
            guard let g = packer.place(items[i].bytes, width: items[i].width, roomiest: true) else { return nil }
            placed[i] = g
        }
        return placed
    }

    /// The fewest GPUs (whole nodes of `cluster`'s shape, counted in GPUs used) on which
    /// first-fit decreasing places every item: first fit on as many nodes as it takes, which
    /// places each item where first fit on that many nodes from the start would.
    static func gpusNeeded(items: [(bytes: ByteCount, width: Int)], capacity: ByteCount, cluster: ClusterSpec) -> Int {
        var c = cluster
        c.nodes = 1
        var packer = FirstFitPacker(cluster: c, capacity: capacity, limit: .max, widths: items.map(\.width), used: nil)
        for i in decreasingOrder(items) {
            while packer.place(items[i].bytes, width: items[i].width) == nil {
                // No room: grow by a node (an item wider than a node, or larger than a GPU, never fits).
                guard items[i].width <= cluster.gpusPerNode, items[i].bytes <= capacity else { return Int.max }
                packer.addNode()
            }
        }
        return packer.used.filter { $0 > 0 }.count
    }

    private static func decreasingOrder(_ items: [(bytes: ByteCount, width: Int)]) -> [Int] {
        items.indices.sorted { a, b in items[a].bytes != items[b].bytes ? items[a].bytes > items[b].bytes : a < b }
    }
}

/// First fit over aligned GPU groups, answering "the first group of width w with b bytes free
/// on every GPU" in O(log G) with a max-segment tree per width over its groups' free memory.
struct FirstFitPacker {
    private var cluster: ClusterSpec
    private let capacity: Int64
    private let limit: Int
    private(set) var used: [Int64]
    private var servers: [Int]
    /// Per width in use: the tree over that width's groups (leaf k: group k's least free memory,
    /// −1 when full of servers or beyond the limit).
    private var trees: [(width: Int, tree: [Int64], leaves: Int)] = []

    init(cluster: ClusterSpec, capacity: ByteCount, limit: Int, widths: [Int], used: [ByteCount]?) {
        self.cluster = cluster
        self.capacity = capacity.bytes
        self.limit = limit
        self.used = used.map { $0.map(\.bytes) } ?? Array(repeating: 0, count: cluster.gpuCount)
        servers = Array(repeating: 0, count: cluster.gpuCount)
        for w in Set(widths).sorted() where w >= 1 && w <= cluster.gpusPerNode { trees.append((w, [], 0)) }
        rebuild()
    }

    /// Adds a node of the cluster's shape.
    mutating func addNode() {
        cluster.nodes += 1
        used.append(contentsOf: repeatElement(0, count: cluster.gpusPerNode))
        servers.append(contentsOf: repeatElement(0, count: cluster.gpusPerNode))
        rebuild()
    }

    /// Places an item of `bytes` per GPU on `width` GPUs on the first group with room (or with
    /// `roomiest`, the first of the groups with the most free memory), or returns nil.
    mutating func place(_ bytes: ByteCount, width: Int, roomiest: Bool = false) -> Range<Int>? {
        guard let t = trees.firstIndex(where: { $0.width == width }) else { return nil }
        guard let k = firstLeaf(t, atLeast: roomiest ? max(bytes.bytes, trees[t].tree[1]) : bytes.bytes) else { return nil }
        let group = start(ofGroup: k, width: width)..<(start(ofGroup: k, width: width) + width)
        for g in group {
            used[g] += bytes.bytes
            servers[g] += 1
        }
        for g in group { refresh(gpu: g) }
        return group
    }

    // MARK: Trees

    private func start(ofGroup k: Int, width w: Int) -> Int {
        let per = cluster.gpusPerNode / w
        return (k / per) * cluster.gpusPerNode + (k % per) * w
    }

    private func leafValue(group k: Int, width w: Int) -> Int64 {
        let s = start(ofGroup: k, width: w)
        if s + w > limit { return -1 }
        var least = Int64.max
        for g in s..<(s + w) {
            if servers[g] >= ScenarioLimits.maxServersPerGPU { return -1 }
            least = min(least, capacity - used[g])
        }
        return least
    }

    private mutating func rebuild() {
        for t in trees.indices {
            let w = trees[t].width
            let n = cluster.nodes * (cluster.gpusPerNode / w)
            var leaves = 1
            while leaves < max(1, n) { leaves *= 2 }
            var tree = [Int64](repeating: -1, count: 2 * leaves)
            for k in 0..<n { tree[leaves + k] = leafValue(group: k, width: w) }
            var i = leaves - 1
            while i >= 1 { tree[i] = max(tree[2 * i], tree[2 * i + 1]); i -= 1 }
            trees[t] = (w, tree, leaves)
        }
    }

    private mutating func refresh(gpu g: Int) {
        let node = g / cluster.gpusPerNode
        let inNode = g % cluster.gpusPerNode
        for t in trees.indices {
            let w = trees[t].width
            let per = cluster.gpusPerNode / w
            guard inNode / w < per else { continue }  // GPU beyond the node's last whole group
            let k = node * per + inNode / w
            var i = trees[t].leaves + k
            trees[t].tree[i] = leafValue(group: k, width: w)
            i /= 2
            while i >= 1 {
                trees[t].tree[i] = max(trees[t].tree[2 * i], trees[t].tree[2 * i + 1])
                i /= 2
            }
        }
    }

    /// The first leaf (group) whose value is at least `need`.
    private func firstLeaf(_ t: Int, atLeast need: Int64) -> Int? {
        let tree = trees[t].tree
        guard tree[1] >= need else { return nil }
        var i = 1
        while i < trees[t].leaves { i = tree[2 * i] >= need ? 2 * i : 2 * i + 1 }
        return i - trees[t].leaves
    }
}
