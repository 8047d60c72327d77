import Foundation
import SwapSimCore

/// Parses the small specification strings of trace flags: token-length distributions
/// (`fixed:N`, `uniform:A-B`, `lognormal:MEAN,SIGMA`, `empirical:FILE`) and model mixes
/// (`zipf:S`, `weights:a=3,b=1`).
public enum WorkloadSpec {
    /// Why a specification did not parse; the message shows the accepted forms.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A token-length distribution. `empirical:FILE` reads FILE: one token count per line, or
    /// `count,weight` per line (a header line that is not a number is skipped).
    public static func tokens(_ text: String) throws(Failure) -> TokenDistribution {
        let forms = "fixed:N, uniform:A-B, lognormal:MEAN,SIGMA or empirical:FILE"
        guard let colon = text.firstIndex(of: ":") else { throw Failure(message: "expected \(forms); got '\(text)'") }
        let kind = text[..<colon]
        let arg = String(text[text.index(after: colon)...])
        switch kind {
        case "fixed":
            guard let n = Int32(arg), n >= 1 else { throw Failure(message: "fixed:N needs a whole number of tokens ≥ 1; got '\(text)'") }
            return .fixed(n)
        case "uniform":
            let parts = arg.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = Int32(parts[0]), let b = Int32(parts[1]), a >= 1, a <= b else {
                throw Failure(message: "uniform:A-B needs whole numbers 1 ≤ A ≤ B; got '\(text)'")
            }
            return .uniform(a...b)
        case "lognormal":
            let parts = arg.split(separator: ",")
            guard parts.count == 2, let m = Double(parts[0]), let s = Double(parts[1]), m >= 1, m.isFinite, s >= 0, s <= 10 else {
                throw Failure(message: "lognormal:MEAN,SIGMA needs a mean ≥ 1 token and a log-space sigma in [0, 10]; got '\(text)'")
            }
            return .lognormal(mean: m, sigma: s)
        case "empirical":
            return try empirical(file: arg)
        default:
            throw Failure(message: "expected \(forms); got '\(text)'")
        }
    }

    static func empirical(file: String) throws(Failure) -> TokenDistribution {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw Failure(message: "\(file): cannot read the empirical token distribution")
        }
        var pairs: [(value: Int32, weight: Double)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty { continue }
            var cells: [ArraySlice<UInt8>] = []
            CSVFields.split(ArraySlice(line.utf8), into: &cells)  // quoted fields as RFC 4180 says
            let fields = cells.map(CSVFields.text)
            guard let v = Int32(fields[0]) else {
                if i == 0 { continue }  // a header
                throw Failure(message: "\(file):\(i + 1): expected a token count, got '\(fields[0])'")
            }
            let w = fields.count > 1 ? Double(fields[1]) : 1
            guard v >= 1, let weight = w, weight >= 0, weight.isFinite, fields.count <= 2 else {
                throw Failure(message: "\(file):\(i + 1): expected 'count' or 'count,weight' with count ≥ 1 and weight ≥ 0, got '\(line)'")
            }
            pairs.append((v, weight))
        }
        guard pairs.contains(where: { $0.weight > 0 }) else { throw Failure(message: "\(file): no token counts with positive weight") }
        return .empirical(pairs)
    }

    /// A model mix: `zipf:S` (S ≥ 0, ranked in list order), `zipf:S,shuffle:SEED` (ranked in a
    /// seeded random order) or `weights:NAME=W,NAME=W`.
    public static func modelMix(_ text: String) throws(Failure) -> ModelMix {
        let forms = "zipf:S, zipf:S,shuffle:SEED or weights:NAME=W,NAME=W"
        if text.hasPrefix("zipf:") {
            let parts = text.dropFirst(5).split(separator: ",", maxSplits: 1)
            guard let first = parts.first, let s = Double(first), s >= 0, s <= 10 else {
                throw Failure(message: "zipf:S needs an exponent in [0, 10]; got '\(text)'")
            }
            guard parts.count == 2 else { return .zipf(s) }
            guard parts[1].hasPrefix("shuffle:"), let seed = UInt64(parts[1].dropFirst(8)) else {
                throw Failure(message: "expected zipf:S,shuffle:SEED with a whole-number seed; got '\(text)'")
            }
            return .zipfShuffled(s, seed: seed)
        }
        if text.hasPrefix("weights:") {
            var w: [String: Double] = [:]
            for item in text.dropFirst(8).split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let v = Double(kv[1]), v >= 0, v.isFinite, !kv[0].isEmpty else {
                    throw Failure(message: "weights: needs NAME=W pairs with W ≥ 0; got '\(item)' in '\(text)'")
                }
                let name = String(kv[0]).trimmingWhitespace()
                guard w[name] == nil else { throw Failure(message: "weights: model '\(name)' is listed twice") }
                w[name] = v
            }
            guard w.values.contains(where: { $0 > 0 }) else { throw Failure(message: "weights: at least one weight must be positive; got '\(text)'") }
            return .weights(w)
        }
        throw Failure(message: "expected \(forms); got '\(text)'")
    }
}
