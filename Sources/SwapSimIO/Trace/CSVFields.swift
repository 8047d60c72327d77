#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits one CSV line into fields (RFC 4180 quoting within a line; quotes are kept on quoted
/// fields and stripped by the consumers that read them).
enum CSVFields {
    /// Splits `line` at commas outside double quotes into `fields`, as slices of it (for a
    /// header; rows use ``split(_:bounds:)``, which this wraps).
    /// - Complexity: O(length of the line).
    static func split(_ line: ArraySlice<UInt8>, into fields: inout [ArraySlice<UInt8>]) {
        var bounds: [Int] = []
        let count = split(line, bounds: &bounds)
        fields = (0..<count).map { line[bounds[2 * $0]..<bounds[2 * $0 + 1]] }
    }

    /// Splits `line` at commas outside double quotes into field bounds and returns the number
    /// of fields: field k is `line[bounds[2k]..<bounds[2k + 1]]`, in the line's own indices
    /// (`bounds` may hold stale entries past the fields).
    ///
    /// The reader's per-row path: bounds are plain integers written in place, so splitting
    /// takes no reference to the line's buffer (a slice per field would retain and release
    /// it), and a line without quotes is cut at its commas in one byte loop.
    /// - Complexity: O(length of the line), no allocation beyond `bounds`' growth.
    static func split(_ line: ArraySlice<UInt8>, bounds: inout [Int]) -> Int {
        let base = line.startIndex
        // Room for every bound before the loop, so the loop writes through a pointer: at most
        // one field per byte plus one, or for a long line one per comma plus one, so that the
        // bounds never outgrow the fields.
        var needed = 2 * (line.count + 1)
        if needed > bounds.count && line.count > 256 { needed = 2 * (line.reduce(0) { $1 == 44 ? $0 + 1 : $0 } + 1) }
        if bounds.count < needed { bounds.append(contentsOf: repeatElement(0, count: needed - bounds.count)) }
        return line.withUnsafeBufferPointer { p in
            bounds.withUnsafeMutableBufferPointer { out in
                var k = 0
                var start = 0
                // Trace lines are short: a byte loop beats a memchr call per field. A quote sends
                // the line to the quote-aware loop, from the start.
                var quotes = false
                for i in 0..<p.count {
                    let b = p[i]
                    if b == 44 {
                        out[k] = base + start
                        out[k + 1] = base + i
                        k += 2
                        start = i + 1
                    } else if b == 34 {
                        quotes = true
                        break
                    }
                }
                if quotes {
                    k = 0
                    start = 0
                    var quoted = false
                    for i in 0..<p.count {
                        let b = p[i]
                        if b == 34 {
                            quoted.toggle()
                        } else if b == 44 && !quoted {
                            out[k] = base + start
                            out[k + 1] = base + i
                            k += 2
                            start = i + 1
                        }
                    }
                }
                out[k] = base + start
                out[k + 1] = base + p.count
                return k / 2 + 1
            }
        }
    }

    /// A field's text without surrounding quotes and spaces, with doubled quotes undone.
    static func text(_ f: ArraySlice<UInt8>) -> String {
        var s = String(decoding: f, as: UTF8.self).trimmingWhitespace()
        if s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") {
            s = String(s.dropFirst().dropLast()).replacingAll("\"\"", with: "\"")
        }
        return s
    }

    /// A field's bytes without surrounding spaces and quotes (for names: no allocation).
    static func bare(_ f: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = f
        while let b = s.first, b == 32 || b == 34 || b == 9 { s.removeFirst() }
        while let b = s.last, b == 32 || b == 34 || b == 9 { s.removeLast() }
        return s
    }

    /// A positive whole number of tokens; nil when the field is not one (see `tokenProblem`).
    static func tokens(_ f: ArraySlice<UInt8>) -> Int32? {
        f.withUnsafeBufferPointer { tokens($0) }
    }

    /// ``tokens(_:)`` over raw bytes: the reader's per-row path.
    static func tokens(_ p: UnsafeBufferPointer<UInt8>) -> Int32? {
        var v: Int64 = 0
        var digits = 0
        for b in p {
            if b == 32 { continue }  // quoted fields are unquoted (RFC 4180) before they get here
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int64(b - 48)
            digits += 1
            if v > Int64(Int32.max) { return nil }
        }
        return digits > 0 && v >= 1 ? Int32(v) : nil
    }

    /// Why a token field is not a positive whole number.
    static func tokenProblem(_ f: ArraySlice<UInt8>) -> String {
        let s = text(f)
        if s.isEmpty { return "missing token count" }
        if s.hasPrefix("-"), Int64(s.dropFirst()) != nil { return "token counts cannot be negative" }
        if let v = Int64(s) { return v == 0 ? "a request needs at least one token" : "token count too large" }
        return "expected a whole number of tokens"
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
