import SwapSimCore
import SwapSimIO

/// W3's search space: always-warm and hot-swap on the scenario's H100s, hot-swap with grids
/// over swap space (4), idle timeout (4) and eviction (3): 1 + 48 = 49 chains. The planner
/// searches each chain's GPU count (up to 64), so the configurations evaluated are the search's
/// (about 200 on the 100k trace), not a fixed grid; the harness reports how many there were.
///
/// Scale-to-zero is left out: every chain's search starts at 1 GPU, where on this trace its
/// cold-start waits sum past Int64 nanoseconds and the simulator traps (an arithmetic overflow
/// in MetricsCollector's `coldStartWaitNs`), taking the whole plan down.
enum PlanBenchmark {
    static var section: PlanSection {
        var s = PlanSection()
        s.strategies = [.alwaysWarm, .hotSwap]
        s.maxGPUs = 64
        s.swapSpaces = [.gibibytes(1024), .gibibytes(1280), .gibibytes(1536), .gibibytes(2048)]
        s.idleTimeouts = [.seconds(30), .minutes(2), .minutes(10), nil]
        s.evictions = [.lru, .lfu, .largest]
        s.replications = 1
        return s
    }

    /// The configurations the W3 asks for.
    static let targetConfigurations = 200

    /// For tables and the results file.
    static let summary = "always-warm and hot-swap, 49 chains, GPU counts searched up to 64"
}
