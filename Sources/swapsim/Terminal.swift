import Foundation
import SwapSimIO

/// Where the CLI writes for people: every output and message goes through ``TerminalText``, so
/// a name from a scenario, trace or store can never send a control sequence to the terminal.
/// (Trace data that `trace convert` and `trace generate` write is data, written as it is.)
enum Terminal {
    /// Writes `text` to standard output as it is, but for control characters (newlines kept).
    static func out(_ text: String) {
        print(TerminalText.safe(text, keepingNewlines: true), terminator: "")
    }

    /// Writes `line`, one line, and a newline to standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.safe(line) + "\n").utf8))
    }
}
