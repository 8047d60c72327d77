extension StrategyKind {
    /// Every model keeps its replicas on GPUs all the time.
    public static let alwaysWarm = StrategyKind(name: "always-warm")
}

/// The always-warm strategy's settings.
public struct AlwaysWarmConfig: Hashable, Sendable {
    /// Replicas of every model (`models[].replicas` overrides it per model).
    public var replicas: Int
    /// GPUs in the strategy's pool, the first of the cluster's (nil: all of them).
    public var gpus: Int?

    public init(replicas: Int = 1, gpus: Int? = nil) {
        self.replicas = replicas
        self.gpus = gpus
    }
}

extension Scenario {
    /// The always-warm strategy's settings (`strategies.always-warm`).
    public var alwaysWarm: AlwaysWarmConfig {
        get { AlwaysWarmConfig(replicas: strategies[.alwaysWarm].integer("replicas"), gpus: strategies[.alwaysWarm].pool) }
        set {
            strategies[.alwaysWarm]["replicas"] = .integer(newValue.replicas)
            strategies[.alwaysWarm]["gpus"] = .optionalInteger(newValue.gpus)
        }
    }
}

/// Every model keeps its replicas on GPUs for the whole trace; every GPU is billed all the time.
///
/// Replicas are placed once at the start, largest first, each on the GPUs with the most free
/// memory (``Placement/spreadDecreasing(items:capacity:cluster:limit:used:)``), so they share a
/// GPU only when the pool has fewer GPUs than replicas; when spreading cannot place them all,
/// first-fit decreasing packs them, and small models share GPUs where memory allows. Requests
/// go to the model's replica with the fewest outstanding requests (ties to the lowest index).
///
/// In a mixed pool (``HybridStrategy``) it serves the pinned models, placed first.
final class AlwaysWarmStrategy: ServingStrategy {
    static let descriptor = StrategyDescriptor(
        kind: .alwaysWarm,
        summary: "every model stays resident on its GPUs; the whole pool is billed all the time",
        settings: [
            SettingSpec("replicas", .integer(1...ScenarioLimits.maxReplicas), default: .integer(1), "replicas of every model (models[].replicas overrides it)")
        ],
        billing: { _ in .pool },
        make: { AlwaysWarmStrategy(scenario: $0, members: Array($0.models.indices)) })

    /// The models it serves.
    let members: [Int]
    /// Whether it serves the pinned models of a mixed pool (only its error message differs).
    let isPinnedTier: Bool
    /// Whether each replica takes GPUs of its own, on the first GPUs of the pool (widest
    /// first), leaving the rest of the pool to other tiers: a mixed pool's pinned tier with
    /// `pinned_gpus: own`, like one engine per GPU group in a production deployment.
    var exclusive = false
    /// GPUs `0..<gpusHeld` hold every replica (after ``start(_:)``).
    private(set) var gpusHeld = 0
    private let defaultReplicas: Int
    private var replicasOf: [[Int]]

    init(scenario: Scenario, members: [Int], isPinnedTier: Bool = false) {
        self.members = members
        self.isPinnedTier = isPinnedTier
        defaultReplicas = scenario.alwaysWarm.replicas
        replicasOf = Array(repeating: [], count: scenario.models.count)
    }

    func start(_ ctx: StrategyContext) throws(ScenarioError) {
        let s = ctx.scenario
        var items: [(bytes: ByteCount, width: Int)] = []
        var owners: [Int] = []
        for m in members {
            for _ in 0..<s.replicas(of: m, default: defaultReplicas) {
                items.append((s.perGPUFootprint(s.models[m]), s.models[m].tensorParallel))
                owners.append(m)
            }
        }
        let used = (0..<s.cluster.gpuCount).map { ctx.gpuCapacity - ctx.freeGPU($0) }
        let groups: [Range<Int>?]
        // What the placement packed: the replicas themselves, or each as a whole GPU group.
        var packed = items
        if exclusive {
            // Each replica as if it filled its GPUs, widest first: first fit then gives each a
            // group of its own, with no gap a narrower one leaves before a wider one's alignment.
            let order = items.indices.sorted { items[$0].width != items[$1].width ? items[$0].width > items[$1].width : $0 < $1 }
            let whole = order.map { (bytes: ctx.gpuCapacity, width: items[$0].width) }
            packed = whole
            let fit = Placement.firstFitDecreasing(items: whole, capacity: ctx.gpuCapacity, cluster: s.cluster, limit: ctx.pool, used: used).groups
            var placed = [Range<Int>?](repeating: nil, count: items.count)
            for (k, i) in order.enumerated() { placed[i] = fit[k] }
            groups = placed
        } else {
            // Spread over the pool when it can; first fit packs what spreading cannot place.
            groups = Placement.spreadDecreasing(items: items, capacity: ctx.gpuCapacity, cluster: s.cluster, limit: ctx.pool, used: used)
                ?? Placement.firstFitDecreasing(items: items, capacity: ctx.gpuCapacity, cluster: s.cluster, limit: ctx.pool, used: used).groups
        }
        if let k = groups.firstIndex(where: { $0 == nil }) {
            let needed = Placement.gpusNeeded(items: packed, capacity: ctx.gpuCapacity, cluster: s.cluster)
            if isPinnedTier {
                throw .pinnedDoesNotFit(needed: needed, available: ctx.pool, gpu: s.cluster.gpu.name, model: s.models[owners[k]].name)
            }
            throw .alwaysWarmDoesNotFit(needed: needed, available: ctx.pool, gpu: s.cluster.gpu.name)
        }
        for (k, g) in groups.enumerated() {
            let m = owners[k]
            let r = ctx.addReplica(model: m, gpus: g!, state: .ready)
            gpusHeld = max(gpusHeld, g!.upperBound)
            ctx.allocate(items[k].bytes, on: g!, for: m)
            replicasOf[m].append(r)
        }
    }

    func route(_ request: Int32, model: Int, _ ctx: StrategyContext) {
        var best = replicasOf[model][0]
        for r in replicasOf[model].dropFirst() where ctx.outstanding(r) < ctx.outstanding(best) {
            best = r
        }
        ctx.deliver(request, to: best)
    }

    func tierName(of m: Int) -> String { ModelTier.pinned.rawValue }
}
