/// A change in where a model lives, recorded with its reason so reports can say why a request was slow.
public struct LifecycleEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable {
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
    }

    public var time: SimInstant
    public var kind: Kind
    /// Index of the model in the scenario.
    public var model: Int
    /// The GPUs involved.
    public var gpus: [Int]
    /// Bytes moved by this step (0 for a free or a teardown).
    public var bytes: ByteCount
    /// Why it happened, in words (`"request for llama-8b, not resident"`, `"idle 60s"`).
    public var reason: String

    public init(time: SimInstant, kind: Kind, model: Int, gpus: [Int], bytes: ByteCount, reason: String) {
        self.time = time
        self.kind = kind
        self.model = model
        self.gpus = gpus
        self.bytes = bytes
        self.reason = reason
    }
}
