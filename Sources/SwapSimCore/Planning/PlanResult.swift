/// A finished capacity plan: every configuration evaluated, the cheapest feasible one per
/// strategy with its binding constraint, the Pareto frontier and the near misses.
///
/// The renderers (table, JSON `swapsim.plan/1`, Markdown, and later HTML) take this value;
/// it holds no I/O state. Everything in it except ``statistics`` depends only on the inputs,
/// never on thread count, timing or what a cache held.
public struct PlanResult: Sendable {
    public var scenario: String
    /// The trace as shown in output.
    public var trace: String
    /// One seed per replication.
    public var seeds: [UInt64]
    /// Requests in the trace.
    public var requests: Int
    public var slo: SLOConfig
    public var space: PlanSpace
    /// The shard this run covered, if only one.
    public var shard: PlanShard?
    /// Every chain searched, in ``PlanSpace/chains`` order (only the shard's, if sharded).
    public var chains: [ChainOutcome]
    /// Every configuration evaluated, by chain then GPU count.
    public var configurations: [EvaluatedConfiguration]
    /// One entry per planned strategy, in ``PlanSpace/strategies`` order.
    public var strategies: [StrategyPlan]
    /// Indices into ``configurations`` of the cost-vs-mean-p99-TTFT Pareto frontier over every
    /// configuration that ran, cheapest first.
    public var frontier: [Int]
    /// Indices into ``configurations`` of infeasible ones within ``nearMissTolerance`` of every
    /// limit, closest first (at most ``nearMissLimit``).
    public var nearMisses: [Int]
    /// How the evaluations were obtained (simulated or from the cache). Not part of the plan:
    /// it differs between a first run and a re-run, so renderers that must be byte-stable
    /// leave it out.
    public var statistics: PlanStatistics
    /// What the trace suggests per model (replicas, tiers, reasons), when the planner read one.
    public var advice: PlanAdvice? = nil

    /// Largest relative violation a near miss may have (20%).
    public static let nearMissTolerance = 0.2
    /// Most near misses listed.
    public static let nearMissLimit = 8

    public init(
        scenario: String, trace: String, seeds: [UInt64], requests: Int, slo: SLOConfig, space: PlanSpace, shard: PlanShard?,
        chains: [ChainOutcome], configurations: [EvaluatedConfiguration], strategies: [StrategyPlan], frontier: [Int],
        nearMisses: [Int], statistics: PlanStatistics
    ) {
        self.scenario = scenario
        self.trace = trace
        self.seeds = seeds
        self.requests = requests
        self.slo = slo
        self.space = space
        self.shard = shard
        self.chains = chains
        self.configurations = configurations
        self.strategies = strategies
        self.frontier = frontier
        self.nearMisses = nearMisses
        self.statistics = statistics
    }

    /// Whether `configuration` is feasible under this plan's constraints.
    public func isFeasible(_ c: EvaluatedConfiguration) -> Bool {
        c.isFeasible(slo: slo, budgetPerMonth: space.budgetPerMonth, maxGPUs: space.maxGPUs)
    }

    /// The constraints at `c`.
    public func checks(_ c: EvaluatedConfiguration) -> [ConstraintCheck] {
        c.checks(slo: slo, budgetPerMonth: space.budgetPerMonth, maxGPUs: space.maxGPUs)
    }

    /// Why `c` is not feasible, in words.
    public func shortfall(_ c: EvaluatedConfiguration) -> String {
        c.shortfall(slo: slo, budgetPerMonth: space.budgetPerMonth, maxGPUs: space.maxGPUs)
    }
}

/// How one chain's count search ended.
public struct ChainOutcome: Sendable, Hashable {
    public var index: Int
    public var chain: PlanChain
    /// The smallest GPU count meeting the SLO, if any up to the maximum.
    public var minimumGPUs: Int?
    /// Counts evaluated, in the order the search asked for them.
    public var evaluatedCounts: [Int]
}

/// The answer for one strategy.
public struct StrategyPlan: Sendable, Hashable {
    public var strategy: StrategyKind
    /// Index into ``PlanResult/configurations`` of the cheapest feasible configuration
    /// (least mean $/month; ties: fewer GPUs, then chain order).
    public var cheapest: Int?
    /// At ``cheapest``: the constraint with the least room (what stops a cheaper choice).
    public var binding: ConstraintCheck?
    /// At ``cheapest``: why one GPU fewer on the same chain fails, when that was evaluated.
    public var oneFewer: String?
    /// With nothing feasible: the configuration closest to feasible, and why it fails.
    public var closest: Int?
    public var closestReason: String?
}

/// How a plan's evaluations were obtained.
public struct PlanStatistics: Sendable, Hashable {
    /// (configuration, seed) evaluations the plan used.
    public var evaluations = 0
    /// Of those, simulated in this run.
    public var simulated = 0
    /// Found in the cache.
    public var cacheHits = 0
    /// Looked up in the cache and not found.
    public var cacheMisses = 0
    /// Rounds of the search.
    public var rounds = 0
    public init() {}
}
