/// A request as the batcher sees it: where to report it, and its token counts.
public struct BatchRequest: Sendable, Equatable {
    /// The simulation's handle for the request (opaque to the batcher).
    public var slot: Int32
    public var inputTokens: Int32
    public var outputTokens: Int32
    /// The prompt's shared prefix: an identifier (negative: none) and its length in tokens.
    /// Requests with the same identifier share the prefix's KV blocks in the prefix cache.
    public var prefixID: Int64
    public var prefixTokens: Int32
    /// When the client gives up (nanoseconds of simulated time; `Int64.max`: never). A request
    /// still queued then leaves the queue and fails.
    public var deadlineNs: Int64
    /// Whether it was preempted after its first token: its prompt now includes the tokens it had
    /// generated, and it reports no second first token.
    var resumed = false

    public init(slot: Int32, inputTokens: Int32, outputTokens: Int32, prefixID: Int64 = -1, prefixTokens: Int32 = 0, deadlineNs: Int64 = .max) {
        self.slot = slot
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.prefixID = prefixID
        self.prefixTokens = prefixTokens
        self.deadlineNs = deadlineNs
    }

    /// Whether its prompt has a shared prefix (most have none: the prefix cache is not looked at).
    @inline(__always) var sharesPrefix: Bool { prefixID >= 0 && prefixTokens > 0 }

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
    /// The request was still queued at its deadline and left unserved at `at` (a client timeout).
    case timedOut(slot: Int32, at: SimInstant)
    /// The request lost its KV cache to make room (preemption by recompute) and went back to the
    /// head of the queue; it will prefill its prompt and the tokens it had generated again.
    case preempted(slot: Int32)
}

/// The vLLM V1 scheduling settings a ``Batcher`` follows (docs/research/serving.md §1).
public struct SchedulerPolicy: Hashable, Sendable {
    /// `max_num_batched_tokens`: tokens one step may process. Running decodes take theirs first,
    /// then prefills in progress, then new requests' prefill chunks (chunked prefill).
    public var maxBatchedTokens: Int64 = .max
    /// Whether a request's cached prefix skips prefill (vLLM prefix caching, in 16-token blocks).
    public var prefixCaching = false
    /// vLLM async scheduling: a request that reaches the engine during step k joins step k + 2
    /// (step k + 1 was planned while step k ran).
    public var asyncScheduling = false
    /// vLLM's KV allocation: blocks as tokens are computed, not a reservation for the whole
    /// request; when a step's decodes do not fit, the most recently admitted requests are
    /// preempted (their KV freed, recomputed when they are admitted again) and nothing new is
    /// admitted in that step. Counted in tokens (16-token block rounding is not modelled).
    public var incrementalKV = false

    public init(maxBatchedTokens: Int64 = .max, prefixCaching: Bool = false, asyncScheduling: Bool = false, incrementalKV: Bool = false) {
        self.maxBatchedTokens = maxBatchedTokens
        self.prefixCaching = prefixCaching
        self.asyncScheduling = asyncScheduling
        self.incrementalKV = incrementalKV
    }
}

