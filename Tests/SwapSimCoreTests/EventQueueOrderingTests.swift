import SwapSimCore
import Testing

@Suite struct EventQueueOrderingTests {
    @Test func sameTimeEventsPopByPhaseThenInsertionOrder() {
        var q = EventQueue<String>()
        let t = SimInstant(nanoseconds: 100)
        q.schedule("timer-1", at: t, phase: .timer)
        q.schedule("arrival-1", at: t, phase: .arrival)
        q.schedule("iteration-1", at: t, phase: .iteration)
        q.schedule("arrival-2", at: t, phase: .arrival)
        q.schedule("transfer-1", at: t, phase: .transfer)
        q.schedule("lifecycle-1", at: t, phase: .lifecycle)
        q.schedule("earlier-timer", at: SimInstant(nanoseconds: 99), phase: .timer)
        q.schedule("transfer-2", at: t, phase: .transfer)
        q.schedule("arrival-3", at: t, phase: .arrival)
        var popped: [String] = []
        while let e = q.pop() { popped.append(e.payload) }
        #expect(popped == [
            "earlier-timer", "transfer-1", "transfer-2", "lifecycle-1", "iteration-1",
            "arrival-1", "arrival-2", "arrival-3", "timer-1",
        ])
    }

    @Test func popReportsTimeAndPhase() {
        var q = EventQueue<Int>()
        q.schedule(7, at: SimInstant(nanoseconds: 5), phase: .lifecycle)
        let next = q.nextTime  // bound first: #expect cannot take apart a non-copyable queue
        #expect(next == SimInstant(nanoseconds: 5))
        let e = q.pop()
        #expect(e?.time == SimInstant(nanoseconds: 5))
        #expect(e?.phase == .lifecycle)
        #expect(e?.payload == 7)
        let last = q.pop()
        #expect(last == nil)
        let empty = q.isEmpty
        #expect(empty)
    }

    /// Random interleavings of schedule and pop, checked against a reference that takes the
    /// minimum by (time, phase, insertion index) from an unsorted list.
    @Test func randomInterleavingsMatchSortedReference() {
        let phases: [EventPhase] = [.transfer, .lifecycle, .iteration, .arrival, .timer]
        for seed in UInt64(0)..<200 {
            var rng = RandomStream(seed: seed, stream: "event-queue")
            var q = EventQueue<Int>()
            var reference: [(time: Int64, phase: EventPhase, index: Int)] = []
            var inserted = 0
            var failed = false
            // Few distinct times, so ties in time and in phase are common.
            let timeSpan = 1 + Int(rng.nextInt(below: 20))
            for _ in 0..<(200 + Int(rng.nextInt(below: 800))) {
                if reference.isEmpty || rng.nextUnit() < 0.6 {
                    let time = Int64(rng.nextInt(below: UInt64(timeSpan)))
                    let phase = phases[Int(rng.nextInt(below: 5))]
                    q.schedule(inserted, at: SimInstant(nanoseconds: time), phase: phase)
                    reference.append((time, phase, inserted))
                    inserted += 1
                } else {
                    let k = reference.indices.min { a, b in
                        let x = reference[a], y = reference[b]
                        if x.time != y.time { return x.time < y.time }
                        if x.phase != y.phase { return x.phase < y.phase }
                        return x.index < y.index
                    }!
                    let expected = reference.remove(at: k)
                    guard let got = q.pop() else {
                        Issue.record("seed \(seed): queue empty, expected event \(expected.index)")
                        failed = true
                        break
                    }
                    if got.payload != expected.index || got.time.nanoseconds != expected.time || got.phase != expected.phase {
                        Issue.record("seed \(seed): popped \(got.payload) at \(got.time) \(got.phase), expected \(expected.index) at \(expected.time)ns \(expected.phase)")
                        failed = true
                        break
                    }
                }
                let (count, expected) = (q.count, reference.count)
                #expect(count == expected, "seed \(seed)")
            }
            if failed { continue }
            let ok = q.checkInvariants()
            #expect(ok, "seed \(seed)")
        }
    }
}

