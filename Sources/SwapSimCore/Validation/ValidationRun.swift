/// A figure's predictions against its measurements.
public struct FigureOutcome: Hashable, Sendable {
    public var figure: ValidationCase.Figure
    /// One prediction per model the figure covers (one for most figures), in the figure's unit.
    public var predicted: [Double]
    /// The signed relative error of the worst prediction against what it is compared with:
    /// the mean, the farthest value, or the nearer end of a range or bound (0 inside a range or
    /// past a bound).
    public var error: Double
    public var passed: Bool

    public init(figure: ValidationCase.Figure, predicted: [Double], error: Double, passed: Bool) {
        self.figure = figure
        self.predicted = predicted
        self.error = error
        self.passed = passed
    }
}

/// A case's outcomes.
public struct CaseOutcome: Hashable, Sendable {
    public var validationCase: ValidationCase
    public var figures: [FigureOutcome]

    /// Whether every gating figure is within its tolerance.
    public var passed: Bool { figures.allSatisfy { $0.passed || !$0.figure.gates } }
}

/// Runs validation cases: builds each case's scenario from its catalogue entries and presets,
/// simulates what each figure timed, and compares.
///
/// What is simulated, per model a figure covers:
/// - copies: the node's interconnect with one GPU copying alone (each direction, or both at once);
/// - wakes, sleeps, swap TTFTs, the first request after a wake: a hot-swap server (on the first
///   tensor-parallel group of the node, so its GPUs share the platform's switches) that serves
///   nothing until it idles out at 10 s (its first sleep), is woken by a request at 1,000 s,
///   sleeps again, and is woken at 3,000 s (a steady-state wake of a process that has served);
/// - cold starts, TTFTs from zero, the first request after a start, start-up stages: a
///   scale-to-zero replica started by a request at time zero, and a second request long after.
public enum Validation {
    /// The outcomes of `c`'s figures.
    public static func run(_ c: ValidationCase) throws -> CaseOutcome {
        var runs = Runs(c)
        var out: [FigureOutcome] = []
        for f in c.figures {
            let predicted = try runs.predict(f)
            out.append(compare(predicted, f))
        }
        return CaseOutcome(validationCase: c, figures: out)
    }

    /// `predicted` against figure `f`'s measurements and tolerance.
    static func compare(_ predicted: [Double], _ f: ValidationCase.Figure) -> FigureOutcome {
        func within(_ p: Double, _ v: Double) -> Bool {
            switch f.tolerance {
            case let .relative(t): return abs(p - v) <= t * abs(v) * (1 + 1e-12)
            case let .absolute(a): return abs(p - v) <= a * (1 + 1e-12)
            }
        }
        func rel(_ p: Double, _ v: Double) -> Double { v == 0 ? (p == 0 ? 0 : .infinity) : (p - v) / abs(v) }
        var worst = 0.0
        var passed = !predicted.isEmpty && !f.measured.isEmpty
        for p in predicted {
            let e: Double
            let ok: Bool
            if let b = f.bound {
                let v = b == .lower ? f.measured.max()! : f.measured.min()!
                let past = b == .lower ? p >= v : p <= v
                e = past ? 0 : rel(p, v)
                ok = past || within(p, v)
            } else {
                switch f.aggregate {
                case .mean:
                    let v = f.measured.reduce(0, +) / Double(f.measured.count)
                    e = rel(p, v)
                    ok = within(p, v)
                case .each:
                    let far = f.measured.max { abs(rel(p, $0)) < abs(rel(p, $1)) }!
                    e = rel(p, far)
                    ok = f.measured.allSatisfy { within(p, $0) }
                case .range:
                    let lo = f.measured.min()!, hi = f.measured.max()!
                    if p >= lo && p <= hi {
                        e = 0
                        ok = true
                    } else {
                        let v = p < lo ? lo : hi
                        e = rel(p, v)
                        ok = within(p, v)
                    }
                }
            }
            if abs(e) > abs(worst) || !e.isFinite { worst = e }
            passed = passed && ok
        }
        return FigureOutcome(figure: f, predicted: predicted, error: worst, passed: passed)
    }
}

