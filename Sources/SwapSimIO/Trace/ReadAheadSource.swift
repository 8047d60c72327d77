import Foundation
import SwapSimCore

/// A request source read on a thread of its own, a few batches ahead of its consumer.
///
/// Parsing a trace costs about a fifth of a simulation's time (W1, always-warm: 1.9 k of 8.7 k
/// instructions per request). Read ahead, that work runs on another core while the simulation
/// runs: the consumer only copies requests out of a filled batch. The requests, their order and
/// the error a bad row throws are those of the wrapped source: the error comes after every
/// request before it, where the source itself would have thrown it.
///
/// The wrapped source is used only by the reading thread until it has returned nil or thrown;
/// once ``next()`` has returned nil or thrown, the caller may read it again (a reader's report of
/// what it read, say). Memory is bounded: at most `depth` batches of `batch` requests ahead.
public final class ReadAheadSource: RequestSource {
    /// The batches between the two threads, behind one lock.
    private final class Channel: @unchecked Sendable {
        let condition = NSCondition()
        /// Filled batches in order, and the free ones for the reader to fill again.
        var filled: [Batch] = []
        var free: [[TraceRequest]] = []
        var cancelled = false
    }

    private struct Batch {
        var requests: [TraceRequest]
        /// The source's error after these requests, if it threw.
        var error: (any Error)?
        /// Whether the source ended (returned nil or threw) after these requests.
        var isLast: Bool
    }

    /// Hands the source to the reading thread (the box's only user once it starts).
    private final class SourceBox: @unchecked Sendable {
        var source: any RequestSource
        init(_ s: any RequestSource) { source = s }
    }

    private let channel = Channel()
    private let box: SourceBox
    private var current: [TraceRequest] = []
    private var index = 0
    private var ended = false
    private var pendingError: (any Error)?

    /// Starts reading `source` ahead, `batch` requests at a time and at most `depth` batches ahead.
    public init(_ source: any RequestSource, batch: Int = 4096, depth: Int = 4) {
        precondition(batch > 0 && depth > 0)
        box = SourceBox(source)
        let channel = self.channel
        let box = self.box
        let thread = Thread {
            var requests: [TraceRequest] = []
            requests.reserveCapacity(batch)
            while true {
                var error: (any Error)?
                do {
                    while requests.count < batch, let r = try box.source.next() { requests.append(r) }
                } catch let e {
                    error = e
                }
                let isLast = error != nil || requests.count < batch
                channel.condition.lock()
                while channel.filled.count >= depth && !channel.cancelled { channel.condition.wait() }
                if channel.cancelled {
                    channel.condition.unlock()
                    return
                }
                channel.filled.append(Batch(requests: requests, error: error, isLast: isLast))
                requests = channel.free.popLast() ?? []
                channel.condition.broadcast()
                channel.condition.unlock()
                if isLast { return }
                requests.removeAll(keepingCapacity: true)
                requests.reserveCapacity(batch)
            }
        }
        thread.name = "swapsim read-ahead"
        thread.start()
    }

    deinit {
        channel.condition.lock()
        channel.cancelled = true
        channel.condition.broadcast()
        channel.condition.unlock()
    }

    public func next() throws -> TraceRequest? {
        while true {
            if index < current.count {
                defer { index += 1 }
                return current[index]
            }
            if ended {
                if let e = pendingError {
                    pendingError = nil
                    throw e
                }
                return nil
            }
            // The drained batch goes back for the reader to fill again (moved, not shared, so
            // the reader's appends need no copy).
            var drained: [TraceRequest] = []
            swap(&drained, &current)
            drained.removeAll(keepingCapacity: true)
            channel.condition.lock()
            while channel.filled.isEmpty { channel.condition.wait() }
            let b = channel.filled.removeFirst()
            if drained.capacity > 0 { channel.free.append(drained) }
            channel.condition.broadcast()
            channel.condition.unlock()
            current = b.requests
            index = 0
            ended = b.isLast
            pendingError = b.error
        }
    }
}
