import Foundation

/// Where and with what the benchmark ran: for the results file.
struct Machine {
    var cores: Int
    var cpuModel: String
    var memoryBytes: UInt64
    var os: String
    var toolchain: String
    var commit: String
    /// Whether tracked files differed from the commit when the run started.
    var dirty: Bool
    var date: String

    static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let info = ProcessInfo.processInfo
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return Machine(
            cores: info.activeProcessorCount, cpuModel: model, memoryBytes: info.physicalMemory,
            os: info.operatingSystemVersionString,
            toolchain: command(["swift", "--version"])?.split(separator: "\n").first.map(String.init) ?? "unknown",
            commit: command(["git", "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown",
            dirty: command(["git", "status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false,
            date: formatter.string(from: Date()))
    }

    /// The standard output of `arguments` run through `/usr/bin/env`, or nil if it failed.
    private static func command(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    var json: OrderedJSON {
        .object([
            ("cores", .int(cores)), ("cpu_model", .string(cpuModel)), ("memory_bytes", .int(Int64(memoryBytes))), ("os", .string(os)),
        ])
    }
}
