import SwapSimCore

/// Streams a JSON Lines trace through a ``ColumnMapping`` whose columns are keys: native JSONL
/// (`arrival_s, model, input_tokens, output_tokens`) and any JSONL through `--map`.
///
/// Values may be numbers or strings. A row without the arrival key, or with a bad value, throws
/// an error naming the file, line and key; blank lines are skipped.
public final class MappedJSONLReader: TraceRowSource {
    public let path: String
    public let absoluteArrivals: Bool
    private let reader: ByteLineReader
    private let mapping: ColumnMapping
    private let unit: ArrivalParser.Unit
    private let scanner: JSONLineScanner
    private var values: [ArraySlice<UInt8>?] = [nil, nil, nil, nil]
    private var interner = ModelInterner()

    public var modelNames: [String] { interner.names }
    public var hasModel: Bool { mapping.model != nil }
    public var hasInputTokens: Bool { mapping.input != nil }
    public var hasOutputTokens: Bool { mapping.output != nil }
    public var progress: (done: Int64, total: Int64)? { (reader.bytesRead, reader.fileSize) }

    public init(path: String, mapping: ColumnMapping, absoluteArrivals: Bool) throws(TraceError) {
        self.path = path
        self.mapping = mapping
        self.absoluteArrivals = absoluteArrivals
        unit = mapping.arrivalUnit.parserUnit
        scanner = JSONLineScanner(keys: [mapping.arrival, mapping.model ?? "", mapping.input ?? "", mapping.output ?? ""])
        reader = try openLines(path)
    }

    public func nextRow() throws(TraceError) -> TraceRow? {
        while let line = reader.nextLine() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            return try parse(line)
        }
        if reader.failed { throw .unreadable(file: path, reason: "read error after line \(reader.lineNumber)") }
        return nil
    }

    private func parse(_ line: ArraySlice<UInt8>) throws(TraceError) -> TraceRow {
        let n = reader.lineNumber
        do {
            try scanner.scan(line, into: &values)
        } catch {
            guard case let .malformed(why) = error else { fatalError() }
            throw .malformed(file: path, line: n, column: "(row)", value: String(decoding: line.prefix(80), as: UTF8.self), reason: "not a JSON object: \(why)")
        }
        func text(_ v: ArraySlice<UInt8>) -> String { String(decoding: v, as: UTF8.self) }
        guard let a = values[0] else {
            throw .malformed(file: path, line: n, column: mapping.arrival, value: "", reason: "missing key '\(mapping.arrival)'")
        }
        guard let arrival = ArrivalParser.parse(a, unit: unit) else {
            throw .malformed(
                file: path, line: n, column: mapping.arrival, value: text(a), reason: ArrivalParser.problem(a, unit: unit, absolute: absoluteArrivals))
        }
        var row = TraceRow(arrival: arrival, model: -1, inputTokens: 0, outputTokens: 0, line: n)
        if let key = mapping.model {
            guard let m = values[1], !m.isEmpty, m.elementsEqual("null".utf8) == false else {
                throw .malformed(file: path, line: n, column: key, value: values[1].map(text) ?? "", reason: "missing model name")
            }
            row.model = interner.id(of: m)
        }
        for (slot, key) in [(2, mapping.input), (3, mapping.output)] {
            guard let key else { continue }
            guard let v = values[slot] else { throw .malformed(file: path, line: n, column: key, value: "", reason: "missing key '\(key)'") }
            guard let t = CSVFields.tokens(v) else {
                throw .malformed(file: path, line: n, column: key, value: text(v), reason: CSVFields.tokenProblem(v))
            }
            if slot == 2 { row.inputTokens = t } else { row.outputTokens = t }
        }
        return row
    }
}
