/// A policy that decides where requests go and when models move, driven by the engine.
///
/// The engine owns time, hardware, transfers and batches; a strategy only reacts to what the
/// engine reports and asks it for effects (start a transfer, set a timer, free memory).
protocol ServingStrategy: AnyObject {
    /// Places the initial replicas. Throws if the scenario cannot run under this strategy.
    func start(_ sim: Simulation) throws(ScenarioError)
    /// A request for `model` has arrived and occupies `slot`.
    func route(slot: Int32, model: Int, _ sim: Simulation)
    /// Replica `r` has nothing running, queued or waiting.
    func replicaIdle(_ r: Int, _ sim: Simulation)
    /// The timer set for replica `r` has fired (and was not cancelled).
    func timerFired(_ r: Int, _ sim: Simulation)
    /// The cold-start stage of replica `r` in progress has finished.
    func stageFinished(_ r: Int, _ sim: Simulation)
    /// A transfer for replica `r` has finished.
    func transferFinished(_ r: Int, kind: TransferKind, _ sim: Simulation)
    /// GPU-nanoseconds billed up to `horizon`.
    func billedGPUNanoseconds(_ sim: Simulation, horizon: SimInstant) -> Int128
    /// Host swap space billed, in GiB, for the whole horizon.
    var billedHostMemory: ByteCount { get }
}

/// Why a transfer runs, which decides its direction and source.
public enum TransferKind: Sendable, Equatable {
    /// Host swap space → GPU.
    case swapIn
    /// GPU → host swap space.
    case swapOut
    /// Storage → GPU (cold start, or a hot-swap model not in swap space).
    case load
}
