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

    /// Gaps per bin.
    private var counts = [Int32](repeating: 0, count: IdleHistogramPredictor.bins)
    private var total = 0
    private var last: SimInstant? = nil
    /// The smallest and largest gap seen, to clamp the prediction within the data.
    private var smallest = Int64.max
    private var largest: Int64 = 0
    /// The bin of the head percentile, kept with each gap: the first bin whose running count
    /// reaches ``rank``; and the gaps in the bins below it. A gap moves it over the empty bins
    /// between two occupied ones (O(bins) at worst, a step or two in practice), where a search
    /// from scratch read ten levels of a tree per request.
    private var headBin = 0
    private var belowHead = 0

    private static let logGrowth = MathFunctions.log(growth)
    private static let upperEdges: [Double] = (0..<bins).map { firstEdgeNs * MathFunctions.pow(growth, Double($0)) }

    /// The bin of a gap of `ns`: ⌈log(ns / 1 ms) / log 1.05⌉, within the bins.
    static func bin(of ns: Int64) -> Int {
        guard Double(ns) > firstEdgeNs else { return 0 }
        let k = Int((MathFunctions.log(Double(ns) / firstEdgeNs) / logGrowth).rounded(.up))
        return min(bins - 1, max(0, k))
    }

    static func upperEdge(of bin: Int) -> Double { upperEdges[bin] }

    /// The nearest-rank head percentile's rank among `total` gaps (1-based).
    private var rank: Int { max(1, Int((Self.headPercentile / 100 * Double(total)).rounded(.up))) }

    mutating func observe(_ t: SimInstant) {
        if let l = last {
            let gap = (t - l).nanoseconds
            let b = Self.bin(of: gap)
            counts[b] += 1
            total += 1
            smallest = min(smallest, gap)
            largest = max(largest, gap)
            if total == 1 {
                headBin = b
                belowHead = 0
            } else {
                if b < headBin { belowHead += 1 }
                moveHead()
            }
        }
        last = t
    }

    /// Restores `belowHead < rank ≤ belowHead + counts[headBin]` after a gap is added.
    private mutating func moveHead() {
        let r = rank
        counts.withUnsafeBufferPointer { c in
            while belowHead >= r {
                // Too many gaps below: back to the previous bin with any.
                repeat { headBin -= 1 } while c[headBin] == 0
                belowHead -= Int(c[headBin])
            }
            while belowHead + Int(c[headBin]) < r {
                belowHead += Int(c[headBin])
                repeat { headBin += 1 } while c[headBin] == 0
            }
        }
    }

    func predictNext() -> SimInstant? {
        guard let l = last, total > 0 else { return nil }
        let gap = min(max(Int64(Self.upperEdge(of: headBin)), smallest), largest)
        return l + .nanoseconds(gap)
    }
}
