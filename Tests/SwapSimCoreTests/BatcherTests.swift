import SwapSimCore
import Testing

/// The closed-form batcher against an independent token-by-token reference, and the closed-form
/// decode cost against a loop over iterations.
@Suite struct BatcherTests {
    struct Request {
        var arrival: Int64  // ns
        var input: Int32
        var output: Int32
        var kv: Int64 { Int64(input) + Int64(output) }
    }

    /// When a request joined the batch, got its first token and left, in nanoseconds.
    struct Timeline: Equatable, CustomStringConvertible {
        var admitted: Int64 = -1
        var firstToken: Int64 = -1
        var finished: Int64 = -1
        var description: String { "(admitted \(admitted), first token \(firstToken), finished \(finished))" }
    }

    static func ceilNs(_ ps: Int64) -> Int64 { (ps + 999) / 1000 }

    /// Continuous batching simulated one iteration at a time, written from the rules alone:
    /// - FIFO admission at iteration boundaries while the batch has fewer than `maxBatch` requests
    ///   and the KV reserved (input + output per request) stays within `kvCapacity`;
    /// - an admitted request's first iteration is its prefill and yields its first token; it then
    ///   decodes one token per iteration and leaves at the boundary after its last token;
    /// - iteration time = `iterationPs(tokens: decoding + Σ prefill inputs, contextTokens:
    ///   Σ decoding (input + iterations since its prefill) + Σ prefill inputs)`;
    /// - a request arriving at t ns joins the first boundary strictly after t·1000 ps (a boundary
    ///   at the same instant fires before the arrival: iterations precede arrivals in the event
    ///   order), or, if the batch is idle, starts an iteration at t·1000 ps on its own;
    /// - instants are reported as ⌈ps / 1000⌉ ns.
    ///
    /// Also returns how many arrivals fell exactly on a boundary, and at how many boundaries the
    /// batch or KV limit kept a queued request out, to show the workload exercises both.
    static func reference(
        _ requests: [Request], cost: IterationCost, kvCapacity: Int64, maxBatch: Int
    ) -> (timelines: [Timeline], arrivalsOnBoundary: Int, limitedBoundaries: Int) {
        struct Running { var index: Int; var prefillIteration: Int64; var generated: Int32 }
        var out = [Timeline](repeating: Timeline(), count: requests.count)
        var running: [Running] = []
        var queue: [Int] = []
        var queueHead = 0
        var kvUsed: Int64 = 0
        var nextArrival = 0
        var t: Int64 = 0  // ps: start of the iteration about to run
        var iteration: Int64 = 0
        var onBoundary = 0
        var limited = 0
        while true {
            if running.isEmpty {
                // Idle: nothing is queued either; the next arrival starts an iteration by itself.
                precondition(queueHead == queue.count)
                guard nextArrival < requests.count else { break }
                t = requests[nextArrival].arrival * 1000
                queue.append(nextArrival)
                nextArrival += 1
            } else {
                while nextArrival < requests.count, requests[nextArrival].arrival * 1000 <= t {
                    if requests[nextArrival].arrival * 1000 == t {
                        onBoundary += 1
                        break  // arrives just after this boundary fired
                    }
                    queue.append(nextArrival)
                    nextArrival += 1
                }
                var still: [Running] = []
                for r in running {
                    if r.generated == requests[r.index].output {
                        out[r.index].finished = ceilNs(t)
                        kvUsed -= requests[r.index].kv
                    } else {
                        still.append(r)
                    }
                }
                running = still
                if running.isEmpty && queueHead == queue.count { continue }
            }
            var admitted: [Int] = []
            while queueHead < queue.count, running.count < maxBatch,
                kvUsed + requests[queue[queueHead]].kv <= kvCapacity
            {
                let i = queue[queueHead]
                queueHead += 1
                kvUsed += requests[i].kv
                running.append(Running(index: i, prefillIteration: iteration, generated: 0))
                admitted.append(i)
            }
            if queueHead < queue.count { limited += 1 }
            precondition(!running.isEmpty, "a request that fits an empty batch was not admitted")
            var decoding: Int64 = 0
            var context: Int64 = 0
            var prefill: Int64 = 0
            for r in running {
                if r.prefillIteration < iteration {
                    decoding += 1
                    context += Int64(requests[r.index].input) + (iteration - r.prefillIteration)
                } else {
                    prefill += Int64(requests[r.index].input)
                }
            }
            let dt = cost.iterationPs(tokens: decoding + prefill, contextTokens: context + prefill)
            for i in admitted {
                out[i].admitted = ceilNs(t)
                out[i].firstToken = ceilNs(t + dt)
            }
            for k in running.indices { running[k].generated += 1 }
            t += dt
            iteration += 1
        }
        return (out, onBoundary, limited)
    }

