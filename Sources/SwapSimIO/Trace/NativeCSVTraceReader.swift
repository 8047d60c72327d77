import SwapSimCore

/// Streams a native CSV trace: a header naming `arrival_s,model,input_tokens,output_tokens`
/// (in any order, extra columns ignored), then one request per line.
///
/// Arrivals are seconds from the trace start with up to nine decimals, parsed exactly into
/// nanoseconds. Every row is checked as it is read: the first bad one stops the run with an
/// error naming the file, line and column. Blank lines are skipped.
public final class NativeCSVTraceReader: RequestSource {
    public let path: String
    private let reader: ByteLineReader
    private let modelIndex: [String: Int]
    private let modelNames: [String]
    private var columns: (arrival: Int, model: Int, input: Int, output: Int)
    private var columnCount: Int
    private var previous: Int64 = 0
    private var fields: [ArraySlice<UInt8>] = []
    /// Rows read so far.
    public private(set) var rows = 0

    /// Opens `path` and reads its header; `models` are the scenario's model names, in order.
    public init(path: String, models: [String]) throws(TraceError) {
        self.path = path
        do {
            reader = try ByteLineReader(path: path)
        } catch {
            switch error {
            case .missing: throw .unreadable(file: path, reason: "no such file")
            case .directory: throw .unreadable(file: path, reason: "it is a directory, not a file")
            case .unreadable: throw .unreadable(file: path, reason: "permission denied or not a regular file")
            }
        }
        modelNames = models
        var index: [String: Int] = [:]
        for (i, m) in models.enumerated() { index[m] = i }
        modelIndex = index
        guard var header = reader.nextLine() else { throw .empty(file: path) }
        if header.starts(with: [0xEF, 0xBB, 0xBF]) { header = header.dropFirst(3) }
        let names = Self.split(header).map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() }
        let wanted = ["arrival_s", "model", "input_tokens", "output_tokens"]
        let missing = wanted.filter { !names.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(file: path, missing: missing, header: names) }
        columns = (
            names.firstIndex(of: "arrival_s")!, names.firstIndex(of: "model")!,
            names.firstIndex(of: "input_tokens")!, names.firstIndex(of: "output_tokens")!
        )
        columnCount = names.count
    }

    static func split(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }

    public func next() throws -> TraceRequest? {
        while let line = reader.nextLine() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            return try parse(line)
        }
        if reader.failed { throw TraceError.unreadable(file: path, reason: "read error after line \(reader.lineNumber)") }
        return nil
    }

    private func parse(_ line: ArraySlice<UInt8>) throws(TraceError) -> TraceRequest {
        let n = reader.lineNumber
        fields.removeAll(keepingCapacity: true)
        var s = line.startIndex
        for i in line.indices where line[i] == UInt8(ascii: ",") {
            fields.append(line[s..<i])
            s = i + 1
        }
        fields.append(line[s...])
        guard fields.count == columnCount else {
            throw .malformed(
                file: path, line: n, column: fields.count < columnCount ? "(row)" : "(row)", value: String(decoding: line, as: UTF8.self),
                reason: "expected \(columnCount) comma-separated fields, found \(fields.count)")
        }
        let arrivalField = fields[columns.arrival]
        guard let arrival = Self.parseSeconds(arrivalField) else {
            throw .malformed(file: path, line: n, column: "arrival_s", value: text(arrivalField), reason: "expected seconds from the trace start, a non-negative decimal number")
        }
        if arrival > SimInstant.latestArrival.nanoseconds {
            throw .malformed(file: path, line: n, column: "arrival_s", value: text(arrivalField), reason: "arrivals beyond 100 days (8640000 s) from the trace start are not supported")
        }
        if arrival < previous {
            throw .unsorted(file: path, line: n, arrival: text(arrivalField), previous: Fixed.format(Double(previous) / 1e9, decimals: 9))
        }
        previous = arrival
        let modelField = fields[columns.model]
        let name = text(modelField).trimmingWhitespace()
        guard let model = modelIndex[name] else {
            throw .unknownModel(file: path, line: n, model: name, known: modelNames)
        }
        let input = try tokens(fields[columns.input], column: "input_tokens", line: n)
        let output = try tokens(fields[columns.output], column: "output_tokens", line: n)
        rows += 1
        return TraceRequest(arrival: SimInstant(nanoseconds: arrival), model: model, inputTokens: input, outputTokens: output)
    }

    private func text(_ f: ArraySlice<UInt8>) -> String { String(decoding: f, as: UTF8.self) }

    private func tokens(_ f: ArraySlice<UInt8>, column: String, line: Int) throws(TraceError) -> Int32 {
        var v: Int64 = 0
        var digits = 0
        var sawSign = false
        for b in f {
            if b == 32 { continue }
            if b == UInt8(ascii: "-") && digits == 0 { sawSign = true; continue }
            guard b >= 48 && b <= 57 else {
                throw .malformed(file: path, line: line, column: column, value: text(f), reason: "expected a whole number of tokens")
            }
            v = v * 10 + Int64(b - 48)
            digits += 1
            if v > Int64(Int32.max) {
                throw .malformed(file: path, line: line, column: column, value: text(f), reason: "token count too large")
            }
        }
        if digits == 0 { throw .malformed(file: path, line: line, column: column, value: text(f), reason: "expected a whole number of tokens") }
        if sawSign && v > 0 { throw .malformed(file: path, line: line, column: column, value: text(f), reason: "token counts cannot be negative") }
        if v < 1 { throw .malformed(file: path, line: line, column: column, value: text(f), reason: "a request needs at least one token") }
        return Int32(v)
    }

    /// Parses non-negative decimal seconds exactly into nanoseconds (digits past the ninth
    /// decimal round half up). Returns nil if the text is not such a number.
    static func parseSeconds(_ f: ArraySlice<UInt8>) -> Int64? {
        var whole: Int64 = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var roundUp = false
        var seenDot = false
        var digits = 0
        for b in f {
            if b == 32 { continue }
            if b == UInt8(ascii: ".") && !seenDot { seenDot = true; continue }
            guard b >= 48 && b <= 57 else { return nil }
            let d = Int64(b - 48)
            digits += 1
            if !seenDot {
                whole = whole * 10 + d
                if whole > 9_000_000_000 { return nil }
            } else if fracDigits < 9 {
                frac = frac * 10 + d
                fracDigits += 1
            } else if fracDigits == 9 {
                roundUp = d >= 5
                fracDigits += 1
            }
        }
        guard digits > 0 else { return nil }
        while fracDigits < 9 { frac *= 10; fracDigits += 1 }
        return whole * 1_000_000_000 + frac + (roundUp ? 1 : 0)
    }
}
