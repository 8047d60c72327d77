/// Streaming statistics of a trace, in memory that does not grow with the number of rows.
///
/// Feed requests in arrival order with ``add(_:)``, then call ``summary(modelNames:)``. Every
/// figure is kept in fixed-size state: counters, exact integer moments (`Int128` sums over
/// nanoseconds and token counts), and log-linear histograms whose size is bounded by the range
/// of the values, never by how many there are. Memory is O(models × buckets); time is O(1) per
/// row and O(models × buckets) per summary.
///
/// What is exact and what is approximate:
/// - Rows, span, first and last arrivals, per-minute counts and their peak, per-model counts,
///   token minimum, maximum and mean, gap minimum, maximum and mean, the counts of gaps longer
///   than each threshold: **exact**.
/// - Coefficients of variation: the centred second moment is formed exactly in integers
///   (`Σx² − ⌊(Σx)²/n⌋`) and only then converted, so the result is the exact CV up to a few
///   rounding errors of `Double` (relative error below 1e-15); a constant schedule gives exactly 0.
/// - Token-length quantiles: **exact** for token counts below ``TraceSummary/tokenExactBelow``
///   (2,048); above, within ``TraceSummary/tokenQuantileRelativeError`` (1/2,048 ≈ 0.05 %) of the
///   exact nearest-rank quantile.
/// - Gap quantiles (inter-arrival and per-model idle gaps): within
///   ``TraceSummary/gapQuantileRelativeError`` (1/128 ≈ 0.8 %) of the exact nearest-rank quantile
///   (exact below 128 ns).
///
/// Quantiles use the nearest-rank definition, as ``LatencySummary`` does: the p-th percentile of
/// n values is the value of rank ⌈p·n/100⌉, computed in integers. Ranks 1 and n give the exact
/// minimum and maximum; any other rank gives the midpoint of its histogram bucket (narrowed to
/// the observed [min, max]), so a quantile is never outside the observed range.
public struct TraceStatistics: Sendable {
    /// The idle-gap thresholds reported by default: 30 s, 1 min, 5 min, 15 min, the range in
    /// which keep-alive windows and idle timeouts are usually set.
    public static let defaultGapThresholds: [SimDuration] = [.seconds(30), .minutes(1), .minutes(5), .minutes(15)]

    /// Nanoseconds in one rate window.
    static let minute: Int64 = 60_000_000_000

    /// Thresholds in nanoseconds, ascending.
    let thresholds: [Int64]

    /// Requests added so far.
    public private(set) var rows = 0
    private var first: Int64 = 0
    private var last: Int64 = 0

    // Per-minute counts: windows of 60 s aligned to the first arrival.
    private var currentMinute: Int64 = 0
    private var currentMinuteCount = 0
    private var peakMinute: Int64 = 0
    private var peakMinuteCount = 0

    private var interArrival: Gaps
    private var inputTokens = Tokens()
    private var outputTokens = Tokens()
    private var models: [ModelState] = []

    /// Statistics for a trace over `modelCount` models (indexes `0..<modelCount`).
    ///
    /// A request whose model index is at or above the count grows the table, so a reader that
    /// interns model names as it meets them may start from 0.
    ///
    /// - Parameter gapThresholds: durations for which the summary counts the gaps longer than
    ///   them (one more counter per gap for each threshold).
    public init(modelCount: Int, gapThresholds: [SimDuration] = TraceStatistics.defaultGapThresholds) {
        precondition(modelCount >= 0, "model count \(modelCount) is negative")
        thresholds = gapThresholds.map(\.nanoseconds).sorted()
        precondition(thresholds.allSatisfy { $0 >= 0 }, "gap thresholds must not be negative")
        interArrival = Gaps(thresholdCount: thresholds.count)
        models = Array(repeating: ModelState(thresholdCount: thresholds.count), count: modelCount)
    }

