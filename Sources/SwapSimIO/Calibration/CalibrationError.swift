import SwapSimCore

/// Why a calibration profile or fragment could not be used: each case names the file, and the key where it applies.
public enum CalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case notJSON(file: String, reason: String)
    case unsupportedSchema(file: String, found: String?)
    case invalid(file: String, keyPath: String, reason: String)
    case noSuchDevice(file: String, index: Int, available: [Int])
    case fit(file: String, keyPath: String, CalibrationFitError)
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read calibration profile: \(reason)"
        case let .notJSON(file, reason):
            return "\(file): not a calibration profile (invalid JSON): \(reason)"
        case let .unsupportedSchema(file, found):
            let what = found.map { "'\($0)'" } ?? "missing"
            return "\(file): schema: \(what); this swapsim reads calibration profiles of schema '\(CalibrationProfile.schema)' (written by gpu-calibrate)"
        case let .invalid(file, keyPath, reason):
            return "\(file): \(keyPath): \(reason)"
        case let .noSuchDevice(file, index, available):
            return "\(file): devices: no device with index \(index) (the profile has: \(available.map(String.init).joined(separator: ", ")))"
        case let .fit(file, keyPath, e):
            return "\(file): \(keyPath): cannot fit latency and bandwidth: \(e.description)"
        case let .unwritable(file, reason):
            return "\(file): cannot write: \(reason)"
        }
    }
}
