/// One line of the search: a strategy, a GPU type and one value of each of the strategy's
/// grids. The GPU count is searched along it.
public struct PlanChain: Sendable, Hashable {
    public var strategy: StrategyKind
    public var gpu: GPUSpec
    /// Dollars per GPU-hour the configuration is billed at.
    public var gpuHourPrice: Dollars
    /// The value of each of the strategy's plan axes, in its registry entry's order.
    public var axes: [PlanAxisValue] = []
    /// Replicas per model, sized for the GPU type from the trace (nil: the scenario's).
    public var modelReplicas: [Int]? = nil

    public init(strategy: StrategyKind, gpu: GPUSpec, gpuHourPrice: Dollars, axes: [PlanAxisValue] = []) {
        self.strategy = strategy
        self.gpu = gpu
        self.gpuHourPrice = gpuHourPrice
        self.axes = axes
    }

    /// The chain's configuration with `gpus` GPUs.
    public func configuration(gpus: Int) -> PlanConfiguration { PlanConfiguration(chain: self, gpus: gpus) }

    /// The value of `axis`, if the chain crosses it.
    public func value(_ axis: PlanAxis) -> SettingValue? { axes.first { $0.axis == axis }?.value }

    /// Host swap space per node, if this chain sets it.
    public var swapSpace: ByteCount? { if case let .size(b)? = value(.swapSpace) { return b } else { return nil } }
    /// Keep-alive window, if this chain sets it.
    public var keepAlive: SimDuration? { if case let .duration(d)? = value(.keepAlive) { return d } else { return nil } }
    /// Idle timeout, if this chain sets it: `.some(nil)` is "never".
    public var idleTimeout: SimDuration?? { if case let .durationOrNever(d)? = value(.idleTimeout) { return .some(d) } else { return nil } }
    /// The tier per model, if this chain sets it (a mixed pool).
    public var tiers: [ModelTier]? { if case let .tiers(t)? = value(.tiers) { return t } else { return nil } }
    /// How a mixed pool's pinned models share GPUs, where the chain sets it.
    public var pinnedGPUs: PinnedGPUs? { if case let .choice(c)? = value(.pinnedGPUs) { return PinnedGPUs(rawValue: c) } else { return nil } }
    /// Eviction policy, if this chain sets it.
    public var eviction: EvictionPolicy? { if case let .choice(e)? = value(.eviction) { return EvictionPolicy(rawValue: e) } else { return nil } }

    /// The grid values besides GPU type, in words (`keep-alive 2m`), or "" for none.
    public var settings: String { axes.map { $0.axis.label($0.value) }.joined(separator: ", ") }
}
