import SwapSimCore
import Testing

/// Eviction policies on classic demand paging: one GPU that holds three of six equal models,
/// requests far apart (each served and idle long before the next), so every request for a
/// model not resident is one swap-in that evicts one model. There Belady's farthest-next-use
/// is the optimum: no online policy swaps less, and its count equals an independent reference.
@Suite struct EvictionPolicyTests {
    static let models = 6
    static let slots = 3

    /// Six 5B models (10 GB of weights and 1 GiB of KV each) bound to one 40 GiB GPU with six
    /// 1 GiB runtime reservations: three fit at once.
    static func scenario(_ policy: EvictionPolicy) -> Scenario {
        let models = (0..<Self.models).map { TestScenarios.model("m\($0)", parameters: 5_000_000_000) }
        return TestScenarios.scenario(models: models, hotSwap: HotSwapConfig(idleTimeout: nil, eviction: policy, swapOverhead: .milliseconds(300)))
    }

    /// A random sequence of model indices with a skewed popularity, 60 s apart.
    static func trace(seed: UInt64, count: Int = 200) -> (sequence: [Int], requests: [TraceRequest]) {
        var rng = RandomStream(seed: seed, stream: "paging")
        let weights = [8, 5, 4, 3, 2, 1]
        var sequence: [Int] = []
        var requests: [TraceRequest] = []
        for i in 0..<count {
            var pick = rng.uniformInt(0...weights.reduce(0, +) - 1)
            var m = 0
            while pick >= weights[m] { pick -= weights[m]; m += 1 }
            sequence.append(m)
            requests.append(TraceRequest(arrival: .zero + .seconds(Int64(60 * (i + 1))), model: m, inputTokens: 16, outputTokens: 2))
        }
        return (sequence, requests)
    }

    /// Belady's algorithm written from its definition: a cache of `slots` pages starting with
    /// pages 0…slots−1; on a miss with a full cache, evict the page whose next use is farthest
    /// (a page never used again first). Returns the misses.
    static func referenceBelady(_ sequence: [Int], slots: Int, initial: [Int]) -> Int {
        var cache = initial
        var misses = 0
        for (i, page) in sequence.enumerated() {
            if cache.contains(page) { continue }
            misses += 1
            if cache.count < slots {
                cache.append(page)
                continue
            }
            func nextUse(_ p: Int) -> Int { sequence[(i + 1)...].firstIndex(of: p) ?? Int.max }
            let victim = cache.max { nextUse($0) < nextUse($1) }!
            cache[cache.firstIndex(of: victim)!] = page
        }
        return misses
    }

    @Test func beladyMatchesTheReferenceAndNoOnlinePolicyBeatsIt() throws {
        for seed in UInt64(1)...20 {
            let (sequence, requests) = Self.trace(seed: seed)
            let belady = try simulate(scenario: Self.scenario(.belady), strategy: .hotSwap, requests: ArrayRequestSource(requests))
            #expect(belady.completed == requests.count)
            let reference = Self.referenceBelady(sequence, slots: Self.slots, initial: Array(0..<Self.slots))
            #expect(belady.swapIns == reference, "seed \(seed): Belady swapped in \(belady.swapIns) times, the reference \(reference)")
            for policy in EvictionPolicy.online {
                let r = try simulate(scenario: Self.scenario(policy), strategy: .hotSwap, requests: ArrayRequestSource(requests))
                #expect(belady.swapIns <= r.swapIns, "seed \(seed): \(policy.rawValue) swapped in \(r.swapIns) times, fewer than Belady's \(belady.swapIns)")
            }
        }
    }

    @Test func lruEvictsTheLeastRecentlyUsed() throws {
        // Resident at the start: m0, m1, m2. Use m2, m0, then ask for m3: m1 is the least recent.
        let order = [2, 0, 3]
        let requests = order.enumerated().map { TraceRequest(arrival: .zero + .seconds(Int64(60 * ($0.offset + 1))), model: $0.element, inputTokens: 16, outputTokens: 2) }
        let r = try simulate(scenario: Self.scenario(.lru), strategy: .hotSwap, requests: ArrayRequestSource(requests))
        #expect(r.lifecycle.filter { $0.kind == .eviction }.map(\.model) == [1])
    }

    @Test func lfuEvictsTheLeastFrequentlyUsed() throws {
        // m0 used three times, m1 once, m2 twice (most recently): m1 goes for m3.
        let order = [0, 0, 1, 2, 0, 2, 3]
        let requests = order.enumerated().map { TraceRequest(arrival: .zero + .seconds(Int64(60 * ($0.offset + 1))), model: $0.element, inputTokens: 16, outputTokens: 2) }
        let r = try simulate(scenario: Self.scenario(.lfu), strategy: .hotSwap, requests: ArrayRequestSource(requests))
        #expect(r.lifecycle.filter { $0.kind == .eviction }.map(\.model) == [1])
    }

    @Test func gdsfKeepsTheCheapPerByteAndAgesOutTheIdle() throws {
        // Equal sizes and costs: GDSF ranks by frequency plus the inflation L, like LFU with
        // ageing. m0 used twice; m1, m2 once each, m2 most recently: m1 goes for m3; then L rises
        // to m1's priority, so m3 (inserted after) outranks m2 at equal frequency: m2 goes for m4.
        let order = [0, 0, 1, 2, 3, 4]
        let requests = order.enumerated().map { TraceRequest(arrival: .zero + .seconds(Int64(60 * ($0.offset + 1))), model: $0.element, inputTokens: 16, outputTokens: 2) }
        let r = try simulate(scenario: Self.scenario(.gdsf), strategy: .hotSwap, requests: ArrayRequestSource(requests))
        #expect(r.lifecycle.filter { $0.kind == .eviction }.map(\.model) == [1, 2])
    }
}
