/// The order in which events at the same instant fire.
///
/// This is the one place the simulator's tie-breaking is written down. At equal times,
/// lower phases fire first; within a phase, events fire in the order they were scheduled
/// (the queue's insertion sequence, owned by one simulation instance).
///
/// - Transfers finish first, so memory they free is visible to everything else at that instant.
/// - Lifecycle steps (cold-start stages, swap completion) then make replicas ready.
/// - Batch iterations then admit and complete requests.
/// - Arrivals come next, so a request arriving at the instant a replica becomes ready
///   finds it ready.
/// - Timers (keep-alive, idle timeout) fire last: a request arriving at the exact
///   instant a timer expires keeps its model.
public enum EventPhase: UInt8, Comparable, Sendable {
    case transfer = 0
    case lifecycle = 1
    case iteration = 2
    case arrival = 3
    case timer = 4

    public static func < (a: EventPhase, b: EventPhase) -> Bool { a.rawValue < b.rawValue }
}

/// A priority queue of events with a documented total order: (time, phase, sequence).
///
/// The sequence number is assigned by ``schedule(_:at:phase:)`` from a counter owned by
/// this queue, so two events never compare equal and the pop order is fully determined by
/// the order of calls, never by the heap's internal layout.
///
/// - Complexity: `schedule` and `pop` are O(log n).
public struct EventQueue<Payload> {
    struct Entry: Comparable {
        var time: Int64
        var key: UInt64  // phase in the top 8 bits, sequence below
        var payload: Payload
        static func < (a: Entry, b: Entry) -> Bool {
            a.time != b.time ? a.time < b.time : a.key < b.key
        }
        static func == (a: Entry, b: Entry) -> Bool { a.time == b.time && a.key == b.key }
    }

    var heap = BinaryHeap<Entry>()
    var nextSequence: UInt64 = 0

    public init() {}

    /// The number of pending events.
    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    /// Schedules `payload` to fire at `time` in `phase`.
    public mutating func schedule(_ payload: Payload, at time: SimInstant, phase: EventPhase) {
        let key = (UInt64(phase.rawValue) << 56) | nextSequence
        nextSequence += 1
        heap.insert(Entry(time: time.nanoseconds, key: key, payload: payload))
    }

    /// Takes the next sequence number without scheduling anything: for an event whose place
    /// among same-time events is decided now but which is put in the queue later, with
    /// ``schedule(_:at:phase:sequence:)``.
    public mutating func reserveSequence() -> UInt64 {
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// Schedules `payload` at `time` in `phase` with a sequence number reserved earlier: it
    /// fires exactly where an event scheduled at the moment of the reservation would have.
    public mutating func schedule(_ payload: Payload, at time: SimInstant, phase: EventPhase, sequence: UInt64) {
        precondition(sequence < nextSequence, "sequence \(sequence) was never reserved")
        heap.insert(Entry(time: time.nanoseconds, key: (UInt64(phase.rawValue) << 56) | sequence, payload: payload))
    }

    /// The time of the earliest pending event.
    public var nextTime: SimInstant? { heap.min.map { SimInstant(nanoseconds: $0.time) } }

    /// Removes and returns the earliest event in the total order.
    public mutating func pop() -> (time: SimInstant, phase: EventPhase, payload: Payload)? {
        guard let top = heap.popMin() else { return nil }
        return (SimInstant(nanoseconds: top.time), EventPhase(rawValue: UInt8(top.key >> 56))!, top.payload)
    }

    /// Checks the heap property; used by the invariant checks in debug builds.
    public func checkInvariants() -> Bool { heap.checkInvariants() }
}
