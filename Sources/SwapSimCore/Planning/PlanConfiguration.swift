/// One point of the plan's search space: a chain and a GPU count.
///
/// How it maps onto the scenario (``apply(to:)``): the GPU type replaces the cluster's, billed
/// at the chain's price; the strategy's pool (`gpus`) is the count; the cluster grows to
/// ⌈count / gpus_per_node⌉ nodes of the scenario's shape (each node keeps its host memory,
/// DMA and storage figures), so the pool is the first `count` GPUs. Hot-swap's swap space is
/// set per node (host memory grows to hold it if needed); keep-alive, idle timeout and
/// eviction replace the scenario's. Everything else is the scenario's.
public struct PlanConfiguration: Sendable, Hashable {
    public var chain: PlanChain
    /// GPUs in the strategy's pool.
    public var gpus: Int

    public init(chain: PlanChain, gpus: Int) {
        self.chain = chain
        self.gpus = gpus
    }

    public var strategy: StrategyKind { chain.strategy }

    /// The scenario this configuration simulates, from `base`.
    public func apply(to base: Scenario) -> Scenario {
        var s = base
        s.cluster.gpu = chain.gpu
        s.costs.gpuHour = chain.gpuHourPrice
        let perNode = max(1, base.cluster.gpusPerNode)
        s.cluster.nodes = max(1, (gpus + perNode - 1) / perNode)
        s.strategies[chain.strategy]["gpus"] = .optionalInteger(gpus)
        for a in chain.axes { a.axis.apply(a.value, to: &s) }
        if let r = chain.modelReplicas { for i in s.models.indices where i < r.count { s.models[i].replicas = r[i] } }
        return s
    }

    /// Every field that shapes the evaluation, in a fixed order with exact integer units:
    /// the configuration part of a cache key.
    public var canonical: String {
        let g = chain.gpu
        var parts = [
            "strategy=\(chain.strategy.rawValue)", "gpu=\(g.name)", "gpu_memory_bytes=\(g.memory.bytes)",
            "gpu_hour_usd=\(chain.gpuHourPrice.amount)", "gpus=\(gpus)",
        ]
        for a in chain.axes { parts.append(a.axis.canonical(a.value)) }
        if let r = chain.modelReplicas { parts.append("replicas=" + r.map(String.init).joined(separator: ",")) }
        return parts.joined(separator: ";")
    }

    /// `H100-SXM ×4 (keep-alive 2m)`, for people.
    public var label: String {
        let settings = chain.settings
        return "\(chain.gpu.name) ×\(gpus)" + (settings.isEmpty ? "" : " (\(settings))")
    }
}

/// How plan values are written for people and in canonical text.
public enum PlanText {
    /// `90s`, `2m`, `1h`, `1.5s`, `250ms`: the largest whole unit, else seconds.
    public static func duration(_ d: SimDuration) -> String {
        let ns = d.nanoseconds
        if ns % 3_600_000_000_000 == 0 && ns != 0 { return "\(ns / 3_600_000_000_000)h" }
        if ns % 60_000_000_000 == 0 && ns != 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(d.seconds)s"
    }
}
