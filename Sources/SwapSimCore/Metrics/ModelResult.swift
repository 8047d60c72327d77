/// One model's outcome under one strategy: the per-model table of every output.
public struct ModelResult: Hashable, Sendable {
    public var name: String
    /// How the strategy served it (`pinned`, `hot-swap`, `scale-to-zero`).
    public var tier: String
    public var requests: Int
    public var completed: Int
    public var rejected: Int
    public var ttft: LatencySummary
    /// The TTFT target its attainment is measured against (its own, or the scenario's).
    public var ttftTarget: SimDuration
    /// Share of its requests (completed or rejected) whose TTFT met the target.
    public var sloAttainment: Double
    /// Whether its own SLO holds (nil when it has none: the scenario's SLO is judged over all
    /// requests together).
    public var meetsOwnSLO: Bool?
    public var swapIns: Int
    public var coldStarts: Int
    public var requestsPayingSwapIn: Int
    public var requestsPayingColdStart: Int
    /// Time with memory on some GPU.
    public var residentTime: SimDuration
    /// Why its late requests were late, if any were.
    public var missReason: MissReason?
    /// The strategy's own counters for this model, in ``StrategyResult/counters`` order.
    public var counters: [Int]
    /// KV-cache capacity of each of its replicas, in tokens (vLLM's sizing under `kv_cache: auto`).
    public var kvCacheTokens: Int64 = 0

    public init(
        name: String, tier: String, requests: Int, completed: Int, rejected: Int, ttft: LatencySummary, ttftTarget: SimDuration,
        sloAttainment: Double, meetsOwnSLO: Bool?, swapIns: Int, coldStarts: Int, requestsPayingSwapIn: Int, requestsPayingColdStart: Int,
        residentTime: SimDuration, missReason: MissReason?, counters: [Int]
    ) {
        self.name = name
        self.tier = tier
        self.requests = requests
        self.completed = completed
        self.rejected = rejected
        self.ttft = ttft
        self.ttftTarget = ttftTarget
        self.sloAttainment = sloAttainment
        self.meetsOwnSLO = meetsOwnSLO
        self.swapIns = swapIns
        self.coldStarts = coldStarts
        self.requestsPayingSwapIn = requestsPayingSwapIn
        self.requestsPayingColdStart = requestsPayingColdStart
        self.residentTime = residentTime
        self.missReason = missReason
        self.counters = counters
    }
}

/// A count a strategy keeps beyond the engine's own (pre-warm hits, say), declared in its
/// registry entry so every output can show it without knowing the strategy.
public struct CounterSpec: Hashable, Sendable {
    /// snake_case, for JSON and CSV (`prewarm_hits`).
    public let key: String
    /// For tables (`pre-warm hits`).
    public let label: String
    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }
}

/// A strategy counter's total over a run.
public struct StrategyCounter: Hashable, Sendable {
    public var spec: CounterSpec
    public var value: Int
    public init(spec: CounterSpec, value: Int) {
        self.spec = spec
        self.value = value
    }
}
