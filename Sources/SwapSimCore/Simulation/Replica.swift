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

/// A model server bound to one or more GPUs of one node, with its batch and waiting requests.
struct Replica {
    var model: Int
    var gpus: [Int]
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
    /// Cold-start stage in progress (scale-to-zero).
    var stage = 0
    /// Last arrival or completion, for LRU.
    var lastUsed: SimInstant = .zero
    /// Requests routed to this replica so far, for LFU.
    var uses: Int64 = 0
    /// Whether its batch was non-empty when last looked at (for GPU utilisation).
    var busy = false
    /// When it started holding its GPUs (scale-to-zero billing).
    var heldSince: SimInstant = .zero
    /// Whether it holds GPU memory for its weights and KV now.
    var holdsMemory = false

    /// Whether it has no request running, queued or waiting.
    var isIdle: Bool { batcher.isIdle && pending.isEmpty }
}
