import SwapSimCore
import Testing

/// What each strategy promises, on small constructed cases.
@Suite struct StrategyBehaviourTests {
    /// Two 20 GB models on one 40 GiB GPU that holds only one of them (model 0 starts resident).
    static let a = TestScenarios.model("a", parameters: 10_000_000_000)
    static let b = TestScenarios.model("b", parameters: 10_000_000_000)
    static let weights = a.architecture.weightBytes

    static func hotSwapScenario(
        idleTimeout: SimDuration? = nil, keepHostCopy: Bool = false, swapSpace: ByteCount = .gibibytes(512)
    ) -> Scenario {
        TestScenarios.scenario(
            models: [a, b], swapSpace: swapSpace,
            hotSwap: HotSwapConfig(idleTimeout: idleTimeout, swapOverhead: .milliseconds(300), keepHostCopy: keepHostCopy))
    }

    /// The instant a request alone on an idle replica, starting at `start`, produces its last token.
    static func finish(alone model: ModelDeployment, in scenario: Scenario, start: SimInstant, input: Int64, output: Int64) -> SimInstant {
        let cost = TestScenarios.cost(of: model, in: scenario)
        let ps = start.nanoseconds * 1000 + cost.iterationPs(tokens: input, contextTokens: input)
            + Int64(cost.decodePs(batch: 1, context: input + 1, count: output - 1))
        return SimInstant(nanoseconds: (ps + 999) / 1000)
    }

    @Test func modelWithRequestsInFlightIsNeverEvicted() throws {
        let scenario = Self.hotSwapScenario()
        let bArrival = SimInstant(nanoseconds: 100_000_000)
        let trace = [
            TraceRequest(arrival: .zero, model: 0, inputTokens: 1000, outputTokens: 2000),
            TraceRequest(arrival: bArrival, model: 1, inputTokens: 100, outputTokens: 2),
        ]
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let aFinish = Self.finish(alone: Self.a, in: scenario, start: .zero, input: 1000, output: 2000)
        #expect(aFinish > bArrival, "A must still be running when B arrives")
        // B's TTFT is the larger of the two; it covers A's whole run.
        let bTTFT = TestScenarios.ns(result.ttft.max)
        #expect(bTTFT >= (aFinish - bArrival).nanoseconds)
        // A is evicted at the instant its request ends, not before; B's swap-in follows A's copy-out.
        let evictions = result.lifecycle.filter { $0.kind == .eviction }
        #expect(evictions.count == 1)
        #expect(evictions.first?.model == 0)
        #expect(evictions.first?.time == aFinish)
        let copyOut = SimDuration.microseconds(10) + TestScenarios.gpu.link.deviceToHost.time(toMove: Self.weights)
        #expect(result.lifecycle.first { $0.kind == .swapIn }?.time == aFinish + copyOut)
        #expect(result.lifecycle.allSatisfy { $0.model != 0 || $0.time >= aFinish })
    }

    @Test func requestsArrivingDuringASwapInWaitForIt() throws {
        let scenario = Self.hotSwapScenario(keepHostCopy: true)
        let arrivals: [Int64] = [1_000_000_000, 1_100_000_000, 1_200_000_000, 1_300_000_000]
        let trace = arrivals.map { TraceRequest(arrival: SimInstant(nanoseconds: $0), model: 1, inputTokens: 64, outputTokens: 4) }
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        // One swap-in (eviction of A is a free with the host copy kept), taking
        // 10 µs + 300 ms + 20 GB / 20 GB/s; all four requests wait for it.
        #expect(result.swapIns == 1)
        #expect(result.lifecycle.filter { $0.kind == .swapIn }.count == 1)
        #expect(result.requestsPayingSwapIn == arrivals.count)
        let ready: Int64 = arrivals[0] + 10_000 + 300_000_000 + 1_000_000_000
        #expect(arrivals.allSatisfy { ready - $0 > 0 })
        let expectedMeanWait = Double(arrivals.reduce(0) { $0 + (ready - $1) }) / Double(arrivals.count) / 1e9
        #expect(result.breakdown.swapWait == expectedMeanWait)
    }

