/// One value of a strategy's configuration key.
public enum SettingValue: Hashable, Sendable, CustomStringConvertible {
    case duration(SimDuration)
    /// A duration, or `never` (nil).
    case durationOrNever(SimDuration?)
    /// A duration, or unset (nil: derived from elsewhere, e.g. the serving stack).
    case optionalDuration(SimDuration?)
    case integer(Int)
    /// An integer, or unset (nil: the strategy's own default applies, e.g. "the whole cluster").
    case optionalInteger(Int?)
    case flag(Bool)
    /// One of the names the key's ``SettingSpec/Kind/choice(_:)`` lists.
    case choice(String)
    case size(ByteCount)
    /// A tier per model, in scenario order (the planner's split of a mixed pool).
    case tiers([ModelTier])

    public var description: String {
        switch self {
        case let .duration(d): return PlanText.duration(d)
        case let .durationOrNever(d): return d.map(PlanText.duration) ?? "never"
        case let .optionalDuration(d): return d.map(PlanText.duration) ?? "unset"
        case let .integer(n): return "\(n)"
        case let .optionalInteger(n): return n.map { "\($0)" } ?? "unset"
        case let .flag(b): return b ? "true" : "false"
        case let .choice(s): return s
        case let .size(b): return "\(b)"
        case let .tiers(t): return PlanAdvice.summary(t)
        }
    }
}

/// A configuration key a strategy declares: its name, type, default and meaning.
///
/// The scenario loader reads `strategies.<name>.<key>` by these declarations alone, so a new
/// strategy's keys need no loader code. Nested keys are written with dots (`cold_start.warmup`
/// is `cold_start: {warmup: …}` in YAML).
public struct SettingSpec: Sendable {
    /// The value's type, with the range a number must lie in.
    public enum Kind: Sendable {
        case duration
        case durationOrNever
        case optionalDuration
        case integer(ClosedRange<Int>)
        case optionalInteger(ClosedRange<Int>)
        case flag
        case choice([String])
        case size
    }

    public let key: String
    public let kind: Kind
    public let defaultValue: SettingValue
    /// One line, for documentation and `--help`.
    public let summary: String
    /// What a choice's values are called in messages (`eviction policy`); nil: `value`.
    public let noun: String?

    public init(_ key: String, _ kind: Kind, default defaultValue: SettingValue, _ summary: String, noun: String? = nil) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
        self.noun = noun
    }

    /// The message for a choice value that is not one of `names`.
    public func unknownChoice(_ value: String, among names: [String]) -> String {
        "unknown \(noun ?? "value") '\(value)' (one of: \(names.joined(separator: ", ")))"
    }

    /// The pool size every strategy takes: the first `gpus` GPUs of the cluster.
    public static let pool = SettingSpec(
        "gpus", .optionalInteger(1...ScenarioLimits.maxGPUs), default: .optionalInteger(nil),
        "GPUs in the strategy's pool, the first of the cluster's (unset: all of them)")

    /// Checks `value` against this key's type and range; `path` names the key in the error.
    func check(_ value: SettingValue, path: String) throws(ScenarioError) {
        switch (kind, value) {
        case (.duration, .duration(let d)), (.durationOrNever, .durationOrNever(let d?)), (.optionalDuration, .optionalDuration(let d?)):
            if d < .zero { throw .invalidValue(keyPath: path, reason: "must not be negative, got \(d.seconds) s") }
            if d > SimDuration.longestSetting { throw .invalidValue(keyPath: path, reason: "at most 10 years is supported, got \(d.seconds) s") }
        case (.durationOrNever, .durationOrNever(nil)), (.optionalDuration, .optionalDuration(nil)), (.flag, .flag), (.size, .size), (.optionalInteger, .optionalInteger(nil)):
            break
        case let (.integer(range), .integer(n)), let (.optionalInteger(range), .optionalInteger(n?)):
            if !range.contains(n) { throw .invalidValue(keyPath: path, reason: "must be between \(range.lowerBound) and \(range.upperBound), got \(n)") }
        case let (.choice(names), .choice(s)):
            if !names.contains(s) { throw .invalidValue(keyPath: path, reason: unknownChoice(s, among: names)) }
        default:
            throw .invalidValue(keyPath: path, reason: "expected \(kind.expectation), got \(value)")
        }
    }
}

