/// Where a replica (a model server bound to its GPUs) stands.
public enum ReplicaState: Sendable, Equatable {
    /// Cold start in progress (scale-to-zero), or a load from storage (hot-swap).
    case loading
    /// Resident and serving.
    case ready
    /// Weights being copied in from host swap space.
    case swappingIn
    /// Weights being copied out to host swap space.
    case swappingOut
    /// Server alive, weights in host swap space, no GPU memory but its runtime reservation.
    case swapped
    /// Server alive, weights only on storage (swap space was full).
    case offloaded
    /// Torn down (scale-to-zero); the slot may be reused.
    case stopped
}

/// The engine's record of a model server bound to one or more GPUs of one node: its batch,
/// its waiting requests and the statistics eviction policies read. What a strategy decides
/// about a replica (stages, placement) it keeps itself.
struct Replica {
    var model: Int
    var gpus: Range<Int>
    var node: Int
    var batcher: Batcher
    var state: ReplicaState
    /// Requests that arrived while the replica was not ready.
    var pending = FIFOQueue<Int32>()
    /// Instant of the boundary event scheduled for the batcher, if any.
    var scheduledBoundary: SimInstant? = nil
    var boundaryGeneration: UInt32 = 0
    var timerGeneration: UInt32 = 0
    var stageGeneration: UInt32 = 0
    /// Last arrival or completion, for LRU.
    var lastUsed: SimInstant = .zero
    /// Requests routed to this replica so far, for LFU.
    var uses: Int64 = 0
    /// Whether its batch was non-empty when last looked at (for GPU utilisation).
    var busy = false
    /// The start-up stage in progress and when it began (for the start-up breakdown).
    var startupStage: StartupStage? = nil
    var stageSince: SimInstant = .zero

    /// Whether it has no request running, queued or waiting.
    @inline(__always) var isIdle: Bool { batcher.isIdle && pending.isEmpty }
}
