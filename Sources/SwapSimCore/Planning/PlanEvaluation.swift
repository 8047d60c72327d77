/// What simulating one configuration over one seed's requests gave: the figures a plan needs.
///
/// Small and flat on purpose: it is what the evaluation cache stores, so a plan over cached
/// evaluations is built from exactly these values.
public struct PlanEvaluation: Sendable, Hashable {
    /// The seed of the trace-input filling this evaluation ran with.
    public var seed: UInt64
    public var outcome: Outcome

    public init(seed: UInt64, outcome: Outcome) {
        self.seed = seed
        self.outcome = outcome
    }

    /// Ran, or could not run.
    public enum Outcome: Sendable, Hashable {
        case ran(PlanMetrics)
        /// The configuration cannot run at all (a model does not fit the GPU, always-warm's
        /// replicas do not fit the pool). `dependsOnCount` says whether more GPUs could help.
        case unrunnable(reason: String, dependsOnCount: Bool)
    }

    /// The metrics, if it ran.
    public var metrics: PlanMetrics? { if case let .ran(m) = outcome { return m } else { return nil } }

    /// Simulates `configuration` on `base` over `requests` (the trace as filled with `seed`).
    ///
    /// A scenario the configuration makes impossible comes back as ``Outcome/unrunnable``;
    /// any other error (none is expected from an in-memory trace) is rethrown.
    public static func run(_ configuration: PlanConfiguration, base: Scenario, seed: UInt64, requests: [TraceRequest]) throws -> PlanEvaluation {
        try run(configuration, base: base, seed: seed, source: ArrayRequestSource(requests))
    }

    /// Simulates `configuration` on `base` over the requests `source` gives (the trace as
    /// filled with `seed`), read as the simulation goes: a source's own errors are rethrown.
    public static func run(_ configuration: PlanConfiguration, base: Scenario, seed: UInt64, source: some RequestSource) throws -> PlanEvaluation {
        let scenario = configuration.apply(to: base)
        do {
            try scenario.validate()
            // A plan reads none of the timeline: not sampling it spares every evaluation a walk
            // over every GPU and replica per sample (thousands of samples over a day).
            let r = try simulate(scenario: scenario, strategy: configuration.strategy, requests: source, recordTimeline: false)
            return PlanEvaluation(seed: seed, outcome: .ran(PlanMetrics(r)))
        } catch let e as ScenarioError {
            return PlanEvaluation(seed: seed, outcome: .unrunnable(reason: e.description, dependsOnCount: Self.dependsOnCount(e)))
        }
    }

    /// Whether a different GPU count could make a scenario error go away.
    static func dependsOnCount(_ e: ScenarioError) -> Bool {
        switch e {
        case .alwaysWarmDoesNotFit, .pinnedDoesNotFit, .noGPUsBesidePinned, .hotSwapGPUOvercommitted, .simulatedTimeLimit, .noRoomToScaleFromZero: return true
        case let .invalidValue(keyPath, _): return keyPath.hasPrefix("strategies.")
        case .modelTooLarge, .tensorParallelTooWide, .swapSpaceTooSmall, .duplicateModel: return false
        }
    }
}

/// The figures of one simulation a plan uses.
public struct PlanMetrics: Sendable, Hashable {
    public var requests: Int
    public var completed: Int
    public var rejected: Int
    /// TTFT mean, median and 99th percentile, in seconds.
    public var ttftMean: Double
    public var ttftP50: Double
    public var ttftP99: Double
    /// Share of requests whose TTFT met the target.
    public var attainment: Double
    /// The achieved value of each of the SLO's percentile targets, in seconds, in the SLO's order.
    public var percentilesAchieved: [Double]
    /// Whether the SLO held (attainment and every percentile target).
    public var meetsSLO: Bool
    /// Dollars billed over the trace.
    public var costUSD: Double
    /// The span billed, in seconds.
    public var horizonSeconds: Double
    public var gpuHours: Double
    public var coldStarts: Int
    public var swapIns: Int
    /// The models that miss (their own SLO, or the scenario's TTFT target for more requests
    /// than it allows when the SLO is missed), with why: the planner says who to blame.
    public var missingModels: [ModelMiss]

    /// A model that misses, and why.
    public struct ModelMiss: Sendable, Hashable {
        public var name: String
        public var reason: MissReason?
        public init(name: String, reason: MissReason?) {
            self.name = name
            self.reason = reason
        }
        /// `name (why)`.
        public var text: String { reason.map { "\(name) (\($0.rawValue))" } ?? name }
    }

    public init(
        requests: Int, completed: Int, rejected: Int, ttftMean: Double, ttftP50: Double, ttftP99: Double,
        attainment: Double, percentilesAchieved: [Double], meetsSLO: Bool, costUSD: Double, horizonSeconds: Double,
        gpuHours: Double, coldStarts: Int, swapIns: Int, missingModels: [ModelMiss] = []
    ) {
        self.requests = requests
        self.completed = completed
        self.rejected = rejected
        self.ttftMean = ttftMean
        self.ttftP50 = ttftP50
        self.ttftP99 = ttftP99
        self.attainment = attainment
        self.percentilesAchieved = percentilesAchieved
        self.meetsSLO = meetsSLO
        self.costUSD = costUSD
        self.horizonSeconds = horizonSeconds
        self.gpuHours = gpuHours
        self.coldStarts = coldStarts
        self.swapIns = swapIns
        self.missingModels = missingModels
    }

    /// The figures of a strategy's result.
    public init(_ r: StrategyResult) {
        self.init(
            requests: r.requests, completed: r.completed, rejected: r.rejected, ttftMean: r.ttft.mean, ttftP50: r.ttft.p50,
            ttftP99: r.ttft.p99, attainment: r.sloAttainment, percentilesAchieved: r.percentileTargets.map(\.achieved),
            meetsSLO: r.meetsSLO, costUSD: r.cost.amount, horizonSeconds: r.horizon.seconds, gpuHours: r.gpuHours,
            coldStarts: r.coldStarts, swapIns: r.swapIns,
            missingModels: r.modelsMissing.map { ModelMiss(name: $0.name, reason: $0.missReason) })
    }

    /// Hours in the month a plan bills: 365 × 24 / 12.
    public static let hoursPerMonth = 730.0

    /// The cost rate over the trace, sustained for a month of ``hoursPerMonth`` hours.
    public var costPerMonth: Double {
        horizonSeconds > 0 ? costUSD / (horizonSeconds / 3600) * Self.hoursPerMonth : 0
    }
}
