extension StrategyKind {
    /// Idle models are swapped to host memory; their servers stay alive.
    public static let hotSwap = StrategyKind(name: "hot-swap")
}

/// Where a hot-swap server may run.
public enum HotSwapPlacement: String, Hashable, Sendable, CaseIterable {
    /// Bound at the start to one GPU group, keeping its runtime reservation (CUDA context) there
    /// for the whole run, as Run:ai binds a pod to its GPUs.
    case `static`
    /// Swaps into whichever group of its node's share of the pool has room (evicting there if
    /// it must); its runtime reservation moves with it, so a swapped-out server holds no GPU
    /// memory. Its sleeping weights stay in its node's host memory, so it keeps to that node.
    case dynamic
}

/// The hot-swap strategy's settings.
public struct HotSwapConfig: Hashable, Sendable {
    /// A model idle this long is swapped out proactively (nil: only when evicted).
    public var idleTimeout: SimDuration?
    public var eviction: EvictionPolicy
    /// How models sleep and wake.
    public var mechanism: WakeMechanism
    /// Fixed cost of each swap-in besides the copy, in place of the mechanism's (nil: the mechanism's).
    public var swapOverhead: SimDuration?
    /// Whether each server is sent a warm-up request when it starts, so no real request pays its
    /// first-request initialisation.
    public var warmupRequest: Bool
    /// Copy an evicted model out in chunks while the incoming one is copied into the memory
    /// they free, instead of waiting for the whole copy-out.
    public var overlapEvictions: Bool
    /// Keep a clean copy of the weights in host memory, so a swap-out is a free, not a copy.
    public var keepHostCopy: Bool
    /// GPUs in the fixed pool, the first of the cluster's (nil: all of them).
    public var gpus: Int?
    public var placement: HotSwapPlacement
    /// Outstanding requests per resident replica at which another replica of the model is
    /// swapped in (nil: the model's batch limit).
    public var targetConcurrency: Int?

    public init(
        idleTimeout: SimDuration?, eviction: EvictionPolicy = .lru, swapOverhead: SimDuration?, keepHostCopy: Bool = false, gpus: Int? = nil,
        placement: HotSwapPlacement = .static, targetConcurrency: Int? = nil, mechanism: WakeMechanism = .custom, warmupRequest: Bool = false,
        overlapEvictions: Bool = false
    ) {
        self.mechanism = mechanism
        self.warmupRequest = warmupRequest
        self.overlapEvictions = overlapEvictions
        self.gpus = gpus
        self.idleTimeout = idleTimeout
        self.eviction = eviction
        self.swapOverhead = swapOverhead
        self.keepHostCopy = keepHostCopy
        self.placement = placement
        self.targetConcurrency = targetConcurrency
    }
}

extension Scenario {
    /// The hot-swap strategy's settings (`strategies.hot-swap`).
    public var hotSwap: HotSwapConfig {
        get {
            let s = strategies[.hotSwap]
            return HotSwapConfig(
                idleTimeout: s.durationOrNever("idle_timeout"), eviction: EvictionPolicy(rawValue: s.choice("eviction"))!,
                swapOverhead: s.optionalDuration("swap_overhead"), keepHostCopy: s.flag("keep_host_copy"), gpus: s.pool,
                placement: HotSwapPlacement(rawValue: s.choice("placement"))!, targetConcurrency: s.optionalInteger("target_concurrency"),
                mechanism: WakeMechanism(rawValue: s.choice("mechanism"))!, warmupRequest: s.flag("warmup_request"),
                overlapEvictions: s.flag("overlap_evictions"))
        }
        set {
            var s = strategies[.hotSwap]
            s["idle_timeout"] = .durationOrNever(newValue.idleTimeout)
            s["eviction"] = .choice(newValue.eviction.rawValue)
            s["swap_overhead"] = .optionalDuration(newValue.swapOverhead)
            s["mechanism"] = .choice(newValue.mechanism.rawValue)
            s["warmup_request"] = .flag(newValue.warmupRequest)
            s["overlap_evictions"] = .flag(newValue.overlapEvictions)
            s["keep_host_copy"] = .flag(newValue.keepHostCopy)
            s["gpus"] = .optionalInteger(newValue.gpus)
            s["placement"] = .choice(newValue.placement.rawValue)
            s["target_concurrency"] = .optionalInteger(newValue.targetConcurrency)
            strategies[.hotSwap] = s
        }
    }
}

