import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

/// `swapsim trace …`: make traces.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate, convert and inspect request traces.",
        subcommands: [Generate.self, Convert.self, Inspect.self]
    )
}

