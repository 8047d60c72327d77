/// The pre-warm window of the "hybrid histogram" policy of Shahrad et al., "Serverless in the
/// Wild" (USENIX ATC 2020), §4.2: a histogram of the model's idle times (the gaps between its
/// requests), and a next request expected at the head percentile of it (the 5th: the policy
/// pre-warms at the 5th percentile of idle times, less a 10% margin, which the pre-warm
/// strategy applies).
///
/// The paper's bins are one minute wide over four hours, for functions idle for minutes; LLM
/// models idle for seconds to hours, so the bins here grow geometrically (each 5% wider, from
/// 1 ms to 100 days: 520 bins), keeping the same relative resolution at every scale in bounded
/// memory. The bin's upper edge is the prediction, so a gap that repeats exactly predicts at
/// most 5% late of itself; as in the paper, a pattern is trusted from its first idle time.
struct IdleHistogramPredictor: ArrivalPredictor {
    /// The percentile of idle times taken as the next gap.
    static let headPercentile = 5.0
    static let firstEdgeNs = 1_000_000.0
    static let growth = 1.05
    static let bins = 520

    /// The histogram as a Fenwick tree (1-based: `tree[k]` sums bins `k - (k & -k) ..< k`), so
    /// an observation and a percentile each take O(log bins).
    private var tree = [Int32](repeating: 0, count: IdleHistogramPredictor.bins + 1)
    private var total = 0
    private var last: SimInstant? = nil
    /// The smallest and largest gap seen, to clamp the prediction within the data.
    private var smallest = Int64.max
    private var largest: Int64 = 0

    private static let logGrowth = MathFunctions.log(growth)
    private static let upperEdges: [Double] = (0..<bins).map { firstEdgeNs * MathFunctions.pow(growth, Double($0)) }

    static func bin(of ns: Int64) -> Int {
        guard Double(ns) > firstEdgeNs else { return 0 }
        let k = Int((MathFunctions.log(Double(ns) / firstEdgeNs) / logGrowth).rounded(.up))
        return min(bins - 1, max(0, k))
    }

    static func upperEdge(of bin: Int) -> Double { upperEdges[bin] }

    mutating func observe(_ t: SimInstant) {
        if let l = last {
            let gap = (t - l).nanoseconds
            // The tree has `bins + 1` entries, so every k below is in bounds.
            tree.withUnsafeMutableBufferPointer { t in
                var k = Self.bin(of: gap) + 1
                while k <= Self.bins {
                    t[k] += 1
                    k += k & -k
                }
            }
            total += 1
            smallest = min(smallest, gap)
            largest = max(largest, gap)
        }
        last = t
    }

    func predictNext() -> SimInstant? {
        guard let l = last, total > 0 else { return nil }
        // Nearest-rank head percentile of the gaps, read off the histogram.
        let rank = max(1, Int((Self.headPercentile / 100 * Double(total)).rounded(.up)))
        // The first bin whose running count reaches the rank: descend the tree.
        let bin = tree.withUnsafeBufferPointer { t in
            var bin = 0
            var remaining = rank
            var step = 1 << (Int.bitWidth - 1 - Self.bins.leadingZeroBitCount)
            while step > 0 {
                let next = bin + step
                if next <= Self.bins && Int(t[next]) < remaining {
                    bin = next
                    remaining -= Int(t[next])
                }
                step >>= 1
            }
            return bin
        }
        let gap = min(max(Int64(Self.upperEdge(of: bin)), smallest), largest)
        return l + .nanoseconds(gap)
    }
}
