/// Predicts a model's next request from its own arrival history, so that it can be brought
/// in ahead of it.
///
/// A predictor is a value: the engine gives it each arrival of one model, in time order, and
/// asks when the next is expected.
protocol ArrivalPredictor {
    /// Records an arrival at `t` (not before the previous one).
    mutating func observe(_ t: SimInstant)
    /// When the next request is expected (after the last arrival), or nil while the history
    /// says nothing.
    func predictNext() -> SimInstant?
}

extension ArrivalPredictor {
    /// ``observe(_:)`` then ``predictNext()``, in place: called on a predictor in an array, a
    /// separate `predictNext()` copied it first (retaining and releasing its histogram).
    @inline(__always) mutating func observeAndPredict(_ t: SimInstant) -> SimInstant? {
        observe(t)
        return predictNext()
    }
}

/// Which predictor a pre-warm uses.
public enum PredictorKind: String, Hashable, Sendable, CaseIterable {
    /// ``IdleHistogramPredictor``: the Azure Functions "hybrid histogram" policy's pre-warm window.
    case histogram
    /// ``EWMAPredictor``: the mean gap, smoothed.
    case ewma

    func make() -> any ArrivalPredictor {
        switch self {
        case .histogram: return IdleHistogramPredictor()
        case .ewma: return EWMAPredictor()
        }
    }
}
