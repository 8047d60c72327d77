import SwapSimCore

/// One axis of a chart: its range, linear or logarithmic, and where its ticks go.
struct ChartAxis {
    enum Kind { case linear, log, categories }

    let kind: Kind
    let min: Double
    let max: Double
    let label: String
    /// Text after each tick's number (" s", "%").
    let unit: String
    /// For a category axis: the names, one per unit band from 0.
    var names: [String] = []
    /// Ticks are money: "$" before the number, and thousands separators ("$20,000").
    var money = false

    /// The axis with its ticks written as money ("$1,500").
    func dollars() -> ChartAxis {
        var a = self
        a.money = true
        return a
    }

    /// A tick's text: the number with `decimals` digits, its unit, or as money.
    func tickText(_ v: Double, decimals: Int) -> String {
        money ? "$" + TraceInspectReport.grouped(v, decimals: decimals) : Fixed.format(v, decimals: decimals) + unit
    }

    /// A category axis: `names[i]` labels the band [i, i + 1].
    static func categories(_ names: [String], label: String) -> ChartAxis {
        ChartAxis(kind: .categories, min: 0, max: Double(Swift.max(1, names.count)), label: label, unit: "", names: names)
    }

    /// A linear axis over [min, max], widened to a nice step when `nice`.
    static func linear(_ lo: Double, _ hi: Double, label: String, unit: String = "", nice: Bool = true) -> ChartAxis {
        var lo = lo, hi = hi
        if !(hi > lo) { hi = lo + 1 }
        if nice {
            let step = niceStep((hi - lo) / 5)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
        }
        return ChartAxis(kind: .linear, min: lo, max: hi, label: label, unit: unit)
    }

    /// A base-10 logarithmic axis covering [lo, hi] (both positive), widened to whole decades.
    static func log(_ lo: Double, _ hi: Double, label: String, unit: String = "") -> ChartAxis {
        let lo = Swift.max(lo, 1e-6)
        let hi = Swift.max(hi, lo * 10)
        let a = pow10(floorLog10(lo))
        var b = pow10(floorLog10(hi))
        if b < hi { b *= 10 }
        return ChartAxis(kind: .log, min: a, max: b, label: label, unit: unit)
    }

    /// Where `v` falls along the axis, 0 at ``min`` and 1 at ``max`` (clamped).
    func fraction(_ v: Double) -> Double {
        let f: Double
        switch kind {
        case .linear, .categories: f = (v - min) / (max - min)
        case .log:
            let v = Swift.max(v, min)
            f = Double(floorLog10Exact(v / min)) / Double(floorLog10Exact(max / min))
        }
        return Swift.min(1, Swift.max(0, f.isFinite ? f : 0))
    }

    /// The ticks: values and their labels.
    func ticks() -> [(value: Double, label: String)] {
        switch kind {
        case .categories:
            return names.enumerated().map { (Double($0.offset) + 0.5, $0.element) }
        case .linear:
            let step = Self.niceStep((max - min) / 5)
            let decimals = Swift.max(0, -Self.floorLog10(step))
            var out: [(Double, String)] = []
            var k = (min / step).rounded(.up)
            while k * step <= max + step * 1e-9 {
                let v = k * step
                out.append((v, tickText(v, decimals: decimals)))
                k += 1
            }
            return out
        case .log:
            var out: [(Double, String)] = []
            var v = min
            while v <= max * 1.000001 {
                let e = Self.floorLog10(v)
                out.append((v, tickText(v, decimals: Swift.max(0, -e))))
                v *= 10
            }
            return out
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow10(floorLog10(raw))
        for m in [1.0, 2, 5, 10] where m * p >= raw * 0.999_999 { return m * p }
        return 10 * p
    }

    /// ⌊log10 v⌋ for positive v, by repeated multiplication (no libm, same on every machine).
    static func floorLog10(_ v: Double) -> Int {
        guard v > 0, v.isFinite else { return 0 }
        var e = 0
        var x = v
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }

    /// log10 of a ratio as a real number, by decades plus a linear-in-log interpolation within one.
    private func floorLog10Exact(_ ratio: Double) -> Double {
        guard ratio > 0 else { return 0 }
        let e = Self.floorLog10(ratio)
        let mantissa = ratio / Self.pow10(e)
        return Double(e) + Self.log10Mantissa(mantissa)
    }

    /// log10 of m in [1, 10), from the natural log series (deterministic, no libm).
    static func log10Mantissa(_ m: Double) -> Double {
        // ln(m) = 2 artanh((m - 1) / (m + 1)); the series converges fast for m in [1, 10).
        let y = (m - 1) / (m + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        var k = 1.0
        for _ in 0..<40 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum / 2.302_585_092_994_046
    }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        if e >= 0 { for _ in 0..<e { p *= 10 } } else { for _ in 0..<(-e) { p /= 10 } }
        return p
    }
}