/// A fixed GPU pool where every model has a live server and idle models live in host memory.
///
/// As with NVIDIA Run:ai GPU memory swap, each server is bound to its GPUs at the start
/// (balanced by memory, largest first) and keeps its runtime reservation (CUDA context) there
/// for the whole run; only its weights and KV cache come and go (`placement: dynamic` lets a
/// server swap into any group of its node with room instead). A request for a model that is not resident
/// queues its server for a swap-in; when its GPUs lack room, idle resident servers there are
/// evicted in the policy's order (LRU by default). A server with requests running, queued or
/// waiting is never evicted. Servers waiting for memory are served first come first served: a
/// waiting server holds its GPUs against later ones.
///
/// A model may have several servers (`models[].replicas`): requests go to the resident one
/// with the fewest outstanding; another is swapped in when none is resident, or when every
/// resident one has `target_concurrency` outstanding (by default a full batch).
///
/// A swap-out copies the weights to pinned swap space (D2H); with `keep_host_copy`, a clean copy
/// of the weights stays in swap space, so a swap-out only frees GPU memory. When swap space
/// cannot take the weights, they are dropped and the next swap-in is a load from storage
/// (recorded as a cold start). KV cache is not swapped: a model is only swapped out idle.
///
/// Finding victims costs O(log n) per victim: idle resident servers sit in an
/// ``EvictionIndex`` per GPU, keyed when they become idle.
///
/// In a mixed pool (``HybridStrategy``) it serves the hot-swap models, beside the pinned ones.
final class HotSwapStrategy: ServingStrategy, ReleasingTier {
    static let descriptor = StrategyDescriptor(
        kind: .hotSwap,
        summary: "idle models are swapped to host memory and back over the host link; their servers stay alive",
        settings: [
            SettingSpec("idle_timeout", .durationOrNever, default: .durationOrNever(.seconds(60)), "swap an idle model out after this long (never: only when evicted)"),
            SettingSpec("eviction", .choice(EvictionPolicy.allCases.map(\.rawValue)), default: .choice("lru"), "which idle resident model goes first when room is needed", noun: "eviction policy"),
            SettingSpec("mechanism", .choice(WakeMechanism.allCases.map(\.rawValue)), default: .choice("vllm-sleep-l1"), "how models sleep and wake: vLLM sleep level 1 or 2, Run:ai GPU memory swap, or custom (swap_overhead and the link's rate)", noun: "mechanism"),
            SettingSpec("swap_overhead", .optionalDuration, default: .optionalDuration(nil), "fixed cost of each swap-in besides the copy, in place of the mechanism's (custom: 300ms)"),
            SettingSpec("warmup_request", .flag, default: .flag(false), "send each server a warm-up request when it starts, so no request pays the first-request initialisation"),
            SettingSpec("overlap_evictions", .flag, default: .flag(false), "copy an evicted model out in chunks while the incoming one is copied into the memory they free"),
            SettingSpec("keep_host_copy", .flag, default: .flag(false), "keep a clean copy of the weights in host memory, so a swap-out only frees GPU memory"),
            SettingSpec("placement", .choice(HotSwapPlacement.allCases.map(\.rawValue)), default: .choice("static"), "static: servers bound to their GPUs at the start; dynamic: a model swaps into any group of its node with room", noun: "placement"),
            SettingSpec("target_concurrency", .optionalInteger(1...ScenarioLimits.maxBatch), default: .optionalInteger(nil), "swap in another replica when every resident one has this many outstanding (unset: the model's max_batch)"),
        ],
        planAxes: [.swapSpace, .idleTimeout, .eviction],
        billing: { _ in .pool },
        make: { HotSwapStrategy(scenario: $0, members: Array($0.models.indices)) })

    /// The models it serves.
    let members: [Int]
    private let config: HotSwapConfig
    private var ranking: EvictionRanking
    /// Per model, its servers (replica indices), fixed at the start.
    private var serversOf: [[Int]]
    /// Per model, its first server (−1: none) and whether it has only that one: read on every
    /// request, where a read of `serversOf[m]` would retain and release the inner array.
    private var firstServer: [Int] = []
    private var soleServer: [Bool] = []
    /// Whether the mechanism keeps weights in host memory (read on every swap-in estimate).
    private let keepsWeightsInHost: Bool
    /// Per server: its resident share per GPU (weights and KV cache, plus the runtime
    /// reservation when it moves with the server), its group, whether swap space keeps a clean
    /// copy of its weights, and whether it waits for room.
    private var part: [ByteCount] = []
    private var home: [Range<Int>] = []
    private var permanentCopy: [Bool] = []
    private var queued: [Bool] = []
    /// Why each server's pending swap-in was asked for.
    private var swapReason: [LifecycleReason] = []
    /// Per server: whether it has slept before (a level-1 sleep pins its backup the first time),
    /// and, with overlapped evictions, the server its memory goes to, how many copy-outs it waits
    /// for, and whether its own copy has ended.
    private var hasSlept: [Bool] = []
    private var overlappedBy: [Int?] = []
    private var awaiting: [Int] = []
    private var copiedIn: [Bool] = []
    /// Per node: when its swap space is pinned (a mechanism that pins it when the servers start).
    private var pinnedAt: [SimInstant] = []
    /// Servers waiting for room, first come first served.
    private var waiting = SwapWaitList()
    /// Per GPU: bytes on their way out (swap-outs in flight).
    private var outgoing: [Int64] = []
    private var index: EvictionIndex
    private var hostSwapBilled: ByteCount
    /// Per model: how long a swap-in takes with the links to itself, from host memory and from
    /// storage (computed once; eviction keys and pre-warm lead times read them per event).
    private let estimates: [SwapInEstimate]
    /// Per model: what each move costs it, computed once (every swap asked the scenario for
    /// them, copying its model and stack descriptions each time).
    private let moves: [ModelMoves]
    private var dynamic: Bool { config.placement == .dynamic }
    /// In a mixed pool: where to ask for idle memory other tiers hold.
    weak var arbiter: (any MemoryArbiter)? { didSet { hasArbiter = arbiter != nil } }
    /// Whether ``arbiter`` was set: `makeRoom` asks before loading the weak reference.
    private var hasArbiter = false
    /// Per GPU, the last try ``serveWaitList(_:)`` could not start there and may replay
    /// (``failsAgain(_:_:)``).
    private var failedTry: OwnedArray<FailedTry>
    /// Whether tries are replayed (tests turn it off to compare: ``replaysFailedTries``).
    private let replays: Bool
    /// How many tries were replayed, not made, and how many passes were left out because every
    /// try would be (read by tests).
    private(set) var replayedTries = 0
    private(set) var skippedPasses = 0
    /// Off, every try makes room afresh: the slow path that replays must match (tests only).
    @TaskLocal static var replaysFailedTries = true
    /// The first GPU of the pool it may use: in a mixed pool whose pinned models have GPUs of
    /// their own (`pinned_gpus: own`), the first after theirs; set before ``start(_:)``.
    var firstGPU = 0

    init(scenario: Scenario, members: [Int]) {
        self.members = members
        config = scenario.hotSwap
        ranking = EvictionRanking(config.eviction)
        serversOf = Array(repeating: [], count: scenario.models.count)
        keepsWeightsInHost = scenario.hotSwap.mechanism.keepsWeightsInHost
        index = EvictionIndex(gpus: scenario.cluster.gpuCount)
        outgoing = Array(repeating: 0, count: scenario.cluster.gpuCount)
        failedTry = OwnedArray(repeating: FailedTry(), count: scenario.cluster.gpuCount)
        replays = Self.replaysFailedTries
        hostSwapBilled = scenario.cluster.swapSpace * Int64(scenario.cluster.nodes)
        moves = scenario.models.map { ModelMoves($0, scenario, config: scenario.hotSwap) }
        estimates = zip(scenario.models, moves).map { SwapInEstimate($0, moves: $1, scenario) }
    }

