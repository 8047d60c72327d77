/// Exact order statistics of samples at a batch of ranks, without sorting them.
///
/// A result needs a few dozen ranks of a million samples (five percentiles, the SLO's targets,
/// the CDF grid), so it selects instead of sorting: a most-significant-digit radix selection.
/// One pass counts the top 11 bits of each sample's offset from the smallest, the ranks pick
/// their buckets from the running counts, one more pass gathers only the samples of those
/// buckets, and each gathered bucket is refined on its next 11 bits until it is small enough to
/// sort. A latency distribution puts the asked ranks in a handful of buckets, so the work is
/// about two reads of the samples instead of a sort's four scatter passes, and the answer is
/// the same as reading the sorted array (tested against it).
///
/// - Complexity: O(n · ⌈b / 11⌉) time in the worst case for values spanning b bits, O(n) extra
///   memory at most; deterministic (no pivots).
enum OrderStatistics {
    /// The values at 0-based `ranks` of `samples` in ascending order, one per rank in the order
    /// given (ranks may repeat and come in any order; each must be in `0..<samples.count`).
    static func select(_ samples: [Int64], ranks: [Int]) -> [Int64] {
        samples.withUnsafeBufferPointer { select($0, ranks: ranks) }
    }

    /// ``select(_:ranks:)`` over samples in a buffer.
    static func select(_ samples: UnsafeBufferPointer<Int64>, ranks: [Int]) -> [Int64] {
        guard !ranks.isEmpty else { return [] }
        precondition(!samples.isEmpty && ranks.allSatisfy { $0 >= 0 && $0 < samples.count }, "rank out of range")
        var lo = samples[0]
        var hi = samples[0]
        for v in samples {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        // Offsets from the smallest sample are exact unsigned keys for any two Int64 values.
        let base = UInt64(bitPattern: lo)
        let range = hi &- lo
        let bits = UInt64.bitWidth - UInt64(bitPattern: range).leadingZeroBitCount
        let queries = ranks.indices.sorted { ranks[$0] != ranks[$1] ? ranks[$0] < ranks[$1] : $0 < $1 }.map { Query(rank: ranks[$0], out: $0) }
        var found = [UInt64](repeating: 0, count: ranks.count)
        samples.withMemoryRebound(to: UInt64.self) { keys in
            refine(keys, offset: base, bits: bits, prefix: 0, queries[...], into: &found)
        }
        return found.map { Int64(bitPattern: $0 &+ base) }
    }

    private struct Query {
        var rank: Int
        var out: Int
    }

    private static let digitBits = 11
    private static let sortBelow = 512

    /// Answers `queries` (sorted by rank, ranks within `keys`) for keys whose values are
    /// `prefix + (key − offset)` with `key − offset < 2^bits`.
    private static func refine(
        _ keys: UnsafeBufferPointer<UInt64>, offset: UInt64, bits: Int, prefix: UInt64, _ queries: ArraySlice<Query>,
        into found: inout [UInt64]
    ) {
        let n = keys.count
        if bits == 0 {
            for q in queries { found[q.out] = prefix }
            return
        }
        if n <= sortBelow {
            let sorted = keys.map { $0 &- offset }.sorted()
            for q in queries { found[q.out] = prefix &+ sorted[q.rank] }
            return
        }
        let width = min(digitBits, bits)
        let shift = bits - width
        let radix = 1 << width
        var counts = [Int](repeating: 0, count: radix)
        counts.withUnsafeMutableBufferPointer { c in
            for k in keys { c[Int((k &- offset) >> UInt64(shift))] += 1 }
        }
        // Each query's bucket and the first rank in it; buckets are met in rank order.
        var buckets: [(digit: Int, start: Int, count: Int, queries: Range<Int>)] = []
        var digit = 0
        var start = 0
        var q = queries.startIndex
        while q < queries.endIndex {
            while start + counts[digit] <= queries[q].rank {
                start += counts[digit]
                digit += 1
            }
            let first = q
            while q < queries.endIndex && queries[q].rank < start + counts[digit] { q += 1 }
            buckets.append((digit, start, counts[digit], first..<q))
            start += counts[digit]
            digit += 1
        }
        // Gather the chosen buckets' keys (as offsets within their bucket) side by side.
        var slot = [Int](repeating: -1, count: radix)
        var fill: [Int] = []
        var total = 0
        for (i, b) in buckets.enumerated() {
            slot[b.digit] = i
            fill.append(total)
            total += b.count
        }
        let mask = shift == 0 ? 0 : (UInt64.max >> UInt64(UInt64.bitWidth - shift))
        let gathered = [UInt64](unsafeUninitializedCapacity: total) { buffer, count in
            slot.withUnsafeBufferPointer { slot in
                fill.withUnsafeMutableBufferPointer { fill in
                    for k in keys {
                        let o = k &- offset
                        let i = slot[Int(o >> UInt64(shift))]
                        if i >= 0 {
                            buffer[fill[i]] = o & mask
                            fill[i] += 1
                        }
                    }
                }
            }
            count = total
        }
        gathered.withUnsafeBufferPointer { g in
            var begin = 0
            for b in buckets {
                let part = UnsafeBufferPointer(rebasing: g[begin..<(begin + b.count)])
                let local = queries[b.queries].map { Query(rank: $0.rank - b.start, out: $0.out) }
                refine(part, offset: 0, bits: shift, prefix: prefix &+ (UInt64(b.digit) << UInt64(shift)), local[...], into: &found)
                begin += b.count
            }
        }
    }
}
