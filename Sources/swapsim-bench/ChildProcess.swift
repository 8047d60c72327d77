import Foundation

/// The harness's parent side of a measured run: re-invokes this executable as
/// `swapsim-bench --child KIND --key value…`, waits, and reads the `key=value` figures it prints.
enum ChildProcess {
    /// This executable, to run again.
    static let executable: URL = {
        #if os(Linux)
            return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
            return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
    }()

    /// Runs one child to the end.
    /// - Returns: its figures by key.
    /// - Throws: ``BenchError`` with the child's standard error when it fails.
    static func run(_ kind: String, _ options: [(String, String)]) throws -> [String: String] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swapsim-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--child", kind] + options.flatMap { ["--" + $0.0, $0.1] }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
            // The runtime's trap message ("Fatal error: …", "Swift runtime failure: …") says more than a backtrace's last line.
            let lines = stderr.split(separator: "\n").map(String.init)
            let message = lines.first { $0.contains("Fatal error") || $0.contains("runtime failure") || $0.hasPrefix("swapsim-bench child:") }
                ?? lines.last ?? ""
            throw BenchError("child \(kind) failed (\(how)): \(message)")
        }
        var figures: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            figures[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return figures
    }
}