    /// Drives the real batcher: arrivals are enqueued at their instants, and the batcher is
    /// advanced whenever its next boundary comes first (boundaries before arrivals at equal times).
    static func closedForm(
        _ requests: [Request], cost: IterationCost, kvCapacity: Int64, maxBatch: Int
    ) -> (timelines: [Timeline], invariantsHeld: Bool) {
        var b = Batcher(cost: cost, kvCapacityTokens: kvCapacity, maxBatch: maxBatch)
        var out = [Timeline](repeating: Timeline(), count: requests.count)
        var outcomes: [BatchOutcome] = []
        var i = 0
        var ok = true
        while true {
            if let nb = b.nextBoundary, i == requests.count || nb.nanoseconds <= requests[i].arrival {
                b.advance(into: &outcomes)
            } else if i < requests.count {
                let r = requests[i]
                let br = BatchRequest(slot: Int32(i), inputTokens: r.input, outputTokens: r.output)
                precondition(b.canEverAdmit(br))
                b.enqueue(br, at: SimInstant(nanoseconds: r.arrival), into: &outcomes)
                i += 1
            } else {
                break
            }
            ok = ok && b.checkInvariants()
            for o in outcomes {
                switch o {
                case let .admitted(slot, admitted, firstToken):
                    out[Int(slot)].admitted = admitted.nanoseconds
                    out[Int(slot)].firstToken = firstToken.nanoseconds
                case let .finished(slot, finished):
                    out[Int(slot)].finished = finished.nanoseconds
                case .timedOut, .preempted:
                    ok = false  // no deadline is set, KV is reserved
                }
            }
            outcomes.removeAll()
        }
        ok = ok && b.isIdle
        return (out, ok)
    }

    /// A random workload. Even seeds use costs in arbitrary picoseconds; odd seeds use whole
    /// nanoseconds, so boundaries fall on integer instants and arrivals often coincide with them.
    static func randomCase(seed: UInt64) -> (requests: [Request], cost: IterationCost, kvCapacity: Int64, maxBatch: Int) {
        var rng = RandomStream(seed: seed, stream: "batcher")
        let grid = seed % 2 == 1
        func pick(_ range: ClosedRange<Int>) -> Int64 { Int64(rng.uniformInt(range)) }
        let cost: IterationCost
        if grid {
            cost = IterationCost(
                overheadPs: 1000 * pick(0...20), computePsPerToken: 1000 * pick(0...3),
                weightReadPs: 1000 * pick(5...200), kvReadPsPerToken: 1000 * pick(0...2))
        } else {
            cost = IterationCost(
                overheadPs: pick(0...20_000), computePsPerToken: pick(100...3_000),
                weightReadPs: pick(5_000...300_000), kvReadPsPerToken: pick(0...700))
        }
        let count = rng.uniformInt(20...150)
        // Mean gap between arrivals relative to a typical iteration: from heavy overload to light load.
        let typical = Double(cost.iterationPs(tokens: 32, contextTokens: 256)) / 1000
        let meanGap = typical * [0.05, 0.3, 1.0, 3.0][rng.uniformInt(0...3)]
        var t: Int64 = 0
        var requests: [Request] = []
        for _ in 0..<count {
            if rng.nextUnit() >= 0.15 { t += Int64(rng.exponential(mean: meanGap).rounded()) }  // 15 %: same instant
            let input = Int32(rng.uniformInt(1...48))
            let output = rng.nextUnit() < 0.3 ? Int32(1) : Int32(rng.uniformInt(1...24))
            requests.append(Request(arrival: t, input: input, output: output))
        }
        let maxKV = requests.map(\.kv).max()!
        let kvCapacity = maxKV + pick(0...Int(2 * maxKV))
        let maxBatch = rng.uniformInt(1...6)
        return (requests, cost, kvCapacity, maxBatch)
    }