    /// Adds one request. Requests must come in arrival order, as every ``RequestSource``
    /// guarantees, with a non-negative model index and non-negative token counts.
    ///
    /// - Complexity: O(1) amortised, with no allocation except when a model index or a value
    ///   range is met for the first time (bounded by the number of models and histogram buckets,
    ///   not by the number of rows).
    public mutating func add(_ r: TraceRequest) {
        let t = r.arrival.nanoseconds
        precondition(r.model >= 0, "model index \(r.model) is negative")
        precondition(r.inputTokens >= 0 && r.outputTokens >= 0, "token counts must not be negative")
        if rows == 0 {
            first = t
        } else {
            precondition(t >= last, "arrival \(t) ns is before the previous arrival \(last) ns")
            interArrival.add(t - last, thresholds: thresholds)
        }
        last = t
        rows += 1

        let minute = (t - first) / Self.minute
        if minute != currentMinute {
            if currentMinuteCount > peakMinuteCount { peakMinuteCount = currentMinuteCount; peakMinute = currentMinute }
            currentMinute = minute
            currentMinuteCount = 0
        }
        currentMinuteCount += 1

        inputTokens.add(Int64(r.inputTokens))
        outputTokens.add(Int64(r.outputTokens))

        if r.model >= models.count {
            models.append(contentsOf: repeatElement(ModelState(thresholdCount: thresholds.count), count: r.model - models.count + 1))
        }
        models[r.model].add(t, thresholds: thresholds)
    }

    /// The figures of the trace so far.
    ///
    /// Models are listed by descending request count, then name, then index; models named in
    /// `modelNames` that no request used are listed too, with zero requests. A model index
    /// beyond `modelNames` is named `#index`.
    ///
    /// - Complexity: O(models × buckets + models log models).
    public func summary(modelNames: [String]) -> TraceSummary {
        var peakCount = peakMinuteCount
        var peakAt = peakMinute
        if currentMinuteCount > peakCount { peakCount = currentMinuteCount; peakAt = currentMinute }
        let span = SimDuration(nanoseconds: last - first)
        func perMinute(_ n: Int) -> Double? {
            span.nanoseconds > 0 ? Double(n) * Double(Self.minute) / Double(span.nanoseconds) : nil
        }
        let thresholdDurations = thresholds.map(SimDuration.init(nanoseconds:))

        var modelSummaries: [TraceSummary.Model] = []
        for i in 0..<Swift.max(models.count, modelNames.count) {
            let m = i < models.count ? models[i] : ModelState(thresholdCount: thresholds.count)
            modelSummaries.append(TraceSummary.Model(
                index: i,
                name: i < modelNames.count ? modelNames[i] : "#\(i)",
                requests: m.count,
                share: rows > 0 ? Double(m.count) / Double(rows) : 0,
                firstArrival: m.count > 0 ? SimInstant(nanoseconds: m.first) : nil,
                lastArrival: m.count > 0 ? SimInstant(nanoseconds: m.last) : nil,
                meanPerMinute: perMinute(m.count),
                idleGaps: m.gaps.summary(thresholds: thresholdDurations)))
        }
        modelSummaries.sort { a, b in
            if a.requests != b.requests { return a.requests > b.requests }
            if a.name != b.name { return a.name < b.name }
            return a.index < b.index
        }

        return TraceSummary(
            rows: rows,
            firstArrival: rows > 0 ? SimInstant(nanoseconds: first) : nil,
            lastArrival: rows > 0 ? SimInstant(nanoseconds: last) : nil,
            span: span,
            meanPerMinute: perMinute(rows),
            peakPerMinute: peakCount,
            peakMinuteStart: rows > 0 ? SimDuration(nanoseconds: peakAt * Self.minute) : nil,
            interArrival: interArrival.summary(thresholds: thresholdDurations),
            inputTokens: inputTokens.summary(),
            outputTokens: outputTokens.summary(),
            models: modelSummaries,
            gapThresholds: thresholdDurations)
    }
}

// MARK: - Accumulators

extension TraceStatistics {
    /// One model's arrivals.
    struct ModelState: Sendable {
        var count = 0
        var first: Int64 = 0
        var last: Int64 = 0
        var gaps: Gaps

        init(thresholdCount: Int) { gaps = Gaps(thresholdCount: thresholdCount) }

        @inline(__always)
        mutating func add(_ t: Int64, thresholds: [Int64]) {
            if count == 0 { first = t } else { gaps.add(t - last, thresholds: thresholds) }
            last = t
            count += 1
        }
    }