    /// One model's weights and the costs of its sleeps and wakes under the configured mechanism.
    struct ModelMoves {
        var weights: ByteCount
        var wake: SwapCosts
        /// A first sleep (a level-1 sleep pins its backup then) and any later one.
        var firstSleep: SwapCosts
        var laterSleep: SwapCosts
        /// The caps of the wake's and the sleep's copies (the mechanism's share of the link alone).
        var wakeCap: Bandwidth?
        var firstSleepCap: Bandwidth?
        var laterSleepCap: Bandwidth?
        /// The rate a wake from storage reloads the weights at.
        var reloadRate: Bandwidth

        init(_ d: ModelDeployment, _ s: Scenario, config: HotSwapConfig) {
            let mechanism = config.mechanism
            let link = s.cluster.gpu.link
            weights = d.architecture.weightBytes
            wake = mechanism.wakeCosts(d.architecture, lora: d.lora, stack: s.serving.stack, swapOverhead: config.swapOverhead)
            firstSleep = mechanism.sleepCosts(d.architecture, lora: d.lora, stack: s.serving.stack, firstSleep: true)
            laterSleep = mechanism.sleepCosts(d.architecture, lora: d.lora, stack: s.serving.stack, firstSleep: false)
            wakeCap = wake.efficiency.map { Bandwidth(bytesPerSecond: $0 * link.hostToDevice.bytesPerSecond) }
            firstSleepCap = firstSleep.efficiency.map { Bandwidth(bytesPerSecond: $0 * link.deviceToHost.bytesPerSecond) }
            laterSleepCap = laterSleep.efficiency.map { Bandwidth(bytesPerSecond: $0 * link.deviceToHost.bytesPerSecond) }
            reloadRate = SwapInEstimate.reloadRate(s, mechanism: mechanism)
        }
    }

    var needsFuture: Bool { config.eviction == .belady }
    var billedHostMemory: ByteCount { hostSwapBilled }

    // MARK: Start

    func start(_ ctx: StrategyContext) throws(ScenarioError) {
        let s = ctx.scenario
        // One server per replica, in model order.
        var servers: [(model: Int, copy: Int, bytes: ByteCount)] = []
        for m in members {
            let d = s.models[m]
            var bytes = (d.architecture.weightBytes + d.kvCache).divided(into: d.tensorParallel)
            if dynamic { bytes += s.serving.runtimeReservation }
            for k in 0..<s.replicas(of: m, default: 1) { servers.append((m, k, bytes)) }
        }
        // Swap space pinned as the servers start, at the host's pinning rate, under a mechanism
        // that pins it up front (Run:ai); swap-outs wait for it.
        let pinTime = config.mechanism.pinsSwapSpaceAtStart
            ? SimDuration(seconds: Double(s.cluster.swapSpace.bytes) / s.cluster.topology.pinRate.bytesPerSecond) : .zero
        pinnedAt = Array(repeating: .zero + pinTime, count: s.cluster.nodes)
        let groups = dynamic ? spreadOverNodes(servers, ctx) : try bind(servers, ctx)
        var replicas: [Int] = []
        for (i, sv) in servers.enumerated() {
            let r = ctx.addReplica(model: sv.model, gpus: groups[i], state: .swapped)
            replicas.append(r)
            serversOf[sv.model].append(r)
            grow(to: r)
            part[r] = sv.bytes
            home[r] = ctx.gpus(of: r)
            // The process started before the trace: its first request pays the lazy
            // initialisation, unless a warm-up request was sent.
            if !config.warmupRequest {
                ctx.delayFirstIteration(r, by: s.firstRequestPenalty(of: sv.model))
            }
        }
        // Under dynamic placement a server's GPUs are chosen as it starts: one queue for all.
        waiting = SwapWaitList(servers: replicas, home: dynamic ? home.map { _ in 0..<0 } : home)
        firstServer = serversOf.map { $0.first ?? -1 }
        soleServer = serversOf.map { $0.count == 1 }
        // Residency at the start, server by server in model order: resident where it fits,
        // else in swap space, else only on storage.
        for m in members {
            for r in serversOf[m] {
                let weights = s.models[m].architecture.weightBytes
                let node = ctx.node(of: r)
                if config.keepHostCopy && ctx.freeHost(node: node) >= weights {
                    permanentCopy[r] = true
                    ctx.reserveHost(weights, node: node)
                }
                let target = dynamic ? firstFit(r, ctx) : (home[r].allSatisfy { fits(r, on: $0, ctx) } ? home[r] : nil)
                if let g = target {
                    if dynamic { place(r, on: g, ctx) }
                    ctx.allocate(part[r], on: home[r], for: m)
                    ctx.setState(r, .ready)
                    makeCandidate(r, ctx)
                    // Resident and idle from the start: its idle timer runs from time zero too.
                    if let t = config.idleTimeout { ctx.setTimer(.replica(r), after: t) }
                } else if permanentCopy[r] {
                    ctx.setState(r, .swapped)
                } else if config.mechanism.keepsWeightsInHost && ctx.freeHost(node: node) >= weights {
                    // In swap space at the start: it got there by a sleep, so its pinned backup
                    // is already allocated.
                    ctx.reserveHost(weights, node: node)
                    ctx.setState(r, .swapped)
                    hasSlept[r] = true
                } else {
                    ctx.setState(r, .offloaded)
                }
            }
        }
    }

