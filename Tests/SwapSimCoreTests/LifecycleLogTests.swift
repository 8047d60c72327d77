@testable import SwapSimCore
import Testing

/// The lifecycle log counts every step exactly and keeps an even, bounded sample of them.
@Suite struct LifecycleLogTests {
    static func event(_ i: Int, _ kind: LifecycleEvent.Kind, model: Int) -> LifecycleEvent {
        LifecycleEvent(time: SimInstant(nanoseconds: Int64(i)), kind: kind, model: model, gpus: 0..<1, bytes: .zero, reason: .requestNotResident)
    }

    @Test func keepsEveryStepUnderItsLimit() {
        var log = LifecycleLog(models: 2, limit: 16)
        for i in 0..<16 { log.record(Self.event(i, i % 2 == 0 ? .swapIn : .swapOut, model: i % 4 == 0 ? 0 : 1)) }
        #expect(log.isComplete && log.recorded == 16 && log.kept.count == 16)
        #expect(log.kept.map(\.time.nanoseconds) == (0..<16).map(Int64.init))
        #expect(log.count(.swapIn) == 8 && log.count(.swapOut) == 8 && log.count(.eviction) == 0)
        #expect(log.swapIns == [4, 4])
    }

    @Test func pastItsLimitKeepsAnEvenSampleAndExactCounts() {
        let limit = 8
        var log = LifecycleLog(models: 3, limit: limit)
        let kinds = LifecycleEvent.Kind.allCases
        for i in 0..<1000 { log.record(Self.event(i, kinds[i % kinds.count], model: i % 3)) }
        #expect(log.recorded == 1000)
        #expect(log.kept.count <= limit && log.kept.count > limit / 2)
        #expect(!log.isComplete && log.stride.nonzeroBitCount == 1)
        // The kept steps are those recorded at multiples of the stride, from the first on.
        #expect(log.kept.map(\.time.nanoseconds) == Array(stride(from: Int64(0), to: 1000, by: log.stride)))
        for k in kinds { #expect(log.count(k) == (0..<1000).filter { kinds[$0 % kinds.count] == k }.count, "\(k)") }
        #expect(log.swapIns.reduce(0, +) == log.count(.swapIn))
        #expect(log.coldStarts.reduce(0, +) == log.count(.coldStart))
    }

    @Test func sameStepsSameSample() {
        func run() -> [LifecycleEvent] {
            var log = LifecycleLog(models: 1, limit: 6)
            for i in 0..<77 { log.record(Self.event(i, .eviction, model: 0)) }
            return log.kept
        }
        #expect(run() == run())
    }

    /// A run's result counts from the log and carries how many steps it recorded.
    @Test func resultsCountEveryStep() throws {
        let (scenario, trace) = RandomWorkloads.scenarioAndTrace(seed: 2)
        let r = try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(r.lifecycleRecorded == r.lifecycle.count, "a small run keeps every step")
        #expect(r.swapIns == r.lifecycle.filter { $0.kind == .swapIn }.count)
        #expect(r.models.map(\.swapIns).reduce(0, +) == r.swapIns)
    }
}
