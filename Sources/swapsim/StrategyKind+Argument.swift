import ArgumentParser
import SwapSimCore
import SwapSimIO

extension StrategyKind: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// What `--strategy` accepts: one strategy, or `all`.
enum StrategySelection: ExpressibleByArgument {
    case one(StrategyKind)
    case all

    init?(argument: String) {
        if argument == "all" { self = .all } else if let k = StrategyKind(rawValue: argument) { self = .one(k) } else { return nil }
    }

    static var allValueStrings: [String] { StrategyKind.allCases.map(\.rawValue) + ["all"] }

    var choice: StrategyChoice {
        switch self {
        case let .one(k): return .these([k])
        case .all: return .compared
        }
    }
}

/// Which strategies a run simulates.
enum StrategyChoice {
    case these([StrategyKind])
    /// Those `compare` runs on the scenario (``StrategyKind/compared(in:)``).
    case compared

    func kinds(for scenario: Scenario) -> [StrategyKind] {
        switch self {
        case let .these(k): return k
        case .compared: return StrategyKind.compared(in: scenario)
        }
    }
}
