/// What one measured run did: its wall time (monotonic clock, the work only), the requests it
/// simulated or rows it read, the events its engine processed, and its process's peak RSS.
struct Measurement {
    var wallNanoseconds: UInt64
    /// CPU time over every thread of the child (the simulation and its trace's read-ahead); nil
    /// where the run does not report it.
    var cpuNanoseconds: UInt64?
    /// Requests simulated (or rows read, for the reader).
    var requests: Int
    /// Requests that completed (each keeps 28 B of exact-percentile samples); nil when not simulated.
    var completed: Int?
    /// Engine events; nil where the run does not report them (the reader, the planner).
    var events: Int?
    var peakRSSBytes: Int64
    /// Swap-ins, and requests that waited for one; nil where the run does not report them.
    var swapIns: Int?
    var requestsPayingSwapIn: Int?

    /// Bytes the simulator's exact percentiles need per completed request: TTFT, E2E and TPOT
    /// samples, one Int64 each, and the model of each TTFT (an Int32, for the per-model ones).
    static let percentileBytesPerRequest: Int64 = 28

    var wallSeconds: Double { Double(wallNanoseconds) / 1e9 }
    var cpuSeconds: Double? { cpuNanoseconds.map { Double($0) / 1e9 } }
    var requestsPerSecond: Double { Double(requests) / max(wallSeconds, 1e-9) }
    var eventsPerSecond: Double? { events.map { Double($0) / max(wallSeconds, 1e-9) } }
    var nanosecondsPerRequest: Double { Double(wallNanoseconds) / Double(max(requests, 1)) }
    /// Swap-ins per request simulated.
    var swapInsPerRequest: Double? { swapIns.map { Double($0) / Double(max(requests, 1)) } }
    /// What the exact percentiles hold at the end: 28 B per completed request.
    var percentileBytes: Int64? { completed.map { Int64($0) * Self.percentileBytesPerRequest } }
    /// Peak RSS less what the exact percentiles need: the part that should not grow with the trace.
    var residentBeyondPercentiles: Int64? { percentileBytes.map { peakRSSBytes - $0 } }

    /// From a child's figures.
    init(_ figures: [String: String], countKey: String = "requests") throws {
        guard let wall = figures["wall_ns"].flatMap({ UInt64($0) }), let n = figures[countKey].flatMap({ Int($0) }),
            let rss = figures["peak_rss_bytes"].flatMap({ Int64($0) })
        else { throw BenchError("a child's output lacks wall_ns, \(countKey) or peak_rss_bytes: \(figures)") }
        wallNanoseconds = wall
        cpuNanoseconds = figures["cpu_ns"].flatMap { UInt64($0) }
        requests = n
        completed = figures["completed"].flatMap { Int($0) }
        events = figures["events"].flatMap { Int($0) }
        swapIns = figures["swap_ins"].flatMap { Int($0) }
        requestsPayingSwapIn = figures["requests_paying_swap_in"].flatMap { Int($0) }
        peakRSSBytes = rss
    }
}
