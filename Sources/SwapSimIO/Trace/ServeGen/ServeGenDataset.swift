import SwapSimCore

/// A token-count histogram from a ServeGen dataset field: counts with cumulative probabilities.
struct ServeGenTokenHistogram: Equatable, Sendable {
    var values: [Int32]
    var cumulative: [Double]

    /// One count, by inverse CDF (zero allowed: a request may carry no image).
    func draw(_ rng: inout RandomStream) -> Int32 { values[rng.index(cumulative: cumulative)] }

    /// The histogram's mean in tokens.
    var mean: Double { TokenDistribution.empirical(values: values, cumulativeWeights: cumulative).mean }
}

/// Where a window's prompt lengths come from.
enum ServeGenInputTokens: Equatable, Sendable {
    /// The dataset's `input_tokens` field.
    case single(ServeGenTokenHistogram)
    /// A multimodal dataset without `input_tokens`: the sum of independent draws of its
    /// `text_tokens`, `image_tokens`, `audio_tokens` and `video_tokens` fields (the dataset
    /// gives their marginals only, so their correlation is lost).
    case sum([ServeGenTokenHistogram])

    /// A prompt length, at least one token.
    func sample(_ rng: inout RandomStream) -> Int32 {
        switch self {
        case let .single(h):
            return TokenDistribution.empirical(values: h.values, cumulativeWeights: h.cumulative).sample(&rng)
        case let .sum(parts):
            var total: Int64 = 0
            for p in parts { total += Int64(p.draw(&rng)) }
            return Int32(min(1 << 20, max(1, total)))
        }
    }

    var mean: Double {
        switch self {
        case let .single(h): return h.mean
        case let .sum(parts): return parts.reduce(0) { $0 + $1.mean }
        }
    }
}

/// The token-length distributions of one ServeGen client, from its `chunk-<client>-dataset.json`:
/// top-level keys are window starts in seconds (every 21,600 s in the published data), each
/// holding fields whose values are strings of Python dict literals `"{count: probability, ...}"`.
///
/// A trace window uses the dataset window with the latest start at or before its own (as
/// ServeGen does); a field that window leaves empty (`"{}"`) is carried forward from the latest
/// earlier window that has it. In the published data, empty fields occur only in 6-hour spans
/// where the client sent nothing.
struct ServeGenDataset: Sendable {
    /// One dataset window, its fields already carried forward.
    struct Window: Equatable, Sendable {
        var start: Int64
        var input: ServeGenInputTokens?
        var output: ServeGenTokenHistogram?
    }

    /// Windows by start, covering the span read.
    var windows: [Window]

    static let inputField = "input_tokens"
    static let outputField = "output_tokens"
    static let modalityFields = ["text_tokens", "image_tokens", "audio_tokens", "video_tokens"]

    /// Reads `path`, parsing the distributions in effect for trace windows starting in
    /// `[from, to)` (seconds); other windows are checked as JSON but their dicts are not parsed.
    /// Dataset windows starting after a trace window's start do not apply to it.
    static func read(path: String, from: Int64, to: Int64) throws(TraceError) -> ServeGenDataset {
        let wanted = Set([inputField, outputField] + modalityFields)
        var scanner = ServeGenJSONScanner(bytes: try ServeGenTraceFile.readBytes(path), path: path)
        var raw: [(start: Int64, line: Int, fields: [String: (text: String, line: Int)])] = []
        try scanner.object("(top level)") { (s: inout ServeGenJSONScanner, key: String) throws(TraceError) in
            guard let start = Int64(key), start >= 0 else {
                throw .malformed(
                    file: path, line: s.line, column: "(window key)", value: key,
                    reason: "expected a window start in whole seconds, such as \"21600\"")
            }
            if let twin = raw.first(where: { $0.start == start }) {
                throw .malformed(
                    file: path, line: s.line, column: "(window key)", value: key, reason: "window \(key) appears twice (first on line \(twin.line))")
            }
            let keyLine = s.line
            var fields: [String: (text: String, line: Int)] = [:]
            try s.object(key) { (s: inout ServeGenJSONScanner, field: String) throws(TraceError) in
                if wanted.contains(field) {
                    let line = s.line
                    fields[field] = (try s.string("\(key).\(field)"), line)
                } else {
                    try s.skipValue("\(key).\(field)")
                }
            }
            raw.append((start, keyLine, fields))
        }
        try scanner.expectEnd()
        raw.sort { $0.start < $1.start }

        // The first window in effect for the span: the latest starting at or before it.
        let first = raw.lastIndex(where: { $0.start <= from }) ?? 0
        let relevant = raw.indices.filter { $0 >= first && raw[$0].start < to }

        // Each field's histogram in effect at window i: its own if non-empty, else carried.
        func resolved(_ field: String) throws(TraceError) -> [ServeGenTokenHistogram?] {
            func parsed(_ i: Int) throws(TraceError) -> ServeGenTokenHistogram? {
                guard let f = raw[i].fields[field] else { return nil }
                return try ServeGenDictLiteral.histogram(f.text, file: path, line: f.line, column: "\(raw[i].start).\(field)")
            }
            var carried: ServeGenTokenHistogram?
            var back = first - 1
            if let i0 = relevant.first, try parsed(i0) == nil {
                while back >= 0 {
                    if let h = try parsed(back) { carried = h; break }
                    back -= 1
                }
            }
            var out: [ServeGenTokenHistogram?] = []
            for i in relevant {
                if let h = try parsed(i) { carried = h }
                out.append(carried)
            }
            return out
        }
        let inputs = try resolved(inputField)
        let outputs = try resolved(outputField)
        var modalities: [[ServeGenTokenHistogram?]] = []
        for m in modalityFields { modalities.append(try resolved(m)) }

        var windows: [Window] = []
        for (k, i) in relevant.enumerated() {
            var input: ServeGenInputTokens?
            if let h = inputs[k] {
                input = .single(h)
            } else {
                let parts = modalities.compactMap { $0[k] }
                if !parts.isEmpty { input = .sum(parts) }
            }
            windows.append(Window(start: raw[i].start, input: input, output: outputs[k]))
        }
        return ServeGenDataset(windows: windows)
    }
}

