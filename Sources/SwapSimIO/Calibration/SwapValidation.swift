import SwapSimCore

/// The profile's measured chunked swap-ins against what the simulator predicts for them from the fitted link.
///
/// The prediction is ``SwapPrediction/chunkedSwapIn(bytes:chunk:link:dmaBandwidth:)``: the
/// simulator's own transfer model (latency per transfer, then a flow over the GPU link and the
/// node's DMA cap), with the link figures a scenario would load from this profile.
public struct SwapValidation: Sendable {
    /// One chunk size.
    public struct Row: Sendable {
        public var chunk: ByteCount
        public var chunks: Int
        public var measured: SimDuration
        public var predicted: SimDuration
        /// (predicted − measured) / measured.
        public var error: Double { Double(predicted.nanoseconds - measured.nanoseconds) / Double(max(1, measured.nanoseconds)) }
    }

    public var fit: ProfileFit
    public var buffer: ByteCount
    public var rows: [Row]

    /// The row with the largest error by magnitude.
    public var worst: Row? { rows.max { abs($0.error) < abs($1.error) } }

    public init(fit: ProfileFit) {
        self.fit = fit
        let swap = fit.device.chunkedSwap
        buffer = ByteCount(bytes: swap.bufferBytes)
        let link = fit.link.applied(to: HostLink(hostToDevice: .gigabytesPerSecond(1), deviceToHost: .gigabytesPerSecond(1), pageableHostToDevice: .gigabytesPerSecond(1), latency: .zero))
        rows = swap.runs.map { r in
            Row(
                chunk: ByteCount(bytes: r.chunkBytes), chunks: r.chunks, measured: SimDuration(seconds: r.row.medianS),
                predicted: SwapPrediction.chunkedSwapIn(bytes: ByteCount(bytes: r.row.bytes), chunk: ByteCount(bytes: r.chunkBytes), link: link, dmaBandwidth: fit.dmaBandwidth))
        }
    }

    /// The comparison as a table, then the worst error.
    public func render() -> String {
        typealias T = CalibrationText
        let l = fit.link
        var out = "calibration validate · \(fit.file) · device \(fit.device.index): \(fit.device.name)\n"
        out += "swap-in of \(T.size(buffer.bytes)) from pinned memory in chunks, measured vs predicted by the simulator's transfer model\n"
        out += "(per copy: latency \(l.latency.map(T.time) ?? "—"), then a flow at \(l.hostToDevice.map(T.rate) ?? "—") h2d"
        out += l.dmaBandwidth.map { ", node DMA cap \(T.rate($0))" } ?? ""
        out += ")\n\n"
        var table: [[String]] = [["chunk", "chunks", "measured", "predicted", "error"]]
        for r in rows {
            table.append([T.size(r.chunk.bytes), "\(r.chunks)", T.time(r.measured), T.time(r.predicted), T.percent(r.error)])
        }
        out += T.table(table)
        if let w = worst {
            out += "\nworst error: \(Fixed.format(abs(w.error) * 100, decimals: 2))% (chunks of \(T.size(w.chunk.bytes)))\n"
        }
        return out
    }
}
