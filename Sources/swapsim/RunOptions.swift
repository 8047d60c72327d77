import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

/// Options shared by `simulate` and `compare`.
struct RunOptions: ParsableArguments {
    @Option(help: "Scenario file (YAML). Default with --trace omitted too: the shipped demo.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String?

    @Option(help: "Trace file (or ServeGen folder): any format --trace-format reads.", completion: .file())
    var trace: String?

    @OptionGroup(title: "Trace input") var traceFlags: TraceFlags

    @Option(parsing: .unconditional, help: "Seed of every random stream: filling what a trace lacks (recorded in the output).")
    var seed: UInt64 = 1

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @Option(parsing: .unconditional, help: "Simulations to run at once (one per strategy; default: every core; 1 runs them one after another). Results do not depend on it.")
    var threads: Int = FanOut.defaultThreads

    @Option(help: "Store the run in this SQLite results database (created if missing). Without --db, runs are not stored.", completion: .file(extensions: ["db"]))
    var db: String?

    @Flag(help: "With --db, also store every request's outcome (a row per request and strategy).")
    var storeRequests = false

    @Option(help: "Write report.md, report.csv, report.json and report.html into this folder.", completion: .directory)
    var report: String?

    @OptionGroup(title: "Progress") var progressFlag: ProgressFlag

    @Flag(help: "Also print a table per strategy of how each model fared (table and markdown formats; JSON always has it).")
    var perModel = false

    func validate() throws {
        if (scenario == nil) != (trace == nil) {
            throw ValidationError("give both --scenario and --trace, or neither to run the shipped demo")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if storeRequests && db == nil { throw ValidationError("--store-requests needs --db FILE to store them in") }
    }

    /// The scenario and trace paths, falling back to the shipped demo.
    func paths() throws -> (scenario: String, trace: String) {
        if let s = scenario, let t = trace { return (s, t) }
        guard let root = DemoLocator.projectRoot() else {
            throw CLIError("cannot find the shipped demo (scenarios/demo.yaml); run from the swapsim checkout or pass --scenario and --trace")
        }
        return (root + "/scenarios/demo.yaml", root + "/traces/demo.csv")
    }

    /// The progress line of a run over `strategies` strategies, or nil when none is shown.
    func progressMeter(strategies: Int, tracePath: String) -> ProgressLine? {
        let label = "simulating \(strategies) strateg\(strategies == 1 ? "y" : "ies") over \(DemoLocator.display(tracePath))"
        let line = progressFlag.line(label, unit: .bytes)
        return line.mode == .off ? nil : line
    }

    /// What the runner calls to report progress on `meter`.
    static func reporter(_ meter: ProgressLine) -> @Sendable (Int64, Int64?, Int64) -> Void {
        { done, total, requests in meter.update(done: done, total: total, detail: ProgressLine.count(requests, "requests")) }
    }

    /// Loads, runs and prints; stores the run with `--db` and writes the report with `--report`.
    func run(strategies choice: StrategyChoice) throws {
        let (scenarioPath, tracePath) = try paths()
        // The outputs are checked before the run, so a bad path fails before the table is printed.
        let store = try reportingErrors { () throws -> ResultsStore? in
            if let report { try ReportFiles.checkWritable(directory: report, names: ReportFiles.names) }
            return try db.map { try ResultsStore(path: $0) }
        }
        let (summary, scenario) = try reportingErrors {
            let s = try ScenarioLoader.load(path: scenarioPath)
            let strategies = choice.kinds(for: s)
            let input = try traceFlags.options(seed: seed)
            let meter = progressMeter(strategies: strategies.count, tracePath: tracePath)
            defer { meter?.finish() }
            let (outcomes, report) = try Runner.run(
                scenario: s, tracePath: tracePath, input: input, strategies: strategies, threads: threads, recordRequests: storeRequests,
                progress: meter.map(Self.reporter))
            meter?.finish()
            if strategies.count == 1, case let .failure(e) = outcomes[0] { throw e }
            var summary = RunSummary(scenario: s.name, trace: DemoLocator.display(tracePath), seed: seed, outcomes: Array(zip(strategies, outcomes)))
            summary.traceInput = report
            return (summary, s)
        }
        Terminal.out(summary.render(format))
        if perModel && format == .table { Terminal.out(summary.perModelTable()) }
        if perModel && format == .markdown { Terminal.out(summary.perModelMarkdown()) }
        guard db != nil || report != nil else { return }
        try reportingErrors {
            var arguments = Array(CommandLine.arguments.dropFirst())
            if self.scenario == nil {
                arguments += ["--scenario", DemoLocator.display(scenarioPath), "--trace", DemoLocator.display(tracePath)]
            }
            let runReport = try RunReport.make(
                summary: summary, scenario: scenario, scenarioPath: DemoLocator.display(scenarioPath), tracePath: tracePath,
                toolVersion: SwapSimVersion.string, command: RunReport.reproducingCommand(arguments))
            if let db, let store {
                let id = try store.save(runReport, duringTransaction: StoreTestHook.fromEnvironment())
                Terminal.note("stored run \(id) in \(db)")
            }
            if let report {
                try ReportFiles.write(runReport, to: report)
                Terminal.note("wrote \(ReportFiles.names.joined(separator: ", ")) to \(report)")
            }
        }
    }
}

/// A test seam: with `SWAPSIM_TEST_STORE_PAUSE=FILE` in the environment, storing a run creates
/// FILE inside the write transaction (after the run's row, before its results) and then waits
/// `SWAPSIM_TEST_STORE_PAUSE_SECONDS` (default 3600) before going on. The store tests use it to
/// kill a writer mid-transaction, and to hold the write lock while a second process writes.
enum StoreTestHook {
    static func fromEnvironment() -> (() -> Void)? {
        let env = ProcessInfo.processInfo.environment
        guard let marker = env["SWAPSIM_TEST_STORE_PAUSE"], !marker.isEmpty else { return nil }
        let seconds = env["SWAPSIM_TEST_STORE_PAUSE_SECONDS"].flatMap(Double.init) ?? 3600
        return {
            _ = FileManager.default.createFile(atPath: marker, contents: Data("paused\n".utf8))
            Thread.sleep(forTimeInterval: seconds)
        }
    }
}

/// A failure the CLI reports as one line on stderr with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs `body`, turning the project's errors into one clear line on stderr and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as CustomStringConvertible {
        // Every error of the project (CLIError, ScenarioFileError, TraceError, ScenarioError…)
        // describes itself in one sentence naming the file and line or key.
        Terminal.note("error: \(e.description)")
    }
    throw ExitCode(1)
}

/// Finds the shipped demo files.
enum DemoLocator {
    /// The checkout holding `scenarios/demo.yaml`: the working directory, or an ancestor of the executable.
    static func projectRoot() -> String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: "scenarios/demo.yaml") { return "." }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if fm.fileExists(atPath: url.appendingPathComponent("scenarios/demo.yaml").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// A path as shown in output: relative paths stay as given, `./` dropped.
    static func display(_ path: String) -> String { path.hasPrefix("./") ? String(path.dropFirst(2)) : path }
}
