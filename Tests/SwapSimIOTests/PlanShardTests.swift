import Foundation
import SwapSimCore
import Testing

@testable import SwapSimIO

/// A test double of the results store: a ``PlanEvaluationCache`` that keeps each evaluation as
/// a file named by the SHA-256 of its key, so shards run one after another really share state
/// through the file system, as separate machines would through merged databases.
final class DirectoryPlanEvaluationCacheDouble: PlanEvaluationCache {
    let directory: URL
    init(directory: URL) { self.directory = directory }

    private func file(_ key: PlanEvaluationKey) -> URL {
        let name = SHA256.hex([key.scenarioHash, key.traceHash, key.configuration, String(key.seed)].joined(separator: "\n"))
        return directory.appendingPathComponent(name + ".json")
    }

    func evaluation(forKey key: PlanEvaluationKey) throws -> String? {
        guard let d = FileManager.default.contents(atPath: file(key).path) else { return nil }
        return String(decoding: d, as: UTF8.self)
    }

    func storeEvaluation(_ json: String, forKey key: PlanEvaluationKey) throws {
        try Data(json.utf8).write(to: file(key), options: .atomic)
    }

    var storedCount: Int { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).count }
}

/// Shared set-up of the planner tests: the demo scenario and trace with a small search space.
enum PlanFixtures {
    static func inputs(replications: Int = 1) throws -> Planner.Inputs {
        let (scenario, _, text) = try ScenarioLoader.loadForPlanning(path: Fixtures.demoScenario)
        return Planner.Inputs(
            scenario: scenario, scenarioHash: SHA256.hex(text), tracePath: Fixtures.demoTrace, traceDisplay: "traces/demo.csv",
            traceInput: TraceInputOptions(), replications: replications)
    }

    /// Every strategy; hot-swap over two idle timeouts and two evictions, scale-to-zero over
    /// two keep-alives; at most 6 GPUs: 1 + 2 + 4 = 7 chains.
    static func space(_ scenario: Scenario) throws -> PlanSpace {
        var s = PlanSection()
        s.maxGPUs = 6
        s.keepAlives = [.minutes(2), .minutes(10)]
        s.idleTimeouts = [.seconds(60), nil]
        s.evictions = [.lru, .lfu]
        return try s.resolve(scenario: scenario)
    }
}

@Suite(.serialized) struct PlanShardTests {
    @Test func shardsIntoOneCacheGiveTheSingleRunPlanWithNothingNew() throws {
        let inputs = try PlanFixtures.inputs()
        let space = try PlanFixtures.space(inputs.scenario)
        let single = try Planner.run(inputs, space: space, threads: 2)

        let dir = try TemporaryDirectory()
        let cache = DirectoryPlanEvaluationCacheDouble(directory: dir.url)
        let one = try Planner.run(inputs, space: space, shard: PlanShard(index: 1, count: 2), threads: 2, cache: cache)
        let two = try Planner.run(inputs, space: space, shard: PlanShard(index: 2, count: 2), threads: 2, cache: cache)
        // Shard K of 2 takes the chains whose number mod 2 is K − 1.
        let chains = single.chains.map(\.index)
        #expect(chains.count > 2)
        #expect(one.chains.map(\.index) == chains.filter { $0 % 2 == 0 })
        #expect(two.chains.map(\.index) == chains.filter { $0 % 2 == 1 })
        #expect(one.statistics.cacheHits == 0 && two.statistics.cacheHits == 0)
        #expect(one.statistics.simulated + two.statistics.simulated == single.statistics.simulated)
        #expect(cache.storedCount == single.statistics.evaluations)

        let merged = try Planner.run(inputs, space: space, threads: 2, cache: cache)
        #expect(merged.statistics.simulated == 0)
        #expect(merged.statistics.cacheMisses == 0)
        #expect(merged.statistics.cacheHits == single.statistics.evaluations)
        #expect(merged.json() == single.json())
        #expect(merged.markdown() == single.markdown())
    }

    @Test func aRerunOverTheCacheSimulatesNothing() throws {
        let inputs = try PlanFixtures.inputs()
        var section = PlanSection()
        section.maxGPUs = 4
        section.strategies = [.hotSwap]
        let space = try section.resolve(scenario: inputs.scenario)
        let dir = try TemporaryDirectory()
        let cache = DirectoryPlanEvaluationCacheDouble(directory: dir.url)
        let first = try Planner.run(inputs, space: space, threads: 1, cache: cache)
        #expect(first.statistics.simulated == first.statistics.evaluations && first.statistics.cacheMisses == first.statistics.evaluations)
        let again = try Planner.run(inputs, space: space, threads: 1, cache: cache)
        #expect(again.statistics.simulated == 0)
        #expect(again.json() == first.json())
        // A different seed is a different key: nothing is reused.
        var other = inputs
        other.traceInput.seed = 2
        #expect(try Planner.run(other, space: space, threads: 1, cache: cache).statistics.cacheHits == 0)
    }

