/// A request as the batcher sees it: where to report it, and its token counts.
public struct BatchRequest: Sendable, Equatable {
    /// The simulation's handle for the request (opaque to the batcher).
    public var slot: Int32
    public var inputTokens: Int32
    public var outputTokens: Int32

    public init(slot: Int32, inputTokens: Int32, outputTokens: Int32) {
        self.slot = slot
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// KV-cache tokens reserved for the request's whole life: its prompt and every output token.
    public var kvTokens: Int64 { Int64(inputTokens) + Int64(outputTokens) }
}

/// What happened to a request at a batch boundary.
public enum BatchOutcome: Sendable, Equatable {
    /// The request joined the batch at `admitted` and produced its first token at `firstToken`
    /// (reported once that instant is certain: at the next boundary, or at a change of slowdown
    /// after it).
    case admitted(slot: Int32, admitted: SimInstant, firstToken: SimInstant)
    /// The request produced its last token at `finished`.
    case finished(slot: Int32, finished: SimInstant)
}

/// Continuous batching of one replica at iteration level, advanced in closed form.
///
/// Like vLLM's scheduler, requests join the running batch at iteration boundaries, first come
/// first served, while the batch-size limit and the KV-cache capacity allow (a request
/// reserves KV for its prompt and all its output tokens). A newly admitted request spends one
/// iteration in prefill, which yields its first token; it then decodes one token per
/// iteration until its last, and leaves the batch at the next boundary.
///
/// Between changes of composition (an admission or a completion) every iteration is a decode
/// iteration of the same batch, whose context grows by one token per request per iteration,
/// so their total time has a closed form (``IterationCost/decodePs(batch:context:count:)``):
/// the batcher never does work per token. Its internal clock is in picoseconds so that
/// iteration times sum exactly; instants it reports are rounded up to the nanosecond.
///
/// The picosecond clock is relative to an origin in whole nanoseconds (``SimInstant``) that
/// moves to each segment's start, so it never holds more than one segment's span: 64-bit
/// picoseconds carry about 106 days, and a segment that would last longer is cut at the last
/// boundary within ``windowPs`` (a boundary where nothing changes, which the closed form would
/// have passed through with the same times). Simulated time itself is carried in nanoseconds,
/// 292 years in 64 bits.
///
/// Replicas that share a GPU time-slice it: with a ``slowdown`` of k, every iteration takes k
/// times its time alone (see ``setSlowdown(_:at:into:)``).
///
/// The batcher is a value-type state machine with no clock of its own: the caller tells it
/// when a request arrives and when the boundary it asked for (``nextBoundary``) has come.
public struct Batcher: Sendable {
    struct Running: Comparable, Sendable {
        var finishIteration: Int64
        var sequence: Int64
        var request: BatchRequest
        var admittedIteration: Int64
        static func < (a: Running, b: Running) -> Bool {
            a.finishIteration != b.finishIteration ? a.finishIteration < b.finishIteration : a.sequence < b.sequence
        }
    }

    public let cost: IterationCost
    /// KV-cache capacity in tokens.
    public let kvCapacityTokens: Int64
    /// Maximum requests in the running batch.
    public let maxBatch: Int

