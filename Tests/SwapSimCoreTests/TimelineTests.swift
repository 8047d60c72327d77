@testable import SwapSimCore
import Testing

/// The downsampled timeline agrees with the run it describes.
@Suite struct TimelineTests {
    /// `strategy` over the random workload of `seed`: the scenario it ran and its result.
    func run(_ strategy: StrategyKind, seed: UInt64, recordTimeline: Bool = true) throws -> (Scenario, StrategyResult) {
        let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed)
        let scenario = RandomWorkloads.forStrategy(strategy, base)
        return (scenario, try simulate(scenario: scenario, strategy: strategy, requests: ArrayRequestSource(trace), recordTimeline: recordTimeline))
    }

    @Test(arguments: StrategyKind.allCases)
    func samplesAreExactStateOnAFixedGrid(strategy: StrategyKind) throws {
        for seed in UInt64(0)..<8 {
            let (scenario, result) = try run(strategy, seed: seed)
            let t = result.timeline
            let context = "seed \(seed), \(strategy.rawValue)"
            #expect(!t.samples.isEmpty && t.samples.count <= 512, "\(context)")
            #expect(t.gpus == scenario.poolSize(for: strategy), "\(context)")
            for (i, s) in t.samples.enumerated() {
                #expect(s.time.nanoseconds == Int64(i) * t.interval.nanoseconds, "\(context): sample \(i) off the grid")
                for g in 0..<t.gpus {
                    #expect(s.memoryUsed(gpu: g) <= scenario.cluster.gpu.memory, "\(context)")
                    #expect(s.residents[g].allSatisfy { $0.bytes > .zero }, "\(context)")
                    if i > 0 { #expect(s.hostToDeviceBytes[g] >= t.samples[i - 1].hostToDeviceBytes[g], "\(context)") }
                }
                #expect(s.queued >= 0 && s.running >= 0, "\(context)")
            }
            // The links never carry more than was moved; by the horizon every swap-in and load
            // (each ahead of a request that completed) has fully crossed them.
            let last = t.samples[t.samples.count - 1]
            #expect(last.time >= result.horizon || last.time.nanoseconds + t.interval.nanoseconds > result.horizon.nanoseconds, "\(context)")
            if scenario.cluster.gpu.link.duplex == .full, last.time >= result.horizon {
                #expect(abs(last.hostToDeviceBytes.reduce(0, +) - result.bytesHostToGPU) <= Int64(t.gpus), "\(context)")
                #expect(last.deviceToHostBytes.reduce(0, +) <= result.bytesGPUToHost + Int64(t.gpus), "\(context)")
            }
        }
    }

    /// Without a timeline (a plan's evaluations) a run has no samples and every other figure of
    /// its result is the one with the timeline.
    @Test(arguments: StrategyKind.allCases)
    func aRunWithoutTheTimelineIsTheSameRun(strategy: StrategyKind) throws {
        for seed in UInt64(0)..<4 {
            var (_, with) = try run(strategy, seed: seed)
            let (_, without) = try run(strategy, seed: seed, recordTimeline: false)
            #expect(without.timeline.samples.isEmpty, "seed \(seed), \(strategy.rawValue)")
            #expect(!with.timeline.samples.isEmpty)
            with.timeline = without.timeline
            #expect(with == without, "seed \(seed), \(strategy.rawValue)")
        }
    }

    /// The sample limit falls on clusters beyond 1,024 GPUs, so samples × GPUs stays within the
    /// budget however large the cluster (issue 13: 4,096 nodes of the demo reached 1 GiB).
    @Test func sampleLimitKeepsGPUSamplesWithinTheBudget() throws {
        #expect(TimelineRecorder.limit(forGPUs: 1) == 512)
        #expect(TimelineRecorder.limit(forGPUs: 1024) == 512)
        #expect(TimelineRecorder.limit(forGPUs: 1025) == 510)
        #expect(TimelineRecorder.limit(forGPUs: 12_288) == 42)
        #expect(TimelineRecorder.limit(forGPUs: ScenarioLimits.maxGPUs) == 32)
        for gpus in [1, 3, 1000, 1024, 1025, 3000, 12_288, ScenarioLimits.maxGPUs] {
            let limit = TimelineRecorder.limit(forGPUs: gpus)
            #expect(limit >= 4 && limit % 2 == 0)
            #expect(limit * gpus <= max(TimelineRecorder.gpuSampleBudget, 4 * gpus))
        }

        var (scenario, trace) = RandomWorkloads.scenarioAndTrace(seed: 5)
        scenario.cluster.nodes = 12_288 / scenario.cluster.gpusPerNode
        let result = try simulate(scenario: scenario, strategy: .scaleToZero, requests: ArrayRequestSource(trace))
        let t = result.timeline
        #expect(t.gpus == scenario.poolSize(for: .scaleToZero))
        #expect(t.samples.count <= TimelineRecorder.limit(forGPUs: t.gpus))
        #expect(t.samples.count * t.gpus <= TimelineRecorder.gpuSampleBudget)
        #expect(t.samples.count > 4, "a long enough trace fills the limit")
    }

    @Test func alwaysWarmHoldsItsPlacementThroughout() throws {
        let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: 3)
        let scenario = RandomWorkloads.forStrategy(.alwaysWarm, base)
        let result = try simulate(scenario: scenario, strategy: .alwaysWarm, requests: ArrayRequestSource(trace))
        let first = result.timeline.samples[0].residents
        #expect(result.timeline.samples.allSatisfy { $0.residents == first })
        var placed = Set<Int>()
        for shares in first { for s in shares { if let m = s.model { placed.insert(m) } } }
        #expect(placed == Set(scenario.models.indices))
    }

    @Test func requestLogMatchesTheSummary() throws {
        let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: 5)
        let scenario = RandomWorkloads.forStrategy(.hotSwap, base)
        let result = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace), recordRequests: true)
        #expect(result.requestLog.count == result.requests)
        #expect(result.requestLog.filter { $0.ttft == nil }.count == result.rejected)
        let maxTTFT = result.requestLog.compactMap { $0.ttft?.seconds }.max() ?? 0
        #expect(maxTTFT == result.ttft.max)
        #expect(result.requestLog.filter { $0.cause == .swapIn }.count == result.requestsPayingSwapIn)
        let plain = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(plain.requestLog.isEmpty)
        #expect(plain.ttft == result.ttft)
    }

    @Test func ttftCDFIsMonotoneAndEndsAtTheMaximum() throws {
        let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: 1)
        let scenario = RandomWorkloads.forStrategy(.scaleToZero, base)
        let r = try simulate(scenario: scenario, strategy: .scaleToZero, requests: ArrayRequestSource(trace))
        let cdf = r.ttftCDF
        #expect(cdf.quantiles.count == cdf.seconds.count)
        #expect(zip(cdf.seconds, cdf.seconds.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(cdf.seconds.last == r.ttft.max)
        #expect(cdf.seconds[cdf.quantiles.firstIndex(of: 0.5)!] == r.ttft.p50)
        #expect(cdf.seconds[cdf.quantiles.firstIndex(of: 0.999)!] >= r.ttft.p99)
    }
}
