import Foundation
import SwapSimCore
import Synchronization

/// Runs a capacity plan over a trace file: loads each replication's trace into memory once (or,
/// past a limit, has each simulation read the file), then evaluates the search's rounds in
/// parallel, through an optional evaluation cache.
public enum Planner {
    /// What a plan runs over besides the search space.
    public struct Inputs: Sendable {
        /// The scenario, already loaded and validated.
        public var scenario: Scenario
        /// SHA-256 of the scenario file's text (part of every cache key).
        public var scenarioHash: String
        public var tracePath: String
        /// The trace as shown in output.
        public var traceDisplay: String
        /// How to read the trace; its `seed` is the first replication's.
        public var traceInput: TraceInputOptions
        /// Replications: seeds `traceInput.seed`, +1, … (at least 1).
        public var replications: Int
        /// The trace's part of the cache keys (``Planner/traceHash(path:options:)``), when the
        /// caller has computed it already; otherwise it is computed if a cache needs it.
        public var traceHash: String? = nil
        /// Requests held in memory over all replications; past it, each simulation reads the
        /// trace file again instead (``Planner/defaultHeldRequestLimit``).
        public var heldRequestLimit = Planner.defaultHeldRequestLimit

        public init(
            scenario: Scenario, scenarioHash: String, tracePath: String, traceDisplay: String, traceInput: TraceInputOptions,
            replications: Int = 1
        ) {
            self.scenario = scenario
            self.scenarioHash = scenarioHash
            self.tracePath = tracePath
            self.traceDisplay = traceDisplay
            self.traceInput = traceInput
            self.replications = replications
        }

        /// The seeds of the replications.
        public var seeds: [UInt64] { (0..<UInt64(max(1, replications))).map { traceInput.seed &+ $0 } }
    }

    /// Requests a plan holds in memory by default, over all replications: 2^25, 1.25 GiB at
    /// 40 bytes a request. A longer trace (a year at 10 requests/s is 315 M) is read from its
    /// file by each simulation, so a plan's memory is that of its simulations.
    public static let defaultHeldRequestLimit = 1 << 25

    /// Bytes of latency samples one simulation keeps per request at most (``MetricsCollector``'s
    /// 28, and room for its arrays' growth), for sizing how many run at once on a streamed trace.
    static let sampleBytesPerRequest = 48

    /// Progress of a plan: evaluations finished in this run, and of those from the cache.
    public struct Progress: Sendable {
        public var round: Int
        public var finished: Int
        public var fromCache: Int
        /// Evaluations finished before this round plus this round's: the total known so far.
        /// The count search decides each round from the last, so later rounds add to it.
        public var knownTotal: Int
    }

