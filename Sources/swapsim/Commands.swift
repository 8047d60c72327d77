import ArgumentParser
import SwapSimCore
import SwapSimIO

/// `swapsim compare`: every strategy over one trace, side by side.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every strategy over a trace and compare cost and latency.",
        discussion: "With no options, runs the shipped demo: scenarios/demo.yaml over traces/demo.csv.\n\n" + examples(
            "swapsim compare",
            "swapsim compare --scenario scenarios/l40s-4x-sharing.yaml --trace traces/l40s-sharing.csv --report out/")
    )

    @OptionGroup var options: RunOptions

    func run() throws { try options.run(strategies: .compared) }
}

/// `swapsim simulate`: one strategy (or all) over one trace.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate one strategy (or all) serving a trace on a scenario's cluster.",
        discussion: examples(
            "swapsim simulate --scenario scenarios/demo.yaml --trace traces/demo.csv --strategy hot-swap --format json",
            "swapsim simulate --scenario scenarios/demo.yaml --trace traces/demo.csv --db results.db --store-requests")
    )

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Strategy, or all.", valueName: StrategySelection.allValueStrings.joined(separator: "|")))
    var strategy: StrategySelection = .all

    func run() throws { try options.run(strategies: strategy.choice) }
}