/// Parses ServeGen's Python dict literals of token counts: `{45: 0.0096, 46: 0.0117}`.
struct ServeGenDictLiteral {
    /// The literal's UTF-8 bytes, valid during ``histogram(_:file:line:column:)``.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private let file: String, line: Int, column: String

    private init(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, column: String) {
        self.bytes = bytes
        self.file = file
        self.line = line
        self.column = column
    }

    /// The histogram the literal states, or nil when it is empty or all its probabilities are 0.
    static func histogram(_ text: String, file: String, line: Int, column: String) throws(TraceError) -> ServeGenTokenHistogram? {
        let utf8 = Array(text.utf8)
        return try utf8.withUnsafeBufferPointer { (buffer) throws(TraceError) -> ServeGenTokenHistogram? in
            var parser = ServeGenDictLiteral(buffer, file: file, line: line, column: column)
            return try parser.parse()
        }
    }

    private mutating func parse() throws(TraceError) -> ServeGenTokenHistogram? {
        skipSpaces()
        guard i < bytes.count && bytes[i] == 123 else { throw failure("expected a Python dict literal '{count: probability, ...}'") }
        i += 1
        var values: [Int32] = []
        var cumulative: [Double] = []
        var total = 0.0
        while true {
            skipSpaces()
            if i < bytes.count && bytes[i] == 125 { i += 1; break }
            let count = try tokenCount()
            skipSpaces()
            guard i < bytes.count && bytes[i] == 58 else { throw failure("expected ':' after the token count") }
            i += 1
            skipSpaces()
            let p = try probability()
            if p > 0 {
                total += p
                values.append(count)
                cumulative.append(total)
            }
            skipSpaces()
            if i < bytes.count && bytes[i] == 44 { i += 1; continue }
            if i < bytes.count && bytes[i] == 125 { i += 1; break }
            throw failure("expected ',' or '}' after a probability")
        }
        skipSpaces()
        guard i == bytes.count else { throw failure("unexpected text after the dict literal") }
        return values.isEmpty ? nil : ServeGenTokenHistogram(values: values, cumulative: cumulative)
    }

    /// A key: a whole number of tokens, 0 to Int32.max.
    private mutating func tokenCount() throws(TraceError) -> Int32 {
        let start = i
        var v: Int64 = 0
        while i < bytes.count, bytes[i] >= 48 && bytes[i] <= 57 {
            v = v * 10 + Int64(bytes[i] - 48)
            i += 1
            if v > Int64(Int32.max) { break }
        }
        let end = tokenEnd()
        guard i > start, i == end, v <= Int64(Int32.max) else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            i = start
            throw failure(text.isEmpty ? "expected a token count" : "expected a token count, a whole number from 0 to 2147483647, got '\(text)'")
        }
        return Int32(v)
    }

    /// A value: a probability, a finite number ≥ 0.
    private mutating func probability() throws(TraceError) -> Double {
        let start = i
        i = tokenEnd()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let p = Double(text), p.isFinite, p >= 0 else {
            i = start
            throw failure("expected a probability, a finite number ≥ 0, got '\(text)'")
        }
        return p
    }

    /// The end of the token at `i`: the next ',', ':', '}' or space.
    private func tokenEnd() -> Int {
        var j = i
        while j < bytes.count, bytes[j] != 44, bytes[j] != 58, bytes[j] != 125, bytes[j] != 32 { j += 1 }
        return j
    }

    private mutating func skipSpaces() {
        while i < bytes.count && (bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13) { i += 1 }
    }

    private func failure(_ reason: String) -> TraceError {
        let lo = max(0, i - 12)
        let hi = min(bytes.count, i + 28)
        return .malformed(
            file: file, line: line, column: column, value: String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self),
            reason: "\(reason) (at character \(i + 1) of the dict literal)")
    }
}
