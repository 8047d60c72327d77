/// The architecture figures of an open model that decide its memory and compute cost.
public struct ModelArchitecture: Hashable, Sendable {
    /// Catalogue name, as written in scenarios (`llama-3.1-8b`).
    public var name: String
    /// Total parameters (all experts for a mixture-of-experts model).
    public var parameters: Int64
    /// Parameters used per token (equal to ``parameters`` for dense models).
    public var activeParameters: Int64
    /// Transformer layers.
    public var layers: Int
    /// Key/value heads (grouped-query attention).
    public var kvHeads: Int
    /// Dimension of one attention head.
    public var headDimension: Int
    /// Bytes per weight (2 for bf16).
    public var bytesPerParameter: Int
    /// Bytes per KV-cache element (2 for bf16).
    public var kvBytesPerElement: Int
    /// Weight bytes when given directly (a quantised checkpoint's size), instead of derived.
    public var weightBytesOverride: ByteCount? = nil
    /// Transformer layers of a vision encoder (0 for a text-only model).
    public var visionLayers = 0
    /// Whether the output projection shares the embedding's weights.
    public var tiedEmbeddings = false

    public init(
        name: String, parameters: Int64, activeParameters: Int64? = nil, layers: Int, kvHeads: Int,
        headDimension: Int, bytesPerParameter: Int = 2, kvBytesPerElement: Int = 2
    ) {
        self.name = name
        self.parameters = parameters
        self.activeParameters = activeParameters ?? parameters
        self.layers = layers
        self.kvHeads = kvHeads
        self.headDimension = headDimension
        self.bytesPerParameter = bytesPerParameter
        self.kvBytesPerElement = kvBytesPerElement
    }

    /// Weight bytes: parameters × bytes per parameter, unless given directly.
    public var weightBytes: ByteCount {
        weightBytesOverride ?? ByteCount(bytes: parameters * Int64(bytesPerParameter))
    }

    /// Bytes of weights one decode step streams: all of them for a dense model, the active
    /// parameters' share for a mixture of experts (only the routed experts are read at the
    /// small batches of a decode; issue 17).
    public var activeWeightBytes: ByteCount {
        guard activeParameters < parameters, parameters > 0 else { return weightBytes }
        return ByteCount(bytes: Int64(Int128(weightBytes.bytes) * Int128(activeParameters) / Int128(parameters)))
    }

    /// KV-cache bytes per token: 2 (K and V) × layers × KV heads × head dimension × bytes.
    public var kvBytesPerToken: ByteCount {
        ByteCount(bytes: 2 * Int64(layers) * Int64(kvHeads) * Int64(headDimension) * Int64(kvBytesPerElement))
    }

    /// Forward-pass FLOPs per token, 2 × active parameters (the matmul count; attention over
    /// the context is accounted in the memory term of the roofline).
    public var flopsPerToken: Double { 2 * Double(activeParameters) }

    /// Whether it has a vision encoder (a vision-language model).
    public var isMultimodal: Bool { visionLayers > 0 }

    /// The large weight tensors a vLLM worker holds, on each of its GPUs: what sleep mode maps,
    /// copies and unmaps one at a time.
    ///
    /// vLLM fuses each decoder layer's projections into four large tensors (QKV, output,
    /// gate-up or the MoE experts' w13, down or w2: `QKVParallelLinear`,
    /// `MergedColumnParallelLinear`, `FusedMoE`), a vision encoder layer likewise into four
    /// (QKV, output, fc1, fc2), plus the embedding and, unless tied, the output projection.
    /// Norms and biases are small and share the allocator's blocks. With LoRA, each layer's
    /// stacked adapter tensors add fourteen (A and B for each slice of QKV, output, gate-up and
    /// down: 6 + 2 + 4 + 2, vLLM `MergedQKVParallelLinearWithLoRA` and kin).
    public func largeTensors(lora: Bool = false) -> Int {
        4 * layers + 4 * visionLayers + (tiedEmbeddings ? 1 : 2) + (lora ? 14 * layers : 0)
    }
}
