/// The pre-warm window of the "hybrid histogram" policy of Shahrad et al., "Serverless in the
/// Wild" (USENIX ATC 2020), §4.2: a histogram of the model's idle times (the gaps between its
/// requests), and a next request expected at the head percentile of it (the 5th: the policy
/// pre-warms at the 5th percentile of idle times, less a 10% margin, which the pre-warm
/// strategy applies).
///
/// The paper's bins are one minute wide over four hours, for functions idle for minutes; LLM
/// models idle for seconds to hours, so the bins here grow geometrically (each 5% wider, from
/// 1 ms to about 3 years: 520 bins), keeping the same relative resolution at every scale in bounded
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
    /// ``upperEdge(of:)`` of ``headBin`` in whole nanoseconds, read from the table only when
    /// the head moves (a static initialised on first use costs a `swift_once` check per read).
    private var headEdgeNs: Int64 = 0

    /// log(``growth``), written out: a static initialised by a call is a `swift_once` check on
    /// every gap (``binTable`` still costs one, in place of the logarithm).
    /// ArrivalPredictorTests checks it equals `MathFunctions.log(growth)` bit for bit.
    static let logGrowth = 0.04879016416943205
    private static let upperEdges: [Double] = (0..<bins).map { firstEdgeNs * MathFunctions.pow(growth, Double($0)) }

    /// The bin of a gap of `ns`: ``binByFormula(of:)``, read from ``BinTable`` (a table read and
    /// at most three compares, where the formula's logarithm and rounding were about a seventh of
    /// pre-warm's own work per request).
    @inline(__always) static func bin(of ns: Int64) -> Int {
        guard ns > 1_000_000 else { return 0 }  // Double(ns) > firstEdgeNs, for integers
        return binTable.bin(of: ns)
    }

    /// The definition of a gap's bin: ⌈log(ns / 1 ms) / log 1.05⌉, within the bins.
    static func binByFormula(of ns: Int64) -> Int {
        guard Double(ns) > firstEdgeNs else { return 0 }
        let k = Int((MathFunctions.log(Double(ns) / firstEdgeNs) / logGrowth).rounded(.up))
        return min(bins - 1, max(0, k))
    }

    private static let binTable = BinTable()

    /// Where each bin begins, found once with ``binByFormula(of:)`` (it never decreases as the
    /// gap grows), and a coarse index into those starts by the gap's leading bits.
    ///
    /// ArrivalPredictorTests checks the two agree on every gap within a thousand nanoseconds of
    /// each start, and at random gaps across the whole range.
    struct BinTable {
        /// The smallest gap of each bin: `starts[b]` is the least `ns` whose bin is at least `b`.
        let starts: [Int64]
        /// Per bucket of gaps, the bin of its smallest gap. A gap's bucket is the position of
        /// its top bit and the four bits below it: a sixteenth of a doubling, at most 6.25 %
        /// wide, so a bucket spans at most two bin boundaries (each bin is 5 % wide): at most two
        /// steps up from the bucket's bin, and a third compare that stops.
        let firstBin: [Int16]

        init() {
            var starts = [Int64](repeating: 0, count: IdleHistogramPredictor.bins)
            for b in 1..<IdleHistogramPredictor.bins {
                // The formula holds at least b at hi, and less than b below lo's bin start.
                var lo = starts[b - 1]
                var hi = Int64.max
                while lo < hi {
                    let mid = lo + (hi - lo) / 2
                    if IdleHistogramPredictor.binByFormula(of: mid) >= b { hi = mid } else { lo = mid + 1 }
                }
                starts[b] = lo
            }
            self.starts = starts
            firstBin = (0..<1024).map { bucket in
                let top = bucket / 16
                guard top >= 4 else { return 0 }
                let smallest = (Int64(1) << top) | (Int64(bucket % 16) << (top - 4))
                return Int16(IdleHistogramPredictor.binByFormula(of: smallest))
            }
        }

        /// The bin of a gap of `ns` (more than 1 ms).
        @inline(__always) func bin(of ns: Int64) -> Int {
            let lz = ns.leadingZeroBitCount
            let sub = Int(truncatingIfNeeded: (UInt64(bitPattern: ns) &<< UInt64(lz + 1)) &>> 60)
            var b = Int(firstBin[(63 - lz) * 16 + sub])
            while b + 1 < starts.count && ns >= starts[b + 1] { b += 1 }
            return b
        }
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
            let oldHead = headBin
            if total == 1 {
                headBin = b
                belowHead = 0
            } else {
                if b < headBin { belowHead += 1 }
                moveHead()
            }
            if headBin != oldHead || total == 1 { headEdgeNs = Int64(Self.upperEdge(of: headBin)) }
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
        let gap = min(max(headEdgeNs, smallest), largest)
        return l + .nanoseconds(gap)
    }
}
