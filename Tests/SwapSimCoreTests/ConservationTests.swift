import SwapSimCore
import Testing

/// Properties every run must have, over random multi-model traces on a small cluster. (Debug
/// builds also check, after every event, that no GPU holds more than its memory: a violation
/// stops the test run.)
@Suite struct ConservationTests {
    @Test(arguments: StrategyKind.allCases)
    func requestsAndBytesAreConserved(strategy: StrategyKind) throws {
        var swapIns = 0, coldStarts = 0, evictions = 0, rejected = 0, storageLoads = 0, teardowns = 0
        for seed in UInt64(0)..<24 {
            let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed)
            let scenario = RandomWorkloads.forStrategy(strategy, base)
            let result = try simulate(scenario: scenario, strategy: strategy, requests: ArrayRequestSource(trace))
            let context = "seed \(seed), \(strategy.rawValue)"

            #expect(result.requests == trace.count, "\(context)")
            #expect(result.completed + result.rejected == result.requests, "\(context)")
            // Rejected are exactly the requests whose KV reservation exceeds their model's cache.
            let tooLong = trace.filter { Int64($0.inputTokens) + Int64($0.outputTokens) > scenario.models[$0.model].kvCapacityTokens }.count
            #expect(result.rejected == tooLong, "\(context)")
            #expect(result.ttft.count == result.completed, "\(context)")

            var inBytes: Int64 = 0, outBytes: Int64 = 0
            for e in result.lifecycle {
                switch e.kind {
                case .swapIn, .coldStart: inBytes += e.bytes.bytes
                case .swapOut: outBytes += e.bytes.bytes
                case .eviction, .teardown: #expect(e.bytes == .zero, "\(context): \(e)")
                case .startupStage: break
                }
            }
            #expect(result.bytesHostToGPU == inBytes, "\(context): bytes host→GPU \(result.bytesHostToGPU) vs lifecycle \(inBytes)")
            #expect(result.bytesGPUToHost == outBytes, "\(context): bytes GPU→host \(result.bytesGPUToHost) vs lifecycle \(outBytes)")
            #expect(zip(result.lifecycle, result.lifecycle.dropFirst()).allSatisfy { $0.time <= $1.time }, "\(context): lifecycle out of order")
            #expect(result.swapIns == result.lifecycle.filter { $0.kind == .swapIn }.count, "\(context)")
            #expect(result.coldStarts == result.lifecycle.filter { $0.kind == .coldStart }.count, "\(context)")

            swapIns += result.swapIns
            coldStarts += result.coldStarts
            evictions += result.evictions
            teardowns += result.teardowns
            rejected += result.rejected
            storageLoads += result.lifecycle.filter { $0.kind == .coldStart && $0.words.contains("storage") }.count
        }
        // The workloads must exercise what the strategy does.
        #expect(rejected > 0)
        switch strategy {
        case .alwaysWarm:
            #expect(swapIns == 0 && coldStarts == 0 && evictions == 0)
        case .hotSwap:
            #expect(swapIns > 100, "hot-swap swapped in only \(swapIns) times")
            #expect(evictions > 100)
            #expect(storageLoads > 0, "no hot-swap load from storage")
        case .scaleToZero:
            #expect(coldStarts > 100, "scale-to-zero cold-started only \(coldStarts) times")
            #expect(teardowns > 0 && evictions > 0)
        default:
            break
        }
    }
}