    /// Plans `space` over `inputs`.
    ///
    /// - Parameters:
    ///   - shard: evaluate only this shard's chains (their evaluations go to `cache`).
    ///   - threads: simulations at once (at least 1). The result does not depend on it.
    ///   - cache: where evaluations are looked up before simulating and stored after.
    ///   - progress: called after each evaluation, one call at a time, from any thread.
    ///   - notice: told once, before simulating, when the trace is too long to hold in memory.
    /// - Throws: ``TraceError`` for the trace, or whatever the cache throws.
    public static func run(
        _ inputs: Inputs, space: PlanSpace, shard: PlanShard? = nil, threads: Int,
        cache: (any PlanEvaluationCache)? = nil, progress: (@Sendable (Progress) -> Void)? = nil,
        notice: ((String) -> Void)? = nil
    ) throws -> PlanResult {
        let seeds = inputs.seeds
        let (traces, advice, space, requestCount) = try prepare(inputs, space: space)
        var threads = threads
        if traces.isStreamed {
            // Each simulation keeps a few samples per request (``MetricsCollector``): as many at
            // once as fit in half the machine's memory, so a year's trace plans where it simulates.
            let perSimulation = UInt64(requestCount) * UInt64(Self.sampleBytesPerRequest)
            let fitting = Int(min(UInt64(Int.max), ProcessInfo.processInfo.physicalMemory / 2 / max(1, perSimulation)))
            var note = "note: \(requestCount) requests are read from the trace file by each simulation, not held in memory"
            if fitting < threads {
                threads = max(1, fitting)
                note += "; \(threads) simulation\(threads == 1 ? "" : "s") at a time fit in half of this machine's memory"
            }
            notice?(note)
        }
        // The trace's part of each cache key: hashing reads the whole trace, so only with a cache.
        let traceHash = cache == nil ? "" : try inputs.traceHash ?? Self.traceHash(path: inputs.tracePath, options: inputs.traceInput)
        let base = inputs.scenario
        let counters = Locked(PlanStatistics())
        var round = 0
        let evaluate: ([PlanSearch.Task]) throws -> [PlanEvaluation] = { tasks in
            round += 1
            let currentRound = round
            let knownTotal = counters.withLock { $0.cacheHits + $0.simulated } + tasks.count
            let outcomes = FanOut.map(count: tasks.count, threads: threads) { i -> Result<PlanEvaluation, any Error> in
                let t = tasks[i]
                let outcome = Result { () throws -> (PlanEvaluation, Bool?) in
                    let key = PlanEvaluationKey(
                        scenarioHash: inputs.scenarioHash, traceHash: traceHash, configuration: t.configuration.canonical, seed: t.seed)
                    return try Self.evaluate(t, base: base, traces: traces, cache: cache.map { ($0, key) })
                }
                counters.withLock { s in
                    if case let .success((_, hit)) = outcome {
                        if hit == true { s.cacheHits += 1 } else { s.simulated += 1 }
                        if hit == false { s.cacheMisses += 1 }
                    }
                    progress?(Progress(round: currentRound, finished: s.cacheHits + s.simulated, fromCache: s.cacheHits, knownTotal: knownTotal))
                }
                return outcome.map(\.0)
            }
            return try outcomes.map { try $0.get() }
        }
        var result = try PlanSearch.run(
            base: base, space: space, seeds: seeds, trace: inputs.traceDisplay, requests: requestCount, shard: shard,
            evaluate: evaluate)
        result.advice = advice
        let s = counters.withLock { $0 }
        result.statistics.simulated = s.simulated
        result.statistics.cacheHits = s.cacheHits
        result.statistics.cacheMisses = s.cacheMisses
        return result
    }

    /// Reads the trace (``PlanTraces``) and what its first replication's traffic suggests:
    /// replicas per model sized for each GPU type, and the tier splits a mixed pool is searched
    /// over. The traffic profile (a gap per request) is dropped here, before any simulation.
    static func prepare(_ inputs: Inputs, space: PlanSpace) throws -> (PlanTraces, PlanAdvice, PlanSpace, requests: Int) {
        let (traces, traffic) = try PlanTraces.load(inputs, models: inputs.scenario.models.map(\.name))
        let advice = TierAdvisor.advise(scenario: inputs.scenario, traffic: traffic)
        var space = space
        if space.tierSplits.isEmpty { space.tierSplits = advice.splits }
        if space.sizeReplicas {
            for i in space.gpuTypes.indices {
                var s = inputs.scenario
                s.cluster.gpu = space.gpuTypes[i].spec
                let sized = TierAdvisor.advise(scenario: s, traffic: traffic).models.map(\.replicas)
                // Only when the load needs more than the scenario gives: plans that fit keep their keys.
                if zip(sized, inputs.scenario.models).contains(where: { $0.0 > ($0.1.replicas ?? 1) }) { space.gpuTypes[i].modelReplicas = sized }
            }
        }
        return (traces, advice, space, traffic.requests)
    }

    /// One evaluation, through the cache under its key: the result and whether it was a hit
    /// (nil: no cache).
    static func evaluate(
        _ t: PlanSearch.Task, base: Scenario, traces: PlanTraces, cache: (store: any PlanEvaluationCache, key: PlanEvaluationKey)?
    ) throws -> (PlanEvaluation, Bool?) {
        if let cache, let text = try cache.store.evaluation(forKey: cache.key), let e = PlanEvaluationCodec.decode(text), e.seed == t.seed {
            return (e, true)
        }
        let e = try traces.evaluate(t.configuration, base: base, seed: t.seed)
        guard let cache else { return (e, nil) }
        try cache.store.storeEvaluation(PlanEvaluationCodec.encode(e), forKey: cache.key)
        return (e, false)
    }

