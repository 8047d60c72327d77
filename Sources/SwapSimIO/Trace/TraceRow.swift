#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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
    /// Whether rows are generated (a replay) rather than read: they come in arrival order by
    /// construction, so `--sort` has nothing to do, and ``modelNames`` holds every model before
    /// the first row, so an unknown model is known without generating the rest.
    var isGenerated: Bool { get }
}

extension TraceRowSource {
    public var progress: (done: Int64, total: Int64)? { nil }
    public var isGenerated: Bool { false }
}

/// Assigns small integer ids to model names as rows mention them, hashing the name's bytes
/// in place: a name seen before costs no allocation.
///
/// Ids follow the order names first appear, whatever the hash; the names' bytes sit end to end
/// in one buffer, so a lookup compares against them without touching a reference count.
struct ModelInterner {
    private(set) var names: [String] = []
    /// Every name's UTF-8 bytes, end to end; name `id` spans `ends[id − 1] ..< ends[id]`.
    private var store: [UInt8] = []
    private var ends: [Int] = []
    /// Open addressing: slot → id + 1 (0 = empty); capacity a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 64)

    /// A hash of the bytes eight at a time (multiply-xorshift on each word, the tail zero-padded).
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(b)
        while i + 8 <= b.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < b.count {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// The id of the name whose UTF-8 bytes are `name` (already trimmed).
    mutating func id(of name: ArraySlice<UInt8>) -> Int32 {
        name.withUnsafeBufferPointer { id(of: $0) }
    }

    /// The id of the name whose UTF-8 bytes are `p` (already trimmed).
    mutating func id(of p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: Self.hash(p)) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            store.withUnsafeBufferPointer { store in
                ends.withUnsafeBufferPointer { ends in
                    while slots[i] != 0 {
                        let id = Int(slots[i] - 1)
                        let start = id == 0 ? 0 : ends[id - 1]
                        if ends[id] - start == p.count && (p.count == 0 || memcmp(store.baseAddress! + start, p.baseAddress!, p.count) == 0) {
                            return Int32(id)
                        }
                        i = (i + 1) & mask
                    }
                    return nil
                }
            }
        }
        if let found { return found }
        let id = Int32(names.count)
        names.append(String(decoding: p, as: UTF8.self))
        store.append(contentsOf: p)
        ends.append(store.count)
        slots[i] = id + 1
        if names.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `name`.
    mutating func id(of name: String) -> Int32 { id(of: ArraySlice(name.utf8)) }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in ends.indices {
            let start = id == 0 ? 0 : ends[id - 1]
            var i = Int(truncatingIfNeeded: store[start..<ends[id]].withUnsafeBufferPointer { Self.hash($0) }) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(id) + 1
        }
    }
}
