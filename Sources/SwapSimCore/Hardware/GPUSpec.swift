/// How a GPU talks to host memory: its per-direction bandwidths and per-transfer latency.
public struct HostLink: Hashable, Sendable {
    /// Whether the two directions can run at full rate at the same time.
    public enum Duplex: String, Hashable, Sendable, CaseIterable {
        /// Each direction has its own bandwidth (PCIe, NVLink-C2C).
        case full
        /// Both directions share one bandwidth.
        case half
    }

    /// Host→device bandwidth from pinned host memory.
    public var hostToDevice: Bandwidth
    /// Device→host bandwidth to pinned host memory.
    public var deviceToHost: Bandwidth
    /// Host→device bandwidth from pageable host memory (staged through a bounce buffer).
    public var pageableHostToDevice: Bandwidth
    /// Fixed cost of starting one transfer (driver call, DMA setup).
    public var latency: SimDuration
    public var duplex: Duplex
    /// Each direction's rate while both directions copy at once (full duplex links lose some of
    /// each direction: PCIe Gen5 51.8 against 55 GB/s); nil: each keeps its own rate.
    public var bidirectional: Bandwidth?

    public init(
        hostToDevice: Bandwidth, deviceToHost: Bandwidth, pageableHostToDevice: Bandwidth,
        latency: SimDuration, duplex: Duplex = .full, bidirectional: Bandwidth? = nil
    ) {
        self.hostToDevice = hostToDevice
        self.deviceToHost = deviceToHost
        self.pageableHostToDevice = pageableHostToDevice
        self.latency = latency
        self.duplex = duplex
        self.bidirectional = bidirectional
    }
}

/// One GPU model: memory, compute, memory bandwidth, host link and on-demand price.
public struct GPUSpec: Hashable, Sendable {
    /// Catalogue name, as written in scenarios (`H100-SXM`).
    public var name: String
    /// Device memory capacity.
    public var memory: ByteCount
    /// HBM/GDDR bandwidth.
    public var memoryBandwidth: Bandwidth
    /// Dense bf16 tensor throughput (without sparsity).
    public var bf16: FlopRate
    /// The host↔GPU link.
    public var link: HostLink
    /// On-demand price per GPU-hour.
    public var pricePerHour: Dollars

    public init(
        name: String, memory: ByteCount, memoryBandwidth: Bandwidth, bf16: FlopRate,
        link: HostLink, pricePerHour: Dollars
    ) {
        self.name = name
        self.memory = memory
        self.memoryBandwidth = memoryBandwidth
        self.bf16 = bf16
        self.link = link
        self.pricePerHour = pricePerHour
    }
}
