/// The search for the smallest GPU count that meets a predicate, one step at a time.
///
/// The search is a value-type state machine so that many chains can advance together in
/// rounds: ask each for its ``pending`` counts, evaluate them all (in parallel), then
/// ``record(_:feasible:)`` each outcome. The order and set of counts it asks for depend only
/// on the outcomes recorded, never on timing.
///
/// The rule, in three phases:
/// 1. **Galloping**: try 1, 2, 4, 8, … (capped at ``maximum``, which is always tried last)
///    until a count is feasible. If ``maximum`` is not, there is no answer.
/// 2. **Bisection** between the last infeasible and the first feasible count, down to
///    adjacent counts: `m` feasible, `m − 1` infeasible (or `m` = the lower bound).
/// 3. **Neighbour check**: queueing is not perfectly monotone (a smaller pool can pack
///    replicas luckier), so the ``window`` counts just below `m − 1` are tried too. If one
///    of them is feasible, the smallest feasible one becomes `m` and the window below it is
///    checked again. The answer is `m`.
///
/// On a monotone predicate this is the exact minimum in about 2·log₂(answer) + window steps.
/// On a non-monotone one it finds the minimum whenever every feasible count below the answer
/// lies within `window` of a feasible count that the search saw.
public struct CountSearch: Sendable {
    /// The largest count to try.
    public let maximum: Int
    /// How many counts below `m − 1` the neighbour check tries.
    public let window: Int
    /// Every count evaluated so far with its outcome, in the order recorded.
    public private(set) var outcomes: [(count: Int, feasible: Bool)] = []
    private var phase: Phase

    private enum Phase: Hashable, Sendable {
        case gallop(next: Int, lastInfeasible: Int)
        case bisect(lo: Int, hi: Int)
        case neighbours(best: Int)
        case done(best: Int?)
    }

    /// A search over 1…`maximum` (a `maximum` below 1 searches nothing and has no answer).
    public init(maximum: Int, window: Int = 2) {
        self.maximum = maximum
        self.window = max(0, window)
        phase = maximum >= 1 ? .gallop(next: 1, lastInfeasible: 0) : .done(best: nil)
    }

    /// Whether the search has its answer (or knows there is none).
    public var isDone: Bool { if case .done = phase { return true } else { return false } }

    /// The smallest feasible count found, once done (nil: none up to ``maximum``).
    public var minimum: Int? { if case let .done(best) = phase { return best } else { return nil } }

    /// The outcome recorded for `count`, if it was evaluated.
    public func outcome(of count: Int) -> Bool? { outcomes.last { $0.count == count }?.feasible }

    /// The counts to evaluate next, in a fixed order (empty once done).
    public var pending: [Int] {
        switch phase {
        case let .gallop(next, _): return [next]
        case let .bisect(lo, hi): return [(lo + hi) / 2]
        case let .neighbours(best): return neighbourCandidates(below: best)
        case .done: return []
        }
    }

    /// Ends the search without an answer (every count fails for a reason the count cannot change).
    public mutating func abandon() { phase = .done(best: nil) }

    /// Records the outcome of evaluating `count`; once every pending count of a step is
    /// recorded, the search moves on.
    public mutating func record(_ count: Int, feasible: Bool) {
        outcomes.append((count, feasible))
        switch phase {
        case let .gallop(next, lastInfeasible):
            guard count == next else { return }
            if feasible {
                phase = .bisect(lo: lastInfeasible, hi: next)
                settleBisection()
            } else if next >= maximum {
                phase = .done(best: nil)
            } else {
                phase = .gallop(next: min(next * 2, maximum), lastInfeasible: next)
            }
        case let .bisect(lo, hi):
            guard count == (lo + hi) / 2 else { return }
            phase = feasible ? .bisect(lo: lo, hi: count) : .bisect(lo: count, hi: hi)
            settleBisection()
        case let .neighbours(best):
            settleNeighbours(best: best)
        case .done:
            break
        }
    }

    private mutating func settleBisection() {
        guard case let .bisect(lo, hi) = phase, hi - lo <= 1 else { return }
        phase = .neighbours(best: hi)
        settleNeighbours(best: hi)
    }

    /// Counts from `best − 1` down through the window below it not yet evaluated, highest first.
    private func neighbourCandidates(below best: Int) -> [Int] {
        let low = max(1, best - 1 - window)
        guard low <= best - 1 else { return [] }
        return (low...(best - 1)).reversed().filter { outcome(of: $0) == nil }
    }

    private mutating func settleNeighbours(best: Int) {
        guard neighbourCandidates(below: best).isEmpty else { return }
        let low = max(1, best - 1 - window)
        let feasibleBelow = (low..<best).filter { outcome(of: $0) == true }
        if let smaller = feasibleBelow.min() {
            phase = .neighbours(best: smaller)
            settleNeighbours(best: smaller)
        } else {
            phase = .done(best: best)
        }
    }
}
