/// A stochastic process of request arrival times, for synthetic traces.
///
/// Rates are requests per second; durations are ``SimDuration``s. ``ArrivalTimes`` draws the
/// times of a process from seeded streams.
public enum ArrivalProcess: Hashable, Sendable {
    /// A Poisson process: independent exponential gaps with mean 1/rate (CV 1).
    case poisson(rate: Double)
    /// Evenly spaced arrivals, one every 1/rate seconds (CV 0), the first one gap after t = 0:
    /// what a benchmark client at a fixed request rate sends (vLLM's `--request-rate` with
    /// `--burstiness` set to infinity).
    case fixed(rate: Double)
    /// A gamma renewal process: independent gamma gaps with mean 1/rate and coefficient of
    /// variation `cv` (shape 1/cv², scale cv²/rate). CV < 1 is more regular than Poisson,
    /// CV > 1 burstier; CV 1 is Poisson. The first arrival is one ordinary gap after t = 0.
    case gamma(rate: Double, cv: Double)
    /// A two-state Markov-modulated Poisson process (on/off bursts): Poisson at `onRate` during
    /// "on" periods and at `offRate` (may be 0) during "off" periods, whose lengths are
    /// exponential with means `meanOn` and `meanOff`. It starts in "on" with probability
    /// meanOn / (meanOn + meanOff), the stationary share, so its mean rate holds from t = 0.
    case onOff(onRate: Double, offRate: Double, meanOn: SimDuration, meanOff: SimDuration)

    /// The long-run mean arrivals per second: for on/off, the time-weighted mean of its rates.
    public var meanRate: Double {
        switch self {
        case let .poisson(rate), let .gamma(rate, _), let .fixed(rate):
            return rate
        case let .onOff(onRate, offRate, meanOn, meanOff):
            return (onRate * meanOn.seconds + offRate * meanOff.seconds) / (meanOn.seconds + meanOff.seconds)
        }
    }

    /// Why the parameters cannot make a process, or nil if they can.
    public var invalidReason: String? {
        func positive(_ x: Double) -> Bool { x > 0 && x.isFinite }
        switch self {
        case let .poisson(rate), let .fixed(rate):
            return positive(rate) ? nil : "the rate must be a positive number of requests per second, got \(rate)"
        case let .gamma(rate, cv):
            if !positive(rate) { return "the rate must be a positive number of requests per second, got \(rate)" }
            // Shape 1/cv² below 1e-4 makes gaps that underflow to zero: not a useful trace.
            return cv > 0 && cv <= 100 ? nil : "the gamma CV must be in (0, 100], got \(cv)"
        case let .onOff(onRate, offRate, meanOn, meanOff):
            if !(onRate >= 0 && onRate.isFinite && offRate >= 0 && offRate.isFinite) {
                return "the on and off rates must be finite and not negative, got \(onRate) and \(offRate)"
            }
            if onRate == 0 && offRate == 0 { return "the on and off rates cannot both be zero" }
            if meanOn.nanoseconds <= 0 || meanOff.nanoseconds <= 0 { return "the mean on and off durations must be positive" }
            return nil
        }
    }
}

/// A slow periodic modulation of an arrival rate, such as the day/night cycle: the rate at
/// time t is multiplied by 1 + amplitude · cos(2π (t − peak) / period).
///
/// The multiplier averages 1 over a whole period, so a process keeps its mean rate; it is
/// largest (1 + amplitude) at `peak` and every period after it, smallest (1 − amplitude) half a
/// period later. t is time since the start of the trace.
public struct DiurnalModulation: Hashable, Sendable {
    /// In [0, 1]: 0 is no modulation, 1 makes the trough rate zero.
    public var amplitude: Double
    public var period: SimDuration
    /// When, from the start of the trace, the rate peaks.
    public var peak: SimDuration

    public init(amplitude: Double, period: SimDuration, peak: SimDuration = .zero) {
        self.amplitude = amplitude
        self.period = period
        self.peak = peak
    }

    /// Why the parameters cannot make a modulation, or nil if they can.
    public var invalidReason: String? {
        if !(amplitude >= 0 && amplitude <= 1) { return "the diurnal amplitude must be in [0, 1], got \(amplitude)" }
        if period.nanoseconds <= 0 { return "the diurnal period must be positive" }
        return nil
    }

    /// The rate multiplier at `t` seconds.
    public func multiplier(at t: Double) -> Double {
        1 + amplitude * MathFunctions.cos(2 * Double.pi * (t - peak.seconds) / period.seconds)
    }

    /// ∫₀ᵗ multiplier: the "operational time" a unit-rate process has run by `t` seconds.
    public func integratedMultiplier(to t: Double) -> Double {
        let w = 2 * Double.pi / period.seconds
        // sin x = cos(x − π/2); MathFunctions has no sin.
        let sin = { (x: Double) in MathFunctions.cos(x - Double.pi / 2) }
        return t + amplitude / w * (sin(w * (t - peak.seconds)) - sin(-w * peak.seconds))
    }

