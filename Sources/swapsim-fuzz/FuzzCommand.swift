import ArgumentParser
import Foundation
import SwapSimFuzz

/// `swapsim-fuzz`: seeded mutations of the shipped inputs through every parser and the simulator.
@main
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swapsim-fuzz",
        abstract: "Fuzz swapsim's parsers and simulator with seeded mutations of its traces, scenarios and calibration profiles.",
        discussion: """
            Iteration i mutates a seed input chosen by the random stream fuzz/i of --seed, so any \
            iteration can be replayed alone. Each input is written to --current before it runs, so a \
            crash leaves it behind. By default inputs run in worker processes: a worker that crashes \
            is replaced and the crash recorded with its input (saved into --out); --in-process runs \
            them in this process, where a crash ends the run. The exit status is 1 when any input \
            crashed, ran past --time-limit, or took resident memory past --memory-limit.
            """
    )

    @Option(help: "Seed of the mutations.")
    var seed: UInt64 = 1

    @Option(help: "Inputs to run.")
    var iterations: Int = 10_000

    @Option(help: "The first iteration (to resume or replay a range).")
    var first: Int = 0

    @Option(name: .customLong("time-limit"), help: "Seconds an input may take; longer is a hang.")
    var timeLimit: Double = 5

    @Option(name: .customLong("memory-limit"), help: "Resident memory the harness may reach, in MiB.")
    var memoryLimit: Int = 1024

    @Option(help: "A folder of extra seed inputs named NAME.KIND[+VARIANT].EXT (repeatable).")
    var corpus: [String] = []

    @Option(help: "Folder to save failing inputs into (default: fuzz-out).")
    var out: String = "fuzz-out"

    @Option(help: "The swapsim checkout whose scenarios/, traces/ and Tests/FuzzCorpus/seeds/ are the seeds (default: found from here).")
    var root: String?

    @Option(help: "File the current input is written to before it runs (default: $TMPDIR/swapsim-fuzz-current).")
    var current: String?

    @Flag(name: .customLong("no-simulate"), help: "Run the parsers only.")
    var noSimulate = false

    @Flag(name: .customLong("in-process"), help: "Run every input in this process: a crash ends the run.")
    var inProcess = false

    @Option(help: "Run one input file (NAME.KIND[+VARIANT].EXT) and print its outcome.")
    var replay: String?

    @Flag(help: "Print the statistics as JSON (schema swapsim.fuzz/1) on standard output.")
    var json = false

    @Option(help: "Worker processes running at once (each takes an equal share of the iterations; the figures are the same for any number).")
    var jobs: Int = 1

    @Flag(help: .hidden)
    var worker = false

    func validate() throws {
        if iterations < 0 || first < 0 { throw ValidationError("--iterations and --first must not be negative") }
        if !(timeLimit > 0) { throw ValidationError("--time-limit must be positive") }
        if memoryLimit < 64 { throw ValidationError("--memory-limit must be at least 64 (MiB)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let rootURL = try checkout()
        var c = FuzzConfiguration()
        c.seed = seed
        c.firstIteration = first
        c.iterations = iterations
        c.timeLimit = timeLimit
        c.memoryLimit = memoryLimit << 20
        c.simulate = !noSimulate
        c.out = URL(fileURLWithPath: out)
        if let current { c.current = URL(fileURLWithPath: current) }
        let work = URL(fileURLWithPath: c.current.path + ".work")
        let harness = try FuzzHarness(root: rootURL, work: work, simulate: c.simulate)

        if let replay {
            guard let (kind, variant) = FuzzInput.kindAndVariant(ofFileName: URL(fileURLWithPath: replay).lastPathComponent),
                let data = FileManager.default.contents(atPath: replay)
            else { throw ValidationError("--replay \(replay): expected a readable file named NAME.KIND[+VARIANT].EXT") }
            print(FuzzCampaign.replay(FuzzInput(kind: kind, variant: variant, bytes: Array(data), name: replay), harness: harness, configuration: c).verdict)
            return
        }

        let seeds = try FuzzCorpus.load(root: rootURL, extraFolders: corpus.map { URL(fileURLWithPath: $0) })
        let campaign = FuzzCampaign(corpus: seeds, configuration: c)
        var stats: FuzzStatistics
        if worker {
            _ = campaign.run(harness: harness) { i, input, outcome, seconds, rss in
                let line = FuzzSupervisor.line(iteration: i, input: campaign.describe(input), kind: input.kind.rawValue, outcome: outcome, seconds: seconds, rss: rss)
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            return
        } else if inProcess {
            stats = campaign.run(harness: harness)
        } else {
            stats = try supervise(seeds, c, root: rootURL)
        }
        for f in stats.findings { FileHandle.standardError.write(Data((f.line + "\n").utf8)) }
        FileHandle.standardError.write(Data((stats.summaryLine + "\n").utf8))
        if json { print(stats.json, terminator: "") }
        if stats.failed { throw ExitCode(1) }
    }

    /// Runs the iterations in `--jobs` worker processes at once, each over an equal share
    /// (its own current-input file), and adds up their figures.
    func supervise(_ seeds: FuzzCorpus, _ c: FuzzConfiguration, root: URL) throws -> FuzzStatistics {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let exe = FileManager.default.isExecutableFile(atPath: me.path) ? me : URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let share = (c.iterations + jobs - 1) / jobs
        let results = JobResults(count: jobs)
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            var jc = c
            jc.firstIteration = c.firstIteration + job * share
            jc.iterations = max(0, min(share, c.firstIteration + c.iterations - jc.firstIteration))
            if jobs > 1 { jc.current = URL(fileURLWithPath: c.current.path + ".job\(job + 1)") }
            let supervisor = FuzzSupervisor(campaign: FuzzCampaign(corpus: seeds, configuration: jc), executable: exe) { first, count in
                var args = [
                    "--worker", "--seed", "\(seed)", "--first", "\(first)", "--iterations", "\(count)", "--time-limit", "\(timeLimit)",
                    "--memory-limit", "\(memoryLimit)", "--out", out, "--root", root.path, "--current", jc.current.path,
                ]
                for folder in corpus { args += ["--corpus", folder] }
                if noSimulate { args.append("--no-simulate") }
                return args
            } replayArguments: { file in
                ["--replay", file, "--root", root.path, "--current", jc.current.path + ".replay"] + (noSimulate ? ["--no-simulate"] : [])
            }
            results.set(job, Result {
                try supervisor.run { s in
                    FileHandle.standardError.write(Data("swapsim-fuzz: job \(job + 1): \(s.inputs) inputs, \(s.findings.count) findings, max RSS \(s.maxRSS >> 20) MiB\n".utf8))
                }
            })
        }
        var total = FuzzStatistics(seed: c.seed)
        for r in results.all { total.merge(try r!.get()) }
        return total
    }

    /// The checkout: `--root`, else the working directory or an ancestor of the executable
    /// holding `scenarios/demo.yaml`.
    func checkout() throws -> URL {
        if let root { return URL(fileURLWithPath: root) }
        let fm = FileManager.default
        if fm.fileExists(atPath: "scenarios/demo.yaml") { return URL(fileURLWithPath: fm.currentDirectoryPath) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if fm.fileExists(atPath: url.appendingPathComponent("scenarios/demo.yaml").path) { return url }
            url = url.deletingLastPathComponent()
        }
        throw ValidationError("cannot find the swapsim checkout (scenarios/demo.yaml); run from it or pass --root")
    }
}

/// The jobs' results, each written by its own job.
final class JobResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<FuzzStatistics, any Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<FuzzStatistics, any Error>) { lock.withLock { results[i] = r } }
    var all: [Result<FuzzStatistics, any Error>?] { lock.withLock { results } }
}
