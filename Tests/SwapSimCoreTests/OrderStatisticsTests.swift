@testable import SwapSimCore
import Testing

/// Rank selection agrees with reading the standard library's sort, on every kind of input.
@Suite struct OrderStatisticsTests {
    /// Values of one of five shapes: tiny range, latency-like, offset narrow range, full 64-bit
    /// with negatives, heavy ties.
    static func values(_ n: Int, shape: Int, _ rng: inout RandomStream) -> [Int64] {
        (0..<n).map { _ in
            switch shape {
            case 0: return Int64(rng.uniformInt(0...300))
            case 1: return Int64(rng.uniformInt(0...Int(3_600_000_000_000)))
            case 2: return 1_000_000_007 + Int64(rng.uniformInt(0...5_000))
            case 3: return Int64(bitPattern: rng.next())
            default: return rng.nextUnit() < 0.9 ? 42 : Int64(rng.uniformInt(0...Int(1e12)))
            }
        }
    }

    @Test func matchesTheSortedArrayOverSeeds() {
        for seed in UInt64(0)..<60 {
            var rng = RandomStream(seed: seed, stream: "select")
            let n = seed % 6 == 5 ? 50_000 : Int(rng.uniformInt(1...5_000))
            let values = Self.values(n, shape: Int(seed % 5), &rng)
            let sorted = values.sorted()
            var ranks = (0..<40).map { _ in Int(rng.uniformInt(0...(n - 1))) }
            ranks += [0, n - 1, n / 2, n - 1]
            ranks += LatencyCDF.ranks(count: n)
            #expect(OrderStatistics.select(values, ranks: ranks) == ranks.map { sorted[$0] }, "seed \(seed), \(n) values")
        }
    }

    @Test func allEqualExtremesAndOneValue() {
        let same = [Int64](repeating: 42, count: 1000)
        #expect(OrderStatistics.select(same, ranks: [0, 500, 999]) == [42, 42, 42])
        let extremes: [Int64] = (0..<2_000).map { $0 % 2 == 0 ? .max - Int64($0) : .min + Int64($0) }
        let sorted = extremes.sorted()
        let ranks = [1999, 0, 1000, 999, 1, 1998]
        #expect(OrderStatistics.select(extremes, ranks: ranks) == ranks.map { sorted[$0] })
        #expect(OrderStatistics.select([7], ranks: [0, 0]) == [7, 7])
        #expect(OrderStatistics.select([], ranks: []) == [])
    }

    @Test func summaryUsesNearestRank() {
        // 1…100 ms: p50 is the 50th value, p99 the 99th, max the 100th; the mean 50.5 ms.
        let ms: [Int64] = (1...100).reversed().map { Int64($0) * 1_000_000 }
        let (s, extra) = LatencySummary.summarizing(nanoseconds: ms, extraRanks: [9])
        #expect(s.count == 100 && s.mean == 0.0505)
        #expect(s.p50 == 0.050 && s.p90 == 0.090 && s.p95 == 0.095 && s.p99 == 0.099 && s.max == 0.100)
        #expect(extra == [10_000_000])
    }
}
