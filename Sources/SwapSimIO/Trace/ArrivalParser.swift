/// Parses arrival times from trace fields, exactly, into integer nanoseconds.
enum ArrivalParser {
    /// How a trace writes its arrival times.
    enum Unit: String, CaseIterable, Sendable {
        case s, ms, us, ns
        /// Wall-clock `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`, optional `Z`), read as UTC.
        case datetime

        /// Decimal digits of the unit below one nanosecond… i.e. the power of ten from the unit to ns.
        var nanosecondDigits: Int {
            switch self {
            case .s: return 9
            case .ms: return 6
            case .us: return 3
            case .ns, .datetime: return 0
            }
        }
    }

    /// Parses `field` in `unit`; nil if it is not such a value (``problem(_:unit:absolute:)``
    /// says why). A negative zero (`-0`, `-0.000`) is 0.
    static func parse(_ field: ArraySlice<UInt8>, unit: Unit) -> Int64? {
        if unit == .datetime { return datetime(field) }
        if let v = decimal(field, digits: unit.nanosecondDigits) { return v }
        if let v = scientific(field, digits: unit.nanosecondDigits) { return v }
        return isNegativeZero(field) ? 0 : nil
    }

    /// Whether `field` is a zero with a minus sign, such as `-0` or `-0.00`.
    static func isNegativeZero(_ field: ArraySlice<UInt8>) -> Bool {
        let t = Array(CSVFields.bare(field))
        guard t.count >= 2, t[0] == UInt8(ascii: "-") else { return false }
        let rest = t.dropFirst()
        return rest.contains(48) && rest.allSatisfy { $0 == 48 || $0 == UInt8(ascii: ".") } && rest.filter { $0 == UInt8(ascii: ".") }.count <= 1
    }

    /// Why `field` is not an arrival in `unit`, in words for an error message: a negative or
    /// non-finite number, one beyond what 64-bit nanoseconds hold (for a trace whose arrivals are
    /// relative to its start, `absolute` false, that is past the latest arrival allowed), a date
    /// outside 1677–2262, or not a number or date at all.
    static func problem(_ field: ArraySlice<UInt8>, unit: Unit, absolute: Bool) -> String {
        let text = CSVFields.text(field)
        if text.isEmpty { return "missing arrival" }
        if unit == .datetime {
            guard let fields = datetimeFields(field) else { return arrivalExpectation(unit) }
            if fields.year < 1677 || fields.year > 2262 || datetime(field) == nil {
                return "the date \(text) is outside the range swapsim represents, \(representableDates) (nanoseconds since 1970 in 64 bits)"
            }
            return arrivalExpectation(unit)
        }
        guard let v = Double(text) else { return arrivalExpectation(unit) }
        if v.isNaN || v.isInfinite { return "expected a finite number" }
        if v < 0 { return "arrivals cannot be negative" }
        if absolute {
            return "\(text) \(unit.rawValue) is beyond the latest time swapsim represents (2262-04-11, 2^63 ns after 1970)"
        }
        return "\(text) \(unit.rawValue) exceeds the latest arrival allowed, \(TraceLimits.latestArrivalText) from the trace start"
    }

    /// The dates 64-bit nanoseconds since 1970 cover, as error messages state them.
    static let representableDates = "1677-09-21 00:12:44 to 2262-04-11 23:47:16 UTC"

