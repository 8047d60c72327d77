import SwapSimCore

/// Text helpers shared by the calibration tables: sizes, times, rates and aligned columns.
enum CalibrationText {
    /// A size as a power-of-two unit when exact (`4 KiB`, `32 MiB`, `4 GiB`), else in bytes.
    static func size(_ bytes: Int64) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= Int64(1) << shift {
            let scale = Int64(1) << shift
            return bytes % scale == 0 ? "\(bytes / scale) \(unit)" : "\(Fixed.format(Double(bytes) / Double(scale), decimals: 2)) \(unit)"
        }
        return "\(bytes) B"
    }

    /// A time in the unit that keeps it readable: `8.200 us`, `12.345 ms`, `1.234 s`.
    static func time(seconds s: Double) -> String {
        if abs(s) < 1e-3 { return "\(Fixed.format(s * 1e6, decimals: 3)) us" }
        if abs(s) < 1 { return "\(Fixed.format(s * 1e3, decimals: 3)) ms" }
        return "\(Fixed.format(s, decimals: 3)) s"
    }

    static func time(_ d: SimDuration) -> String { time(seconds: d.seconds) }

    static func rate(_ b: Bandwidth) -> String { "\(Fixed.format(b.gigabytesPerSecond, decimals: 3)) GB/s" }

    /// A signed percentage with two decimals; a value that rounds to zero is `+0.00%`.
    static func percent(_ x: Double) -> String {
        let s = Fixed.format(x * 100, decimals: 2)
        return (s.hasPrefix("-") ? s : "+" + s) + "%"
    }

    /// Rows as aligned columns: the first left-aligned, the others right-aligned, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let rows = rows.map { $0.map { TerminalText.safe($0) } }
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line += i == 0 ? c + pad : "  " + pad + c
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
