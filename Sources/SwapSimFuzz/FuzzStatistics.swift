/// Something the harness must not see: a crash, an input over its time budget, or memory over
/// its budget. Each is saved with its input, to be replayed and added to the corpus.
public struct FuzzFinding: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case crash, hang, memory
    }
    public var kind: Kind
    public var iteration: Int
    /// The input's kind (and read variant) and the seed it was mutated from.
    public var input: String
    /// What the harness was doing (`simulate hot-swap`), when known.
    public var phase: String
    /// The signal, the time or the memory, in words.
    public var detail: String
    /// Where the input was saved, if it was.
    public var saved: String?

    public var line: String {
        "\(kind.rawValue): iteration \(iteration) (\(input)), during \(phase): \(detail)\(saved.map { "; input saved as \($0)" } ?? "")"
    }
}

/// What a fuzz run saw: inputs by kind, how they were rejected, simulations, memory, the
/// slowest input and the findings. Dictionaries are printed sorted, never in hash order.
public struct FuzzStatistics: Sendable {
    public var seed: UInt64 = 0
    public var inputs = 0
    public var byKind: [String: Int] = [:]
    public var accepted = 0
    /// Rejected inputs by the error's type and case.
    public var errors: [String: Int] = [:]
    public var simulations = 0
    public var maxRSS = 0
    public var slowest: (iteration: Int, input: String, seconds: Double)? = nil
    public var findings: [FuzzFinding] = []
    public var wallSeconds = 0.0

    public init(seed: UInt64) { self.seed = seed }

    /// Whether the run saw a crash, a hang or memory over budget.
    public var failed: Bool { !findings.isEmpty }

    public mutating func record(iteration: Int, input: String, kind: String, errorKind: String?, simulations: Int, seconds: Double, rss: Int) {
        inputs += 1
        byKind[kind, default: 0] += 1
        if let e = errorKind { errors[e, default: 0] += 1 } else { accepted += 1 }
        self.simulations += simulations
        maxRSS = max(maxRSS, rss)
        if slowest == nil || seconds > slowest!.seconds { slowest = (iteration, input, seconds) }
    }

    /// Adds `other`'s figures (another worker's range of iterations) to these; findings in
    /// iteration order.
    public mutating func merge(_ other: FuzzStatistics) {
        inputs += other.inputs
        accepted += other.accepted
        simulations += other.simulations
        for (k, v) in other.byKind { byKind[k, default: 0] += v }
        for (k, v) in other.errors { errors[k, default: 0] += v }
        maxRSS = max(maxRSS, other.maxRSS)
        if let o = other.slowest, slowest == nil || o.seconds > slowest!.seconds { slowest = o }
        findings = (findings + other.findings).sorted { $0.iteration < $1.iteration }
        wallSeconds = max(wallSeconds, other.wallSeconds)
    }

    static func sorted(_ d: [String: Int]) -> [(String, Int)] {
        d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    static func mib(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }

    /// The one-line summary: inputs, rejections by kind, simulations, max RSS, slowest input, findings.
    public var summaryLine: String {
        let kinds = Self.sorted(byKind).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        let rejected = inputs - accepted
        let errorText = Self.sorted(errors).prefix(8).map { "\($0.0) \($0.1)" }.joined(separator: ", ") + (errors.count > 8 ? ", …" : "")
        let slow = slowest.map { "slowest input \(Self.seconds($0.seconds)) s (iteration \($0.iteration), \($0.input))" } ?? "no input"
        let count = { (k: FuzzFinding.Kind) in self.findings.filter { $0.kind == k }.count }
        return "swapsim-fuzz: seed \(seed), \(inputs) inputs (\(kinds)); \(accepted) accepted, \(rejected) rejected with an error (\(errorText)); "
            + "\(simulations) simulations; max RSS \(Self.mib(maxRSS)); \(slow); \(count(.crash)) crashes, \(count(.hang)) hangs, \(count(.memory)) over memory; \(Self.seconds(wallSeconds)) s"
    }

    static func seconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
    }

    /// The statistics as JSON (`swapsim.fuzz/1`), keys sorted.
    public var json: String {
        func object(_ d: [String: Int]) -> String {
            "{" + d.keys.sorted().map { "\($0.jsonQuoted): \(d[$0]!)" }.joined(separator: ", ") + "}"
        }
        var out = "{\n  \"schema\": \"swapsim.fuzz/1\",\n  \"seed\": \(seed),\n  \"inputs\": \(inputs),\n"
        out += "  \"by_kind\": \(object(byKind)),\n  \"accepted\": \(accepted),\n  \"errors\": \(object(errors)),\n"
        out += "  \"simulations\": \(simulations),\n  \"max_rss_bytes\": \(maxRSS),\n"
        if let s = slowest { out += "  \"slowest\": {\"iteration\": \(s.iteration), \"input\": \(s.input.jsonQuoted), \"seconds\": \(s.seconds)},\n" }
        out += "  \"findings\": [" + findings.map { f in
            "{\"kind\": \(f.kind.rawValue.jsonQuoted), \"iteration\": \(f.iteration), \"input\": \(f.input.jsonQuoted), \"phase\": \(f.phase.jsonQuoted), \"detail\": \(f.detail.jsonQuoted)}"
        }.joined(separator: ", ") + "],\n"
        out += "  \"wall_seconds\": \(wallSeconds)\n}\n"
        return out
    }
}
