/// Runs a capacity plan: every chain's count search, advanced in rounds.
///
/// Each round asks every unfinished chain (in chain order) for its pending counts, and hands
/// the whole round's (configuration, seed) tasks to `evaluate` at once, which may run them
/// in parallel but returns results in task order. The set and order of tasks therefore
/// depend only on earlier results, so the plan is the same for any thread count, and a
/// cache holding earlier results gives the same plan without simulating.
public enum PlanSearch {
    /// One evaluation to run: a configuration over one replication's seed.
    public struct Task: Sendable, Hashable {
        public var configuration: PlanConfiguration
        public var seed: UInt64
    }

    /// Plans `space` on `base` over one replication per seed in `seeds`.
    ///
    /// - Parameters:
    ///   - shard: evaluate only this shard's chains (nil: all).
    ///   - evaluate: runs tasks, returning one evaluation per task in task order.
    ///   - round: called after each round with the evaluations so far.
    public static func run(
        base: Scenario, space: PlanSpace, seeds: [UInt64], trace: String, requests: Int, shard: PlanShard? = nil,
        evaluate: ([Task]) throws -> [PlanEvaluation], round: (Int) -> Void = { _ in }
    ) throws -> PlanResult {
        precondition(!seeds.isEmpty, "a plan needs at least one seed")
        let all = space.chains
        let mine = all.indices.filter { shard?.owns(chain: $0) ?? true }
        var searches = mine.map { _ in CountSearch(maximum: min(space.maxGPUs, PlanSpace.maxGPUsLimit), window: space.neighbourWindow) }
        /// Per searched chain: evaluated counts with their evaluations, in the order evaluated.
        var found: [[(gpus: Int, evaluations: [PlanEvaluation])]] = mine.map { _ in [] }
        var stats = PlanStatistics()
        while true {
            var tasks: [Task] = []
            var slots: [(chain: Int, gpus: Int)] = []
            for (j, s) in searches.enumerated() where !s.isDone {
                for n in s.pending {
                    slots.append((j, n))
                    for seed in seeds { tasks.append(Task(configuration: all[mine[j]].configuration(gpus: n), seed: seed)) }
                }
            }
            if tasks.isEmpty { break }
            let results = try evaluate(tasks)
            precondition(results.count == tasks.count, "evaluate must return one evaluation per task")
            stats.rounds += 1
            stats.evaluations += tasks.count
            for (k, slot) in slots.enumerated() {
                let evals = Array(results[(k * seeds.count)..<((k + 1) * seeds.count)])
                found[slot.chain].append((slot.gpus, evals))
                let fixedFailure = evals.contains { if case .unrunnable(_, false) = $0.outcome { return true } else { return false } }
                if fixedFailure {
                    searches[slot.chain].abandon()
                } else if !searches[slot.chain].isDone {
                    let ok = evals.allSatisfy { $0.metrics?.meetsSLO ?? false }
                    searches[slot.chain].record(slot.gpus, feasible: ok)
                }
            }
            round(stats.evaluations)
        }

        var configurations: [EvaluatedConfiguration] = []
        var chains: [ChainOutcome] = []
        for (j, i) in mine.enumerated() {
            chains.append(ChainOutcome(index: i, chain: all[i], minimumGPUs: searches[j].minimum, evaluatedCounts: found[j].map(\.gpus)))
            for f in found[j].sorted(by: { $0.gpus < $1.gpus }) {
                configurations.append(EvaluatedConfiguration(configuration: all[i].configuration(gpus: f.gpus), chainIndex: i, evaluations: f.evaluations))
            }
        }
        return assemble(
            base: base, space: space, seeds: seeds, trace: trace, requests: requests, shard: shard, chains: chains,
            configurations: configurations, statistics: stats)
    }

