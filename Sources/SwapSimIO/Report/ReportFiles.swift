#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Writes a report's four files into a folder.
public enum ReportFiles {
    /// The files written, in order.
    public static let names = ["report.md", "report.csv", "report.json", "report.html"]

    /// Writes `report.md`, `report.csv`, `report.json` and `report.html` into `directory`
    /// (created if needed) and returns their paths.
    /// - Throws: ``ReportError`` when the folder or a file cannot be written.
    @discardableResult
    public static func write(_ report: RunReport, to directory: String) throws(ReportError) -> [String] {
        try write(Array(zip(names, [report.markdown(), report.csv(), report.json(), report.html()])), to: directory)
    }

    /// Checks, before any work, that `names` can be written into `directory`: it is a folder
    /// that may be written, or it can be created (its nearest existing ancestor is a folder that
    /// may be written), and no file of `names` in it is a folder or read-only. Changes nothing.
    /// - Throws: ``ReportError``.
    public static func checkWritable(directory: String, names: [String]) throws(ReportError) {
        var st = stat()
        if stat(directory, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else { throw .notAFolder(path: directory) }
            guard access(directory, W_OK | X_OK) == 0 else { throw .unwritable(path: directory, reason: "the folder may not be written") }
            for name in names {
                let file = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                guard stat(file, &st) == 0 else { continue }
                if st.st_mode & S_IFMT == S_IFDIR { throw .unwritable(path: file, reason: "it is a folder") }
            }
            return
        }
        var ancestor = URL(fileURLWithPath: directory).deletingLastPathComponent()
        while stat(ancestor.path, &st) != 0 && ancestor.path != "/" { ancestor = ancestor.deletingLastPathComponent() }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw .cannotCreateFolder(path: directory, ancestor: ancestor.path, reason: "is a file, not a folder") }
        guard access(ancestor.path, W_OK | X_OK) == 0 else {
            throw .cannotCreateFolder(path: directory, ancestor: ancestor.path, reason: "may not be written")
        }
    }

    /// Writes each `(name, text)` into `directory` (created if needed), each file atomically,
    /// and returns their paths in order: what every kind of report shares.
    /// - Throws: ``ReportError`` when the folder or a file cannot be written.
    static func write(_ files: [(name: String, text: String)], to directory: String) throws(ReportError) -> [String] {
        try checkWritable(directory: directory, names: files.map(\.name))
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateFolder(path: directory, ancestor: directory, reason: "could not be created (\(Self.reason(error)))")
        }
        var paths: [String] = []
        for (name, text) in files {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw .unwritable(path: path, reason: Self.reason(error))
            }
            paths.append(path)
        }
        return paths
    }

    /// A file-system error in words: the POSIX reason when there is one, not the NSError dump.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
