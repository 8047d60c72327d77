import SwapSimCore
import SwapSimIO

/// W3's search space: every strategy on the scenario's H100s, with grids over hot-swap's swap
/// space, idle timeout and eviction and scale-to-zero's keep-alive: 1 + 4 + 2·4·3 = 29 chains.
/// The planner searches each chain's GPU count (up to 64), so the configurations evaluated are
/// the search's, not a fixed grid; the harness reports how many there were.
enum PlanBenchmark {
    static var section: PlanSection {
        var s = PlanSection()
        s.strategies = StrategyKind.allCases
        s.maxGPUs = 64
        s.keepAlives = [.minutes(1), .minutes(5), .minutes(15), .minutes(60)]
        s.swapSpaces = [.gibibytes(1024), .gibibytes(1536)]
        s.idleTimeouts = [.seconds(30), .minutes(2), .minutes(10), nil]
        s.evictions = [.lru, .lfu, .largest]
        s.replications = 1
        return s
    }

    /// The configurations the W3 asks for.
    static let targetConfigurations = 200
}
