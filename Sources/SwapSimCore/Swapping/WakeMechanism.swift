/// How a hot-swap server puts its model to sleep and wakes it: what moves over which path, and
/// what fixed costs apply (`strategies.hot-swap.mechanism`).
public enum WakeMechanism: String, Hashable, Sendable, CaseIterable {
    /// vLLM sleep mode, level 1: the weights are copied to pinned host memory and the KV cache
    /// dropped; waking remaps and copies the weights back. The first sleep of a process also
    /// allocates its pinned backup. Timings: the stack's ``SleepModeTimings``.
    case vllmSleepL1 = "vllm-sleep-l1"
    /// vLLM sleep mode, level 2: weights and KV cache dropped (the process, CUDA graphs and
    /// compiled kernels kept); waking remaps and reloads the weights from storage.
    case vllmSleepL2 = "vllm-sleep-l2"
    /// NVIDIA Run:ai GPU memory swap: the model's GPU memory is swapped to host memory and back
    /// by the platform, at 0.60 of the host link plus 1.31 s per swap-in (fitted on Run:ai's
    /// "TTFT 2-3 s" for 7-11B models and "Falcon-11B about 0.5 s slower than Mistral-7B",
    /// validation/fit/derive_presets.py). Swap space is pinned when the server starts.
    case runaiSwap = "runai-swap"
    /// The scenario's own figures: `swap_overhead` per swap-in and the host link's full rate.
    /// Swap space is pinned when the server starts.
    case custom

    /// Run:ai swap's per-swap-in cost and its share of the link's rate.
    static let runaiFixed = SimDuration(seconds: 1.31)
    static let runaiEfficiency = 0.60

    /// Whether swap space is pinned once when the servers start (instead of at each first sleep).
    public var pinsSwapSpaceAtStart: Bool { self == .runaiSwap || self == .custom }

    /// Whether a sleeping model's weights stay in host memory (level 2 drops them).
    public var keepsWeightsInHost: Bool { self != .vllmSleepL2 }
}

/// The costs of one sleep or wake of one model under a mechanism, beside the bytes its copy
/// moves (which the interconnect times as a flow).
public struct SwapCosts: Hashable, Sendable {
    /// Time before the copy starts (remapping, allocating, the platform's own work).
    public var before: SimDuration
    /// The copy's rate cap, as a share of the path's rate alone (nil: none).
    public var efficiency: Double?
    /// Time after the copy (nothing to copy: the whole cost).
    public var after: SimDuration

    public init(before: SimDuration, efficiency: Double?, after: SimDuration = .zero) {
        self.before = before
        self.efficiency = efficiency
        self.after = after
    }
}

extension WakeMechanism {
    /// The costs of waking `model` (with LoRA adapters when `lora`) from host memory, or from
    /// storage when its weights were dropped. `swapOverhead` is the scenario's figure, used by
    /// ``custom`` and, when stated, in place of the tensor-remap cost.
    public func wakeCosts(_ model: ModelArchitecture, lora: Bool, stack: ServingStack, swapOverhead: SimDuration?) -> SwapCosts {
        let tensors = Double(model.largeTensors(lora: lora))
        switch self {
        case .vllmSleepL1:
            return SwapCosts(before: swapOverhead ?? SimDuration(seconds: tensors * stack.sleep.mapPerTensor), efficiency: stack.sleep.wakeEfficiency)
        case .vllmSleepL2:
            let base = Double(model.largeTensors(lora: false))
            return SwapCosts(
                before: swapOverhead ?? SimDuration(seconds: tensors * stack.sleep.mapPerTensor + base * stack.sleep.reloadPerTensor),
                efficiency: nil)
        case .runaiSwap:
            return SwapCosts(before: swapOverhead ?? Self.runaiFixed, efficiency: Self.runaiEfficiency)
        case .custom:
            return SwapCosts(before: swapOverhead ?? .milliseconds(300), efficiency: nil)
        }
    }

    /// The costs of putting `model` to sleep; `firstSleep` adds a level-1 backup's pinned allocation.
    public func sleepCosts(_ model: ModelArchitecture, lora: Bool, stack: ServingStack, firstSleep: Bool) -> SwapCosts {
        let tensors = Double(model.largeTensors(lora: lora))
        let bytes = Double(model.weightBytes.bytes)
        switch self {
        case .vllmSleepL1:
            let pin = firstSleep ? bytes * stack.sleep.backupRounding / stack.sleep.pinAllocation.bytesPerSecond : 0
            return SwapCosts(before: SimDuration(seconds: tensors * stack.sleep.unmapPerTensor + pin), efficiency: stack.sleep.sleepEfficiency)
        case .vllmSleepL2:
            return SwapCosts(before: .zero, efficiency: nil, after: SimDuration(seconds: tensors * stack.sleep.freePerTensor + bytes / stack.sleep.unmapRate.bytesPerSecond))
        case .runaiSwap:
            return SwapCosts(before: .zero, efficiency: Self.runaiEfficiency)
        case .custom:
            return SwapCosts(before: .zero, efficiency: nil)
        }
    }
}
