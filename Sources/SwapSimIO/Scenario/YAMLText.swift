import Foundation

/// The text of a YAML file, checked before the YAML parser sees it, so a NUL byte, a control
/// character or invalid UTF-8 is an error naming the file, line and column (the parser names
/// neither the line nor the byte).
enum YAMLText {
    /// The bytes of `path` as text.
    /// - Throws: ``ScenarioFileError/unreadable(file:reason:)``, or
    ///   ``ScenarioFileError/syntax(file:line:reason:)`` at the first byte that is not UTF-8.
    static func read(_ path: String) throws(ScenarioFileError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .unreadable(file: path, reason: "no such file") }
        guard !isDirectory.boolValue else { throw .unreadable(file: path, reason: "it is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(file: path, reason: "not readable") }
        return try decode([UInt8](data), file: path)
    }

    /// `bytes` as UTF-8 text, or an error at the first byte that is not valid UTF-8.
    static func decode(_ bytes: [UInt8], file: String) throws(ScenarioFileError) -> String {
        if let bad = firstInvalidUTF8(bytes) {
            let (line, column) = position(of: bad, in: bytes)
            throw .syntax(file: file, line: line, reason: "the file is not UTF-8 text: byte 0x\(hex(bytes[bad])) at column \(column) is not valid UTF-8")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Checks that `text` holds only what YAML allows: tab, line feed, carriage return and
    /// printable characters (no other C0 control, no DEL, no C1 control but NEL, no U+FFFE or U+FFFF).
    /// - Throws: ``ScenarioFileError/syntax(file:line:reason:)`` naming the first one's line and column.
    static func checkCharacters(_ text: String, file: String) throws(ScenarioFileError) {
        var line = 1, column = 0
        for u in text.unicodeScalars {
            column += 1
            if u == "\n" {
                line += 1
                column = 0
                continue
            }
            let v = u.value
            let allowed = v == 0x09 || v == 0x0D || (0x20...0x7E).contains(v) || v == 0x85 || (0xA0...0xFFFD).contains(v) || v >= 0x10000
            guard allowed else {
                let name = v == 0 ? "a NUL byte" : "the control character U+\(String(repeating: "0", count: max(0, 4 - String(v, radix: 16).count)))\(String(v, radix: 16, uppercase: true))"
                throw .syntax(file: file, line: line, reason: "\(name) at column \(column) is not allowed in YAML (tab, line feed and carriage return are the only control characters it takes)")
            }
        }
    }

    /// The index of the first byte of `bytes` that does not belong to a well-formed UTF-8
    /// sequence (no overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            guard (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }

    /// The 1-based line and column (in bytes) of byte `index`.
    static func position(of index: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, start = 0
        for k in 0..<index where bytes[k] == 10 {
            line += 1
            start = k + 1
        }
        return (line, index - start + 1)
    }

    static func hex(_ b: UInt8) -> String { (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }
}
