/// What a request waited for before it could be queued at a ready replica.
public enum WaitCause: UInt8, Sendable {
    case none = 0
    case swapIn = 1
    case coldStart = 2
}

/// Collects per-request latencies and counters during one simulation, overall and per model.
///
/// Keeps one 8-byte sample per completed request for each exact percentile (TTFT, E2E), one
/// per multi-token request for TPOT, and the model of each TTFT sample (4 bytes), from which
/// ``withModelSamples(_:)`` sorts out the per-model percentiles at the end: 28 bytes per request
/// in all. Non-copyable: its samples are written in place (``OwnedArray``).
struct MetricsCollector: ~Copyable {
    private(set) var ttft = OwnedArray<Int64>(capacity: 1024)
    private(set) var tpot = OwnedArray<Int64>(capacity: 1024)
    private(set) var e2e = OwnedArray<Int64>(capacity: 1024)
    /// The model of each TTFT sample, in the same order.
    private var ttftModel = OwnedArray<Int32>(capacity: 1024)
    private(set) var arrived = 0
    private(set) var completed = 0
    private(set) var rejected = 0
    private(set) var inputTokens: Int64 = 0
    private(set) var outputTokens: Int64 = 0
    private(set) var withinTTFTTarget = 0
    private(set) var paidColdStart = 0
    private(set) var paidSwapIn = 0
    /// Σ over completed requests of each TTFT component, in nanoseconds (128-bit: a million
    /// requests waiting hours each overflow 64 bits).
    private(set) var queueingNs: Int128 = 0
    private(set) var swapWaitNs: Int128 = 0
    private(set) var coldStartWaitNs: Int128 = 0
    private(set) var prefillNs: Int128 = 0
    let ttftTarget: SimDuration
    /// Per model.
    private(set) var models: OwnedArray<ModelMetrics>

    /// - Parameter modelTargets: each model's own TTFT target (the scenario's where it has none).
    init(ttftTarget: SimDuration, modelTargets: [SimDuration] = []) {
        self.ttftTarget = ttftTarget
        models = OwnedArray(capacity: modelTargets.count)
        for t in modelTargets { models.append(ModelMetrics(ttftTarget: t)) }
    }

    mutating func arrival(model: Int) {
        arrived += 1
        models[model].arrived += 1
    }

    /// Drops the TPOT and E2E samples (once summarised), so that the per-model pass at the end
    /// of a run has their memory.
    mutating func dropTPOTAndE2E() {
        tpot = OwnedArray()
        e2e = OwnedArray()
    }

    /// Calls `body` with each model's TTFT samples in turn (`body(m, samples)`, models in
    /// order; each model's in completion order), sorted out of the overall list by a counting
    /// sort into one scratch buffer.
    func withModelSamples(_ body: (Int, UnsafeBufferPointer<Int64>) -> Void) {
        let n = models.count
        var start = [Int](repeating: 0, count: n + 1)
        var fill = [Int](repeating: 0, count: n)
        let scratch = UnsafeMutableBufferPointer<Int64>.allocate(capacity: max(1, ttft.count))
        defer { scratch.deallocate() }
        ttft.withUnsafeBufferPointer { samples in
            ttftModel.withUnsafeBufferPointer { owner in
                start.withUnsafeMutableBufferPointer { start in
                    fill.withUnsafeMutableBufferPointer { fill in
                        for m in owner { start[Int(m) + 1] += 1 }
                        for m in 0..<n { start[m + 1] += start[m] }
                        for m in 0..<n { fill[m] = start[m] }
                        for i in samples.indices {
                            let m = Int(owner[i])
                            scratch[fill[m]] = samples[i]
                            fill[m] += 1
                        }
                    }
                }
            }
        }
        for m in 0..<n { body(m, UnsafeBufferPointer(rebasing: scratch[start[m]..<start[m + 1]])) }
    }

    mutating func reject(model: Int) {
        rejected += 1
        models[model].rejected += 1
    }

