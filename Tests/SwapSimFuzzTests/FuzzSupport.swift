import Foundation
import SwapSimFuzz
import SwapSimIO

/// Paths the fuzz tests share.
enum FuzzFixtures {
    /// The package root, found from this file's path.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `Tests/FuzzCorpus`: every input that ever failed, each beside `NAME.expected`.
    static let corpus = root.appendingPathComponent("Tests/FuzzCorpus")

    /// A fresh folder under the temporary directory.
    static func scratch(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-fuzztests-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `swapsim-fuzz`: beside this test bundle (as `swift test` builds it), else the
    /// newest under the checkout's `.build`.
    static let executable: URL? = {
        let fm = FileManager.default
        var dirs: [URL] = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
        #if os(Linux)
            dirs.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        #endif
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        dirs += ["debug", "release"].map { root.appendingPathComponent(".build/\($0)") }
        return dirs.map { $0.appendingPathComponent("swapsim-fuzz") }.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `swapsim-fuzz arguments…` in the checkout, returning its exit status (nil: killed by
    /// a signal), standard output and standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32?, stdout: String, stderr: String) {
        guard let exe = executable else { throw FixtureError("swapsim-fuzz is not built (swift build)") }
        let dir = scratch("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationReason == .exit ? process.terminationStatus : nil,
            String(decoding: FileManager.default.contents(atPath: out.path) ?? Data(), as: UTF8.self),
            String(decoding: FileManager.default.contents(atPath: err.path) ?? Data(), as: UTF8.self)
        )
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// A verdict with the core's latest arrival written as `{latest-arrival}`, so the corpus
    /// does not change when the core's limit does.
    static func normalized(_ verdict: String) -> String {
        verdict.replacingOccurrences(of: TraceLimits.latestArrivalText, with: "{latest-arrival}")
    }
}
