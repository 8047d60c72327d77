import SwapSimCore

/// The `plan` command's search-space and SLO flags as typed, and what they mean: the `plan:`
/// keys they replace (``section()``) and the SLO values they replace (``sloOverride()``).
///
/// The mapping from flag to key lives here, beside the section's YAML reader, so the command
/// line only declares the flags and hands their texts over.
public struct PlanFlags: Sendable, Equatable {
    /// `--strategies a,b`.
    public var strategies: String?
    /// `--gpu-types H100-SXM,L40S`.
    public var gpuTypes: String?
    /// `--max-gpus N`.
    public var maxGPUs: Int?
    /// `--budget USD` (per month).
    public var budget: Double?
    /// `--swap-space 512GiB,1TiB`.
    public var swapSpace: String?
    /// `--keep-alive 1m,5m`.
    public var keepAlive: String?
    /// `--idle-timeout 30s,never`.
    public var idleTimeout: String?
    /// `--eviction lru,lfu`.
    public var eviction: String?
    /// `--replications R`.
    public var replications: Int?
    /// `--slo-ttft`, `--slo-attainment`, `--slo-p99`.
    public var sloTTFT: String?
    public var sloAttainment: String?
    public var sloP99: String?

    public init() {}

    /// The `plan:` section the flags give (nil keys: not given).
    ///
    /// - Throws: ``PlanFlagError`` naming the flag, its value and what is wrong with it.
    public func section() throws(PlanFlagError) -> PlanSection {
        var s = PlanSection()
        s.strategies = try Self.list("--strategies", strategies, PlanSection.strategy)
        s.gpuTypes = try Self.list("--gpu-types", gpuTypes) { (n: String) throws(PlanValueError) -> String in try PlanSection.gpu(n).name }
        s.maxGPUs = maxGPUs
        s.budgetPerMonth = budget
        s.swapSpaces = try Self.list("--swap-space", swapSpace) { (t: String) throws(PlanValueError) -> ByteCount in try PlanSection.bytes(t, field: "swap_space") }
        s.keepAlives = try Self.list("--keep-alive", keepAlive) { (t: String) throws(PlanValueError) -> SimDuration in try PlanSection.duration(t, field: "keep_alive") }
        s.idleTimeouts = try Self.list("--idle-timeout", idleTimeout, PlanSection.idleTimeout)
        s.evictions = try Self.list("--eviction", eviction, PlanSection.eviction)
        s.replications = replications
        return s
    }

    /// The SLO values the flags replace.
    ///
    /// - Throws: ``PlanFlagError`` naming the flag.
    public func sloOverride() throws(PlanFlagError) -> SLOOverride {
        do throws(PlanValueError) { return try SLOOverride.parse(ttft: sloTTFT, attainment: sloAttainment, p99: sloP99) } catch {
            let flag = Self.flag(forKey: error.field)
            let value = [("--slo-ttft", sloTTFT), ("--slo-attainment", sloAttainment), ("--slo-p99", sloP99)].first { $0.0 == flag }?.1 ?? ""
            throw PlanFlagError(flag: flag, value: value, reason: error.reason, showsValue: false)
        }
    }

    /// The flag that sets `plan:` key (or SLO field) `key`: `max_gpus` → `--max-gpus`,
    /// `budget_usd_per_month` → `--budget`.
    public static func flag(forKey key: String) -> String {
        key == "budget_usd_per_month" ? "--budget" : "--" + key.replacingOccurrences(of: "_", with: "-")
    }

    /// A search-space error, named by its flag when `flags` (the section the flags gave) set
    /// the key, else by the scenario file's `plan.` key.
    public static func describe(_ e: PlanValueError, fromFlags flags: PlanSection, scenarioFile: String) -> String {
        let flagSet: [String: Bool] = [
            "strategies": flags.strategies != nil, "gpu_types": flags.gpuTypes != nil, "max_gpus": flags.maxGPUs != nil,
            "budget_usd_per_month": flags.budgetPerMonth != nil, "swap_space": flags.swapSpaces != nil,
            "keep_alive": flags.keepAlives != nil, "idle_timeout": flags.idleTimeouts != nil, "eviction": flags.evictions != nil,
            "replications": flags.replications != nil,
        ]
        return flagSet[e.field] == true ? "\(flag(forKey: e.field)): \(e.reason)" : "\(scenarioFile): plan.\(e.field): \(e.reason)"
    }

    /// A comma-separated flag value, each item parsed by `parse` (nil when the flag is absent).
    private static func list<T>(_ flag: String, _ value: String?, _ parse: (String) throws(PlanValueError) -> T) throws(PlanFlagError) -> [T]? {
        guard let value else { return nil }
        var out: [T] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            do { out.append(try parse(item.trimmingWhitespace())) } catch { throw PlanFlagError(flag: flag, value: value, reason: error.reason) }
        }
        return out
    }
}

/// A bad value given to a `plan` flag: "--eviction lru,mru: unknown eviction policy 'mru' …".
public struct PlanFlagError: Error, Sendable, Equatable, CustomStringConvertible {
    public var flag: String
    public var value: String
    public var reason: String
    /// Whether the message repeats the value after the flag (list flags do; the SLO flags'
    /// reasons quote it already).
    public var showsValue = true

    public var description: String { showsValue ? "\(flag) \(value): \(reason)" : "\(flag): \(reason)" }
}
