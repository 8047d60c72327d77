import SwapSimCore
import Testing

/// The streaming trace statistics behind `swapsim trace inspect`: hand-computed fixtures where
/// every figure is known, and a randomised check that the histogram quantiles stay within their
/// stated bounds of exact quantiles.
@Suite struct TraceStatisticsTests {
    static func request(_ seconds: Double, _ model: Int, input: Int32 = 100, output: Int32 = 10) -> TraceRequest {
        TraceRequest(arrival: SimInstant(nanoseconds: Int64((seconds * 1e9).rounded())), model: model, inputTokens: input, outputTokens: output)
    }

    static func summarise(_ requests: [TraceRequest], models: [String]) -> TraceSummary {
        var stats = TraceStatistics(modelCount: models.count)
        for r in requests { stats.add(r) }
        return stats.summary(modelNames: models)
    }

    /// Seven requests over two models, starting at 3 s (offsets 0, 5, 10, 20, 65, 100, 200 s):
    /// a at 3, 13, 23, 103 s (gaps 10, 10, 80 s); b at 8, 68, 203 s (gaps 60, 135 s); c never.
    static let fixture: [TraceRequest] = [
        request(3, 0, input: 100, output: 1),
        request(8, 1, input: 200, output: 2),
        request(13, 0, input: 300, output: 3),
        request(23, 0, input: 400, output: 4),
        request(68, 1, input: 500, output: 5),
        request(103, 0, input: 600, output: 6),
        request(203, 1, input: 700, output: 7),
    ]
    static let fixtureModels = ["a", "b", "c"]

    /// |reported − exact| ≤ exact · 2^−bits, in integers.
    static func within(_ reported: Int64, _ exact: Int64, bits: Int) -> Bool {
        (reported - exact).magnitude << UInt64(bits) <= exact.magnitude
    }

    // MARK: Hand-computed fixtures

    @Test func totalsSpanAndRates() {
        let s = Self.summarise(Self.fixture, models: Self.fixtureModels)
        #expect(s.rows == 7)
        #expect(s.firstArrival == SimInstant(nanoseconds: 3_000_000_000))
        #expect(s.lastArrival == SimInstant(nanoseconds: 203_000_000_000))
        #expect(s.span == .seconds(200))
        #expect(s.meanPerMinute == 2.1)  // 7 requests over 200 s
        // Windows from the first arrival: offsets 0, 5, 10, 20 | 65, 100 | — | 200.
        #expect(s.peakPerMinute == 4)
        #expect(s.peakMinuteStart == .zero)
        #expect(s.gapThresholds == [.seconds(30), .minutes(1), .minutes(5), .minutes(15)])
    }

