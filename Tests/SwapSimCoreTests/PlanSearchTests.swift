import Testing

@testable import SwapSimCore

/// The count search on constructed predicates, driven the way the planner drives it.
@Suite struct PlanCountSearchTests {
    /// Runs a search to the end over `feasible`, returning the answer and the counts evaluated.
    func search(maximum: Int, window: Int = 2, _ feasible: (Int) -> Bool) -> (Int?, [Int]) {
        var s = CountSearch(maximum: maximum, window: window)
        var steps = 0
        while !s.isDone {
            let counts = s.pending
            #expect(!counts.isEmpty)
            for n in counts { s.record(n, feasible: feasible(n)) }
            steps += 1
            if steps > 1000 { Issue.record("search did not finish"); break }
        }
        return (s.minimum, s.outcomes.map(\.count))
    }

    @Test(arguments: [1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 33, 63, 64])
    func monotonePredicateGivesTheExactMinimum(threshold: Int) {
        let (answer, evaluated) = search(maximum: 64) { $0 >= threshold }
        #expect(answer == threshold)
        #expect(Set(evaluated).count == evaluated.count, "a count was evaluated twice: \(evaluated)")
        // Galloping and bisection take about 2·log2(threshold) steps, plus the neighbour window.
        #expect(evaluated.count <= 2 * 7 + 2 + 1, "\(evaluated)")
    }

    @Test func nothingFeasibleUpToTheMaximum() {
        let (answer, evaluated) = search(maximum: 20) { _ in false }
        #expect(answer == nil)
        #expect(evaluated == [1, 2, 4, 8, 16, 20])
    }

    @Test func gallopingOrderIsDoublingThenBisection() {
        let (answer, evaluated) = search(maximum: 64) { $0 >= 11 }
        #expect(answer == 11)
        #expect(evaluated == [1, 2, 4, 8, 16, 12, 10, 11, 9])
    }

    /// Feasible at 5, infeasible at 6 and 7, feasible from 8 on: bisection alone lands on 8;
    /// the neighbour check below it finds 5.
    @Test func nonMonotonePredicateFindsTheDipWithinTheWindow() {
        let feasible: Set<Int> = [5]
        let (answer, _) = search(maximum: 64) { $0 >= 8 || feasible.contains($0) }
        #expect(answer == 5)
    }

    /// A feasible count further below than the window is outside the stated rule: the search
    /// answers the bisection's count (this pins the rule, it is not a wish).
    @Test func nonMonotoneBeyondTheWindowKeepsTheBisectionAnswer() {
        let (answer, _) = search(maximum: 64, window: 2) { $0 >= 20 || $0 == 13 }
        #expect(answer == 20)
        let (wide, _) = search(maximum: 64, window: 7) { $0 >= 20 || $0 == 13 }
        #expect(wide == 13)
    }

    @Test func abandonEndsWithoutAnswer() {
        var s = CountSearch(maximum: 8)
        #expect(s.pending == [1])
        s.abandon()
        #expect(s.isDone && s.minimum == nil && s.pending.isEmpty)
    }
}

@Suite struct PlanParetoFrontierTests {
    @Test func handMadePoints() {
        // (cost, p99): 0 (10, 9), 1 (20, 5), 2 (15, 9) dominated by 0, 3 (20, 6) dominated by 1,
        // 4 (30, 5) dominated by 1 (same latency, dearer), 5 (40, 1), 6 (10, 9) equal to 0 (later: dropped),
        // 7 (5, 20) cheapest.
        let cost = [10.0, 20, 15, 20, 30, 40, 10, 5]
        let p99 = [9.0, 5, 9, 6, 5, 1, 9, 20]
        #expect(ParetoFrontier.indices(cost: cost, latency: p99) == [7, 0, 1, 5])
    }

    @Test func emptyAndSingle() {
        #expect(ParetoFrontier.indices(cost: [], latency: []).isEmpty)
        #expect(ParetoFrontier.indices(cost: [3], latency: [4]) == [0])
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func noFrontierPointIsDominatedAndEveryOtherIs(seed: UInt64) {
        var rng = RandomStream(seed: seed, stream: "pareto")
        let n = 60
        let cost = (0..<n).map { _ in Double(Int(rng.nextUnit() * 20)) }
        let p99 = (0..<n).map { _ in Double(Int(rng.nextUnit() * 20)) }
        let f = ParetoFrontier.indices(cost: cost, latency: p99)
        func dominates(_ a: Int, _ b: Int) -> Bool {
            cost[a] <= cost[b] && p99[a] <= p99[b] && (cost[a] < cost[b] || p99[a] < p99[b])
        }
        for i in f { #expect(!(0..<n).contains { dominates($0, i) }, "seed \(seed): \(i) is dominated") }
        for i in 0..<n where !f.contains(i) {
            #expect((0..<n).contains { dominates($0, i) || ($0 < i && cost[$0] == cost[i] && p99[$0] == p99[i]) }, "seed \(seed): \(i) left out")
        }
        #expect(f.map { cost[$0] } == f.map { cost[$0] }.sorted())
    }
}
