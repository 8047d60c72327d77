import Foundation
import SwapSimCore

/// The inter-arrival gap distribution of one window, rescaled so that its mean gap is the
/// inverse of the window's measured rate.
enum ServeGenGap: Equatable, Sendable {
    case gamma(shape: Double, scale: Double)
    case weibull(shape: Double, scale: Double)
    /// A window with a rate but no fit: a Poisson process.
    case exponential(mean: Double)

    /// The window's distribution with its scale chosen so that the mean gap is `mean` seconds,
    /// keeping the fitted shape; nil when that scale is not a positive finite number (a
    /// Weibull shape so small that Γ(1 + 1/k) overflows).
    ///
    /// ServeGen's fits and its rates mostly agree (over m-large and deepseek-r1, the fitted mean
    /// gap × rate has median 1.00 and interquartile range 0.98–1.00), but 10% of windows are off by
    /// more than 25% and a few by a factor of 10 or more. The rate is the measured quantity, so
    /// it wins: the shape (hence the burstiness) comes from the fit, the scale from the rate.
    init?(pattern: ServeGenWindow.Pattern?, mean: Double) {
        switch pattern {
        case nil:
            self = .exponential(mean: mean)
        case let .gamma(shape, _):
            let scale = mean / shape
            guard scale.isFinite && scale > 0 else { return nil }
            self = .gamma(shape: shape, scale: scale)
        case let .weibull(shape, _):
            let g = tgamma(1 + 1 / shape)
            let scale = mean / g
            guard g.isFinite && scale.isFinite && scale > 0 else { return nil }
            self = .weibull(shape: shape, scale: scale)
        }
    }

    /// One gap, in seconds.
    func draw(_ rng: inout RandomStream) -> Double {
        switch self {
        case let .gamma(shape, scale): return rng.gamma(shape: shape, scale: scale)
        case let .weibull(shape, scale): return rng.weibull(shape: shape, scale: scale)
        case let .exponential(mean): return rng.exponential(mean: mean)
        }
    }

    /// The time from a window's start to its first arrival when the process is already
    /// running there (the stationary forward recurrence time, density (1 − F(x)) / mean): U
    /// times a length-biased gap. A length-biased Gamma(k, θ) gap is Gamma(k + 1, θ); a
    /// length-biased Weibull(k, λ) gap is λ·G^(1/k) with G ~ Gamma(1 + 1/k, 1).
    ///
    /// Starting each window this way makes its expected count exactly rate × length, with no
    /// start-up bias (a fresh renewal process with CV > 1 front-loads its arrivals).
    func firstDraw(_ rng: inout RandomStream) -> Double {
        switch self {
        case let .gamma(shape, scale):
            return rng.gamma(shape: shape + 1, scale: scale) * rng.nextUnit()
        case let .weibull(shape, scale):
            return scale * pow(rng.gamma(shape: 1 + 1 / shape, scale: 1), 1 / shape) * rng.nextUnit()
        case let .exponential(mean):
            return rng.exponential(mean: mean)
        }
    }
}

/// The requests of one ServeGen client over the span, generated one at a time.
///
/// Each 600 s window (cut to the span) is a stationary renewal process of its own: its first
/// arrival is a forward recurrence time from the window's start, later ones follow by gaps from
/// the window's distribution, and a gap that would cross the window's end is dropped: the next
/// window starts afresh, in its own steady state. Nothing carries over a boundary, so a window's
/// requests depend only on its own row and the stream's state.
/// - Complexity: O(1) memory beyond the span's window plans; O(1) work per request.
struct ServeGenClientStream {
    /// One window of the span, ready to generate.
    struct Plan: Sendable {
        /// Nanoseconds from the span start to the window's first instant inside the span.
        var offset: Int64
        /// Nanoseconds of the window inside the span.
        var length: Int64
        var gap: ServeGenGap
        var input: ServeGenInputTokens?
        var output: ServeGenTokenHistogram?
    }

    /// A generated request: arrival in nanoseconds from the span start, and token counts (0 missing).
    struct Request: Equatable, Sendable {
        var arrival: Int64
        var inputTokens: Int32
        var outputTokens: Int32
    }

    let model: Int32
    private let plans: [Plan]
    private var arrivals: RandomStream
    private var tokens: RandomStream
    private var planIndex = 0
    /// Seconds from the current plan's start to its last arrival; nil before the first.
    private var clock: Double?

    init(model: Int32, plans: [Plan], arrivals: RandomStream, tokens: RandomStream) {
        self.model = model
        self.plans = plans
        self.arrivals = arrivals
        self.tokens = tokens
    }

    /// The next request, or nil when the span is done.
    mutating func next() -> Request? {
        while planIndex < plans.count {
            let plan = plans[planIndex]
            let t: Double
            if let last = clock { t = last + plan.gap.draw(&arrivals) } else { t = plan.gap.firstDraw(&arrivals) }
            let length = Double(plan.length) / 1e9
            // `!(t < length)` also ends the window on a NaN or infinite draw.
            guard t < length else {
                planIndex += 1
                clock = nil
                continue
            }
            clock = t
            let ns = min(plan.length - 1, Int64(t * 1e9))
            let input = plan.input?.sample(&tokens) ?? 0
            let output = plan.output.map { TokenDistribution.empirical(values: $0.values, cumulativeWeights: $0.cumulative).sample(&tokens) } ?? 0
            return Request(arrival: plan.offset + ns, inputTokens: input, outputTokens: output)
        }
        return nil
    }
}