    /// Dynamic placement: the node each server keeps to, as the first GPUs of that node (where
    /// it waits until it is placed). A server's sleeping weights are in its node's host memory,
    /// so it wakes only on that node's GPUs. Servers go, in model order, to the node of the pool
    /// with the fewest bytes of servers so far (ties: the first) among those with a group of its width.
    private func spreadOverNodes(_ servers: [(model: Int, copy: Int, bytes: ByteCount)], _ ctx: StrategyContext) -> [Range<Int>] {
        let c = ctx.scenario.cluster
        var assigned = Array(repeating: Int64(0), count: c.nodes)
        return servers.map { sv in
            let width = ctx.scenario.models[sv.model].tensorParallel
            let nodes = Set(groups(width: width, ctx).map { $0.lowerBound / c.gpusPerNode })
            let node = (0..<c.nodes).filter { nodes.contains($0) }.min { assigned[$0] < assigned[$1] } ?? 0
            assigned[node] += sv.bytes.bytes * Int64(width)
            return (node * c.gpusPerNode)..<(node * c.gpusPerNode + width)
        }
    }

    /// Binds each server to the group whose most loaded GPU is least loaded, largest servers
    /// first, among groups where it fits beside the runtime reservations of every server bound
    /// there and what other tiers hold (each bound server keeps its CUDA context resident; the
    /// largest must still fit). A model's further replicas prefer groups without one of its own.
    private func bind(_ servers: [(model: Int, copy: Int, bytes: ByteCount)], _ ctx: StrategyContext) throws(ScenarioError) -> [Range<Int>] {
        let s = ctx.scenario
        let gpuCount = s.cluster.gpuCount
        var largest = Array(repeating: ByteCount.zero, count: gpuCount)
        var bound = Array(repeating: [Int](), count: gpuCount)
        var result = Array(repeating: 0..<0, count: servers.count)
        let runtime = s.serving.runtimeReservation
        let taken = (0..<gpuCount).map { ctx.gpuCapacity - ctx.freeGPU($0) }
        // A GPU's load counts what other tiers hold there (a mixed pool's pinned models), so
        // servers go beside them only when emptier GPUs are full: a pinned model sharing its
        // GPUs with idle-looking servers would be time-sliced while other GPUs stand empty.
        var load = taken
        let order = servers.indices.sorted { a, b in
            let (x, y) = (servers[a], servers[b])
            if x.bytes != y.bytes { return x.bytes > y.bytes }
            return x.model != y.model ? x.model < y.model : x.copy < y.copy
        }
        var groupsByWidth: [Int: [Range<Int>]] = [:]
        for i in order {
            let sv = servers[i]
            let width = s.models[sv.model].tensorParallel
            if groupsByWidth[width] == nil { groupsByWidth[width] = self.groups(width: width, ctx) }
            let groups = groupsByWidth[width]!
            func fits(_ g: Range<Int>) -> Bool {
                g.allSatisfy {
                    bound[$0].count < ScenarioLimits.maxServersPerGPU
                        && taken[$0] + runtime * Int64(bound[$0].count + 1) + max(largest[$0], sv.bytes) <= ctx.gpuCapacity
                }
            }
            var best: Range<Int>? = nil
            var bestKey = (0, ByteCount.zero)
            for g in groups where fits(g) {
                let sibling = sv.copy > 0 && g.contains { x in bound[x].contains { servers[$0].model == sv.model } } ? 1 : 0
                let key = (sibling, g.map { load[$0] }.max()!)
                if best == nil || key < bestKey { best = g; bestKey = key }
            }
            guard let chosen = best else {
                let g = groups[0]
                throw .hotSwapGPUOvercommitted(
                    gpu: g.lowerBound, models: bound[g.lowerBound].map { s.models[servers[$0].model].name } + [s.models[sv.model].name],
                    reason: "no GPU of the pool of \(ctx.pool) has room for another server's runtime reservation (\(runtime)) beside the largest model bound there; add GPUs to the pool or lower serving.runtime_reservation")
            }
            for g in chosen {
                load[g] += sv.bytes
                largest[g] = max(largest[g], sv.bytes)
                bound[g].append(i)
            }
            result[i] = chosen
        }
        for g in 0..<ctx.pool where !bound[g].isEmpty {
            ctx.allocate(runtime * Int64(bound[g].count), on: g..<(g + 1), for: nil)
        }
        return result
    }

    private func grow(to r: Int) {
        guard r >= part.count else { return }
        let n = r + 1 - part.count
        part.append(contentsOf: repeatElement(.zero, count: n))
        home.append(contentsOf: repeatElement(0..<0, count: n))
        permanentCopy.append(contentsOf: repeatElement(false, count: n))
        queued.append(contentsOf: repeatElement(false, count: n))
        swapReason.append(contentsOf: repeatElement(.requestNotResident, count: n))
        hasSlept.append(contentsOf: repeatElement(false, count: n))
        overlappedBy.append(contentsOf: repeatElement(nil, count: n))
        awaiting.append(contentsOf: repeatElement(0, count: n))
        copiedIn.append(contentsOf: repeatElement(false, count: n))
    }

    // MARK: Requests

    func route(_ request: Int32, model m: Int, _ ctx: StrategyContext) {
        if soleServer[m] {
            // The common case: one server per model.
            let r = firstServer[m]
            index.remove(r)
            ctx.deliver(request, to: r)
            switch ctx.state(of: r) {
            case .swapped, .offloaded: requestSwapIn(r, reason: .requestNotResident, ctx)
            default: break  // ready, or already moving: the request waits for it
            }
            return
        }
        // Several servers: the resident (or arriving) one with the least load, unless every one
        // is at the target concurrency and another can be swapped in, which then takes it.
        var best: Int? = nil
        var bestLoad = 0
        var bestReady = false
        let servers = serversOf[m]
        for r in servers {
            let state = ctx.state(of: r)
            guard state == .ready || state == .swappingIn || state == .loading else { continue }
            let load = ctx.outstanding(r) + ctx.pendingCount(r)
            let ready = state == .ready
            if best == nil || load < bestLoad || (load == bestLoad && ready && !bestReady) { (best, bestLoad, bestReady) = (r, load, ready) }
        }
        let spare = servers.first { (ctx.state(of: $0) == .swapped || ctx.state(of: $0) == .offloaded) && !queued[$0] }
        // Without a target, another server comes in when the least loaded one's batch is full.
        let target = config.targetConcurrency ?? ctx.scenario.models[m].maxBatch
        if let r = best, bestLoad < target || spare == nil {
            index.remove(r)
            ctx.deliver(request, to: r)
            return
        }
        // None resident, or all at the target: bring another server in for this request (with
        // none out of the GPUs, the first on its way out takes it).
        let r = spare ?? servers[0]
        ctx.deliver(request, to: r)
        if ctx.state(of: r) == .swapped || ctx.state(of: r) == .offloaded { requestSwapIn(r, reason: .requestNotResident, ctx) }
    }

