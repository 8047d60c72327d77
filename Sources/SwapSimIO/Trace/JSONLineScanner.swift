/// Picks the values of a few keys out of one JSON object on one line, without building a tree.
///
/// Strings come back without their quotes (escapes decoded only when present); numbers,
/// booleans and null as their text; nested objects and arrays are skipped over.
struct JSONLineScanner {
    /// The keys wanted, in slot order.
    let keys: [[UInt8]]

    init(keys: [String]) { self.keys = keys.map { Array($0.utf8) } }

    enum Failure: Error { case malformed(String) }

    /// Fills `values[i]` with the value of `keys[i]` in `line` (nil where absent).
    func scan(_ line: ArraySlice<UInt8>, into values: inout [ArraySlice<UInt8>?]) throws(Failure) {
        for i in values.indices { values[i] = nil }
        var i = line.startIndex
        let end = line.endIndex
        func skipSpace() { while i < end, line[i] == 32 || line[i] == 9 || line[i] == 13 { i += 1 } }
        func expect(_ b: UInt8, _ what: String) throws(Failure) {
            skipSpace()
            guard i < end, line[i] == b else { throw .malformed("expected \(what)") }
            i += 1
        }
        /// Reads a string starting at the opening quote; returns its raw content range.
        func string() throws(Failure) -> ArraySlice<UInt8> {
            i += 1
            let start = i
            while i < end {
                if line[i] == 92 { i += 2; continue }
                if line[i] == 34 {
                    let s = line[start..<i]
                    i += 1
                    return s
                }
                i += 1
            }
            throw .malformed("unterminated string")
        }
        try expect(123, "'{' at the start of the line")
        skipSpace()
        func closed() throws(Failure) {
            i += 1
            skipSpace()
            if i < end { throw .malformed("text after the closing '}'") }
        }
        if i < end, line[i] == 125 { try closed(); return }
        while true {
            skipSpace()
            guard i < end, line[i] == 34 else { throw .malformed("expected a quoted key") }
            let key = try string()
            try expect(58, "':' after a key")
            skipSpace()
            guard i < end else { throw .malformed("missing value") }
            var value: ArraySlice<UInt8>
            switch line[i] {
            case 34:
                value = try string()
                if value.contains(92) { value = ArraySlice(Self.unescape(value)) }
            case 123, 91:
                var depth = 0
                let start = i
                while i < end {
                    let b = line[i]
                    if b == 34 { _ = try string(); continue }
                    if b == 123 || b == 91 { depth += 1 } else if b == 125 || b == 93 { depth -= 1 }
                    i += 1
                    if depth == 0 { break }
                }
                value = line[start..<i]
            default:
                let start = i
                while i < end, line[i] != 44, line[i] != 125 { i += 1 }
                value = line[start..<i]
                while let l = value.last, l == 32 || l == 9 { value.removeLast() }
            }
            if let slot = keys.firstIndex(where: { $0.elementsEqual(key) }) { values[slot] = value }
            skipSpace()
            guard i < end else { throw .malformed("missing '}'") }
            if line[i] == 44 { i += 1; continue }
            if line[i] == 125 { try closed(); return }
            throw .malformed("expected ',' or '}'")
        }
    }

    /// Decodes JSON string escapes (\" \\ \/ \b \f \n \r \t \uXXXX, surrogate pairs included).
    static func unescape(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var scalars = String.UnicodeScalarView()
        var i = s.startIndex
        func flushScalars() {
            out.append(contentsOf: String(scalars).utf8)
            scalars = String.UnicodeScalarView()
        }
        while i < s.endIndex {
            let b = s[i]
            if b != 92 || i + 1 >= s.endIndex {
                flushScalars()
                out.append(b)
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): flushScalars(); out.append(10)
            case UInt8(ascii: "t"): flushScalars(); out.append(9)
            case UInt8(ascii: "r"): flushScalars(); out.append(13)
            case UInt8(ascii: "b"): flushScalars(); out.append(8)
            case UInt8(ascii: "f"): flushScalars(); out.append(12)
            case UInt8(ascii: "u"):
                guard i + 4 <= s.endIndex, let v = UInt32(String(decoding: s[i..<i + 4], as: UTF8.self), radix: 16) else { continue }
                i += 4
                if (0xD800..<0xDC00).contains(v), i + 6 <= s.endIndex, s[i] == 92, s[i + 1] == UInt8(ascii: "u"),
                    let lo = UInt32(String(decoding: s[i + 2..<i + 6], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(lo)
                {
                    i += 6
                    if let u = Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)) { scalars.append(u) }
                } else if let u = Unicode.Scalar(v) {
                    scalars.append(u)
                }
            default: flushScalars(); out.append(e)
            }
        }
        flushScalars()
        return out
    }
}
