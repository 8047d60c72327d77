/// What the simulator predicts for a swap-in copied in chunks, by the simulator's own transfer model.
///
/// The model is the one `Simulation` applies to every transfer: a transfer waits the link's
/// latency, then moves its bytes as a flow over the GPU's host→device link and the node's DMA
/// cap, at the max-min fair rate ``FlowNetwork`` gives it. A swap copied in chunks, one copy
/// after another on one stream, is that many transfers back to back. The hot-swap strategy's
/// per-swap overhead (memory management) is not part of the copy and is left out.
public enum SwapPrediction {
    /// The time to copy `bytes` host→device in chunks of `chunk` (the last one shorter), one after another.
    ///
    /// - Complexity: O(bytes / chunk).
    public static func chunkedSwapIn(bytes: ByteCount, chunk: ByteCount, link: HostLink, dmaBandwidth: Bandwidth?) -> SimDuration {
        precondition(chunk > .zero, "chunk size must be positive")
        var network = FlowNetwork()
        var path = [network.addResource(link.hostToDevice)]
        if let dma = dmaBandwidth { path.append(network.addResource(dma)) }
        var now = SimInstant.zero
        var left = bytes
        while left > .zero {
            let piece = min(left, chunk)
            now = now + link.latency
            _ = network.start(bytes: piece, path: path, cap: nil, tag: 0, at: now)
            if let done = network.nextCompletion {
                now = done
                _ = network.removeFinished(at: now)
            }
            left -= piece
        }
        return now - .zero
    }
}
