import Synchronization
import SwapSimCore

/// Runs strategies over a trace file, one simulation per strategy, in parallel.
public enum Runner {
    /// Simulates each strategy over the trace at `tracePath`, read as `input` says, each
    /// strategy with its own streamed reader, on up to `threads` threads. Results come back in
    /// the order of `strategies`, identical for any thread count, with what reading the trace
    /// did (from the first strategy's reader: every reader reads the same).
    ///
    /// With `recordRequests`, each result keeps every request's outcome (for `--store-requests`).
    ///
    /// `progress`, when given, is called every 65,536 requests from the simulating threads with
    /// the bytes read so far summed over every strategy's reader and their total (nil when the
    /// source does not know its size, as a ServeGen replay), and the requests read so far.
    ///
    /// A strategy that cannot run on the scenario (always-warm's replicas do not fit, say) comes
    /// back as a failure beside the others' results.
    /// - Throws: any other error (a bad trace row), that of the first strategy in order that hit one.
    public static func run(
        scenario: Scenario, tracePath: String, input: TraceInputOptions = TraceInputOptions(),
        strategies: [StrategyKind], threads: Int = FanOut.defaultThreads, recordRequests: Bool = false,
        progress: (@Sendable (_ done: Int64, _ total: Int64?, _ requests: Int64) -> Void)? = nil
    ) throws -> (outcomes: [Result<StrategyResult, ScenarioError>], trace: TraceInputReport) {
        let names = scenario.models.map(\.name)
        // Open once up front so a missing file, a bad header or an empty trace fails before any work starts.
        let probe = try TraceInput(path: tracePath, options: input, models: names)
        guard try probe.next() != nil else { throw TraceError.noRequests(file: tracePath) }
        let tally = progress.map { ReadTally(readers: strategies.count, total: probe.progress?.total, report: $0) }
        let results = FanOut.map(count: strategies.count, threads: threads) { i -> StrategyOutcome in
            do {
                let reader = try TraceInput(path: tracePath, options: input, models: names)
                // Parsed on a thread of its own while the strategy simulates (ReadAheadSource);
                // the reader's report is read once the simulation has drained it.
                let source: any RequestSource = tally.map { CountingSource(reader: reader, slot: i, tally: $0) } ?? reader
                let result = try simulate(
                    scenario: scenario, strategy: strategies[i], requests: ReadAheadSource(source), recordRequests: recordRequests)
                return .success((result, reader.report))
            } catch {
                return .failure(error)
            }
        }
        var report: TraceInputReport? = nil
        let outcomes = try results.map { r throws -> Result<StrategyResult, ScenarioError> in
            switch r {
            case let .success((v, rep)):
                if report == nil { report = rep }
                return .success(v)
            case let .failure(e as ScenarioError): return .failure(e)
            case let .failure(e): throw e
            }
        }
        if report == nil {
            // Every strategy was infeasible: read the trace once for its report.
            let reader = try TraceInput(path: tracePath, options: input, models: names)
            while try reader.nextRequest() != nil {}
            report = reader.report
        }
        return (outcomes, report!)
    }
}

/// A trace reader that reports to a ``ReadTally`` every 65,536 requests.
struct CountingSource: RequestSource {
    let reader: TraceInput
    let slot: Int
    let tally: ReadTally
    var count: Int64 = 0

    mutating func next() throws -> TraceRequest? {
        let r = try reader.nextRequest()
        if r != nil { count += 1 }
        if r == nil || count & 0xFFFF == 0 { tally.record(slot: slot, progress: reader.progress, requests: count) }
        return r
    }
}

/// Bytes and requests read by each strategy's reader, summed for one progress report.
final class ReadTally: Sendable {
    private struct Slot { var done: Int64 = 0; var total: Int64?; var requests: Int64 = 0 }
    private let slots: Mutex<[Slot]>
    private let report: @Sendable (Int64, Int64?, Int64) -> Void

    /// A tally over `readers` readers of a file of `total` bytes (nil: not known).
    init(readers: Int, total: Int64?, report: @escaping @Sendable (Int64, Int64?, Int64) -> Void) {
        slots = Mutex(Array(repeating: Slot(total: total), count: readers))
        self.report = report
    }

    func record(slot: Int, progress: (done: Int64, total: Int64)?, requests: Int64) {
        let (done, total, n) = slots.withLock { s -> (Int64, Int64?, Int64) in
            s[slot].requests = requests
            if let progress { s[slot].done = progress.done; s[slot].total = progress.total }
            let known = s.allSatisfy { $0.total != nil }
            return (s.reduce(0) { $0 + $1.done }, known ? s.reduce(0) { $0 + ($1.total ?? 0) } : nil, s.reduce(0) { $0 + $1.requests })
        }
        report(done, total, n)
    }
}

/// What one strategy's simulation gave: its result and what reading the trace did, or an error.
typealias StrategyOutcome = Result<(StrategyResult, TraceInputReport), any Error>
