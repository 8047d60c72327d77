import Foundation
import SwapSimCore
import SwapSimIO

/// Paths and helpers shared by the SwapSimIO tests.
enum Fixtures {
    /// The package root (the folder holding Package.swift), found from this file's path.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    static func path(_ relative: String) -> String { repositoryRoot.appendingPathComponent(relative).path }

    static let demoScenario = path("scenarios/demo.yaml")
    static let demoTrace = path("traces/demo.csv")

    /// Requests in the demo trace: its non-blank lines after the header.
    static var demoTraceRequests: Int {
        let text = (try? String(contentsOfFile: demoTrace, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().filter { !$0.allSatisfy(\.isWhitespace) }.count
    }

    /// The folder of golden files, next to this file.
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The demo (scenarios/demo.yaml over traces/demo.csv, every strategy), summarised with the
    /// trace named as it is in the repository, so output does not depend on where the checkout lives.
    static func runDemo(threads: Int) throws -> RunSummary {
        let scenario = try ScenarioLoader.load(path: demoScenario)
        let (outcomes, _) = try Runner.run(scenario: scenario, tracePath: demoTrace, strategies: StrategyKind.compared(in: scenario), threads: threads)
        return RunSummary(scenario: scenario.name, trace: "traces/demo.csv", seed: 1, outcomes: Array(zip(StrategyKind.compared(in: scenario), outcomes)))
    }

    /// One demo run shared by the rendering tests (computed once, on first use).
    static let sharedDemo: Result<RunSummary, any Error> = Result { try runDemo(threads: 2) }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-iotests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` (as UTF-8 bytes, exactly) to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }
}

/// 64-bit FNV-1a of the UTF-8 bytes of `text`, as 16 lowercase hex digits.
func fnv1a64(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
        h ^= UInt64(b)
        h &*= 0x0000_0100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// 1-based number of the first line of `text` containing `fragment`.
func lineNumber(of fragment: String, in text: String) -> Int? {
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(fragment) {
        return i + 1
    }
    return nil
}