extension SettingSpec.Kind {
    /// What a value of this kind looks like, for messages.
    public var expectation: String {
        switch self {
        case .duration, .optionalDuration: return "a duration with a unit, like 90s or 5m"
        case .durationOrNever: return "a duration with a unit, like 90s or 5m, or never"
        case let .integer(r), let .optionalInteger(r): return "a whole number from \(r.lowerBound) to \(r.upperBound)"
        case .flag: return "true or false"
        case let .choice(names): return "one of \(names.joined(separator: ", "))"
        case .size: return "a size with a unit, like 16GiB"
        }
    }
}

/// One strategy's configuration: a value for every key its registry entry declares.
public struct StrategySettings: Hashable, Sendable {
    /// The values by key. (A dictionary for lookup only: nothing iterates it into output.)
    private var values: [String: SettingValue]
    public let kind: StrategyKind
    /// Whether the scenario has a section for this strategy (`strategies.<name>`), even an empty one.
    public var given = false

    /// The registry's defaults for `kind`.
    public init(defaultsOf kind: StrategyKind) {
        self.kind = kind
        var v: [String: SettingValue] = [:]
        for spec in kind.descriptor.settings { v[spec.key] = spec.defaultValue }
        values = v
    }

    /// The value of `key`, which the strategy must declare.
    public subscript(key: String) -> SettingValue {
        get {
            guard let v = values[key] else { preconditionFailure("strategy \(kind) declares no setting '\(key)'") }
            return v
        }
        set {
            precondition(values[key] != nil, "strategy \(kind) declares no setting '\(key)'")
            values[key] = newValue
        }
    }

    public func duration(_ key: String) -> SimDuration {
        guard case let .duration(d) = self[key] else { preconditionFailure("\(kind).\(key) is not a duration") }
        return d
    }
    public func optionalDuration(_ key: String) -> SimDuration? {
        guard case let .optionalDuration(d) = self[key] else { preconditionFailure("\(kind).\(key) is not an optional duration") }
        return d
    }
    public func durationOrNever(_ key: String) -> SimDuration? {
        guard case let .durationOrNever(d) = self[key] else { preconditionFailure("\(kind).\(key) is not a duration or never") }
        return d
    }
    public func integer(_ key: String) -> Int {
        guard case let .integer(n) = self[key] else { preconditionFailure("\(kind).\(key) is not an integer") }
        return n
    }
    public func optionalInteger(_ key: String) -> Int? {
        guard case let .optionalInteger(n) = self[key] else { preconditionFailure("\(kind).\(key) is not an optional integer") }
        return n
    }
    public func flag(_ key: String) -> Bool {
        guard case let .flag(b) = self[key] else { preconditionFailure("\(kind).\(key) is not a flag") }
        return b
    }
    public func choice(_ key: String) -> String {
        guard case let .choice(s) = self[key] else { preconditionFailure("\(kind).\(key) is not a choice") }
        return s
    }

    /// The pool size key every strategy has.
    public var pool: Int? { optionalInteger("gpus") }

    /// Checks every value against its declaration; errors name `strategies.<kind>.<key>`.
    func validate() throws(ScenarioError) {
        for spec in kind.descriptor.settings {
            try spec.check(self[spec.key], path: "strategies.\(kind).\(spec.key)")
        }
    }
}

/// Every registered strategy's configuration in a scenario.
public struct StrategyConfigurations: Hashable, Sendable {
    private var table: [StrategyKind: StrategySettings]

    /// The registry's defaults for every strategy.
    public init() {
        var t: [StrategyKind: StrategySettings] = [:]
        for d in StrategyRegistry.all { t[d.kind] = StrategySettings(defaultsOf: d.kind) }
        table = t
    }

    public subscript(kind: StrategyKind) -> StrategySettings {
        get { table[kind]! }
        set {
            precondition(newValue.kind == kind)
            table[kind] = newValue
        }
    }

    /// Checks every strategy's values, in registry order.
    func validate() throws(ScenarioError) {
        for d in StrategyRegistry.all { try table[d.kind]!.validate() }
    }
}
