/// What a request waited for before it could be queued at a ready replica.
public enum WaitCause: UInt8, Sendable {
    case none = 0
    case swapIn = 1
    case coldStart = 2
}

/// Collects per-request latencies and counters during one simulation, overall and per model.
///
/// Keeps one 8-byte sample per completed request for each exact percentile (TTFT, E2E), one
/// per multi-token request for TPOT, and the TTFT again in its model's own list for the
/// per-model percentiles: 32 bytes per request in all.
public struct MetricsCollector: Sendable {
    public private(set) var ttft: [Int64] = []
    public private(set) var tpot: [Int64] = []
    public private(set) var e2e: [Int64] = []
    public private(set) var arrived = 0
    public private(set) var completed = 0
    public private(set) var rejected = 0
    public private(set) var inputTokens: Int64 = 0
    public private(set) var outputTokens: Int64 = 0
    public private(set) var withinTTFTTarget = 0
    public private(set) var paidColdStart = 0
    public private(set) var paidSwapIn = 0
    /// Σ over completed requests of each TTFT component, in nanoseconds (128-bit: a million
    /// requests waiting hours each overflow 64 bits).
    public private(set) var queueingNs: Int128 = 0
    public private(set) var swapWaitNs: Int128 = 0
    public private(set) var coldStartWaitNs: Int128 = 0
    public private(set) var prefillNs: Int128 = 0
    public let ttftTarget: SimDuration
    /// Per model.
    public private(set) var models: [ModelMetrics]

    /// - Parameter modelTargets: each model's own TTFT target (the scenario's where it has none).
    public init(ttftTarget: SimDuration, modelTargets: [SimDuration] = []) {
        self.ttftTarget = ttftTarget
        models = modelTargets.map { ModelMetrics(ttftTarget: $0) }
    }

    mutating func arrival(model: Int) {
        arrived += 1
        models[model].arrived += 1
    }

    /// Hands over the latency samples, leaving the collector's empty: the end of a run sorts
    /// them in place instead of copying arrays of a sample per request.
    mutating func takeSamples() -> (ttft: [Int64], tpot: [Int64], e2e: [Int64]) {
        defer { ttft = []; tpot = []; e2e = [] }
        return (ttft, tpot, e2e)
    }

    /// Hands over model `m`'s TTFT samples.
    mutating func takeSamples(ofModel m: Int) -> [Int64] {
        defer { models[m].ttft = [] }
        return models[m].ttft
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
    var ttft: [Int64] = []
    /// Over the requests that missed the target: Σ of each TTFT component, nanoseconds.
    public internal(set) var missed = 0
    public internal(set) var missedQueueingNs: Int128 = 0
    public internal(set) var missedSwapWaitNs: Int128 = 0
    public internal(set) var missedColdStartWaitNs: Int128 = 0
    public internal(set) var missedPrefillNs: Int128 = 0

    init(ttftTarget: SimDuration) { self.ttftTarget = ttftTarget }

    mutating func complete(ttft t: Int64, queued: Int64, waited: Int64, prefill: Int64, cause: WaitCause) {
        completed += 1
        ttft.append(t)
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
