#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's own clock and memory figures, as the harness measures them.
enum ProcessMeter {
    /// Nanoseconds on the monotonic clock (`CLOCK_MONOTONIC`): differences are wall time,
    /// unaffected by changes to the wall clock.
    static func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The peak resident set size of this process so far, in bytes (`getrusage(RUSAGE_SELF)`;
    /// Linux reports kibibytes, macOS bytes).
    static func peakResidentBytes() -> Int64 {
        #if os(Linux)
            return Int64(usage().ru_maxrss) * 1024
        #else
            return Int64(usage().ru_maxrss)
        #endif
    }

    /// CPU time this process has used so far, every thread, user and system (`getrusage`).
    static func cpuNanoseconds() -> UInt64 {
        let u = usage()
        func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }
        return ns(u.ru_utime) + ns(u.ru_stime)
    }

    /// This process's resource usage so far (`getrusage(RUSAGE_SELF)`).
    private static func usage() -> rusage {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }
}
