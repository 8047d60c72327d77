/// The cost of one continuous-batching iteration (one engine step) of a replica, in integer
/// picoseconds.
///
/// An iteration's time is operator-additive, as in Vidur and BLIS (docs/research/serving.md §4–5):
///
///     overhead + perSequence × sequences + max(weights, compute × tokens) + kvRead × context
///
/// - the GEMMs stream the (active) weights once or are bound by the FLOPs of every token the
///   step processes (prefill chunks and decodes), whichever is longer;
/// - attention reads every token of context the step's sequences hold, so a step's time grows
///   with context length (decode KV reads; a prefill chunk reads its own prefix and chunk);
/// - the overhead is the step's fixed cost (scheduling, launches, sampling, tensor-parallel
///   all-reduces), and `perSequence` the per-request cost fitted at TP > 1.
///
/// The per-unit costs are rounded to whole picoseconds once, so that the time of any run of
/// iterations is an exact integer sum: the closed-form advance and a token-by-token loop give
/// the same answer to the picosecond.
public struct IterationCost: Hashable, Sendable {
    /// Fixed cost of every iteration (scheduling, kernel launches, sampling, all-reduces).
    public var overheadPs: Int64
    /// Cost per sequence in the step (fitted at tensor parallelism above one).
    public var perSequencePs: Int64
    /// Compute time per token processed.
    public var computePsPerToken: Int64
    /// Time to stream the (active) weights once.
    public var weightReadPs: Int64
    /// Time to stream one token's KV cache once.
    public var kvReadPsPerToken: Int64

    public init(overheadPs: Int64, computePsPerToken: Int64, weightReadPs: Int64, kvReadPsPerToken: Int64, perSequencePs: Int64 = 0) {
        self.overheadPs = overheadPs
        self.perSequencePs = perSequencePs
        self.computePsPerToken = computePsPerToken
        self.weightReadPs = weightReadPs
        self.kvReadPsPerToken = kvReadPsPerToken
    }

    /// The cost of serving `model` on `tensorParallel` GPUs of kind `gpu`.
    ///
    /// A mixture-of-experts model streams its active parameters' share of the weights per step
    /// (``ModelArchitecture/activeWeightBytes``), the bound at the small batches of a decode.
    public init(
        model: ModelArchitecture, gpu: GPUSpec, tensorParallel: Int, overhead: SimDuration,
        computeEfficiency: Double, memoryEfficiency: Double, perSequence: SimDuration = .zero
    ) {
        let tp = Double(tensorParallel)
        let flops = gpu.bf16.flopsPerSecond * computeEfficiency * tp
        let bw = gpu.memoryBandwidth.bytesPerSecond * memoryEfficiency * tp
        overheadPs = overhead.nanoseconds * 1000
        perSequencePs = perSequence.nanoseconds * 1000
        computePsPerToken = Int64((model.flopsPerToken / flops * 1e12).rounded())
        weightReadPs = Int64((Double(model.activeWeightBytes.bytes) / bw * 1e12).rounded())
        kvReadPsPerToken = Int64((Double(model.kvBytesPerToken.bytes) / bw * 1e12).rounded())
    }

    /// The time of one iteration of `sequences` sequences that processes `tokens` tokens and
    /// reads `contextTokens` of KV.
    public func iterationPs(tokens: Int64, contextTokens: Int64, sequences: Int64 = 0) -> Int64 {
        overheadPs + perSequencePs * sequences + max(weightReadPs, computePsPerToken * tokens) + kvReadPsPerToken * contextTokens
    }

    /// The total time of `count` consecutive decode iterations of a batch of `batch` requests
    /// whose context at the first of them is `context` tokens (it grows by `batch` each iteration).
    ///
    /// Closed form of Σ_{i<count} overhead + b·batch + max(W, C·batch) + K·(context + batch·i):
    /// every term but the last is the same each iteration, and the last is an arithmetic series.
    /// - Complexity: O(1).
    public func decodePs(batch: Int64, context: Int64, count: Int64) -> Int128 {
        if count <= 0 { return 0 }
        // The per-iteration terms fit in 64 bits for any real model and batch; the sums over
        // many iterations may not, so only they widen.
        if let t = decodeTerms(batch: batch, context: context), let sum = Self.decodeSum(first: t.first, step: t.step, count: count) {
            return Int128(sum)
        }
        return decodePsWide(batch: batch, context: context, count: count)
    }

    /// `count × first + step × count(count − 1)/2`, the total of ``decodeTerms(batch:context:)``
    /// over `count ≥ 0` iterations, or nil where it does not fit in 64 bits.
    @inline(__always) public static func decodeSum(first: Int64, step: Int64, count: Int64) -> Int64? {
        guard count < (1 << 31) else { return nil }
        let (t1, p1) = count.multipliedReportingOverflow(by: first)
        let (t2, p2) = step.multipliedReportingOverflow(by: count * (count - 1) / 2)
        let (sum, p3) = t1.addingReportingOverflow(t2)
        return p1 || p2 || p3 ? nil : sum
    }

    /// The first of a run of decode iterations (batch `batch`, context `context`) and the growth
    /// of each next one, when both fit in 64 bits: the terms of ``decodePs(batch:context:count:)``,
    /// whose total over `m` iterations is `m × first + step × m(m − 1)/2`.
    public func decodeTerms(batch: Int64, context: Int64) -> (first: Int64, step: Int64)? {
        let (c, o1) = computePsPerToken.multipliedReportingOverflow(by: batch)
        let (s, o2) = perSequencePs.multipliedReportingOverflow(by: batch)
        let (kvCtx, o3) = kvReadPsPerToken.multipliedReportingOverflow(by: context)
        let (d, o4) = kvReadPsPerToken.multipliedReportingOverflow(by: batch)
        guard !(o1 || o2 || o3 || o4) else { return nil }
        let (f1, q1) = overheadPs.addingReportingOverflow(s)
        let (f2, q2) = f1.addingReportingOverflow(max(weightReadPs, c))
        let (first, q3) = f2.addingReportingOverflow(kvCtx)
        return q1 || q2 || q3 ? nil : (first, d)
    }

    /// ``decodePs(batch:context:count:)`` entirely in 128 bits, for figures beyond 64.
    func decodePsWide(batch: Int64, context: Int64, count: Int64) -> Int128 {
        let m = Int128(count)
        let first = Int128(overheadPs) + Int128(perSequencePs) * Int128(batch)
            + max(Int128(weightReadPs), Int128(computePsPerToken) * Int128(batch)) + Int128(kvReadPsPerToken) * Int128(context)
        let d = Int128(kvReadPsPerToken) * Int128(batch)
        return m * first + d * (m * (m - 1) / 2)
    }
}
