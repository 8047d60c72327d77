import Foundation

/// One ServeGen model folder (such as `data/language/m-large`): its clients' files.
struct ServeGenFolder: Sendable {
    struct Client: Sendable {
        /// The id between `chunk-` and `-trace.csv`.
        var id: String
        var trace: String
        var dataset: String?
    }

    /// The folder's last path component, as mappings and stream names use it.
    var name: String
    var path: String
    /// Clients in numeric order of their ids (ids that are not numbers after those, by text).
    var clients: [Client]

    /// Lists `path`'s `chunk-<client>-trace.csv` and `chunk-<client>-dataset.json` files.
    static func scan(_ path: String) throws(TraceError) -> ServeGenFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such folder")
        }
        guard isDirectory.boolValue else {
            throw .unreadable(file: path, reason: "expected a ServeGen model folder (such as data/language/m-large), not a file")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .unreadable(file: path, reason: "cannot list the folder")
        }
        var traces: [String: String] = [:]
        var datasets: [String: String] = [:]
        let folder = URL(fileURLWithPath: path)
        for entry in entries where entry.hasPrefix("chunk-") {
            let full = folder.appendingPathComponent(entry).path
            if let id = clientID(entry, suffix: "-trace.csv") {
                traces[id] = full
            } else if let id = clientID(entry, suffix: "-dataset.json") {
                datasets[id] = full
            }
        }
        guard !traces.isEmpty else {
            throw .unreadable(file: path, reason: "no chunk-<client>-trace.csv files (expected a ServeGen model folder such as data/language/m-large)")
        }
        if let orphan = datasets.keys.filter({ traces[$0] == nil }).sorted().first {
            throw .unreadable(file: datasets[orphan]!, reason: "client \(orphan) has a dataset file but no chunk-\(orphan)-trace.csv beside it")
        }
        let ids = traces.keys.sorted(by: precedes)
        let clients = ids.map { Client(id: $0, trace: traces[$0]!, dataset: datasets[$0]) }
        return ServeGenFolder(name: folder.standardizedFileURL.lastPathComponent, path: path, clients: clients)
    }

    private static func clientID(_ entry: String, suffix: String) -> String? {
        guard entry.hasSuffix(suffix), entry.count > "chunk-".count + suffix.count else { return nil }
        return String(entry.dropFirst("chunk-".count).dropLast(suffix.count))
    }

    /// Numeric ids in numeric order, then other ids by their UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        switch (UInt64(a), UInt64(b)) {
        case let (x?, y?): return x != y ? x < y : a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }
}
