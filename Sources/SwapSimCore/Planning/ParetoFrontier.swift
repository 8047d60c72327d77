/// The cost-versus-latency Pareto frontier of a set of points.
public enum ParetoFrontier {
    /// Indices of the points no other point dominates, cheapest first.
    ///
    /// A point dominates another when it is no worse in both cost and latency and better in
    /// at least one. Of points equal in both, the first (lowest index) is kept. The frontier
    /// is returned by increasing cost, hence strictly decreasing latency.
    /// - Complexity: O(n log n).
    public static func indices(cost: [Double], latency: [Double]) -> [Int] {
        precondition(cost.count == latency.count)
        let order = cost.indices.sorted { a, b in
            if cost[a] != cost[b] { return cost[a] < cost[b] }
            if latency[a] != latency[b] { return latency[a] < latency[b] }
            return a < b
        }
        var out: [Int] = []
        var bestLatency = Double.infinity
        for i in order where latency[i] < bestLatency {
            out.append(i)
            bestLatency = latency[i]
        }
        return out
    }
}