/// Continuous batching of one replica at iteration level, advanced in closed form.
///
/// Like vLLM's V1 scheduler, requests join the running batch at iteration boundaries, first
/// come first served with head-of-line blocking, while the batch-size limit (`max_num_seqs`)
/// and the KV-cache capacity allow (a request reserves KV for its prompt and all its output
/// tokens). Each step has a token budget (``SchedulerPolicy/maxBatchedTokens``): running
/// decodes take one token each first, then prefills in progress, then new requests' prefill
/// chunks, so a long prompt is prefilled over several steps (chunked prefill). A prompt whose
/// prefix is in the replica's prefix cache prefills only the rest (whole 16-token blocks, at
/// least one token left). The step that completes a prefill yields the first token; the request
/// then decodes one token per iteration until its last, and leaves the batch at the next
/// boundary. With async scheduling a request that arrives during step k joins step k + 2.
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

    /// A request waiting to join, and when it reached the engine.
    struct Queued: Sendable {
        var request: BatchRequest
        var enqueuedNs: Int64
    }

    /// A request whose prefill has begun but not finished (chunked prefill).
    struct Prefilling: Sendable {
        var request: BatchRequest
        var admittedNs: Int64
        /// Prompt tokens whose KV exists (cached prefix and chunks done).
        var done: Int64
    }

    public let cost: IterationCost
    /// KV-cache capacity in tokens.
    public let kvCapacityTokens: Int64
    /// Maximum requests in the running batch.
    public let maxBatch: Int
    public let policy: SchedulerPolicy

    private var running = BinaryHeap<Running>()
    private var queue = FIFOQueue<Queued>()
    /// Prefills in progress, in admission order; the step after a boundary runs a chunk of each.
    private var prefilling: [Prefilling] = []
    /// Scratch for the prefills of the boundary being planned.
    private var nextPrefilling: [Prefilling] = []
    /// The prefix cache: prefix identifier → (its cached tokens, last use), least recently used
    /// evicted first once the cached tokens would exceed the KV capacity. Looked up, never
    /// iterated except to find the least recently used (a minimum over unique use stamps).
    private var prefixCache: [Int64: (tokens: Int64, lastUse: Int64)] = [:]
    private var prefixCachedTokens: Int64 = 0
    private var prefixUse: Int64 = 0
    /// Preemptions so far (``SchedulerPolicy/incrementalKV``).
    public private(set) var preemptions: Int64 = 0
    /// Prefix-cache hits so far, and prompt tokens they skipped.
    public private(set) var prefixHits: Int64 = 0
    public private(set) var prefixTokensSkipped: Int64 = 0
    /// The start of the step before the current one, as ⌈ns⌉ (async scheduling: a request queued
    /// before it may join the current step).
    private var previousBoundaryNs: Int64 = .min
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
    /// Requests whose prefill ends in the segment's first step and whose first token (at the next
    /// boundary) is not reported yet, since a change of slowdown may still move it; and when they
    /// were admitted.
    private var awaitingFirstToken = ScratchList<(slot: Int32, admittedNs: Int64)>()
    /// The segment's decode iterations in 64 bits, when they fit: the first one's time and the
    /// growth per iteration (its context grows by one token per request), fixed from one change
    /// of composition to the next. `segmentStepPs < 0`: they do not fit, use the 128-bit sum.
    private var segmentFirstDecodePs: Int64 = 0
    private var segmentStepPs: Int64 = -1
    /// Extra time the next iteration that admits requests takes, once (a process's lazy
    /// initialisation on its first request).
    private var oneOffDelayPs: Int64 = 0
    /// Scratch for the requests with a shared prefix that a boundary admits whole (prefix
    /// caching: cached only once the step has been planned).
    private var admittedWithPrefix = ScratchList<BatchRequest>()

    public init(cost: IterationCost, kvCapacityTokens: Int64, maxBatch: Int, policy: SchedulerPolicy = SchedulerPolicy()) {
        self.cost = cost
        self.kvCapacityTokens = kvCapacityTokens
        self.maxBatch = maxBatch
        self.policy = policy
    }

    /// Requests running or queued.
    @inline(__always) public var outstanding: Int { running.count + prefilling.count + queue.count }
    /// Requests in the running batch (decoding or prefilling).
    @inline(__always) public var runningCount: Int { running.count + prefilling.count }
    /// Requests waiting to join the batch.
    @inline(__always) public var queuedCount: Int { queue.count }
    /// Whether nothing is running or queued.
    @inline(__always) public var isIdle: Bool { running.isEmpty && prefilling.isEmpty && queue.isEmpty }

    /// Forgets every cached prefix (the replica's KV cache was dropped: a sleep or a teardown).
    public mutating func dropPrefixCache() {
        if !prefixCache.isEmpty { prefixCache.removeAll() }
        prefixCachedTokens = 0
    }

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
    ///
    /// Inlined, like ``boundaryPsWide(_:)``: called from a mutating method, an outlined call
    /// would copy the whole batcher to pass it (about 300 bytes, several times per request).
    @inline(__always) func boundaryPs(_ j: Int64) -> Int64 {
        if j <= iteration { return segmentStartPs }
        if let fast = boundaryPs64(j) { return fast }
        let n = Int64(running.count)
        let decode = cost.decodePs(batch: n, context: contextBase + n * (iteration + 1), count: j - iteration - 1)
        let work = firstIterationPs + Int64(decode)
        return anchorPs + slowdown * (work - anchorWork)
    }

    /// ``boundaryPs(_:)`` from the segment's 64-bit terms, or nil where a product overflows
    /// (then the 128-bit sum decides). The same integers as ``IterationCost/decodePs(batch:context:count:)``.
    @inline(__always) func boundaryPs64(_ j: Int64) -> Int64? {
        guard segmentStepPs >= 0,
            let decode = IterationCost.decodeSum(first: segmentFirstDecodePs, step: segmentStepPs, count: j - iteration - 1)
        else { return nil }
        let (work, o1) = firstIterationPs.addingReportingOverflow(decode)
        let (scaled, o2) = slowdown.multipliedReportingOverflow(by: work &- anchorWork)
        let (b, o3) = anchorPs.addingReportingOverflow(scaled)
        return o1 || o2 || o3 ? nil : b
    }

    /// ``boundaryPs(_:)`` in 128 bits, for boundaries that may lie beyond the clock's window.
    @inline(__always) func boundaryPsWide(_ j: Int64) -> Int128 {
        if j <= iteration { return Int128(segmentStartPs) }
        let n = Int64(running.count)
        let decode = cost.decodePs(batch: n, context: contextBase + n * (iteration + 1), count: j - iteration - 1)
        let work = Int128(firstIterationPs) + decode
        return Int128(anchorPs) + Int128(slowdown) * (work - Int128(anchorWork))
    }

    /// Makes `j` the target, or the last boundary before it within the clock's window.
    private mutating func setTarget(_ j: Int64) {
        if let fast = boundaryPs64(j), fast <= Self.windowPs {
            targetIteration = j
            targetPs = fast
            return
        }
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
        for k in 0..<awaitingFirstToken.count {
            let a = awaitingFirstToken[k]
            outcomes.append(.admitted(slot: a.slot, admitted: SimInstant(nanoseconds: a.admittedNs), firstToken: firstToken))
        }
        awaitingFirstToken.removeAll()
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
        queue.append(Queued(request: r, enqueuedNs: now.nanoseconds))
        guard let target = targetIteration else {
            // Idle: the request starts an iteration right now, and the clock starts over there.
            iteration += 1
            originNs = now.nanoseconds
            previousBoundaryNs = now.nanoseconds + 1
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
        // Async scheduling: the step starting at `lo` was planned before the request came.
        if policy.asyncScheduling { lo += 1 }
        if lo < target {
            targetIteration = lo
            targetPs = boundaryPs(lo)
        }
    }

    private func fits(_ r: BatchRequest) -> Bool {
        running.count + prefilling.count < maxBatch && (policy.incrementalKV || kvUsedTokens + r.kvTokens <= kvCapacityTokens)
    }

    /// Advances to the start of ``targetIteration``: completes the requests that finished in the
    /// previous iteration, admits queued requests that fit, and plans the next boundary.
    public mutating func advance(into outcomes: inout [BatchOutcome]) {
        guard let j = targetIteration else { return }
        let nowPs = targetPs
        if !awaitingFirstToken.isEmpty { reportFirstTokens(into: &outcomes) }
        if policy.asyncScheduling { previousBoundaryNs = originNs &+ Self.ceilNs(boundaryPs(j - 1)) }
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
        let incremental = policy.incrementalKV
        while !running.isEmpty && running.storage[0].finishIteration < j {
            let top = running.popMin()!
            if !incremental { kvUsedTokens -= top.request.kvTokens }
            contextBase -= Int64(top.request.inputTokens) - top.admittedIteration
            outcomes.append(.finished(slot: top.request.slot, finished: nowNs))
        }
        // Client timeouts: requests still queued at their deadline leave unserved (the queue is
        // in arrival order, so deadlines are in order too).
        while let head = queue.first, head.request.deadlineNs <= nowNs.nanoseconds {
            _ = queue.popFirst()
            outcomes.append(.timedOut(slot: head.request.slot, at: nowNs))
        }
        // KV this step holds (incremental allocation): every decode's context and its new
        // token, and what prefills in progress have computed.
        var kvInStep: Int64 = 0
        var preemptedNow = false
        if incremental {
            var held: Int64 = 0
            if !prefilling.isEmpty { for p in prefilling { held += p.done } }
            // Decodes need a slot each, and a prefill in progress at least one (vLLM preempts when
            // a running request, partial prefills included, cannot allocate): without that, prefills
            // holding the whole cache could wait on each other for ever.
            while contextBase + Int64(running.count) * j + held + (prefilling.isEmpty ? 0 : 1) > kvCapacityTokens {
                preemptTail(at: j, held: &held, into: &outcomes)
                preemptedNow = true
            }
            kvInStep = contextBase + Int64(running.count) * j + held
        }
        let decoding = Int64(running.count)
        let decodeContext = contextBase + decoding * j
        var budget = policy.maxBatchedTokens &- decoding
        var prefillTokens: Int64 = 0
        var prefillContext: Int64 = 0
        var sequences = decoding
        if !nextPrefilling.isEmpty { nextPrefilling.removeAll(keepingCapacity: true) }
        // Requests admitted whole join the running batch at once (`decoding` and `decodeContext`
        // above are the batch before them).
        // Prefills in progress continue first, in admission order, within the budget.
        if !prefilling.isEmpty {
            for var p in prefilling {
                var chunk = budget > 0 ? min(Int64(p.request.inputTokens) - p.done, budget) : 0
                if incremental {
                    chunk = max(0, min(chunk, kvCapacityTokens - kvInStep))
                    kvInStep += chunk
                }
                if chunk > 0 {
                    budget -= chunk
                    prefillTokens += chunk
                    prefillContext += p.done + chunk
                    sequences += 1
                    p.done += chunk
                }
                if p.done == Int64(p.request.inputTokens) {
                    admit(p.request, at: j)
                    if !p.request.resumed { awaitingFirstToken.append((p.request.slot, p.admittedNs)) }
                } else {
                    nextPrefilling.append(p)
                }
            }
        }
        // Then new requests, first come first served, while the batch, the KV cache and the
        // budget have room.
        var admittedNew = false
        let firstNewPrefill = nextPrefilling.count
        admittedWithPrefix.removeAll()
        // Async scheduling lags only a busy engine: an idle one schedules a request at once.
        let busy = !running.isEmpty || !nextPrefilling.isEmpty
        let eligibleBeforeNs = policy.asyncScheduling && busy ? previousBoundaryNs : Int64.max
        var blockedByRoom = preemptedNow  // a step that preempted admits nothing
        while !preemptedNow, let head = queue.first, budget > 0, head.enqueuedNs < eligibleBeforeNs {
            let r = head.request
            guard running.count + nextPrefilling.count < maxBatch,
                incremental || kvUsedTokens + r.kvTokens <= kvCapacityTokens
            else { blockedByRoom = true; break }
            let sharesPrefix = policy.prefixCaching && r.sharesPrefix
            let cachedHere = incremental && sharesPrefix ? peekCachedPrefix(of: r) : 0
            if incremental && kvInStep + cachedHere + min(Int64(r.inputTokens) - cachedHere, budget) > kvCapacityTokens {
                blockedByRoom = true
                break
            }
            _ = queue.popFirst()
            if !incremental { kvUsedTokens += r.kvTokens }
            admittedNew = true
            let cached = sharesPrefix ? cachedPrefix(of: r) : 0
            let chunk = min(Int64(r.inputTokens) - cached, budget)
            kvInStep += cached + chunk
            budget -= chunk
            prefillTokens += chunk
            prefillContext += cached + chunk
            sequences += 1
            if cached + chunk == Int64(r.inputTokens) {
                admit(r, at: j)
                if sharesPrefix { admittedWithPrefix.append(r) }
                if !r.resumed { awaitingFirstToken.append((r.slot, nowNs.nanoseconds)) }
            } else {
                nextPrefilling.append(Prefilling(request: r, admittedNs: nowNs.nanoseconds, done: cached + chunk))
            }
        }
        // Prefixes computed in this step become cacheable after it (a duplicate in the same step misses).
        if policy.prefixCaching {
            for k in 0..<admittedWithPrefix.count { cachePrefix(of: admittedWithPrefix[k]) }
            for k in firstNewPrefill..<nextPrefilling.count where nextPrefilling[k].request.sharesPrefix {
                cachePrefix(of: nextPrefilling[k].request)
            }
        }
        swap(&prefilling, &nextPrefilling)
        if running.isEmpty && prefilling.isEmpty {
            // Nothing runs: the queue is empty too (a request that fits an empty replica is admitted).
            targetIteration = nil
            segmentStartPs = nowPs
            return
        }
        firstIterationPs = cost.iterationPs(
            tokens: decoding + prefillTokens, contextTokens: decodeContext + prefillContext, sequences: sequences)
        if oneOffDelayPs > 0 && admittedNew {
            firstIterationPs += oneOffDelayPs
            oneOffDelayPs = 0
        }
        if incremental { kvUsedTokens = kvInStep }
        let n = Int64(running.count)
        if let terms = cost.decodeTerms(batch: n, context: contextBase + n * (j + 1)) {
            (segmentFirstDecodePs, segmentStepPs) = terms
        } else {
            segmentStepPs = -1
        }
        segmentStartPs = nowPs
        anchorPs = nowPs
        anchorWork = 0
        // The composition changes at the next step while a prefill is in progress, or while a
        // queued request waits only for a fresh budget or for async scheduling to reach it.
        if !prefilling.isEmpty || (!queue.isEmpty && !blockedByRoom) || running.isEmpty {
            setTarget(j + 1)
        } else {
            var next = running.min!.finishIteration + 1
            if incremental {
                // The first step whose decodes would not fit: contextBase + n·i > capacity.
                let n = Int64(running.count)
                let lastFitting = (kvCapacityTokens - contextBase) / n
                next = min(next, lastFitting + 1)
            }
            setTarget(next)
        }
    }

    /// Puts `r`, its prompt prefilled, in the running batch at iteration `j`: it decodes from the
    /// next iteration on.
    @inline(__always) private mutating func admit(_ r: BatchRequest, at j: Int64) {
        running.insert(Running(finishIteration: j + Int64(r.outputTokens) - 1, sequence: sequence, request: r, admittedIteration: j))
        sequence += 1
        contextBase += Int64(r.inputTokens) - j
    }

    /// Preempts the most recently admitted request (a prefill in progress first, else the
    /// running request admitted last): frees its KV and puts it back at the head of the queue,
    /// to prefill its prompt and the tokens it generated again.
    /// - Complexity: O(n) to find it in the running batch; preemption happens only when KV runs out.
    private mutating func preemptTail(at j: Int64, held: inout Int64, into outcomes: inout [BatchOutcome]) {
        var r: BatchRequest
        if let p = prefilling.popLast() {
            held -= p.done
            r = p.request
        } else {
            var k = 0
            running.storage.withUnsafeBufferPointer { items in
                for i in items.indices where items[i].sequence > items[k].sequence { k = i }
            }
            let v = running.remove(at: k)
            contextBase -= Int64(v.request.inputTokens) - v.admittedIteration
            // Tokens it produced: the first at the end of step a, then one per step to j − 1.
            let generated = j - v.admittedIteration
            r = v.request
            r.inputTokens += Int32(generated)
            r.outputTokens -= Int32(generated)
            r.resumed = true
        }
        preemptions += 1
        outcomes.append(.preempted(slot: r.slot))
        queue.pushFront(Queued(request: r, enqueuedNs: Int64.min))
    }

    /// ``cachedPrefix(of:)`` without recording the hit.
    private func peekCachedPrefix(of r: BatchRequest) -> Int64 {
        guard policy.prefixCaching, r.sharesPrefix, let e = prefixCache[r.prefixID] else { return 0 }
        return min(e.tokens, Int64(r.prefixTokens), Int64(r.inputTokens) - 1) / KVCacheSizing.blockTokens * KVCacheSizing.blockTokens
    }

    /// Tokens of `r`'s prompt found in the prefix cache: whole blocks of its shared prefix,
    /// leaving at least one token to compute (vLLM caps a hit at the prompt less one).
    private mutating func cachedPrefix(of r: BatchRequest) -> Int64 {
        guard policy.prefixCaching, r.sharesPrefix, let e = prefixCache[r.prefixID] else { return 0 }
        let usable = min(e.tokens, Int64(r.prefixTokens), Int64(r.inputTokens) - 1)
        let hit = usable / KVCacheSizing.blockTokens * KVCacheSizing.blockTokens
        guard hit > 0 else { return 0 }
        prefixUse += 1
        prefixCache[r.prefixID] = (e.tokens, prefixUse)
        prefixHits += 1
        prefixTokensSkipped += hit
        return hit
    }

    /// Records `r`'s shared prefix as cached, evicting the least recently used prefixes beyond
    /// the KV capacity.
    private mutating func cachePrefix(of r: BatchRequest) {
        guard r.sharesPrefix else { return }
        let tokens = min(Int64(r.prefixTokens), Int64(r.inputTokens)) / KVCacheSizing.blockTokens * KVCacheSizing.blockTokens
        guard tokens > 0, tokens <= kvCapacityTokens else { return }
        prefixUse += 1
        if let e = prefixCache[r.prefixID] {
            let grown = max(e.tokens, tokens)
            prefixCachedTokens += grown - e.tokens
            prefixCache[r.prefixID] = (grown, prefixUse)
        } else {
            prefixCache[r.prefixID] = (tokens, prefixUse)
            prefixCachedTokens += tokens
        }
        while prefixCachedTokens > kvCapacityTokens {
            var victim: (id: Int64, use: Int64) = (-1, .max)
            for (id, e) in prefixCache where e.lastUse < victim.use { victim = (id, e.lastUse) }
            prefixCachedTokens -= prefixCache.removeValue(forKey: victim.id)!.tokens
        }
    }

    /// Makes the next iteration that admits requests take `delay` longer, once.
    public mutating func addOneOffDelay(_ delay: SimDuration) {
        oneOffDelayPs += delay.nanoseconds * 1000
    }

    /// Checks the batcher's invariants: KV and batch limits, heap order.
    public func checkInvariants() -> Bool {
        kvUsedTokens >= 0 && kvUsedTokens <= kvCapacityTokens && running.count + prefilling.count <= maxBatch
            && running.checkInvariants() && (targetIteration == nil) == (running.isEmpty && prefilling.isEmpty)
    }
}

extension FIFOQueue {
    /// Puts `e` at the head of the queue (a preempted request goes back first).
    mutating func pushFront(_ e: Element) {
        if head > 0 {
            head -= 1
            items[head] = e
        } else {
            items.insert(e, at: 0)
        }
    }
}
