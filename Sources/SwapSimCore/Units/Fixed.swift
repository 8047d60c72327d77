/// Deterministic fixed-point formatting of doubles, independent of any C library.
public enum Fixed {
    /// Formats `value` with exactly `decimals` digits after the point, rounding half away from zero.
    ///
    /// Values whose scaled magnitude exceeds 9e15 fall back to Swift's shortest representation.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return value.description }
        let n = Int64(scaled)
        let negative = value < 0 && n != 0
        var p: Int64 = 1
        for _ in 0..<decimals { p *= 10 }
        let whole = n / p
        let frac = n % p
        var s = negative ? "-" : ""
        s += String(whole)
        if decimals > 0 {
            var fs = String(frac)
            while fs.count < decimals { fs = "0" + fs }
            s += "." + fs
        }
        return s
    }
}
