import SwapSimCore

/// Everything one harness run measured, by workload; a workload not run is nil.
struct BenchResults {
    var machine: Machine
    var scale: Double
    var w1: SimulationWorkload?
    var w2: SimulationWorkload?
    var w3: PlanWorkload?
    var w4: SimulationWorkload?
    var reader: ReaderWorkload?
    var scaling: ScalingWorkload?
    var modelScaling: ModelScalingWorkload?
}

/// The outcome of one measured run: its figures, or why the child failed.
typealias RunOutcome = Result<Measurement, BenchError>

/// W1 or W2: every strategy over one streamed trace.
struct SimulationWorkload {
    var name: String
    var summary: String
    var trace: TraceFile
    var runs: [StrategyRuns]

    /// Rounds each strategy ran (``StrategyRuns/rounds``; 1 unless `--rounds`).
    var rounds: Int { runs.map(\.rounds.count).max() ?? 1 }
}

/// One strategy's runs of a workload: the one reported (the median of its rounds) and every round's.
struct StrategyRuns {
    var strategy: StrategyKind
    var outcome: RunOutcome
    /// Every round's run, in the order they ran (one for a single round).
    var rounds: [RunOutcome]

    /// The median run by wall time (of an even count, the slower of the middle two); a failed
    /// round is reported instead, so that a failure is never hidden behind a median.
    static func median(of outcomes: [RunOutcome]) -> RunOutcome {
        var measured: [Measurement] = []
        for o in outcomes {
            switch o {
            case let .success(m): measured.append(m)
            case .failure: return o
            }
        }
        measured.sort { $0.wallNanoseconds < $1.wallNanoseconds }
        return .success(measured[measured.count / 2])
    }

    /// The requests per second of each round that succeeded, in the order they ran.
    var roundRates: [Double] {
        rounds.compactMap { if case let .success(m) = $0 { m.requestsPerSecond } else { nil } }
    }
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

/// The swap-heavy strategies over the first 20, 200 and 1,000 models of W4's scenario, each on
/// W1's day over those models.
struct ModelScalingWorkload {
    var traces: [(models: Int, file: TraceFile)]
    /// Per strategy and model count, the median run and every round's (``StrategyRuns``).
    var runs: [(strategy: StrategyKind, outcomes: [StrategyRuns])]
    var rounds: Int
}

/// The issues' targets (release build, one core per simulation).
enum Targets {
    static let w1RequestsPerSecond = 1_000_000.0
    /// W4 (issue 16): swap-heavy, hot-swap and hybrid.
    static let w4RequestsPerSecond = 1_000_000.0
    static let w4PeakRSSBytes: Int64 = 1 << 30
    /// W4 is swap-heavy when at least this share of its requests causes a swap-in.
    static let w4SwapInsPerRequest = 1.0 / 3
    /// The model series is flat when ns per request at 1,000 models is within this factor of 20's.
    static let modelScalingFactor = 2.0
    static let w2PeakRSSBytes: Int64 = 1 << 30
    static let w3WallSeconds = 60.0
    static let readerMegabytesPerSecond = 200.0
}
