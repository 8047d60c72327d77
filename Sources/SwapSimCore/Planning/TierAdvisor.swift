/// What the planner proposes per model from the trace: how many replicas its load needs, and
/// which tier (pinned, hot-swap, scale-to-zero) suits it, with the reason in words.
public struct PlanAdvice: Sendable, Hashable {
    /// One model's traffic and what it suggests.
    public struct Model: Sendable, Hashable {
        public var name: String
        /// Requests per second over the trace.
        public var rate: Double
        /// Share of all requests.
        public var share: Double
        /// Requests one replica serves per second at the planner's target utilisation, on the
        /// scenario's GPU.
        public var replicaCapacity: Double
        /// Replicas its load needs on the scenario's GPU (at least 1), or as the scenario states.
        public var replicas: Int
        public var replicasStated: Bool
        /// Share of its requests that come after it has been idle past hot-swap's idle timeout.
        public var idleShare: Double
        /// Its requests that would pay a cold start under scale-to-zero's keep-alive.
        public var coldStarts: Int
        public var pin: Bool
        public var scaleToZero: Bool
        /// Its replicas' expected utilisation: its rate over what they serve at full load.
        public var utilization: Double = 0
        /// Its place among the models by ``utilization``, busiest first (0-based).
        public var busyRank = 0
        /// The tier the scenario gives it, if any.
        public var stated: ModelTier? = nil
    }

    public var models: [Model]
    /// The tier assignments the planner searches for a mixed pool, model by model, in order.
    public var splits: [[ModelTier]]
    /// The idle timeout and keep-alive the reasons refer to.
    public var idleTimeout: SimDuration?
    public var keepAlive: SimDuration
    /// Requests the SLO lets miss the TTFT target (the tightest of its attainment and
    /// percentile targets), half of which scale-to-zero models may spend on cold starts.
    public var lateAllowance: Int

    /// Why model `m` is in `tier`, in words.
    public func reason(model m: Int, tier: ModelTier) -> String {
        let a = models[m]
        let rate = Fixed.format(a.rate, decimals: a.rate < 0.1 ? 4 : 2)
        let idle = idleTimeout.map(PlanText.duration) ?? "never"
        let idlePart = "idle past the \(idle) idle timeout before \(Fixed.format(a.idleShare * 100, decimals: 1))% of its requests"
        switch tier {
        case .pinned:
            if a.pin { return "busy: \(rate) req/s, \(idlePart), so swapping it saves little memory and costs swap-ins" }
            if a.stated == .pinned { return "pinned as the scenario states" }
            return "busy for its size: \(rate) req/s keeps its replicas \(Fixed.format(a.utilization * 100, decimals: 1))% utilised, the \(Self.ordinal(a.busyRank + 1)) busiest, so it keeps its GPUs"
        case .scaleToZero:
            return a.scaleToZero
                ? "rare: \(rate) req/s; \(a.coldStarts) requests would pay a cold start after the \(PlanText.duration(keepAlive)) keep-alive, within half the SLO's \(lateAllowance) late requests"
                : "scales to zero as the scenario states"
        case .hotSwap:
            return "\(rate) req/s, \(idlePart): swapped to host memory when idle"
        }
    }

    /// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`.
    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th"
        return "\(n)\(suffix)"
    }

    /// The assignment in words: `3 pinned, 20 hot-swap, 7 scale-to-zero`.
    public static func summary(_ tiers: [ModelTier]) -> String {
        ModelTier.allCases.compactMap { t in
            let n = tiers.filter { $0 == t }.count
            return n == 0 ? nil : "\(n) \(t.rawValue)"
        }.joined(separator: ", ")
    }
}

/// Proposes replicas and tiers from a trace's traffic.
///
/// - Replicas: one replica's capacity is estimated from the iteration cost at its largest
///   batch (``replicaCapacity(of:scenario:traffic:)``); a model gets enough replicas to stay
///   under 70% of it, so the answer does not depend on the order models are listed in.
/// - Pinned: models idle past the idle timeout before at most 5% of their requests (they
///   would stay resident anyway), or whose load needs more than one replica.
/// - Scale to zero: the models whose requests would pay the fewest cold starts, while the
///   total stays within half of the requests the SLO lets miss.
/// - Hot-swap: the rest.
/// - Busy for its size: each model's replicas' expected utilisation (its rate over what its
///   replicas serve at full load) ranks the models; pinning the k busiest keeps on GPUs the
///   models that would idle least there, and lets the rest share what is left.
/// The splits searched: everything hot-swap, the pinned candidates pinned, the scale-to-zero
/// candidates scaled to zero, and both (and the scenario's own assignment when it has one);
/// then the k busiest pinned for k on a Fibonacci ladder (1, 2, 3, 5, 8, …) below the model
/// count, with the rest on hot-swap, and again with the scale-to-zero candidates scaled to zero.
/// The planner searches each split with its GPU count and keeps the cheapest that meets the SLO.
public enum TierAdvisor {
    /// The utilisation a replica is sized for.
    public static let targetUtilization = 0.7
    /// Pin a model idle past the idle timeout before at most this share of its requests.
    public static let pinIdleShare = 0.05

