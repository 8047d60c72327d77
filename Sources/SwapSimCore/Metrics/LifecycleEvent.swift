/// A change in where a model lives, recorded with its reason so reports can say why a request was slow.
public struct LifecycleEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A replica started from nothing (scale-to-zero), or a hot-swap model was loaded from storage.
        case coldStart = "cold-start"
        /// A model's memory was copied back from host swap space.
        case swapIn = "swap-in"
        /// A model's memory left the GPU for host swap space (a copy, or a free when a clean host copy is kept).
        case swapOut = "swap-out"
        /// A model was removed from a GPU to make room for another.
        case eviction
        /// A scale-to-zero replica was torn down and its GPUs released.
        case teardown
        /// A stage of a replica's start-up began (its reason names the stage).
        case startupStage = "startup-stage"
    }

    public var time: SimInstant
    public var kind: Kind
    /// Index of the model in the scenario.
    public var model: Int
    /// The GPUs involved (a replica's group: consecutive GPUs of one node).
    public var gpus: Range<Int>
    /// Bytes moved by this step (0 for a free or a teardown).
    public var bytes: ByteCount
    /// Why it happened.
    public var reason: LifecycleReason

    public init(time: SimInstant, kind: Kind, model: Int, gpus: Range<Int>, bytes: ByteCount, reason: LifecycleReason) {
        self.time = time
        self.kind = kind
        self.model = model
        self.gpus = gpus
        self.bytes = bytes
        self.reason = reason
    }

    /// The reason in words, naming models by `names` (the scenario's model names in order).
    public func reasonText(_ names: [String]) -> String { reason.text(model: model, names: names) }
}

/// Why a lifecycle step happened. Typed, so the engine's log stays small and fast; words are
/// made only when output is written (``text(model:names:)``).
public enum LifecycleReason: Hashable, Sendable {
    /// A request came for a model that was not resident (swap-in).
    case requestNotResident
    /// A request came for a model whose weights were not in swap space: a load from storage.
    case requestNotInSwapSpace
    /// A request came for a model with no replica (scale-to-zero cold start).
    case requestNoReplica
    /// Another replica started because `outstanding` requests exceeded the target over `replicas`.
    case scaleOut(outstanding: Int32, replicas: Int32)
    /// Evicted to make room for model `for` (the eviction record).
    case makeRoom(for: Int32)
    /// Swapped out because model `for` needed the room.
    case evictedFor(Int32, SwapOutDisposal)
    /// Swapped out after its idle timeout.
    case idleTimeout(SwapOutDisposal)
    /// Torn down after its keep-alive window.
    case keepAliveExpired
    /// Evicted because the pool was full and model `for` needed GPUs (scale-to-zero).
    case poolFull(for: Int32)
    /// Torn down because model `for` needed its GPUs.
    case tornDownFor(Int32)
    /// Brought in ahead of a request its predictor expects.
    case prewarm
    /// The start-up stage that began.
    case stage(StartupStage)
    /// A reason as it was written in a stored run (read back from the results store).
    case recorded(String)

    /// What became of a swapped-out model's weights.
    public enum SwapOutDisposal: UInt8, Hashable, Sendable {
        /// Copied to host swap space.
        case copied
        /// A clean copy was already in host memory: the GPU memory was just freed.
        case cleanCopyKept
        /// Swap space was full: the weights were dropped; the next swap-in loads from storage.
        case dropped
    }

    /// The reason in words; `model` is the event's own model, `names` the scenario's.
    public func text(model: Int, names: [String]) -> String {
        func name(_ i: Int32) -> String { Int(i) < names.count ? names[Int(i)] : "model \(i)" }
        let own = model < names.count ? names[model] : "model \(model)"
        switch self {
        case .requestNotResident: return "request for \(own), not resident"
        case .requestNotInSwapSpace: return "request for \(own), weights not in swap space: load from storage"
        case .requestNoReplica: return "request for \(own), no replica"
        case let .scaleOut(outstanding, replicas): return "scale-out: \(outstanding) outstanding over \(replicas) replica(s)"
        case let .makeRoom(m): return "make room for \(name(m))"
        case let .evictedFor(m, d): return "evicted for \(name(m))" + d.suffix
        case let .idleTimeout(d): return "idle for the idle timeout" + d.suffix
        case .keepAliveExpired: return "idle for the keep-alive window"
        case let .poolFull(m): return "pool full: GPUs needed by \(name(m))"
        case let .tornDownFor(m): return "evicted for \(name(m))"
        case .prewarm: return "pre-warm: a request is predicted"
        case let .stage(s): return "start-up: \(s.rawValue)"
        case let .recorded(s): return s
        }
    }
}

extension LifecycleReason.SwapOutDisposal {
    var suffix: String {
        switch self {
        case .copied: return ""
        case .cleanCopyKept: return "; clean host copy kept, GPU memory freed"
        case .dropped: return "; swap space full, weights dropped (next load from storage)"
        }
    }
}
