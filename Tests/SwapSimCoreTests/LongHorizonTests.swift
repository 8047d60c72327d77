import SwapSimCore
import Testing

/// Runs whose simulated time passes the 106.75 days that a picosecond Int64 clock can hold
/// (issue 13, item 1): each of the issue's inputs runs to completion, and a run that cannot
/// end within ``SimInstant/limit`` stops with a clear error instead of trapping.
@Suite struct LongHorizonTests {
    static let day: Int64 = 86_400 * 1_000_000_000
    /// 2^63 − 1 picoseconds: the span the batcher's old absolute clock could carry.
    static let oldPicosecondLimitNs: Int64 = Int64.max / 1000

    static func request(at ns: Int64, output: Int32, input: Int32 = 100) -> TraceRequest {
        TraceRequest(arrival: SimInstant(nanoseconds: ns), model: 0, inputTokens: input, outputTokens: output)
    }

    static func horizon(_ r: StrategyResult) -> Int64 { r.horizon.nanoseconds }

    @Test func backlogNearTheLatestArrivalRunsPastTheOldClock() throws {
        // One request at a time (max_batch 1), each 60k output tokens at ≈ 10 ms per token:
        // 1,200 of them arriving at day 99 keep the replica busy until about day 107.
        let model = TestScenarios.model("m", parameters: 8_000_000_000, kvCache: .gibibytes(16), maxBatch: 1)
        var serving = TestScenarios.serving
        serving.iterationOverhead = .milliseconds(10)
        let s = TestScenarios.scenario(models: [model], serving: serving)
        let requests = (0..<1200).map { Self.request(at: 99 * Self.day + Int64($0), output: 60_000) }
        let r = try simulate(scenario: s, strategy: .alwaysWarm, requests: ArrayRequestSource(requests))
        #expect(r.completed == 1200)
        #expect(Self.horizon(r) > Self.oldPicosecondLimitNs)
        // Requests run back to back: the last to finish waited for all the others, so the run
        // ends its end-to-end time after it arrived (within the 1,200 ns the arrivals span), and
        // that is 1,200 equal service times (each at least 60,000 iterations of 10 ms).
        #expect(abs(r.horizon.seconds - (Double(99 * Self.day) / 1e9 + r.e2e.max)) < 1e-5)
        #expect(r.e2e.max > 1200 * 600)
    }

    @Test func aColdStartOf2400HoursRuns() throws {
        let model = TestScenarios.model("m", parameters: 8_000_000_000)
        let s = TestScenarios.scenario(
            models: [model],
            scaleToZero: ScaleToZeroConfig(keepAlive: .seconds(60), containerStart: .hours(2400), runtimeInit: .seconds(1), warmup: .seconds(1)))
        let r = try simulate(scenario: s, strategy: .scaleToZero, requests: ArrayRequestSource([Self.request(at: 0, output: 10)]))
        #expect(r.completed == 1)
        #expect(r.ttft.max > 2400 * 3600)
        #expect(r.ttft.max < 2400 * 3600 + 60)
    }

    @Test func anIterationOverheadOfTwoHoursRuns() throws {
        // 1,300 iterations of two hours: 108 days.
        let model = TestScenarios.model("m", parameters: 8_000_000_000)
        var serving = TestScenarios.serving
        serving.iterationOverhead = .hours(2)
        let s = TestScenarios.scenario(models: [model], serving: serving)
        let r = try simulate(scenario: s, strategy: .alwaysWarm, requests: ArrayRequestSource([Self.request(at: 0, output: 1300)]))
        #expect(r.completed == 1)
        #expect(Self.horizon(r) > Self.oldPicosecondLimitNs)
        // Each iteration is the overhead plus the weights' read: 16 GB at 0.8 × 2 TB/s, 10 ms
        // (the KV read of a few hundred tokens adds microseconds).
        let roofline = r.e2e.max - 1300 * 7200
        #expect(roofline > 1300 * 0.010 && roofline < 1300 * 0.0101)
    }