    private func requestSwapIn(_ r: Int, reason: LifecycleReason, _ ctx: StrategyContext) {
        if !queued[r] {
            queued[r] = true
            swapReason[r] = reason
            waiting.append(r)
        }
        serveWaitList(ctx)
    }

    /// Starts swap-ins for waiting servers in arrival order, evicting idle ones as needed. A
    /// server that cannot start holds its GPUs: later ones that need any of them wait behind it
    /// (with dynamic placement, it holds the whole pool).
    private func serveWaitList(_ ctx: StrategyContext) {
        if waiting.isEmpty { return }
        if dynamic || hasArbiter {
            // A pass where every server it could try would fail again changes nothing.
            if !dynamic && waiting.everyHead({ failsAgain($0, ctx) }) {
                skippedPasses += 1
                return
            }
            waiting.beginPass()
        } else {
            // Alone in hot-swap, nothing but an isolated group's own try changes its GPUs during
            // a pass (no other server's home overlaps them): a server that would fail again
            // there now fails at its turn too, and needs no try.
            waiting.beginPass(dropping: { r in
                let again = failsAgain(r, ctx)
                if again { replayedTries += 1 }
                return again
            })
        }
        defer { waiting.endPass() }
        var blockedCount = 0
        // The next server in order whose GPUs no earlier server holds (``SwapWaitList``).
        while let r = waiting.next() {
            if dynamic {
                guard let g = makeRoomAnywhere(for: r, ctx) else { return }
                place(r, on: g, ctx)
            } else {
                let replay = failsAgain(r, ctx)
                guard !replay && makeRoom(for: r, ctx) else {
                    if replay { replayedTries += 1 } else { noteFailure(r, ctx) }
                    blockedCount += waiting.hold(home[r])
                    // Every GPU of the pool is blocked: the servers still waiting would all be skipped.
                    if blockedCount >= ctx.pool - firstGPU { return }
                    continue
                }
            }
            waiting.removeHead(r)
            queued[r] = false
            startSwapIn(r, ctx)
        }
    }

    /// What `makeRoom` read on one GPU when a server could not start: its free memory, the
    /// bytes on their way out and the evictable bytes.
    struct FailedTry {
        var server: Int32 = -1
        var free: Int64 = 0
        var outgoing: Int64 = 0
        var evictable: Int64 = 0
    }

    /// Whether server `r` would fail again to make room on its GPUs, as it did last: nothing
    /// `makeRoom` reads there has changed since. Most tries in a busy pool are such replays
    /// (85 % of them with a thousand models on sixteen GPUs), and this reads three numbers per GPU.
    ///
    /// Exact, not a guess. Without an arbiter, `makeRoom`'s outcome is a function of the
    /// server's size and, per GPU, the free memory, the bytes on their way out and the
    /// evictable bytes, and a failure leaves no side effect to repeat: one that evicted left
    /// every GPU's free and outgoing bytes covering the need, so the same numbers fail at the
    /// outgoing check. With an arbiter (a mixed pool) only failures at that check are kept
    /// (``noteFailure(_:_:)``), since they are decided before the arbiter is asked.
    @inline(__always) private func failsAgain(_ r: Int, _ ctx: StrategyContext) -> Bool {
        guard replays else { return false }
        for g in home[r] {
            let t = failedTry[g]
            guard t.server == Int32(r), t.free == ctx.freeGPU(g).bytes, t.outgoing == outgoing[g],
                t.evictable == index.evictableBytes[g]
            else { return false }
        }
        assert(failsWithoutSideEffects(r, ctx), "server \(r) replayed a try that makeRoom would not fail")
        return true
    }

    /// Whether `makeRoom` would fail for server `r` without evicting or asking the arbiter
    /// (the premise of a replay, checked in debug builds).
    private func failsWithoutSideEffects(_ r: Int, _ ctx: StrategyContext) -> Bool {
        let gpus = home[r]
        let need = part[r].bytes
        if gpus.allSatisfy({ fits(r, on: $0, ctx) }) { return false }
        if coveredByOutgoing(gpus, need, ctx) { return true }
        return !hasArbiter && !coveredByEvicting(gpus, need, ctx)
    }

    /// Records that server `r` could not start (``failsAgain(_:_:)``).
    private func noteFailure(_ r: Int, _ ctx: StrategyContext) {
        let gpus = home[r]
        if hasArbiter && !coveredByOutgoing(gpus, part[r].bytes, ctx) { return }
        for g in gpus {
            failedTry[g] = FailedTry(server: Int32(r), free: ctx.freeGPU(g).bytes, outgoing: outgoing[g], evictable: index.evictableBytes[g])
        }
    }

    // MARK: Making room

    private func fits(_ r: Int, on g: Int, _ ctx: StrategyContext) -> Bool {
        ctx.freeGPU(g) >= part[r] && (!dynamic || ctx.models(on: g) < ScenarioLimits.maxServersPerGPU)
    }

    /// Frees memory for server `r` on its group, evicting idle servers in policy order.
    /// Returns whether the memory is free now (evictions that copy out free it only when their
    /// copy ends).
    private func makeRoom(for r: Int, _ ctx: StrategyContext) -> Bool {
        makeRoom(for: r, on: home[r], ctx)
    }

