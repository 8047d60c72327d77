import ArgumentParser
import SwapSimIO

/// `--progress`: the flag every long-running command shares.
///
/// A progress line goes to stderr whenever stderr is a terminal; the flag asks for plain lines
/// every few seconds when it is not (a log file, a CI job), and one at the end.
struct ProgressFlag: ParsableArguments {
    @Flag(help: "Print progress (done/total, rate, ETA) to stderr every few seconds even when it is not a terminal. On a terminal a live line is always shown.")
    var progress = false

    /// A progress line for `label` counting `unit`, in the mode stderr and the flag call for.
    func line(_ label: String, unit: ProgressLine.Unit) -> ProgressLine {
        ProgressLine(label: label, unit: unit, mode: ProgressLine.mode(requested: progress))
    }
}