    public static func advise(scenario s: Scenario, traffic: TrafficProfile) -> PlanAdvice {
        let idle = s.hotSwap.idleTimeout
        let keepAlive = s.scaleToZero.keepAlive
        let total = max(1, traffic.requests)
        var allowed = Double(total) * (1 - s.slo.attainment)
        for p in s.slo.ttftPercentiles { allowed = min(allowed, Double(total) * (1 - p.percentile / 100)) }
        let allowance = Int(allowed.rounded(.down))
        var models: [PlanAdvice.Model] = []
        for (m, d) in s.models.enumerated() {
            let t = traffic.models[m]
            let capacity = replicaCapacity(of: d, scenario: s, traffic: t) * targetUtilization
            let needed = capacity > 0 ? max(1, Int((t.rate / capacity).rounded(.up))) : 1
            let idleShare = t.requests == 0 ? 1 : Double(idle.map { t.requestsAfterGap(longerThan: $0) } ?? 1) / Double(t.requests)
            let replicas = d.replicas ?? min(needed, ScenarioLimits.maxReplicas)
            var model = PlanAdvice.Model(
                name: d.name, rate: t.rate, share: Double(t.requests) / Double(total), replicaCapacity: capacity,
                replicas: replicas, replicasStated: d.replicas != nil,
                idleShare: idleShare, coldStarts: t.requestsAfterGap(longerThan: keepAlive),
                pin: t.requests > 0 && (idleShare <= pinIdleShare || needed > 1), scaleToZero: false)
            let full = capacity / targetUtilization * Double(replicas)
            model.utilization = full > 0 ? t.rate / full : 0
            model.stated = d.tier
            models.append(model)
        }
        let byUtilization = models.indices.sorted {
            models[$0].utilization != models[$1].utilization ? models[$0].utilization > models[$1].utilization : $0 < $1
        }
        for (rank, m) in byUtilization.enumerated() { models[m].busyRank = rank }
        // The cheapest cold starts first, within half the allowance.
        var budget = allowance / 2
        let byColdStarts = models.indices.filter { !models[$0].pin }
            .sorted { models[$0].coldStarts != models[$1].coldStarts ? models[$0].coldStarts < models[$1].coldStarts : $0 < $1 }
        for m in byColdStarts where models[m].coldStarts <= budget {
            models[m].scaleToZero = true
            budget -= models[m].coldStarts
        }
        let pinned = models.map { $0.pin ? ModelTier.pinned : .hotSwap }
        let zeroed = models.map { $0.scaleToZero ? ModelTier.scaleToZero : .hotSwap }
        let both = models.map { $0.pin ? ModelTier.pinned : $0.scaleToZero ? .scaleToZero : .hotSwap }
        var splits: [[ModelTier]] = []
        if s.models.contains(where: { $0.tier != nil }) { splits.append(s.models.indices.map { s.tier(of: $0) }) }
        for split in [both, pinned, zeroed, models.map { _ in ModelTier.hotSwap }] where !splits.contains(split) { splits.append(split) }
        var (a, b) = (1, 2)
        while a < models.count {
            let top = models.map { $0.busyRank < a && $0.rate > 0 }
            let ladder = models.indices.map { top[$0] ? ModelTier.pinned : .hotSwap }
            let ladderZeroed = models.indices.map { top[$0] ? ModelTier.pinned : models[$0].scaleToZero ? .scaleToZero : .hotSwap }
            for split in [ladder, ladderZeroed] where !splits.contains(split) { splits.append(split) }
            (a, b) = (b, a + b)
        }
        return PlanAdvice(models: models, splits: splits, idleTimeout: idle, keepAlive: keepAlive, lateAllowance: allowance)
    }

    /// Requests per second one replica of `model` serves at its largest batch on the
    /// scenario's GPU, with the trace's mean prompt and output: a batch of b requests takes
    /// b prefills (compute-bound) and `output` decode iterations at a mean context of
    /// input + output/2.
    public static func replicaCapacity(of model: ModelDeployment, scenario s: Scenario, traffic t: TrafficProfile.Model) -> Double {
        guard t.requests > 0 else { return 0 }
        let cost = s.iterationCost(of: model)
        let perRequestTokens = max(1, t.meanInput + t.meanOutput)
        let batch = max(1, min(Double(model.maxBatch), (Double(model.kvCapacityTokens) / perRequestTokens).rounded(.down)))
        let context = Int64((t.meanInput + t.meanOutput / 2).rounded())
        let b = Int64(batch)
        let decodePs = Double(cost.iterationPs(tokens: b, contextTokens: b * context, sequences: b))
        let prefillPs = Double(cost.computePsPerToken) * t.meanInput
        let seconds = (max(1, t.meanOutput) * decodePs + batch * prefillPs) / 1e12
        return seconds > 0 ? batch / seconds : 0
    }
}