/// Replaceable (slotted) events pop exactly where a fresh event scheduled at the moment of the
/// replacement would, against a reference that schedules a new event and drops stale ones.
@Suite struct EventQueueSlotTests {
    @Test func slottedEventsPopLikeFreshEventsWithStaleOnesDropped() {
        for seed in UInt64(0)..<30 {
            var rng = RandomStream(seed: seed, stream: "slots")
            var fast = EventQueue<(slot: Int, generation: Int)>()
            var reference = EventQueue<(slot: Int, generation: Int)>()
            var generation = [Int](repeating: 0, count: 8)
            var live = [Bool](repeating: false, count: 8)
            var popped: [(Int64, Int)] = []
            var expected: [(Int64, Int)] = []
            for step in 0..<1500 {  // long enough for the timers' lane to compact
                let now = Int64(step) * 10
                let slot = Int(rng.uniformInt(0...7))
                switch rng.uniformInt(0...9) {
                case 0...5:
                    // Batch boundaries anywhere ahead; timers mostly a fixed delay ahead, so in
                    // order (the queue's FIFO lane), sometimes not (back to the heap).
                    let phase: EventPhase = rng.uniformInt(0...1) == 0 ? .iteration : .timer
                    let delay = phase == .timer && rng.uniformInt(0...3) > 0 ? 5_000 : Int64(rng.uniformInt(0...200))
                    let t = SimInstant(nanoseconds: now + delay)
                    generation[slot] += 1
                    live[slot] = true
                    fast.schedule((slot, generation[slot]), at: t, phase: phase, slot: slot)
                    reference.schedule((slot, generation[slot]), at: t, phase: phase)
                case 6:
                    generation[slot] += 1
                    live[slot] = false
                    fast.cancel(slot: slot)
                    // The reference keeps its stale event; it is dropped when it pops.
                default:
                    // Plain events interleave with the slotted ones at equal times.
                    let t = SimInstant(nanoseconds: now + Int64(rng.uniformInt(0...200)))
                    let phase: EventPhase = rng.uniformInt(0...1) == 0 ? .iteration : .timer
                    fast.schedule((-1, 0), at: t, phase: phase)
                    reference.schedule((-1, 0), at: t, phase: phase)
                }
                let ok = fast.checkInvariants()
                #expect(ok, "seed \(seed)")
                // Pop everything due by now from both.
                while let t = fast.nextTime, t.nanoseconds <= now, let e = fast.pop() {
                    popped.append((e.time.nanoseconds, e.payload.slot))
                    if e.payload.slot >= 0 { live[e.payload.slot] = false }
                }
                while let t = reference.nextTime, t.nanoseconds <= now, let e = reference.pop() {
                    let p = e.payload
                    if p.slot >= 0 && p.generation != generation[p.slot] { continue }  // stale
                    expected.append((e.time.nanoseconds, p.slot))
                }
            }
            #expect(popped.map(\.0) == expected.map(\.0) && popped.map(\.1) == expected.map(\.1), "seed \(seed)")
        }
    }
}

extension EventQueueSlotTests {
    /// Timers reset over and over, each after the last (the FIFO lane keeps their stale entries
    /// until it compacts), pop once each, at their last setting, in order; a cancelled one never.
    @Test func timersResetManyTimesPopOnceInOrder() {
        var q = EventQueue<Int>()
        var last = [Int64](repeating: -1, count: 4)
        for i in 0..<1_000 {
            let slot = i % 4
            let t = Int64(1_000 + i)
            q.schedule(slot, at: SimInstant(nanoseconds: t), phase: .timer, slot: slot)
            last[slot] = t
            if i % 50 == 0 {
                let ok = q.checkInvariants()
                #expect(ok, "after \(i) timers")
            }
        }
        q.cancel(slot: 3)
        let count = q.count
        #expect(count == 3)
        var popped: [(Int64, Int)] = []
        while let e = q.pop() { popped.append((e.time.nanoseconds, e.payload)) }
        #expect(popped.map(\.0) == Array(last[0..<3]) && popped.map(\.1) == [0, 1, 2])
    }
}

