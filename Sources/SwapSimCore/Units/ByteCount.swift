/// A number of bytes: memory sizes, weights, transfer volumes.
public struct ByteCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The count in bytes.
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public static let zero = ByteCount(bytes: 0)

    public static func bytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n) }
    public static func kibibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 10) }
    public static func mebibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 20) }
    public static func gibibytes(_ n: Int64) -> ByteCount { ByteCount(bytes: n << 30) }
    public static func gigabytes(_ n: Double) -> ByteCount { ByteCount(bytes: Int64((n * 1e9).rounded())) }

    /// The size in GiB, for reports.
    public var gibibytes: Double { Double(bytes) / 1_073_741_824 }

    public static func < (a: ByteCount, b: ByteCount) -> Bool { a.bytes < b.bytes }
    public static func + (a: ByteCount, b: ByteCount) -> ByteCount { ByteCount(bytes: a.bytes + b.bytes) }
    public static func - (a: ByteCount, b: ByteCount) -> ByteCount { ByteCount(bytes: a.bytes - b.bytes) }
    public static func += (a: inout ByteCount, b: ByteCount) { a.bytes += b.bytes }
    public static func -= (a: inout ByteCount, b: ByteCount) { a.bytes -= b.bytes }
    public static func * (a: ByteCount, n: Int64) -> ByteCount { ByteCount(bytes: a.bytes * n) }
    /// Splits the count into `n` (at least 1) equal shares, rounding up (each tensor-parallel
    /// shard). Never overflows: `(bytes + n − 1) / n` did for an `n` near 2^63 (a fuzzed
    /// `tensor_parallel`, named in an error message before validation refused it).
    public func divided(into n: Int) -> ByteCount {
        precondition(n >= 1, "a count divides into at least one share")
        let d = Int64(n)
        return ByteCount(bytes: bytes / d + (bytes % d > 0 ? 1 : 0))
    }

    public var description: String {
        let g = gibibytes
        if g >= 1 { return "\(Fixed.format(g, decimals: 2)) GiB" }
        return "\(Fixed.format(Double(bytes) / 1_048_576, decimals: 1)) MiB"
    }
}

/// A transfer or memory rate in bytes per second.
public struct Bandwidth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The rate in bytes per second.
    public var bytesPerSecond: Double

    public init(bytesPerSecond: Double) { self.bytesPerSecond = bytesPerSecond }

    /// Decimal gigabytes per second (10^9 B/s), the unit vendors quote.
    public static func gigabytesPerSecond(_ n: Double) -> Bandwidth { Bandwidth(bytesPerSecond: n * 1e9) }
    public static func terabytesPerSecond(_ n: Double) -> Bandwidth { Bandwidth(bytesPerSecond: n * 1e12) }

    public var gigabytesPerSecond: Double { bytesPerSecond / 1e9 }

    /// The time to move `bytes` at this rate, rounded up to the next nanosecond.
    public func time(toMove bytes: ByteCount) -> SimDuration {
        SimDuration(nanoseconds: Int64((Double(bytes.bytes) / bytesPerSecond * 1e9).rounded(.up)))
    }

    public static func < (a: Bandwidth, b: Bandwidth) -> Bool { a.bytesPerSecond < b.bytesPerSecond }

    public var description: String { "\(Fixed.format(gigabytesPerSecond, decimals: 1)) GB/s" }
}

/// A floating-point throughput in operations per second (dense bf16 FLOP/s).
public struct FlopRate: Hashable, Sendable {
    /// Floating-point operations per second.
    public var flopsPerSecond: Double
    public init(flopsPerSecond: Double) { self.flopsPerSecond = flopsPerSecond }
    public static func teraflops(_ n: Double) -> FlopRate { FlopRate(flopsPerSecond: n * 1e12) }
}

/// An amount of money in US dollars.
public struct Dollars: Hashable, Comparable, Sendable {
    /// The amount in dollars.
    public var amount: Double
    public init(_ amount: Double) { self.amount = amount }
    public static func < (a: Dollars, b: Dollars) -> Bool { a.amount < b.amount }
}
