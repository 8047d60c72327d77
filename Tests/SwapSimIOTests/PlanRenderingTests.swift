import Foundation
import SwapSimCore
import Testing

@testable import SwapSimIO

/// The plan's Markdown (golden), JSON shape and the `plan:` section's errors.
@Suite(.serialized) struct PlanRenderingTests {
    static let shared: Result<PlanResult, any Error> = Result {
        let inputs = try PlanFixtures.inputs()
        return try Planner.run(inputs, space: try PlanFixtures.space(inputs.scenario), threads: 2)
    }

    @Test func markdownMatchesGolden() throws {
        try RunSummaryRenderingTests().assertGolden(try Self.shared.get().markdown(), named: "plan-demo.md")
    }

    @Test func jsonHasTheContractFields() throws {
        let json = try Self.shared.get().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "swapsim.plan/1")
        for key in ["scenario", "trace", "requests", "seeds", "replications", "feasibility_rule", "search_rule", "constraints", "space",
            "strategies", "pareto_frontier", "near_misses", "chains", "configurations"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(strategies.map { $0["strategy"] as? String } == ["always-warm", "scale-to-zero", "hot-swap", "hybrid"])
        // No cache statistics in the byte-stable output.
        #expect(!json.contains("cache"))
    }

    @Test func answersAreConsistentWithTheEvaluations() throws {
        let r = try Self.shared.get()
        for p in r.strategies {
            if let i = p.cheapest {
                let c = r.configurations[i]
                #expect(r.isFeasible(c))
                let cheaper = r.configurations.filter { $0.configuration.strategy == p.strategy && r.isFeasible($0) && $0.costPerMonth.mean < c.costPerMonth.mean }
                #expect(cheaper.isEmpty)
            } else {
                #expect(p.closest != nil && p.closestReason != nil)
            }
        }
        for i in r.nearMisses { #expect(!r.isFeasible(r.configurations[i])) }
    }
}

@Suite struct PlanSectionTests {
    func scenario(plan: String) -> String {
        let demo = (try? String(contentsOfFile: Fixtures.demoScenario, encoding: .utf8)) ?? ""
        return demo + "plan:\n" + plan
    }

    func error(_ text: String) -> String {
        do {
            _ = try ScenarioLoader.parse(text, file: "s.yaml")
            return "no error"
        } catch { return error.description }
    }

    @Test func readsEveryKey() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("s.yaml", scenario(plan: """
              strategies: [hot-swap, always-warm]
              gpu_types: [H100-SXM, l40s]
              max_gpus: 12
              budget_usd_per_month: 20000
              swap_space: [256GiB, 512GiB]
              keep_alive: [1m]
              idle_timeout: [30s, never]
              eviction: [lru, largest]
              replications: 2
            """))
        let (s, plan, _) = try ScenarioLoader.loadForPlanning(path: path)
        let p = try #require(plan)
        #expect(p.strategies == [.hotSwap, .alwaysWarm])
        #expect(p.gpuTypes == ["H100-SXM", "L40S"])
        #expect(p.idleTimeouts == [.seconds(30), nil])
        let space = try p.resolve(scenario: s)
        #expect(space.chains.count == 2 * 2 * 2 * 2 + 2)
        // The scenario's own GPU is billed at its costs.gpu_hour_usd; the other at the catalogue price.
        #expect(space.gpuTypes[0].pricePerHour == s.costs.gpuHour)
        #expect(space.gpuTypes[1].pricePerHour == GPUCatalog.named("L40S")!.pricePerHour)
    }

    @Test func unknownKeyNamesItsPath() {
        let e = error(scenario(plan: "  max_gpu: 4\n"))
        #expect(e.contains("plan.max_gpu"), "\(e)")
    }

    @Test func unknownGPUTypeNamesItsIndex() {
        let e = error(scenario(plan: "  gpu_types: [H100-SXM, Z999]\n"))
        #expect(e.contains("plan.gpu_types[1]") && e.contains("unknown GPU 'Z999'"), "\(e)")
    }

    @Test func badDurationAndPolicy() {
        #expect(error(scenario(plan: "  keep_alive: [5 parsecs]\n")).contains("plan.keep_alive[0]"))
        #expect(error(scenario(plan: "  eviction: [random]\n")).contains("unknown eviction policy 'random'"))
    }

    @Test func resolveRejectsEmptyAndRepeatedLists() throws {
        let s = try ScenarioLoader.load(path: Fixtures.demoScenario)
        var p = PlanSection()
        p.keepAlives = []
        #expect(throws: PlanValueError.self) { try p.resolve(scenario: s) }
        p = PlanSection()
        p.evictions = [.lru, .lru]
        #expect(throws: PlanValueError.self) { try p.resolve(scenario: s) }
        p = PlanSection()
        p.maxGPUs = 0
        #expect(throws: PlanValueError.self) { try p.resolve(scenario: s) }
    }
}
