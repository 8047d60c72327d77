import SwapSimCore

/// Seeded mutations of an input's bytes: what a careless or hostile user does to a file.
///
/// Every draw comes from the ``RandomStream`` passed in, so a seed and an iteration give the
/// same mutated bytes on any machine.
public enum Mutator {
    /// Values a number is replaced with: zero and its negative, the edges of Int32 and Int64,
    /// huge and tiny magnitudes, and the non-numbers.
    static let boundaryNumbers = [
        "0", "-0", "-1", "1e18", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "NaN", "nan", "inf", "-inf",
        "1e9", "1e-9", "4096", "2147483647", "2147483648", "4294967296", "1e308", "1e-320", "18446744073709551616", "0.0000000001",
        "99999999999999999999", "1.5", "-0.0", "1e6",
    ]

    /// Units a unit is swapped for, and huge quantities with units.
    static let units = ["ns", "us", "ms", "s", "m", "min", "h", "d", "B", "KB", "KiB", "MiB", "GiB", "TiB", "GB", "TB", "GB/s", "TB/s", "Gbit/s", "bit/s", "TFLOPS", "PFLOPS", "K", "M", "T", "x", ""]
    static let hugeQuantities = ["2400h", "1e9s", "100d", "36500d", "8EB", "1e300GiB", "1e9GiB", "1TB/s", "1e-9GB/s", "1bit/s", "9e18ns", "1e9", "4096", "1e6"]

    /// Text that drives a terminal, breaks a CSV row or a YAML document.
    static let controlText: [[UInt8]] = [
        Array("\u{1B}]0;pwned\u{7}".utf8), Array("\u{1B}[2J".utf8), [0], [13], [0x7F], Array("\u{9B}".utf8), [9], Array("\u{202E}".utf8),
        Array("\"".utf8), Array(",".utf8), Array("\n".utf8), Array(": ".utf8), Array("- ".utf8), Array("{".utf8), Array("]".utf8),
        Array("\"\"\"x\"".utf8), Array("<img src=x onerror=alert(1)>".utf8), Array("|".utf8),
    ]