/// A failure to predict a figure: a setup the simulator cannot run.
public struct CaseRunError: Error, Hashable, Sendable, CustomStringConvertible {
    public var caseName: String
    public var figure: String
    public var reason: String
    public var description: String { "case \(caseName), figure \(figure): \(reason)" }
}

/// The simulations behind one case's figures, run once per model and setting and kept.
struct Runs {
    let c: ValidationCase

    /// What a hot-swap run measured for one model.
    struct HotSwapTimes {
        var firstSleep: Double
        var sleep: Double
        var wake: Double
        /// The request woken at 1,000 s: its latency from when the model was awake (its process's
        /// first request), and the request at 3,000 s (a steady-state wake): its TTFT.
        var firstAfterWake: (e2e: Double, ttft: Double)
        var swapTTFT: Double
    }

    /// What a scale-to-zero run measured for one model.
    struct ColdTimes {
        var start: Double
        var ttftFromZero: Double
        var firstAfterStart: (e2e: Double, ttft: Double)
        var steady: (e2e: Double, ttft: Double)
        var startup: [StartupStage: Double]
    }

    struct Key: Hashable {
        var model: Int
        var mechanism: WakeMechanism
        var warmup: Bool
        var workload: ValidationCase.Workload
    }

    private var hot: [Key: HotSwapTimes] = [:]
    private var cold: [Key: ColdTimes] = [:]
    private var served: ServingStats? = nil

    /// What a serving run measured over its figures' stage.
    struct ServingStats {
        var e2eMean: Double
        var ttftMean: Double
        var ttftP99: Double
        var perToken: Double
        var failedShare: Double
    }

    init(_ c: ValidationCase) { self.c = c }

    /// The scenario for model `m` of the case's setup.
    func scenario(model m: Int, mechanism: WakeMechanism, warmup: Bool) -> Scenario {
        let s = c.setup
        // A rate-only case names no model; its scenario serves the catalogue's first.
        let arch = s.models.isEmpty ? ModelCatalog.all[0] : s.models[m]
        let weights = arch.weightBytes
        let swap = ByteCount(bytes: max(ByteCount.gibibytes(64).bytes, weights.bytes * 2))
        var cluster = ClusterSpec(
            nodes: 1, gpusPerNode: s.gpusPerNode, gpu: s.gpu, hostMemory: swap + swap, swapSpace: swap,
            dmaBandwidth: nil, storageReadBandwidth: nil, platform: s.platform, loader: s.loader)
        if let t = s.storage {
            cluster.storage = t
            cluster.storageStated = true
        }
        if let bw = s.storageBandwidth {
            // A volume provisioned below what the node reads from its tier.
            if !cluster.storageStated { cluster.storage = StorageCatalog.defaultTier }
            cluster.storage.bandwidth = min(cluster.storage.bandwidth, bw)
            cluster.storageStated = true
        }
        var d = ModelDeployment(name: arch.name, architecture: arch, tensorParallel: s.tensorParallel, kvCache: .gibibytes(2), maxBatch: 16)
        d.lora = s.lora
        // Step times from the GPU's fitted preset (docs/research/serving.md §5).
        var serving = ServingConfig(iterationOverhead: nil, computeEfficiency: nil, memoryEfficiency: nil, runtimeReservation: .mebibytes(1536))
        serving.stack = s.stack
        var scenario = Scenario(
            name: c.name, cluster: cluster, models: [d], serving: serving, costs: CostConfig(gpuHour: Dollars(1)), slo: SLOConfig(ttft: .seconds(1)))
        scenario.hotSwap = HotSwapConfig(
            idleTimeout: .seconds(10), swapOverhead: nil, gpus: s.tensorParallel, mechanism: mechanism, warmupRequest: warmup)
        scenario.scaleToZero = ScaleToZeroConfig(keepAlive: .hours(100), warmupRequest: warmup)
        return scenario
    }

