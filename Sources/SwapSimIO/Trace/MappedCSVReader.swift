import SwapSimCore

/// Streams a CSV trace through a ``ColumnMapping``: native CSV, the Azure LLM trace and any CSV
/// with a header (or, with `noHeader`, columns named by their 1-based number).
///
/// Every row is checked as it is read; a bad one throws an error naming the file, line and
/// column, after which reading may go on with the next row. Blank lines are skipped.
public final class MappedCSVReader: TraceRowSource {
    public let path: String
    public let absoluteArrivals: Bool
    private let reader: ByteLineReader
    private let mapping: ColumnMapping
    private let unit: ArrivalParser.Unit
    private let columns: (arrival: Int, model: Int?, input: Int?, output: Int?)
    private let columnCount: Int
    /// Field bounds of the row being parsed (see ``CSVFields/split(_:bounds:)``).
    private var bounds: [Int] = []
    private var interner = ModelInterner()

    public var modelNames: [String] { interner.names }
    public var hasModel: Bool { columns.model != nil }
    public var hasInputTokens: Bool { columns.input != nil }
    public var hasOutputTokens: Bool { columns.output != nil }
    public var progress: (done: Int64, total: Int64)? { (reader.bytesRead, reader.fileSize) }

    /// Opens `path` and reads its header (unless `noHeader`).
    public init(path: String, mapping: ColumnMapping, absoluteArrivals: Bool, noHeader: Bool = false) throws(TraceError) {
        self.path = path
        self.mapping = mapping
        self.absoluteArrivals = absoluteArrivals
        unit = mapping.arrivalUnit.parserUnit
        reader = try openLines(path)
        var names: [String]
        if noHeader {
            names = []
            columnCount = -1
        } else {
            guard var header = reader.nextLine() else { throw .empty(file: path) }
            if header.starts(with: [0xEF, 0xBB, 0xBF]) { header = header.dropFirst(3) }
            var f: [ArraySlice<UInt8>] = []
            CSVFields.split(header, into: &f)
            names = f.map(CSVFields.text)
            columnCount = names.count
        }
        func index(_ column: String?) -> Int?? {
            guard let column else { return .some(nil) }
            if noHeader { return Int(column).flatMap { $0 >= 1 ? $0 - 1 : nil }.map { .some($0) } ?? nil }
            return names.firstIndex(of: column).map { .some($0) } ?? nil
        }
        let wanted = [mapping.arrival, mapping.model, mapping.input, mapping.output].compactMap { $0 }
        let missing = wanted.filter { index($0) == nil }
        guard missing.isEmpty else {
            if noHeader {
                throw .badMapping(mapping: missing.joined(separator: ", "), reason: "without a header, columns are named by their 1-based number")
            }
            throw .missingColumns(file: path, missing: missing, header: names)
        }
        columns = (index(mapping.arrival)!!, index(mapping.model)!, index(mapping.input)!, index(mapping.output)!)
    }