    @Test func idleModelIsSwappedOutAfterTheIdleTimeout() throws {
        let scenario = Self.hotSwapScenario(idleTimeout: .seconds(5))
        let trace = [TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 10)]
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let done = Self.finish(alone: Self.a, in: scenario, start: .zero, input: 100, output: 10)
        let swapOuts = result.lifecycle.filter { $0.kind == .swapOut }
        #expect(swapOuts.count == 1)
        #expect(swapOuts.first?.model == 0)
        #expect(swapOuts.first?.time == done + .seconds(5))
        #expect(swapOuts.first?.words.contains("idle") == true, "reason: \(swapOuts.first?.words ?? "none")")
        #expect(swapOuts.first?.bytes == Self.weights)
        #expect(result.evictions == 0)
    }

    /// A request arriving at the very instant the idle timer expires keeps the model resident:
    /// timers fire after arrivals at equal times.
    @Test func arrivalAtTheIdleTimeoutInstantKeepsTheModel() throws {
        let scenario = Self.hotSwapScenario(idleTimeout: .seconds(5))
        let firstDone = Self.finish(alone: Self.a, in: scenario, start: .zero, input: 100, output: 10)
        let second = firstDone + .seconds(5)
        let trace = [
            TraceRequest(arrival: .zero, model: 0, inputTokens: 100, outputTokens: 10),
            TraceRequest(arrival: second, model: 0, inputTokens: 100, outputTokens: 10),
        ]
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let secondDone = Self.finish(alone: Self.a, in: scenario, start: second, input: 100, output: 10)
        let swapOuts = result.lifecycle.filter { $0.kind == .swapOut }
        #expect(swapOuts.map(\.time) == [secondDone + .seconds(5)])
        #expect(result.requestsPayingSwapIn == 0)
    }

    /// Requests alternate between the two models, so every request evicts the other one.
    @Test(arguments: [true, false])
    func keepHostCopyMakesSwapOutsMoveNoBytes(keepHostCopy: Bool) throws {
        let scenario = Self.hotSwapScenario(keepHostCopy: keepHostCopy)
        let trace = (0..<6).map {
            TraceRequest(arrival: SimInstant(nanoseconds: Int64($0) * 10_000_000_000), model: ($0 + 1) % 2, inputTokens: 50, outputTokens: 5)
        }
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let swapOuts = result.lifecycle.filter { $0.kind == .swapOut }
        #expect(swapOuts.count == 6)
        #expect(result.swapIns == 6)
        if keepHostCopy {
            #expect(swapOuts.allSatisfy { $0.bytes == .zero })
            #expect(result.bytesGPUToHost == 0)
        } else {
            #expect(swapOuts.allSatisfy { $0.bytes == Self.weights })
            #expect(result.bytesGPUToHost == 6 * Self.weights.bytes)
        }
        #expect(result.bytesHostToGPU == 6 * Self.weights.bytes)
    }

    /// Swap space that holds one model only: with model 1 parked there at the start, evicting
    /// model 0 drops its weights, so model 0's next load comes from storage (a cold start).
    @Test func swapSpaceTooSmallTurnsSwapInsIntoStorageLoads() throws {
        let scenario = Self.hotSwapScenario(swapSpace: Self.weights)
        let trace = [
            TraceRequest(arrival: SimInstant(nanoseconds: 1_000_000_000), model: 1, inputTokens: 50, outputTokens: 5),
            TraceRequest(arrival: SimInstant(nanoseconds: 10_000_000_000), model: 0, inputTokens: 50, outputTokens: 5),
        ]
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let dropped = result.lifecycle.first { $0.kind == .swapOut && $0.model == 0 }
        #expect(dropped?.bytes == .zero)
        #expect(dropped?.words.contains("swap space full") == true, "reason: \(dropped?.words ?? "none")")
        let load = result.lifecycle.first { $0.kind == .coldStart }
        #expect(load?.model == 0)
        #expect(load?.words.contains("storage") == true, "reason: \(load?.words ?? "none")")
        #expect(load?.bytes == Self.weights)
        #expect(result.coldStarts == 1)
        #expect(result.swapIns == 1)
        #expect(result.requestsPayingColdStart == 1)
        // Model 0's request (at 10 s) waits for model 1's copy-out (10 µs + 20 GB at 25 GB/s), then
        // for its load over the storage path, limited by the 5 GB/s storage (10 µs + 300 ms + 4 s).
        // The other request paid nothing, so the mean over the two is half of that wait.
        let wait: Int64 = (10_000 + 800_000_000) + (10_000 + 300_000_000 + 4_000_000_000)
        #expect(result.breakdown.coldStartWait == Double(wait) / 2 / 1e9)
    }

    struct DoesNotFitCase: Sendable, CustomTestStringConvertible {
        var name: String
        var models: [ModelDeployment]
        var nodes: Int
        var gpusPerNode: Int
        var needed: Int
        var testDescription: String { name }
    }

    static let doesNotFitCases: [DoesNotFitCase] = [
        // 20.6 GiB each: one per 40 GiB GPU.
        DoesNotFitCase(
            name: "five large models on two GPUs",
            models: (0..<5).map { TestScenarios.model("l\($0)", parameters: 10_000_000_000) }, nodes: 1, gpusPerNode: 2, needed: 5),
        // 9.45 GiB each: four share a GPU, so nine need three.
        DoesNotFitCase(
            name: "nine small models sharing GPUs",
            models: (0..<9).map { TestScenarios.model("s\($0)", parameters: 4_000_000_000) }, nodes: 1, gpusPerNode: 2, needed: 3),
        // Two tensor-parallel pairs.
        DoesNotFitCase(
            name: "two TP-2 models on one pair",
            models: (0..<2).map { TestScenarios.model("t\($0)", parameters: 20_000_000_000, tensorParallel: 2) }, nodes: 1, gpusPerNode: 2,
            needed: 4),
    ]

    @Test(arguments: doesNotFitCases)
    func alwaysWarmThatDoesNotFitSaysHowManyGPUs(_ c: DoesNotFitCase) throws {
        let scenario = TestScenarios.scenario(nodes: c.nodes, gpusPerNode: c.gpusPerNode, models: c.models)
        #expect(throws: ScenarioError.alwaysWarmDoesNotFit(needed: c.needed, available: c.nodes * c.gpusPerNode, gpu: "TestGPU")) {
            try simulate(scenario: scenario, strategy: .alwaysWarm, requests: ArrayRequestSource([]))
        }
        // With that many GPUs it runs.
        let bigger = TestScenarios.scenario(nodes: (c.needed + c.gpusPerNode - 1) / c.gpusPerNode, gpusPerNode: c.gpusPerNode, models: c.models)
        let trace = [TraceRequest(arrival: .zero, model: 0, inputTokens: 10, outputTokens: 2)]
        let result = try simulate(scenario: bigger, strategy: .alwaysWarm, requests: ArrayRequestSource(trace))
        #expect(result.completed == 1)
    }
}