    @Test func aMillionRequestsAtTimeZeroEachAsking60kTokens() throws {
        let model = TestScenarios.model("m", parameters: 1_000_000_000, kvCache: .gibibytes(24), maxBatch: 256)
        let s = TestScenarios.scenario(models: [model])
        var requests: [TraceRequest] = []
        requests.reserveCapacity(1_000_000)
        for _ in 0..<1_000_000 { requests.append(Self.request(at: 0, output: 60_000, input: 10)) }
        let r = try simulate(scenario: s, strategy: .alwaysWarm, requests: ArrayRequestSource(requests))
        #expect(r.completed == 1_000_000)
        #expect(Self.horizon(r) > Self.oldPicosecondLimitNs)
    }

    @Test func aRunThatCannotEndWithinTheLimitStopsWithAnError() throws {
        // An hour per iteration, one request at a time, 100 requests of 2^30 tokens: 12 million
        // years of work.
        let model = TestScenarios.model("m", parameters: 1_000_000_000, kvCache: .gibibytes(40 - 3), maxBatch: 1)
        var serving = TestScenarios.serving
        serving.iterationOverhead = .hours(1)
        let s = TestScenarios.scenario(models: [model], serving: serving)
        let requests = (0..<100).map { Self.request(at: Int64($0), output: 1 << 18) }
        // Each request takes 2^18 hours (29.9 years): six finish within 200 years.
        #expect(throws: ScenarioError.simulatedTimeLimit(strategy: "always-warm", unfinished: 94)) {
            _ = try simulate(scenario: s, strategy: .alwaysWarm, requests: ArrayRequestSource(requests))
        }
    }

    @Test func anOverloadedPlanConfigurationIsInfeasibleNotACrash() throws {
        // The planner evaluating one GPU against a load that needs many: its queue grows for
        // the whole 100-day trace and drains long after.
        // One request at a time, 600 s each (60,000 tokens at ≈ 10 ms), arriving every 432 s for
        // 100 days: utilisation 1.39, so the backlog drains until about day 139.
        let model = TestScenarios.model("m", parameters: 8_000_000_000, kvCache: .gibibytes(8), maxBatch: 1)
        let s = TestScenarios.scenario(models: [model])
        let requests = (0..<20_000).map { Self.request(at: Int64($0) * 5 * Self.day / 1000, output: 60_000) }
        let chain = PlanChain(strategy: .alwaysWarm, gpu: s.cluster.gpu, gpuHourPrice: Dollars(2))
        let e = try PlanEvaluation.run(chain.configuration(gpus: 1), base: s, seed: 1, requests: requests)
        guard case let .ran(m) = e.outcome else {
            Issue.record("expected the overloaded configuration to run, got \(e.outcome)")
            return
        }
        #expect(m.completed == 20_000)
        #expect(m.horizonSeconds > Double(Self.oldPicosecondLimitNs) / 1e9)
        #expect(!m.meetsSLO)
    }

    /// Splitting a byte count into tensor-parallel shards rounds up and never overflows, even
    /// into 2^63 − 1 shares (a fuzzed `tensor_parallel` crashed the loader's error message).
    @Test func byteCountsDivideWithoutOverflow() {
        #expect(ByteCount(bytes: 10).divided(into: 4) == ByteCount(bytes: 3))
        #expect(ByteCount(bytes: 12).divided(into: 4) == ByteCount(bytes: 3))
        #expect(ByteCount(bytes: 0).divided(into: 7) == .zero)
        #expect(ByteCount(bytes: 140_000_000_000).divided(into: Int.max) == ByteCount(bytes: 1))
        #expect(ByteCount(bytes: Int64.max).divided(into: Int.max) == ByteCount(bytes: 1))
        #expect(ByteCount(bytes: Int64.max).divided(into: 2) == ByteCount(bytes: Int64.max / 2 + 1))
    }
}
