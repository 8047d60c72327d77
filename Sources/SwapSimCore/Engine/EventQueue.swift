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
/// Replaceable events (one per slot: a replica's next batch boundary, its timer) live in an
/// indexed heap, except timers set in order: a keep-alive or idle timer is reset by every
/// request, always by the same delay, so each new one comes after every other timer pending.
/// Those join a FIFO lane, where setting one is an append and replacing or cancelling one
/// leaves the old entry behind, skipped when it reaches the head (the lane is compacted when
/// such entries outnumber the live ones). The order is the same as in one heap.
///
/// - Complexity: `schedule` and `pop` are O(log n); a timer in the lane O(1) amortised.
public struct EventQueue<Payload>: ~Copyable {
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
    /// The latest place in the order that ``pop()`` has reached: the greatest time and key it
    /// has returned. (Not always the last event: one scheduled at the current instant in an
    /// earlier phase pops after events of later phases.)
    private var frontier: (time: Int64, key: UInt64) = (.min, 0)
    /// Replaceable events, at most one per slot, in an indexed binary heap of their own.
    var keyed = OwnedArray<KeyedEntry>(capacity: 64)
    /// For each slot, the index of its event in `keyed`, or −1.
    var position = OwnedArray<Int32>(capacity: 64)
    /// The slot whose event ``pop()`` just returned but left at the root of `keyed`, or −1: a
    /// batch boundary's handler usually schedules the replica's next boundary at once, which then
    /// replaces the root with one sift down instead of a removal and an insertion.
    var taken: Int32 = -1
    /// Timers in (time, key) order, from `laneHead` on; an entry is live while `laneKey` of its
    /// slot is its key (0: the slot has none in the lane; a timer's key is never 0).
    var lane = OwnedArray<KeyedEntry>(capacity: 64)
    var laneHead = 0
    var laneLive = 0
    var laneKey = OwnedArray<UInt64>(capacity: 64)

    struct KeyedEntry {
        var time: Int64
        var key: UInt64
        var slot: Int32
        var payload: Payload
        @inline(__always) func precedes(_ o: KeyedEntry) -> Bool { time != o.time ? time < o.time : key < o.key }
    }

    public init() {}

    /// The number of pending events.
    public var count: Int { heap.count + keyed.count - (taken >= 0 ? 1 : 0) + laneLive }
    public var isEmpty: Bool { count == 0 }

    /// Schedules `payload` to fire at `time` in `phase`.
    public mutating func schedule(_ payload: Payload, at time: SimInstant, phase: EventPhase) {
        let key = (UInt64(phase.rawValue) << 56) | nextSequence
        nextSequence += 1
        heap.insert(Entry(time: time.nanoseconds, key: key, payload: payload))
    }

    /// Schedules `payload` at `time` in `phase` as the one event of `slot`, replacing the event
    /// the slot had pending, if any.
    ///
    /// The replacement takes a new sequence number, exactly as if the old event had been left
    /// to go stale and a new one scheduled: the order is the same, but the queue never holds
    /// (or pops) the stale one. A replica's next batch boundary moves every time a request
    /// joins or a neighbour's pace changes, and its keep-alive or idle timer is reset by every
    /// request, so this spares the queue a dead event per move.
    /// - Complexity: O(log k) for k slots with events.
    public mutating func schedule(_ payload: Payload, at time: SimInstant, phase: EventPhase, slot: Int) {
        schedule(payload, at: time, key: reserveKey(phase: phase), slot: slot)
    }

    /// Takes the place in the order of an event of `phase` scheduled now, for an event that
    /// ``schedule(_:at:key:slot:)`` may put in the queue later: it then fires exactly where it
    /// would have, had it been scheduled now.
    public mutating func reserveKey(phase: EventPhase) -> UInt64 {
        defer { nextSequence += 1 }
        return (UInt64(phase.rawValue) << 56) | nextSequence
    }

    /// Whether an event at `time` with `key` (from ``reserveKey(phase:)``) is still to fire:
    /// whether it comes after every event ``pop()`` has returned. One that does not would have
    /// fired already, had it been scheduled when its key was reserved.
    public func isPending(at time: SimInstant, key: UInt64) -> Bool {
        time.nanoseconds != frontier.time ? time.nanoseconds > frontier.time : key > frontier.key
    }

