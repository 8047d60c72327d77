import SwapSimCore

/// A finished capacity plan with what makes it reproducible: the scenario file and its hash,
/// the trace's content hash, the tool version and the command that reruns it.
///
/// The input of the plan's HTML page; its Markdown and JSON are the plan's own
/// (``PlanResult/markdown()``, ``PlanResult/json()``), byte-identical to `plan --format`.
public struct PlanReport: Sendable {
    public var result: PlanResult
    /// The scenario file as the user named it.
    public var scenarioPath: String
    public var scenarioText: String
    /// SHA-256 of ``scenarioText``.
    public var scenarioHash: String
    /// SHA-256 of the trace's content with the trace flags that shape it (the planner's cache key part).
    public var traceHash: String
    public var toolVersion: String
    /// The command line that reruns the plan.
    public var command: String

    public init(
        result: PlanResult, scenarioPath: String, scenarioText: String, scenarioHash: String, traceHash: String, toolVersion: String,
        command: String
    ) {
        self.result = result
        self.scenarioPath = scenarioPath
        self.scenarioText = scenarioText
        self.scenarioHash = scenarioHash
        self.traceHash = traceHash
        self.toolVersion = toolVersion
        self.command = command
    }
}
