import SwapSimCore

/// Everything one harness run measured, by workload; a workload not run is nil.
struct BenchResults {
    var machine: Machine
    var scale: Double
    var w1: SimulationWorkload?
    var w2: SimulationWorkload?
    var w3: PlanWorkload?
    var reader: ReaderWorkload?
    var scaling: ScalingWorkload?
}

/// The outcome of one measured run: its figures, or why the child failed.
typealias RunOutcome = Result<Measurement, BenchError>

/// W1 or W2: every strategy over one streamed trace.
struct SimulationWorkload {
    var name: String
    var summary: String
    var trace: TraceFile
    var runs: [(strategy: StrategyKind, outcome: RunOutcome)]
}

/// W3: a plan over the 100k trace on every core.
struct PlanWorkload {
    var summary: String
    var trace: TraceFile
    var threads: Int
    var outcome: Result<(measurement: Measurement, figures: [String: String]), BenchError>
}

/// The native CSV reader alone over the W2 file, and the full trace input for comparison.
struct ReaderWorkload {
    var trace: TraceFile
    var rows: RunOutcome
    var requests: RunOutcome
}

/// Each strategy at 100k, 1M and 10M requests.
struct ScalingWorkload {
    var traces: [(label: String, file: TraceFile)]
    var runs: [(strategy: StrategyKind, outcomes: [RunOutcome])]
}

/// The targets (release build, one core per simulation).
enum Targets {
    static let w1RequestsPerSecond = 1_000_000.0
    static let w2PeakRSSBytes: Int64 = 1 << 30
    static let w3WallSeconds = 60.0
    static let readerMegabytesPerSecond = 200.0
}
