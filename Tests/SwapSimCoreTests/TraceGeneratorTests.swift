import Foundation
import SwapSimCore
import Testing

/// The synthetic trace generator, tested statistically over fixed seeds (the failing seed is
/// named in every message).
///
/// Tolerances are four standard errors of the estimate, the standard error derived from the
/// process (stated at each test): a correct generator fails a check with probability ≈ 6e-5 per
/// seed, and the seeds are fixed, so the tests are deterministic.
@Suite struct TraceGeneratorTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]

    // MARK: Helpers

    /// The first arrival times of `process` below `horizon` seconds.
    static func times(_ process: ArrivalProcess, diurnal: DiurnalModulation? = nil, seed: UInt64, horizon: Double) -> [Double] {
        var a = ArrivalTimes(process, diurnal: diurnal, seed: seed, stream: "arrivals")
        var out: [Double] = []
        while true {
            let t = a.next()
            guard t < horizon else { return out }
            out.append(t)
        }
    }

    static func generate(_ p: TraceGenerator.Parameters, seed: UInt64) -> [TraceRequest] {
        var g = TraceGenerator(p, seed: seed)
        var out: [TraceRequest] = []
        while let r = g.next() { out.append(r) }
        return out
    }

    static func meanAndSD(_ xs: [Double]) -> (mean: Double, sd: Double) {
        let m = xs.reduce(0, +) / Double(xs.count)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        return (m, v.squareRoot())
    }

    static func gaps(_ t: [Double]) -> [Double] { zip(t.dropFirst(), t).map { $0 - $1 } }

    // MARK: Arrival processes

    /// Poisson at 20/s for 1,000 s: the count N has SD √(λT) ≈ 141 (0.7 %); the gaps' CV is 1
    /// with SE √(c²(1+c²)/2n) ≈ 0.007 (the sample CV of gamma gaps, shape 1/c²).
    @Test(arguments: seeds)
    func poissonRateAndCVRecovered(seed: UInt64) {
        let rate = 20.0, horizon = 1000.0
        let t = Self.times(.poisson(rate: rate), seed: seed, horizon: horizon)
        let expected = rate * horizon
        #expect(abs(Double(t.count) - expected) <= 4 * expected.squareRoot(), "seed \(seed): \(t.count) arrivals, expected \(expected)")
        let (m, sd) = Self.meanAndSD(Self.gaps(t))
        let n = Double(t.count - 1)
        #expect(abs(sd / m - 1) <= 4 * (2 / (2 * n)).squareRoot(), "seed \(seed): gap CV \(sd / m)")
        #expect(zip(t.dropFirst(), t).allSatisfy { $0 >= $1 }, "seed \(seed): arrivals out of order")
    }

    /// Gamma renewal at 20/s with CV 0.5 and 3: the gaps' sample CV has SE ≈ c·√((1+c²)/2n)
    /// (for shape k = 1/c², Var(ĉ)/c² ≈ (1 + 1/k)/2n); the count's SD is ≈ c·√(λT).
    @Test(arguments: [0.5, 3.0], seeds)
    func gammaCVRecovered(cv: Double, seed: UInt64) {
        let rate = 20.0, horizon = 1000.0
        let t = Self.times(.gamma(rate: rate, cv: cv), seed: seed, horizon: horizon)
        let expected = rate * horizon
        #expect(abs(Double(t.count) - expected) <= 4 * cv * expected.squareRoot(), "seed \(seed) cv \(cv): \(t.count) arrivals, expected \(expected)")
        let (m, sd) = Self.meanAndSD(Self.gaps(t))
        let n = Double(t.count - 1)
        let se = cv * ((1 + cv * cv) / (2 * n)).squareRoot()
        #expect(abs(sd / m - cv) <= 4 * se, "seed \(seed): gap CV \(sd / m), expected \(cv) ± \(4 * se)")
    }

    /// On/off MMPP: 20/s for exponential on periods of mean 1 s, 1/s for off periods of mean 3 s.
    /// Its long-run rate is the time-weighted mean (20·1 + 1·3)/4 = 5.75/s. Counts are
    /// overdispersed: the asymptotic index of dispersion is
    /// 1 + 2(λ₁−λ₂)² r₁r₂ / ((r₁+r₂)³ λ̄) ≈ 18.7 (r₁ = 1, r₂ = 1/3 the switching rates),
    /// so over 10,000 s the count's SD is √(18.7 · 57,500) ≈ 1,040 (1.8 %). The dispersion of
    /// 50-s window counts (theory ≈ 18.4 at that window) is estimated from 200 windows, with
    /// relative SE ≈ √(2/200) = 10 %: within 35 %.
    @Test(arguments: seeds)
    func onOffRateIsTheTimeWeightedMean(seed: UInt64) {
        let (on, off) = (20.0, 1.0)
        let (r1, r2) = (1.0, 1.0 / 3.0)
        let p = ArrivalProcess.onOff(onRate: on, offRate: off, meanOn: .seconds(1), meanOff: .seconds(3))
        #expect(p.meanRate == 5.75)
        let horizon = 10_000.0
        let t = Self.times(p, seed: seed, horizon: horizon)
        let mean = p.meanRate * horizon
        let idc = 1 + 2 * (on - off) * (on - off) * r1 * r2 / ((r1 + r2) * (r1 + r2) * (r1 + r2) * p.meanRate)
        #expect(abs(Double(t.count) - mean) <= 4 * (idc * mean).squareRoot(), "seed \(seed): \(t.count) arrivals, expected \(mean)")

        let window = 50.0
        var counts = [Double](repeating: 0, count: Int(horizon / window))
        for x in t { counts[Int(x / window)] += 1 }
        let (m, sd) = Self.meanAndSD(counts)
        let s = (r1 + r2) * window
        let idcWindow = 1 + (idc - 1) * (1 - (1 - exp(-s)) / s)
        #expect(abs(sd * sd / m / idcWindow - 1) <= 0.35, "seed \(seed): window dispersion \(sd * sd / m), theory \(idcWindow)")
    }

    /// Diurnal modulation, amplitude 0.5, period 1,000 s, peak at 250 s, over 10 periods. Over
    /// the eighth-periods either side of the peak the multiplier averages 1 + A·sin(π/4)/(π/4),
    /// around the trough 1 − A·sin(π/4)/(π/4): ratio 2.637. Its log has SE √(D(1/N₁ + 1/N₂)),
    /// D the process's index of dispersion (1 Poisson, ≈ c² gamma, ≈ 4.5 this on/off).
    @Test(arguments: ["poisson", "gamma", "onoff"], seeds)
    func diurnalPeakToTroughRatio(kind: String, seed: UInt64) {
        let diurnal = DiurnalModulation(amplitude: 0.5, period: .seconds(1000), peak: .seconds(250))
        let process: ArrivalProcess
        let dispersion: Double
        switch kind {
        case "poisson": (process, dispersion) = (.poisson(rate: 5), 1)
        case "gamma": (process, dispersion) = (.gamma(rate: 5, cv: 2), 4)
        default:
            // Short sojourns (0.2 s on, 0.6 s off) so the modulation, not the bursts, dominates.
            (process, dispersion) = (.onOff(onRate: 20, offRate: 1, meanOn: .milliseconds(200), meanOff: .milliseconds(600)), 4.5)
        }
        let horizon = 10_000.0
        let t = Self.times(process, diurnal: diurnal, seed: seed, horizon: horizon)
        let mean = process.meanRate * horizon
        #expect(abs(Double(t.count) - mean) <= 4 * (dispersion * mean).squareRoot(), "seed \(seed) \(kind): \(t.count) arrivals, expected \(mean)")
        var nearPeak = 0.0, nearTrough = 0.0
        for x in t {
            let phase = (x - 250).truncatingRemainder(dividingBy: 1000)  // in (−250, 1000)
            let fromPeak = min(abs(phase), 1000 - abs(phase))
            if fromPeak <= 125 { nearPeak += 1 }
            if abs(fromPeak - 500) <= 125 { nearTrough += 1 }
        }
        let k = 0.5 * sin(Double.pi / 4) / (Double.pi / 4)
        let expected = (1 + k) / (1 - k)
        let se = (dispersion * (1 / nearPeak + 1 / nearTrough)).squareRoot()
        #expect(abs(log(nearPeak / nearTrough) - log(expected)) <= 4 * se,
                "seed \(seed) \(kind): peak/trough \(nearPeak / nearTrough), expected \(expected)")
    }

    /// The time change a modulated gamma process uses inverts the integrated multiplier.
    @Test(arguments: [0.3, 1.0])
    func diurnalTimeChangeInvertsTheIntegral(amplitude: Double) {
        let d = DiurnalModulation(amplitude: amplitude, period: .seconds(3600), peak: .seconds(600))
        var previous = 0.0
        for i in 0..<2000 {
            let tau = Double(i) * 7.3
            let t = d.time(atOperational: tau, notBefore: previous)
            #expect(abs(d.integratedMultiplier(to: t) - tau) < 1e-8, "operational \(tau) → \(t)")
            #expect(t >= previous)
            previous = t
        }
    }

    // MARK: Models

    /// Zipf popularity over 12 models, 30,000 requests: the slope of log count against log rank
    /// recovers −s. Each log count has variance ≈ 1/count, so the least-squares slope's SE is
    /// √(Σ wₖ²/countₖ) with wₖ = (xₖ − x̄)/Sxx.
    @Test(arguments: [0.8, 1.5], seeds)
    func zipfExponentRecovered(exponent: Double, seed: UInt64) {
        let models = 12
        let p = TraceGenerator.Parameters(
            traffic: .shared(.poisson(rate: 30), weights: TraceGenerator.Traffic.zipfWeights(models: models, exponent: exponent)),
            duration: .seconds(1000), inputTokens: .fixed(1), outputTokens: .fixed(1))
        var counts = [Double](repeating: 0, count: models)
        for r in Self.generate(p, seed: seed) { counts[r.model] += 1 }
        let x = (1...models).map { log(Double($0)) }
        let y = counts.map { log($0) }
        let xm = x.reduce(0, +) / Double(models), ym = y.reduce(0, +) / Double(models)
        let sxx = x.reduce(0) { $0 + ($1 - xm) * ($1 - xm) }
        let slope = zip(x, y).reduce(0) { $0 + ($1.0 - xm) * ($1.1 - ym) } / sxx
        let se = zip(x, counts).reduce(0) { $0 + (($1.0 - xm) / sxx) * (($1.0 - xm) / sxx) / $1.1 }.squareRoot()
        #expect(abs(-slope - exponent) <= 4 * se, "seed \(seed): fitted exponent \(-slope), expected \(exponent) ± \(4 * se)")
    }

    /// Explicit weights 3:1:0:2 over ≈30,000 requests: each share within 4√(p(1−p)/N); a
    /// zero-weight model is never drawn.
    @Test(arguments: seeds)
    func weightSharesRecovered(seed: UInt64) {
        let weights = [3.0, 1, 0, 2]
        let p = TraceGenerator.Parameters(
            traffic: .shared(.poisson(rate: 30), weights: weights), duration: .seconds(1000), inputTokens: .fixed(1), outputTokens: .fixed(1))
        let requests = Self.generate(p, seed: seed)
        var counts = [Double](repeating: 0, count: weights.count)
        for r in requests { counts[r.model] += 1 }
        let n = Double(requests.count)
        #expect(counts[2] == 0, "seed \(seed)")
        for k in weights.indices {
            let share = weights[k] / 6
            #expect(abs(counts[k] / n - share) <= 4 * (share * (1 - share) / n).squareRoot() + 1e-12, "seed \(seed): model \(k) share \(counts[k] / n), expected \(share)")
        }
    }

    /// Per-model Poisson rates 2, 0.5 and 5 per second (and gamma, CV 2) over 2,000 s: each
    /// model's count within 4·c·√(λT) of λT; the merged stream is in time order.
    @Test(arguments: [1.0, 2.0], seeds)
    func perModelRatesRecovered(cv: Double, seed: UInt64) {
        let rates = [2.0, 0.5, 5]
        let processes = rates.map { cv == 1 ? ArrivalProcess.poisson(rate: $0) : .gamma(rate: $0, cv: cv) }
        let p = TraceGenerator.Parameters(traffic: .perModel(processes), duration: .seconds(2000), inputTokens: .fixed(1), outputTokens: .fixed(1))
        let requests = Self.generate(p, seed: seed)
        var counts = [Double](repeating: 0, count: rates.count)
        for r in requests { counts[r.model] += 1 }
        for k in rates.indices {
            let expected = rates[k] * 2000
            #expect(abs(counts[k] - expected) <= 4 * cv * expected.squareRoot(), "seed \(seed): model \(k) \(counts[k]) requests, expected \(expected)")
        }
        #expect(zip(requests.dropFirst(), requests).allSatisfy { $0.arrival >= $1.arrival }, "seed \(seed)")
    }

    /// Three busy models (1,000/s each) collide on the microsecond: requests at the same microsecond
    /// come in model order (a model may also repeat within one microsecond).
    @Test func perModelTiesComeInModelOrder() {
        let p = TraceGenerator.Parameters(
            traffic: .perModel(Array(repeating: .poisson(rate: 1000), count: 3)), duration: .seconds(10), inputTokens: .fixed(1), outputTokens: .fixed(1))
        let requests = Self.generate(p, seed: 5)
        var mixed = 0
        for (b, a) in zip(requests.dropFirst(), requests) where a.arrival == b.arrival {
            #expect(a.model <= b.model, "at \(a.arrival)")
            if a.model < b.model { mixed += 1 }
        }
        #expect(mixed > 10)
    }

    // MARK: Tokens

    /// Sample means of 10,000 draws within 4σ/√n of the distribution's mean; lognormal draws
    /// are clamped to maxTokens.
    @Test(arguments: seeds)
    func tokenMeansRecovered(seed: UInt64) {
        let cases: [(TokenDistribution, sd: Double)] = [
            (.fixed(7), 0),
            (.uniform(100...300), ((201.0 * 201 - 1) / 12).squareRoot()),
            (.lognormal(mean: 1000, sigma: 0.8), 1000 * (exp(0.64) - 1).squareRoot()),
            (.empirical([(10, 1), (20, 3)]), 10 * (0.25 * 0.75).squareRoot()),
        ]
        for (i, (dist, sd)) in cases.enumerated() {
            let p = TraceGenerator.Parameters(
                traffic: .shared(.poisson(rate: 10), weights: [1]), duration: .seconds(1000), inputTokens: dist, outputTokens: .fixed(3))
            let requests = Self.generate(p, seed: seed)
            let n = Double(requests.count)
            let mean = requests.reduce(0.0) { $0 + Double($1.inputTokens) } / n
            #expect(abs(mean - dist.mean) <= 4 * sd / n.squareRoot() + 1e-9, "seed \(seed) case \(i): mean \(mean), expected \(dist.mean)")
            #expect(requests.allSatisfy { $0.outputTokens == 3 })
        }
        let clamped = TraceGenerator.Parameters(
            traffic: .shared(.poisson(rate: 20), weights: [1]), duration: .seconds(100), inputTokens: .lognormal(mean: 1000, sigma: 1),
            outputTokens: .lognormal(mean: 1000, sigma: 1), maxTokens: 500)
        let requests = Self.generate(clamped, seed: seed)
        #expect(requests.allSatisfy { (1...500).contains($0.inputTokens) && (1...500).contains($0.outputTokens) }, "seed \(seed)")
        #expect(requests.contains { $0.inputTokens == 500 }, "seed \(seed)")
    }

    // MARK: Determinism

    static let everything = TraceGenerator.Parameters(
        traffic: .perModel([.gamma(rate: 3, cv: 2), .gamma(rate: 1, cv: 0.5)]),
        diurnal: DiurnalModulation(amplitude: 0.7, period: .seconds(600), peak: .seconds(100)),
        duration: .seconds(1800), inputTokens: .uniform(10...2000), outputTokens: .lognormal(mean: 200, sigma: 1))

    static func fingerprint(_ requests: [TraceRequest]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for r in requests {
            for v in [UInt64(bitPattern: r.arrival.nanoseconds), UInt64(r.model), UInt64(r.inputTokens), UInt64(r.outputTokens)] {
                h = (h ^ v) &* 0x0000_0100_0000_01B3
            }
        }
        return h
    }

    @Test(arguments: seeds)
    func sameSeedGivesTheSameRequests(seed: UInt64) {
        let onOff = TraceGenerator.Parameters(
            traffic: .shared(.onOff(onRate: 10, offRate: 0, meanOn: .seconds(5), meanOff: .seconds(20)), weights: [3, 2, 1]),
            diurnal: DiurnalModulation(amplitude: 1, period: .seconds(300)), duration: .seconds(1800),
            inputTokens: .empirical([(5, 1), (50, 2)]), outputTokens: .fixed(9))
        for p in [Self.everything, onOff] {
            let a = Self.generate(p, seed: seed)
            #expect(a.count > 100, "seed \(seed)")
            #expect(a == Self.generate(p, seed: seed), "seed \(seed)")
            #expect(a != Self.generate(p, seed: seed + 100), "seed \(seed)")
            #expect(a.allSatisfy { $0.arrival.nanoseconds >= 0 && $0.arrival.nanoseconds < p.duration.nanoseconds && $0.arrival.nanoseconds % 1000 == 0 })
        }
    }

    /// Pinned: a change here changes every trace generated with these features; update it only
    /// with the change that means to.
    @Test func referenceFingerprint() {
        let requests = Self.generate(Self.everything, seed: 42)
        #expect(requests.count == 7072)
        #expect(Self.fingerprint(requests) == 10_755_136_823_030_874_021)
    }

    /// Streams are per purpose: other token distributions leave arrivals and models alone, and
    /// a zero amplitude is no modulation.
    @Test func streamsAreIndependent() {
        let base = TraceGenerator.Parameters(rate: 5, duration: .seconds(600), models: 4, zipf: 1.2)
        var other = base
        other.inputTokens = .fixed(10)
        other.outputTokens = .uniform(1...5)
        var flat = base
        flat.diurnal = DiurnalModulation(amplitude: 0, period: .seconds(60))
        let a = Self.generate(base, seed: 9)
        let b = Self.generate(other, seed: 9)
        #expect(a.map(\.arrival) == b.map(\.arrival))
        #expect(a.map(\.model) == b.map(\.model))
        #expect(a == Self.generate(flat, seed: 9))
    }

    @Test func invalidParametersAreNamed() {
        #expect(ArrivalProcess.poisson(rate: 0).invalidReason != nil)
        #expect(ArrivalProcess.gamma(rate: 1, cv: 0).invalidReason != nil)
        #expect(ArrivalProcess.onOff(onRate: 0, offRate: 0, meanOn: .seconds(1), meanOff: .seconds(1)).invalidReason != nil)
        #expect(ArrivalProcess.onOff(onRate: 1, offRate: 0, meanOn: .zero, meanOff: .seconds(1)).invalidReason != nil)
        #expect(DiurnalModulation(amplitude: 1.5, period: .seconds(1)).invalidReason != nil)
        let p = TraceGenerator.Parameters(traffic: .shared(.poisson(rate: 1), weights: [0, 0]), duration: .seconds(1), inputTokens: .fixed(1), outputTokens: .fixed(1))
        #expect(p.invalidReason != nil)
    }

    /// Fixed-rate arrivals are exactly 1/rate apart, the first one gap after 0; with a diurnal
    /// cycle they are time-changed, so the count over a whole period keeps the mean rate.
    @Test func fixedRateArrivalsAreEvenlySpaced() {
        var a = ArrivalTimes(.fixed(rate: 4), seed: 1, stream: "fixed")
        let times = (0..<8).map { _ in a.next() }
        #expect(times == (1...8).map { Double($0) / 4 })
        var d = ArrivalTimes(
            .fixed(rate: 2), diurnal: DiurnalModulation(amplitude: 0.5, period: .seconds(100), peak: .seconds(25)), seed: 1, stream: "fixed")
        var n = 0
        while d.next() <= 100 { n += 1 }
        #expect(n == 200)
        #expect(ArrivalProcess.fixed(rate: 0).invalidReason != nil)
    }
}
