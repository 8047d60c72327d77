/// Why a trace could not be read: each case names the file, and the line and column at fault.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case empty(file: String)
    case noRequests(file: String)
    case missingColumns(file: String, missing: [String], header: [String])
    case malformed(file: String, line: Int, column: String, value: String, reason: String)
    case unknownModel(file: String, line: Int, model: String, known: [String])
    case unsorted(file: String, line: Int, arrival: String, previous: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read trace: \(reason)"
        case let .unwritable(file, reason):
            return "\(file): cannot write trace: \(reason)"
        case let .empty(file):
            return "\(file): the trace has no header line (expected arrival_s,model,input_tokens,output_tokens)"
        case let .noRequests(file):
            return "\(file): the trace has a header but no requests"
        case let .missingColumns(file, missing, header):
            return "\(file):1: header lacks column(s) \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ", ")); expected arrival_s,model,input_tokens,output_tokens)"
        case let .malformed(file, line, column, value, reason):
            return "\(file):\(line): column '\(column)': \(reason) (value '\(value)')"
        case let .unknownModel(file, line, model, known):
            return "\(file):\(line): column 'model': model '\(model)' is not in the scenario (scenario models: \(known.joined(separator: ", ")))"
        case let .unsorted(file, line, arrival, previous):
            return "\(file):\(line): column 'arrival_s': arrival \(arrival) s is before the previous row's \(previous) s; traces must be sorted by arrival"
        }
    }
}
