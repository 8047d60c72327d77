@testable import SwapSimCore
import Testing

@Suite struct SwapWaitListTests {
    /// Hot-swap's pass over one list, as it was before the queues per group: servers in order,
    /// skipping any whose GPUs an earlier failure holds. Returns the servers tried, in order,
    /// and the list left (`start` says whether a try starts the server).
    static func referencePass(_ list: inout [Int], home: [Range<Int>], gpus: Int, start: (Int) -> Bool) -> [Int] {
        var blocked = Array(repeating: false, count: gpus)
        var tried: [Int] = []
        var i = 0
        while i < list.count {
            let r = list[i]
            if home[r].contains(where: { blocked[$0] }) { i += 1; continue }
            tried.append(r)
            if start(r) {
                list.remove(at: i)
            } else {
                for g in home[r] { blocked[g] = true }
                i += 1
            }
        }
        return tried
    }

    /// The same pass over the wait list, as `HotSwapStrategy.serveWaitList` makes it.
    static func pass(_ list: inout SwapWaitList, home: [Range<Int>], gpus: Int, start: (Int) -> Bool) -> [Int] {
        var tried: [Int] = []
        list.beginPass()
        defer { list.endPass() }
        while let r = list.next() {
            tried.append(r)
            if start(r) {
                list.removeHead(r)
            } else {
                _ = list.hold(home[r])
            }
        }
        return tried
    }

    /// Random servers on eight GPUs (single GPUs and aligned pairs and fours, so groups overlap),
    /// asking in random order, with passes where each try starts its server or not at random:
    /// every pass tries the same servers in the same order as the single list, and leaves the
    /// same servers waiting in the same order.
    @Test(arguments: 0..<6)
    func passesMatchTheSingleList(seed: UInt64) {
        var rng = RandomStream(seed: seed, stream: "swap-wait-list")
        let gpus = 8
        let servers = 40
        let home: [Range<Int>] = (0..<servers).map { _ in
            let width = [1, 1, 1, 2, 4][Int(rng.nextInt(below: 5))]
            let first = Int(rng.nextInt(below: UInt64(gpus / width))) * width
            return first..<(first + width)
        }
        var list = SwapWaitList(servers: Array(0..<servers), home: home)
        var reference: [Int] = []
        var waiting = Array(repeating: false, count: servers)
        var tries = 0
        for _ in 0..<300 {
            // A few servers ask, then one pass.
            for _ in 0..<Int(rng.nextInt(below: 6)) {
                let r = Int(rng.nextInt(below: UInt64(servers)))
                guard !waiting[r] else { continue }
                waiting[r] = true
                list.append(r)
                reference.append(r)
            }
            var outcomes: [Int: Bool] = [:]
            let threshold = rng.nextUnit()
            var draws = RandomStream(seed: rng.next(), stream: "outcomes")
            let decide: (Int) -> Bool = { r in
                if let o = outcomes[r] { return o }
                let o = draws.nextUnit() < threshold
                outcomes[r] = o
                return o
            }
            let expected = Self.referencePass(&reference, home: home, gpus: gpus, start: decide)
            let got = Self.pass(&list, home: home, gpus: gpus, start: decide)
            #expect(got == expected)
            let (order, count) = (list.servers, list.count)
            #expect(order == reference)
            #expect(count == reference.count)
            for r in expected where !reference.contains(r) { waiting[r] = false }
            tries += expected.count
        }
        #expect(tries > 200)
    }

    /// One queue when every server has the same range (dynamic placement): a plain FIFO.
    /// (A wait list cannot be copied, so what the expectations read is read first.)
    @Test func oneRangeIsOneQueueInOrder() {
        var list = SwapWaitList(servers: [3, 5, 7], home: Array(repeating: 0..<0, count: 8))
        for r in [7, 3, 5] { list.append(r) }
        list.beginPass()
        var tried = list.next()
        #expect(tried == 7)
        list.removeHead(7)
        tried = list.next()
        #expect(tried == 3)
        list.endPass()
        let (order, empty) = (list.servers, list.isEmpty)
        #expect(order == [3, 5])
        #expect(!empty)
    }

