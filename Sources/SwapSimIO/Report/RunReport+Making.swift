import Foundation
import SwapSimCore

extension RunReport {
    /// The report of a run just made: `summary` over `scenario` (loaded from `scenarioPath`)
    /// and the trace at `tracePath`, with their content hashes.
    /// - Throws: `CocoaError` when the scenario or trace can no longer be read.
    public static func make(
        summary: RunSummary, scenario: Scenario, scenarioPath: String, tracePath: String, toolVersion: String, command: String
    ) throws -> RunReport {
        let text = try String(contentsOfFile: scenarioPath, encoding: .utf8)
        return RunReport(
            summary: summary, scenarioPath: scenarioPath, scenarioText: text, scenarioHash: SHA256.hex(text),
            traceHash: try traceContentHash(path: tracePath), toolVersion: toolVersion, command: command,
            modelNames: scenario.models.map(\.name), gpuName: scenario.cluster.gpu.name, gpuMemory: scenario.cluster.gpu.memory)
    }

    /// SHA-256 of a trace: of the file's bytes, or for a folder (a ServeGen dataset) of each
    /// regular file's relative path and digest, in path order.
    public static func traceContentHash(path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try SHA256.hex(fileAt: path)
        }
        let base = URL(fileURLWithPath: path)
        var files: [String] = []
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let relative = walker.nextObject() as? String {
                var d: ObjCBool = false
                if FileManager.default.fileExists(atPath: base.appendingPathComponent(relative).path, isDirectory: &d), !d.boolValue {
                    files.append(relative)
                }
            }
        }
        var listing = ""
        for f in files.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            listing += f + "\0" + (try SHA256.hex(fileAt: base.appendingPathComponent(f).path)) + "\n"
        }
        return SHA256.hex(listing)
    }

    /// The command line that reruns an invocation: `arguments` (without the program name) with
    /// the options that only choose where output goes (`--db`, `--report`, `--format`,
    /// `--threads`, `--store-requests`) left out, each argument shell-quoted where needed.
    public static func reproducingCommand(_ arguments: [String]) -> String {
        let withValue: Set<String> = ["--db", "--report", "--format", "--threads"]
        let flags: Set<String> = ["--store-requests"]
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if withValue.contains(a) {
                i += 2
                continue
            }
            if withValue.contains(name) || flags.contains(a) {
                i += 1
                continue
            }
            kept.append(a)
            i += 1
        }
        return (["swapsim"] + kept.map(shellQuoted)).joined(separator: " ")
    }

    /// `s` quoted for a POSIX shell when it holds anything but safe characters.
    static func shellQuoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
