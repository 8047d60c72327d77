/// A span of simulated time, in integer nanoseconds.
///
/// Simulation time never uses floating point: durations add exactly, and two runs with
/// the same inputs produce the same instants bit for bit. Doubles appear only at the
/// edges (reports), through ``seconds``.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The duration in nanoseconds.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimDuration(nanoseconds: 0)

    public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
    public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000) }
    public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000) }
    public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000_000) }
    public static func minutes(_ n: Int64) -> SimDuration { .seconds(n * 60) }
    public static func hours(_ n: Int64) -> SimDuration { .seconds(n * 3600) }

    /// The longest duration a scenario setting may take (a keep-alive, a start-up stage, a
    /// timeout): 10 years. Far beyond any real setting; it keeps `now + setting` within 64 bits
    /// for every instant up to ``SimInstant/limit``.
    public static let longestSetting = SimDuration(nanoseconds: 10 * SimInstant.secondsPerYear * 1_000_000_000)

    /// The duration closest to `seconds`, rounded to the nearest nanosecond.
    ///
    /// Used only where a figure arrives as a decimal (a scenario file, a fitted model).
    public init(seconds: Double) {
        self.init(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// The duration in seconds, for reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
    public static func + (a: SimDuration, b: SimDuration) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds + b.nanoseconds) }
    public static func - (a: SimDuration, b: SimDuration) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds) }
    public static func += (a: inout SimDuration, b: SimDuration) { a.nanoseconds += b.nanoseconds }
    public static func * (a: SimDuration, n: Int64) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds * n) }

    public var description: String { "\(nanoseconds)ns" }
}

/// A point in simulated time: nanoseconds since the start of the trace.
public struct SimInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the simulation's origin (the first request of the trace is at or after 0).
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The simulation's origin.
    public static let zero = SimInstant(nanoseconds: 0)

    /// The latest arrival a trace may have: 100 years (of 365.25 days).
    public static let latestArrival = SimInstant(nanoseconds: 100 * secondsPerYear * 1_000_000_000)

    /// The latest instant a simulation may reach: 200 years. Arrivals end by 100 years, so this
    /// leaves a century for a backlog to drain; a run that passes it stops with
    /// ``ScenarioError/simulatedTimeLimit(strategy:unfinished:)`` (the pool cannot keep up).
    /// 64-bit nanoseconds carry 292 years, so an instant up to this limit plus any duration a
    /// scenario may state (``SimDuration/longestSetting``) never overflows.
    public static let limit = SimInstant(nanoseconds: 200 * secondsPerYear * 1_000_000_000)

    /// ``latestArrival`` in words, for messages.
    public static let latestArrivalDescription = "100 years (3155760000 s)"

    /// Seconds in a year of 365.25 days.
    static let secondsPerYear: Int64 = 31_557_600

    /// Seconds since the origin, for reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (a: SimInstant, b: SimInstant) -> Bool { a.nanoseconds < b.nanoseconds }
    public static func + (a: SimInstant, d: SimDuration) -> SimInstant { SimInstant(nanoseconds: a.nanoseconds + d.nanoseconds) }
    public static func - (a: SimInstant, b: SimInstant) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds) }

    public var description: String { "t=\(nanoseconds)ns" }
}