    /// Gaps between consecutive arrivals, in nanoseconds.
    struct Gaps: Sendable {
        var histogram = LogLinearHistogram(precision: TraceSummary.gapPrecisionBits)
        /// Σ gap. Never overflows: gaps are non-negative and sum to at most last − first < 2⁶³.
        var sum: Int128 = 0
        /// Σ gap². Never overflows: at most (Σ gap)² < 2¹²⁶.
        var sumOfSquares: Int128 = 0
        /// Gaps strictly longer than each threshold.
        var longer: [Int]

        init(thresholdCount: Int) { longer = Array(repeating: 0, count: thresholdCount) }

        @inline(__always)
        mutating func add(_ gap: Int64, thresholds: [Int64]) {
            histogram.add(gap)
            let g = Int128(gap)
            sum += g
            sumOfSquares += g * g
            for i in thresholds.indices {
                if gap <= thresholds[i] { break }
                longer[i] += 1
            }
        }

        func summary(thresholds: [SimDuration]) -> TraceSummary.Gaps? {
            let n = histogram.count
            guard n > 0 else { return nil }
            func d(_ ns: Int64) -> SimDuration { SimDuration(nanoseconds: ns) }
            let mean = d(Int64((sum + Int128(n / 2)) / Int128(n)))
            return TraceSummary.Gaps(
                count: n,
                mean: mean,
                cv: TraceStatistics.coefficientOfVariation(count: n, sum: sum, sumOfSquares: sumOfSquares),
                min: d(histogram.min),
                p50: d(histogram.quantile(percent: 50)),
                p90: d(histogram.quantile(percent: 90)),
                p99: d(histogram.quantile(percent: 99)),
                max: d(histogram.max),
                longerThan: zip(thresholds, longer).map { threshold, count in
                    TraceSummary.ThresholdCount(threshold: threshold, count: count, share: Double(count) / Double(n))
                })
        }
    }

    /// Token counts of one kind (input or output).
    struct Tokens: Sendable {
        var histogram = LogLinearHistogram(precision: TraceSummary.tokenPrecisionBits)
        var sum: Int128 = 0

        @inline(__always)
        mutating func add(_ tokens: Int64) {
            histogram.add(tokens)
            sum += Int128(tokens)
        }

        func summary() -> TraceSummary.Tokens? {
            let n = histogram.count
            guard n > 0 else { return nil }
            return TraceSummary.Tokens(
                min: Int(histogram.min),
                mean: Double(sum) / Double(n),
                p50: Int(histogram.quantile(percent: 50)),
                p90: Int(histogram.quantile(percent: 90)),
                p99: Int(histogram.quantile(percent: 99)),
                max: Int(histogram.max),
                total: Int(sum))
        }
    }

    /// The population coefficient of variation (standard deviation over mean) of `count`
    /// values with the given exact sums; nil when the mean is zero.
    ///
    /// The centred second moment M₂ = Σx² − (Σx)²/n is formed exactly: (Σx)² fits in `Int128`,
    /// its integer quotient by n is subtracted in integers, and only the remainder's fraction
    /// is added in `Double`. So a constant schedule gives exactly 0 and there is no
    /// cancellation however large the values.
    static func coefficientOfVariation(count: Int, sum: Int128, sumOfSquares: Int128) -> Double? {
        guard count > 0, sum > 0 else { return nil }
        let n = Int128(count)
        let square = sum * sum
        let (q, r) = square.quotientAndRemainder(dividingBy: n)
        let m2 = Double(sumOfSquares - q) - Double(r) / Double(n)
        let variance = Swift.max(m2, 0) / Double(count)
        let mean = Double(sum) / Double(count)
        return variance.squareRoot() / mean
    }
}

// MARK: - Histogram

/// Counts of non-negative integers in log-linear buckets (the HDR-histogram layout).
///
/// With precision P, values below 2^(P+1) have a bucket each (exact). Above, each octave
/// [2^e, 2^(e+1)) is split into 2^P buckets of equal width 2^(e−P), so a bucket's width is at
/// most 2^−P of its lower bound and its midpoint is within 2^−(P+1) of any value in it. The
/// bucket array grows to the largest bucket met, at most 2^P × (64 − P) entries, and doubles
/// when it grows, so adding is O(1) amortised with a bounded number of allocations.
struct LogLinearHistogram: Sendable {
    let precision: Int
    private(set) var buckets: [Int] = []
    private(set) var count = 0
    private(set) var min: Int64 = .max
    private(set) var max: Int64 = 0