    @inline(__always) private mutating func advanceFrontier(_ time: Int64, _ key: UInt64) {
        if time != frontier.time || key > frontier.key { frontier = (time, key) }
    }

    /// Schedules `payload` at `time` as the one event of `slot` with a key from
    /// ``reserveKey(phase:)``, replacing the event the slot had pending, if any.
    public mutating func schedule(_ payload: Payload, at time: SimInstant, key: UInt64, slot: Int) {
        if slot >= position.count {
            position.append(repeating: -1, count: slot + 1 - position.count)
            laneKey.append(repeating: 0, count: slot + 1 - laneKey.count)
        }
        let entry = KeyedEntry(time: time.nanoseconds, key: key, slot: Int32(slot), payload: payload)
        if laneKey[slot] != 0 {
            // Its timer in the lane goes stale.
            laneKey[slot] = 0
            laneLive -= 1
        }
        if key >> 56 == UInt64(EventPhase.timer.rawValue) && (lane.count == laneHead || lane[lane.count - 1].precedes(entry)) {
            if taken == Int32(slot) {
                dropTaken()
            } else if position[slot] >= 0 {
                dropTaken()
                removeKeyed(at: Int(position[slot]))
            }
            appendToLane(entry)
            return
        }
        if taken == Int32(slot) {
            // The slot's event just fired and still holds the root: the new one takes its place.
            taken = -1
            keyed[0] = entry
            siftDown(0)
            return
        }
        dropTaken()
        let at = Int(position[slot])
        if at >= 0 {
            let later = keyed[at].precedes(entry)
            keyed[at] = entry
            if later { siftDown(at) } else { siftUp(at) }
        } else {
            keyed.append(entry)
            position[slot] = Int32(keyed.count - 1)
            siftUp(keyed.count - 1)
        }
    }

    /// Removes `slot`'s pending event, if it has one.
    public mutating func cancel(slot: Int) {
        guard slot < position.count else { return }
        if laneKey[slot] != 0 {
            laneKey[slot] = 0
            laneLive -= 1
            return
        }
        dropTaken()
        guard position[slot] >= 0 else { return }
        removeKeyed(at: Int(position[slot]))
    }

    /// The time of the earliest pending event.
    public var nextTime: SimInstant? {
        mutating get {
            dropTaken()
            skipStale()
            var t: Int64? = heap.min?.time
            if !keyed.isEmpty { t = min(t ?? .max, keyed[0].time) }
            if laneHead < lane.count { t = min(t ?? .max, lane[laneHead].time) }
            return t.map { SimInstant(nanoseconds: $0) }
        }
    }

    /// Removes and returns the earliest event in the total order.
    public mutating func pop() -> (time: SimInstant, phase: EventPhase, payload: Payload)? {
        dropTaken()
        // The lane's head, when it comes first; a stale head is skipped only then (usually a
        // batch boundary in the heap comes first, and one comparison settles it).
        while laneHead < lane.count {
            let f = lane.pointer(at: laneHead)
            if !keyed.isEmpty && keyed[0].precedes(f.pointee) { break }
            if let h = heap.min, h.time != f.pointee.time ? h.time < f.pointee.time : h.key < f.pointee.key { break }
            laneHead += 1
            guard isLiveInLane(f.pointee) else { continue }
            laneKey[Int(f.pointee.slot)] = 0
            laneLive -= 1
            advanceFrontier(f.pointee.time, f.pointee.key)
            return (SimInstant(nanoseconds: f.pointee.time), .timer, f.pointee.payload)
        }
        if !keyed.isEmpty {
            let k = keyed[0]
            if let h = heap.min, h.time != k.time ? h.time < k.time : h.key < k.key {
                // the plain heap's event comes first
            } else {
                taken = k.slot
                advanceFrontier(k.time, k.key)
                return (SimInstant(nanoseconds: k.time), EventPhase(rawValue: UInt8(k.key >> 56))!, k.payload)
            }
        }
        guard let top = heap.popMin() else { return nil }
        advanceFrontier(top.time, top.key)
        return (SimInstant(nanoseconds: top.time), EventPhase(rawValue: UInt8(top.key >> 56))!, top.payload)
    }