    /// A server that asks during a pass is reached in turn when its GPUs are free, and not when
    /// an earlier server holds them; holding GPUs passes over every queue that needs one of them.
    @Test func aServerAskingDuringAPassIsReachedInTurn() {
        let home: [Range<Int>] = [0..<1, 1..<2, 0..<2, 1..<2]
        var list = SwapWaitList(servers: [0, 1, 2, 3], home: home)
        list.append(0)
        list.beginPass()
        var tried = list.next()
        #expect(tried == 0)
        list.append(1)  // GPU 1 is free: it comes after 0
        var newlyHeld = list.hold(0..<1)
        #expect(newlyHeld == 1)
        tried = list.next()
        #expect(tried == 1)
        list.append(2)  // GPUs 0 and 1: GPU 0 is held
        list.removeHead(1)
        tried = list.next()
        #expect(tried == nil)
        list.endPass()
        var order = list.servers
        #expect(order == [0, 2])
        list.beginPass()
        tried = list.next()
        #expect(tried == 0)
        newlyHeld = list.hold(0..<1)
        #expect(newlyHeld == 1)  // passes over server 2, which needs GPU 0 too
        tried = list.next()
        #expect(tried == nil)
        list.append(3)  // GPU 1 is free
        tried = list.next()
        #expect(tried == 3)
        list.endPass()
        order = list.servers
        let count = list.count
        #expect(order == [0, 2, 3])
        #expect(count == 3)
    }
}

/// Hot-swap replays a try that failed when nothing it read has changed: the results must be
/// those of making room afresh every time.
@Suite struct ReplayedTryTests {
    /// Random pools where servers wait for room (tensor-parallel groups overlap, swap space is
    /// sometimes short, evictions sometimes overlap the copy-in), hot-swap and a mixed pool
    /// (whose arbiter replays only failures decided before it is asked): the same result, bit
    /// for bit, with replays on and off, and hot-swap did replay.
    @Test(arguments: 0..<8)
    func replaysGiveTheResultOfTryingAgain(seed: UInt64) throws {
        var (scenario, trace) = RandomWorkloads.scenarioAndTrace(seed: seed + 40, requests: 400)
        scenario.hotSwap.overlapEvictions = seed % 2 == 1
        // Requests come closer together: servers queue for memory.
        for i in trace.indices { trace[i].arrival = SimInstant(nanoseconds: trace[i].arrival.nanoseconds / 8) }
        for kind in [StrategyKind.hotSwap, .hybrid] {
            let s = RandomWorkloads.forStrategy(kind, scenario)
            let fresh = try HotSwapStrategy.$replaysFailedTries.withValue(false) {
                try simulate(scenario: s, strategy: kind, requests: ArrayRequestSource(trace), recordRequests: true)
            }
            let simulation = Simulation(scenario: s, strategy: kind, source: ArrayRequestSource(trace), recordRequests: true)
            let replayed = try simulation.run()
            #expect(replayed == fresh, "\(kind.rawValue), seed \(seed)")
            if let h = simulation.strategy as? HotSwapStrategy {
                #expect(h.replayedTries + h.skippedPasses > 0, "seed \(seed): no try was replayed")
            }
        }
    }

    /// Single-GPU models sharing one GPU, so that their group is isolated and a pass leaves out
    /// the servers that would fail again: the same result as trying every one.
    @Test(arguments: 0..<8)
    func isolatedGroupsLeaveReplaysOutOfThePass(seed: UInt64) throws {
        var (scenario, trace) = RandomWorkloads.scenarioAndTrace(seed: seed + 60, requests: 400)
        let kept = scenario.models.indices.filter { scenario.models[$0].tensorParallel == 1 }
        scenario.models = kept.map { scenario.models[$0] }
        scenario.cluster.gpusPerNode = 1
        scenario.hotSwap.overlapEvictions = seed % 2 == 1
        for i in trace.indices {
            trace[i].model = kept.firstIndex(of: trace[i].model) ?? trace[i].model % kept.count
            trace[i].arrival = SimInstant(nanoseconds: trace[i].arrival.nanoseconds / 8)
        }
        let fresh = try HotSwapStrategy.$replaysFailedTries.withValue(false) {
            try simulate(scenario: scenario, strategy: .hotSwap, requests: ArrayRequestSource(trace), recordRequests: true)
        }
        let simulation = Simulation(scenario: scenario, strategy: .hotSwap, source: ArrayRequestSource(trace), recordRequests: true)
        let replayed = try simulation.run()
        #expect(replayed == fresh, "seed \(seed)")
        let h = try #require(simulation.strategy as? HotSwapStrategy)
        #expect(h.replayedTries > 0, "seed \(seed): no try was left out")
    }
}