    private var running = BinaryHeap<Running>()
    private var queue = FIFOQueue<BatchRequest>()
    private var sequence: Int64 = 0
    /// Index of the iteration that starts at `segmentStartPs`.
    private var iteration: Int64 = 0
    /// The origin of the picosecond clock, in nanoseconds of simulated time: every `…Ps` value
    /// below is picoseconds since `originNs`.
    private var originNs: Int64 = 0
    private var segmentStartPs: Int64 = 0
    private var firstIterationPs: Int64 = 0
    /// Σ (input − admitted iteration) over running requests: their context at iteration j is this + count·j.
    private var contextBase: Int64 = 0
    /// KV tokens reserved by running requests.
    public private(set) var kvUsedTokens: Int64 = 0
    /// The iteration whose start the caller must report through ``advance(into:)``.
    public private(set) var targetIteration: Int64? = nil
    /// `boundaryPs(targetIteration)`, kept current by every change to the target or the pace:
    /// the caller asks for it after every event, and each evaluation is a closed-form sum.
    private var targetPs: Int64 = 0
    /// How many times slower than alone every iteration runs (GPU time-slicing with other replicas).
    public private(set) var slowdown: Int64 = 1
    /// The segment's clock: boundary j starts at anchorPs + slowdown · (work(j) − anchorWork),
    /// where work(j) is the unslowed time from the segment's start to boundary j.
    private var anchorPs: Int64 = 0
    private var anchorWork: Int64 = 0
    /// Requests admitted at the segment's start whose first token (at the next boundary) is not
    /// reported yet, since a change of slowdown may still move it; and when they were admitted.
    private var awaitingFirstToken: [Int32] = []
    /// Extra time the next iteration that admits requests takes, once (a process's lazy
    /// initialisation on its first request).
    private var oneOffDelayPs: Int64 = 0
    /// Scratch for the requests a boundary admits (kept to reuse its storage).
    private var admitted: [Running] = []
    private var admittedAt = SimInstant.zero

    public init(cost: IterationCost, kvCapacityTokens: Int64, maxBatch: Int) {
        self.cost = cost
        self.kvCapacityTokens = kvCapacityTokens
        self.maxBatch = maxBatch
    }

    /// Requests running or queued.
    public var outstanding: Int { running.count + queue.count }
    /// Requests in the running batch.
    public var runningCount: Int { running.count }
    /// Requests waiting to join the batch.
    public var queuedCount: Int { queue.count }
    /// Whether nothing is running or queued.
    public var isIdle: Bool { running.isEmpty && queue.isEmpty }

    /// Whether a request could ever be admitted (its KV reservation fits an empty replica).
    public func canEverAdmit(_ r: BatchRequest) -> Bool { r.kvTokens <= kvCapacityTokens && maxBatch > 0 }

    /// The instant of the boundary the batcher next needs to be advanced to, if any.
    public var nextBoundary: SimInstant? {
        targetIteration == nil ? nil : instant(ofPs: targetPs)
    }

    @inline(__always) static func ceilNs(_ ps: Int64) -> Int64 { (ps + 999) / 1000 }

    /// The instant of `ps` picoseconds after the origin, rounded up to the nanosecond.
    @inline(__always) func instant(ofPs ps: Int64) -> SimInstant { SimInstant(nanoseconds: originNs &+ Self.ceilNs(ps)) }

    /// Picoseconds from the origin to `now`, which lies within the current segment.
    @inline(__always) func ps(of now: SimInstant) -> Int64 { (now.nanoseconds - originNs) * 1000 }

    /// The longest span the picosecond clock carries from a segment's start: 2^62 ps, about
    /// 53 days. A boundary farther out is reached through intermediate boundaries.
    static let windowPs: Int64 = 1 << 62

    /// The start time (ps) of iteration `j` of the current segment, `iteration ≤ j ≤ target`.
    func boundaryPs(_ j: Int64) -> Int64 {
        if j <= iteration { return segmentStartPs }
        let n = Int64(running.count)
        let decode = cost.decodePs(batch: n, context: contextBase + n * (iteration + 1), count: j - iteration - 1)
        let work = firstIterationPs + Int64(decode)
        return anchorPs + slowdown * (work - anchorWork)
    }

    /// ``boundaryPs(_:)`` in 128 bits, for boundaries that may lie beyond the clock's window.
    func boundaryPsWide(_ j: Int64) -> Int128 {
        if j <= iteration { return Int128(segmentStartPs) }
        let n = Int64(running.count)
        let decode = cost.decodePs(batch: n, context: contextBase + n * (iteration + 1), count: j - iteration - 1)
        let work = Int128(firstIterationPs) + decode
        return Int128(anchorPs) + Int128(slowdown) * (work - Int128(anchorWork))
    }

