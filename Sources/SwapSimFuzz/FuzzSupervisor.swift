import Foundation

/// Runs a campaign in worker processes, so that a crash ends a worker, not the run: the
/// supervisor records the crash with its input (regenerated from the iteration, which the
/// worker's current-input file names), saves it, and starts a new worker at the next iteration.
///
/// A worker runs the in-process harness over a range of iterations and writes one line per
/// input to its standard output, unbuffered, so nothing it did before a crash is lost:
/// `R<TAB>iteration<TAB>kind<TAB>error kind or -<TAB>simulations<TAB>seconds<TAB>rss<TAB>input`.
public final class FuzzSupervisor {
    let campaign: FuzzCampaign
    let executable: URL
    /// The worker's command line for iterations `first..<first + count`.
    let workerArguments: (_ first: Int, _ count: Int) -> [String]

    /// The command line that replays one saved input in a fresh process (for its backtrace).
    let replayArguments: (_ file: String) -> [String]
    /// Where each crash site was found, by phase: a crash is replayed with a backtrace only the
    /// first time its phase is seen (symbolicating takes about a second).
    private var sites: [String: String] = [:]

    public init(
        campaign: FuzzCampaign, executable: URL, workerArguments: @escaping (Int, Int) -> [String],
        replayArguments: @escaping (String) -> [String]
    ) {
        self.campaign = campaign
        self.executable = executable
        self.workerArguments = workerArguments
        self.replayArguments = replayArguments
    }

    /// One worker's line for an input.
    public static func line(iteration: Int, input: String, kind: String, outcome: FuzzOutcome, seconds: Double, rss: Int) -> String {
        "R\t\(iteration)\t\(kind)\t\(outcome.errorKind ?? "-")\t\(outcome.simulations)\t\(seconds)\t\(rss)\t\(input)\n"
    }

    /// Runs every iteration of the campaign; `progress` is called every `every` inputs.
    public func run(every: Int = 10_000, progress: ((FuzzStatistics) -> Void)? = nil) throws -> FuzzStatistics {
        let c = campaign.configuration
        var stats = FuzzStatistics(seed: c.seed)
        let started = ResourceUsage.now()
        var next = c.firstIteration
        let end = c.firstIteration + c.iterations
        let errURL = URL(fileURLWithPath: c.current.path + ".stderr")
        while next < end {
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let process = Process()
            process.executableURL = executable
            process.arguments = workerArguments(next, end - next)
            // Workers crash without the runtime's backtrace (a second each); the first crash of a
            // phase is replayed with one to find where it trapped.
            process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = try FileHandle(forWritingTo: errURL)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var pending = Data()
            var last = next - 1
            let reader = pipe.fileHandleForReading
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...nl)
                    let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                    guard f.count == 8, f[0] == "R", let i = Int(f[1]), let sims = Int(f[4]), let seconds = Double(f[5]), let rss = Int(f[6]) else { continue }
                    stats.record(
                        iteration: i, input: String(f[7]), kind: String(f[2]), errorKind: f[3] == "-" ? nil : String(f[3]), simulations: sims,
                        seconds: seconds, rss: rss)
                    if seconds > c.timeLimit {
                        stats.findings.append(FuzzFinding(
                            kind: .hang, iteration: i, input: String(f[7]), phase: "the whole input",
                            detail: "took \(FuzzStatistics.seconds(seconds)) s, over the \(c.timeLimit) s budget",
                            saved: campaign.save(campaign.input(at: i), "hang-\(i)")))
                    }
                    last = i
                    if stats.inputs % every == 0 { progress?(stats) }
                }
            }
            process.waitUntilExit()
            if process.terminationReason == .exit && process.terminationStatus == 0 { break }
            // The worker died at the input after the last it reported.
            let failed = last + 1
            let input = campaign.input(at: failed)
            let phase = (try? String(contentsOfFile: c.current.path + ".phase", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            let stderr = String(decoding: (FileManager.default.contents(atPath: errURL.path) ?? Data()).suffix(600), as: UTF8.self)
            let kind: FuzzFinding.Kind
            let detail: String
            switch (process.terminationReason, process.terminationStatus) {
            case (.exit, FuzzConfiguration.hangExitStatus): (kind, detail) = (.hang, "stopped by the watchdog after \(Int(c.hardTimeLimit)) s")
            case (.exit, FuzzConfiguration.memoryExitStatus): (kind, detail) = (.memory, stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            case (.exit, let status): throw FuzzError.workerFailed("a worker exited with status \(status) at iteration \(failed): \(stderr)")
            case (_, let signal): (kind, detail) = (.crash, "signal \(signal)\(Self.signalName(signal))")
            }
            stats.record(iteration: failed, input: campaign.describe(input), kind: input.kind.rawValue, errorKind: "(\(kind.rawValue))", simulations: 0, seconds: 0, rss: 0)
            let saved = campaign.save(input, "\(kind.rawValue)-\(failed)")
            var where_ = ""
            if kind == .crash, let saved {
                if sites[phase] == nil { sites[phase] = locate(saved) }
                where_ = "; " + (sites[phase] ?? "")
            }
            stats.findings.append(FuzzFinding(kind: kind, iteration: failed, input: campaign.describe(input), phase: phase, detail: detail + where_, saved: saved))
            next = failed + 1
        }
        stats.wallSeconds = Double(ResourceUsage.now() - started) / 1e9
        return stats
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case 4: return " (SIGILL: a Swift trap)"
        case 5: return " (SIGTRAP: a Swift trap)"
        case 6: return " (SIGABRT)"
        case 9: return " (SIGKILL: out of memory?)"
        case 11: return " (SIGSEGV)"
        default: return ""
        }
    }

    /// Replays the saved input `file` in a fresh process with the runtime's backtrace on, and
    /// returns where it trapped: the failure and the first frame in the project's sources.
    func locate(_ file: String) -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = replayArguments(file)
        let err = URL(fileURLWithPath: campaign.configuration.current.path + ".replay-stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try? FileHandle(forWritingTo: err)
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no"]) { $1 }
        guard (try? process.run()) != nil else { return "not replayed" }
        process.waitUntilExit()
        return Self.trapSite(String(decoding: FileManager.default.contents(atPath: err.path) ?? Data(), as: UTF8.self))
    }

    /// From a Swift backtrace: the runtime failure (`arithmetic overflow`) and the first frame
    /// in `Sources/`, such as `Batcher.enqueue(_:at:into:) at Sources/SwapSimCore/Serving/Batcher.swift:164`.
    static func trapSite(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var failure = lines.first { $0.contains("Swift runtime failure:") || $0.contains("Fatal error:") }.map { String($0) } ?? "no runtime message"
        failure = failure.replacingOccurrences(of: "*** ", with: "").replacingOccurrences(of: " ***", with: "")
        guard let frame = lines.first(where: { $0.contains("/Sources/") && !$0.contains("Swift runtime failure") }),
            let at = frame.range(of: " at "), let src = frame.range(of: "/Sources/")
        else { return failure }
        let function = frame[..<at.lowerBound].split(separator: " ").dropFirst(2).filter { !$0.hasPrefix("0x") && !$0.hasPrefix("[") }.prefix(1).joined()
        var location = String(frame[src.lowerBound...].dropFirst())
        if let col = location.range(of: ":[0-9]+$", options: .regularExpression), location[..<col.lowerBound].contains(":") { location = String(location[..<col.lowerBound]) }
        return "\(failure) in \(function) at \(location)"
    }
}
