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

    /// KV-cache bytes per token: 2 (K and V) × layers × KV heads × head dimension × bytes.
    public var kvBytesPerToken: ByteCount {
        ByteCount(bytes: 2 * Int64(layers) * Int64(kvHeads) * Int64(headDimension) * Int64(kvBytesPerElement))
    }

    /// Forward-pass FLOPs per token, 2 × active parameters (the matmul count; attention over
    /// the context is accounted in the memory term of the roofline).
    public var flopsPerToken: Double { 2 * Double(activeParameters) }
}
