import SwapSimCore
import Testing

/// The hybrid pool: with every model in one tier it is that strategy byte for byte, and a real
/// mix keeps each tier's rules.
@Suite struct HybridStrategyTests {
    /// `scenario` with every model in `tier`, and the hybrid pool equal to `single`'s.
    static func allIn(_ tier: ModelTier, _ scenario: Scenario, like single: StrategyKind) -> Scenario {
        var s = scenario
        for i in s.models.indices { s.models[i].tier = tier }
        s.strategies[.hybrid]["gpus"] = s.strategies[single]["gpus"]
        return s
    }

    /// `r` as if `kind` had produced it, to compare everything else.
    static func relabel(_ r: StrategyResult, as kind: StrategyKind) -> StrategyResult {
        var r = r
        r.strategy = kind
        return r
    }

    @Test(arguments: [(ModelTier.pinned, StrategyKind.alwaysWarm), (.hotSwap, .hotSwap), (.scaleToZero, .scaleToZero)])
    func everyModelInOneTierIsThatStrategy(tier: ModelTier, single: StrategyKind) throws {
        for seed in UInt64(0)..<8 {
            let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed)
            let s = Self.allIn(tier, RandomWorkloads.forStrategy(single, base), like: single)
            let expected = try simulate(scenario: s, strategy: single, requests: ArrayRequestSource(trace))
            let hybrid = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
            #expect(Self.relabel(hybrid, as: single) == expected, "seed \(seed): hybrid with every model \(tier.rawValue) differs from \(single)")
        }
    }

    @Test func aMixedPoolKeepsEachTiersRules() throws {
        var checked = 0
        for seed in UInt64(0)..<12 {
            let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed)
            let s = RandomWorkloads.forStrategy(.hybrid, base)
            let tiers = s.models.indices.map { s.tier(of: $0) }
            guard Set(tiers).count > 1 else { continue }
            let r: StrategyResult
            do {
                r = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
            } catch let e as ScenarioError {
                // A mix whose pinned and hot-swap servers cannot share the pool is refused by name.
                #expect(e.description.contains("pinned") || e.description.contains("hot-swap"), "seed \(seed): \(e)")
                continue
            }
            checked += 1
            #expect(r.completed + r.rejected == r.requests, "seed \(seed)")
            for e in r.lifecycle {
                switch tiers[e.model] {
                case .pinned:
                    Issue.record("seed \(seed): pinned model \(e.model) moved: \(e.kind)")
                case .hotSwap:
                    #expect(e.kind != .teardown, "seed \(seed): a hot-swap model was torn down")
                case .scaleToZero:
                    #expect(e.kind != .swapIn && e.kind != .swapOut, "seed \(seed): a scale-to-zero model swapped")
                }
            }
            for (m, mr) in r.models.enumerated() {
                #expect(mr.tier == tiers[m].rawValue)
                if tiers[m] == .pinned {
                    // Resident the whole run.
                    #expect(mr.residentTime == r.horizon - .zero, "seed \(seed): pinned model \(m) resident \(mr.residentTime)")
                }
            }
        }
        #expect(checked >= 4, "too few mixed pools ran: \(checked)")
    }

    @Test func aPinnedSetLargerThanThePoolIsOneErrorNamingTheModel() {
        let models = (0..<3).map { TestScenarios.model("m\($0)", parameters: 14_000_000_000, kvCache: .gibibytes(4)) }
        var s = TestScenarios.scenario(gpusPerNode: 2, models: models)
        for i in s.models.indices { s.models[i].tier = .pinned }
        let trace = [TraceRequest(arrival: .zero, model: 0, inputTokens: 10, outputTokens: 10)]
        #expect(throws: ScenarioError.pinnedDoesNotFit(needed: 3, available: 2, gpu: "TestGPU", model: "m2")) {
            _ = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
        }
    }
}
