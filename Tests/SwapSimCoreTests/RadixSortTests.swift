import SwapSimCore
import Testing

/// The latency sort agrees with the standard library's on every kind of input.
@Suite struct RadixSortTests {
    @Test func matchesTheComparisonSortOverSeeds() {
        for seed in UInt64(0)..<40 {
            var rng = RandomStream(seed: seed, stream: "radix")
            let n = Int(rng.uniformInt(0...5_000))
            // Mix of ranges: tiny, latency-like (ns up to hours), full 64-bit with negatives.
            let values: [Int64] = (0..<n).map { _ in
                switch seed % 3 {
                case 0: return Int64(rng.uniformInt(0...300))
                case 1: return Int64(rng.uniformInt(0...Int(3_600_000_000_000)))
                default: return Int64(bitPattern: rng.next())
                }
            }
            var radix = values
            LatencySummary.radixSort(&radix)
            #expect(radix == values.sorted(), "seed \(seed), \(n) values")
        }
    }

    @Test func allEqualAndExtremes() {
        var same = [Int64](repeating: 42, count: 1000)
        LatencySummary.radixSort(&same)
        #expect(same == [Int64](repeating: 42, count: 1000))
        var extremes: [Int64] = (0..<200).map { $0 % 2 == 0 ? .max - Int64($0) : .min + Int64($0) }
        let expected = extremes.sorted()
        LatencySummary.radixSort(&extremes)
        #expect(extremes == expected)
    }
}
