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
            var s = Self.allIn(tier, RandomWorkloads.forStrategy(single, base), like: single)
            let expected = try simulate(scenario: s, strategy: single, requests: ArrayRequestSource(trace))
            // With one tier there is nothing to keep apart: `pinned_gpus` changes nothing.
            for placement in PinnedGPUs.allCases {
                s.strategies[.hybrid]["pinned_gpus"] = .choice(placement.rawValue)
                let hybrid = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
                #expect(
                    Self.relabel(hybrid, as: single) == expected,
                    "seed \(seed): hybrid (pinned GPUs \(placement.rawValue)) with every model \(tier.rawValue) differs from \(single)")
            }
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

    /// With `pinned_gpus: own`, at every instant of the run each GPU that holds a pinned model
    /// holds nothing else (bar runtime reservations), and the other tiers' models stay on the
    /// GPUs after the pinned ones.
    @Test func pinnedModelsWithGPUsOfTheirOwnShareThemWithNoModel() throws {
        var checked = 0
        for seed in UInt64(0)..<16 {
            let (base, trace) = RandomWorkloads.scenarioAndTrace(seed: seed)
            var s = RandomWorkloads.forStrategy(.hybrid, base)
            s.strategies[.hybrid]["pinned_gpus"] = .choice(PinnedGPUs.own.rawValue)
            let tiers = s.models.indices.map { s.tier(of: $0) }
            guard tiers.contains(.pinned), tiers.contains(where: { $0 != .pinned }) else { continue }
            let r: StrategyResult
            do {
                r = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
            } catch let e as ScenarioError {
                // A pool the pinned models fill, or one too small for the rest, is refused as such.
                #expect(e.description.contains("pinned") || e.description.contains("hot-swap") || e.description.contains("scale"), "seed \(seed): \(e)")
                continue
            }
            checked += 1
            #expect(r.completed + r.rejected == r.requests, "seed \(seed)")
            var lastPinnedGPU = -1
            var firstOtherGPU = Int.max
            for sample in r.timeline.samples {
                for (g, shares) in sample.residents.enumerated() {
                    let models = shares.compactMap(\.model)
                    if models.contains(where: { tiers[$0] == .pinned }) {
                        #expect(models.count == 1, "seed \(seed): GPU \(g) holds pinned and other models: \(models)")
                        lastPinnedGPU = max(lastPinnedGPU, g)
                    } else if !models.isEmpty {
                        firstOtherGPU = min(firstOtherGPU, g)
                    }
                }
            }
            #expect(lastPinnedGPU < firstOtherGPU, "seed \(seed): pinned GPUs up to \(lastPinnedGPU), other tiers from \(firstOtherGPU)")
        }
        #expect(checked >= 4, "too few mixed pools ran: \(checked)")
    }

    @Test func pinnedModelsThatTakeTheWholePoolLeaveNoneForTheOthersAndSaySo() {
        let models = (0..<3).map { TestScenarios.model("m\($0)", parameters: 7_000_000_000, kvCache: .gibibytes(4)) }
        var s = TestScenarios.scenario(gpusPerNode: 2, models: models)
        s.models[0].tier = .pinned
        s.models[1].tier = .pinned
        s.models[2].tier = .hotSwap
        s.strategies[.hybrid]["pinned_gpus"] = .choice(PinnedGPUs.own.rawValue)
        let trace = [TraceRequest(arrival: .zero, model: 2, inputTokens: 10, outputTokens: 10)]
        #expect(throws: ScenarioError.noGPUsBesidePinned(pinnedGPUs: 2, pool: 2)) {
            _ = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
        }
        // Shared, the two small pinned models leave room beside them for the third.
        s.strategies[.hybrid]["pinned_gpus"] = .choice(PinnedGPUs.shared.rawValue)
        #expect(throws: Never.self) { _ = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace)) }
        // Three pinned models that would share two GPUs need three of their own, and say so.
        s.models[2].tier = .pinned
        s.models.append(TestScenarios.model("m3", parameters: 7_000_000_000, kvCache: .gibibytes(4)))
        s.models[3].tier = .hotSwap
        s.strategies[.hybrid]["pinned_gpus"] = .choice(PinnedGPUs.own.rawValue)
        #expect(throws: ScenarioError.pinnedDoesNotFit(needed: 3, available: 2, gpu: "TestGPU", model: "m2")) {
            _ = try simulate(scenario: s, strategy: .hybrid, requests: ArrayRequestSource(trace))
        }
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
