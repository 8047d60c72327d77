/// The name of a serving strategy, as scenarios, the command line and every output write it.
///
/// The strategies themselves are listed once, in ``StrategyRegistry/all``; each declares its
/// kind as a static constant in its own file (`extension StrategyKind { static let hotSwap }`).
/// A kind is created only from the registry, so every value names a registered strategy.
public struct StrategyKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kebab-case name (`hot-swap`).
    public let rawValue: String

    /// The registered strategy named `rawValue`, or nil.
    public init?(rawValue: String) {
        guard StrategyRegistry.all.contains(where: { $0.kind.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// A kind for a registry entry to declare (the registry is the only caller that matters:
    /// a kind not in it is never accepted from input).
    init(name: String) { rawValue = name }

    var name: String { rawValue }

    /// Every registered strategy, in registry order.
    public static var allCases: [StrategyKind] { StrategyRegistry.all.map(\.kind) }

    /// The strategies `compare` runs on `scenario`: the single strategies, and the others the
    /// scenario configures (a hybrid pool when a model names its tier, say).
    public static func compared(in scenario: Scenario) -> [StrategyKind] {
        StrategyRegistry.all.filter { $0.inCompare(scenario) }.map(\.kind)
    }

    /// This strategy's registry entry.
    public var descriptor: StrategyDescriptor { StrategyRegistry.descriptor(of: self) }

    /// Its place in the registry, for stable colours and orders in outputs.
    public var registryIndex: Int { StrategyRegistry.all.firstIndex { $0.kind == self }! }

    public var description: String { rawValue }
}
