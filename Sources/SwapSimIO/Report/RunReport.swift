import SwapSimCore

/// Everything a report shows about one run: the results and what makes them reproducible.
///
/// Built either from a live run (`compare --report`) or read back from the results store
/// (`swapsim report`); the renderers take only this value, so both give the same bytes.
/// Nothing in it depends on when or where the run happened (no timestamps, no run ids).
public struct RunReport: Sendable {
    /// The per-strategy results, infeasible strategies, scenario name, trace as shown, seed.
    public var summary: RunSummary
    /// The scenario file as given on the command line.
    public var scenarioPath: String
    /// The scenario file's text, exactly.
    public var scenarioText: String
    /// SHA-256 of ``scenarioText``.
    public var scenarioHash: String
    /// SHA-256 of the trace's content (see ``SHA256/hex(traceAt:)``).
    public var traceHash: String
    /// Version of the swapsim that ran it.
    public var toolVersion: String
    /// A command that runs it again (without output, store or report options).
    public var command: String
    /// The scenario's model names, in scenario order: what model indices in results refer to.
    public var modelNames: [String]
    /// Catalogue name of the cluster's GPU.
    public var gpuName: String
    /// Memory of one GPU: the top of the memory charts.
    public var gpuMemory: ByteCount

    public init(
        summary: RunSummary, scenarioPath: String, scenarioText: String, scenarioHash: String, traceHash: String,
        toolVersion: String, command: String, modelNames: [String], gpuName: String, gpuMemory: ByteCount
    ) {
        self.summary = summary
        self.scenarioPath = scenarioPath
        self.scenarioText = scenarioText
        self.scenarioHash = scenarioHash
        self.traceHash = traceHash
        self.toolVersion = toolVersion
        self.command = command
        self.modelNames = modelNames
        self.gpuName = gpuName
        self.gpuMemory = gpuMemory
    }

    /// The name of model `index`, or a placeholder when the index is out of range.
    public func modelName(_ index: Int?) -> String {
        guard let i = index else { return "runtime reservations" }
        return modelNames.indices.contains(i) ? modelNames[i] : "model \(i)"
    }
}
