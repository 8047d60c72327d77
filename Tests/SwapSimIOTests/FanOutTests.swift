import Synchronization
import Testing

@testable import SwapSimIO

@Suite struct FanOutTests {
    @Test(arguments: [1, 2, 4, 64])
    func resultsComeBackInJobOrderForAnyThreadCount(threads: Int) {
        let out = FanOut.map(count: 200, threads: threads) { i in i * i }
        #expect(out == (0..<200).map { $0 * $0 })
    }

    @Test func atMostThreadsJobsRunAtOnce() {
        let running = Mutex(0)
        let peak = Mutex(0)
        _ = FanOut.map(count: 40, threads: 3) { i -> Int in
            let now = running.withLock { $0 += 1; return $0 }
            peak.withLock { $0 = max($0, now) }
            var x = 0
            for k in 0..<20_000 { x &+= k &* i }
            running.withLock { $0 -= 1 }
            return x
        }
        #expect(peak.withLock { $0 } <= 3)
    }

    @Test func noJobsNoResults() {
        #expect(FanOut.map(count: 0, threads: 4) { $0 }.isEmpty)
    }
}

@Suite struct ChartMoneyAxisTests {
    @Test func moneyTicksCarryDollarsAndThousandsSeparators() {
        let linear = ChartAxis.linear(0, 25_000, label: "cost").dollars()
        #expect(linear.ticks().map(\.label) == ["$0", "$5,000", "$10,000", "$15,000", "$20,000", "$25,000"])
        let log = ChartAxis.log(900, 40_000, label: "cost").dollars()
        #expect(log.ticks().map(\.label) == ["$100", "$1,000", "$10,000", "$100,000"])
        let plain = ChartAxis.linear(0, 25_000, label: "n")
        #expect(plain.ticks().first?.label == "0")
    }
}
