import SwapSimCore

/// A plan's search space as written: the scenario's `plan:` section, or `swapsim plan`'s
/// flags. Unset fields fall back (flags over the file, the file over the defaults of
/// ``resolve(scenario:)``).
///
/// ```yaml
/// plan:
///   strategies: [always-warm, scale-to-zero, hot-swap]
///   gpu_types: [H100-SXM, L40S]       # catalogue names; default: the scenario's GPU
///   max_gpus: 32                      # default 64
///   budget_usd_per_month: 50000       # optional
///   swap_space: [512GiB, 1TiB]        # hot-swap, per node; default: the scenario's
///   keep_alive: [1m, 5m]              # scale-to-zero; default: the scenario's
///   idle_timeout: [30s, 2m, never]    # hot-swap; default: the scenario's
///   eviction: [lru, lfu]              # hot-swap; default: the scenario's
///   replications: 3                   # seeds per configuration; default 1
///   size_replicas: true               # size replicas per model from the trace's load; default true
/// ```
public struct PlanSection: Sendable, Equatable {
    public var strategies: [StrategyKind]? = nil
    public var gpuTypes: [String]? = nil
    public var maxGPUs: Int? = nil
    public var budgetPerMonth: Double? = nil
    public var swapSpaces: [ByteCount]? = nil
    public var keepAlives: [SimDuration]? = nil
    public var idleTimeouts: [SimDuration?]? = nil
    public var evictions: [EvictionPolicy]? = nil
    public var replications: Int? = nil
    public var sizeReplicas: Bool? = nil

    public init() {}

    /// The GPU count cap when neither the file nor the flags give one.
    public static let defaultMaxGPUs = 64

    /// The keys a `plan:` section may hold.
    static let keys = [
        "strategies", "gpu_types", "max_gpus", "budget_usd_per_month", "swap_space", "keep_alive", "idle_timeout", "eviction",
        "replications", "size_replicas",
    ]

    /// This section with every field `other` sets taken from `other`.
    public func overridden(by other: PlanSection) -> PlanSection {
        var s = self
        if let v = other.strategies { s.strategies = v }
        if let v = other.gpuTypes { s.gpuTypes = v }
        if let v = other.maxGPUs { s.maxGPUs = v }
        if let v = other.budgetPerMonth { s.budgetPerMonth = v }
        if let v = other.swapSpaces { s.swapSpaces = v }
        if let v = other.keepAlives { s.keepAlives = v }
        if let v = other.idleTimeouts { s.idleTimeouts = v }
        if let v = other.evictions { s.evictions = v }
        if let v = other.replications { s.replications = v }
        if let v = other.sizeReplicas { s.sizeReplicas = v }
        return s
    }

    /// The search space on `scenario`: defaults filled from it, GPU types resolved.
    ///
    /// A GPU type named like the scenario's GPU is the scenario's (with its inline overrides)
    /// billed at the scenario's `costs.gpu_hour_usd`; any other is the catalogue's, billed at
    /// its catalogue price.
    public func resolve(scenario: Scenario) throws(PlanValueError) -> PlanSpace {
        var gpus: [PlanSpace.PricedGPU] = []
        for name in gpuTypes ?? [scenario.cluster.gpu.name] {
            if name == scenario.cluster.gpu.name || GPUCatalog.named(name)?.name == scenario.cluster.gpu.name {
                gpus.append(.init(spec: scenario.cluster.gpu, pricePerHour: scenario.costs.gpuHour))
            } else {
                let g = try Self.gpu(name)
                gpus.append(.init(spec: g, pricePerHour: g.pricePerHour))
            }
        }
        let maxGPUs = self.maxGPUs ?? Self.defaultMaxGPUs
        guard (1...PlanSpace.maxGPUsLimit).contains(maxGPUs) else {
            throw PlanValueError(field: "max_gpus", reason: "must be between 1 and \(PlanSpace.maxGPUsLimit), got \(maxGPUs)")
        }
        if let b = budgetPerMonth, !(b > 0 && b.isFinite) {
            throw PlanValueError(field: "budget_usd_per_month", reason: "must be a positive number of dollars, got \(b)")
        }
        for (field, n) in [("strategies", strategies?.count), ("gpu_types", gpuTypes?.count), ("swap_space", swapSpaces?.count),
            ("keep_alive", keepAlives?.count), ("idle_timeout", idleTimeouts?.count), ("eviction", evictions?.count)] where n == 0 {
            throw PlanValueError(field: field, reason: "the list is empty; give at least one value or leave it out")
        }
        var space = PlanSpace(
            strategies: strategies ?? Self.defaultStrategies(scenario), gpuTypes: gpus, maxGPUs: maxGPUs,
            budgetPerMonth: budgetPerMonth.map(Dollars.init), swapSpaces: swapSpaces ?? [scenario.cluster.swapSpace],
            keepAlives: keepAlives ?? [scenario.scaleToZero.keepAlive], idleTimeouts: idleTimeouts ?? [scenario.hotSwap.idleTimeout],
            evictions: evictions ?? [scenario.hotSwap.eviction])
        space.sizeReplicas = sizeReplicas ?? true
        try Self.unique("strategies", space.strategies.map(\.rawValue))
        try Self.unique("gpu_types", space.gpuTypes.map(\.spec.name))
        try Self.unique("swap_space", space.swapSpaces.map { String($0.bytes) })
        try Self.unique("keep_alive", space.keepAlives.map { String($0.nanoseconds) })
        try Self.unique("idle_timeout", space.idleTimeouts.map { $0.map { String($0.nanoseconds) } ?? "never" })
        try Self.unique("eviction", space.evictions.map(\.rawValue))
        if let r = replications, !(1...1000).contains(r) {
            throw PlanValueError(field: "replications", reason: "must be between 1 and 1000, got \(r)")
        }
        for s in space.swapSpaces where s < .gibibytes(1) {
            throw PlanValueError(field: "swap_space", reason: "\(s) is too small to hold a model")
        }
        for k in space.keepAlives where k < .zero {
            throw PlanValueError(field: "keep_alive", reason: "must not be negative")
        }
        for case let t? in space.idleTimeouts where t < .zero {
            throw PlanValueError(field: "idle_timeout", reason: "must not be negative")
        }
        return space
    }

