import SwapSimCore
import Testing

/// Pre-warm: predictions from each model's own history bring it in before its request.
@Suite struct PrewarmStrategyTests {
    /// Three models on one GPU that holds one at a time, hot-swap with a 60 s idle timeout, so
    /// every model is swapped out between requests unless something brings it back.
    static func scenario(predictor: String = "histogram", base: String = "hot-swap") -> Scenario {
        let models = (0..<3).map { TestScenarios.model("m\($0)", parameters: 14_000_000_000, kvCache: .gibibytes(2)) }
        var s = TestScenarios.scenario(models: models, hotSwap: HotSwapConfig(idleTimeout: .seconds(60), swapOverhead: .milliseconds(300)))
        s.strategies[.prewarm]["predictor"] = .choice(predictor)
        s.strategies[.prewarm]["base"] = .choice(base)
        return s
    }

    static func counters(_ r: StrategyResult) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: r.counters.map { ($0.spec.key, $0.value) })
    }

    /// Model k requested every 300 s from 100 + 100·k s: strictly periodic, interleaved.
    static func periodicTrace(periods: Int) -> [TraceRequest] {
        var out: [TraceRequest] = []
        for p in 0..<periods {
            for m in 0..<3 {
                out.append(TraceRequest(arrival: .zero + .seconds(Int64(100 + 100 * m + 300 * p)), model: m, inputTokens: 100, outputTokens: 20))
            }
        }
        return out
    }

    @Test(arguments: ["histogram", "ewma"])
    func aStrictlyPeriodicTraceHasNoMissAfterTheFirstPeriod(predictor: String) throws {
        let trace = Self.periodicTrace(periods: 10)
        let r = try simulate(scenario: Self.scenario(predictor: predictor), strategy: .prewarm, requests: ArrayRequestSource(trace))
        let c = Self.counters(r)
        // Each model's first two requests come before any gap is known (the first period):
        // they are misses; every later one finds its model brought back in time.
        #expect(c["prewarm_misses"] == 6, "\(c)")
        #expect(c["prewarm_hits"] == 24, "\(c)")
        #expect(c["prewarm_late"] == 0 && c["prewarm_wasted"] == 3, "\(c): the last pre-warm of each model is never used")
        for m in r.models { #expect(m.counters == [8, 0, 2, 1], "\(m.name): \(m.counters)") }
        // Without pre-warm every request waits for a swap-in.
        let plain = try simulate(scenario: Self.scenario(), strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(plain.requestsPayingSwapIn == 30)
        #expect(r.requestsPayingSwapIn == 6)
        #expect(r.ttft.p50 < plain.ttft.p50 / 10)
    }

    @Test func aPrewarmOverAScaleToZeroBaseColdStartsAhead() throws {
        var s = Self.scenario(base: "scale-to-zero")
        s.scaleToZero.keepAlive = .seconds(60)
        s.cluster.gpusPerNode = 3
        let trace = Self.periodicTrace(periods: 6)
        let r = try simulate(scenario: s, strategy: .prewarm, requests: ArrayRequestSource(trace))
        let c = Self.counters(r)
        #expect(c["prewarm_misses"] == 6 && c["prewarm_hits"] == 12, "\(c)")
        #expect(r.requestsPayingColdStart == 6)
    }

    /// Requests for all three models a millisecond apart: on the one GPU, two of them wait for
    /// room, their models still cold after routing, so their pre-warm timers must be checked at
    /// the end of the event rather than skipped. The check that matters is the engine's own,
    /// after every event in debug builds (`swift test`'s): no model is cold with a timer still
    /// to come held out of the queue. It failed here when the timer set by routing went
    /// unchecked; a release build runs only the expectations below.
    @Test func requestsWaitingForRoomLeaveTheirTimersChecked() throws {
        var trace: [TraceRequest] = []
        for p in 0..<6 {
            for m in 0..<3 {
                trace.append(TraceRequest(arrival: .zero + .seconds(Int64(100 + 300 * p)) + .milliseconds(Int64(m)), model: m, inputTokens: 100, outputTokens: 20))
            }
        }
        let r = try simulate(scenario: Self.scenario(), strategy: .prewarm, requests: ArrayRequestSource(trace))
        #expect(r.completed == 18)
        #expect(r.requestsPayingSwapIn >= 12, "two of each three wait for a swap-in: \(r.requestsPayingSwapIn)")
    }

    @Test func anUnknownBaseOrPredictorIsOneErrorNamingTheKey() {
        var s = Self.scenario()
        s.strategies[.prewarm]["predictor"] = .choice("arima")
        #expect(throws: ScenarioError.invalidValue(keyPath: "strategies.pre-warm.predictor", reason: "unknown predictor 'arima' (one of: histogram, ewma)")) {
            try s.validate()
        }
    }
}
