import Foundation
import SwapSimCore

/// Writes a trace in a native format to a file or standard output, buffered.
public final class TraceFileWriter {
    private let handle: FileHandle
    private let format: NativeTraceFormat
    private var buffer = ""
    public let path: String?

    /// Opens `path` for writing (standard output when nil or `-`, as `-o -` asks) and writes the
    /// format's header.
    public init(path: String?, format: NativeTraceFormat) throws(TraceError) {
        let path = path == "-" ? nil : path
        self.path = path
        self.format = format
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                throw .unwritable(file: path, reason: "cannot create the file (does its folder exist, and may it be written?)")
            }
            handle = h
        } else {
            handle = .standardOutput
        }
        if let h = NativeTraceWriter.header(format) { buffer = h + "\n" }
    }

    /// Appends one request.
    public func write(_ r: TraceRequest, modelName: String) {
        buffer += NativeTraceWriter.line(r, modelName: modelName, format: format)
        buffer += "\n"
        if buffer.utf8.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    /// Writes what is buffered and closes the file.
    public func finish() {
        flush()
        if path != nil { try? handle.close() }
    }
}