    private static func unique(_ field: String, _ values: [String]) throws(PlanValueError) {
        for (i, v) in values.enumerated() where values[..<i].contains(v) {
            throw PlanValueError(field: field, reason: "value \(i + 1) repeats an earlier one")
        }
    }

    // MARK: single values, shared by the file and the flags

    /// The catalogue GPU named `name`.
    public static func gpu(_ name: String) throws(PlanValueError) -> GPUSpec {
        guard let g = GPUCatalog.named(name) else {
            throw PlanValueError(field: "gpu_types", reason: "unknown GPU '\(name)' (catalogue: \(GPUCatalog.all.map(\.name).joined(separator: ", ")))")
        }
        return g
    }

    /// A strategy by its CLI name.
    public static func strategy(_ s: String) throws(PlanValueError) -> StrategyKind {
        guard let k = StrategyKind(rawValue: s) else {
            throw PlanValueError(field: "strategies", reason: "unknown strategy '\(s)' (one of: \(StrategyKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return k
    }

    /// The strategies a plan covers by default: those `compare` runs, and a mixed pool, whose
    /// tiers the planner proposes from the trace.
    static func defaultStrategies(_ scenario: Scenario) -> [StrategyKind] {
        var kinds = StrategyKind.compared(in: scenario)
        if !kinds.contains(.hybrid) { kinds.insert(.hybrid, at: kinds.firstIndex(of: .hotSwap).map { $0 + 1 } ?? kinds.count) }
        return kinds
    }

    /// An eviction policy by name.
    public static func eviction(_ s: String) throws(PlanValueError) -> EvictionPolicy {
        guard let e = EvictionPolicy(rawValue: s) else {
            throw PlanValueError(field: "eviction", reason: "unknown eviction policy '\(s)' (one of: \(EvictionPolicy.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return e
    }

    /// An idle timeout: a duration, or `never`.
    public static func idleTimeout(_ s: String) throws(PlanValueError) -> SimDuration? {
        do { return try UnitParser.durationOrNever(s) } catch { throw PlanValueError(field: "idle_timeout", reason: error.message) }
    }

    public static func duration(_ s: String, field: String) throws(PlanValueError) -> SimDuration {
        do { return try UnitParser.duration(s) } catch { throw PlanValueError(field: field, reason: error.message) }
    }

    public static func bytes(_ s: String, field: String) throws(PlanValueError) -> ByteCount {
        do { return try UnitParser.bytes(s) } catch { throw PlanValueError(field: field, reason: error.message) }
    }
}

/// A bad value in a plan's search space, named by its `plan:` key.
public struct PlanValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `plan:` key (the CLI maps it to its flag).
    public var field: String
    public var reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "plan.\(field): \(reason)" }
}
