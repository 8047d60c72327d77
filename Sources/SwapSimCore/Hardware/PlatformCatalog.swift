/// A kind of server: how many GPUs share a PCIe switch, the switches' uplinks, the sockets and
/// their memory. ``topology(gpus:)`` lays it out for a node of any size (a node smaller than
/// the board keeps the first GPUs; a larger one repeats the pattern).
public struct Platform: Hashable, Sendable {
    public var name: String
    /// GPUs below each PCIe switch (1: every GPU on a root port of its own).
    public var gpusPerSwitch: Int
    public var uplinkH2D: Bandwidth
    public var uplinkD2H: Bandwidth
    public var uplinkBidirectional: Bandwidth?
    public var sockets: Int
    public var socketMemoryBandwidth: Bandwidth
    public var pinRate: Bandwidth

    public init(
        name: String, gpusPerSwitch: Int, uplinkH2D: Bandwidth, uplinkD2H: Bandwidth, uplinkBidirectional: Bandwidth?,
        sockets: Int, socketMemoryBandwidth: Bandwidth, pinRate: Bandwidth
    ) {
        self.name = name
        self.gpusPerSwitch = gpusPerSwitch
        self.uplinkH2D = uplinkH2D
        self.uplinkD2H = uplinkD2H
        self.uplinkBidirectional = uplinkBidirectional
        self.sockets = sockets
        self.socketMemoryBandwidth = socketMemoryBandwidth
        self.pinRate = pinRate
    }

    /// The topology of a node of `gpus` GPUs of this platform.
    public func topology(gpus: Int) -> HostTopology {
        let per = max(1, gpusPerSwitch)
        let switches = stride(from: 0, to: gpus, by: per).map { HostTopology.Switch(gpus: Array($0..<min(gpus, $0 + per))) }
        return HostTopology(
            name: name, switches: switches, uplinkH2D: uplinkH2D, uplinkD2H: uplinkD2H, uplinkBidirectional: uplinkBidirectional,
            sockets: min(sockets, max(1, gpus)), socketMemoryBandwidth: socketMemoryBandwidth, pinRate: pinRate)
    }
}

// Host figures used by several platforms:
// - Link rates: the GPU catalogue's achieved pinned copy rates (GPUCatalog.swift header):
//   PCIe Gen5 x16 55 GB/s each way, 51.8 GB/s each way when both run (nvbandwidth on a second
//   Gen5 host, published.md); Gen4 x16 25.7 / 25.0 GB/s, 18.5 GB/s each way both running
//   (NVIDIA/nvbandwidth README example and an A10 run, published.md).
// - Pinning: cudaHostRegister at 0.1 s per GB (9.95 GB/s) for 20-500 GB (vllm-project/vllm#51080,
//   4× H200 NVL host); taken for every platform, no other measurement found.
// - Socket memory bandwidth: channels × DDR rate (an ESTIMATE of peak, never the limit for a
//   few GPUs): Sapphire Rapids 8 × DDR5-4800 = 307 GB/s; EPYC Rome/Milan 8 × DDR4-3200 =
//   204.8 GB/s; Grace LPDDR5X up to 500 GB/s.

/// The server platforms swapsim knows by name, and each GPU's usual one.
public enum PlatformCatalog {
    static let pin = Bandwidth.gigabytesPerSecond(9.95)
    static let gen5 = (h2d: 55.0, d2h: 55.0, both: 51.8)
    static let gen4 = (h2d: 25.7, d2h: 25.0, both: 18.5)

