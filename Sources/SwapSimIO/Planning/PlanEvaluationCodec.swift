import SwapSimCore

/// The JSON text a planner evaluation is cached as, and back.
///
/// One line, keys in a fixed order, format `swapsim.plan-evaluation/1`. Doubles are written in
/// Swift's shortest round-trip form (non-finite ones as the strings `"inf"`, `"-inf"`,
/// `"nan"`) and parsed with `Double(_:)`, so decoding gives back the very same bits.
public enum PlanEvaluationCodec {
    /// The format tag every encoded evaluation carries.
    public static let format = "swapsim.plan-evaluation/1"

    /// The evaluation as JSON text.
    public static func encode(_ e: PlanEvaluation) -> String {
        var f: [(String, String)] = [("format", JSONWriter.quote(format)), ("seed", String(e.seed))]
        switch e.outcome {
        case let .unrunnable(reason, dependsOnCount):
            f += [("ran", "false"), ("reason", JSONWriter.quote(reason)), ("depends_on_count", dependsOnCount ? "true" : "false")]
        case let .ran(m):
            f += [
                ("ran", "true"), ("requests", String(m.requests)), ("completed", String(m.completed)), ("rejected", String(m.rejected)),
                ("ttft_mean_s", number(m.ttftMean)), ("ttft_p50_s", number(m.ttftP50)), ("ttft_p99_s", number(m.ttftP99)),
                ("attainment", number(m.attainment)),
                ("percentiles_achieved_s", "[" + m.percentilesAchieved.map(number).joined(separator: ",") + "]"),
                ("meets_slo", m.meetsSLO ? "true" : "false"), ("cost_usd", number(m.costUSD)), ("horizon_s", number(m.horizonSeconds)),
                ("gpu_hours", number(m.gpuHours)), ("cold_starts", String(m.coldStarts)), ("swap_ins", String(m.swapIns)),
            ]
            // One line per model that misses: its reason (or "-"), a tab, its name.
            if !m.missingModels.isEmpty {
                let lines = m.missingModels.map { ($0.reason?.rawValue ?? "-") + "\t" + $0.name.replacingAll("\n", with: " ") }
                f.append(("models_missing", JSONWriter.quote(lines.joined(separator: "\n"))))
            }
        }
        return "{" + f.map { JSONWriter.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// The evaluation encoded in `text`, or nil if it is not one (another format, damaged).
    public static func decode(_ text: String) -> PlanEvaluation? {
        var p = FlatJSONParser(text)
        guard let fields = p.object(), fields["format"]?.string == format,
            let seed = fields["seed"]?.raw.flatMap({ UInt64($0) }),
            let ran = fields["ran"]?.bool
        else { return nil }
        if !ran {
            guard let reason = fields["reason"]?.string, let d = fields["depends_on_count"]?.bool else { return nil }
            return PlanEvaluation(seed: seed, outcome: .unrunnable(reason: reason, dependsOnCount: d))
        }
        func int(_ k: String) -> Int? { fields[k]?.raw.flatMap { Int($0) } }
        func dbl(_ k: String) -> Double? { fields[k]?.number }
        guard let requests = int("requests"), let completed = int("completed"), let rejected = int("rejected"),
            let mean = dbl("ttft_mean_s"), let p50 = dbl("ttft_p50_s"), let p99 = dbl("ttft_p99_s"), let att = dbl("attainment"),
            let pcts = fields["percentiles_achieved_s"]?.array, let meets = fields["meets_slo"]?.bool, let cost = dbl("cost_usd"),
            let horizon = dbl("horizon_s"), let gpuHours = dbl("gpu_hours"), let cold = int("cold_starts"), let swaps = int("swap_ins")
        else { return nil }
        return PlanEvaluation(
            seed: seed,
            outcome: .ran(PlanMetrics(
                requests: requests, completed: completed, rejected: rejected, ttftMean: mean, ttftP50: p50, ttftP99: p99,
                attainment: att, percentilesAchieved: pcts, meetsSLO: meets, costUSD: cost, horizonSeconds: horizon,
                gpuHours: gpuHours, coldStarts: cold, swapIns: swaps,
                missingModels: (fields["models_missing"]?.string ?? "").split(separator: "\n").map { line in
                    let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                    return PlanMetrics.ModelMiss(name: parts.count > 1 ? String(parts[1]) : String(line), reason: MissReason(rawValue: String(parts[0])))
                })))
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "\"nan\"" }
        if v.isInfinite { return v < 0 ? "\"-inf\"" : "\"inf\"" }
        return v.description
    }
}

/// A reader for the one-level JSON objects ``PlanEvaluationCodec`` writes: values are strings,
/// numbers, booleans, null, or arrays of numbers.
struct FlatJSONParser {
    /// A value, with the raw text of numbers kept for exact integer parsing.
    enum Value {
        case string(String), raw(String), bool(Bool), null, array([Double])
        var string: String? { if case let .string(s) = self { return s } else { return nil } }
        var raw: String? { if case let .raw(s) = self { return s } else { return nil } }
        var bool: Bool? { if case let .bool(b) = self { return b } else { return nil } }
        var array: [Double]? { if case let .array(a) = self { return a } else { return nil } }
        /// A number, written bare or as one of the non-finite strings.
        var number: Double? {
            switch self {
            case let .raw(s): return Double(s)
            case .string("inf"): return .infinity
            case .string("-inf"): return -.infinity
            case .string("nan"): return .nan
            default: return nil
            }
        }
    }

