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