    /// The trace part of a cache key: SHA-256 over the trace's content (every file of a
    /// ServeGen folder, by name; any `empirical:FILE` token-length file) and the canonical
    /// text of the input options that shape the requests, except the seed (which the key
    /// holds on its own).
    public static func traceHash(path: String, options o: TraceInputOptions) throws -> String {
        let content: String
        do { content = try SHA256.hex(traceAt: path) } catch { throw TraceError.unreadable(file: path, reason: "no such file or not readable") }
        // Token lengths drawn from an empirical file depend on that file's content too.
        var empirical: [String] = []
        for spec in [o.inputTokens, o.outputTokens] {
            guard let spec, spec.hasPrefix("empirical:") else { continue }
            let file = String(spec.dropFirst("empirical:".count))
            empirical.append((try? SHA256.hex(fileAt: file)) ?? "unreadable")
        }
        let canonical = [
            "content=\(content)", "empirical=\(empirical.joined(separator: "|"))", "format=\(o.format.rawValue)", "maps=\(o.maps.joined(separator: "|"))", "no_header=\(o.noHeader)",
            "input_tokens=\(o.inputTokens ?? "")", "output_tokens=\(o.outputTokens ?? "")", "model_mix=\(o.modelMix ?? "")",
            "model_map=\(o.modelMap.joined(separator: "|"))", "skip_invalid=\(o.skipInvalid)", "sort=\(o.sort)",
            "servegen_start_ns=\(o.serveGen.start.nanoseconds)", "servegen_duration_ns=\(o.serveGen.duration.nanoseconds)",
            "servegen_rate_scale=\(o.serveGen.rateScale)",
        ].joined(separator: "\n")
        return SHA256.hex(canonical)
    }
}

/// Each replication's requests, read-only, shared by every simulation: held in memory, or for a
/// trace longer than the plan's ``Planner/Inputs/heldRequestLimit``, read from the file again
/// by each simulation (as `simulate` reads it), so that memory holds no request.
final class PlanTraces: Sendable {
    private let held: [UInt64: [TraceRequest]]
    private let path: String
    private let options: TraceInputOptions
    private let models: [String]
    /// Whether simulations read the file rather than held requests.
    var isStreamed: Bool { held.isEmpty }

    private init(held: [UInt64: [TraceRequest]], path: String, options: TraceInputOptions, models: [String]) {
        self.held = held
        self.path = path
        self.options = options
        self.models = models
    }

    /// Reads each replication's requests (up to the limit) and profiles the first one's.
    /// Streamed, only the first replication is read here; the others' count is the same.
    static func load(_ inputs: Planner.Inputs, models: [String]) throws -> (PlanTraces, TrafficProfile) {
        var held: [UInt64: [TraceRequest]] = [:]
        var heldCount = 0
        var streamed = false
        var profile = TrafficProfile.Builder(models: models.count)
        for (k, seed) in inputs.seeds.enumerated() {
            var options = inputs.traceInput
            options.seed = seed
            let reader = try TraceInput(path: inputs.tracePath, options: options, models: models)
            var requests: [TraceRequest] = []
            while let r = try reader.next() {
                if k == 0 { profile.add(r) }
                // Streamed, only the first replication's profile needs the rest of its file.
                if streamed {
                    if k > 0 { break }
                    continue
                }
                requests.append(r)
                if heldCount + requests.count > inputs.heldRequestLimit {
                    streamed = true
                    requests = []
                    held = [:]
                }
            }
            if k == 0, profile.requests == 0 { throw TraceError.noRequests(file: inputs.tracePath) }
            if streamed { break }
            heldCount += requests.count
            held[seed] = requests
        }
        return (PlanTraces(held: held, path: inputs.tracePath, options: inputs.traceInput, models: models), profile.profile())
    }

    /// Simulates `configuration` over replication `seed`'s requests.
    func evaluate(_ configuration: PlanConfiguration, base: Scenario, seed: UInt64) throws -> PlanEvaluation {
        if let requests = held[seed] { return try PlanEvaluation.run(configuration, base: base, seed: seed, requests: requests) }
        var options = self.options
        options.seed = seed
        return try PlanEvaluation.run(
            configuration, base: base, seed: seed, source: ReadAheadSource(TraceInput(path: path, options: options, models: models)))
    }
}

/// A value behind a lock, shareable between the planner's worker threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ v: Value) { mutex = Mutex(v) }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R { try mutex.withLock { try body(&$0) } }
}
