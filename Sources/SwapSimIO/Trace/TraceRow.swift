import SwapSimCore

/// One request as a trace file states it: before rebasing, filling and model resolution.
///
/// Readers intern model names: ``model`` indexes the source's ``TraceRowSource/modelNames``.
/// A field the file lacks is marked missing (model −1, token counts 0) and filled later.
public struct TraceRow: Sendable, Equatable {
    /// Arrival in nanoseconds, relative to the trace start or absolute (epoch), as the file has it.
    public var arrival: Int64
    /// Index into the source's model names, or −1 when the trace has no model column.
    public var model: Int32
    /// Prompt tokens, or 0 when the trace has no such column.
    public var inputTokens: Int32
    /// Output tokens, or 0 when the trace has no such column.
    public var outputTokens: Int32
    /// The 1-based line of the file the row came from (0 for generated rows).
    public var line: Int

    public init(arrival: Int64, model: Int32, inputTokens: Int32, outputTokens: Int32, line: Int) {
        self.arrival = arrival
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.line = line
    }
}

/// A streamed reader of one trace format, yielding rows in file order.
///
/// A row the reader cannot read throws a ``TraceError`` naming its line; the reader has moved
/// past that row, so a caller that skips invalid rows can go on calling ``nextRow()``.
public protocol TraceRowSource: AnyObject {
    /// The file (or folder) read, for messages.
    var path: String { get }
    /// Model names by index, as interned so far.
    var modelNames: [String] { get }
    /// Which fields rows carry; missing ones must be filled.
    var hasModel: Bool { get }
    var hasInputTokens: Bool { get }
    var hasOutputTokens: Bool { get }
    /// Whether arrivals are absolute (epoch or wall clock) and must be rebased to start at 0.
    var absoluteArrivals: Bool { get }
    /// The next row, or nil at the end of the trace.
    func nextRow() throws(TraceError) -> TraceRow?
    /// Bytes read of the total, for a progress indicator; nil when unknown.
    var progress: (done: Int64, total: Int64)? { get }
}

extension TraceRowSource {
    public var progress: (done: Int64, total: Int64)? { nil }
}

/// Assigns small integer ids to model names as rows mention them, without building a String
/// for a name it has just seen.
struct ModelInterner {
    private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]
    private var lastBytes: [UInt8] = []
    private var lastID: Int32 = -1

    mutating func id(of bytes: ArraySlice<UInt8>) -> Int32 {
        if lastID >= 0 && bytes.elementsEqual(lastBytes) { return lastID }
        let name = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        let id = id(of: name)
        lastBytes = Array(bytes)
        lastID = id
        return id
    }

    mutating func id(of name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }
}
