import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension PlanFormat: ExpressibleByArgument {}

/// `swapsim plan`: the cheapest configuration per strategy that meets the SLO, and the
/// cost-versus-latency frontier.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the cheapest configuration per strategy that meets the scenario's SLO, and the cost-vs-p99-TTFT frontier.",
        discussion: """
            The search space comes from the scenario's `plan:` section and these flags (a flag replaces the \
            section's value). Per chain (strategy × GPU type × the strategy's grids) the GPU count is searched by \
            galloping (1, 2, 4, …), bisection and a check of the counts just below. The GPU count is the strategy's \
            pool, on as many nodes of the scenario's shape as it needs. Results are identical for any --threads.

            With --db FILE every evaluation is looked up in that results database before simulating and stored \
            after, keyed by the scenario's and trace's SHA-256, the configuration and the seed: a re-run or a \
            widened search reuses what is there, and stderr says how many were simulated and how many reused. \
            To plan on several machines, run `--shard K/N --db shard-K.db` for K = 1…N, combine the databases \
            with `swapsim merge --out all.db shard-*.db`, then run the plan once more with `--db all.db`: it \
            simulates nothing and prints the plan a single machine would.

            Examples:
              swapsim plan --scenario scenarios/demo.yaml --trace traces/demo.csv \\
                 --slo-ttft 2s --slo-p99 5s
              swapsim plan --scenario scenarios/azure-conv-20-models.yaml \\
                 --trace conv.csv --model-mix zipf:1 --gpu-types H100-SXM,L40S \\
                 --max-gpus 32 --report out/
            """
    )

    @Option(help: "Scenario file (YAML), optionally with a `plan:` section.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @Option(help: "Trace file (or ServeGen folder): any format --trace-format reads.", completion: .file())
    var trace: String

    @OptionGroup(title: "Trace input") var traceFlags: TraceFlags

    @Option(parsing: .unconditional, help: "Seed of the first replication's trace filling (model assignment, token lengths); replication i uses seed + i.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Replications: seeds per configuration. Feasible means every replication meets the SLO.")
    var replications: Int?

    @Option(name: .customLong("strategies"), help: "Comma-separated strategies to plan (default: all three).")
    var strategies: String?

    @Option(name: .customLong("gpu-types"), help: "Comma-separated catalogue GPU names (default: the scenario's GPU).")
    var gpuTypes: String?

    @Option(name: .customLong("max-gpus"), parsing: .unconditional, help: "Most GPUs a configuration may use (default 64).")
    var maxGPUs: Int?

    @Option(parsing: .unconditional, help: "Most a configuration may cost, in $ per month (730 hours).")
    var budget: Double?

    @Option(name: .customLong("swap-space"), help: "Comma-separated host swap space per node to try (hot-swap), e.g. 512GiB,1TiB.")
    var swapSpace: String?

    @Option(name: .customLong("keep-alive"), help: "Comma-separated keep-alive windows to try (scale-to-zero), e.g. 1m,5m.")
    var keepAlive: String?

    @Option(name: .customLong("idle-timeout"), help: "Comma-separated idle timeouts to try (hot-swap), e.g. 30s,2m,never.")
    var idleTimeout: String?

    @Option(help: "Comma-separated eviction policies to try (hot-swap): lru, lfu, largest.")
    var eviction: String?

    @Option(name: .customLong("slo-ttft"), help: ArgumentHelp("TTFT target, in place of the scenario's slo.ttft (and every model's own), e.g. 5s.", valueName: "DURATION"))
    var sloTTFT: String?

    @Option(name: .customLong("slo-attainment"), help: ArgumentHelp("Share of requests that must meet the TTFT target, in place of slo.attainment, e.g. 0.99.", valueName: "SHARE"))
    var sloAttainment: String?

    @Option(name: .customLong("slo-p99"), help: ArgumentHelp("p99 TTFT target, in place of slo.ttft_percentiles.p99 (other percentile targets are kept), e.g. 5s.", valueName: "DURATION"))
    var sloP99: String?

    @Option(help: "Evaluate only shard K of N (chains whose index mod N is K-1), for running a plan on several machines.")
    var shard: String?

    @Option(parsing: .unconditional, help: "Simulations to run at once (default: every core). Results do not depend on it.")
    var threads: Int = FanOut.defaultThreads

    @Option(help: "Output format: table, json or markdown.")
    var format: PlanFormat = .table

    @Option(help: "Cache evaluations in this SQLite results database (created if missing): reuse the ones it holds, store the rest.", completion: .file(extensions: ["db"]))
    var db: String?

    @OptionGroup(title: "Progress") var progressFlag: ProgressFlag

    @Option(help: "Write plan.md, plan.json and plan.html (a self-contained page with the cost-vs-p99-TTFT chart) into this folder.", completion: .directory)
    var report: String?

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var identity: (scenarioText: String, scenarioHash: String, traceHash: String)?
        let result = try reportingErrors { () throws -> PlanResult in
            let shard = try parsedShard()
            if let report { try ReportFiles.checkWritable(directory: report, names: PlanReportFiles.names) }
            let (fileScenario, section, text) = try ScenarioLoader.loadForPlanning(path: self.scenario)
            let slo = try planFlags.sloOverride()
            let scenario = slo.applied(to: fileScenario)
            let flags = try planFlags.section()
            let merged = (section ?? PlanSection()).overridden(by: flags)
            let space: PlanSpace
            do throws(PlanValueError) { space = try merged.resolve(scenario: scenario) } catch {
                throw CLIError(PlanFlags.describe(error, fromFlags: flags, scenarioFile: self.scenario))
            }
            // SLO flags change what an evaluation counts as meeting the SLO: they join the cache key.
            let scenarioHash = slo.isEmpty ? SHA256.hex(text) : SHA256.hex(text + "\n# swapsim plan SLO flags\n" + slo.canonical)
            let traceInput = try traceFlags.options(seed: seed)
            let cache = try evaluationCache()
            // Hashing reads the whole trace: once, and only for a cache or a report.
            let traceHash = cache != nil || report != nil ? try Planner.traceHash(path: trace, options: traceInput) : nil
            if report != nil, let traceHash { identity = (text, SHA256.hex(text), traceHash) }
            var inputs = Planner.Inputs(
                scenario: scenario, scenarioHash: scenarioHash, tracePath: trace, traceDisplay: DemoLocator.display(trace),
                traceInput: traceInput, replications: merged.replications ?? 1)
            inputs.traceHash = traceHash
            if let shard, cache == nil {
                Terminal.note("note: --shard \(shard.description) without a results store keeps no evaluations; this output covers the shard's chains only")
            }
            let meter = progressFlag.line("plan", unit: .items("evaluations"))
            defer { meter.finish() }
            let result = try Planner.run(
                inputs, space: space, shard: shard, threads: threads, cache: cache,
                progress: { p in
                    meter.update(
                        done: Int64(p.finished), total: Int64(p.knownTotal),
                        detail: "round \(p.round)" + (p.fromCache > 0 ? ", \(p.fromCache) from cache" : "") + "; later rounds add to the total")
                },
                notice: { Terminal.note($0) })
            meter.finish()
            if let db {
                let s = result.statistics
                Terminal.note("plan: \(s.evaluations) evaluation\(s.evaluations == 1 ? "" : "s"): \(s.simulated) simulated, \(s.cacheHits) reused from \(db)")
            }
            return result
        }
        Terminal.out(result.render(format))
        guard let report, let identity else { return }
        try reportingErrors {
            let planReport = PlanReport(
                result: result, scenarioPath: DemoLocator.display(self.scenario), scenarioText: identity.scenarioText,
                scenarioHash: identity.scenarioHash, traceHash: identity.traceHash, toolVersion: SwapSimVersion.string,
                command: RunReport.reproducingCommand(Array(CommandLine.arguments.dropFirst())))
            let paths = try PlanReportFiles.write(planReport, to: report)
            Terminal.note("wrote \(paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")) to \(report)")
        }
    }

    /// Where evaluations are cached between runs: the results store named by `--db`, if any.
    func evaluationCache() throws -> (any PlanEvaluationCache)? {
        guard let db else { return nil }
        return try ResultsStore(path: db)
    }

    func parsedShard() throws -> PlanShard? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw CLIError("--shard \(shard): expected K/N, e.g. 1/4")
        }
        guard let s = PlanShard(index: k, count: n) else {
            throw CLIError("--shard \(shard): K must be between 1 and N (shards are numbered 1 to N)")
        }
        return s
    }

    /// The flags' texts, for SwapSimIO to map onto the `plan:` section and the SLO.
    var planFlags: PlanFlags {
        var f = PlanFlags()
        f.strategies = strategies
        f.gpuTypes = gpuTypes
        f.maxGPUs = maxGPUs
        f.budget = budget
        f.swapSpace = swapSpace
        f.keepAlive = keepAlive
        f.idleTimeout = idleTimeout
        f.eviction = eviction
        f.replications = replications
        f.sloTTFT = sloTTFT
        f.sloAttainment = sloAttainment
        f.sloP99 = sloP99
        return f
    }
}
