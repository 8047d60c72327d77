import Foundation
import SwapSimCore
import Testing

@Suite struct RandomStreamTests {
    @Test func sameSeedAndStreamGiveSameSequence() {
        var a = RandomStream(seed: 42, stream: "arrivals")
        var b = RandomStream(seed: 42, stream: "arrivals")
        for i in 0..<10_000 { #expect(a.next() == b.next(), "draw \(i)") }
    }

    @Test func differentStreamsAndSeedsDiffer() {
        func firstDraws(_ seed: UInt64, _ name: String) -> [UInt64] {
            var r = RandomStream(seed: seed, stream: name)
            return (0..<16).map { _ in r.next() }
        }
        let arrivals = firstDraws(1, "arrivals")
        let tokens = firstDraws(1, "tokens")
        let models = firstDraws(1, "models")
        let otherSeed = firstDraws(2, "arrivals")
        #expect(arrivals != tokens)
        #expect(arrivals != models)
        #expect(tokens != models)
        #expect(arrivals != otherSeed)
        // Not merely shifted copies of one another.
        #expect(Set(arrivals).isDisjoint(with: tokens))
        #expect(Set(arrivals).isDisjoint(with: otherSeed))
    }

    @Test func unitDrawsStayInTheirIntervals() {
        var r = RandomStream(seed: 3, stream: "unit")
        for _ in 0..<100_000 {
            let u = r.nextUnit()
            #expect(u >= 0 && u < 1)
            let v = r.nextOpenUnit()
            #expect(v > 0 && v <= 1)
        }
    }

    /// 200,000 draws: the sample mean's standard error is mean/√n ≈ 0.22 % of the mean, so a 1 %
    /// tolerance is about 4.5 standard errors; the variance (mean²) gets 3 %.
    @Test(.tags(.statistical), arguments: [0.001, 1.0, 250.0])
    func exponentialMeanIsRecovered(mean: Double) {
        var r = RandomStream(seed: 7, stream: "exponential")
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let x = r.exponential(mean: mean)
            #expect(x >= 0)
            sum += x
            sumSq += x * x
        }
        let m = sum / Double(n)
        let variance = sumSq / Double(n) - m * m
        #expect(abs(m / mean - 1) < 0.01, "sample mean \(m) vs \(mean)")
        #expect(abs(variance / (mean * mean) - 1) < 0.03, "sample variance \(variance) vs \(mean * mean)")
    }

    /// The logs of lognormal draws are normal(mu, sigma): 200,000 draws give standard errors of
    /// sigma/√n for mu and sigma/√(2n) for sigma; the tolerances are over 5 standard errors.
    @Test(.tags(.statistical), arguments: [(0.0, 1.0), (2.5, 0.4), (-1.0, 1.5)])
    func lognormalParametersAreRecovered(mu: Double, sigma: Double) {
        var r = RandomStream(seed: 11, stream: "lognormal")
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let x = r.lognormal(mu: mu, sigma: sigma)
            #expect(x > 0)
            let l = log(x)
            sum += l
            sumSq += l * l
        }
        let m = sum / Double(n)
        let s = (sumSq / Double(n) - m * m).squareRoot()
        #expect(abs(m - mu) < 0.012 * sigma + 1e-12, "recovered mu \(m) vs \(mu)")
        #expect(abs(s / sigma - 1) < 0.01, "recovered sigma \(s) vs \(sigma)")
    }

    /// Pearson's χ² over the bound's buckets (or over equal slices of a huge bound) stays under the
    /// 0.1 % critical value for its degrees of freedom.
    @Test(.tags(.statistical), arguments: [
        // (bound, buckets, critical χ² at p = 0.001 for buckets − 1 degrees of freedom)
        (UInt64(2), 2, 10.83), (UInt64(7), 7, 22.46), (UInt64(10), 10, 27.88), (UInt64(1000), 1000, 1142.8),
        // 3·2^62: a plain modulo of 64 random bits would put half the draws in the first third.
        (UInt64(3) << 62, 3, 13.82),
    ])
    func nextIntBelowIsUniform(bound: UInt64, buckets: Int, critical: Double) {
        var r = RandomStream(seed: 5, stream: "uniform-int")
        let n = 200_000
        var counts = [Int](repeating: 0, count: buckets)
        let width = bound / UInt64(buckets)
        for _ in 0..<n {
            let x = r.nextInt(below: bound)
            #expect(x < bound)
            counts[Int(x / width)] += 1
        }
        let expected = Double(n) / Double(buckets)
        var chi2 = 0.0
        for c in counts { chi2 += (Double(c) - expected) * (Double(c) - expected) / expected }
        #expect(chi2 < critical, "χ² = \(chi2) over \(buckets) buckets, critical \(critical)")
    }

    @Test func uniformIntCoversItsClosedRange() {
        var r = RandomStream(seed: 9, stream: "uniform-range")
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let x = r.uniformInt(-3...4)
            #expect((-3...4).contains(x))
            seen.insert(x)
        }
        #expect(seen == Set(-3...4))
    }
}