    @Test func interArrivalGapsOverAllModels() throws {
        let s = Self.summarise(Self.fixture, models: Self.fixtureModels)
        let g = try #require(s.interArrival)
        // Gaps 5, 5, 10, 45, 35, 100 s.
        let gaps: [Double] = [5, 5, 10, 45, 35, 100]
        let mean = gaps.reduce(0, +) / 6
        let sd = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6).squareRoot()
        #expect(g.count == 6)
        #expect(g.mean == .nanoseconds(33_333_333_333))
        #expect(abs(try #require(g.cv) - sd / mean) < 1e-12)
        #expect(g.min == .seconds(5))
        #expect(g.max == .seconds(100))
        #expect(g.longerThan.map(\.count) == [3, 1, 0, 0])
        #expect(g.longerThan.map(\.share) == [0.5, 1.0 / 6, 0, 0])
        // Nearest rank: p50 is rank 3 (10 s), p90 and p99 rank 6 (100 s, the exact maximum).
        #expect(Self.within(g.p50.nanoseconds, 10_000_000_000, bits: 7))
        #expect(g.p90 == .seconds(100))
        #expect(g.p99 == .seconds(100))
    }

    @Test func perModelCountsAndIdleGaps() throws {
        let s = Self.summarise(Self.fixture, models: Self.fixtureModels)
        #expect(s.models.map(\.name) == ["a", "b", "c"])
        #expect(s.models.map(\.index) == [0, 1, 2])
        #expect(s.models.map(\.requests) == [4, 3, 0])
        #expect(s.models.map(\.share) == [4.0 / 7, 3.0 / 7, 0])
        let perMinute: [Double?] = [1.2, 0.9, 0]  // 4 and 3 requests over 200 s
        #expect(s.models.map(\.meanPerMinute) == perMinute)

        let a = s.models[0]
        #expect(a.firstArrival == SimInstant(nanoseconds: 3_000_000_000))
        #expect(a.lastArrival == SimInstant(nanoseconds: 103_000_000_000))
        let ga = try #require(a.idleGaps)
        #expect(ga.count == 3)
        #expect(ga.min == .seconds(10))
        #expect(ga.max == .seconds(80))
        #expect(ga.mean == .nanoseconds(33_333_333_333))
        #expect(Self.within(ga.p50.nanoseconds, 10_000_000_000, bits: 7))
        #expect(ga.p90 == .seconds(80))
        #expect(ga.longerThan.map(\.count) == [1, 1, 0, 0])

        let b = s.models[1]
        let gb = try #require(b.idleGaps)
        // Gaps 60 and 135 s: a gap of exactly 1 min is not longer than 1 min.
        #expect(gb.count == 2)
        #expect(gb.min == .seconds(60))
        #expect(gb.max == .seconds(135))
        #expect(gb.mean == .nanoseconds(97_500_000_000))
        #expect(gb.longerThan.map(\.count) == [2, 1, 0, 0])
        #expect(gb.longerThan.map(\.share) == [1, 0.5, 0, 0])
        // Population CV of {60, 135}: sd 37.5, mean 97.5.
        #expect(abs(try #require(gb.cv) - 37.5 / 97.5) < 1e-12)

        let c = s.models[2]
        #expect(c.firstArrival == nil && c.lastArrival == nil && c.idleGaps == nil)
    }

    @Test func tokenLengthsBelowTheExactLimitAreExact() throws {
        let s = Self.summarise(Self.fixture, models: Self.fixtureModels)
        let input = try #require(s.inputTokens)
        #expect(input == TraceSummary.Tokens(min: 100, mean: 400, p50: 400, p90: 700, p99: 700, max: 700, total: 2_800))
        let output = try #require(s.outputTokens)
        #expect(output == TraceSummary.Tokens(min: 1, mean: 4, p50: 4, p90: 7, p99: 7, max: 7, total: 28))
    }

    @Test func tokenPercentilesOfOneToHundredAreTheirRanks() throws {
        let requests = (1...100).map { Self.request(Double($0), 0, input: Int32(101 - $0), output: Int32($0 * 20)) }
        let s = Self.summarise(requests, models: ["m"])
        let input = try #require(s.inputTokens)
        #expect([input.min, input.p50, input.p90, input.p99, input.max] == [1, 50, 90, 99, 100])
        let output = try #require(s.outputTokens)
        // 20…2,000, all below 2,048: exact.
        #expect([output.p50, output.p90, output.p99, output.max] == [1_000, 1_800, 1_980, 2_000])
        #expect(output.mean == 1_010)
    }

    // MARK: Coefficient of variation

    @Test func constantScheduleHasZeroCV() throws {
        let requests = (0..<1_000).map { Self.request(1.5 * Double($0) + 0.25, $0 % 2) }
        let s = Self.summarise(requests, models: ["even", "odd"])
        let g = try #require(s.interArrival)
        #expect(g.cv == 0)
        #expect(g.mean == .milliseconds(1_500))
        #expect(g.p50 == .milliseconds(1_500) && g.max == .milliseconds(1_500))
        for m in s.models {
            let idle = try #require(m.idleGaps)
            #expect(idle.cv == 0)
            #expect(idle.count == 499)
            #expect(idle.mean == .seconds(3))
        }
    }

    /// Gaps alternating 1 s and 3 s: mean 2 s, standard deviation 1 s, CV exactly 0.5.
    @Test func twoValueScheduleHasCVOneHalf() throws {
        var t = 0.0
        var requests: [TraceRequest] = []
        for i in 0...2_000 {
            requests.append(Self.request(t, 0))
            t += i % 2 == 0 ? 1 : 3
        }
        let s = Self.summarise(requests, models: ["m"])
        let g = try #require(s.interArrival)
        #expect(g.count == 2_000)
        #expect(g.cv == 0.5)
        #expect(g.mean == .seconds(2))
        #expect(g.min == .seconds(1) && g.max == .seconds(3))
        #expect(try #require(s.models[0].idleGaps).cv == 0.5)
    }

    @Test func cvOfSimultaneousArrivalsIsUndefined() throws {
        let s = Self.summarise([Self.request(5, 0), Self.request(5, 0), Self.request(5, 0)], models: ["m"])
        let g = try #require(s.interArrival)
        #expect(g.cv == nil)
        #expect(g.max == .zero)
        #expect(s.meanPerMinute == nil)
        #expect(s.peakPerMinute == 3)
    }

    // MARK: Per-minute windows

    @Test func peakMinuteIsTheBusiestWindowFromTheFirstArrival() {
        var offsets: [Double] = [0, 10, 59.999]          // minute 0: 3
        offsets += [60, 61, 62, 63]                      // minute 1: 4 (60 s opens it)
        offsets += (0..<6).map { 180 + Double($0) * 9 }  // minute 3: 6
        offsets += (0..<6).map { 240 + Double($0) }      // minute 4: 6, a tie: the first wins
        offsets += [300.5]                               // minute 5: 1 (partial, unscaled)
        let s = Self.summarise(offsets.map { Self.request(30 + $0, 0) }, models: ["m"])
        #expect(s.peakPerMinute == 6)
        #expect(s.peakMinuteStart == .minutes(3))
        #expect(s.span == .milliseconds(300_500))
    }

    @Test func peakCountsTheLastWindow() {
        let s = Self.summarise([Self.request(0, 0), Self.request(100, 0), Self.request(101, 0)], models: ["m"])
        #expect(s.peakPerMinute == 2)
        #expect(s.peakMinuteStart == .minutes(1))
    }

    // MARK: Edge cases

    @Test func emptyTrace() {
        let s = Self.summarise([], models: ["a", "b"])
        #expect(s.rows == 0)
        #expect(s.firstArrival == nil && s.lastArrival == nil)
        #expect(s.span == .zero)
        #expect(s.meanPerMinute == nil)
        #expect(s.peakPerMinute == 0 && s.peakMinuteStart == nil)
        #expect(s.interArrival == nil && s.inputTokens == nil && s.outputTokens == nil)
        #expect(s.models.map(\.name) == ["a", "b"])
        #expect(s.models.map(\.share) == [0, 0])
    }

    @Test func singleRow() {
        let s = Self.summarise([Self.request(7, 0, input: 5_000, output: 3)], models: ["m"])
        #expect(s.rows == 1)
        #expect(s.span == .zero)
        #expect(s.meanPerMinute == nil)
        #expect(s.peakPerMinute == 1 && s.peakMinuteStart == .zero)
        #expect(s.interArrival == nil)
        #expect(s.models[0].idleGaps == nil && s.models[0].meanPerMinute == nil)
        // One value: every quantile is the exact value, above the exact limit too.
        #expect(s.inputTokens == TraceSummary.Tokens(min: 5_000, mean: 5_000, p50: 5_000, p90: 5_000, p99: 5_000, max: 5_000, total: 5_000))
    }

    @Test func modelTableGrowsForUnseenIndexes() {
        var stats = TraceStatistics(modelCount: 0)
        stats.add(Self.request(0, 3))
        stats.add(Self.request(1, 1))
        stats.add(Self.request(2, 3))
        #expect(stats.rows == 3)
        let s = stats.summary(modelNames: ["zero", "one"])
        #expect(s.models.map(\.name) == ["#3", "one", "#2", "zero"])
        #expect(s.models.map(\.requests) == [2, 1, 0, 0])
        #expect(s.models.map(\.index) == [3, 1, 2, 0])
    }

    @Test func equalCountsAreOrderedByName() {
        let requests = [Self.request(0, 0), Self.request(1, 1), Self.request(2, 2), Self.request(3, 2)]
        let s = Self.summarise(requests, models: ["zeta", "alpha", "mid"])
        #expect(s.models.map(\.name) == ["mid", "alpha", "zeta"])
    }

    @Test func customThresholds() throws {
        var stats = TraceStatistics(modelCount: 1, gapThresholds: [.seconds(2), .seconds(1)])
        for t in [0.0, 1, 2.5, 5] { stats.add(Self.request(t, 0)) }
        let s = stats.summary(modelNames: ["m"])
        #expect(s.gapThresholds == [.seconds(1), .seconds(2)])
        // Gaps 1, 1.5, 2.5 s.
        #expect(try #require(s.interArrival).longerThan.map(\.count) == [2, 1])
    }

    // MARK: Bounds of the approximations

    /// Exact nearest-rank percentile (rank ⌈p·n/100⌉) of sorted values.
    static func exactPercentile(_ p: Int, _ sorted: [Int64]) -> Int64 {
        sorted[max(1, (p * sorted.count + 99) / 100) - 1]
    }

    /// A log-uniform integer in [1, 2^maxBits).
    static func logUniform(_ r: inout RandomStream, maxBits: Int) -> Int64 {
        let bits = Int(r.nextInt(below: UInt64(maxBits))) + 1
        return Int64(r.nextInt(below: UInt64(1) << UInt64(bits))) | 1
    }

    @Test(arguments: 0..<12) func quantilesAreWithinTheirStatedBounds(seed: Int) throws {
        var r = RandomStream(seed: UInt64(seed), stream: "trace-statistics")
        let modelCount = 3
        var t: Int64 = 0
        var requests: [TraceRequest] = []
        var gaps: [Int64] = []
        var idle = Array(repeating: [Int64](), count: modelCount)
        var lastOf = Array(repeating: Int64?.none, count: modelCount)
        var input: [Int64] = []
        var output: [Int64] = []
        let rows = 1_500 + Int(r.nextInt(below: 1_500))
        for i in 0..<rows {
            // Gaps from 1 ns to about 9 days; some zero.
            let gap = r.nextInt(below: 10) == 0 ? 0 : Self.logUniform(&r, maxBits: 50)
            if i > 0 { t += gap; gaps.append(gap) }
            let m = Int(r.nextInt(below: UInt64(modelCount)))
            if let last = lastOf[m] { idle[m].append(t - last) }
            lastOf[m] = t
            let inTokens = Self.logUniform(&r, maxBits: 31)
            let outTokens = Self.logUniform(&r, maxBits: 14)
            input.append(inTokens)
            output.append(outTokens)
            requests.append(TraceRequest(arrival: SimInstant(nanoseconds: t), model: m, inputTokens: Int32(inTokens), outputTokens: Int32(outTokens)))
        }
        let s = Self.summarise(requests, models: ["a", "b", "c"])

        func checkTokens(_ summary: TraceSummary.Tokens?, _ values: [Int64], _ label: String) throws {
            let sorted = values.sorted()
            let tk = try #require(summary)
            #expect(tk.min == Int(sorted[0]) && tk.max == Int(sorted[sorted.count - 1]), "seed \(seed) \(label)")
            for (p, reported) in [(50, tk.p50), (90, tk.p90), (99, tk.p99)] {
                let exact = Self.exactPercentile(p, sorted)
                if exact < TraceSummary.tokenExactBelow {
                    #expect(Int64(reported) == exact, "seed \(seed) \(label) p\(p): \(reported) vs exact \(exact)")
                } else {
                    #expect(Self.within(Int64(reported), exact, bits: 11), "seed \(seed) \(label) p\(p): \(reported) vs exact \(exact)")
                }
            }
        }
        try checkTokens(s.inputTokens, input, "input")
        try checkTokens(s.outputTokens, output, "output")

        func checkGaps(_ summary: TraceSummary.Gaps?, _ values: [Int64], _ label: String) throws {
            let sorted = values.sorted()
            let g = try #require(summary)
            #expect(g.count == values.count, "seed \(seed) \(label)")
            #expect(g.min.nanoseconds == sorted[0] && g.max.nanoseconds == sorted[sorted.count - 1], "seed \(seed) \(label)")
            for (p, reported) in [(50, g.p50), (90, g.p90), (99, g.p99)] {
                let exact = Self.exactPercentile(p, sorted)
                #expect(Self.within(reported.nanoseconds, exact, bits: 7), "seed \(seed) \(label) p\(p): \(reported) vs exact \(exact)")
            }
            for tc in g.longerThan {
                #expect(tc.count == values.count(where: { $0 > tc.threshold.nanoseconds }), "seed \(seed) \(label) > \(tc.threshold)")
            }
        }
        try checkGaps(s.interArrival, gaps, "inter-arrival")
        for m in s.models { try checkGaps(m.idleGaps, idle[m.index], "model \(m.name)") }
    }

    @Test func statedBoundsMatchTheTestedOnes() {
        #expect(TraceSummary.tokenExactBelow == 2_048)
        #expect(TraceSummary.tokenQuantileRelativeError == 1.0 / 2_048)
        #expect(TraceSummary.gapQuantileRelativeError == 1.0 / 128)
    }

    // MARK: Determinism

    @Test func sameRequestsGiveTheSameSummary() {
        var r = RandomStream(seed: 9, stream: "determinism")
        var t: Int64 = 0
        let requests = (0..<5_000).map { _ -> TraceRequest in
            t += Int64(r.nextInt(below: 5_000_000_000))
            return TraceRequest(arrival: SimInstant(nanoseconds: t), model: Int(r.nextInt(below: 7)),
                                inputTokens: Int32(r.nextInt(below: 9_000) + 1), outputTokens: Int32(r.nextInt(below: 900) + 1))
        }
        let names = (0..<7).map { "m\($0)" }
        #expect(Self.summarise(requests, models: names) == Self.summarise(requests, models: names))
        // Splitting the model table's growth across calls changes nothing.
        var grown = TraceStatistics(modelCount: 0)
        for q in requests { grown.add(q) }
        #expect(grown.summary(modelNames: names) == Self.summarise(requests, models: names))
    }
}