    /// Byte sequences that are not UTF-8.
    static let invalidUTF8: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFE, 0xFF]]

    /// Years that a datetime is moved to: outside what 64-bit nanoseconds hold, and at its edges.
    static let years = ["1600", "1677", "1678", "2262", "2263", "9999", "0000", "1970", "1969"]

    /// The most bytes an input is allowed to grow to.
    static let maxSize = 64 << 10

    /// `bytes` after 1 to 4 mutations; `others` are inputs to splice from.
    public static func mutate(_ bytes: [UInt8], others: [FuzzInput], rng: inout RandomStream) -> [UInt8] {
        var b = bytes
        let count = 1 + Int(rng.nextInt(below: 4))
        for _ in 0..<count {
            b = apply(Int(rng.nextInt(below: 14)), to: b, others: others, rng: &rng)
            if b.count > maxSize { b = Array(b.prefix(maxSize)) }
        }
        return b
    }

    static func pick<T>(_ items: [T], _ rng: inout RandomStream) -> T { items[Int(rng.nextInt(below: UInt64(items.count)))] }

    static func position(_ b: [UInt8], _ rng: inout RandomStream) -> Int { b.isEmpty ? 0 : Int(rng.nextInt(below: UInt64(b.count + 1))) }

    /// The byte ranges of the lines of `b` (without their newlines).
    static func lines(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, x) in b.enumerated() where x == 10 {
            out.append(start..<i)
            start = i + 1
        }
        if start < b.count { out.append(start..<b.count) }
        return out
    }

    /// The ranges of numeric tokens: a digit run with an optional sign, point, fraction and exponent.
    static func numbers(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 48 && b[k] <= 57 }
        while i < b.count {
            guard digit(i) else { i += 1; continue }
            var start = i
            if start > 0 && b[start - 1] == UInt8(ascii: "-") { start -= 1 }
            while i < b.count && (digit(i) || b[i] == UInt8(ascii: ".")) { i += 1 }
            if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) && (digit(i + 1) || (i + 2 < b.count && b[i + 1] == UInt8(ascii: "-") && digit(i + 2))) {
                i += 2
                while digit(i) { i += 1 }
            }
            out.append(start..<i)
        }
        return out
    }

    static func apply(_ op: Int, to b: [UInt8], others: [FuzzInput], rng: inout RandomStream) -> [UInt8] {
        var b = b
        switch op {
        case 0:  // flip one bit
            guard !b.isEmpty else { return b }
            let i = Int(rng.nextInt(below: UInt64(b.count)))
            b[i] ^= 1 << UInt8(rng.nextInt(below: 8))
        case 1:  // delete a run of bytes
            guard !b.isEmpty else { return b }
            let i = Int(rng.nextInt(below: UInt64(b.count)))
            b.removeSubrange(i..<min(b.count, i + 1 + Int(rng.nextInt(below: 16))))
        case 2:  // delete or duplicate a line (YAML: a key deleted or given twice)
            let ls = lines(b)
            guard !ls.isEmpty else { return b }
            let l = pick(ls, &rng)
            let end = min(b.count, l.upperBound + 1)
            if rng.nextInt(below: 2) == 0 { b.removeSubrange(l.lowerBound..<end) } else { b.insert(contentsOf: b[l.lowerBound..<end], at: end) }
        case 3:  // duplicate a run of bytes in place
            guard !b.isEmpty else { return b }
            let i = Int(rng.nextInt(below: UInt64(b.count)))
            let run = Array(b[i..<min(b.count, i + 1 + Int(rng.nextInt(below: 64)))])
            b.insert(contentsOf: run, at: position(b, &rng))
        case 4:  // splice lines from another input
            guard !others.isEmpty else { return b }
            let other = pick(others, &rng).bytes
            let ls = lines(other)
            guard !ls.isEmpty else { return b }
            let first = Int(rng.nextInt(below: UInt64(ls.count)))
            let last = min(ls.count - 1, first + Int(rng.nextInt(below: 4)))
            let piece = Array(other[ls[first].lowerBound..<min(other.count, ls[last].upperBound + 1)])
            let at = lines(b).map(\.lowerBound)
            b.insert(contentsOf: piece, at: at.isEmpty ? 0 : pick(at, &rng))
        case 5, 6:  // replace a number with a boundary value (twice as likely: numbers carry most meaning)
            let ns = numbers(b)
            guard !ns.isEmpty else { return apply(0, to: b, others: others, rng: &rng) }
            b.replaceSubrange(pick(ns, &rng), with: Array(pick(boundaryNumbers, &rng).utf8))
        case 7:  // swap a number's unit
            let ns = numbers(b).filter { $0.upperBound < b.count && (b[$0.upperBound] >= 65 && b[$0.upperBound] <= 122) }
            guard !ns.isEmpty else { return apply(5, to: b, others: others, rng: &rng) }
            let n = pick(ns, &rng)
            var end = n.upperBound
            while end < b.count && ((b[end] >= 65 && b[end] <= 122) || b[end] == UInt8(ascii: "/")) { end += 1 }
            b.replaceSubrange(n.upperBound..<end, with: Array(pick(units, &rng).utf8))
        case 8:  // a huge quantity with its unit
            let ns = numbers(b)
            guard !ns.isEmpty else { return b }
            let n = pick(ns, &rng)
            var end = n.upperBound
            while end < b.count && ((b[end] >= 65 && b[end] <= 122) || b[end] == UInt8(ascii: "/")) { end += 1 }
            b.replaceSubrange(n.lowerBound..<end, with: Array(pick(hugeQuantities, &rng).utf8))
        case 9:  // control characters and syntax
            b.insert(contentsOf: pick(controlText, &rng), at: position(b, &rng))
        case 10:  // invalid UTF-8
            b.insert(contentsOf: pick(invalidUTF8, &rng), at: position(b, &rng))
        case 11:  // move a date's year out of range
            let ns = numbers(b).filter { $0.count == 4 && $0.upperBound < b.count && b[$0.upperBound] == UInt8(ascii: "-") }
            guard !ns.isEmpty else { return apply(5, to: b, others: others, rng: &rng) }
            b.replaceSubrange(pick(ns, &rng), with: Array(pick(years, &rng).utf8))
        case 12:  // swap two lines (unsorted arrivals, keys out of place)
            let ls = lines(b)
            guard ls.count >= 2 else { return b }
            let i = Int(rng.nextInt(below: UInt64(ls.count))), j = Int(rng.nextInt(below: UInt64(ls.count)))
            guard i != j else { return b }
            let (x, y) = (min(i, j), max(i, j))
            let lx = Array(b[ls[x]]), ly = Array(b[ls[y]])
            b.replaceSubrange(ls[y], with: lx)
            b.replaceSubrange(ls[x], with: ly)
        default:  // truncate
            b = Array(b.prefix(position(b, &rng)))
        }
        return b
    }
}