    static func request(at seconds: Double, _ w: ValidationCase.Workload) -> TraceRequest {
        TraceRequest(arrival: SimInstant(nanoseconds: Int64(seconds * 1e9)), model: 0, inputTokens: Int32(w.inputTokens), outputTokens: Int32(w.outputTokens))
    }

    mutating func hotSwap(_ k: Key) throws -> HotSwapTimes {
        if let t = hot[k] { return t }
        let s = scenario(model: k.model, mechanism: k.mechanism, warmup: k.warmup)
        let sim = Simulation(
            scenario: s, strategy: .hotSwap, source: ArrayRequestSource([Self.request(at: 1000, k.workload), Self.request(at: 3000, k.workload)]),
            recordRequests: true)
        sim.stateLog = []
        let result = try sim.run()
        let log = sim.stateLog!
        // Spans of each state: from its start to the next change.
        func spans(_ from: Set<ReplicaState>) -> [(start: Double, length: Double)] {
            var out: [(Double, Double)] = []
            for (i, e) in log.enumerated() where from.contains(e.state) && i + 1 < log.count {
                out.append((e.time.seconds, (log[i + 1].time - e.time).seconds))
            }
            return out
        }
        let sleeps = spans([.swappingOut])
        let wakes = spans([.swappingIn, .loading]).filter { $0.start >= 1000 }
        let requests = result.requestLog.sorted { $0.arrival < $1.arrival }
        guard sleeps.count >= 2, wakes.count >= 2, requests.count == 2, let e2e = requests[0].e2e, let ttft = requests[0].ttft, let swapTTFT = requests[1].ttft else {
            throw CaseRunError(caseName: c.name, figure: "", reason: "the hot-swap run did not sleep and wake as planned")
        }
        let wait = wakes[0].start + wakes[0].length - 1000
        let t = HotSwapTimes(
            firstSleep: sleeps[0].length, sleep: sleeps[1].length, wake: wakes[0].length,
            firstAfterWake: (e2e.seconds - wait, ttft.seconds - wait), swapTTFT: swapTTFT.seconds)
        hot[k] = t
        return t
    }