    /// Makes `j` the target, or the last boundary before it within the clock's window.
    private mutating func setTarget(_ j: Int64) {
        let wide = boundaryPsWide(j)
        if wide <= Int128(Self.windowPs) {
            targetIteration = j
            targetPs = Int64(wide)
            return
        }
        // The largest boundary in (iteration, j) within the window: the first iteration always
        // fits (one iteration alone is bounded by the scenario's limits, see Scenario.validate).
        var lo = iteration + 1
        var hi = j
        precondition(boundaryPsWide(lo) <= Int128(Self.windowPs), "one batch iteration outlasts the picosecond window")
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if boundaryPsWide(mid) <= Int128(Self.windowPs) { lo = mid } else { hi = mid }
        }
        targetIteration = lo
        targetPs = boundaryPs(lo)
    }

    /// Makes every iteration from `now` on take `factor` times its time alone: the replica now
    /// shares its GPUs' compute and memory bandwidth, time-sliced, with `factor − 1` other busy
    /// replicas (or with fewer than before). The iteration in progress finishes at the new pace.
    ///
    /// First tokens already produced by `now` are reported into `outcomes`.
    public mutating func setSlowdown(_ factor: Int64, at now: SimInstant, into outcomes: inout [BatchOutcome]) {
        precondition(factor >= 1)
        guard factor != slowdown else { return }
        guard targetIteration != nil else { slowdown = factor; return }
        let nowPs = ps(of: now)
        if !awaitingFirstToken.isEmpty && boundaryPs(iteration + 1) <= nowPs { reportFirstTokens(into: &outcomes) }
        // Work done by now at the old pace (rounded down to a whole multiple of it), re-anchored.
        let done = max(0, nowPs - anchorPs) / slowdown
        anchorPs += slowdown * done
        anchorWork += done
        slowdown = factor
        // A slower pace may push the target out of the clock's window.
        setTarget(targetIteration!)
    }

    private mutating func reportFirstTokens(into outcomes: inout [BatchOutcome]) {
        let firstToken = instant(ofPs: boundaryPs(iteration + 1))
        for slot in awaitingFirstToken {
            outcomes.append(.admitted(slot: slot, admitted: admittedAt, firstToken: firstToken))
        }
        awaitingFirstToken.removeAll(keepingCapacity: true)
    }

    /// Takes a request at `now`. Returns admissions if the replica was idle and it starts
    /// at once; otherwise it is queued and joins at the first boundary after `now` that has
    /// room. A boundary at exactly `now` has already begun (iterations precede arrivals at
    /// equal times, ``EventPhase``), so the request joins the one after it, whether that
    /// boundary was advanced to or lies inside a closed-form segment. The caller must have
    /// checked ``canEverAdmit(_:)``.
    public mutating func enqueue(_ r: BatchRequest, at now: SimInstant, into outcomes: inout [BatchOutcome]) {
        precondition(canEverAdmit(r))
        let wasEmptyQueue = queue.isEmpty
        queue.append(r)
        guard let target = targetIteration else {
            // Idle: the request starts an iteration right now, and the clock starts over there.
            iteration += 1
            originNs = now.nanoseconds
            beginBoundary(atPs: 0, into: &outcomes)
            return
        }
        let nowPs = ps(of: now)
        guard wasEmptyQueue, fits(r) else { return }  // waits for a completion to make room
        // Find the first boundary j in (iteration, target] starting after now. Iterations
        // lengthen only slowly as contexts grow, so the segment's mean iteration time puts j
        // within a few iterations: gallop out from that guess to bracket it, then bisect.
        if targetPs <= nowPs { return }
        var lo = iteration + 1
        var hi = target
        let span = targetPs - segmentStartPs
        if span > 0 && hi - lo > 4 {
            let guess = min(hi, max(lo, iteration + Int64((Double(nowPs - segmentStartPs) / Double(span) * Double(target - iteration)).rounded(.down))))
            if boundaryPs(guess) > nowPs {
                // j ≤ guess: step down until a boundary at or before now.
                hi = guess
                var step: Int64 = 1
                while hi - step > lo {
                    if boundaryPs(hi - step) > nowPs { hi -= step; step *= 2 } else { lo = hi - step + 1; break }
                }
            } else {
                // j > guess: step up until a boundary after now.
                lo = guess + 1
                var step: Int64 = 1
                while lo + step < hi {
                    if boundaryPs(lo + step) <= nowPs { lo += step + 1; step *= 2 } else { hi = lo + step; break }
                }
            }
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if boundaryPs(mid) > nowPs { hi = mid } else { lo = mid + 1 }
        }
        if lo < target {
            targetIteration = lo
            targetPs = boundaryPs(lo)
        }
    }