    private func makeRoom(for r: Int, on gpus: Range<Int>, _ ctx: StrategyContext) -> Bool {
        let need = part[r].bytes
        if gpus.allSatisfy({ fits(r, on: $0, ctx) }) { return true }
        // Memory already on its way out, then what idle servers could free.
        if coveredByOutgoing(gpus, need, ctx) { return false }
        let m = ctx.model(of: r)
        if hasArbiter, let a = arbiter, !coveredByEvicting(gpus, need, ctx) {
            // Short even after evicting every idle hot-swap server: other tiers' idle models go first.
            a.reclaim(on: gpus, need: need - gpus.map { outgoing[$0] + index.evictableBytes[$0] }.min()!, for: m, excluding: .hotSwap, ctx)
            if gpus.allSatisfy({ fits(r, on: $0, ctx) }) { return true }
            if coveredByOutgoing(gpus, need, ctx) { return false }
        }
        guard coveredByEvicting(gpus, need, ctx) else { return false }
        if config.overlapEvictions && config.mechanism.keepsWeightsInHost { overlapTarget = r }
        evict(on: gpus, toCover: need, for: m, ctx)
        overlapTarget = nil
        return gpus.allSatisfy { fits(r, on: $0, ctx) }
    }

    /// Whether every GPU of `gpus` has `need` bytes free or on their way out.
    @inline(__always) private func coveredByOutgoing(_ gpus: Range<Int>, _ need: Int64, _ ctx: StrategyContext) -> Bool {
        gpus.allSatisfy { ctx.freeGPU($0).bytes + outgoing[$0] >= need }
    }

    /// Whether every GPU of `gpus` has `need` bytes free, on their way out, or held by idle
    /// servers it could evict.
    @inline(__always) private func coveredByEvicting(_ gpus: Range<Int>, _ need: Int64, _ ctx: StrategyContext) -> Bool {
        gpus.allSatisfy { ctx.freeGPU($0).bytes + outgoing[$0] + index.evictableBytes[$0] >= need }
    }

    /// Evicts the policy's first idle server on any GPU of `gpus` still short of `need` bytes
    /// free or freeing, until none is (or no candidate is left), for model `m`.
    private func evict(on gpus: Range<Int>, toCover need: Int64, for m: Int, _ ctx: StrategyContext) {
        // Scratch arrays kept between calls (moved out while in use), not two allocations per eviction.
        var projected: [Int64] = []
        var victims: [Int] = []
        swap(&projected, &projectedScratch)
        swap(&victims, &victimScratch)
        defer {
            projected.removeAll(keepingCapacity: true)
            victims.removeAll(keepingCapacity: true)
            swap(&projected, &projectedScratch)
            swap(&victims, &victimScratch)
        }
        for g in gpus { projected.append(ctx.freeGPU(g).bytes + outgoing[g]) }
        while true {
            var pick: (member: Int, key: EvictionKey)? = nil
            for (k, g) in gpus.enumerated() where projected[k] < need {
                if let c = index.first(on: g), pick == nil || c.key < pick!.key { pick = c }
            }
            guard let v = pick?.member else { break }
            ranking.evicted(pick!.key)
            index.remove(v)
            victims.append(v)
            for (k, g) in gpus.enumerated() where ctx.gpus(of: v).contains(g) { projected[k] += part[v].bytes }
        }
        for v in victims {
            ctx.record(.eviction, replica: v, reason: .makeRoom(for: Int32(m)))
            swapOut(v, reason: .evictedFor(Int32(m), .copied), overlap: overlapTarget, ctx)
        }
    }

    /// The server evictions overlap with while ``makeRoom(for:on:_:)`` runs for it (`overlap_evictions`).
    private var overlapTarget: Int? = nil
    /// Scratch for ``evict(on:toCover:for:_:)``.
    private var projectedScratch: [Int64] = []
    private var victimScratch: [Int] = []

    // MARK: ReleasingTier (a mixed pool)

    func reclaimable(on g: Int, _ ctx: StrategyContext) -> Int64 { index.evictableBytes[g] + outgoing[g] }

    func release(on gpus: Range<Int>, need: Int64, for m: Int, _ ctx: StrategyContext) {
        evict(on: gpus, toCover: need, for: m, ctx)
    }

    /// Dynamic placement: the group for server `r`, evicting there if it must, or nil while it
    /// must wait. A group with room now (the one with most free memory) comes first; then, if
    /// swap-outs in flight will make room somewhere, it waits for them; else it evicts in the
    /// group whose first victim ranks lowest.
    private func makeRoomAnywhere(for r: Int, _ ctx: StrategyContext) -> Range<Int>? {
        if let g = firstFit(r, ctx) { return g }
        let need = part[r].bytes
        let groups = self.groups(for: r, ctx)
        if groups.contains(where: { coveredByOutgoing($0, need, ctx) }) { return nil }
        var best: (group: Range<Int>, key: EvictionKey)? = nil
        for g in groups where g.allSatisfy({ ctx.freeGPU($0).bytes + outgoing[$0] + index.evictableBytes[$0] >= need && ctx.models(on: $0) < ScenarioLimits.maxServersPerGPU }) {
            var first: EvictionKey? = nil
            for x in g where ctx.freeGPU(x).bytes + outgoing[x] < need {
                if let c = index.first(on: x), first == nil || c.key < first! { first = c.key }
            }
            if let k = first, best == nil || k < best!.key { best = (g, k) }
        }
        guard let g = best?.group, makeRoom(for: r, on: g, ctx) else { return nil }
        return g
    }

    /// The group with the most free memory where server `r` fits now (ties: the first).
    private func firstFit(_ r: Int, _ ctx: StrategyContext) -> Range<Int>? {
        var best: (group: Range<Int>, free: Int64)? = nil
        for g in groups(for: r, ctx) where g.allSatisfy({ fits(r, on: $0, ctx) }) {
            let free = g.map { ctx.freeGPU($0).bytes }.min()!
            if best == nil || free > best!.free { best = (g, free) }
        }
        return best?.group
    }

