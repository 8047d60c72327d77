import Foundation

/// Finds and runs the built `swapsim` executable, the one `swift test` built beside this test bundle.
///
/// The executable is looked for, in order: at `$SWAPSIM_EXECUTABLE`; in the build products
/// directory holding the test bundle (macOS: the `.xctest` bundle's folder; Linux: the folder of
/// the test runner executable), which works for any `--scratch-path`; and last, the most recently
/// built `swapsim` under a `.build*` folder of the checkout.
enum SwapSimExecutable {
    /// The package root, found from this file's path: the command runs there, so relative paths
    /// such as `scenarios/demo.yaml` resolve as they do for a user in the checkout.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The executable, or nil (with the places searched) if there is none.
    static let location: Result<URL, LocateError> = locate()

    struct LocateError: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "no swapsim executable found; searched: \(searched.joined(separator: ", ")). Build it (swift build) or set SWAPSIM_EXECUTABLE." }
    }

    private final class BundleMarker {}

    private static func locate() -> Result<URL, LocateError> {
        let fm = FileManager.default
        var searched: [String] = []
        func executable(_ url: URL) -> URL? {
            searched.append(url.path)
            return fm.isExecutableFile(atPath: url.path) ? url : nil
        }
        if let env = ProcessInfo.processInfo.environment["SWAPSIM_EXECUTABLE"], let u = executable(URL(fileURLWithPath: env)) {
            return .success(u)
        }
        var productDirectories: [URL] = []
        for bundle in [Bundle(for: BundleMarker.self)] + Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            productDirectories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let exe = Bundle.main.executableURL { productDirectories.append(exe.resolvingSymlinksInPath().deletingLastPathComponent()) }
        productDirectories.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        #if os(Linux)
            productDirectories.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
        #endif
        for dir in productDirectories {
            if let u = executable(dir.appendingPathComponent("swapsim")) { return .success(u) }
        }
        // Last resort: the newest swapsim in a build folder of the checkout.
        var found: [(URL, Date)] = []
        let buildFolders = (try? fm.contentsOfDirectory(atPath: repositoryRoot.path))?.filter { $0.hasPrefix(".build") } ?? []
        for folder in buildFolders {
            let base = repositoryRoot.appendingPathComponent(folder)
            var candidates = [base.appendingPathComponent("debug/swapsim"), base.appendingPathComponent("release/swapsim")]
            for triple in (try? fm.contentsOfDirectory(atPath: base.path)) ?? [] {
                candidates.append(base.appendingPathComponent(triple).appendingPathComponent("debug/swapsim"))
                candidates.append(base.appendingPathComponent(triple).appendingPathComponent("release/swapsim"))
            }
            for c in candidates {
                if let u = executable(c), let date = (try? fm.attributesOfItem(atPath: u.path))?[.modificationDate] as? Date {
                    found.append((u, date))
                }
            }
        }
        if let newest = found.max(by: { $0.1 < $1.1 }) { return .success(newest.0) }
        return .failure(LocateError(searched: searched))
    }

    /// What a run of the executable did.
    struct Execution: CustomStringConvertible {
        var status: Int32
        /// False when the process died of a signal (a crash) rather than exiting.
        var exited: Bool
        var stdout: String
        var stderr: String

        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0).map { $0 } }

        var description: String {
            "\(exited ? "exit status" : "signal") \(status); stderr: \(stderr.prefix(400))"
        }
    }

    /// Runs `swapsim arguments…` in `directory` (default: the repository root), capturing its output.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Execution {
        let exe = try location.get()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Execution(
            status: process.terminationStatus,
            exited: process.terminationReason == .exit,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-clitests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
