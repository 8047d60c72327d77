/// One measured copy size: its bytes and the median time the copies of that size took.
public struct TransferTiming: Hashable, Sendable {
    public var bytes: ByteCount
    public var time: SimDuration

    public init(bytes: ByteCount, time: SimDuration) {
        self.bytes = bytes
        self.time = time
    }
}

/// The simulator's model of one copy, t(bytes) = latency + bytes / bandwidth, fitted to measured timings.
///
/// **Which sizes are fitted.** Only the bandwidth-bound sizes: those whose median time is at
/// least twice the smallest size's, so the byte-proportional part of the time is at least as
/// large as the fixed cost. Below that, copies are dominated by launch and DMA-setup effects the
/// linear model does not describe. At least two distinct such sizes are needed.
///
/// **How.** Weighted least squares on the *relative* residual, minimising
/// Σ ((tᵢ − latency − bytesᵢ / bandwidth) / tᵢ)², so a 4 GiB copy does not drown the small
/// sizes that determine the latency. If the best line has a negative intercept (a latency too
/// small to resolve), the latency is taken as zero and the bandwidth refitted through the origin.
///
/// Every timing is reported with its fitted time and relative residual, fitted or not.
public struct TransferFit: Hashable, Sendable {
    /// One measured size against the fitted line.
    public struct Point: Hashable, Sendable {
        public var bytes: ByteCount
        public var measured: SimDuration
        public var fitted: SimDuration
        /// Whether the size was bandwidth-bound and so used in the fit.
        public var usedInFit: Bool
        /// (measured − fitted) / measured.
        public var residual: Double { measured.nanoseconds == 0 ? 0 : Double(measured.nanoseconds - fitted.nanoseconds) / Double(measured.nanoseconds) }
    }

    /// The fixed cost of one copy (the intercept).
    public var latency: SimDuration
    /// The rate of the byte-proportional part (the inverse slope).
    public var bandwidth: Bandwidth
    /// Every timing, in order of size.
    public var points: [Point]

    /// The time the fitted model gives for a copy of `bytes`.
    public func time(toMove bytes: ByteCount) -> SimDuration { latency + bandwidth.time(toMove: bytes) }

    /// The largest relative residual, by magnitude, among the fitted sizes.
    public var worstResidual: Double {
        points.filter(\.usedInFit).map(\.residual).max { abs($0) < abs($1) } ?? 0
    }

    /// Fits the model to `timings` (any order; sizes must be distinct and positive).
    public static func fit(_ timings: [TransferTiming]) throws(CalibrationFitError) -> TransferFit {
        let sorted = timings.sorted { $0.bytes < $1.bytes }
        guard let smallest = sorted.first else { throw .noTimings }
        let threshold = smallest.time * 2
        let used = sorted.filter { $0.time >= threshold && $0.time > .zero && $0.bytes > .zero }
        guard used.count >= 2 else { throw .tooFewBandwidthBoundSizes(found: used.count) }

        var s = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for t in used {
            let x = Double(t.bytes.bytes), y = t.time.seconds
            let w = 1 / (y * y)
            s += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y
        }
        var slope = (s * sxy - sx * sy) / (s * sxx - sx * sx)
        var intercept = (sy - slope * sx) / s
        if intercept < 0 {
            intercept = 0
            slope = sxy / sxx
        }
        guard slope > 0, slope.isFinite else { throw .timeDoesNotGrowWithSize }
        let latency = SimDuration(seconds: intercept)
        let bandwidth = Bandwidth(bytesPerSecond: 1 / slope)
        let points = sorted.map { t in
            Point(bytes: t.bytes, measured: t.time, fitted: latency + bandwidth.time(toMove: t.bytes), usedInFit: used.contains(t))
        }
        return TransferFit(latency: latency, bandwidth: bandwidth, points: points)
    }
}

/// Why measured timings could not be fitted.
public enum CalibrationFitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No timings at all.
    case noTimings
    /// Fewer than two sizes took at least twice the smallest size's time.
    case tooFewBandwidthBoundSizes(found: Int)
    /// The fitted time does not grow with the size: the timings are not of copies.
    case timeDoesNotGrowWithSize

    public var description: String {
        switch self {
        case .noTimings:
            return "no copy sizes were measured"
        case let .tooFewBandwidthBoundSizes(found):
            return "only \(found) size(s) are bandwidth-bound (take at least twice the smallest size's time); at least 2 are needed: measure larger copies (gpu-calibrate --max-bytes)"
        case .timeDoesNotGrowWithSize:
            return "the copy time does not grow with the size, so no bandwidth can be fitted"
        }
    }
}
