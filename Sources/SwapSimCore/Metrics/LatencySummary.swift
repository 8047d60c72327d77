/// Exact order statistics of a set of durations.
///
/// Percentiles use the nearest-rank definition: the p-th percentile of n sorted values is the
/// value at rank ⌈p/100 · n⌉ (1-based), so it is always one of the observed values.
public struct LatencySummary: Hashable, Sendable {
    public var count: Int
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public static let empty = LatencySummary(count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0)

    public init(count: Int, mean: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// The percentiles a summary reports, in order: p50, p90, p95, p99 (max is the last rank).
    static let percentiles: [Double] = [50, 90, 95, 99]

    /// Summarises nanosecond samples, reported in seconds, with ``OrderStatistics``; also
    /// returns the samples at the 0-based `extraRanks` (nanoseconds), found in the same pass.
    static func summarizing(nanoseconds samples: [Int64], extraRanks: [Int] = []) -> (summary: LatencySummary, extra: [Int64]) {
        samples.withUnsafeBufferPointer { summarizing(nanoseconds: $0, extraRanks: extraRanks) }
    }

    /// ``summarizing(nanoseconds:extraRanks:)`` over samples in a buffer.
    static func summarizing(nanoseconds samples: UnsafeBufferPointer<Int64>, extraRanks: [Int] = []) -> (summary: LatencySummary, extra: [Int64]) {
        guard !samples.isEmpty else { return (.empty, []) }
        let n = samples.count
        let ranks = percentiles.map { rank($0, count: n) } + [n - 1] + extraRanks
        let values = OrderStatistics.select(samples, ranks: ranks)
        var total: Int128 = 0
        for s in samples { total += Int128(s) }
        let summary = LatencySummary(
            count: n, mean: Double(total) / Double(n) / 1e9, p50: Double(values[0]) / 1e9, p90: Double(values[1]) / 1e9,
            p95: Double(values[2]) / 1e9, p99: Double(values[3]) / 1e9, max: Double(values[4]) / 1e9)
        return (summary, Array(values[5...]))
    }

    /// The 0-based index of the nearest-rank `p`-th percentile among `count` sorted values.
    static func rank(_ p: Double, count: Int) -> Int {
        let rank = Int((p / 100 * Double(count)).rounded(.up))
        return Swift.min(Swift.max(rank, 1), count) - 1
    }
}

/// A latency distribution at fixed quantiles: enough to draw its CDF without keeping every sample.
///
/// Quantiles run every 0.5% from 0 to 99.5%, then every 0.1% to 99.9%, then 100%, so the
/// tail that SLOs care about is drawn finely. Values use the nearest-rank definition over the
/// completed requests; `completedShare` says what fraction of all requests completed (rejected
/// ones never had a first token), so a plot can scale the curve to every request.
public struct LatencyCDF: Hashable, Sendable {
    /// Fractions of the completed requests, ascending, in [0, 1].
    public var quantiles: [Double]
    /// The latency at each quantile, in seconds.
    public var seconds: [Double]
    /// Completed requests over all requests (1 when none was rejected).
    public var completedShare: Double

    public init(quantiles: [Double], seconds: [Double], completedShare: Double) {
        self.quantiles = quantiles
        self.seconds = seconds
        self.completedShare = completedShare
    }

    /// The fixed quantile grid.
    public static let grid: [Double] = {
        var q: [Double] = (0..<200).map { Double($0) / 200 }
        q += (996...999).map { Double($0) / 1000 }
        q.append(1)
        return q
    }()

    /// The 0-based ranks of the grid among `count` samples.
    static func ranks(count: Int) -> [Int] { count == 0 ? [] : grid.map { LatencySummary.rank($0 * 100, count: count) } }

    /// The distribution from the samples at ``ranks(count:)`` (nanoseconds), out of `count`
    /// completed and `total` requests.
    init(valuesAtRanks values: [Int64], count: Int, total: Int) {
        quantiles = count == 0 ? [] : Self.grid
        seconds = values.map { Double($0) / 1e9 }
        completedShare = total == 0 ? 1 : Double(count) / Double(total)
    }
}
