/// What the simulator predicts for a swap-in copied in chunks, by the simulator's own transfer model.
///
/// The model is the one the engine applies to every transfer (``Interconnect``): a transfer
/// waits the link's latency, then moves its bytes as a flow over the GPU's host→device link and
/// the node's DMA cap, at the max-min fair rate ``FlowNetwork`` gives it. A swap copied in
/// chunks, one copy after another on one stream, is that many transfers back to back. The
/// hot-swap strategy's per-swap overhead (memory management) is not part of the copy and is
/// left out.
public enum SwapPrediction {
    /// The time to copy `bytes` host→device in chunks of `chunk` (the last one shorter), one after another.
    ///
    /// - Complexity: O(bytes / chunk).
    public static func chunkedSwapIn(bytes: ByteCount, chunk: ByteCount, link: HostLink, dmaBandwidth: Bandwidth?) -> SimDuration {
        Interconnect.chunkedCopyTime(bytes: bytes, chunk: chunk, link: link, dmaBandwidth: dmaBandwidth)
    }
}
