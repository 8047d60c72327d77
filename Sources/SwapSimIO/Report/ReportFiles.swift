import Foundation

/// Writes a report's four files into a folder.
public enum ReportFiles {
    /// The files written, in order.
    public static let names = ["report.md", "report.csv", "report.json", "report.html"]

    /// Writes `report.md`, `report.csv`, `report.json` and `report.html` into `directory`
    /// (created if needed) and returns their paths.
    /// - Throws: `CocoaError` when the folder or a file cannot be written.
    @discardableResult
    public static func write(_ report: RunReport, to directory: String) throws -> [String] {
        try write(Array(zip(names, [report.markdown(), report.csv(), report.json(), report.html()])), to: directory)
    }

    /// Writes each `(name, text)` into `directory` (created if needed), each file atomically,
    /// and returns their paths in order: what every kind of report shares.
    /// - Throws: `CocoaError` when the folder or a file cannot be written.
    static func write(_ files: [(name: String, text: String)], to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (name, text) in files {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            paths.append(path)
        }
        return paths
    }
}
