import SwapSimCore

/// Why a scenario file could not be loaded: each case names the file, and the key path and
/// line where the problem is.
public enum ScenarioFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int?, reason: String)
    case invalid(file: String, keyPath: String, line: Int?, reason: String)
    case unknownKey(file: String, keyPath: String, line: Int?, allowed: [String])
    case missingKey(file: String, keyPath: String, line: Int?)
    case unsupportedVersion(file: String, version: String)
    case impossible(file: String, line: Int?, ScenarioError)

    public var description: String {
        func at(_ file: String, _ line: Int?) -> String { line.map { "\(file):\($0)" } ?? file }
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read scenario: \(reason)"
        case let .syntax(file, line, reason):
            return "\(at(file, line)): not valid YAML: \(reason)"
        case let .invalid(file, keyPath, line, reason):
            return "\(at(file, line)): \(keyPath): \(reason)"
        case let .unknownKey(file, keyPath, line, allowed):
            return "\(at(file, line)): unknown key '\(keyPath)' (allowed here: \(allowed.joined(separator: ", ")))"
        case let .missingKey(file, keyPath, line):
            return "\(at(file, line)): missing required key '\(keyPath)'"
        case let .unsupportedVersion(file, version):
            return "\(file): version: unsupported scenario version '\(version)' (this swapsim reads version 1)"
        case let .impossible(file, line, e):
            return "\(at(file, line)): \(e.description)"
        }
    }
}