    init(precision: Int) {
        precondition(precision >= 1 && precision <= 30)
        self.precision = precision
    }

    /// The largest bucket index for 64-bit values, plus one.
    var bucketLimit: Int { Self.index(of: .max, precision: precision) + 1 }

    @inline(__always)
    static func index(of value: Int64, precision p: Int) -> Int {
        let v = UInt64(value)
        if v < (1 as UInt64) << (p + 1) { return Int(v) }
        let e = 63 - v.leadingZeroBitCount
        let shift = e - p
        return (shift << p) + Int(v >> UInt64(shift))
    }

    /// The smallest and largest value of bucket `i`.
    static func bounds(of i: Int, precision p: Int) -> (lower: Int64, upper: Int64) {
        if i < 1 << (p + 1) { return (Int64(i), Int64(i)) }
        let shift = (i >> p) - 1
        let top = Int64((i & ((1 << p) - 1)) + (1 << p))
        let lower = top << Int64(shift)
        return (lower, lower + ((1 << Int64(shift)) - 1))
    }

    @inline(__always)
    mutating func add(_ value: Int64) {
        let i = Self.index(of: value, precision: precision)
        if i >= buckets.count { grow(to: i) }
        buckets[i] += 1
        count += 1
        if value < min { min = value }
        if value > max { max = value }
    }

    private mutating func grow(to i: Int) {
        let size = Swift.min(Swift.max(i + 1, buckets.count * 2, 64), bucketLimit)
        buckets.append(contentsOf: repeatElement(0, count: size - buckets.count))
    }

    /// The nearest-rank `percent`-th percentile (rank ⌈percent·n/100⌉). Ranks 1 and n are the
    /// exact minimum and maximum; any other is the midpoint of the part of its bucket within
    /// [min, max]. Zero when empty.
    func quantile(percent: Int) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.min(Swift.max(1, (percent * count + 99) / 100), count)
        if rank == 1 { return min }
        if rank == count { return max }
        var seen = 0
        for (i, c) in buckets.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let (lower, upper) = Self.bounds(of: i, precision: precision)
                let low = Swift.max(lower, min)
                let high = Swift.min(upper, max)
                return low + (high - low + 1) / 2
            }
        }
        return max
    }
}

// MARK: - Summary

/// What `swapsim trace inspect` reports about a trace: a plain value, rendered by SwapSimIO.
///
/// See ``TraceStatistics`` for which figures are exact and the bounds of the others.
public struct TraceSummary: Hashable, Sendable {
    /// Bits of sub-bucket precision of the token histograms.
    static let tokenPrecisionBits = 10
    /// Bits of sub-bucket precision of the gap histograms.
    static let gapPrecisionBits = 6

    /// Token-length quantiles are exact for counts below this (2,048).
    public static let tokenExactBelow = 1 << (tokenPrecisionBits + 1)
    /// Bound on |reported − exact| / exact for token-length quantiles: 2^−11 = 1/2,048.
    public static let tokenQuantileRelativeError = 1.0 / Double(1 << (tokenPrecisionBits + 1))
    /// Bound on |reported − exact| / exact for gap quantiles: 2^−7 = 1/128.
    public static let gapQuantileRelativeError = 1.0 / Double(1 << (gapPrecisionBits + 1))

    /// Requests in the trace.
    public var rows: Int
    /// The first arrival; nil for an empty trace.
    public var firstArrival: SimInstant?
    /// The last arrival; nil for an empty trace.
    public var lastArrival: SimInstant?
    /// Last arrival − first arrival (zero with fewer than two rows).
    public var span: SimDuration
    /// Rows per minute of span: rows / (span / 60 s); nil when the span is zero.
    public var meanPerMinute: Double?
    /// The most rows in one 60 s window, windows aligned to the first arrival. The last window
    /// may be partial; its count is not scaled.
    public var peakPerMinute: Int
    /// Start of the first busiest window, from the first arrival; nil for an empty trace.
    public var peakMinuteStart: SimDuration?
    /// Gaps between consecutive rows, whatever their model; nil with fewer than two rows.
    public var interArrival: Gaps?
    /// Prompt lengths; nil for an empty trace.
    public var inputTokens: Tokens?
    /// Output lengths; nil for an empty trace.
    public var outputTokens: Tokens?
    /// Per model, by descending requests, then name, then index.
    public var models: [Model]
    /// The thresholds of ``Gaps/longerThan``, ascending.
    public var gapThresholds: [SimDuration]

