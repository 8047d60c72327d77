import SwapSimCore
import SwapSimIO
import Testing

@Suite struct UnitParserTests {
    struct Accepted: CustomTestStringConvertible, Sendable {
        var text: String
        var value: Int64
        var testDescription: String { "'\(text)'" }
    }

    @Test(arguments: [
        Accepted(text: "16GiB", value: 17_179_869_184),
        Accepted(text: "14.5GB", value: 14_500_000_000),
        Accepted(text: "512MiB", value: 536_870_912),
        Accepted(text: "1TiB", value: 1_099_511_627_776),
        Accepted(text: "0B", value: 0),
        Accepted(text: "1536MiB", value: 1_610_612_736),
        Accepted(text: " 2 KB ", value: 2_000),
    ])
    func sizes(_ c: Accepted) throws {
        #expect(try UnitParser.bytes(c.text) == ByteCount(bytes: c.value))
    }

    @Test(arguments: [
        Accepted(text: "25GB/s", value: 25_000_000_000),
        Accepted(text: "12.5GiB/s", value: 13_421_772_800),
        Accepted(text: "200Gbit/s", value: 25_000_000_000),
        Accepted(text: "900MB/s", value: 900_000_000),
    ])
    func rates(_ c: Accepted) throws {
        #expect(try UnitParser.bandwidth(c.text).bytesPerSecond == Double(c.value))
    }

    @Test(arguments: [
        Accepted(text: "500ms", value: 500_000_000),
        Accepted(text: "5m", value: 300_000_000_000),
        Accepted(text: "1.5h", value: 5_400_000_000_000),
        Accepted(text: "10us", value: 10_000),
        Accepted(text: "0s", value: 0),
        Accepted(text: "250ns", value: 250),
        Accepted(text: "2min", value: 120_000_000_000),
    ])
    func durations(_ c: Accepted) throws {
        #expect(try UnitParser.duration(c.text) == SimDuration(nanoseconds: c.value))
    }

    @Test(arguments: [
        Accepted(text: "8.03B", value: 8_030_000_000),
        Accepted(text: "70M", value: 70_000_000),
        Accepted(text: "8030261248", value: 8_030_261_248),
    ])
    func counts(_ c: Accepted) throws {
        #expect(try UnitParser.count(c.text) == c.value)
    }

    enum Kind: String, Sendable { case size, rate, duration, count }

    struct Rejected: CustomTestStringConvertible, Sendable {
        var kind: Kind
        var text: String
        /// What the message must say was expected.
        var expected: String
        var testDescription: String { "\(kind.rawValue) '\(text)'" }
    }

    @Test(arguments: [
        // Bare numbers: "16 what?"
        Rejected(kind: .size, text: "16", expected: "expected a size with a unit"),
        Rejected(kind: .rate, text: "25", expected: "expected a rate with a unit per second"),
        Rejected(kind: .duration, text: "5", expected: "expected a duration with a unit"),
        // Unknown units.
        Rejected(kind: .size, text: "16 gigs", expected: "expected a size with a unit"),
        Rejected(kind: .size, text: "16Gb", expected: "expected a size with a unit"),
        Rejected(kind: .rate, text: "25GB", expected: "expected a rate with a unit per second"),
        Rejected(kind: .rate, text: "25furlongs/s", expected: "expected a rate with a unit per second"),
        Rejected(kind: .duration, text: "2 fortnights", expected: "expected a duration with a unit"),
        Rejected(kind: .count, text: "70X", expected: "expected a count like"),
        // Negative (or, for rates and counts, non-positive) values.
        Rejected(kind: .size, text: "-5GiB", expected: "a size cannot be negative"),
        Rejected(kind: .rate, text: "-1GB/s", expected: "a rate must be positive"),
        Rejected(kind: .rate, text: "0GB/s", expected: "a rate must be positive"),
        Rejected(kind: .duration, text: "-5s", expected: "a duration cannot be negative"),
        Rejected(kind: .count, text: "-3M", expected: "expected a positive count"),
        // Not numbers at all.
        Rejected(kind: .size, text: "GiB", expected: "expected a size with a unit"),
        Rejected(kind: .duration, text: "", expected: "expected a duration with a unit"),
        Rejected(kind: .count, text: "many", expected: "expected a positive count"),
    ])
    func rejectsWithMessageNamingWhatWasExpected(_ c: Rejected) {
        let failure: UnitParser.Failure?
        switch c.kind {
        case .size: failure = #expect(throws: UnitParser.Failure.self) { try UnitParser.bytes(c.text) }
        case .rate: failure = #expect(throws: UnitParser.Failure.self) { try UnitParser.bandwidth(c.text) }
        case .duration: failure = #expect(throws: UnitParser.Failure.self) { try UnitParser.duration(c.text) }
        case .count: failure = #expect(throws: UnitParser.Failure.self) { try UnitParser.count(c.text) }
        }
        #expect(failure?.message.contains(c.expected) == true, "\(failure?.message ?? "no error")")
        #expect(failure?.message.contains("'\(c.text)'") == true, "the message quotes the input: \(failure?.message ?? "no error")")
    }

    // Values too large for Int64 nanoseconds or bytes must be a clear error, not a trap. These
    // run in a child process (exit tests) because the failure mode is a crash.

    @Test func hugeSizeIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try UnitParser.bytes("1e30GB")
            } catch {}
        }
    }

    @Test func hugeDurationIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try UnitParser.duration("1e12h")
            } catch {}
        }
    }

    @Test func hugeCountIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try UnitParser.count("1e30B")
            } catch {}
        }
    }
}
