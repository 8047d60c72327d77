/// Why report files could not be written: each case names the folder or file and what is wrong.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder named for the report is an existing file (or another thing that is not a folder).
    case notAFolder(path: String)
    /// The folder cannot be made: `ancestor`, the nearest part of its path that exists, is not a
    /// folder or may not be written.
    case cannotCreateFolder(path: String, ancestor: String, reason: String)
    /// A file in the folder cannot be written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAFolder(path):
            return "\(path): the report goes into a folder, but this is an existing file; name a folder (it is created if missing)"
        case let .cannotCreateFolder(path, ancestor, reason):
            return "\(path): cannot create the report folder: \(ancestor) \(reason)"
        case let .unwritable(path, reason):
            return "\(path): cannot write the report: \(reason)"
        }
    }
}
