/// One line of the search: a strategy, a GPU type and one value of each of the strategy's
/// grids. The GPU count is searched along it.
public struct PlanChain: Sendable, Hashable {
    public var strategy: StrategyKind
    public var gpu: GPUSpec
    /// Dollars per GPU-hour the configuration is billed at.
    public var gpuHourPrice: Dollars
    /// Host swap space per node (hot-swap only).
    public var swapSpace: ByteCount? = nil
    /// Keep-alive window (scale-to-zero only).
    public var keepAlive: SimDuration? = nil
    /// Idle timeout (hot-swap only): `.some(nil)` is "never".
    public var idleTimeout: SimDuration?? = nil
    /// Eviction policy (hot-swap only).
    public var eviction: EvictionPolicy? = nil

    public init(strategy: StrategyKind, gpu: GPUSpec, gpuHourPrice: Dollars) {
        self.strategy = strategy
        self.gpu = gpu
        self.gpuHourPrice = gpuHourPrice
    }

    /// The chain's configuration with `gpus` GPUs.
    public func configuration(gpus: Int) -> PlanConfiguration { PlanConfiguration(chain: self, gpus: gpus) }

    /// The grid values besides GPU type, in words (`keep-alive 2m`), or "" for none.
    public var settings: String {
        var parts: [String] = []
        if let s = swapSpace { parts.append("swap \(s)") }
        if let t = idleTimeout { parts.append("idle \(t.map(PlanText.duration) ?? "never")") }
        if let e = eviction { parts.append(e.rawValue) }
        if let k = keepAlive { parts.append("keep-alive \(PlanText.duration(k))") }
        return parts.joined(separator: ", ")
    }
}
