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

    var kinds: [StrategyKind] {
        switch self {
        case let .one(k): return [k]
        case .all: return StrategyKind.allCases
        }
    }
}