    /// A non-negative number in exponent notation (`1e-05`, `1.5E2`), as JSON writers emit,
    /// scaled by 10^digits and rounded to the nearest integer.
    static func scientific(_ f: ArraySlice<UInt8>, digits: Int) -> Int64? {
        guard f.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return nil }
        let text = String(decoding: f, as: UTF8.self).trimmingWhitespace()
        guard let v = Double(text), v.isFinite, v >= 0 else { return nil }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let x = (v * scale).rounded()
        return x < 9e18 ? Int64(x) : nil
    }

    /// A non-negative decimal number (optionally with surrounding spaces) scaled by
    /// 10^digits into an integer, rounding half up past the last kept digit.
    static func decimal(_ f: ArraySlice<UInt8>, digits: Int) -> Int64? {
        f.withUnsafeBufferPointer { decimal($0, digits: digits) }
    }

    /// ``decimal(_:digits:)`` over raw bytes: the reader's per-row path.
    ///
    /// The first 18 whole digits cannot overflow, so they are read without overflow checks; the
    /// digits after them are checked.
    static func decimal(_ p: UnsafeBufferPointer<UInt8>, digits: Int) -> Int64? {
        guard digits >= 0 && digits <= 18 else { return nil }
        var whole: Int64 = 0
        var frac: Int64 = 0
        var wholeDigits = 0
        var fracDigits = 0
        var roundUp = false
        var seenDot = false
        var count = 0
        for b in p {
            let d = Int64(b) &- 48
            if UInt64(bitPattern: d) <= 9 {
                count += 1
                if !seenDot {
                    if wholeDigits < 18 {
                        whole = whole &* 10 &+ d
                    } else {
                        let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                        let (a, o2) = m.addingReportingOverflow(d)
                        if o1 || o2 { return nil }
                        whole = a
                    }
                    wholeDigits += 1
                } else if fracDigits < digits {
                    frac = frac &* 10 &+ d
                    fracDigits += 1
                } else if fracDigits == digits {
                    roundUp = d >= 5
                    fracDigits += 1
                }
            } else if b == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else if b != 32 {
                return nil  // a quote too: quoted fields are unquoted (RFC 4180) before they get here
            }
        }
        guard count > 0 else { return nil }
        if fracDigits < digits { frac &*= powerOfTen(digits - fracDigits) }
        let (w, o) = whole.multipliedReportingOverflow(by: powerOfTen(digits))
        if o { return nil }
        let (r, o2) = w.addingReportingOverflow(frac + (roundUp ? 1 : 0))
        return o2 ? nil : r
    }

    /// 10^n for 0 ≤ n ≤ 18.
    @inline(__always) static func powerOfTen(_ n: Int) -> Int64 { powersOfTen[n] }

    private static let powersOfTen: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { v, _ in v * 10 } }

    /// The fields of a well-formed `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z]`, the fraction in
    /// nanoseconds; nil when `f` is not one (a bad layout, month, day or time of day).
    static func datetimeFields(_ f: ArraySlice<UInt8>) -> (year: Int64, month: Int64, day: Int64, second: Int64, fraction: Int64)? {
        var s = f
        while let b = s.first, b == 32 || b == 34 { s.removeFirst() }
        while let b = s.last, b == 32 || b == 34 || b == UInt8(ascii: "Z") { s.removeLast() }
        let a = Array(s)
        guard a.count >= 19, a[4] == 45, a[7] == 45, a[10] == 32 || a[10] == 84, a[13] == 58, a[16] == 58 else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard a[i] >= 48 && a[i] <= 57 else { return nil }
                v = v * 10 + Int64(a[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
            let sec = num(17..<19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[Int(mo - 1)] else { return nil }
        var fracNs: Int64 = 0
        if a.count > 19 {
            guard a[19] == UInt8(ascii: "."), a.count > 20, let frac = decimal(s.dropFirst(19), digits: 9) else { return nil }
            fracNs = frac
        }
        return (y, mo, d, h * 3600 + mi * 60 + sec, fracNs)
    }

    /// Nanoseconds since 1970-01-01 00:00:00 UTC of `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z]`; nil
    /// when it is not one, or falls outside what 64-bit nanoseconds hold (1677-09-21 to 2262-04-11).
    static func datetime(_ f: ArraySlice<UInt8>) -> Int64? {
        guard let t = datetimeFields(f) else { return nil }
        // Years 0000–9999 keep the seconds far inside Int64; only the nanoseconds can overflow.
        let seconds = daysFromCivil(t.year, t.month, t.day) * 86400 + t.second
        let (ns, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (v, o2) = ns.addingReportingOverflow(t.fraction)
        return o1 || o2 ? nil : v
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
