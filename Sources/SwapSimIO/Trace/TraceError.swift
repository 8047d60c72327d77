/// A model name a trace uses that the scenario lacks.
public struct UnknownModel: Equatable, Sendable {
    public var name: String
    public var firstLine: Int
    public var rows: Int
    public init(name: String, firstLine: Int, rows: Int) {
        self.name = name
        self.firstLine = firstLine
        self.rows = rows
    }
}

/// Why a trace could not be read: each case names the file, and the line and column at fault.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case empty(file: String)
    case noRequests(file: String)
    case missingColumns(file: String, missing: [String], header: [String])
    case malformed(file: String, line: Int, column: String, value: String, reason: String)
    case unknownModels(file: String, models: [UnknownModel], known: [String])
    case badMapping(mapping: String, reason: String)
    case undetectable(file: String, header: String, hint: String)
    case badOption(option: String, reason: String)
    case unsorted(file: String, line: Int, arrival: String, previous: String)

    /// For a row-level error, a short reason to count skipped rows by (`--skip-invalid`); nil
    /// for errors about the whole file.
    public var skipReason: String? {
        if case let .malformed(_, _, column, _, reason) = self { return "\(column): \(reason)" }
        return nil
    }

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read trace: \(reason)"
        case let .unwritable(file, reason):
            return "\(file): cannot write trace: \(reason)"
        case let .empty(file):
            return "\(file): the trace is empty"
        case let .noRequests(file):
            return "\(file): the trace has a header but no requests"
        case let .missingColumns(file, missing, header):
            return "\(file):1: header lacks column(s) \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ", ")))"
        case let .malformed(file, line, column, value, reason):
            // The value quoted as it is, but for line breaks and other controls: one line, always.
            return "\(file):\(line): column '\(column)': \(reason) (value '\(TerminalText.safe(value))')"
        case let .unknownModels(file, models, known):
            // A generated source (a replay) names its models without counting rows: rows 0, line 0.
            let list = models.map { $0.rows == 0 ? "'\($0.name)'" : "'\($0.name)' (\($0.rows) row\($0.rows == 1 ? "" : "s"), first at line \($0.firstLine))" }
            let first = models.first.map { $0.firstLine > 0 ? ":\($0.firstLine)" : "" } ?? ""
            return "\(file)\(first): column 'model': \(models.count == 1 ? "model" : "models") \(list.joined(separator: ", ")) not in the scenario (scenario models: \(known.joined(separator: ", ")); map names with --model-map TRACE=SCENARIO)"
        case let .badMapping(mapping, reason):
            return "--map \(mapping): \(reason)"
        case let .undetectable(file, header, hint):
            return "\(file): cannot tell the trace format from its first line '\(header)'; \(hint)"
        case let .badOption(option, reason):
            return "\(option): \(reason)"
        case let .unsorted(file, line, arrival, previous):
            return "\(file):\(line): arrival \(arrival) s is before the previous row's \(previous) s; traces must be sorted by arrival (--sort sorts them in memory)"
        }
    }
}