    /// The GPU groups of `width` its servers may take: in the pool, from ``firstGPU`` on.
    private func groups(width: Int, _ ctx: StrategyContext) -> [Range<Int>] {
        Placement.groups(width: width, cluster: ctx.scenario.cluster, limit: ctx.pool, from: firstGPU)
    }

    /// The groups server `r` may take under dynamic placement: those of its node (``spreadOverNodes(_:_:)``).
    private func groups(for r: Int, _ ctx: StrategyContext) -> [Range<Int>] {
        let s = ctx.scenario
        let node = ctx.node(of: r)
        return groups(width: s.models[ctx.model(of: r)].tensorParallel, ctx).filter { $0.lowerBound / s.cluster.gpusPerNode == node }
    }

    private func place(_ r: Int, on g: Range<Int>, _ ctx: StrategyContext) {
        ctx.move(r, to: g)
        home[r] = g
    }

    private func makeCandidate(_ r: Int, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        let key = ranking.key(EvictionFacts(
            index: r, lastUsed: ctx.lastUsed(r), uses: ctx.uses(r), bytes: part[r], reloadCost: ranking.needsReloadCost ? swapInEstimate(r, ctx) : .zero,
            nextUse: ranking.policy == .belady ? ctx.nextArrival(of: m) : nil))
        index.insert(r, gpus: home[r], bytes: part[r], key: key)
    }

    // MARK: Moving models

    /// Puts server `v` to sleep. Under a mechanism that keeps weights in host memory they are
    /// copied to swap space (after the mechanism's costs: unmapping, a first sleep's pinned
    /// backup, waiting for swap space still being pinned), or only freed when a clean copy is
    /// already there, or dropped when swap space is full. Level 2 drops them, after freeing
    /// takes its time. With `overlap` the GPU memory counts as free at once: the incoming model
    /// is copied into it chunk by chunk as the copy-out frees it (``overlappedBy``).
    private func swapOut(_ v: Int, reason: LifecycleReason, overlap: Int? = nil, _ ctx: StrategyContext) {
        ctx.cancelTimer(.replica(v))
        index.remove(v)
        let m = ctx.model(of: v)
        let weights = moves[m].weights
        let node = ctx.node(of: v)
        let mechanism = config.mechanism
        if permanentCopy[v] {
            ctx.free(part[v], on: home[v], for: m)
            ctx.setState(v, .swapped)
            ctx.record(.swapOut, replica: v, reason: reason.disposal(.cleanCopyKept))
        } else if !mechanism.keepsWeightsInHost {
            // Level 2: the weights are freed, not copied; the model comes back from storage.
            let costs = moves[m].laterSleep
            ctx.setState(v, .swappingOut)
            for g in home[v] { outgoing[g] += part[v].bytes }
            ctx.record(.swapOut, replica: v, reason: reason.disposal(.dropped))
            ctx.scheduleStage(v, after: costs.after)
        } else if ctx.freeHost(node: node) >= weights {
            ctx.reserveHost(weights, node: node)
            ctx.setState(v, .swappingOut)
            let first = !hasSlept[v]
            let costs = first ? moves[m].firstSleep : moves[m].laterSleep
            hasSlept[v] = true
            let pinning = max(.zero, pinnedAt[node] - ctx.now)
            if let r = overlap {
                ctx.free(part[v], on: home[v], for: m)
                overlappedBy[v] = r
                awaiting[r] += 1
            } else {
                for g in home[v] { outgoing[g] += part[v].bytes }
            }
            ctx.record(.swapOut, replica: v, bytes: weights, reason: reason)
            ctx.startTransfer(
                .swapOut, replica: v, bytes: weights, overhead: costs.before + pinning,
                cap: first ? moves[m].firstSleepCap : moves[m].laterSleepCap)
        } else {
            ctx.free(part[v], on: home[v], for: m)
            ctx.setState(v, .offloaded)
            ctx.record(.swapOut, replica: v, reason: reason.disposal(.dropped))
        }
    }

    /// Wakes server `r`: from swap space over the host link, or from storage when its weights
    /// were dropped (level 2's wake, or swap space that was full), after the mechanism's costs.
    private func startSwapIn(_ r: Int, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        let weights = moves[m].weights
        let costs = moves[m].wake
        ctx.allocate(part[r], on: home[r], for: m)
        if ctx.state(of: r) == .swapped {
            ctx.setState(r, .swappingIn)
            ctx.record(.swapIn, replica: r, bytes: weights, reason: swapReason[r])
            ctx.startTransfer(
                .swapIn, replica: r, bytes: weights, overhead: costs.before, cap: moves[m].wakeCap)
        } else {
            // From storage, at the rate the weights reload at.
            let rate = moves[m].reloadRate
            ctx.setState(r, .loading)
            if config.mechanism == .vllmSleepL2 {
                ctx.record(.swapIn, replica: r, bytes: weights, reason: swapReason[r])
            } else {
                ctx.record(.coldStart, replica: r, bytes: weights, reason: swapReason[r] == .prewarm ? .prewarm : .requestNotInSwapSpace)
            }
            ctx.startTransfer(.load, replica: r, bytes: weights, overhead: costs.before, cap: rate)
        }
    }

    func transferFinished(_ r: Int, kind: TransferKind, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        switch kind {
        case .swapOut:
            if let waiter = overlappedBy[r] {
                // Its memory went to `waiter` chunk by chunk; the waiter is ready once every
                // copy-out it overlaps has ended.
                overlappedBy[r] = nil
                awaiting[waiter] -= 1
                ctx.setState(r, .swapped)
                if awaiting[waiter] == 0 && copiedIn[waiter] { finishSwapIn(waiter, ctx) }
            } else {
                slept(r, ctx)
                return
            }
            if ctx.pendingCount(r) > 0 { requestSwapIn(r, reason: .requestNotResident, ctx) }
        case .swapIn, .load:
            if kind == .swapIn && !permanentCopy[r] {
                ctx.releaseHost(ctx.scenario.models[m].architecture.weightBytes, node: ctx.node(of: r))
            }
            copiedIn[r] = true
            if awaiting[r] == 0 { finishSwapIn(r, ctx) }
        }
    }