    /// Records a completed request from its timestamps (nanoseconds).
    mutating func complete(
        model: Int, arrival: Int64, readyAt: Int64, admitted: Int64, firstToken: Int64, finished: Int64,
        inputTokens: Int32, outputTokens: Int32, cause: WaitCause
    ) {
        completed += 1
        let t = firstToken - arrival
        ttft.append(t)
        ttftModel.append(Int32(model))
        e2e.append(finished - arrival)
        if outputTokens > 1 { tpot.append((finished - firstToken) / Int64(outputTokens - 1)) }
        if t <= ttftTarget.nanoseconds { withinTTFTTarget += 1 }
        self.inputTokens += Int64(inputTokens)
        self.outputTokens += Int64(outputTokens)
        let queued = admitted - readyAt
        let waited = readyAt - arrival
        let prefill = firstToken - admitted
        queueingNs += Int128(queued)
        prefillNs += Int128(prefill)
        switch cause {
        case .none: queueingNs += Int128(waited)
        case .swapIn: swapWaitNs += Int128(waited); paidSwapIn += 1
        case .coldStart: coldStartWaitNs += Int128(waited); paidColdStart += 1
        }
        models[model].complete(ttft: t, queued: queued, waited: waited, prefill: prefill, cause: cause)
    }
}

/// One model's share of a run's metrics.
public struct ModelMetrics: Sendable {
    public let ttftTarget: SimDuration
    public internal(set) var arrived = 0
    public internal(set) var completed = 0
    public internal(set) var rejected = 0
    public internal(set) var withinTarget = 0
    public internal(set) var paidSwapIn = 0
    public internal(set) var paidColdStart = 0
    /// Over the requests that missed the target: Σ of each TTFT component, nanoseconds.
    public internal(set) var missed = 0
    public internal(set) var missedQueueingNs: Int128 = 0
    public internal(set) var missedSwapWaitNs: Int128 = 0
    public internal(set) var missedColdStartWaitNs: Int128 = 0
    public internal(set) var missedPrefillNs: Int128 = 0

    init(ttftTarget: SimDuration) { self.ttftTarget = ttftTarget }

    mutating func complete(ttft t: Int64, queued: Int64, waited: Int64, prefill: Int64, cause: WaitCause) {
        completed += 1
        switch cause {
        case .none: break
        case .swapIn: paidSwapIn += 1
        case .coldStart: paidColdStart += 1
        }
        if t <= ttftTarget.nanoseconds {
            withinTarget += 1
            return
        }
        missed += 1
        missedPrefillNs += Int128(prefill)
        switch cause {
        case .none: missedQueueingNs += Int128(queued + waited)
        case .swapIn: missedQueueingNs += Int128(queued); missedSwapWaitNs += Int128(waited)
        case .coldStart: missedQueueingNs += Int128(queued); missedColdStartWaitNs += Int128(waited)
        }
    }

    /// Why the requests that missed the target missed it: the largest part of their TTFT, or
    /// memory when some requests were rejected (larger than the KV cache). Nil when none missed.
    public var missReason: MissReason? {
        if rejected > 0 { return .memory }
        guard missed > 0 else { return nil }
        let parts: [(MissReason, Int128)] = [
            (.computeBound, missedQueueingNs + missedPrefillNs), (.swapWait, missedSwapWaitNs), (.coldStart, missedColdStartWaitNs),
        ]
        return parts.max { $0.1 < $1.1 }!.0
    }
}

/// Why a model's requests missed their TTFT target.
public enum MissReason: String, Hashable, Sendable {
    /// Queueing for a place in the batch and prefill: the replicas cannot keep up.
    case computeBound = "compute-bound"
    /// Requests larger than the KV cache were rejected.
    case memory
    /// Waiting for the model's swap-in (and for room to swap it in).
    case swapWait = "swap wait"
    /// Waiting for a cold start.
    case coldStart = "cold start"
}