    /// The t ≥ `notBefore` with ∫₀ᵗ multiplier = `operational`, to about a nanosecond.
    ///
    /// The integral is non-decreasing and within amplitude·period/π of t, so the root is
    /// bracketed; Newton steps that leave the bracket are replaced by bisection.
    public func time(atOperational operational: Double, notBefore: Double = 0) -> Double {
        let reach = amplitude * period.seconds / Double.pi
        var lo = max(notBefore, operational - reach)
        var hi = max(lo, operational + reach)
        var t = min(max(operational, lo), hi)
        for _ in 0..<200 {
            let f = integratedMultiplier(to: t) - operational
            if abs(f) < 1e-10 || hi - lo < 1e-10 { break }
            if f < 0 { lo = t } else { hi = t }
            let slope = multiplier(at: t)
            let newton = slope > 0 ? t - f / slope : .nan
            t = newton > lo && newton < hi ? newton : (lo + hi) / 2
        }
        return max(t, notBefore)
    }
}

/// The arrival times of one ``ArrivalProcess``, optionally modulated, in seconds from 0,
/// non-decreasing.
///
/// Draws come from streams named after `stream`: the gaps from `stream` itself, the on/off
/// periods from `stream + ".phases"`, the diurnal thinning from `stream + ".thinning"`. A
/// Poisson process without modulation draws exactly −(1/rate)·ln U per arrival.
///
/// How the modulation applies: Poisson and on/off processes are thinned — candidates are drawn
/// at the peak rate, rate · (1 + amplitude), and each kept with probability
/// multiplier(t) / (1 + amplitude) — which gives exactly the modulated Poisson or MMPP (on/off
/// periods stay in wall-clock time). Thinning a gamma process would pull its CV towards 1, so a
/// gamma process is time-changed instead: its renewal times τ are drawn at the base rate and
/// each arrival is at the t where ∫₀ᵗ multiplier = τ. Locally (over many gaps, few periods) it
/// keeps its CV while its rate follows the modulation. Fixed-rate arrivals are time-changed the
/// same way, so their spacing follows the modulation.
public struct ArrivalTimes: Sendable {
    public let process: ArrivalProcess
    public let diurnal: DiurnalModulation?
    private var gaps: RandomStream
    private var phases: RandomStream
    private var thinning: RandomStream
    /// Wall-clock time of the last candidate (seconds).
    private var clock = 0.0
    /// Operational time of the last gamma renewal (time-changed gamma only).
    private var operational = 0.0
    /// On/off state: whether "on", and when the current period ends (seconds).
    private var on = true
    private var periodEnd = 0.0

    public init(_ process: ArrivalProcess, diurnal: DiurnalModulation? = nil, seed: UInt64, stream: String) {
        precondition(process.invalidReason == nil, process.invalidReason ?? "")
        precondition(diurnal?.invalidReason == nil, diurnal?.invalidReason ?? "")
        self.process = process
        self.diurnal = diurnal.flatMap { $0.amplitude > 0 ? $0 : nil }
        gaps = RandomStream(seed: seed, stream: stream)
        phases = RandomStream(seed: seed, stream: stream + ".phases")
        thinning = RandomStream(seed: seed, stream: stream + ".thinning")
        if case let .onOff(_, _, meanOn, meanOff) = process {
            on = phases.nextUnit() * (meanOn.seconds + meanOff.seconds) < meanOn.seconds
            periodEnd = phases.exponential(mean: on ? meanOn.seconds : meanOff.seconds)
        }
    }

    /// The next arrival time in seconds; +∞ if the process has no more arrivals.
    ///
    /// - Complexity: O(1) expected draws per arrival: (1 + amplitude) candidates when thinned,
    ///   plus on/off period changes.
    public mutating func next() -> Double {
        switch process {
        case .gamma, .fixed:
            let gap: Double
            if case let .gamma(rate, cv) = process {
                let k = 1 / (cv * cv)
                gap = gaps.gamma(shape: k, scale: 1 / (rate * k))
            } else {
                gap = 1 / process.meanRate
            }
            guard let diurnal else {
                clock += gap
                return clock
            }
            operational += gap
            clock = diurnal.time(atOperational: operational, notBefore: clock)
            return clock
        case .poisson, .onOff:
            let peak = 1 + (diurnal?.amplitude ?? 0)
            while true {
                clock = nextCandidate(peak: peak)
                guard let diurnal, clock.isFinite else { return clock }
                if thinning.nextUnit() * peak < diurnal.multiplier(at: clock) { return clock }
            }
        }
    }

    /// The next arrival of the unmodulated process with its rates multiplied by `peak`.
    private mutating func nextCandidate(peak: Double) -> Double {
        switch process {
        case let .poisson(rate):
            return clock + gaps.exponential(mean: 1 / (rate * peak))
        case let .onOff(onRate, offRate, meanOn, meanOff):
            // Memoryless: a gap that overruns the period is discarded and redrawn in the next one.
            var t = clock
            while true {
                let rate = (on ? onRate : offRate) * peak
                if rate > 0 {
                    let candidate = t + gaps.exponential(mean: 1 / rate)
                    if candidate < periodEnd { return candidate }
                }
                t = periodEnd
                on.toggle()
                periodEnd = t + phases.exponential(mean: on ? meanOn.seconds : meanOff.seconds)
            }
        case .gamma, .fixed:
            preconditionFailure("gamma and fixed arrivals are not thinned")
        }
    }
}
