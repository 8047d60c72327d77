@testable import SwapSimCore
import Testing

/// Where always-warm puts replicas, and the tier mixes the planner proposes.
@Suite struct PlacementAndTierTests {
    static let cluster = ClusterSpec(
        nodes: 1, gpusPerNode: 4, gpu: TestScenarios.gpu, hostMemory: .gibibytes(1024), swapSpace: .gibibytes(512),
        dmaBandwidth: .gigabytesPerSecond(100), storageReadBandwidth: .gigabytesPerSecond(5), platform: TestScenarios.platform)

    @Test func spreadingGivesEachReplicaItsOwnGPUWhileThePoolHasOne() throws {
        let items: [(bytes: ByteCount, width: Int)] = [(.gibibytes(10), 1), (.gibibytes(20), 1), (.gibibytes(10), 1), (.gibibytes(15), 1)]
        let spread = try #require(Placement.spreadDecreasing(items: items, capacity: .gibibytes(80), cluster: Self.cluster))
        // Largest first, each on the emptiest GPU, ties to the first: 20→0, 15→1, 10→2, 10→3.
        #expect(spread == [2..<3, 0..<1, 3..<4, 1..<2])
        // First fit packs all four on GPU 0.
        let packed = Placement.firstFitDecreasing(items: items, capacity: .gibibytes(80), cluster: Self.cluster).groups
        #expect(packed.allSatisfy { $0 == 0..<1 })
        // Two GPUs: they alternate by free memory.
        let two = try #require(Placement.spreadDecreasing(items: items, capacity: .gibibytes(80), cluster: Self.cluster, limit: 2))
        #expect(two == [1..<2, 0..<1, 0..<1, 1..<2])
    }

    @Test func spreadingKeepsTensorParallelGroupsAligned() throws {
        let items: [(bytes: ByteCount, width: Int)] = [(.gibibytes(30), 2), (.gibibytes(10), 1), (.gibibytes(10), 1)]
        let spread = try #require(Placement.spreadDecreasing(items: items, capacity: .gibibytes(80), cluster: Self.cluster))
        #expect(spread == [0..<2, 2..<3, 3..<4])
    }

    @Test func spreadingThatFragmentsThePoolGivesWayToFirstFit() {
        // 60, 40, 40, 30, 30 on two GPUs of 100: first fit fills both exactly; spreading leaves
        // 10 and 20 free for the last 30.
        let items: [(bytes: ByteCount, width: Int)] = [60, 40, 40, 30, 30].map { (.gibibytes($0), 1) }
        #expect(Placement.spreadDecreasing(items: items, capacity: .gibibytes(100), cluster: Self.cluster, limit: 2) == nil)
        #expect(Placement.firstFitDecreasing(items: items, capacity: .gibibytes(100), cluster: Self.cluster, limit: 2).groups.allSatisfy { $0 != nil })
    }

    /// Five models with falling rates: the ladder pins the 1, 2 and 3 busiest (by their
    /// replicas' utilisation, not list order) with the rest on hot-swap.
    @Test func thePlannerSearchesTheBusiestModelsPinnedOnALadder() {
        let models = (0..<5).map { TestScenarios.model("m\($0)", parameters: 8_000_000_000) }
        var s = TestScenarios.scenario(nodes: 1, gpusPerNode: 4, models: models)
        s.hotSwap.idleTimeout = .seconds(1)
        // Requests per model over 100 s, every 0.5 s for the busiest; model 3 busiest, then 0, 4, 1, 2.
        let counts = [150, 60, 20, 200, 100]
        var requests: [TraceRequest] = []
        for (m, n) in counts.enumerated() {
            for k in 0..<n { requests.append(TraceRequest(arrival: .zero + SimDuration(seconds: 100 * Double(k) / Double(n)), model: m, inputTokens: 100, outputTokens: 50)) }
        }
        requests.sort { $0.arrival != $1.arrival ? $0.arrival < $1.arrival : $0.model < $1.model }
        let advice = TierAdvisor.advise(scenario: s, traffic: TrafficProfile(requests, models: 5))
        #expect(advice.models.map(\.busyRank) == [1, 3, 4, 0, 2])
        let pinnedSets = advice.splits.map { split in Set(split.indices.filter { split[$0] == .pinned }) }
        for top in [[3], [3, 0], [3, 0, 4]] {
            #expect(pinnedSets.contains(Set(top)), "the \(top.count) busiest pinned")
        }
        #expect(advice.reason(model: 3, tier: .pinned).contains("1st busiest") || advice.models[3].pin)
    }
}
