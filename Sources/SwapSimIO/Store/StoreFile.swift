#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// What the results store checks about its file before SQLite sees it.
enum StoreFile {
    /// Checks that `path` can be a results store for `access`; returns whether it exists.
    ///
    /// An existing path must be a regular file (not a folder or a device such as `/dev/null`,
    /// beside which SQLite would create a journal) holding an SQLite database or nothing. A
    /// missing one is an error for a reader; for a writer its folder must exist.
    /// - Throws: ``StoreError/noSuchStore(path:)``, ``StoreError/cannotOpen(path:reason:)`` or
    ///   ``StoreError/notAStore(path:reason:)``.
    static func check(_ path: String, access: ResultsStore.Access) throws -> Bool {
        // SQLite takes "" (and ":memory:") for a private database that vanishes on close.
        guard !path.isEmpty, path != ":memory:" else {
            throw StoreError.cannotOpen(path: path, reason: "name a database file (this name means a temporary database, lost when swapsim exits)")
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            guard e == ENOENT else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(e))) }
            if access == .readOnly { throw StoreError.noSuchStore(path: path) }
            let folder = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw StoreError.cannotOpen(path: path, reason: "its folder \(folder) does not exist")
            }
            return false
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.cannotOpen(path: path, reason: "it is \(kind(st.st_mode)), not a regular file; a results store is an SQLite database file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if !head.isEmpty && head != Data("SQLite format 3\u{0}".utf8) {
            throw StoreError.notAStore(path: path, reason: "it is not an SQLite database")
        }
        return true
    }

    /// What a file mode that is not a regular file's is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a pipe"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// An SQLite URI opening `path` as immutable (no locks, no shared memory: nothing written
    /// beside it), for a store in a folder that may not be written; nil when the path cannot be
    /// written as a URI. Only SQLite builds that accept URI filenames understand it; elsewhere
    /// the open fails and the caller reports the first failure.
    static func immutableURI(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        guard let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
        return "file://" + encoded + "?immutable=1"
    }
}