    /// Checks both heaps' order and the slot index; used by the invariant checks in debug builds.
    public func checkInvariants() -> Bool {
        guard heap.checkInvariants() else { return false }
        if taken >= 0 && position[Int(taken)] != 0 { return false }
        for i in keyed.indices {
            if position[Int(keyed[i].slot)] != Int32(i) { return false }
            if i > 0 && keyed[i].precedes(keyed[(i - 1) / 2]) { return false }
        }
        guard position.withUnsafeBufferPointer({ $0.filter { $0 >= 0 }.count }) == keyed.count else { return false }
        // The lane: in order, and each slot's live entry there and not in the heap.
        var live = 0
        for i in laneHead..<lane.count {
            if i > laneHead && !lane[i - 1].precedes(lane[i]) { return false }
            let e = lane[i]
            if isLiveInLane(e) {
                live += 1
                if position[Int(e.slot)] >= 0 { return false }
            }
        }
        return live == laneLive
    }

    // MARK: The timers' lane

    /// Whether `e` is its slot's pending timer (not replaced or cancelled since).
    @inline(__always) private func isLiveInLane(_ e: KeyedEntry) -> Bool { laneKey[Int(e.slot)] == e.key }

    private mutating func appendToLane(_ entry: KeyedEntry) {
        // Compact once stale entries outnumber the live ones, or the consumed head is half the
        // lane: amortised O(1) per append, and the lane holds about twice the timers pending.
        if lane.count - laneHead > 2 * laneLive + 64 || (laneHead > 0 && laneHead == lane.count) || (laneHead > 64 && 2 * laneHead > lane.count) {
            compactLane()
        }
        lane.append(entry)
        laneKey[Int(entry.slot)] = entry.key
        laneLive += 1
    }

    /// Drops the stale entries at the lane's head.
    @inline(__always) private mutating func skipStale() {
        while laneHead < lane.count && !isLiveInLane(lane[laneHead]) { laneHead += 1 }
    }

    /// Moves the live entries to the front of the lane, in order.
    private mutating func compactLane() {
        var kept = 0
        for i in laneHead..<lane.count {
            let e = lane[i]
            if isLiveInLane(e) {
                lane[kept] = e
                kept += 1
            }
        }
        while lane.count > kept { lane.removeLast() }
        laneHead = 0
    }

    // MARK: Indexed heap of replaceable events

    /// Removes the event ``pop()`` left at the root, if any.
    @inline(__always) private mutating func dropTaken() {
        guard taken >= 0 else { return }
        taken = -1
        removeKeyed(at: 0)
    }

    private mutating func removeKeyed(at i: Int) {
        position[Int(keyed[i].slot)] = -1
        let last = keyed.removeLast()
        guard i < keyed.count else { return }
        let later = keyed[i].precedes(last)
        keyed[i] = last
        position[Int(last.slot)] = Int32(i)
        if later { siftDown(i) } else { siftUp(i) }
    }

    // The sifts work on the raw buffers: through the arrays, every element write would check
    // the buffer's uniqueness again.

    private mutating func siftUp(_ start: Int) {
        keyed.withUnsafeMutableBufferPointer { h in
            position.withUnsafeMutableBufferPointer { pos in
                var i = start
                let e = h[i]
                while i > 0 {
                    let p = (i - 1) / 2
                    guard e.precedes(h[p]) else { break }
                    h[i] = h[p]
                    pos[Int(h[i].slot)] = Int32(i)
                    i = p
                }
                h[i] = e
                pos[Int(e.slot)] = Int32(i)
            }
        }
    }

    private mutating func siftDown(_ start: Int) {
        keyed.withUnsafeMutableBufferPointer { h in
            position.withUnsafeMutableBufferPointer { pos in
                var i = start
                let e = h[i]
                let n = h.count
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    let c = l + 1 < n && h[l + 1].precedes(h[l]) ? l + 1 : l
                    guard h[c].precedes(e) else { break }
                    h[i] = h[c]
                    pos[Int(h[i].slot)] = Int32(i)
                    i = c
                }
                h[i] = e
                pos[Int(e.slot)] = Int32(i)
            }
        }
    }
}
