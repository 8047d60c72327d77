#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line through a fixed buffer, so memory does not grow with the file.
///
/// Lines are handed out as byte slices of the buffer, valid until the next call. Accepts `\n`
/// and `\r\n` endings and a last line without a newline.
final class ByteLineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Whether reading stopped on an I/O error rather than at the end of the file.
    private(set) var failed = false
    /// Bytes of the file read so far, and its size (0 if unknown), for progress reports.
    private(set) var bytesRead: Int64 = 0
    let fileSize: Int64

    /// Why a file could not be opened.
    enum OpenFailure: Error {
        case missing, directory, unreadable
    }

    init(path: String, bufferSize: Int = 1 << 20) throws(OpenFailure) {
        guard let f = fopen(path, "rb") else { throw errno == ENOENT ? .missing : .unreadable }
        var st = stat()
        if fstat(fileno(f), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            fclose(f)
            throw .directory
        }
        fileSize = Int64(st.st_size)
        file = f
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    deinit { fclose(file) }

    /// The first line of `path` (for format detection), at most 64 KiB of it.
    static func firstLine(of path: String) throws(OpenFailure) -> String? {
        let r = try ByteLineReader(path: path, bufferSize: 1 << 16)
        return r.nextLine().map { String(decoding: $0, as: UTF8.self) }
    }

    /// The next line without its ending, or nil at end of file.
    func nextLine() -> ArraySlice<UInt8>? {
        while true {
            // memchr: the newline scan is the reader's innermost loop.
            let found = buffer.withUnsafeBufferPointer { p -> Int? in
                guard end > start, let q = memchr(p.baseAddress! + start, 10, end - start) else { return nil }
                return p.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
            }
            if let nl = found {
                var lineEnd = nl
                if lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = buffer[start..<lineEnd]
                start = nl + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < end else { return nil }
                var lineEnd = end
                if buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = buffer[start..<lineEnd]
                start = end
                lineNumber += 1
                return line
            }
            // Move the partial line to the front, growing the buffer if one line fills it.
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + start, end - start)
                }
                end -= start
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBufferPointer { p in
                fread(p.baseAddress! + end, 1, p.count - end, file)
            }
            if n == 0 {
                eof = true
                failed = ferror(file) != 0
            }
            end += n
            bytesRead += Int64(n)
        }
    }
}
