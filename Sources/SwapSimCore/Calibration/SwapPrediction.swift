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
    /// The copies run alone on their path one after another, so every full chunk takes the same
    /// time: the result is that time times the number of full chunks, plus the last, shorter one.
    /// A time beyond `Int64.max` nanoseconds (292 years) saturates there.
    ///
    /// - Complexity: O(1): two flows, whatever the number of chunks.
    public static func chunkedSwapIn(bytes: ByteCount, chunk: ByteCount, link: HostLink, dmaBandwidth: Bandwidth?) -> SimDuration {
        precondition(chunk > .zero, "chunk size must be positive")
        guard bytes > .zero else { return .zero }
        /// One copy of `piece` on an idle path: the latency, then the flow.
        func copy(_ piece: ByteCount) -> Int64 {
            var network = FlowNetwork()
            var path = [network.addResource(link.hostToDevice)]
            if let dma = dmaBandwidth { path.append(network.addResource(dma)) }
            _ = network.start(bytes: piece, path: path, cap: nil, tag: 0, at: .zero)
            let flow = (network.nextCompletion ?? .zero) - .zero
            let (t, overflow) = link.latency.nanoseconds.addingReportingOverflow(flow.nanoseconds)
            return overflow ? .max : t
        }
        let full = bytes.bytes / chunk.bytes
        let last = bytes.bytes % chunk.bytes
        var (total, overflow) = full == 0 ? (0, false) : copy(chunk).multipliedReportingOverflow(by: full)
        if !overflow && last > 0 { (total, overflow) = total.addingReportingOverflow(copy(ByteCount(bytes: last))) }
        return SimDuration(nanoseconds: overflow ? .max : total)
    }
}
