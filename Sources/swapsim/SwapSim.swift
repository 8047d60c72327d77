import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

@main
struct SwapSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swapsim",
        abstract: "Simulate serving many LLMs on few GPUs: always-warm, scale-to-zero and hot-swap, compared on cost and latency.",
        discussion: """
            With no subcommand, runs `compare` on the shipped demo (scenarios/demo.yaml over traces/demo.csv).

            Exit status: 0 success; 1 bad input (a file, a value, a scenario that cannot run) or a failed \
            run or check; 64 a usage error (an unknown command or option, a missing or malformed argument).
            \n
            """ + examples(
                "swapsim",
                "swapsim compare --scenario scenarios/demo.yaml --trace traces/demo.csv --report out/",
                "swapsim plan --scenario scenarios/demo.yaml --trace traces/demo.csv --slo-p99 5s"),
        version: SwapSimVersion.string,
        subcommands: [Compare.self, Simulate.self, Plan.self, Validate.self, Runs.self, Report.self, Merge.self, Trace.self, Calibrate.self],
        defaultSubcommand: Compare.self
    )

    /// Parses and runs, after catching a misspelled subcommand (exit status 64, as for every
    /// usage error).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let line = CommandSuggestion.error(for: arguments) {
            Terminal.note(line)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(arguments)
    }
}

/// "Examples:" and `commands`, indented, for the end of a command's help.
///
/// A command longer than the help's 80 columns is broken before an option (kept with its
/// value), with a trailing backslash, so it still pastes into a shell as one command.
func examples(_ commands: String...) -> String {
    var lines: [String] = []
    for command in commands {
        // Groups: the command's leading words, then each option with the words after it.
        var groups: [String] = []
        for word in command.split(separator: " ") {
            if word.hasPrefix("-") || groups.isEmpty { groups.append(String(word)) } else { groups[groups.count - 1] += " " + word }
        }
        var line = "  " + groups[0]
        for g in groups.dropFirst() {
            if line.count + 1 + g.count + 2 > 80 {
                lines.append(line + " \\")
                line = "    " + g
            } else {
                line += " " + g
            }
        }
        lines.append(line)
    }
    return "Examples:\n" + lines.joined(separator: "\n")
}
