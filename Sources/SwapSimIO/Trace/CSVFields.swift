/// Splits one CSV line into fields (RFC 4180 quoting within a line; quotes are kept on quoted
/// fields and stripped by the consumers that read them).
enum CSVFields {
    /// Splits `line` at commas outside double quotes, appending the fields to `fields`.
    /// - Complexity: O(length of the line), no allocation beyond `fields`' growth.
    static func split(_ line: ArraySlice<UInt8>, into fields: inout [ArraySlice<UInt8>]) {
        fields.removeAll(keepingCapacity: true)
        let base = line.startIndex
        line.withUnsafeBufferPointer { p in
            var start = 0
            var quoted = false
            for i in 0..<p.count {
                let b = p[i]
                if b == 34 {
                    quoted.toggle()
                } else if b == 44 && !quoted {
                    fields.append(line[(base + start)..<(base + i)])
                    start = i + 1
                }
            }
            fields.append(line[(base + start)..<line.endIndex])
        }
    }

    /// Splits `line` at commas outside double quotes into field bounds: field k is
    /// `line[bounds[2k]..<bounds[2k + 1]]`, in the line's own indices.
    ///
    /// The reader's per-row path: bounds are plain integers, so splitting takes no reference
    /// to the line's buffer (a slice per field would retain and release it).
    /// - Complexity: O(length of the line), no allocation beyond `bounds`' growth.
    static func split(_ line: ArraySlice<UInt8>, bounds: inout [Int]) {
        bounds.removeAll(keepingCapacity: true)
        let base = line.startIndex
        line.withUnsafeBufferPointer { p in
            var start = 0
            var quoted = false
            for i in 0..<p.count {
                let b = p[i]
                if b == 34 {
                    quoted.toggle()
                } else if b == 44 && !quoted {
                    bounds.append(base + start)
                    bounds.append(base + i)
                    start = i + 1
                }
            }
            bounds.append(base + start)
            bounds.append(base + p.count)
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
        var v: Int64 = 0
        var digits = 0
        let ok = f.withUnsafeBufferPointer { p in
            for b in p {
                if b == 32 || b == 34 { continue }
                guard b >= 48 && b <= 57 else { return false }
                v = v * 10 + Int64(b - 48)
                digits += 1
                if v > Int64(Int32.max) { return false }
            }
            return true
        }
        return ok && digits > 0 && v >= 1 ? Int32(v) : nil
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
