import SwapSimCore

/// The per-model part of a plan: how many replicas each model's load needs and which tier it
/// takes in the cheapest mixed pool, with the reason.
extension PlanResult {
    /// The tiers of the cheapest feasible mixed pool, or of the first split searched.
    var chosenTiers: [ModelTier]? {
        if let p = strategies.first(where: { $0.strategy == .hybrid }), let i = p.cheapest ?? p.closest {
            return configurations[i].configuration.chain.tiers ?? advice?.splits.first
        }
        return advice?.splits.first
    }

    var adviceHeader: [String] { ["model", "req/s", "share", "replicas", "tier", "why"] }

    var adviceRows: [[String]] {
        guard let a = advice else { return [] }
        let tiers = chosenTiers
        return a.models.enumerated().map { m, x in
            let tier = tiers.map { $0[m] }
            return [
                x.name, Fixed.format(x.rate, decimals: x.rate < 0.1 ? 4 : 2), Fixed.format(x.share * 100, decimals: 2) + "%",
                "\(x.replicas)" + (x.replicasStated ? " (stated)" : x.replicas > 1 ? " (sized)" : ""),
                tier?.rawValue ?? "—", tier.map { a.reason(model: m, tier: $0) } ?? "",
            ]
        }
    }

    /// A line under the advice table saying how replicas were sized and which mix it shows.
    var adviceNote: String {
        guard let a = advice else { return "" }
        var note = "Replicas are sized so each stays under \(Int(TierAdvisor.targetUtilization * 100))% of its estimated capacity on the scenario's GPU (each GPU type's chains are sized for that GPU). "
        if let t = chosenTiers, let p = strategies.first(where: { $0.strategy == .hybrid }), let i = p.cheapest {
            let own = configurations[i].configuration.chain.pinnedGPUs == .own ? "; the pinned models on GPUs of their own" : ""
            note += "Tiers of the cheapest feasible hybrid pool (\(PlanAdvice.summary(t))\(own)), out of \(a.splits.count) mixes searched."
        } else {
            note += "Tiers of the first of \(a.splits.count) mixes searched (no hybrid pool was feasible)."
        }
        return note
    }

    func writeAdvice(_ w: inout JSONWriter) {
        guard let a = advice else { return }
        let tiers = chosenTiers
        w.open("advice")
        w.open("tier_splits", array: true)
        for split in a.splits { w.string(nil, PlanAxis.tiers.canonical(.tiers(split)).dropFirst("tiers=".count).description) }
        w.close(array: true)
        w.int("late_allowance", a.lateAllowance)
        w.open("models", array: true)
        for (m, x) in a.models.enumerated() {
            w.open()
            w.string("name", x.name)
            w.double("rate_per_s", x.rate)
            w.double("share", x.share)
            w.double("replica_capacity_per_s", x.replicaCapacity)
            w.int("replicas", x.replicas)
            w.bool("replicas_stated", x.replicasStated)
            w.double("idle_share", x.idleShare)
            w.int("cold_starts", x.coldStarts)
            if let t = tiers?[m] {
                w.string("tier", t.rawValue)
                w.string("reason", a.reason(model: m, tier: t))
            }
            w.close()
        }
        w.close(array: true)
        w.close()
    }
}
