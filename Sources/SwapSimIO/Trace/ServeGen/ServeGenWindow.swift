import Foundation
import SwapSimCore

/// One 600-second window of one ServeGen client, as its `chunk-<client>-trace.csv` row states it.
struct ServeGenWindow: Equatable, Sendable {
    /// The fitted inter-arrival distribution (shape, and scale in seconds).
    enum Pattern: Equatable, Sendable {
        case gamma(shape: Double, scale: Double)
        case weibull(shape: Double, scale: Double)
    }

    /// Window start, in whole seconds from the trace start.
    var start: Int64
    /// Measured mean arrival rate in the window, requests per second.
    var rate: Double
    /// Measured coefficient of variation of the inter-arrival gaps (kept for reference; the
    /// generated gaps take their shape from ``pattern``).
    var cv: Double
    /// The fitted distribution, or nil when the window had no (or too few) requests.
    var pattern: Pattern?
    /// The 1-based line of the CSV row, for messages.
    var line: Int

    /// Whether the window generates requests: it has a rate, and a fit or (failing one) the
    /// rate alone, replayed as a Poisson process.
    var isActive: Bool { rate > 0 }
}

/// Reads the rows of a ServeGen `chunk-<client>-trace.csv`: no header, columns
/// `timestamp,rate,cv,pat_name,pat_arg1,pat_arg2`.
enum ServeGenTraceFile {
    /// Seconds each row covers.
    static let windowSeconds: Int64 = 600

    static let columns = ["timestamp", "rate", "cv", "pat_name", "pat_arg1", "pat_arg2"]

    /// The windows of `path` that overlap `[from, to)` (seconds from the trace start).
    ///
    /// Every row up to the last one overlapping the span is checked; reading stops there, so a
    /// short span of a 14-day file parses only its first rows. Blank lines are skipped.
    static func read(path: String, from: Int64, to: Int64) throws(TraceError) -> [ServeGenWindow] {
        let bytes = try readBytes(path)
        var windows: [ServeGenWindow] = []
        var previousStart: Int64 = -1  // none yet
        var lineNumber = 0
        var fields: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            var lineEnd = bytes[lineStart...].firstIndex(of: 10) ?? bytes.endIndex
            let next = lineEnd < bytes.endIndex ? lineEnd + 1 : lineEnd
            if lineEnd > lineStart && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            let line = bytes[lineStart..<lineEnd]
            lineStart = next
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let window = try parse(line, number: lineNumber, path: path, fields: &fields)
            if previousStart >= 0 && window.start < previousStart + windowSeconds {
                throw .malformed(
                    file: path, line: lineNumber, column: "timestamp", value: String(window.start),
                    reason: "window starts must increase by at least \(windowSeconds) s (the previous row starts at \(previousStart) s)")
            }
            previousStart = window.start
            if window.start >= to { break }
            if window.start + windowSeconds > from { windows.append(window) }
        }
        return windows
    }

    private static func parse(
        _ line: ArraySlice<UInt8>, number n: Int, path: String, fields: inout [ArraySlice<UInt8>]
    ) throws(TraceError) -> ServeGenWindow {
        CSVFields.split(line, into: &fields)
        let text = CSVFields.text
        guard fields.count == columns.count else {
            throw .malformed(
                file: path, line: n, column: "(row)", value: String(decoding: line, as: UTF8.self),
                reason: "expected 6 comma-separated fields (timestamp,rate,cv,pat_name,pat_arg1,pat_arg2), found \(fields.count)")
        }
        let latest = TraceLimits.latestArrival.nanoseconds / 1_000_000_000
        guard let start = Int64(text(fields[0])), start >= 0, start <= latest else {
            throw .malformed(
                file: path, line: n, column: "timestamp", value: text(fields[0]),
                reason: "expected the window start in whole seconds from the trace start (0 to \(latest), the latest arrival allowed)")
        }
        func number(_ k: Int) throws(TraceError) -> Double {
            guard let v = Double(text(fields[k])), v.isFinite, v >= 0 else {
                throw .malformed(file: path, line: n, column: columns[k], value: text(fields[k]), reason: "expected a finite number ≥ 0")
            }
            return v
        }
        let rate = try number(1)
        let cv = try number(2)
        let name = text(fields[3])
        var pattern: ServeGenWindow.Pattern?
        switch name {
        case "":
            pattern = nil
        case "Gamma", "Weibull":
            var args: [Double] = []
            for k in 4...5 {
                guard let v = Double(text(fields[k])), v.isFinite, v > 0 else {
                    throw .malformed(
                        file: path, line: n, column: columns[k], value: text(fields[k]),
                        reason: k == 4 ? "expected the fitted shape, a finite number > 0" : "expected the fitted scale in seconds, a finite number > 0")
                }
                args.append(v)
            }
            pattern = name == "Gamma" ? .gamma(shape: args[0], scale: args[1]) : .weibull(shape: args[0], scale: args[1])
        default:
            throw .malformed(file: path, line: n, column: "pat_name", value: name, reason: "expected Gamma, Weibull or nothing (a window without requests)")
        }
        return ServeGenWindow(start: start, rate: rate, cv: cv, pattern: pattern, line: n)
    }

    /// The whole file's bytes (ServeGen files are at most a few hundred kilobytes).
    static func readBytes(_ path: String) throws(TraceError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "it is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "permission denied or not a regular file")
        }
        return [UInt8](data)
    }
}
