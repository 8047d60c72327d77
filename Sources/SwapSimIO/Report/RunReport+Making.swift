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
            traceHash: try SHA256.hex(traceAt: tracePath), toolVersion: toolVersion, command: command,
            modelNames: scenario.models.map(\.name), gpuName: scenario.cluster.gpu.name, gpuMemory: scenario.cluster.gpu.memory)
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