    public init(
        rows: Int, firstArrival: SimInstant?, lastArrival: SimInstant?, span: SimDuration,
        meanPerMinute: Double?, peakPerMinute: Int, peakMinuteStart: SimDuration?,
        interArrival: Gaps?, inputTokens: Tokens?, outputTokens: Tokens?, models: [Model], gapThresholds: [SimDuration]
    ) {
        self.rows = rows
        self.firstArrival = firstArrival
        self.lastArrival = lastArrival
        self.span = span
        self.meanPerMinute = meanPerMinute
        self.peakPerMinute = peakPerMinute
        self.peakMinuteStart = peakMinuteStart
        self.interArrival = interArrival
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.models = models
        self.gapThresholds = gapThresholds
    }

    /// The distribution of gaps between consecutive arrivals.
    public struct Gaps: Hashable, Sendable {
        public var count: Int
        /// Exact mean, rounded to the nearest nanosecond.
        public var mean: SimDuration
        /// Population standard deviation over mean; nil when every gap is zero.
        public var cv: Double?
        /// Exact.
        public var min: SimDuration
        /// Within ``TraceSummary/gapQuantileRelativeError`` of the exact nearest-rank value.
        public var p50: SimDuration
        public var p90: SimDuration
        public var p99: SimDuration
        /// Exact.
        public var max: SimDuration
        /// Exact counts of gaps strictly longer than each threshold: a request that follows such a
        /// gap finds its model idle for longer than a keep-alive or idle timeout of that length.
        public var longerThan: [ThresholdCount]

        public init(count: Int, mean: SimDuration, cv: Double?, min: SimDuration, p50: SimDuration, p90: SimDuration, p99: SimDuration, max: SimDuration, longerThan: [ThresholdCount]) {
            self.count = count
            self.mean = mean
            self.cv = cv
            self.min = min
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.longerThan = longerThan
        }
    }

    /// How many gaps exceed a threshold, and their share of all gaps.
    public struct ThresholdCount: Hashable, Sendable {
        public var threshold: SimDuration
        public var count: Int
        public var share: Double

        public init(threshold: SimDuration, count: Int, share: Double) {
            self.threshold = threshold
            self.count = count
            self.share = share
        }
    }

    /// The distribution of a token length.
    public struct Tokens: Hashable, Sendable {
        /// Exact.
        public var min: Int
        /// Exact (total / rows).
        public var mean: Double
        /// Exact below ``TraceSummary/tokenExactBelow``, else within
        /// ``TraceSummary/tokenQuantileRelativeError`` of the exact nearest-rank value.
        public var p50: Int
        public var p90: Int
        public var p99: Int
        /// Exact.
        public var max: Int
        /// Exact sum over all rows.
        public var total: Int

        public init(min: Int, mean: Double, p50: Int, p90: Int, p99: Int, max: Int, total: Int) {
            self.min = min
            self.mean = mean
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.total = total
        }
    }

    /// One model's share of the trace and its idle gaps.
    public struct Model: Hashable, Sendable {
        /// The model's index in the trace's model table.
        public var index: Int
        public var name: String
        public var requests: Int
        /// requests / rows (0 for an empty trace).
        public var share: Double
        /// nil when the model has no requests.
        public var firstArrival: SimInstant?
        public var lastArrival: SimInstant?
        /// The model's requests per minute of the whole trace's span; nil when the span is zero.
        public var meanPerMinute: Double?
        /// Gaps between consecutive requests of this model; nil with fewer than two requests.
        public var idleGaps: Gaps?

        public init(index: Int, name: String, requests: Int, share: Double, firstArrival: SimInstant?, lastArrival: SimInstant?, meanPerMinute: Double?, idleGaps: Gaps?) {
            self.index = index
            self.name = name
            self.requests = requests
            self.share = share
            self.firstArrival = firstArrival
            self.lastArrival = lastArrival
            self.meanPerMinute = meanPerMinute
            self.idleGaps = idleGaps
        }
    }
}
