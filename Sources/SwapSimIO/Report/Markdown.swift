/// The one Markdown escaper: every name or text from a scenario, a trace or a results store
/// that a Markdown writer puts in a heading, a paragraph or a table cell (`report.md`,
/// `plan.md`, `--format markdown`) goes through it, so it reads as the literal text it is.
///
/// Markdown passes inline HTML through, and many renderers show it: a model named
/// `<img src=x onerror=alert(1)>` would become an image tag. Here `<`, `>` and `&` become HTML
/// entities, Markdown's own punctuation is backslash-escaped, line breaks become spaces (a
/// table row is one line) and control characters are written visibly (``TerminalText``).
enum Markdown {
    /// `s` as literal inline text, safe in a table cell.
    /// - Complexity: O(length of `s`).
    static func text(_ s: String) -> String {
        var out = ""
        for c in TerminalText.safe(s, keepingNewlines: true) {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(c)
            case "\n", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// `s` as a code span: between backtick runs longer than any in `s`, so nothing in it ends
    /// the span early (inside a code span Markdown reads no HTML and no other markup).
    static func code(_ s: String) -> String {
        let body = oneLine(s)
        let fence = String(repeating: "`", count: longestBacktickRun(body) + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A fenced code block of `s` (one line: line breaks become spaces) in `language`, fenced by
    /// more backticks than any run in `s`, at least three.
    static func fence(_ s: String, language: String) -> String {
        let body = oneLine(s)
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(body) + 1))
        return "\(fence)\(language)\n\(body)\n\(fence)\n"
    }

    /// `s` made safe, its line breaks as spaces.
    private static func oneLine(_ s: String) -> String {
        String(TerminalText.safe(s, keepingNewlines: true).map { $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }

    private static func longestBacktickRun(_ s: String) -> Int {
        var longest = 0, run = 0
        for c in s {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