    /// The requests of a serving run: fixed-rate stages back to back, the prompts cycled.
    static func servingRequests(_ run: ValidationCase.ServingRun) -> [TraceRequest] {
        var rng = RandomStream(seed: 1, stream: "serving-prompts")
        let count = max(1, run.groups * run.perGroup)
        var lengths = (0..<count).map { _ in Int32(rng.uniformInt(run.minTokens...max(run.minTokens, run.maxTokens))) }
        var ids = Array(0..<count)
        // A fixed shuffled order (Fisher–Yates over the project's generator).
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = rng.uniformInt(0...i)
            ids.swapAt(i, j)
            lengths.swapAt(i, j)
        }
        var out: [TraceRequest] = []
        var start = 0.0
        var index = 0
        for st in run.stages {
            let n = Int((st.rate * st.duration).rounded())
            for k in 0..<n {
                let t = start + Double(k) / st.rate
                let p = index % count
                out.append(TraceRequest(
                    arrival: SimInstant(nanoseconds: Int64((t * 1e9).rounded())), model: 0, inputTokens: lengths[p],
                    outputTokens: Int32(run.outputTokens), prefixID: Int64(ids[p]), prefixTokens: lengths[p]))
                index += 1
            }
            start += st.duration
        }
        return out
    }

    /// The scenario of a serving run: one always-warm replica with vLLM's defaults, the run's
    /// engine settings and KV sized as vLLM sizes it.
    func servingScenario(_ run: ValidationCase.ServingRun) throws -> Scenario {
        let setup = c.setup
        let arch = setup.models[0]
        var serving = ServingConfig.vllmDefaults(for: setup.gpu)
        serving.maxBatchedTokens = run.maxBatchedTokens
        serving.gpuMemoryUtilization = run.gpuMemoryUtilization
        serving.requestTimeout = run.requestTimeout
        guard let kv = KVCacheSizing.auto(model: arch, gpu: setup.gpu, tensorParallel: setup.tensorParallel, utilization: run.gpuMemoryUtilization, enginesPerGPU: 1) else {
            throw CaseRunError(caseName: c.name, figure: "", reason: "the model leaves no KV cache on its GPUs")
        }
        var d = ModelDeployment(name: arch.name, architecture: arch, tensorParallel: setup.tensorParallel, kvCache: kv, maxBatch: run.maxNumSeqs)
        d.kvCacheAuto = true
        let cluster = ClusterSpec(
            nodes: 1, gpusPerNode: setup.gpusPerNode, gpu: setup.gpu, hostMemory: .gibibytes(1024), swapSpace: .gibibytes(512),
            dmaBandwidth: nil, storageReadBandwidth: nil, platform: setup.platform)
        var s = Scenario(name: c.name, cluster: cluster, models: [d], serving: serving, costs: CostConfig(gpuHour: Dollars(1)), slo: SLOConfig(ttft: .seconds(1)))
        s.serving.stack = setup.stack
        return s
    }

    /// A serving run's statistics over its figures' stage.
    mutating func serving(_ f: ValidationCase.Figure) throws -> Double {
        guard let run = c.servingRun else {
            throw CaseRunError(caseName: c.name, figure: f.name, reason: "a serving figure needs the case's serving_run")
        }
        if served == nil {
            let result = try simulate(scenario: servingScenario(run), strategy: .alwaysWarm, requests: ArrayRequestSource(Self.servingRequests(run)), recordRequests: true)
            var from = 0.0
            for st in run.stages.prefix(run.stage) { from += st.duration }
            let to = from + run.stages[run.stage].duration
            var ttft: [Double] = []
            var e2e: [Double] = []
            var failed = 0
            for o in result.requestLog where o.arrival.seconds >= from - 1e-9 && o.arrival.seconds < to - 1e-9 {
                if let t = o.ttft, let e = o.e2e {
                    ttft.append(t.seconds)
                    e2e.append(e.seconds)
                } else {
                    failed += 1
                }
            }
            guard !ttft.isEmpty else {
                served = ServingStats(e2eMean: .infinity, ttftMean: .infinity, ttftP99: .infinity, perToken: .infinity, failedShare: 1)
                return try serving(f)
            }
            ttft.sort()
            let ttftMean = ttft.reduce(0, +) / Double(ttft.count)
            let e2eMean = e2e.reduce(0, +) / Double(e2e.count)
            // numpy's default percentile: linear between the two nearest ranks.
            let rank = 0.99 * Double(ttft.count - 1)
            let lo = Int(rank.rounded(.down))
            let hi = min(lo + 1, ttft.count - 1)
            let p99 = ttft[lo] + (ttft[hi] - ttft[lo]) * (rank - Double(lo))
            served = ServingStats(
                e2eMean: e2eMean, ttftMean: ttftMean, ttftP99: p99, perToken: (e2eMean - ttftMean) / Double(max(1, run.outputTokens - 1)),
                failedShare: Double(failed) / Double(failed + ttft.count))
        }
        let st = served!
        switch f.metric {
        case .e2e: return st.e2eMean
        case .ttft: return st.ttftMean
        case .ttftP99: return st.ttftP99
        case .perToken: return st.perToken
        case .failedShare: return st.failedShare
        }
    }

    mutating func coldStart(_ k: Key) throws -> ColdTimes {
        if let t = cold[k] { return t }
        let s = scenario(model: k.model, mechanism: k.mechanism, warmup: k.warmup)
        let sim = Simulation(
            scenario: s, strategy: .scaleToZero, source: ArrayRequestSource([Self.request(at: 0, k.workload), Self.request(at: 100_000, k.workload)]),
            recordRequests: true)
        sim.stateLog = []
        let result = try sim.run()
        let requests = result.requestLog.sorted { $0.arrival < $1.arrival }
        guard let ready = sim.stateLog!.first(where: { $0.state == .ready })?.time.seconds, requests.count == 2,
            let e2e0 = requests[0].e2e, let ttft0 = requests[0].ttft, let e2e1 = requests[1].e2e, let ttft1 = requests[1].ttft
        else {
            throw CaseRunError(caseName: c.name, figure: "", reason: "the scale-to-zero run did not start as planned")
        }
        var stages: [StartupStage: Double] = [:]
        for t in result.startup { stages[t.stage] = t.meanSeconds }
        let t = ColdTimes(
            start: ready, ttftFromZero: ttft0.seconds, firstAfterStart: (e2e0.seconds - ready, ttft0.seconds - ready),
            steady: (e2e1.seconds, ttft1.seconds), startup: stages)
        cold[k] = t
        return t
    }

    /// The models figure `f` covers.
    func models(of f: ValidationCase.Figure) -> [Int] { f.models.isEmpty ? Array(c.setup.models.indices) : f.models }

    /// Figure `f`'s predictions, one per model it covers (one for a difference or a rate).
    mutating func predict(_ f: ValidationCase.Figure) throws -> [Double] {
        switch f.experiment {
        case .serving:
            return [try serving(f)]
        case .swapTTFTDifference:
            let ms = models(of: f)
            guard ms.count == 2 else { throw CaseRunError(caseName: c.name, figure: f.name, reason: "swap-ttft-difference needs two models") }
            return [try predict(.swapTTFT, f, model: ms[0]) - predict(.swapTTFT, f, model: ms[1])]
        case .copyH2D, .copyD2H, .copyBidirectional, .pinRate, .switchTotal:
            return [try predict(f.experiment, f, model: 0)]
        default:
            return try models(of: f).map { try predict(f.experiment, f, model: $0) }
        }
    }

    /// Experiment `e` of figure `f` for model `m`, in the figure's unit.
    mutating func predict(_ e: Experiment, _ f: ValidationCase.Figure, model m: Int) throws -> Double {
        let mechanism = f.mechanism ?? c.setup.mechanism
        let warmup = f.warmupRequest ?? c.setup.warmupRequest
        let key = Key(model: m, mechanism: mechanism, warmup: warmup, workload: f.workload)
        let plain = Key(model: m, mechanism: mechanism, warmup: false, workload: f.workload)
        switch e {
        case .copyH2D, .copyD2H, .copyBidirectional:
            let s = scenario(model: 0, mechanism: mechanism, warmup: false)
            let kinds: [TransferKind] = e == .copyH2D ? [.swapIn] : e == .copyD2H ? [.swapOut] : [.swapIn, .swapOut]
            return Interconnect.aloneRates(cluster: s.cluster, kinds: kinds).min()! / 1e9
        case .pinRate:
            return scenario(model: 0, mechanism: mechanism, warmup: false).cluster.topology.pinRate.bytesPerSecond / 1e9
        case .wake: return try hotSwap(key).wake
        case .sleep:
            let t = try hotSwap(key)
            return f.firstSleep ? t.firstSleep : t.sleep
        case .swapTTFT: return try hotSwap(key).swapTTFT
        case .firstRequestAfterWake:
            let t = try hotSwap(key).firstAfterWake
            return f.metric == .e2e ? t.e2e : t.ttft
        case .coldStart: return try coldStart(plain).start
        case .ttftFromZero: return try coldStart(key).ttftFromZero
        case .firstRequestAfterColdStart:
            let t = try coldStart(plain).firstAfterStart
            return f.metric == .e2e ? t.e2e : t.ttft
        case let .ratio(a, b):
            return try predict(a, f, model: m) / predict(b, f, model: m)
        case let .stage(name):
            return try stage(name, f, model: m)
        case .switchTotal:
            return try switchTotal(f, mechanism: mechanism, warmup: warmup)
        case .swapTTFTDifference:
            throw CaseRunError(caseName: c.name, figure: f.name, reason: "swap-ttft-difference cannot be a part of a ratio")
        case .serving:
            return try serving(f)
        }
    }

    /// Start-up stage `name` of model `m`.
    mutating func stage(_ name: String, _ f: ValidationCase.Figure, model m: Int) throws -> Double {
        let stack = c.setup.stack
        let arch = c.setup.models[m]
        let layers = Double(arch.layers + arch.visionLayers)
        let timed = try coldStart(Key(model: m, mechanism: c.setup.mechanism, warmup: false, workload: f.workload)).startup
        switch name {
        case "weight-load": return timed[.weightLoad] ?? 0
        case "torch-compile":
            switch stack.compile {
            case .none: return 0
            case let .cold(fixed, perLayer): return fixed + perLayer * layers
            case let .cached(perLayer, _): return perLayer * layers
            }
        case "compile-cache-download":
            if case let .cached(_, download) = stack.compile { return download * layers }
            return 0
        case "kv-profiling": return timed[.kvProfiling] ?? 0
        case "cuda-graph-capture": return timed[.graphCapture] ?? 0
        case "engine-total":
            // The engine alone: every stage but the container's, and no first request.
            return timed.filter { $0.key != .container && $0.key != .firstRequest }.values.reduce(0, +)
        default:
            guard let v = stack.runtimeParts[name] else {
                throw CaseRunError(
                    caseName: c.name, figure: f.name,
                    reason: "stack \(stack.name) does not break its runtime stage into '\(name)' (it has: \(stack.runtimeParts.keys.sorted().joined(separator: ", ")))")
            }
            return v
        }
    }

    /// A benchmark alternating the figure's two models for `switches` switches, composed from
    /// the simulated parts. With a sleep mechanism: each model starts (cold start, then its first
    /// request's initialisation, paid by the warm-up request or the first prompt) and is put to
    /// sleep; then each of the `switches + 1` segments wakes its model, serves `prompts_per_round`
    /// prompts and (but the last) puts it back to sleep. Without one (`custom`: a full reload):
    /// each segment cold-starts its model, pays the first-request initialisation and serves its
    /// prompts.
    mutating func switchTotal(_ f: ValidationCase.Figure, mechanism: WakeMechanism, warmup: Bool) throws -> Double {
        let ms = models(of: f)
        guard ms.count == 2 else { throw CaseRunError(caseName: c.name, figure: f.name, reason: "switch-total needs two models") }
        let prompts = Double(f.workload.promptsPerRound)
        var total = 0.0
        let segments = f.switches + 1
        if mechanism == .custom {
            for k in 0..<segments {
                let t = try coldStart(Key(model: ms[k % 2], mechanism: mechanism, warmup: false, workload: f.workload))
                total += t.start + t.firstAfterStart.e2e + (prompts - 1) * t.steady.e2e
            }
            return total
        }
        for m in ms {
            let t = try coldStart(Key(model: m, mechanism: mechanism, warmup: false, workload: f.workload))
            let h = try hotSwap(Key(model: m, mechanism: mechanism, warmup: warmup, workload: f.workload))
            total += t.start + (t.firstAfterStart.e2e - t.steady.e2e) + h.firstSleep
        }
        for k in 0..<segments {
            let m = ms[k % 2]
            let t = try coldStart(Key(model: m, mechanism: mechanism, warmup: false, workload: f.workload))
            let h = try hotSwap(Key(model: m, mechanism: mechanism, warmup: warmup, workload: f.workload))
            total += h.wake + prompts * t.steady.e2e + (k + 1 < segments ? h.sleep : 0)
        }
        return total
    }
}