    public static let all: [Platform] = [
        // HGX H100 8-GPU: two sockets, GPUs 0-3 on CPU 0 and 4-7 on CPU 1 (DGX H100 User Guide
        // §1.2.3, port/ConnectX/CPU/GPU table). Two GPUs per PCIe Gen5 switch is an ASSUMPTION:
        // it is the HGX A100 layout, a GCP a3-mega node's GPU bus ids pair up the same way
        // (04/05, 0b/0c, 84/85, 8b/8c), and an HGX B200 topology shows GPU0/GPU1 PIX to NIC0/NIC1;
        // no primary source for H100 was found.
        Platform(
            name: "hgx-h100-8gpu", gpusPerSwitch: 2, uplinkH2D: .gigabytesPerSecond(gen5.h2d), uplinkD2H: .gigabytesPerSecond(gen5.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen5.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
        // HGX H200: the HGX H100 board with H200 GPUs (same baseboard design; ASSUMPTION as above).
        Platform(
            name: "hgx-h200-8gpu", gpusPerSwitch: 2, uplinkH2D: .gigabytesPerSecond(gen5.h2d), uplinkD2H: .gigabytesPerSecond(gen5.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen5.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
        // HGX B200: Gen5 host links, two GPUs per switch (an HGX B200 topology shows GPU0 and GPU1
        // PIX to NIC0/NIC1, the-dsvolk.github.io B200 explorer); sockets as HGX H100.
        Platform(
            name: "hgx-b200-8gpu", gpusPerSwitch: 2, uplinkH2D: .gigabytesPerSecond(gen5.h2d), uplinkD2H: .gigabytesPerSecond(gen5.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen5.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
        // HGX/DGX A100 8-GPU: two sockets (EPYC 7742 or similar), four PCIe Gen4 switches with two
        // GPUs (and two NICs) each (besthub.dev "Inside the High-Performance GPU Server: A100/A800
        // & H100 Topologies"; allpcb.com "Common GPU System Architectures Explained", 2025-09-25).
        // [BLOG]'s Qwen3-235B-FP8 at TP 4 woke at 10.4-11.2 GB/s per GPU, half the one-GPU rate:
        // two GPUs per Gen4 uplink.
        Platform(
            name: "hgx-a100-8gpu", gpusPerSwitch: 2, uplinkH2D: .gigabytesPerSecond(gen4.h2d), uplinkD2H: .gigabytesPerSecond(gen4.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen4.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(204.8), pinRate: pin),
        // A 4×A100 PCIe server (e.g. Dell PowerEdge R750xa): two sockets, each GPU on a CPU root
        // port of its own, no switch (ASSUMPTION of the common layout).
        Platform(
            name: "a100-pcie-4x", gpusPerSwitch: 1, uplinkH2D: .gigabytesPerSecond(gen4.h2d), uplinkD2H: .gigabytesPerSecond(gen4.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen4.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
        // An L40S PCIe server (e.g. Supermicro SYS-421GE-TNRT, 8 GPUs): two sockets, GPUs behind PCIe
        // Gen4 switches, four per switch (ASSUMPTION: no L40S topology measurement was found; the
        // dual-root 2 × 4 layout is that of the board's block diagram class).
        Platform(
            name: "l40s-pcie-server", gpusPerSwitch: 4, uplinkH2D: .gigabytesPerSecond(gen4.h2d), uplinkD2H: .gigabytesPerSecond(gen4.d2h),
            uplinkBidirectional: .gigabytesPerSecond(gen4.both), sockets: 2, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
        // GH200: one Hopper GPU per Grace CPU over NVLink-C2C (450 GB/s each way nominal; the GPU
        // catalogue has the measured 328 / 297 GB/s); no switch; Grace LPDDR5X up to 500 GB/s
        // (NVIDIA Grace Hopper architecture whitepaper, via datacrunch.io).
        Platform(
            name: "gh200", gpusPerSwitch: 1, uplinkH2D: .gigabytesPerSecond(328), uplinkD2H: .gigabytesPerSecond(297),
            uplinkBidirectional: nil, sockets: 1, socketMemoryBandwidth: .gigabytesPerSecond(500), pinRate: pin),
        // A PCIe workstation or single-socket server: each GPU on a root port of its own (L4, A10G,
        // A10, RTX cards, H100/H200 PCIe and NVL cards).
        Platform(
            name: "pcie-direct", gpusPerSwitch: 1, uplinkH2D: .gigabytesPerSecond(gen5.h2d), uplinkD2H: .gigabytesPerSecond(gen5.d2h),
            uplinkBidirectional: nil, sockets: 1, socketMemoryBandwidth: .gigabytesPerSecond(307), pinRate: pin),
    ]

    /// The platform named `name`, as `CatalogName.key` compares names.
    public static func named(_ name: String) -> Platform? {
        let key = CatalogName.key(name)
        return all.first { CatalogName.key($0.name) == key }
    }

    /// The platform a GPU usually comes in, when a scenario names none.
    public static func defaultPlatform(for gpu: String) -> Platform {
        let key = CatalogName.key(gpu)
        let name: String
        switch key {
        case CatalogName.key("H100-SXM"): name = "hgx-h100-8gpu"
        case CatalogName.key("H200"): name = "hgx-h200-8gpu"
        case CatalogName.key("B200"): name = "hgx-b200-8gpu"
        case CatalogName.key("A100-40GB"), CatalogName.key("A100-80GB"): name = "hgx-a100-8gpu"
        case CatalogName.key("A100-PCIe-80GB"): name = "a100-pcie-4x"
        case CatalogName.key("L40S"): name = "l40s-pcie-server"
        case CatalogName.key("GH200"): name = "gh200"
        default: name = "pcie-direct"
        }
        return named(name)!
    }
}
