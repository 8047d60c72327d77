/// How a node's GPUs reach host memory: PCIe switches shared by groups of GPUs, the sockets
/// they hang off, and the host memory bandwidth each socket has. Copies between host memory
/// and GPUs share every one of these, per direction.
///
/// Resources the interconnect builds from it (``Interconnect``), for each copy direction:
/// - each GPU's link (with a budget for both directions at once when the link's
///   `bidirectional` rate is known);
/// - each switch's uplink to its socket (likewise, at the uplink's bidirectional rate);
/// - each socket's memory bandwidth (both directions share it);
/// - optionally one node-wide cap per direction (`host.dma_bandwidth`, the shorthand).
public struct HostTopology: Hashable, Sendable {
    /// A PCIe switch and the GPUs (indices within the node) below it.
    public struct Switch: Hashable, Sendable {
        public var gpus: [Int]
        public init(gpus: [Int]) { self.gpus = gpus }
    }

    /// The platform it describes (`hgx-h100-8gpu`), or `custom`.
    public var name: String
    /// Switches below which GPUs share an uplink; a GPU on a root port of its own is a switch of one.
    public var switches: [Switch]
    /// Each switch's uplink: host→device and device→host, and each direction's rate when both run.
    public var uplinkH2D: Bandwidth
    public var uplinkD2H: Bandwidth
    public var uplinkBidirectional: Bandwidth?
    /// CPU sockets; GPUs are split evenly across them in order.
    public var sockets: Int
    /// Host memory bandwidth of one socket, shared by copies in both directions.
    public var socketMemoryBandwidth: Bandwidth
    /// How fast the host pins memory (`cudaHostRegister`), for swap space pinned at start.
    public var pinRate: Bandwidth

    public init(
        name: String, switches: [Switch], uplinkH2D: Bandwidth, uplinkD2H: Bandwidth, uplinkBidirectional: Bandwidth?,
        sockets: Int, socketMemoryBandwidth: Bandwidth, pinRate: Bandwidth
    ) {
        self.name = name
        self.switches = switches
        self.uplinkH2D = uplinkH2D
        self.uplinkD2H = uplinkD2H
        self.uplinkBidirectional = uplinkBidirectional
        self.sockets = sockets
        self.socketMemoryBandwidth = socketMemoryBandwidth
        self.pinRate = pinRate
    }

    /// Whether the uplink of a switch carries only one GPU (so it is that GPU's link itself).
    func isPrivate(_ s: Int) -> Bool { switches[s].gpus.count == 1 }

    /// The switch holding GPU `g` of the node.
    func switchOf(_ g: Int) -> Int? { switches.firstIndex { $0.gpus.contains(g) } }

    /// The socket GPU `g` of `gpus` hangs off.
    func socketOf(_ g: Int, gpus: Int) -> Int { min(sockets - 1, g * sockets / max(1, gpus)) }

    /// The first GPU index in 0..<`gpus` that no switch holds, or one held twice, if any.
    public func uncovered(gpus: Int) -> (gpu: Int, problem: String)? {
        var seen = Array(repeating: 0, count: gpus)
        for s in switches {
            for g in s.gpus {
                guard g >= 0 && g < gpus else { return (g, "is not a GPU of the node (0 to \(gpus - 1))") }
                seen[g] += 1
            }
        }
        if let g = seen.firstIndex(of: 0) { return (g, "is under no switch") }
        if let g = seen.firstIndex(where: { $0 > 1 }) { return (g, "is under more than one switch") }
        return nil
    }
}
