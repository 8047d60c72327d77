import Foundation
import SwapSimCore

/// Parses quantities with units, as written in scenario files: `16GiB`, `25GB/s`, `500ms`.
///
/// Every size, rate and duration must carry its unit: a bare `16` is an error, because
/// "16 what?" is exactly the mistake these files invite. Decimal (`GB`) and binary (`GiB`)
/// prefixes are both accepted and mean what they say.
public enum UnitParser {
    /// Why a quantity did not parse; the message says what was expected.
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
    }

    static func split(_ text: String) -> (number: Double, unit: String)? {
        let t = text.trimmingWhitespace()
        var end = t.startIndex
        for (i, c) in zip(t.indices, t) {
            if c.isNumber || c == "." || c == "e" && i != t.startIndex && t[t.index(before: i)].isNumber
                || (c == "-" || c == "+") && (i == t.startIndex || t[t.index(before: i)] == "e")
            {
                end = t.index(after: i)
            } else { break }
        }
        guard end != t.startIndex, let n = Double(t[..<end]), n.isFinite else { return nil }
        return (n, String(t[end...]).trimmingWhitespace())
    }

    static let sizeUnits: [(String, Double)] = [
        ("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]

    /// A size such as `16GiB`, `14.5GB`, `512MiB`.
    public static func bytes(_ text: String) throws(Failure) -> ByteCount {
        guard let (n, unit) = split(text), let scale = sizeUnits.first(where: { $0.0 == unit })?.1 else {
            throw Failure(message: "expected a size with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), like 16GiB or 14.5GB; got '\(text)'")
        }
        guard n >= 0 else { throw Failure(message: "a size cannot be negative; got '\(text)'") }
        guard n * scale < 9e18 else { throw Failure(message: "a size above 8 EB is not supported; got '\(text)'") }
        return ByteCount(bytes: Int64((n * scale).rounded()))
    }

    /// A rate such as `25GB/s`, `900GiB/s` or `200Gbit/s`.
    public static func bandwidth(_ text: String) throws(Failure) -> Bandwidth {
        let fail = Failure(message: "expected a rate with a unit per second (e.g. 25GB/s, 12.5GiB/s, 200Gbit/s); got '\(text)'")
        guard let (n, unit) = split(text), unit.hasSuffix("/s") else { throw fail }
        let base = String(unit.dropLast(2))
        var scale: Double
        if let s = sizeUnits.first(where: { $0.0 == base })?.1 {
            scale = s
        } else if let s = [("bit", 0.125), ("Kbit", 125.0), ("Mbit", 125e3), ("Gbit", 125e6), ("Tbit", 125e9), ("Gb", 125e6), ("Mb", 125e3)]
            .first(where: { $0.0 == base })?.1
        {
            scale = s
        } else { throw fail }
        guard n > 0 else { throw Failure(message: "a rate must be positive; got '\(text)'") }
        scale *= n
        return Bandwidth(bytesPerSecond: scale)
    }

    /// A duration, or `never` (nil): hot-swap's `idle_timeout`, in a scenario and as a plan
    /// value alike, is read here and nowhere else.
    public static func durationOrNever(_ text: String) throws(Failure) -> SimDuration? {
        text == "never" ? nil : try duration(text)
    }

    /// A duration such as `500ms`, `5m`, `1.5h`, `10us`.
    public static func duration(_ text: String) throws(Failure) -> SimDuration {
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("min", 60e9), ("h", 3600e9), ("d", 86400e9),
        ]
        guard let (n, unit) = split(text), let scale = units.first(where: { $0.0 == unit })?.1 else {
            throw Failure(message: "expected a duration with a unit (ns, us, ms, s, m, h), like 500ms or 5m; got '\(text)'")
        }
        guard n >= 0 else { throw Failure(message: "a duration cannot be negative; got '\(text)'") }
        guard n * scale < 9e18 else { throw Failure(message: "a duration above 290 years is not supported; got '\(text)'") }
        return SimDuration(nanoseconds: Int64((n * scale).rounded()))
    }

    /// A compute rate such as `989TFLOPS` or `989TFLOP/s`.
    public static func flops(_ text: String) throws(Failure) -> FlopRate {
        guard let (n, unit) = split(text), n > 0 else {
            throw Failure(message: "expected a compute rate like 989TFLOPS; got '\(text)'")
        }
        let u = unit.replacingOccurrences(of: "FLOP/s", with: "FLOPS")
        let scales: [(String, Double)] = [("FLOPS", 1), ("GFLOPS", 1e9), ("TFLOPS", 1e12), ("PFLOPS", 1e15)]
        guard let s = scales.first(where: { $0.0 == u })?.1 else {
            throw Failure(message: "expected a compute rate like 989TFLOPS; got '\(text)'")
        }
        return FlopRate(flopsPerSecond: n * s)
    }

    /// A count with an optional suffix: `8030261248`, `8.03B`, `70M`.
    public static func count(_ text: String) throws(Failure) -> Int64 {
        guard let (n, unit) = split(text), n > 0 else { throw Failure(message: "expected a positive count like 8.03B; got '\(text)'") }
        let scales: [(String, Double)] = [("", 1), ("K", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)]
        guard let s = scales.first(where: { $0.0 == unit })?.1 else {
            throw Failure(message: "expected a count like 8030261248 or 8.03B; got '\(text)'")
        }
        guard n * s < 9e18 else { throw Failure(message: "a count above 9e18 is not supported; got '\(text)'") }
        return Int64((n * s).rounded())
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
