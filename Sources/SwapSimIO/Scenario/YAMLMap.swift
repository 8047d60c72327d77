import SwapSimCore
import Yams

/// The line of every key read from a scenario file, by key path, so that errors found after
/// parsing (an impossible scenario) can still name a line.
final class KeyLines {
    private var lines: [String: Int] = [:]

    func record(_ keyPath: String, _ line: Int?) {
        if let line, lines[keyPath] == nil { lines[keyPath] = line }
    }

    /// The line of `keyPath`, or of its nearest recorded ancestor (`models[2].kv_cache` → `models[2]`).
    func line(of keyPath: String) -> Int? {
        var k = Substring(keyPath)
        while !k.isEmpty {
            if let l = lines[String(k)] { return l }
            guard let cut = k.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            k = k[..<cut]
        }
        return nil
    }
}

/// A YAML mapping read key by key, remembering its key path and which keys were used, so that
/// every error names where it is and an unknown key is never silently ignored.
struct YAMLMap {
    let file: String
    let path: String
    let node: Node
    /// The line of the key that holds this mapping (nil at the top level).
    let keyLine: Int?
    let keyLines: KeyLines
    private let pairs: [(key: String, keyLine: Int?, value: Node)]
    private var used: Set<String> = []

    init(_ node: Node, path: String, file: String, keyLine: Int? = nil, keyLines: KeyLines) throws(ScenarioFileError) {
        self.file = file
        self.path = path
        self.node = node
        self.keyLine = keyLine
        self.keyLines = keyLines
        guard case let .mapping(m) = node else {
            throw .invalid(file: file, keyPath: path.isEmpty ? "(top level)" : path, line: node.mark?.line, reason: "expected a mapping of keys to values")
        }
        var p: [(String, Int?, Node)] = []
        for (k, v) in m {
            guard let ks = k.scalar?.string else {
                throw .invalid(file: file, keyPath: path, line: k.mark?.line, reason: "keys must be plain strings")
            }
            if p.contains(where: { $0.0 == ks }) {
                throw .invalid(file: file, keyPath: path.isEmpty ? ks : "\(path).\(ks)", line: k.mark?.line, reason: "key appears twice")
            }
            p.append((ks, k.mark?.line, v))
        }
        pairs = p
    }

    /// Where this mapping is: the line of the key holding it, else where it starts.
    var line: Int? { keyLine ?? node.mark?.line }

    func child(_ key: String, _ base: String) -> String { base.isEmpty ? key : "\(base).\(key)" }
    func keyPath(_ key: String) -> String { child(key, path) }

    /// The raw node under `key`, marking it used.
    mutating func node(_ key: String) -> Node? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        let v = pair.value
        used.insert(key)
        keyLines.record(keyPath(key), pair.keyLine)
        if case let .scalar(s) = v, s.style == .plain, ["", "~", "null"].contains(s.string) { return nil }
        return v
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The line of `key` in this mapping, if present.
    func keyLine(of key: String) -> Int? { pairs.first { $0.key == key }?.keyLine }

    /// A mapping under `key` (already read with ``node(_:)``), as a child of this one.
    func child(_ n: Node, key: String) throws(ScenarioFileError) -> YAMLMap {
        try YAMLMap(n, path: keyPath(key), file: file, keyLine: keyLine(of: key), keyLines: keyLines)
    }

    func fail(_ key: String, _ node: Node?, _ reason: String) -> ScenarioFileError {
        .invalid(file: file, keyPath: keyPath(key), line: node?.mark?.line ?? keyLine(of: key) ?? line, reason: reason)
    }

    mutating func scalar(_ key: String) throws(ScenarioFileError) -> (String, Node)? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string else { throw fail(key, n, "expected a single value, not a list or mapping") }
        return (s, n)
    }

    mutating func required<T>(_ key: String, _ parse: (inout YAMLMap, String) throws(ScenarioFileError) -> T?) throws(ScenarioFileError) -> T {
        guard let v = try parse(&self, key) else { throw .missingKey(file: file, keyPath: keyPath(key), line: line) }
        return v
    }

    mutating func string(_ key: String) throws(ScenarioFileError) -> String? { try scalar(key)?.0 }

    mutating func int(_ key: String) throws(ScenarioFileError) -> Int? {
        guard let (s, n) = try scalar(key) else { return nil }
        guard let v = Int(s) else { throw fail(key, n, "expected a whole number; got '\(s)'") }
        return v
    }

    mutating func double(_ key: String) throws(ScenarioFileError) -> Double? {
        guard let (s, n) = try scalar(key) else { return nil }
        guard let v = Double(s), v.isFinite else { throw fail(key, n, "expected a number; got '\(s)'") }
        return v
    }

    mutating func bool(_ key: String) throws(ScenarioFileError) -> Bool? {
        guard let (s, n) = try scalar(key) else { return nil }
        switch s {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(key, n, "expected true or false; got '\(s)'")
        }
    }

    mutating func unit<T>(_ key: String, _ parse: (String) throws(UnitParser.Failure) -> T) throws(ScenarioFileError) -> T? {
        guard let (s, n) = try scalar(key) else { return nil }
        do { return try parse(s) } catch { throw fail(key, n, error.message) }
    }

    mutating func bytes(_ key: String) throws(ScenarioFileError) -> ByteCount? { try unit(key, UnitParser.bytes) }
    mutating func bandwidth(_ key: String) throws(ScenarioFileError) -> Bandwidth? { try unit(key, UnitParser.bandwidth) }
    mutating func duration(_ key: String) throws(ScenarioFileError) -> SimDuration? { try unit(key, UnitParser.duration) }

    mutating func map(_ key: String) throws(ScenarioFileError) -> YAMLMap? {
        guard let n = node(key) else { return nil }
        return try child(n, key: key)
    }

    mutating func list(_ key: String) throws(ScenarioFileError) -> [Node]? {
        guard let n = node(key) else { return nil }
        guard case let .sequence(s) = n else { throw fail(key, n, "expected a list") }
        return Array(s)
    }

    /// Throws for the first key that was never read.
    func finish() throws(ScenarioFileError) {
        for (k, kl, v) in pairs where !used.contains(k) {
            throw .unknownKey(file: file, keyPath: keyPath(k), line: kl ?? v.mark?.line ?? line, allowed: knownKeys.sorted())
        }
    }

    /// Keys the reader consulted, for the "allowed here" hint; set by ``expect(_:)``.
    private(set) var knownKeys: [String] = []

    /// Declares every key this mapping may hold (used for the unknown-key message).
    mutating func expect(_ keys: [String]) { knownKeys = keys }
}
