import SwapSimCore

/// A minimal JSON writer with keys in the order they are written, so output is byte-stable.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]
    private let indentUnit = "  "

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if needsComma.count > 1 { text += "\n" + String(repeating: indentUnit, count: needsComma.count - 1) }
    }

    private mutating func key(_ k: String?) {
        separator()
        if let k { text += Self.quote(k) + ": " }
    }

    mutating func open(_ k: String? = nil, array: Bool = false) {
        key(k)
        text += array ? "[" : "{"
        needsComma.append(false)
    }

    mutating func close(array: Bool = false) {
        let hadItems = needsComma.removeLast()
        if hadItems { text += "\n" + String(repeating: indentUnit, count: needsComma.count - 1) }
        text += array ? "]" : "}"
    }

    mutating func string(_ k: String?, _ v: String) { key(k); text += Self.quote(v) }
    mutating func int(_ k: String?, _ v: Int64) { key(k); text += String(v) }
    mutating func int(_ k: String?, _ v: Int) { key(k); text += String(v) }
    mutating func uint(_ k: String?, _ v: UInt64) { key(k); text += String(v) }
    mutating func bool(_ k: String?, _ v: Bool) { key(k); text += v ? "true" : "false" }
    /// A double in Swift's shortest round-trip form; non-finite values become null.
    mutating func double(_ k: String?, _ v: Double) { key(k); text += Self.number(v) }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) + ".0" }
        return v.description
    }

    /// `s` as a JSON string literal: quotes and backslashes escaped, control characters as
    /// `\n`, `\r`, `\t` or `\uXXXX` (DEL, C1 and the bidirectional controls too, which JSON
    /// allows raw, so that no JSON swapsim prints can drive a terminal: ``TerminalText``).
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || (u.value >= 0x7F && TerminalText.isControl(u)) {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    /// The string as a JSON string literal, escaped as the project's JSON writers escape it.
    public var jsonQuoted: String { JSONWriter.quote(self) }
}
