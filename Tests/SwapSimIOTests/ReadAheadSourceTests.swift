import Foundation
import SwapSimCore
import Testing

@testable import SwapSimIO

/// A source that gives `count` requests, then throws (when `failing`) or ends.
private struct CountedSource: RequestSource {
    struct Failure: Error, Equatable { var after: Int }
    var count: Int
    var failing = false
    var given = 0

    mutating func next() throws -> TraceRequest? {
        guard given < count else {
            if failing { throw Failure(after: given) }
            return nil
        }
        defer { given += 1 }
        return TraceRequest(arrival: SimInstant(nanoseconds: Int64(given) * 1000), model: given % 7, inputTokens: Int32(given % 100 + 1), outputTokens: 3)
    }
}

private func drain(_ s: inout some RequestSource) throws -> [TraceRequest] {
    var out: [TraceRequest] = []
    while let r = try s.next() { out.append(r) }
    return out
}

struct ReadAheadSourceTests {
    /// Every length around the batch size, and batches queued one or several deep: the same
    /// requests in the same order, then nil for good.
    @Test(arguments: [0, 1, 3, 4, 5, 8, 17, 1000])
    func givesTheSourcesRequestsInOrder(count: Int) throws {
        var plain = CountedSource(count: count)
        let expected = try drain(&plain)
        for depth in [1, 3] {
            var ahead = ReadAheadSource(CountedSource(count: count), batch: 4, depth: depth)
            #expect(try drain(&ahead) == expected, "depth \(depth)")
            #expect(try ahead.next() == nil)
        }
    }

    /// A bad row's error comes after every request before it, once, as the source threw it.
    @Test(arguments: [0, 3, 4, 9])
    func anErrorComesWhereTheSourceThrewIt(after count: Int) throws {
        let ahead = ReadAheadSource(CountedSource(count: count, failing: true), batch: 4, depth: 2)
        var got = 0
        do {
            while try ahead.next() != nil { got += 1 }
            Issue.record("no error")
        } catch let e as CountedSource.Failure {
            #expect(e == CountedSource.Failure(after: count))
        }
        #expect(got == count)
        #expect(try ahead.next() == nil)
    }

    /// A consumer that stops early (a simulation that fails) lets the reading thread go: the
    /// source is released, not read to its end.
    @Test func droppingItEarlyStopsTheReader() async throws {
        final class Tracker: @unchecked Sendable {
            let lock = NSLock()
            var read = 0
            var released = false
        }
        struct TrackedSource: RequestSource {
            let tracker: Tracker
            final class Release {
                let tracker: Tracker
                init(_ t: Tracker) { tracker = t }
                deinit { tracker.lock.withLock { tracker.released = true } }
            }
            let release: Release
            mutating func next() throws -> TraceRequest? {
                tracker.lock.withLock { tracker.read += 1 }
                return TraceRequest(arrival: .zero, model: 0, inputTokens: 1, outputTokens: 1)
            }
        }
        let tracker = Tracker()
        do {
            let ahead = ReadAheadSource(TrackedSource(tracker: tracker, release: .init(tracker)), batch: 8, depth: 2)
            _ = try ahead.next()
        }
        var released = false
        for _ in 0..<200 where !released {
            try await Task.sleep(for: .milliseconds(10))
            released = tracker.lock.withLock { tracker.released }
        }
        #expect(released, "the reading thread still holds the source")
        // At most the batches it may queue, the one it was filling, and the one handed over.
        #expect(tracker.lock.withLock { tracker.read } <= 8 * 4)
    }

    /// `simulate` over a file read ahead gives the result of reading it in line.
    @Test func aSimulationReadAheadEqualsOneReadInLine() throws {
        let scenario = try ScenarioLoader.load(path: Fixtures.demoScenario)
        let names = scenario.models.map(\.name)
        for strategy in [StrategyKind.alwaysWarm, .hotSwap] {
            let inLine = try simulate(scenario: scenario, strategy: strategy, requests: TraceInput(path: Fixtures.demoTrace, options: TraceInputOptions(), models: names))
            let ahead = try simulate(
                scenario: scenario, strategy: strategy,
                requests: ReadAheadSource(TraceInput(path: Fixtures.demoTrace, options: TraceInputOptions(), models: names), batch: 64, depth: 2))
            #expect(ahead == inLine, "\(strategy)")
        }
    }
}
