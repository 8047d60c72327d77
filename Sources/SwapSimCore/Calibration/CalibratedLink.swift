/// Host-link figures fitted from a real node's measurements, each present only if measured.
///
/// A scenario's `cluster.calibration` loads one. **Precedence**, lowest to highest: the GPU
/// catalogue's figures, then the calibration's, then the keys written in the scenario itself
/// (`cluster.link.*`, `cluster.host.dma_bandwidth`): a calibration replaces the catalogue, and
/// an explicit scenario key still has the last word.
public struct CalibratedLink: Hashable, Sendable {
    /// Pinned host→device bandwidth.
    public var hostToDevice: Bandwidth?
    /// Pinned device→host bandwidth.
    public var deviceToHost: Bandwidth?
    /// Pageable host→device bandwidth.
    public var pageableHostToDevice: Bandwidth?
    /// Fixed cost of one transfer (from the pinned host→device fit: what a swap-in pays).
    public var latency: SimDuration?
    /// The node's host-side DMA cap, from every device copying at once (only when two or more did).
    public var dmaBandwidth: Bandwidth?

    public init(
        hostToDevice: Bandwidth? = nil, deviceToHost: Bandwidth? = nil, pageableHostToDevice: Bandwidth? = nil,
        latency: SimDuration? = nil, dmaBandwidth: Bandwidth? = nil
    ) {
        self.hostToDevice = hostToDevice
        self.deviceToHost = deviceToHost
        self.pageableHostToDevice = pageableHostToDevice
        self.latency = latency
        self.dmaBandwidth = dmaBandwidth
    }

    /// `link` with every figure this calibration has replaced.
    public func applied(to link: HostLink) -> HostLink {
        var l = link
        if let v = hostToDevice { l.hostToDevice = v }
        if let v = deviceToHost { l.deviceToHost = v }
        if let v = pageableHostToDevice { l.pageableHostToDevice = v }
        if let v = latency { l.latency = v }
        return l
    }
}