@Suite struct EventQueueReservedKeyTests {
    /// An event held out of the queue with a reserved key, and put in only while still pending,
    /// pops exactly where the same event scheduled at reservation time would have; one never
    /// put in never pops (the engine's cold timers). Time moves only by popping, as in the engine.
    @Test func reservedEventsPopWhereEventsScheduledAtReservationWould() {
        for seed in UInt64(0)..<30 {
            var rng = RandomStream(seed: seed, stream: "reserved-keys")
            var fast = EventQueue<(slot: Int, generation: Int)>()
            var reference = EventQueue<(slot: Int, generation: Int)>()
            var generation = [Int](repeating: 0, count: 6)
            var reserved = [(at: SimInstant, key: UInt64)?](repeating: nil, count: 6)
            var armed = [Bool](repeating: false, count: 6)
            // The latest generation of each slot's events the reference has popped (fired or skipped).
            var referencePopped = [Int](repeating: 0, count: 6)
            var clock: Int64 = 0
            var (armedCount, refusedCount, pops) = (0, 0, 0)
            for _ in 0..<600 {
                let slot = Int(rng.uniformInt(0...5))
                switch rng.uniformInt(0...9) {
                case 0...2:
                    // Reserve: replaces the slot's earlier event, armed or not.
                    let t = SimInstant(nanoseconds: clock + Int64(rng.uniformInt(0...40)))
                    generation[slot] += 1
                    if armed[slot] { fast.cancel(slot: slot) }
                    armed[slot] = false
                    reserved[slot] = (t, fast.reserveKey(phase: .timer))
                    reference.schedule((slot, generation[slot]), at: t, phase: .timer)
                case 3...5:
                    // Arm, if still pending; the reference has popped it exactly when it is not.
                    guard let r = reserved[slot], !armed[slot] else { break }
                    let pending = fast.isPending(at: r.at, key: r.key)
                    #expect(pending == (referencePopped[slot] != generation[slot]), "seed \(seed)")
                    if pending {
                        fast.schedule((slot, generation[slot]), at: r.at, key: r.key, slot: slot)
                        armed[slot] = true
                        armedCount += 1
                    } else {
                        refusedCount += 1
                    }
                default:
                    let t = SimInstant(nanoseconds: clock + Int64(rng.uniformInt(0...40)))
                    let phase: EventPhase = rng.uniformInt(0...1) == 0 ? .timer : .iteration
                    fast.schedule((-1, 0), at: t, phase: phase)
                    reference.schedule((-1, 0), at: t, phase: phase)
                }
                let ok = fast.checkInvariants()
                #expect(ok, "seed \(seed)")
                // One event fires: the next of the fast queue, and of the reference the next that
                // is neither stale nor held out.
                guard rng.uniformInt(0...1) == 0, let e = fast.pop() else { continue }
                clock = e.time.nanoseconds
                pops += 1
                if e.payload.slot >= 0 {
                    armed[e.payload.slot] = false
                    reserved[e.payload.slot] = nil
                }
                var match: (Int64, Int)? = nil
                while match == nil, let f = reference.pop() {
                    let p = f.payload
                    if p.slot >= 0 {
                        referencePopped[p.slot] = max(referencePopped[p.slot], p.generation)
                        if p.generation != generation[p.slot] || reserved[p.slot] != nil { continue }
                    }
                    match = (f.time.nanoseconds, p.slot)
                }
                #expect(match?.0 == clock && match?.1 == e.payload.slot, "seed \(seed)")
            }
            #expect(armedCount > 20 && refusedCount > 5 && pops > 100, "seed \(seed): the test arms, refuses and fires events")
        }
    }
}