    /// Server `r` is in (its copy and every copy-out it overlapped have ended).
    private func finishSwapIn(_ r: Int, _ ctx: StrategyContext) {
        copiedIn[r] = false
        let asleep = ctx.state(of: r) == .swappingIn || config.mechanism == .vllmSleepL2
        ctx.makeReady(r, cause: asleep ? .swapIn : .coldStart)
    }

    /// Server `r`'s sleep has ended: its GPU memory is free.
    private func slept(_ r: Int, _ ctx: StrategyContext) {
        let m = ctx.model(of: r)
        ctx.free(part[r], on: home[r], for: m)
        for g in home[r] { outgoing[g] -= part[r].bytes }
        ctx.setState(r, config.mechanism.keepsWeightsInHost ? .swapped : .offloaded)
        if ctx.pendingCount(r) > 0 {
            requestSwapIn(r, reason: .requestNotResident, ctx)
        } else {
            serveWaitList(ctx)
        }
    }

    /// A level-2 sleep's freeing has ended.
    func stageFinished(_ r: Int, _ ctx: StrategyContext) { slept(r, ctx) }

    func replicaIdle(_ r: Int, _ ctx: StrategyContext) {
        guard ctx.state(of: r) == .ready else { return }
        makeCandidate(r, ctx)
        if !waiting.isEmpty { serveWaitList(ctx) }
        if ctx.state(of: r) == .ready, let t = config.idleTimeout {
            ctx.setTimer(.replica(r), after: t)
        }
    }

    func timerFired(_ key: TimerKey, _ ctx: StrategyContext) {
        guard case let .replica(r) = key, ctx.state(of: r) == .ready, ctx.isIdle(r) else { return }
        swapOut(r, reason: .idleTimeout(.copied), ctx)
        serveWaitList(ctx)
    }

    /// Starts waiting swap-ins that memory freed elsewhere (another tier of a mixed pool) now allows.
    func retryWaiting(_ ctx: StrategyContext) {
        if !waiting.isEmpty { serveWaitList(ctx) }
    }

    // MARK: Predictions

    func prewarm(model m: Int, _ ctx: StrategyContext) -> Bool {
        guard waiting.isEmpty, readiness(of: m, ctx) == .cold,
            let r = serversOf[m].first(where: { ctx.state(of: $0) == .swapped || ctx.state(of: $0) == .offloaded })
        else { return false }
        requestSwapIn(r, reason: .prewarm, ctx)
        return true
    }

    func warmupEstimate(model m: Int, _ ctx: StrategyContext) -> SimDuration {
        firstServer[m] >= 0 ? swapInEstimate(firstServer[m], ctx) : .zero
    }

    /// The time to bring server `r` back: from swap space, or from storage when its weights are
    /// not in host memory (``SwapInEstimate``).
    private func swapInEstimate(_ r: Int, _ ctx: StrategyContext) -> SimDuration {
        let m = ctx.model(of: r)
        return ctx.state(of: r) == .offloaded || !keepsWeightsInHost ? estimates[m].fromStorage : estimates[m].fromHost
    }

    func readiness(of m: Int, _ ctx: StrategyContext) -> Readiness {
        if soleServer[m] {
            switch ctx.state(of: firstServer[m]) {
            case .ready: return .warm
            case .swappingIn, .loading: return .warming
            default: return .cold
            }
        }
        var warming = false
        for r in serversOf[m] {
            switch ctx.state(of: r) {
            case .ready: return .warm
            case .swappingIn, .loading: warming = true
            default: break
            }
        }
        return warming ? .warming : .cold
    }

    func tierName(of m: Int) -> String { ModelTier.hotSwap.rawValue }
}

extension LifecycleReason {
    /// The same reason with what became of the weights, for a swap-out.
    func disposal(_ d: SwapOutDisposal) -> LifecycleReason {
        switch self {
        case let .evictedFor(m, _): return .evictedFor(m, d)
        case .idleTimeout: return .idleTimeout(d)
        default: return self
        }
    }
}

/// How long one server of a model takes to come back with the links to itself: the mechanism's
/// overhead, the link latency and the weights over its GPUs' host links, or from storage at the
/// rate the weights reload at (the same rate ``HotSwapStrategy`` caps the load at).
struct SwapInEstimate {
    let fromHost: SimDuration
    let fromStorage: SimDuration

    /// Model `d`'s estimates, from its wake costs and reload rate (`moves`).
    init(_ d: ModelDeployment, moves: HotSwapStrategy.ModelMoves, _ s: Scenario) {
        let link = s.cluster.gpu.link
        let costs = moves.wake
        let tp = Double(d.tensorParallel)
        let weights = Double(moves.weights.bytes)
        let hostRate = link.hostToDevice.bytesPerSecond * tp * (costs.efficiency ?? 1)
        let storageRate = min(s.storageTier.bandwidth.bytesPerSecond, moves.reloadRate.bytesPerSecond * tp)
        fromHost = costs.before + link.latency + SimDuration(seconds: weights / hostRate)
        fromStorage = costs.before + link.latency + SimDuration(seconds: weights / storageRate)
    }

    /// The per-GPU rate weights reload from storage at: level 2's measured reload rate where the
    /// stack has one, else the loader's rate from the storage tier.
    static func reloadRate(_ s: Scenario, mechanism: WakeMechanism) -> Bandwidth {
        let loader = s.loader.rate(from: s.storageTier)
        return mechanism == .vllmSleepL2 ? (s.serving.stack.sleep.reloadRate ?? loader) : loader
    }
}
