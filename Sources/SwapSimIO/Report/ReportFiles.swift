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
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let texts = [report.markdown(), report.csv(), report.json(), report.html()]
        var paths: [String] = []
        for (name, text) in zip(names, texts) {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            paths.append(path)
        }
        return paths
    }
}
