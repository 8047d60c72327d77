import SwapSimCore

/// The report of `swapsim trace inspect`: a ``TraceSummary`` rendered as a table or as JSON.
///
/// Same summary, same bytes: nothing iterates a dictionary, numbers go through ``Fixed`` (table)
/// or Swift's shortest round-trip form (JSON), and models come in the summary's order
/// (descending requests, then name).
public struct TraceInspectReport: Sendable {
    /// The output formats of `trace inspect`.
    public enum Format: String, CaseIterable, Sendable {
        case table, json
    }

    /// How the trace is named in the report (a path as the user gave it, or a name).
    public var trace: String
    public var summary: TraceSummary
    /// False for a trace with no model column read without assigning models: the report then
    /// has no per-model breakdown and says so.
    public var hasModelColumn: Bool

    public init(trace: String, summary: TraceSummary, hasModelColumn: Bool = true) {
        self.trace = trace
        self.summary = summary
        self.hasModelColumn = hasModelColumn
        if !hasModelColumn { self.summary.models = [] }
    }

    /// What the report says in place of the models of a trace without a model column.
    public static let noModelColumnNote = "the trace has no model column: no per-model breakdown (give --model-mix and --models a,b,c to assign requests to models)"


    /// Renders the report in `format`.
    public func render(_ format: Format) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        }
    }

    // MARK: JSON (schema swapsim.trace-inspect/1)

    /// The report as JSON, schema `swapsim.trace-inspect/1`: fields may be added, never renamed
    /// or dropped. Times are in seconds; a figure that does not exist (the rate of a zero span,
    /// the gaps of a model with one request) is `null`.
    public func json() -> String {
        let s = summary
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.trace-inspect/1")
        w.string("trace", trace)
        w.int("rows", s.rows)
        w.double("first_arrival_s", s.firstArrival?.seconds ?? .nan)
        w.double("last_arrival_s", s.lastArrival?.seconds ?? .nan)
        w.double("span_s", s.span.seconds)
        w.string("span", Self.spanText(s.span))
        w.open("rate_per_minute")
        w.double("mean", s.meanPerMinute ?? .nan)
        w.int("peak", s.peakPerMinute)
        w.double("peak_minute_start_s", s.peakMinuteStart?.seconds ?? .nan)
        w.close()
        Self.write(&w, "inter_arrival_s", s.interArrival)
        Self.write(&w, "input_tokens", s.inputTokens)
        Self.write(&w, "output_tokens", s.outputTokens)
        w.bool("model_column", hasModelColumn)
        w.open("models", array: true)
        for m in s.models {
            w.open()
            w.string("model", m.name)
            w.int("index", m.index)
            w.int("requests", m.requests)
            w.double("share", m.share)
            w.double("first_arrival_s", m.firstArrival?.seconds ?? .nan)
            w.double("last_arrival_s", m.lastArrival?.seconds ?? .nan)
            w.double("rate_per_minute", m.meanPerMinute ?? .nan)
            Self.write(&w, "idle_gaps_s", m.idleGaps)
            w.close()
        }
        w.close(array: true)
        w.open("quantiles")
        w.string("definition", "nearest rank: the value of rank ceil(p*n/100)")
        w.int("token_exact_below", TraceSummary.tokenExactBelow)
        w.double("token_relative_error", TraceSummary.tokenQuantileRelativeError)
        w.double("gap_relative_error", TraceSummary.gapQuantileRelativeError)
        w.close()
        w.close()
        return w.text + "\n"
    }

    /// Writes `null` for a missing figure: `JSONWriter` renders a non-finite double as `null`.
    private static func writeNull(_ w: inout JSONWriter, _ key: String) { w.double(key, .nan) }

    private static func write(_ w: inout JSONWriter, _ key: String, _ gaps: TraceSummary.Gaps?) {
        guard let g = gaps else { return writeNull(&w, key) }
        w.open(key)
        w.int("count", g.count)
        w.double("mean", g.mean.seconds)
        w.double("cv", g.cv ?? .nan)
        w.double("min", g.min.seconds)
        w.double("p50", g.p50.seconds)
        w.double("p90", g.p90.seconds)
        w.double("p99", g.p99.seconds)
        w.double("max", g.max.seconds)
        w.open("longer_than", array: true)
        for t in g.longerThan {
            w.open()
            w.double("threshold_s", t.threshold.seconds)
            w.int("count", t.count)
            w.double("share", t.share)
            w.close()
        }
        w.close(array: true)
        w.close()
    }

    private static func write(_ w: inout JSONWriter, _ key: String, _ tokens: TraceSummary.Tokens?) {
        guard let t = tokens else { return writeNull(&w, key) }
        w.open(key)
        w.int("min", t.min)
        w.double("mean", t.mean)
        w.int("p50", t.p50)
        w.int("p90", t.p90)
        w.int("p99", t.p99)
        w.int("max", t.max)
        w.int("total", t.total)
        w.close()
    }

    // MARK: Table

    /// The report as plain text: the trace's totals, its token lengths, its models, and per model
    /// the gaps between consecutive requests (the idle time that keep-alive and swap act on).
    public func table() -> String {
        let s = summary
        var out = "swapsim trace inspect · \(trace)\n"
        out += "\(Self.grouped(s.rows)) requests over \(Self.spanText(s.span))\n\n"

        let overview: [[String]] = [
            ["span", s.rows > 0 ? "\(Self.spanText(s.span)) (\(Fixed.format(s.span.seconds, decimals: 3)) s)" : "—"],
            ["first arrival", s.firstArrival.map { Self.seconds($0.seconds) } ?? "—"],
            ["last arrival", s.lastArrival.map { Self.seconds($0.seconds) } ?? "—"],
            ["mean rate", s.meanPerMinute.map { Self.grouped($0, decimals: 1) + " per minute" } ?? "—"],
            ["peak rate", s.peakMinuteStart.map { "\(Self.grouped(s.peakPerMinute)) per minute (the minute from +\(Self.spanText($0)))" } ?? "—"],
            ["inter-arrival CV", s.interArrival.map { Self.cv($0.cv) } ?? "—"],
        ]
        out += Self.align(overview, header: nil, leftColumns: 2)

        out += "\ntoken lengths (quantiles exact below \(Self.grouped(TraceSummary.tokenExactBelow)), else within "
            + "\(Fixed.format(TraceSummary.tokenQuantileRelativeError * 100, decimals: 2))%)\n"
        var tokens: [[String]] = []
        for (label, t) in [("input", s.inputTokens), ("output", s.outputTokens)] {
            guard let t else { tokens.append([label, "—", "—", "—", "—", "—", "—"]); continue }
            tokens.append([label, Self.grouped(t.min), Self.grouped(t.mean, decimals: 1), Self.grouped(t.p50), Self.grouped(t.p90), Self.grouped(t.p99), Self.grouped(t.max)])
        }
        out += Self.align(tokens, header: ["", "min", "mean", "p50", "p90", "p99", "max"])

        out += "\nmodels\n"
        if !hasModelColumn { out += Self.noModelColumnNote + "\n" }
        let models = s.models.map { m in
            [m.name, Self.grouped(m.requests), Self.percent(m.share), m.meanPerMinute.map { Self.grouped($0, decimals: 1) } ?? "—",
             m.firstArrival.map { Self.seconds($0.seconds) } ?? "—", m.lastArrival.map { Self.seconds($0.seconds) } ?? "—"]
        }
        if hasModelColumn { out += Self.align(models, header: ["model", "requests", "share", "per minute", "first", "last"]) }

        out += "\ngaps between consecutive requests (quantiles within "
            + "\(Fixed.format(TraceSummary.gapQuantileRelativeError * 100, decimals: 2))%)\n"
        let thresholdHeaders = s.gapThresholds.map { "> " + Self.thresholdText($0) }
        func gapRow(_ label: String, _ g: TraceSummary.Gaps?) -> [String] {
            guard let g else { return [label, "0"] + Array(repeating: "—", count: 6 + thresholdHeaders.count) }
            return [label, Self.grouped(g.count), Self.spanText(g.mean), Self.cv(g.cv), Self.spanText(g.p50), Self.spanText(g.p90),
                    Self.spanText(g.p99), Self.spanText(g.max)] + g.longerThan.map { Self.percent($0.share) }
        }
        let gaps = [gapRow("(all models)", s.interArrival)] + s.models.map { gapRow($0.name, $0.idleGaps) }
        out += Self.align(gaps, header: ["model", "gaps", "mean", "CV", "p50", "p90", "p99", "max"] + thresholdHeaders)
        return out
    }

    /// Columns padded to their widest cell, two spaces apart, a rule under the header: the first
    /// `leftColumns` left-aligned, the others right-aligned.
    static func align(_ rows: [[String]], header: [String]?, leftColumns: Int = 1) -> String {
        let rows = rows.map { $0.map { TerminalText.safe($0) } }
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for r in all { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            var text = ""
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                if i > 0 { text += "  " }
                text += i < leftColumns ? c + pad : pad + c
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var out = ""
        if let header {
            out += line(header)
            out += String(repeating: "-", count: widths.reduce(0, +) + 2 * max(columns - 1, 0)) + "\n"
        }
        for r in rows { out += line(r) }
        return out
    }

    // MARK: Formatting

    /// A span as people say it, rounded to the unit shown last: "42.250 s" below a minute,
    /// "57 min 16 s", "1 h 02 min 05 s", and "3 d 4 h" from a day up (rounded to the hour).
    ///
    /// Rounds half up: 3,435.948 s is "57 min 16 s", and 59.5 s is "1 min 00 s".
    public static func spanText(_ d: SimDuration) -> String {
        let ns = d.nanoseconds
        guard ns >= 0 else { return "-" + spanText(SimDuration(nanoseconds: ns == .min ? .max : -ns)) }
        let second: Int64 = 1_000_000_000
        let s = ns / second + (ns % second >= second / 2 ? 1 : 0)
        if s < 60 { return Fixed.format(d.seconds, decimals: 3) + " s" }
        if s < 3_600 { return "\(s / 60) min \(twoDigits(s % 60)) s" }
        if s < 86_400 { return "\(s / 3_600) h \(twoDigits(s / 60 % 60)) min \(twoDigits(s % 60)) s" }
        let hour = 3_600 * second
        let h = ns / hour + (ns % hour >= hour / 2 ? 1 : 0)
        return "\(h / 24) d \(h % 24) h"
    }

    /// A threshold in its largest whole unit ("30 s", "5 min", "2 h", "1 d"), else ``spanText(_:)``.
    static func thresholdText(_ d: SimDuration) -> String {
        for (unit, name) in [(Int64(86_400), "d"), (3_600, "h"), (60, "min"), (1, "s")] {
            let ns = unit * 1_000_000_000
            if d.nanoseconds > 0 && d.nanoseconds % ns == 0 { return "\(d.nanoseconds / ns) \(name)" }
        }
        return spanText(d)
    }

    static func seconds(_ s: Double) -> String { Fixed.format(s, decimals: 3) + " s" }
    static func percent(_ x: Double) -> String { Fixed.format(x * 100, decimals: 1) + "%" }
    static func cv(_ x: Double?) -> String { x.map { Fixed.format($0, decimals: 3) } ?? "—" }

    static func twoDigits(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// An integer with thousands separators: 8819 → "8,819".
    static func grouped(_ n: Int) -> String {
        (n < 0 ? "-" : "") + groupDigits(String(n.magnitude))
    }

    /// A number with `decimals` digits after the point and thousands separators: "2,342.9".
    static func grouped(_ x: Double, decimals: Int) -> String {
        let text = Fixed.format(x, decimals: decimals)
        guard let first = text.first, first == "-" || first.isNumber else { return text }
        let negative = first == "-"
        let body = negative ? text.dropFirst() : Substring(text)
        let point = body.firstIndex(of: ".") ?? body.endIndex
        return (negative ? "-" : "") + groupDigits(String(body[..<point])) + body[point...]
    }

    private static func groupDigits(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }
}
