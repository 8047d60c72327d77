/// What a request waited for before it could be queued at a ready replica.
public enum WaitCause: UInt8, Sendable {
    case none = 0
    case swapIn = 1
    case coldStart = 2
}

/// Collects per-request latencies and counters during one simulation.
///
/// Keeps one 8-byte sample per completed request for each exact percentile (TTFT, E2E) and
/// one per multi-token request for TPOT: 24 bytes per request in all.
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

    public init(ttftTarget: SimDuration) { self.ttftTarget = ttftTarget }

    mutating func arrival() { arrived += 1 }

    /// Hands over the latency samples, leaving the collector's empty: the end of a run sorts
    /// them in place instead of copying arrays of a sample per request.
    mutating func takeSamples() -> (ttft: [Int64], tpot: [Int64], e2e: [Int64]) {
        defer { ttft = []; tpot = []; e2e = [] }
        return (ttft, tpot, e2e)
    }
    mutating func reject() { rejected += 1 }

    /// Records a completed request from its timestamps (nanoseconds).
    mutating func complete(
        arrival: Int64, readyAt: Int64, admitted: Int64, firstToken: Int64, finished: Int64,
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
        queueingNs += Int128(admitted - readyAt)
        prefillNs += Int128(firstToken - admitted)
        switch cause {
        case .none: queueingNs += Int128(readyAt - arrival)
        case .swapIn: swapWaitNs += Int128(readyAt - arrival); paidSwapIn += 1
        case .coldStart: coldStartWaitNs += Int128(readyAt - arrival); paidColdStart += 1
        }
    }
}
