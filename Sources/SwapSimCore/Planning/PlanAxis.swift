/// A dimension the planner grids over besides the GPU count. A strategy's registry entry
/// lists the axes its chains cross (``StrategyDescriptor/planAxes``).
public enum PlanAxis: String, Hashable, Sendable, CaseIterable {
    /// Host swap space per node (the cluster's).
    case swapSpace = "swap_space"
    /// Hot-swap's idle timeout.
    case idleTimeout = "idle_timeout"
    /// Hot-swap's eviction policy.
    case eviction
    /// Scale-to-zero's keep-alive window.
    case keepAlive = "keep_alive"
    /// A mixed pool's tier per model.
    case tiers
    /// Whether a mixed pool's pinned models share their GPUs (``PinnedGPUs``).
    case pinnedGPUs = "pinned_gpus"

    /// Sets `value` in `scenario`; host memory grows to hold a larger swap space.
    public func apply(_ value: SettingValue, to s: inout Scenario) {
        switch (self, value) {
        case let (.swapSpace, .size(sw)):
            s.cluster.swapSpace = sw
            if s.cluster.hostMemory < sw { s.cluster.hostMemory = sw }
        case (.idleTimeout, _), (.eviction, _):
            s.strategies[.hotSwap][rawValue] = value
        case (.keepAlive, _):
            s.strategies[.scaleToZero][rawValue] = value
        case (.pinnedGPUs, _):
            s.strategies[.hybrid][rawValue] = value
        case let (.tiers, .tiers(t)):
            for i in s.models.indices where i < t.count { s.models[i].tier = t[i] }
        default:
            preconditionFailure("plan axis \(rawValue) given \(value)")
        }
    }

    /// `name=value` with exact integer units, for cache keys.
    public func canonical(_ value: SettingValue) -> String {
        switch value {
        case let .size(b): return "\(rawValue)_bytes=\(b.bytes)"
        case let .duration(d): return "\(rawValue)_ns=\(d.nanoseconds)"
        case let .durationOrNever(d): return "\(rawValue)_ns=\(d.map { String($0.nanoseconds) } ?? "never")"
        case let .tiers(t): return "tiers=" + String(t.map { tier in tier == .pinned ? "P" : tier == .hotSwap ? "H" : "Z" })
        default: return "\(rawValue)=\(value)"
        }
    }

    /// The value in words (`swap 256 GiB`, `idle never`, `lru`, `keep-alive 2m`).
    public func label(_ value: SettingValue) -> String {
        switch self {
        case .swapSpace: return "swap \(value)"
        case .idleTimeout: return "idle \(value)"
        case .eviction: return "\(value)"
        case .keepAlive: return "keep-alive \(value)"
        case .tiers: return "tiers: \(value)"
        case .pinnedGPUs: return "pinned GPUs \(value)"
        }
    }
}

/// One axis's value in a chain.
public struct PlanAxisValue: Hashable, Sendable {
    public var axis: PlanAxis
    public var value: SettingValue
    public init(axis: PlanAxis, value: SettingValue) {
        self.axis = axis
        self.value = value
    }
}
