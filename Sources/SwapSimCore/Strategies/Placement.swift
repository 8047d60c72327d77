/// Finding GPUs for replicas: tensor-parallel groups of consecutive GPUs on one node.
enum Placement {
    /// The GPU groups of size `width` a replica may occupy: aligned runs of `width` GPUs
    /// within a node, in GPU order.
    static func groups(width: Int, cluster: ClusterSpec, limit: Int = .max) -> [[Int]] {
        var result: [[Int]] = []
        for node in 0..<cluster.nodes {
            var start = 0
            while start + width <= cluster.gpusPerNode {
                let first = node * cluster.gpusPerNode + start
                if first + width <= limit { result.append(Array(first..<(first + width))) }
                start += width
            }
        }
        return result
    }

    /// First-fit decreasing: places items (per-GPU bytes, width) on GPUs of `capacity`,
    /// largest first (ties by index), each on the first group with room on every GPU.
    ///
    /// Returns each item's group, or nil for items that found none, and the GPUs' memory used.
    static func firstFitDecreasing(
        items: [(bytes: ByteCount, width: Int)], capacity: ByteCount, cluster: ClusterSpec, limit: Int = .max
    ) -> (groups: [[Int]?], used: [ByteCount]) {
        var used = Array(repeating: ByteCount.zero, count: cluster.gpuCount)
        var placed = Array<[Int]?>(repeating: nil, count: items.count)
        let order = items.indices.sorted { a, b in
            items[a].bytes != items[b].bytes ? items[a].bytes > items[b].bytes : a < b
        }
        for i in order {
            let item = items[i]
            for g in groups(width: item.width, cluster: cluster, limit: limit)
            where g.allSatisfy({ used[$0] + item.bytes <= capacity }) {
                for x in g { used[x] += item.bytes }
                placed[i] = g
                break
            }
        }
        return (placed, used)
    }

    /// The fewest GPUs (whole nodes of `cluster`'s shape, counted in GPUs) on which first-fit
    /// decreasing places every item, found by growing the node count.
    static func gpusNeeded(items: [(bytes: ByteCount, width: Int)], capacity: ByteCount, cluster: ClusterSpec) -> Int {
        var c = cluster
        // Each item needs at most one node of its own, so this many nodes always suffice.
        for nodes in 1...max(1, items.count) {
            c.nodes = nodes
            let (groups, used) = firstFitDecreasing(items: items, capacity: capacity, cluster: c)
            if groups.allSatisfy({ $0 != nil }) {
                // Report GPUs actually used, not the whole last node.
                return used.filter { $0 > .zero }.count
            }
        }
        return items.count * cluster.gpusPerNode
    }
}
