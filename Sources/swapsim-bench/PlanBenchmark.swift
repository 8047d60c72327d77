import SwapSimCore
import SwapSimIO

/// W3's search space on the scenario's H100s: always-warm (1 chain), scale-to-zero over three
/// keep-alives (3 chains), and hot-swap over swap space (4) × idle timeout (4) × eviction (3)
/// (48 chains): 52 chains. The planner searches each chain's GPU count (up to 64), so the
/// configurations evaluated are the search's (about 200 on the 100k trace), not a fixed grid;
/// the harness reports how many there were.
enum PlanBenchmark {
    static var section: PlanSection {
        var s = PlanSection()
        s.strategies = [.alwaysWarm, .scaleToZero, .hotSwap]
        s.maxGPUs = 64
        s.keepAlives = [.minutes(1), .minutes(5), .minutes(15)]
        s.swapSpaces = [.gibibytes(1024), .gibibytes(1280), .gibibytes(1536), .gibibytes(2048)]
        s.idleTimeouts = [.seconds(30), .minutes(2), .minutes(10), nil]
        s.evictions = [.lru, .lfu, .largest]
        s.replications = 1
        return s
    }

    /// The configurations the W3 asks for.
    static let targetConfigurations = 200

    /// For tables and the results file.
    static let summary = "all three strategies, 52 chains, GPU counts searched up to 64"
}
