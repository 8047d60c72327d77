/// The next request expected one smoothed gap after the last: an exponentially weighted moving
/// average of the gaps between a model's requests, less two smoothed absolute deviations (so
/// that a jittery period is met early rather than late; a strict period has no deviation).
///
/// The weight of the newest gap is 1/4, the usual choice for round-trip-time estimators
/// (RFC 6298 uses 1/8 for the mean and 1/4 for the deviation).
struct EWMAPredictor: ArrivalPredictor {
    static let meanWeight = 0.25
    static let deviationWeight = 0.25
    static let deviations = 2.0

    private var mean: Double? = nil
    private var deviation = 0.0
    private var last: SimInstant? = nil

    mutating func observe(_ t: SimInstant) {
        if let l = last {
            let gap = Double((t - l).nanoseconds)
            if let m = mean {
                deviation += Self.deviationWeight * (abs(gap - m) - deviation)
                mean = m + Self.meanWeight * (gap - m)
            } else {
                mean = gap
            }
        }
        last = t
    }

    func predictNext() -> SimInstant? {
        guard let l = last, let m = mean else { return nil }
        return l + .nanoseconds(Int64(max(0, m - Self.deviations * deviation).rounded()))
    }
}
