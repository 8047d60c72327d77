/// A distribution of token counts, for traces that lack a prompt or output length column.
public enum TokenDistribution: Hashable, Sendable {
    /// Always `n` tokens.
    case fixed(Int32)
    /// Uniform over the closed range.
    case uniform(ClosedRange<Int32>)
    /// Lognormal with the given mean (in tokens) and log-space sigma.
    case lognormal(mean: Double, sigma: Double)
    /// The empirical distribution of observed values with their weights.
    case empirical(values: [Int32], cumulativeWeights: [Double])

    /// An empirical distribution from (value, weight) pairs; weights need not sum to 1.
    public static func empirical(_ pairs: [(value: Int32, weight: Double)]) -> TokenDistribution {
        var values: [Int32] = []
        var cumulative: [Double] = []
        var total = 0.0
        for p in pairs where p.weight > 0 {
            total += p.weight
            values.append(p.value)
            cumulative.append(total)
        }
        return .empirical(values: values, cumulativeWeights: cumulative)
    }

    /// A draw, clamped to at least one token and at most `maxTokens`.
    public func sample(_ rng: inout RandomStream, maxTokens: Int32 = 1 << 20) -> Int32 {
        let v: Double
        switch self {
        case let .fixed(n):
            v = Double(n)
        case let .uniform(r):
            v = Double(rng.uniformInt(Int(r.lowerBound)...Int(r.upperBound)))
        case let .lognormal(mean, sigma):
            // mu chosen so the lognormal's mean is `mean`: E = exp(mu + sigma²/2).
            let mu = MathFunctions.log(mean) - sigma * sigma / 2
            v = rng.lognormal(mu: mu, sigma: sigma).rounded()
        case let .empirical(values, cumulative):
            v = Double(values[rng.index(cumulative: cumulative)])
        }
        return Int32(min(Double(maxTokens), max(1, v)))
    }

    /// The distribution's mean in tokens (before clamping).
    public var mean: Double {
        switch self {
        case let .fixed(n): return Double(n)
        case let .uniform(r): return (Double(r.lowerBound) + Double(r.upperBound)) / 2
        case let .lognormal(mean, _): return mean
        case let .empirical(values, cumulative):
            var sum = 0.0
            var previous = 0.0
            for (v, c) in zip(values, cumulative) {
                sum += Double(v) * (c - previous)
                previous = c
            }
            return sum / (cumulative.last ?? 1)
        }
    }
}

/// How requests are assigned to models when a trace has no model column.
public enum ModelMix: Hashable, Sendable {
    /// Model k (0-based, in the given order) has weight 1/(k+1)^s.
    case zipf(Double)
    /// Explicit weights by model name.
    case weights([String: Double])
    /// Zipf with exponent s over the models in a seeded random order (`zipf:S,shuffle:SEED`), so
    /// that popularity does not follow the order the models are listed in.
    case zipfShuffled(Double, seed: UInt64)

    /// Each model's popularity rank (0 = most popular) under a Zipf mix, in model order; nil for weights.
    public func ranks(count: Int) -> [Int]? {
        switch self {
        case .zipf: return Array(0..<count)
        case let .zipfShuffled(_, seed):
            // Fisher–Yates with the project's own generator, so the order never moves with the toolchain.
            var order = Array(0..<count)
            var rng = RandomStream(seed: seed, stream: "model-ranks")
            if count > 1 {
                for i in stride(from: count - 1, to: 0, by: -1) {
                    let j = Int(rng.nextInt(below: UInt64(i + 1)))
                    order.swapAt(i, j)
                }
            }
            var rank = Array(repeating: 0, count: count)
            for (r, m) in order.enumerated() { rank[m] = r }
            return rank
        case .weights: return nil
        }
    }

    /// Cumulative weights over `models`, in their order. Names in `.weights` that are not in
    /// `models` are returned as the second element (the caller reports them).
    public func cumulativeWeights(over models: [String]) -> (cumulative: [Double], unknown: [String]) {
        var cumulative: [Double] = []
        var total = 0.0
        switch self {
        case let .zipf(s), let .zipfShuffled(s, _):
            let rank = ranks(count: models.count)!
            for k in models.indices {
                total += 1 / MathFunctions.pow(Double(rank[k] + 1), s)
                cumulative.append(total)
            }
            return (cumulative, [])
        case let .weights(w):
            for m in models {
                total += w[m] ?? 0
                cumulative.append(total)
            }
            return (cumulative, w.keys.filter { !models.contains($0) }.sorted())
        }
    }
}
