/// What a capacity plan searches over, and the constraints beside the scenario's SLO.
///
/// The GPU count is not a grid: it is searched per ``PlanChain`` (see ``CountSearch``). Every
/// other dimension is a grid, crossed only with the strategies it applies to: swap space,
/// idle timeout and eviction with hot-swap, keep-alive with scale-to-zero. GPU types apply to
/// every strategy.
public struct PlanSpace: Sendable, Hashable {
    /// Strategies to plan, in output order.
    public var strategies: [StrategyKind]
    /// GPU types with the $/GPU-hour each is billed at, in output order.
    public var gpuTypes: [PricedGPU]
    /// The most GPUs a configuration may use; the count search stops here.
    public var maxGPUs: Int
    /// The most a configuration may cost per month (730 hours), if limited.
    public var budgetPerMonth: Dollars?
    /// Host swap space per node (hot-swap).
    public var swapSpaces: [ByteCount]
    /// Keep-alive windows (scale-to-zero).
    public var keepAlives: [SimDuration]
    /// Idle timeouts (hot-swap); nil means never swap out proactively.
    public var idleTimeouts: [SimDuration?]
    /// Eviction policies (hot-swap).
    public var evictions: [EvictionPolicy]
    /// How many counts below the bisection's answer the neighbour check tries.
    public var neighbourWindow: Int
    /// Tier assignments a mixed pool (hybrid) is searched over; empty: proposed from the trace
    /// (``TierAdvisor``).
    public var tierSplits: [[ModelTier]] = []
    /// How a mixed pool's pinned models share GPUs (hybrid): both, by default.
    public var pinnedGPUs: [PinnedGPUs] = PinnedGPUs.allCases
    /// Whether each GPU type's chains size replicas per model from the trace's load.
    public var sizeReplicas = true

    /// A GPU type and its price.
    public struct PricedGPU: Sendable, Hashable {
        public var spec: GPUSpec
        public var pricePerHour: Dollars
        /// Replicas per model sized for this GPU from the trace's load (nil: the scenario's).
        public var modelReplicas: [Int]? = nil
        public init(spec: GPUSpec, pricePerHour: Dollars) {
            self.spec = spec
            self.pricePerHour = pricePerHour
        }
    }

    /// The largest `maxGPUs` a plan accepts (the galloping cap).
    public static let maxGPUsLimit = 4096

    public init(
        strategies: [StrategyKind], gpuTypes: [PricedGPU], maxGPUs: Int, budgetPerMonth: Dollars? = nil,
        swapSpaces: [ByteCount], keepAlives: [SimDuration], idleTimeouts: [SimDuration?], evictions: [EvictionPolicy],
        neighbourWindow: Int = 2
    ) {
        self.strategies = strategies
        self.gpuTypes = gpuTypes
        self.maxGPUs = maxGPUs
        self.budgetPerMonth = budgetPerMonth
        self.swapSpaces = swapSpaces
        self.keepAlives = keepAlives
        self.idleTimeouts = idleTimeouts
        self.evictions = evictions
        self.neighbourWindow = neighbourWindow
    }

    /// The grid of `axis`.
    public func values(_ axis: PlanAxis) -> [SettingValue] {
        switch axis {
        case .swapSpace: return swapSpaces.map { .size($0) }
        case .idleTimeout: return idleTimeouts.map { .durationOrNever($0) }
        case .eviction: return evictions.map { .choice($0.rawValue) }
        case .keepAlive: return keepAlives.map { .duration($0) }
        case .tiers: return tierSplits.map { .tiers($0) }
        case .pinnedGPUs: return pinnedGPUs.map { .choice($0.rawValue) }
        }
    }

    /// Every chain of the space in its fixed order: strategy, then GPU type, then the
    /// strategy's grids crossed in its registry entry's axis order (hot-swap: swap space, idle
    /// timeout, eviction; scale-to-zero: keep-alive), each in the order given. Indices into
    /// this list name chains for sharding.
    public var chains: [PlanChain] {
        var out: [PlanChain] = []
        for strategy in strategies {
            for gpu in gpuTypes {
                var partial: [[PlanAxisValue]] = [[]]
                // With no tier splits given, a mixed pool keeps the scenario's own tiers.
                for axis in strategy.descriptor.planAxes where !(axis == .tiers && tierSplits.isEmpty) {
                    partial = partial.flatMap { prefix in values(axis).map { prefix + [PlanAxisValue(axis: axis, value: $0)] } }
                }
                for axes in partial {
                    var chain = PlanChain(strategy: strategy, gpu: gpu.spec, gpuHourPrice: gpu.pricePerHour, axes: axes)
                    chain.modelReplicas = gpu.modelReplicas
                    out.append(chain)
                }
            }
        }
        return out
    }
}

/// Which part of a plan's chains one machine evaluates: chain `i` belongs to shard
/// `i mod count + 1`.
public struct PlanShard: Sendable, Hashable {
    /// 1-based index of this shard.
    public var index: Int
    public var count: Int

    /// A shard, or nil unless 1 ≤ `index` ≤ `count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Whether chain number `chain` (0-based, in ``PlanSpace/chains`` order) is this shard's.
    public func owns(chain: Int) -> Bool { chain % count == index - 1 }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
