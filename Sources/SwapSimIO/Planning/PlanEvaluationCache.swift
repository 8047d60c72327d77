/// What a planner evaluation's result depends on: the key under which it is cached.
///
/// Two evaluations with equal keys give identical results, so a cached one may stand in for
/// running the simulation again (a re-run, a widened search, or a shard merged from elsewhere).
public struct PlanEvaluationKey: Hashable, Sendable {
    /// SHA-256 of the base scenario's text.
    public var scenarioHash: String
    /// SHA-256 of the trace's content together with the trace-input options that shape it.
    public var traceHash: String
    /// The configuration in canonical text (every field, fixed order and units).
    public var configuration: String
    /// The seed of the replication.
    public var seed: UInt64

    public init(scenarioHash: String, traceHash: String, configuration: String, seed: UInt64) {
        self.scenarioHash = scenarioHash
        self.traceHash = traceHash
        self.configuration = configuration
        self.seed = seed
    }
}

/// Somewhere planner evaluations persist between runs: the results store.
///
/// The evaluation is kept as the planner's own JSON text, so the store need not know its shape.
/// Conformers must be safe to call from several threads at once.
public protocol PlanEvaluationCache: Sendable {
    /// The evaluation stored under `key`, or nil when there is none.
    func evaluation(forKey key: PlanEvaluationKey) throws -> String?
    /// Stores `json` under `key`, replacing any evaluation stored there.
    func storeEvaluation(_ json: String, forKey key: PlanEvaluationKey) throws
}