    private func fits(_ r: BatchRequest) -> Bool {
        running.count < maxBatch && kvUsedTokens + r.kvTokens <= kvCapacityTokens
    }

    /// Advances to the start of ``targetIteration``: completes the requests that finished in the
    /// previous iteration, admits queued requests that fit, and plans the next boundary.
    public mutating func advance(into outcomes: inout [BatchOutcome]) {
        guard let j = targetIteration else { return }
        let nowPs = targetPs
        if !awaitingFirstToken.isEmpty { reportFirstTokens(into: &outcomes) }
        iteration = j
        beginBoundary(atPs: nowPs, into: &outcomes)
    }

    private mutating func beginBoundary(atPs boundaryPs: Int64, into outcomes: inout [BatchOutcome]) {
        let j = iteration
        // Move the origin to this boundary's whole nanosecond, keeping the sub-nanosecond part.
        let shiftNs = boundaryPs / 1000
        originNs += shiftNs
        let nowPs = boundaryPs - shiftNs * 1000
        let nowNs = instant(ofPs: nowPs)
        while let top = running.min, top.finishIteration < j {
            running.popMin()
            kvUsedTokens -= top.request.kvTokens
            contextBase -= Int64(top.request.inputTokens) - top.admittedIteration
            outcomes.append(.finished(slot: top.request.slot, finished: nowNs))
        }
        let decoding = Int64(running.count)
        let decodeContext = contextBase + decoding * j
        var prefillTokens: Int64 = 0
        if !admitted.isEmpty { admitted.removeAll(keepingCapacity: true) }
        while let head = queue.first, running.count + admitted.count < maxBatch,
            kvUsedTokens + head.kvTokens <= kvCapacityTokens
        {
            _ = queue.popFirst()
            kvUsedTokens += head.kvTokens
            prefillTokens += Int64(head.inputTokens)
            admitted.append(Running(
                finishIteration: j + Int64(head.outputTokens) - 1, sequence: sequence, request: head,
                admittedIteration: j))
            sequence += 1
        }
        if running.isEmpty && admitted.isEmpty {
            targetIteration = nil
            segmentStartPs = nowPs
            return
        }
        firstIterationPs = cost.iterationPs(
            tokens: decoding + prefillTokens, contextTokens: decodeContext + prefillTokens)
        if oneOffDelayPs > 0 && !admitted.isEmpty {
            firstIterationPs += oneOffDelayPs
            oneOffDelayPs = 0
        }
        for a in admitted {
            running.insert(a)
            contextBase += Int64(a.request.inputTokens) - j
            awaitingFirstToken.append(a.request.slot)
        }
        admittedAt = nowNs
        segmentStartPs = nowPs
        anchorPs = nowPs
        anchorWork = 0
        setTarget(running.min!.finishIteration + 1)
    }

    /// Makes the next iteration that admits requests take `delay` longer, once.
    public mutating func addOneOffDelay(_ delay: SimDuration) {
        oneOffDelayPs += delay.nanoseconds * 1000
    }

    /// Checks the batcher's invariants: KV and batch limits, heap order.
    public func checkInvariants() -> Bool {
        kvUsedTokens >= 0 && kvUsedTokens <= kvCapacityTokens && running.count <= maxBatch
            && running.checkInvariants() && (targetIteration == nil) == running.isEmpty
    }
}
