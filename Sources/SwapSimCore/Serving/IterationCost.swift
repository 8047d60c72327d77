/// The roofline cost of one continuous-batching iteration of a replica, in integer picoseconds.
///
/// An iteration's time is `overhead + max(compute, memory)`:
/// - compute = (prefill tokens + decode tokens) × FLOPs per token ÷ (peak × efficiency × TP);
/// - memory  = (weight bytes + KV bytes read) ÷ (HBM bandwidth × efficiency × TP),
///   where the KV read is every token of context held by the batch.
///
/// The per-unit costs are rounded to whole picoseconds once, so that the time of any run of
/// iterations is an exact integer sum: the closed-form advance and a token-by-token loop give
/// the same answer to the picosecond.
public struct IterationCost: Hashable, Sendable {
    /// Fixed cost of every iteration (scheduling, kernel launches, sampling).
    public var overheadPs: Int64
    /// Compute time per token processed.
    public var computePsPerToken: Int64
    /// Time to stream the weights once.
    public var weightReadPs: Int64
    /// Time to stream one token's KV cache once.
    public var kvReadPsPerToken: Int64

    public init(overheadPs: Int64, computePsPerToken: Int64, weightReadPs: Int64, kvReadPsPerToken: Int64) {
        self.overheadPs = overheadPs
        self.computePsPerToken = computePsPerToken
        self.weightReadPs = weightReadPs
        self.kvReadPsPerToken = kvReadPsPerToken
    }

    /// The cost of serving `model` on `tensorParallel` GPUs of kind `gpu`.
    public init(
        model: ModelArchitecture, gpu: GPUSpec, tensorParallel: Int, overhead: SimDuration,
        computeEfficiency: Double, memoryEfficiency: Double
    ) {
        let tp = Double(tensorParallel)
        let flops = gpu.bf16.flopsPerSecond * computeEfficiency * tp
        let bw = gpu.memoryBandwidth.bytesPerSecond * memoryEfficiency * tp
        overheadPs = overhead.nanoseconds * 1000
        computePsPerToken = Int64((model.flopsPerToken / flops * 1e12).rounded())
        weightReadPs = Int64((Double(model.weightBytes.bytes) / bw * 1e12).rounded())
        kvReadPsPerToken = Int64((Double(model.kvBytesPerToken.bytes) / bw * 1e12).rounded())
    }

    /// The time of one iteration that processes `tokens` tokens and reads `contextTokens` of KV.
    public func iterationPs(tokens: Int64, contextTokens: Int64) -> Int64 {
        overheadPs + max(computePsPerToken * tokens, weightReadPs + kvReadPsPerToken * contextTokens)
    }

    /// The total time of `count` consecutive decode iterations of a batch of `batch` requests
    /// whose context at the first of them is `context` tokens (it grows by `batch` each iteration).
    ///
    /// Closed form of Σ_{i<count} overhead + max(C·batch, W + K·(context + batch·i)): the
    /// iterations before the memory term overtakes the compute term cost C·batch each; the
    /// rest form an arithmetic series.
    /// - Complexity: O(1).
    public func decodePs(batch: Int64, context: Int64, count: Int64) -> Int128 {
        if count <= 0 { return 0 }
        // The per-iteration terms fit in 64 bits for any real model and batch; the sums over
        // many iterations may not, so only they widen. (128-bit division is a library call,
        // so the one division stays in 64 bits where it can.)
        let (c, o1) = computePsPerToken.multipliedReportingOverflow(by: batch)
        let (kvCtx, o2) = kvReadPsPerToken.multipliedReportingOverflow(by: context)
        let (l0, o3) = weightReadPs.addingReportingOverflow(kvCtx)
        let (d, o4) = kvReadPsPerToken.multipliedReportingOverflow(by: batch)
        let (_, o5) = c.addingReportingOverflow(d)
        guard !(o1 || o2 || o3 || o4 || o5), count < (1 << 31) else { return decodePsWide(batch: batch, context: context, count: count) }
        let m = count
        // Number of leading iterations where the compute term is larger.
        var computeBound: Int64 = 0
        if c > l0 {
            computeBound = d == 0 ? m : min(m, (c - l0 + d - 1) / d)
        }
        let rest = m - computeBound
        // Σ_{i=computeBound}^{m-1} (l0 + d·i)
        let indexSum = (m * (m - 1) - computeBound * (computeBound - 1)) / 2
        // Usually the whole sum fits 64 bits too; widen only when a term or the total would not.
        let (t1, p1) = m.multipliedReportingOverflow(by: overheadPs)
        let (t2, p2) = computeBound.multipliedReportingOverflow(by: c)
        let (t3, p3) = rest.multipliedReportingOverflow(by: l0)
        let (t4, p4) = d.multipliedReportingOverflow(by: indexSum)
        if !(p1 || p2 || p3 || p4) {
            let (s1, q1) = t1.addingReportingOverflow(t2)
            let (s2, q2) = s1.addingReportingOverflow(t3)
            let (s3, q3) = s2.addingReportingOverflow(t4)
            if !(q1 || q2 || q3) { return Int128(s3) }
        }
        return Int128(m) * Int128(overheadPs) + Int128(computeBound) * Int128(c) + Int128(rest) * Int128(l0) + Int128(d) * Int128(indexSum)
    }

    /// ``decodePs(batch:context:count:)`` entirely in 128 bits, for figures beyond 64.
    func decodePsWide(batch: Int64, context: Int64, count: Int64) -> Int128 {
        let m = Int128(count)
        let c = Int128(computePsPerToken) * Int128(batch)
        let l0 = Int128(weightReadPs) + Int128(kvReadPsPerToken) * Int128(context)
        let d = Int128(kvReadPsPerToken) * Int128(batch)
        var computeBound: Int128 = 0
        if c > l0 {
            computeBound = d == 0 ? m : min(m, (c - l0 + d - 1) / d)
        }
        let rest = m - computeBound
        let indexSum = (m * (m - 1) - computeBound * (computeBound - 1)) / 2
        return m * Int128(overheadPs) + computeBound * c + rest * l0 + d * indexSum
    }
}