    /// Picks the answers, the frontier and the near misses from the evaluated configurations.
    static func assemble(
        base: Scenario, space: PlanSpace, seeds: [UInt64], trace: String, requests: Int, shard: PlanShard?,
        chains: [ChainOutcome], configurations cs: [EvaluatedConfiguration], statistics: PlanStatistics
    ) -> PlanResult {
        let slo = base.slo
        let budget = space.budgetPerMonth
        let maxGPUs = space.maxGPUs
        func feasible(_ c: EvaluatedConfiguration) -> Bool { c.isFeasible(slo: slo, budgetPerMonth: budget, maxGPUs: maxGPUs) }
        func miss(_ c: EvaluatedConfiguration) -> Double { c.miss(slo: slo, budgetPerMonth: budget, maxGPUs: maxGPUs) }

        var strategies: [StrategyPlan] = []
        for kind in space.strategies {
            var plan = StrategyPlan(strategy: kind)
            let mineIdx = cs.indices.filter { cs[$0].configuration.strategy == kind }
            let ok = mineIdx.filter { feasible(cs[$0]) }
            if let best = ok.min(by: { a, b in
                let ca = cs[a].costPerMonth.mean, cb = cs[b].costPerMonth.mean
                if ca != cb { return ca < cb }
                if cs[a].configuration.gpus != cs[b].configuration.gpus { return cs[a].configuration.gpus < cs[b].configuration.gpus }
                return a < b
            }) {
                plan.cheapest = best
                let c = cs[best]
                plan.binding = c.checks(slo: slo, budgetPerMonth: budget, maxGPUs: maxGPUs).min { $0.slack < $1.slack }
                if c.configuration.gpus == 1 {
                    plan.oneFewer = "one GPU is the fewest possible"
                } else if let fewer = cs.first(where: { $0.chainIndex == c.chainIndex && $0.configuration.gpus == c.configuration.gpus - 1 }) {
                    plan.oneFewer = "with \(fewer.configuration.gpus) GPU\(fewer.configuration.gpus == 1 ? "" : "s"): " + fewer.shortfall(slo: slo, budgetPerMonth: budget, maxGPUs: maxGPUs)
                }
            } else if let near = mineIdx.min(by: { a, b in
                let ma = miss(cs[a]), mb = miss(cs[b])
                return ma != mb ? ma < mb : a < b
            }) {
                plan.closest = near
                let c = cs[near]
                var why = c.shortfall(slo: slo, budgetPerMonth: budget, maxGPUs: maxGPUs)
                if c.meetsSLO, let b = budget, c.costPerMonth.max > b.amount {
                    why = "meets the SLO but costs more than the budget: " + why
                } else if c.unrunnableReason == nil && c.configuration.gpus >= maxGPUs {
                    why = "even the maximum of \(maxGPUs) GPUs misses the SLO: " + why
                }
                // Who misses, in the replication that misses most.
                if let worst = c.metrics?.filter({ !$0.meetsSLO }).min(by: { $0.attainment < $1.attainment }), !worst.missingModels.isEmpty {
                    let shown = worst.missingModels.prefix(8).map(\.text).joined(separator: ", ")
                    let more = worst.missingModels.count > 8 ? " and \(worst.missingModels.count - 8) more" : ""
                    why += "; models that miss: \(shown)\(more)"
                }
                plan.closestReason = why
            }
            strategies.append(plan)
        }

        let ran = cs.indices.filter { cs[$0].metrics != nil }
        let frontier = ParetoFrontier.indices(cost: ran.map { cs[$0].costPerMonth.mean }, latency: ran.map { cs[$0].ttftP99.mean }).map { ran[$0] }
        let nearMisses = cs.indices
            .filter { !feasible(cs[$0]) && miss(cs[$0]) <= PlanResult.nearMissTolerance }
            .sorted { a, b in miss(cs[a]) != miss(cs[b]) ? miss(cs[a]) < miss(cs[b]) : a < b }
            .prefix(PlanResult.nearMissLimit)
        return PlanResult(
            scenario: base.name, trace: trace, seeds: seeds, requests: requests, slo: slo, space: space, shard: shard, chains: chains,
            configurations: cs, strategies: strategies, frontier: frontier, nearMisses: Array(nearMisses), statistics: statistics)
    }

    /// Evaluates `tasks` one after another over in-memory traces (one per seed), for tests
    /// and small plans: `requests[seed]` is the trace filled with that seed.
    public static func serialEvaluator(base: Scenario, requests: [UInt64: [TraceRequest]]) -> ([Task]) throws -> [PlanEvaluation] {
        { tasks in
            try tasks.map { t in
                try PlanEvaluation.run(t.configuration, base: base, seed: t.seed, requests: requests[t.seed] ?? [])
            }
        }
    }
}

extension StrategyPlan {
    init(strategy: StrategyKind) { self.strategy = strategy }
}
