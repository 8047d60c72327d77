/// How a strategy's GPUs are billed.
public enum BillingRule: Sendable, Equatable {
    /// Every GPU of the pool, for the whole run: a fixed pool.
    case pool
    /// Each GPU while some replica holds memory on it: an elastic pool (pods that request
    /// whole GPUs and give them back).
    case occupied
}

/// A strategy's registry entry: what the loader, the planner, the reports and the engine need
/// to know about it, in one place.
///
/// Adding a strategy is one file (the strategy, its kind and its descriptor) plus one line in
/// ``StrategyRegistry/all``.
public struct StrategyDescriptor: Sendable {
    public let kind: StrategyKind
    /// One line on what an idle model does under it.
    public let summary: String
    /// The keys of `strategies.<name>` in a scenario, with defaults. Every strategy has
    /// ``SettingSpec/pool``.
    public let settings: [SettingSpec]
    /// The planner's grids this strategy's chains cross, in order.
    public let planAxes: [PlanAxis]
    /// Whether `compare` (and the demo) runs it on a scenario: always for the single
    /// strategies; for the others when the scenario configures them.
    let inCompare: @Sendable (Scenario) -> Bool
    /// Counts it keeps beyond the engine's own, shown in every output.
    public let counters: [CounterSpec]
    /// The pool size the scenario states for it (nil: the whole cluster); by default its own
    /// `gpus` key.
    let pool: @Sendable (Scenario) -> Int?
    /// How the GPUs are billed, which may depend on the scenario (a hybrid pool of
    /// scale-to-zero models only is elastic).
    let billing: @Sendable (Scenario) -> BillingRule
    /// Strategy-specific checks of a scenario before it runs (beyond its keys' types and ranges).
    let check: @Sendable (Scenario) throws(ScenarioError) -> Void
    /// Makes the strategy for one simulation.
    let make: @Sendable (Scenario) -> any ServingStrategy

    init(
        kind: StrategyKind, summary: String, settings: [SettingSpec], planAxes: [PlanAxis] = [], inCompare: @escaping @Sendable (Scenario) -> Bool = { _ in true },
        counters: [CounterSpec] = [], pool: (@Sendable (Scenario) -> Int?)? = nil, billing: @escaping @Sendable (Scenario) -> BillingRule,
        check: @escaping @Sendable (Scenario) throws(ScenarioError) -> Void = { _ throws(ScenarioError) in },
        make: @escaping @Sendable (Scenario) -> any ServingStrategy
    ) {
        self.kind = kind
        self.summary = summary
        self.settings = [.pool] + settings
        self.planAxes = planAxes
        self.inCompare = inCompare
        self.counters = counters
        self.pool = pool ?? { s in s.strategies[kind].pool }
        self.billing = billing
        self.check = check
        self.make = make
    }

    /// The declaration of `key`, if the strategy has it.
    public func setting(_ key: String) -> SettingSpec? { settings.first { $0.key == key } }
}

/// Every strategy swapsim knows, in the order outputs list them.
public enum StrategyRegistry {
    /// One line per strategy.
    public static let all: [StrategyDescriptor] = [
        AlwaysWarmStrategy.descriptor,
        ScaleToZeroStrategy.descriptor,
        HotSwapStrategy.descriptor,
        HybridStrategy.descriptor,
        PrewarmStrategy.descriptor,
    ]

    static func descriptor(of kind: StrategyKind) -> StrategyDescriptor {
        guard let d = all.first(where: { $0.kind.name == kind.name }) else { preconditionFailure("unregistered strategy \(kind.name)") }
        return d
    }
}