    @Test func closedFormMatchesTokenByTokenReference() {
        var onBoundary = 0
        var limited = 0
        for seed in UInt64(0)..<400 {
            let c = Self.randomCase(seed: seed)
            let (expected, ties, limitedHere) = Self.reference(c.requests, cost: c.cost, kvCapacity: c.kvCapacity, maxBatch: c.maxBatch)
            let (got, ok) = Self.closedForm(c.requests, cost: c.cost, kvCapacity: c.kvCapacity, maxBatch: c.maxBatch)
            onBoundary += ties
            limited += limitedHere
            #expect(ok, "seed \(seed): batcher invariants broken or work left over")
            for i in c.requests.indices where got[i] != expected[i] {
                Issue.record("seed \(seed), request \(i) \(c.requests[i]): batcher \(got[i]), reference \(expected[i]); cost \(c.cost), kv \(c.kvCapacity), maxBatch \(c.maxBatch)")
                break
            }
        }
        // The workloads must actually exercise queueing and exact-boundary arrivals.
        #expect(limited > 1000, "the batch or KV limit held requests back at only \(limited) boundaries")
        #expect(onBoundary > 50, "only \(onBoundary) arrivals fell exactly on a boundary")
    }

    /// A hand-checked case: one request of 10 input and 3 output tokens alone, with overhead 1 ns,
    /// 100 ps per token of compute, 5 ns of weights and 10 ps per token of KV.
    @Test func singleRequestByHand() {
        let cost = IterationCost(overheadPs: 1_000, computePsPerToken: 100, weightReadPs: 5_000, kvReadPsPerToken: 10)
        // Prefill: max(100·10, 5000 + 10·10) = 5100 → 6100 ps. Decodes: context 11 and 12 →
        // 1000 + 5110 and 1000 + 5120. First token at ⌈(1000·1000 + 6100)/1000⌉ = 1007 ns;
        // finish at 1,000,000 + 6100 + 6110 + 6120 ps = 1,018,330 ps → 1019 ns.
        let r = [Request(arrival: 1000, input: 10, output: 3)]
        let (got, ok) = Self.closedForm(r, cost: cost, kvCapacity: 13, maxBatch: 1)
        #expect(ok)
        #expect(got[0] == Timeline(admitted: 1000, firstToken: 1007, finished: 1019))
        #expect(Self.reference(r, cost: cost, kvCapacity: 13, maxBatch: 1).timelines[0] == got[0])
    }

