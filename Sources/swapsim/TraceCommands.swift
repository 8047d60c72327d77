import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

/// `swapsim trace …`: make traces.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate, convert and inspect request traces.",
        discussion: examples(
            "swapsim trace generate --models a,b,c --rate 2 --duration 10m --zipf 1.1 -o t.csv",
            "swapsim trace inspect traces/demo.csv"),
        subcommands: [Generate.self, Convert.self, Inspect.self]
    )
}

