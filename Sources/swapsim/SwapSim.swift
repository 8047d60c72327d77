import ArgumentParser
import SwapSimCore
import SwapSimIO

@main
struct SwapSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swapsim",
        abstract: "Simulate serving many LLMs on few GPUs: always-warm, scale-to-zero and hot-swap, compared on cost and latency.",
        discussion: "With no subcommand, runs `compare` on the shipped demo (scenarios/demo.yaml over traces/demo.csv).",
        version: SwapSimVersion.string,
        subcommands: [Compare.self, Simulate.self, Plan.self, Validate.self, Runs.self, Report.self, Merge.self, Trace.self, Calibrate.self],
        defaultSubcommand: Compare.self
    )
}
