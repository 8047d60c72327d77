/// The declared limits of what swapsim simulates. Each is far beyond real deployments; each
/// keeps memory and time linear up to it, and a value past one is an error that names the key
/// and the limit, never a crash.
public enum ScenarioLimits {
    /// The most GPUs a cluster may have. Per-GPU state (memory, links, the timeline's samples)
    /// grows linearly with it.
    public static let maxGPUs = 16_384
    /// The most models a scenario may name.
    public static let maxModels = 100_000
    /// The most replicas of one model (always-warm `replicas`, scale-to-zero `max_replicas`,
    /// `models[].replicas`).
    public static let maxReplicas = 4096
    /// The most replicas of all models together.
    public static let maxTotalReplicas = 1 << 20
    /// The largest running batch, and the largest target concurrency.
    public static let maxBatch = 65_536
    /// The longest one batch iteration may take alone (overhead included), at its largest
    /// possible batch: 4 hours. With at most ``maxServersPerGPU`` servers time-slicing a GPU,
    /// an iteration then fits the batcher's 53-day picosecond window.
    public static let longestIteration = SimDuration.hours(4)
    /// The most model servers that may hold memory on one GPU at once.
    public static let maxServersPerGPU = 256
}