    @Test func shardsPartitionTheChains() {
        for n in 1...5 {
            for chain in 0..<23 {
                let owners = (1...n).filter { PlanShard(index: $0, count: n)!.owns(chain: chain) }
                #expect(owners.count == 1, "chain \(chain) of \(n) shards")
            }
        }
        #expect(PlanShard(index: 3, count: 2) == nil)
        #expect(PlanShard(index: 0, count: 2) == nil)
    }
}

@Suite(.serialized) struct PlanDeterminismTests {
    @Test func sameJSONOnOneTwoAndFourThreads() throws {
        let inputs = try PlanFixtures.inputs()
        let space = try PlanFixtures.space(inputs.scenario)
        let reference = try Planner.run(inputs, space: space, threads: 1).json()
        for threads in [2, 4] {
            #expect(try Planner.run(inputs, space: space, threads: threads).json() == reference, "threads \(threads)")
        }
    }

    /// A trace past the held-request limit is read from its file by each simulation, each
    /// replication's with its own seed: the plan is the one with every request held. The limit
    /// is crossed in the first replication, then in the second.
    @Test func aStreamedTraceGivesTheHeldPlan() throws {
        var inputs = try PlanFixtures.inputs(replications: 2)
        var section = PlanSection()
        section.maxGPUs = 3
        section.strategies = [.hotSwap, .scaleToZero]
        section.idleTimeouts = [.seconds(60)]
        section.keepAlives = [.minutes(2)]
        let space = try section.resolve(scenario: inputs.scenario)
        let held = try Planner.run(inputs, space: space, threads: 2)
        let count = held.requests
        for limit in [10, count + 1] {
            inputs.heldRequestLimit = limit
            var notes: [String] = []
            let streamed = try Planner.run(inputs, space: space, threads: 2, notice: { notes.append($0) })
            #expect(streamed.json() == held.json(), "limit \(limit)")
            #expect(notes.count == 1 && notes[0].contains("\(count) requests are read from the trace file by each simulation"), "\(notes)")
        }
        var notes: [String] = []
        inputs.heldRequestLimit = 2 * count
        _ = try Planner.run(inputs, space: space, threads: 2, notice: { notes.append($0) })
        #expect(notes.isEmpty, "both replications fit: held, no note")
    }

    @Test func replicationsUseConsecutiveSeedsAndReportSpread() throws {
        let inputs = try PlanFixtures.inputs(replications: 3)
        var section = PlanSection()
        section.maxGPUs = 4
        section.strategies = [.hotSwap]
        let space = try section.resolve(scenario: inputs.scenario)
        let r = try Planner.run(inputs, space: space, threads: 2)
        #expect(r.seeds == [1, 2, 3])
        for c in r.configurations {
            #expect(c.evaluations.map(\.seed) == [1, 2, 3])
            let s = c.ttftP99
            #expect(s.min <= s.mean && s.mean <= s.max)
            // The stated rule: feasible only if every replication meets the SLO.
            #expect(c.meetsSLO == c.evaluations.allSatisfy { $0.metrics?.meetsSLO == true })
        }
        #expect(r.json().contains("\"replications\": 3"))
    }
}

@Suite struct PlanEvaluationCodecTests {
    @Test func roundTripsBitForBit() throws {
        let awkward = [0.1 + 0.2, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -0.0, 123456789.123456789, 1.0 / 3.0, .infinity]
        for (i, v) in awkward.enumerated() {
            let e = PlanEvaluation(seed: UInt64.max - UInt64(i), outcome: .ran(PlanMetrics(
                requests: 10, completed: 9, rejected: 1, ttftMean: v, ttftP50: v / 7, ttftP99: v, attainment: 0.95,
                percentilesAchieved: [v, 2.5], meetsSLO: i % 2 == 0, costUSD: v, horizonSeconds: 3600.000000001,
                gpuHours: v, coldStarts: 3, swapIns: 4)))
            let text = PlanEvaluationCodec.encode(e)
            let back = try #require(PlanEvaluationCodec.decode(text), "\(text)")
            #expect(back == e)
            #expect(back.metrics!.ttftMean.bitPattern == v.bitPattern)
            #expect(PlanEvaluationCodec.encode(back) == text)
        }
        let failed = PlanEvaluation(seed: 7, outcome: .unrunnable(reason: "always-warm needs \"3\" GPUs\n(tab\t)", dependsOnCount: true))
        #expect(PlanEvaluationCodec.decode(PlanEvaluationCodec.encode(failed)) == failed)
    }

    @Test func rejectsOtherText() {
        #expect(PlanEvaluationCodec.decode("") == nil)
        #expect(PlanEvaluationCodec.decode("{\"format\":\"other/1\",\"seed\":1,\"ran\":false}") == nil)
        #expect(PlanEvaluationCodec.decode("{\"format\":\"swapsim.plan-evaluation/1\",\"seed\":1,\"ran\":true}") == nil)
    }
}
