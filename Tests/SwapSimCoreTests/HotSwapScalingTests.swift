import SwapSimCore
import Testing

/// Hot-swap that scales: several servers for a popular model, and dynamic placement.
@Suite struct HotSwapScalingTests {
    static func request(_ t: Int64, _ m: Int, output: Int32 = 200) -> TraceRequest {
        TraceRequest(arrival: .zero + .milliseconds(t), model: m, inputTokens: 100, outputTokens: output)
    }

    @Test func aSecondReplicaSwapsInWhenTheFirstIsSaturated() throws {
        // One 8B model with two replicas on two GPUs, batch 4, target concurrency 4: eight
        // requests at once fill the first replica and bring the second in.
        var model = TestScenarios.model("m", parameters: 8_000_000_000, maxBatch: 4)
        model.replicas = 2
        var s = TestScenarios.scenario(gpusPerNode: 2, models: [model])
        s.hotSwap.targetConcurrency = 4
        s.hotSwap.idleTimeout = .seconds(1)
        // Both start resident (each bound to its own GPU); let them idle out first.
        let trace = (0..<8).map { Self.request(10_000 + Int64($0), 0) }
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(r.completed == 8)
        let swapIns = r.lifecycle.filter { $0.kind == .swapIn }
        #expect(swapIns.count == 2, "\(swapIns)")
        #expect(Set(swapIns.map(\.gpus)) == [0..<1, 1..<2])
    }

    @Test func underTheTargetOneResidentReplicaServesAll() throws {
        var model = TestScenarios.model("m", parameters: 8_000_000_000, maxBatch: 4)
        model.replicas = 2
        var s = TestScenarios.scenario(gpusPerNode: 2, models: [model])
        s.hotSwap.idleTimeout = .seconds(1)
        s.hotSwap.targetConcurrency = 16
        let trace = (0..<8).map { Self.request(10_000 + Int64($0), 0) }
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(r.completed == 8)
        #expect(r.swapIns == 1)
    }

    @Test func dynamicPlacementUsesAnotherGPUWithRoom() throws {
        // Three 14B models on two GPUs, one fits a GPU at a time. Static binding puts m0 and m2
        // on GPU 0 and m1 on GPU 1; m0 and m1 start resident. m1 is never asked for; m0 and m2
        // alternate, so bound together they evict each other on every request, while dynamic
        // placement evicts the idle m1 once and runs m2 on GPU 1.
        let models = (0..<3).map { TestScenarios.model("m\($0)", parameters: 14_000_000_000, kvCache: .gibibytes(2)) }
        var s = TestScenarios.scenario(gpusPerNode: 2, models: models)
        var trace: [TraceRequest] = []
        for i in 0..<20 { trace.append(Self.request(20_000 + Int64(i) * 4_000, i % 2 == 0 ? 0 : 2, output: 20)) }
        var staticRun = s
        staticRun.hotSwap.placement = .static
        var dynamicRun = s
        dynamicRun.hotSwap.placement = .dynamic
        let a = try simulate(scenario: staticRun, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        let b = try simulate(scenario: dynamicRun, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(a.completed == trace.count && b.completed == trace.count)
        #expect(a.swapIns == 19, "static: \(a.swapIns) swap-ins")
        #expect(b.swapIns == 1, "dynamic: \(b.swapIns) swap-ins")
        #expect(b.lifecycle.filter { $0.kind == .swapIn }.map(\.gpus) == [1..<2])
        #expect(b.lifecycle.filter { $0.kind == .eviction }.map(\.model) == [1])
        #expect(b.ttft.mean < a.ttft.mean / 5)
    }

    /// Found by running W4's two nodes with dynamic placement: a server put to sleep on one
    /// node woke on the other, and released swap space that node never held (a crash). Eight
    /// 14B models on two nodes of two GPUs, asked at random, so most requests swap: each server
    /// keeps to one node, the servers are spread over both, and every request completes.
    @Test func dynamicPlacementKeepsEachServerOnItsNode() throws {
        let models = (0..<8).map { TestScenarios.model("m\($0)", parameters: 14_000_000_000, kvCache: .gibibytes(2)) }
        var s = TestScenarios.scenario(nodes: 2, gpusPerNode: 2, models: models)
        s.hotSwap.placement = .dynamic
        var rng = RandomStream(seed: 7, stream: "models")
        let trace = (0..<64).map { Self.request(20_000 + Int64($0) * 3_000, Int(rng.nextInt(below: 8)), output: 20) }
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource(trace))
        #expect(r.completed == trace.count)
        let swapIns = r.lifecycle.filter { $0.kind == .swapIn }
        #expect(swapIns.count > 24)
        var nodeOf: [Int: Int] = [:]
        for e in swapIns {
            let node = e.gpus.lowerBound / 2
            #expect(e.gpus.upperBound <= (node + 1) * 2)
            #expect(nodeOf[e.model, default: node] == node, "model \(e.model) woke on nodes \(nodeOf[e.model]!) and \(node)")
            nodeOf[e.model] = node
        }
        #expect(Set(nodeOf.values) == [0, 1])
    }
}
