/// Step-time and API-latency figures of a serving engine on a GPU, fitted on real runs.
///
/// One preset is fitted: vLLM 0.15.1 on H100-SXM, from the twelve rows of
/// `shared/validation/serving.md` (Llama-2-7B TP1 and Llama-2-70B TP4). The derivation is in
/// `docs/research/serving.md` §5 and its scripts in `docs/research/serving-fit/`:
/// - `fit3.py` (form J5): a decode step is c_model + N·ctx·KV/(BW·0.85) + 32 µs·N at TP > 1,
///   with c_7B = 6.09 ms and c_70B/TP4 = 16.51 ms, residuals within ±1.5 % on ten rows. With
///   the weights streamed at the same 0.85 of HBM bandwidth, the fixed part is 1.36 ms (7B) and
///   4.40 ms (70B, TP4).
/// - Those two constants split as 0.4 ms + 30 µs per layer + 20 µs per layer at TP > 1 (two
///   all-reduces of ~10 µs per layer), a decomposition that reproduces both exactly; its
///   per-layer part is of the size BLIS (32 µs/layer) and inference-sim (43.5 µs/layer) fit.
/// - Prefill GEMM efficiency 0.6 (TP1) and 0.4 (TP > 1, all-reduce included) of peak: fitted on
///   the stage-0 cold-start TTFT tails (`minisim_70b_ec.txt`), weakly identified; Vidur's H100
///   profiles give 0.66 and 0.62.
/// - API latency (ingress before the engine sees a request, detokenise and stream after its
///   tokens): 7 ms at TP1, 9 ms at TP > 1 (`minisim.py` `default_params`), with an exponential
///   spread of mean 4 ms on the ingress half (inference-sim fits a heavy-tailed 9.3 ms
///   arrival-to-queue delay; `row6_noise.py`).
///
/// Other GPUs carry the H100 figures over: no serving run on them has been fitted yet, so their
/// step times are the same efficiencies applied to their own bandwidth and FLOP/s.
public struct ServingPreset: Hashable, Sendable {
    /// Name, for reports: which fit the figures come from.
    public var name: String
    /// Share of peak HBM bandwidth achieved streaming weights and KV.
    public var memoryEfficiency: Double
    /// Share of peak FLOP/s achieved by the GEMMs, at TP1 and at TP > 1.
    public var computeEfficiency: Double
    public var computeEfficiencyTensorParallel: Double
    /// Fixed step cost: base + per layer, + per layer again at TP > 1.
    public var overheadBase: SimDuration
    public var overheadPerLayer: SimDuration
    public var overheadPerLayerTensorParallel: SimDuration
    /// Per-sequence step cost at TP > 1.
    public var perSequenceTensorParallel: SimDuration
    /// API latency (half before the engine, half after), at TP1 and TP > 1.
    public var apiLatency: SimDuration
    public var apiLatencyTensorParallel: SimDuration
    /// Mean of the exponential spread on the ingress half of the API latency (mean-preserving).
    public var apiJitter: SimDuration

    /// vLLM 0.15.1 on H100-SXM (see the type's discussion for each figure's source).
    public static let vllm015H100 = ServingPreset(
        name: "vllm-0.15.1-h100", memoryEfficiency: 0.85, computeEfficiency: 0.6, computeEfficiencyTensorParallel: 0.4,
        overheadBase: .microseconds(400), overheadPerLayer: .microseconds(30), overheadPerLayerTensorParallel: .microseconds(20),
        perSequenceTensorParallel: .microseconds(32), apiLatency: .milliseconds(7), apiLatencyTensorParallel: .milliseconds(9),
        apiJitter: .milliseconds(4))

    /// The preset for `gpu`: the H100 fit, for every GPU until another is fitted.
    public static func forGPU(_ gpu: GPUSpec) -> ServingPreset { vllm015H100 }

    /// Fixed step cost of `model` on `tensorParallel` GPUs.
    public func overhead(_ model: ModelArchitecture, tensorParallel: Int) -> SimDuration {
        let perLayer = overheadPerLayer.nanoseconds + (tensorParallel > 1 ? overheadPerLayerTensorParallel.nanoseconds : 0)
        return .nanoseconds(overheadBase.nanoseconds + perLayer * Int64(model.layers))
    }

    public func computeEfficiency(tensorParallel: Int) -> Double {
        tensorParallel > 1 ? computeEfficiencyTensorParallel : computeEfficiency
    }

    public func perSequence(tensorParallel: Int) -> SimDuration { tensorParallel > 1 ? perSequenceTensorParallel : .zero }

    public func apiLatency(tensorParallel: Int) -> SimDuration { tensorParallel > 1 ? apiLatencyTensorParallel : apiLatency }
}

/// KV-cache memory as vLLM sizes it (`docs/research/serving.md` §2–3).
///
/// vLLM (0.11–0.15, `gpu_worker.determine_available_memory`) gives the KV cache what is left of
/// `gpu_memory_utilization` × the GPU's memory once the weights and the profiled activation peak
/// are counted, in whole 16-token blocks:
///
///     KV per GPU = u/k × memory − weights/TP − activation reserve
///
/// where k is the number of engines that share each GPU (`serving.engines_per_gpu`): vLLM's
/// documented rule for several instances on one GPU is to give each a fraction of the
/// utilisation ("two instances … 0.5 for each"). The activation reserve is fitted so that the
/// catalogue's 80 GiB H100 reproduces the two logged capacities of the serving.md runs exactly
/// (119,408 tokens for Llama-2-7B at TP1, 501,712 for Llama-2-70B at TP4): 1,170 MiB at TP1,
/// 1,640 MiB at TP > 1 (any value in 1,168–1,171 and 1,640–1,641 MiB does).
public enum KVCacheSizing {
    /// Tokens per KV block (vLLM on CUDA).
    public static let blockTokens: Int64 = 16
    public static let activationReserve = ByteCount.mebibytes(1170)
    public static let activationReserveTensorParallel = ByteCount.mebibytes(1640)

    /// The KV cache (over all its GPUs) of `model` on `tensorParallel` GPUs of `gpu`, or nil if
    /// nothing is left for it.
    public static func auto(
        model: ModelArchitecture, gpu: GPUSpec, tensorParallel: Int, utilization: Double, enginesPerGPU: Int
    ) -> ByteCount? {
        let tp = Int64(max(1, tensorParallel))
        let requested = Int64((Double(gpu.memory.bytes) * utilization / Double(max(1, enginesPerGPU))).rounded(.down))
        let reserve = tp > 1 ? activationReserveTensorParallel : activationReserve
        let available = requested - model.weightBytes.bytes / tp - reserve.bytes
        let perToken = model.kvBytesPerToken.bytes / tp
        guard available > 0, perToken > 0 else { return nil }
        let tokens = available / (perToken * blockTokens) * blockTokens
        guard tokens > 0 else { return nil }
        return ByteCount(bytes: tokens * model.kvBytesPerToken.bytes)
    }
}
