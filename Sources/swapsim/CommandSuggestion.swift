import ArgumentParser
import Foundation

/// A misspelled subcommand, caught before parsing: `swapsim simulat` would otherwise reach the
/// default command, `compare`, as an "unexpected argument".
enum CommandSuggestion {
    /// The error line for `arguments` (without the program name) when a word in a subcommand's
    /// place names no subcommand, or nil when the arguments name known commands.
    static func error(for arguments: [String], root: any ParsableCommand.Type = SwapSim.self) -> String? {
        var command: any ParsableCommand.Type = root
        var path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return nil }
            let names = subcommands.map { $0._commandName }
            guard let i = names.firstIndex(of: word) else {
                if word == "help" { return nil }
                let hint = nearest(to: word, in: names).map { "did you mean '\($0)'? " } ?? ""
                return "error: '\(path.joined(separator: " "))' has no command '\(word)'; \(hint)the commands are \(names.joined(separator: ", "))"
            }
            command = subcommands[i]
            path.append(word)
        }
        return nil
    }

    /// The name closest to `word` by edit distance, if close enough to be a slip: at most a
    /// third of the word's length (at least 1), or `word` a prefix of exactly one name.
    static func nearest(to word: String, in names: [String]) -> String? {
        let prefixed = names.filter { $0.hasPrefix(word) }
        if prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { ($0, distance(word, $0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        guard let best = scored.first, best.1 <= max(1, word.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance between `a` and `b`, by characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