    public func nextRow() throws(TraceError) -> TraceRow? {
        while let line = reader.nextLine() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            return try parse(line)
        }
        if reader.failed { throw .unreadable(file: path, reason: "read error after line \(reader.lineNumber)") }
        return nil
    }

    private func parse(_ line: ArraySlice<UInt8>) throws(TraceError) -> TraceRow {
        let fieldCount = CSVFields.split(line, bounds: &bounds)
        if let row = quickParse(line, fieldCount: fieldCount) { return row }
        return try checkedParse(line, fieldCount: fieldCount)
    }

    /// The common case, a well-formed row with plain fields and a decimal arrival, read straight
    /// from the line's bytes; nil sends the row to ``checkedParse(_:fieldCount:)``, which accepts
    /// the same rows (and the unusual ones) and says what is wrong with a bad one.
    private func quickParse(_ line: ArraySlice<UInt8>, fieldCount: Int) -> TraceRow? {
        guard unit != .datetime, columnCount < 0 || fieldCount == columnCount, fieldCount > columns.arrival else { return nil }
        let base = line.startIndex
        let n = reader.lineNumber
        var row = TraceRow(arrival: 0, model: -1, inputTokens: 0, outputTokens: 0, line: n)
        var ok = true
        line.withUnsafeBufferPointer { p in
            func field(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
                guard k < fieldCount else { return nil }
                return UnsafeBufferPointer(rebasing: p[(bounds[2 * k] - base)..<(bounds[2 * k + 1] - base)])
            }
            guard let a = field(columns.arrival), let arrival = ArrivalParser.decimal(a, digits: unit.nanosecondDigits) else { ok = false; return }
            row.arrival = arrival
            if let c = columns.model {
                // Plain names only: no quotes anywhere, no padding.
                guard let f = field(c), let first = f.first, let last = f.last,
                    first != 32, first != 9, last != 32, last != 9, !f.contains(34)
                else { ok = false; return }
                row.model = interner.id(of: f)
            }
            if let c = columns.input {
                guard let f = field(c), let v = CSVFields.tokens(f) else { ok = false; return }
                row.inputTokens = v
            }
            if let c = columns.output {
                guard let f = field(c), let v = CSVFields.tokens(f) else { ok = false; return }
                row.outputTokens = v
            }
        }
        return ok ? row : nil
    }

    /// Reads a row field by field, throwing an error that names the file, line and column.
    private func checkedParse(_ line: ArraySlice<UInt8>, fieldCount: Int) throws(TraceError) -> TraceRow {
        let n = reader.lineNumber
        let needed = max(columns.arrival, columns.model ?? 0, columns.input ?? 0, columns.output ?? 0) + 1
        if columnCount >= 0 ? fieldCount != columnCount : fieldCount < needed {
            throw .malformed(
                file: path, line: n, column: "(row)", value: String(decoding: line, as: UTF8.self),
                reason: "expected \(columnCount >= 0 ? columnCount : needed) comma-separated fields, found \(fieldCount)")
        }
        // A quoted field is unquoted as RFC 4180 says (`"""x"` is `"x`) before it is read.
        func field(_ k: Int) -> ArraySlice<UInt8> {
            let f = line[bounds[2 * k]..<bounds[2 * k + 1]]
            return f.contains(34) ? ArraySlice(CSVFields.text(f).utf8) : f
        }
        let a = field(columns.arrival)
        guard let arrival = ArrivalParser.parse(a, unit: unit) else {
            throw .malformed(
                file: path, line: n, column: mapping.arrival, value: CSVFields.text(a),
                reason: ArrivalParser.problem(a, unit: unit, absolute: absoluteArrivals))
        }
        var row = TraceRow(arrival: arrival, model: -1, inputTokens: 0, outputTokens: 0, line: n)
        if let c = columns.model {
            let name = ArraySlice(CSVFields.text(field(c)).utf8)
            guard !name.isEmpty else { throw .malformed(file: path, line: n, column: mapping.model!, value: "", reason: "missing model name") }
            row.model = interner.id(of: name)
        }
        if let c = columns.input {
            let f = field(c)
            guard let v = CSVFields.tokens(f) else {
                throw .malformed(file: path, line: n, column: mapping.input!, value: CSVFields.text(f), reason: CSVFields.tokenProblem(f))
            }
            row.inputTokens = v
        }
        if let c = columns.output {
            let f = field(c)
            guard let v = CSVFields.tokens(f) else {
                throw .malformed(file: path, line: n, column: mapping.output!, value: CSVFields.text(f), reason: CSVFields.tokenProblem(f))
            }
            row.outputTokens = v
        }
        return row
    }
}

/// What an arrival field in `unit` should look like, for error messages.
func arrivalExpectation(_ unit: ArrivalParser.Unit) -> String {
    switch unit {
    case .datetime: return "expected a date and time like 2023-11-16 18:17:03.9799600"
    case .s: return "expected seconds, a non-negative decimal number"
    case .ms: return "expected milliseconds, a non-negative decimal number"
    case .us: return "expected microseconds, a non-negative decimal number"
    case .ns: return "expected nanoseconds, a non-negative whole number"
    }
}

/// Opens `path` for line reading, turning failures into trace errors.
func openLines(_ path: String) throws(TraceError) -> ByteLineReader {
    do {
        return try ByteLineReader(path: path)
    } catch {
        switch error {
        case .missing: throw .unreadable(file: path, reason: "no such file")
        case .directory: throw .unreadable(file: path, reason: "it is a directory, not a file")
        case .unreadable: throw .unreadable(file: path, reason: "permission denied or not a regular file")
        }
    }
}
