/// A run's lifecycle steps, counted exactly and kept up to a bound.
///
/// A swap-heavy run records a swap-in, a swap-out and often an eviction per request that
/// misses: ten million requests can log tens of millions of steps, about 70 bytes each. The
/// log counts every step (per kind, and swap-ins and cold starts per model), which is what
/// the results report, and keeps the steps themselves until it holds ``limit``. Past that it
/// keeps every other step it holds and from then on one step in two, then one in four, and
/// so on (as the timeline downsamples its samples): memory stays flat in the number of swaps,
/// the kept steps still span the whole run evenly, and the output says how many were kept.
///
/// Which steps are kept depends only on their order, so the same run keeps the same steps.
struct LifecycleLog {
    /// The most steps kept by default: 2^20, about 70 MiB.
    static let defaultLimit = 1 << 20

    let limit: Int
    /// The steps kept, in order: every `stride`-th step recorded.
    private(set) var kept: [LifecycleEvent] = []
    /// Steps recorded, kept or not.
    private(set) var recorded = 0
    /// One step in `stride` is kept (a power of two; 1 until the limit is first reached).
    private(set) var stride = 1
    /// Per kind (``LifecycleEvent/Kind/allCases`` order), steps recorded.
    private(set) var countsByKind = Array(repeating: 0, count: LifecycleEvent.Kind.allCases.count)
    /// Per model, swap-ins and cold starts recorded.
    private(set) var swapIns: [Int]
    private(set) var coldStarts: [Int]

    /// - Parameters:
    ///   - models: how many models the scenario has.
    ///   - limit: the most steps kept (even, at least 2).
    init(models: Int, limit: Int = LifecycleLog.defaultLimit) {
        precondition(limit >= 2 && limit % 2 == 0)
        self.limit = limit
        swapIns = Array(repeating: 0, count: models)
        coldStarts = Array(repeating: 0, count: models)
    }

    /// Counts `e` and keeps it if its turn has come.
    mutating func record(_ e: LifecycleEvent) {
        countsByKind[Self.kindIndex(e.kind)] += 1
        switch e.kind {
        case .swapIn: swapIns[e.model] += 1
        case .coldStart: coldStarts[e.model] += 1
        default: break
        }
        defer { recorded += 1 }
        guard recorded % stride == 0 else { return }
        kept.append(e)
        if kept.count > limit { halve() }
    }

    /// Steps recorded of `kind`.
    func count(_ kind: LifecycleEvent.Kind) -> Int { countsByKind[Self.kindIndex(kind)] }

    /// Whether every step recorded is kept.
    var isComplete: Bool { stride == 1 }

    /// Keeps every other step held (those at even multiples of the doubled stride).
    private mutating func halve() {
        var n = 0
        for i in Swift.stride(from: 0, to: kept.count, by: 2) {
            kept[n] = kept[i]
            n += 1
        }
        kept.removeLast(kept.count - n)
        stride *= 2
    }

    private static func kindIndex(_ k: LifecycleEvent.Kind) -> Int {
        switch k {
        case .coldStart: 0
        case .swapIn: 1
        case .swapOut: 2
        case .eviction: 3
        case .teardown: 4
        case .startupStage: 5
        }
    }
}
