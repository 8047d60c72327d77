@testable import SwapSimCore
import Testing

/// The pre-warm predictors on arrival patterns with a known next arrival.
@Suite struct ArrivalPredictorTests {
    static func seconds(_ s: Double) -> SimInstant { .zero + SimDuration(seconds: s) }

    @Test(arguments: PredictorKind.allCases)
    func aStrictPeriodIsPredictedExactlyFromItsFirstGap(kind: PredictorKind) {
        var p = kind.make()
        #expect(p.predictNext() == nil)
        p.observe(Self.seconds(10))
        #expect(p.predictNext() == nil, "one arrival says nothing of the next")
        for k in 1..<20 {
            p.observe(Self.seconds(10 + 300 * Double(k)))
            #expect(p.predictNext() == Self.seconds(10 + 300 * Double(k + 1)), "\(kind) after \(k + 1) arrivals")
        }
    }

    @Test func theHistogramTakesTheFifthPercentileGap() {
        // 100 gaps: 5 of 10 s, the rest of 100 s: the 5th percentile is 10 s (within a 5% bin).
        var p = IdleHistogramPredictor()
        var t = 0.0
        p.observe(Self.seconds(t))
        for k in 0..<100 {
            t += k % 20 == 0 ? 10 : 100
            p.observe(Self.seconds(t))
        }
        let gap = (p.predictNext()! - Self.seconds(t)).seconds
        #expect(gap >= 10 && gap <= 10.5, "gap \(gap)")
    }

    /// The tracked head percentile equals a linear scan of the bins, over random gaps of every scale.
    @Test func theHistogramPercentileMatchesALinearScan() {
        var rng = RandomStream(seed: 5, stream: "idle-histogram")
        var p = IdleHistogramPredictor()
        var counts = [Int](repeating: 0, count: IdleHistogramPredictor.bins)
        var gaps: [Int64] = []
        var t: Int64 = 0
        p.observe(SimInstant(nanoseconds: t))
        for _ in 0..<2_000 {
            let gap = Int64(MathFunctions.pow(10, 4 + 10 * rng.nextUnit()))
            t += gap
            gaps.append(gap)
            counts[IdleHistogramPredictor.binByFormula(of: gap)] += 1
            p.observe(SimInstant(nanoseconds: t))
            let rank = max(1, Int((IdleHistogramPredictor.headPercentile / 100 * Double(gaps.count)).rounded(.up)))
            var seen = 0
            var bin = 0
            for (k, c) in counts.enumerated() {
                seen += c
                if seen >= rank { bin = k; break }
            }
            let expected = min(max(Int64(IdleHistogramPredictor.upperEdge(of: bin)), gaps.min()!), gaps.max()!)
            #expect(p.predictNext() == SimInstant(nanoseconds: t + expected))
        }
    }

    @Test func theHistogramBinsGrowFivePercentFromAMillisecond() {
        #expect(IdleHistogramPredictor.bin(of: 500_000) == 0)
        #expect(IdleHistogramPredictor.bin(of: 1_000_000) == 0)
        for ns: Int64 in [2_000_000, 1_000_000_000, 3_600_000_000_000] {
            let b = IdleHistogramPredictor.bin(of: ns)
            #expect(IdleHistogramPredictor.upperEdge(of: b) >= Double(ns) && IdleHistogramPredictor.upperEdge(of: b - 1) < Double(ns))
        }
        #expect(IdleHistogramPredictor.bin(of: Int64.max) == IdleHistogramPredictor.bins - 1)
        // The constant written out is the logarithm the bins were defined with, bit for bit.
        #expect(IdleHistogramPredictor.logGrowth == MathFunctions.log(IdleHistogramPredictor.growth))
    }

    /// The table the bins are read from gives the formula's bin: on every gap within a thousand
    /// nanoseconds of each bin's start (where rounding would show), and at random gaps of every scale.
    @Test func theBinTableAgreesWithTheFormula() {
        let table = IdleHistogramPredictor.BinTable()
        #expect(table.starts.count == IdleHistogramPredictor.bins)
        for b in 1..<IdleHistogramPredictor.bins {
            let start = table.starts[b]
            #expect(IdleHistogramPredictor.binByFormula(of: start) >= b && IdleHistogramPredictor.binByFormula(of: start - 1) < b)
            for ns in max(0, start - 1_000)...(start + 1_000) where IdleHistogramPredictor.bin(of: ns) != IdleHistogramPredictor.binByFormula(of: ns) {
                Issue.record("gap \(ns) ns: table bin \(IdleHistogramPredictor.bin(of: ns)), formula \(IdleHistogramPredictor.binByFormula(of: ns))")
            }
        }
        var rng = RandomStream(seed: 9, stream: "bin-table")
        for _ in 0..<200_000 {
            let ns = Int64(MathFunctions.pow(10, 18.9 * rng.nextUnit()))
            if IdleHistogramPredictor.bin(of: ns) != IdleHistogramPredictor.binByFormula(of: ns) { Issue.record("gap \(ns) ns") }
        }
        for ns in [0, 1, 999_999, 1_000_000, 1_000_001, Int64.max - 1, Int64.max] {
            #expect(IdleHistogramPredictor.bin(of: ns) == IdleHistogramPredictor.binByFormula(of: ns), "gap \(ns) ns")
        }
    }

    @Test func ewmaMeetsAJitteryPeriodEarly() {
        // Gaps alternating 90 s and 110 s: the mean is 100 s, the deviation about 10 s, so the
        // prediction comes about 80 s after the last arrival: before either next gap.
        var p = EWMAPredictor()
        var t = 0.0
        p.observe(Self.seconds(t))
        for k in 0..<50 {
            t += k % 2 == 0 ? 90 : 110
            p.observe(Self.seconds(t))
        }
        let gap = (p.predictNext()! - Self.seconds(t)).seconds
        #expect(gap > 70 && gap < 90, "gap \(gap)")
    }
}