    private let s: [Unicode.Scalar]
    private var i = 0
    init(_ text: String) { s = Array(text.unicodeScalars) }

    private mutating func skip() { while i < s.count, [" ", "\n", "\r", "\t"].contains(s[i]) { i += 1 } }
    private mutating func eat(_ c: Unicode.Scalar) -> Bool {
        skip()
        guard i < s.count, s[i] == c else { return false }
        i += 1
        return true
    }

    mutating func object() -> [String: Value]? {
        guard eat("{") else { return nil }
        var out: [String: Value] = [:]
        if eat("}") { return out }
        repeat {
            skip()
            guard let k = string(), eat(":"), let v = value() else { return nil }
            out[k] = v
        } while eat(",")
        guard eat("}") else { return nil }
        skip()
        return i == s.count ? out : nil
    }

    private mutating func value() -> Value? {
        skip()
        guard i < s.count else { return nil }
        switch s[i] {
        case "\"": return string().map(Value.string)
        case "[":
            i += 1
            var a: [Double] = []
            if eat("]") { return .array(a) }
            repeat {
                guard let v = value()?.number else { return nil }
                a.append(v)
            } while eat(",")
            return eat("]") ? .array(a) : nil
        case "t": return literal("true") ? .bool(true) : nil
        case "f": return literal("false") ? .bool(false) : nil
        case "n": return literal("null") ? .null : nil
        default:
            var t = ""
            while i < s.count, "+-0123456789.eE".unicodeScalars.contains(s[i]) { t.unicodeScalars.append(s[i]); i += 1 }
            return t.isEmpty ? nil : .raw(t)
        }
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else { return false }
        i += w.count
        return true
    }

    private mutating func string() -> String? {
        guard i < s.count, s[i] == "\"" else { return nil }
        i += 1
        var out = ""
        while i < s.count {
            let c = s[i]
            i += 1
            if c == "\"" { return out }
            if c != "\\" { out.unicodeScalars.append(c); continue }
            guard i < s.count else { return nil }
            let e = s[i]
            i += 1
            switch e {
            case "\"", "\\", "/": out.unicodeScalars.append(e)
            case "n": out += "\n"
            case "r": out += "\r"
            case "t": out += "\t"
            case "b": out += "\u{08}"
            case "f": out += "\u{0C}"
            case "u":
                guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16),
                    let u = Unicode.Scalar(v)
                else { return nil }
                out.unicodeScalars.append(u)
                i += 4
            default: return nil
            }
        }
        return nil
    }
}
