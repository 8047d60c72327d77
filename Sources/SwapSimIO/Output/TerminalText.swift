/// The one sanitiser for text bound for a terminal: every name swapsim prints (in errors,
/// tables, `runs list`, plan tables, notes) goes through ``safe(_:keepingNewlines:)``.
///
/// A name comes from a scenario, a trace or a results store, and so may hold anything: an
/// `ESC ] 0 ;` sequence would retitle the terminal, `ESC [ 2 J` clear the screen, a carriage
/// return overwrite the line before it, a right-to-left override reorder what follows. Such
/// characters are written as visible escapes instead (`\u{1B}]0;…`), so the output shows what
/// the input holds and the terminal interprets none of it.
public enum TerminalText {
    /// `text` with every control character written as a visible `\u{…}` escape: C0 (U+0000 to
    /// U+001F, newlines kept when `keepingNewlines`), DEL (U+007F), C1 (U+0080 to U+009F) and
    /// the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069).
    /// Text without any is returned as it is.
    /// - Complexity: O(length of `text`).
    public static func safe(_ text: String, keepingNewlines: Bool = false) -> String {
        func escaped(_ u: Unicode.Scalar) -> Bool { isControl(u) && !(keepingNewlines && u == "\n") }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if escaped(u) {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Whether `u` is one of the characters ``safe(_:keepingNewlines:)`` escapes (newlines
    /// included): for writers with an escape syntax of their own, such as JSON's `\u00XX`.
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
    }
}
