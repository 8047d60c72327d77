import SwapSimIO

/// A JSON value whose objects keep their keys in the order given, so the same figures give
/// the same bytes.
indirect enum OrderedJSON: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.rendered() == b.rendered() }

    static func int(_ v: Int) -> OrderedJSON { .int(Int64(v)) }

    /// A double rounded to `digits` significant decimals (timings carry no more precision), or null.
    static func rounded(_ v: Double?, digits: Int = 6) -> OrderedJSON {
        guard let v, v.isFinite else { return .null }
        guard v != 0 else { return .double(0) }
        let magnitude = Int((v.magnitude).log10Floor)
        let scale = pow10(digits - 1 - magnitude)
        return .double((v * scale).rounded() / scale)
    }

    private static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(n) { r *= 10 }
        return n >= 0 ? r : 1 / r
    }

    /// Pretty-printed with two-space indents and a final newline.
    func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d):
            if !d.isFinite {
                out += "null"
            } else if d == d.rounded() && d.magnitude < 1e15 {
                out += String(Int64(d)) + ".0"
            } else {
                out += d.description
            }
        case let .string(s): out += s.jsonQuoted
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case let .object(pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += pad + k.jsonQuoted + ": "
                v.write(into: &out, indent: indent + 1)
                out += i == pairs.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        }
    }
}


extension Double {
    /// ⌊log10(self)⌋ for a positive finite value, without Foundation.
    fileprivate var log10Floor: Double {
        var e = 0.0
        var v = self
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }
}
