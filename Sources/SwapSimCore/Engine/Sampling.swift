/// Sampling formulas written out by the project (inverse CDF, Box–Muller), so that a seed
/// gives the same draws on every toolchain.
extension RandomStream {
    /// An exponential draw with the given mean, by inverse CDF: −mean · ln U.
    public mutating func exponential(mean: Double) -> Double {
        -mean * MathFunctions.log(nextOpenUnit())
    }

    /// A standard normal draw by the Box–Muller transform (one of the pair is used).
    public mutating func standardNormal() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextUnit()
        return MathFunctions.sqrt(-2 * MathFunctions.log(u1)) * MathFunctions.cos(2 * Double.pi * u2)
    }

    /// A lognormal draw whose underlying normal has parameters `mu` and `sigma`.
    public mutating func lognormal(mu: Double, sigma: Double) -> Double {
        MathFunctions.exp(mu + sigma * standardNormal())
    }

    /// A uniform integer in the closed range.
    public mutating func uniformInt(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(nextInt(below: UInt64(range.upperBound - range.lowerBound + 1)))
    }
}

extension RandomStream {
    /// A gamma draw with the given shape k and scale θ (mean kθ), by Marsaglia and Tsang's
    /// squeeze method (2000); for k < 1, a draw at k + 1 times U^(1/k).
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0)
        if shape < 1 {
            let u = nextOpenUnit()
            return gamma(shape: shape + 1, scale: scale) * MathFunctions.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / MathFunctions.sqrt(9 * d)
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v * scale }
            if MathFunctions.log(u) < 0.5 * x * x + d * (1 - v + MathFunctions.log(v)) { return d * v * scale }
        }
    }

    /// A Weibull draw with shape k and scale λ, by inverse CDF: λ · (−ln U)^(1/k).
    public mutating func weibull(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0)
        return scale * MathFunctions.pow(-MathFunctions.log(nextOpenUnit()), 1 / shape)
    }

    /// An index drawn with probability proportional to the weights whose running sums are
    /// `cumulative` (non-decreasing, last element the total), by inverse CDF and binary search.
    public mutating func index(cumulative: [Double]) -> Int {
        let u = nextUnit() * cumulative[cumulative.count - 1]
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