    /// decodePs is the sum of iterationPs over the iterations, whether the weights or the
    /// batch's FLOPs bound the GEMMs, with and without a per-sequence cost.
    @Test func decodeClosedFormEqualsIterationSum() {
        var computeBound = 0
        for seed in UInt64(0)..<500 {
            var rng = RandomStream(seed: seed, stream: "decode")
            let batch = Int64(rng.uniformInt(1...64))
            let context = Int64(rng.uniformInt(0...20_000))
            let count = Int64(rng.uniformInt(0...400))
            let overhead = Int64(rng.uniformInt(0...50_000))
            let perSequence = seed % 3 == 0 ? 0 : Int64(rng.uniformInt(0...40_000))
            let weight = Int64(rng.uniformInt(0...2_000_000))
            let kv = seed % 7 == 0 ? 0 : Int64(rng.uniformInt(1...300))
            let compute = Int64(rng.uniformInt(0...Int(2 * weight / batch + 1)))
            let cost = IterationCost(overheadPs: overhead, computePsPerToken: compute, weightReadPs: weight, kvReadPsPerToken: kv, perSequencePs: perSequence)
            var sum: Int128 = 0
            for i in 0..<count {
                sum += Int128(cost.iterationPs(tokens: batch, contextTokens: context + batch * i, sequences: batch))
            }
            if compute * batch > weight { computeBound += 1 }
            #expect(cost.decodePs(batch: batch, context: context, count: count) == sum,
                "seed \(seed): batch \(batch), context \(context), count \(count), cost \(cost)")
        }
        #expect(computeBound > 100, "only \(computeBound) runs were compute-bound")
    }

    /// A decode of figures beyond 64 bits takes the wide path and still equals the sum.
    @Test func decodeClosedFormWidensBeyond64Bits() {
        let cost = IterationCost(overheadPs: 1 << 40, computePsPerToken: 1, weightReadPs: 1 << 41, kvReadPsPerToken: 1 << 20, perSequencePs: 1 << 30)
        let count: Int64 = 1 << 20
        let batch: Int64 = 256
        let context: Int64 = 1 << 30
        let first = Int128(1 << 40) + Int128(1 << 30) * 256 + Int128(1 << 41) + Int128(1 << 20) * Int128(context)
        let expected = Int128(count) * first + Int128(1 << 20) * Int128(batch) * (Int128(count) * Int128(count - 1) / 2)
        #expect(cost.decodePs(batch: batch, context: context, count: count) == expected)
    }

    /// vLLM's incremental KV allocation, by hand: two requests of 10 + 10 tokens in 30 tokens of
    /// KV, every step 1 ns. Both are admitted (reserving 40 would not fit); at the step where
    /// their decodes need 31 the later one is preempted after 5 tokens, waits for the first to
    /// finish, and prefills its 10 + 5 tokens again before its last 5.
    @Test func incrementalKVPreemptsTheLatestAndRecomputes() {
        let cost = IterationCost(overheadPs: 1_000, computePsPerToken: 0, weightReadPs: 0, kvReadPsPerToken: 0)
        var b = Batcher(cost: cost, kvCapacityTokens: 30, maxBatch: 4, policy: SchedulerPolicy(incrementalKV: true))
        var out: [BatchOutcome] = []
        var timelines = [Timeline](repeating: Timeline(), count: 2)
        var preempted: [Int32] = []
        for slot in Int32(0)..<2 {
            b.enqueue(BatchRequest(slot: slot, inputTokens: 10, outputTokens: 10), at: .zero, into: &out)
        }
        var ok = true
        while true {
            for o in out {
                switch o {
                case let .admitted(slot, a, f):
                    timelines[Int(slot)].admitted = a.nanoseconds
                    timelines[Int(slot)].firstToken = f.nanoseconds
                case let .finished(slot, f): timelines[Int(slot)].finished = f.nanoseconds
                case let .preempted(slot): preempted.append(slot)
                case .timedOut: ok = false
                }
            }
            out.removeAll()
            ok = ok && b.checkInvariants()
            guard b.nextBoundary != nil else { break }
            b.advance(into: &out)
        }
        #expect(ok && b.isIdle)
        #expect(preempted == [1] && b.preemptions == 1)
        #expect(timelines[0] == Timeline(admitted: 0, firstToken: 1, finished: 10))
        #expect(timelines[1] == Timeline(admitted: 1, firstToken: 2, finished: 15))
    }

    /// Chunked prefill, by hand: a 10-token budget, a running decode and a 25-token prompt. The
    /// prompt takes 9, 9 and 7 tokens over three steps beside the decode, and its first token
    /// comes at the end of the third.
    @Test func chunkedPrefillSpreadsALongPromptOverSteps() {
        // Each step: 1 ns + 1 ns per token processed (compute-bound, no weights).
        let cost = IterationCost(overheadPs: 1_000, computePsPerToken: 1_000, weightReadPs: 0, kvReadPsPerToken: 0)
        var b = Batcher(cost: cost, kvCapacityTokens: 1_000, maxBatch: 4, policy: SchedulerPolicy(maxBatchedTokens: 10))
        var out: [BatchOutcome] = []
        var timelines = [Timeline](repeating: Timeline(), count: 2)
        // Request 0: 5 tokens of prompt (one step of 1 + 5 ns), then 20 decodes of 2 ns.
        b.enqueue(BatchRequest(slot: 0, inputTokens: 5, outputTokens: 20), at: .zero, into: &out)
        var arrived = false
        while true {
            for o in out {
                switch o {
                case let .admitted(slot, a, f):
                    timelines[Int(slot)].admitted = a.nanoseconds
                    timelines[Int(slot)].firstToken = f.nanoseconds
                case let .finished(slot, f): timelines[Int(slot)].finished = f.nanoseconds
                default: Issue.record("unexpected \(o)")
                }
            }
            out.removeAll()
            guard let next = b.nextBoundary else { break }
            if !arrived && next.nanoseconds > 7 {
                // Arrives at 7 ns, during request 0's first decode (6–8 ns); joins at 8 ns.
                b.enqueue(BatchRequest(slot: 1, inputTokens: 25, outputTokens: 2), at: SimInstant(nanoseconds: 7), into: &out)
                arrived = true
                continue
            }
            b.advance(into: &out)
        }
        // Request 1: steps at 8 (1 + 1 decode + 9 = 11 ns), 19 (11 ns), 30 (1 + 1 + 7 = 9 ns):
        // first token at 39; then a decode step of both (3 ns): finished at 42.
        #expect(timelines[1] == Timeline(admitted: 8, firstToken: 39, finished: 42))
        #expect(timelines[0].firstToken == 6)
    }
}
