/// A small JSON reader over a file's bytes that knows which line it is on, so that a bad
/// ServeGen dataset file gets an error naming its line (Foundation's parser reports offsets).
///
/// It reads objects member by member and strings; other values are checked and skipped.
struct ServeGenJSONScanner {
    let bytes: [UInt8]
    let path: String
    private(set) var index = 0
    /// The 1-based line of the next unread byte.
    private(set) var line = 1

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Reads an object, calling `member` with each key while the scanner stands at its value
    /// (which `member` must consume). `context` names the object in messages.
    mutating func object(
        _ context: String, _ member: (inout ServeGenJSONScanner, String) throws(TraceError) -> Void
    ) throws(TraceError) {
        try expect(UInt8(ascii: "{"), context, "an object ('{')")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure(context, "expected a quoted key") }
            let key = try string(context)
            try expect(UInt8(ascii: ":"), context, "':' after the key \"\(key)\"")
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw failure(context, "expected ',' or '}' after the value of \"\(key)\"")
            }
        }
    }

    /// Reads a string value.
    mutating func string(_ context: String) throws(TraceError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure(context, "expected a string") }
        index += 1
        // Fast path: a string without escapes is a slice of the file.
        let end = bytes.withUnsafeBufferPointer { b in
            var end = index
            while end < b.count && b[end] != UInt8(ascii: "\"") && b[end] != UInt8(ascii: "\\") && b[end] >= 32 { end += 1 }
            return end
        }
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            defer { index = end + 1 }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    guard let scalar = try unicodeEscape(context) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); continue }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw failure(context, "unknown escape '\\\(Character(Unicode.Scalar(e)))' in a string")
                }
            case 0..<32:
                throw failure(context, "a control character (such as a line break) inside a string")
            default:
                out.append(b)
            }
        }
        throw failure(context, "the file ends inside a string")
    }

    /// Checks and skips any JSON value.
    mutating func skipValue(_ context: String, depth: Int = 0) throws(TraceError) {
        guard depth < 64 else { throw failure(context, "values nested more than 64 deep") }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try object(context) { (s: inout ServeGenJSONScanner, _: String) throws(TraceError) in try s.skipValue(context, depth: depth + 1) }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; return }
            while true {
                try skipValue(context, depth: depth + 1)
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return
                default: throw failure(context, "expected ',' or ']' in an array")
                }
            }
        case UInt8(ascii: "\""):
            _ = try string(context)
        case let b? where b == UInt8(ascii: "-") || (b >= 48 && b <= 57):
            let start = index
            while let c = peek(), c == 43 || c == 45 || c == 46 || c == 69 || c == 101 || (c >= 48 && c <= 57) { index += 1 }
            guard Double(String(decoding: bytes[start..<index], as: UTF8.self)) != nil else { throw failure(context, "a malformed number") }
        default:
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return
            }
            throw failure(context, "expected a JSON value")
        }
    }

    /// Checks that only whitespace follows.
    mutating func expectEnd() throws(TraceError) {
        skipWhitespace()
        if index < bytes.count { throw failure("(file)", "unexpected text after the top-level object") }
    }

    /// A malformed-file error at the current line, quoting the text there (up to the line's end).
    func failure(_ context: String, _ reason: String) -> TraceError {
        var end = index
        while end < min(bytes.count, index + 24) && bytes[end] != 10 && bytes[end] != 13 { end += 1 }
        let snippet = index < bytes.count ? String(decoding: bytes[index..<end], as: UTF8.self) : "end of file"
        return .malformed(file: path, line: line, column: context, value: snippet, reason: reason)
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 10: line += 1; index += 1
            case 32, 9, 13: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ context: String, _ what: String) throws(TraceError) {
        skipWhitespace()
        guard peek() == byte else { throw failure(context, "expected \(what)") }
        index += 1
    }

    /// The scalar of a `\uXXXX` escape (with its low surrogate, if any); nil for a lone surrogate.
    private mutating func unicodeEscape(_ context: String) throws(TraceError) -> Unicode.Scalar? {
        let high = try hex4(context)
        if high >= 0xD800 && high < 0xDC00 {
            guard bytes[index...].starts(with: [92, 117]) else { return nil }
            index += 2
            let low = try hex4(context)
            guard low >= 0xDC00 && low < 0xE000 else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private mutating func hex4(_ context: String) throws(TraceError) -> UInt32 {
        guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw failure(context, "expected four hex digits after \\u")
        }
        index += 4
        return v
    }
}
