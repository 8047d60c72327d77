/// Concurrent transfers sharing links by max-min fairness.
///
/// A *resource* is anything with a bandwidth that transfers share: one direction of a GPU's
/// host link, a node's aggregate DMA engine cap, a storage device. A *flow* moves a number of
/// bytes over a path of resources, optionally capped at a rate of its own (pageable copies).
/// Whenever a flow starts or ends, every flow's rate is recomputed by progressive filling
/// (the max-min fair allocation) and the bytes each flow moved since the last change are
/// accounted, so finish times are always exact for the rates in force.
///
/// The network is a value: it owns no clock and schedules nothing. Callers ask
/// ``nextCompletion`` for the instant the earliest flow finishes and call ``advance(to:)``
/// and ``removeFinished(at:)`` when it comes.
public struct FlowNetwork: Sendable {
    /// Identifies a flow for as long as it is active.
    public typealias FlowID = Int

    struct Flow: Sendable {
        var id: FlowID
        var path: [Int]
        var cap: Double
        var remaining: Double
        var rate: Double = 0
        var tag: Int
    }

    /// Capacity in bytes per second of each resource.
    public private(set) var capacities: [Double]
    /// Bytes each resource has carried up to the last update (for utilisation over time).
    public private(set) var carried: [Double] = []
    private var flows: [Flow] = []
    private var lastUpdate: SimInstant = .zero
    private var nextID: FlowID = 0
    /// Scratch for ``reallocate()``, kept between calls so that a swap-heavy run does not
    /// allocate five arrays per transfer start and end: per resource, its remaining capacity,
    /// its unfixed flows and its fair share in the round; per flow, whether its rate is fixed;
    /// and the resources the flows cross.
    private var scratchRemaining: [Double] = []
    private var scratchUnfixed: [Int] = []
    private var scratchFairShare: [Double] = []
    private var scratchFixed: [Bool] = []
    private var scratchUsed: [Int] = []

    public init() { capacities = [] }

    /// Adds a resource of the given bandwidth and returns its index.
    public mutating func addResource(_ bandwidth: Bandwidth) -> Int {
        capacities.append(bandwidth.bytesPerSecond)
        carried.append(0)
        return capacities.count - 1
    }

    /// Number of active flows.
    public var activeCount: Int { flows.count }

    /// Starts a flow of `bytes` over `path` at `now`, with an optional private rate cap.
    ///
    /// `tag` is returned with the flow when it finishes, so the caller knows whose it was.
    /// - Complexity: O(F · R) for F flows and R resources on their paths.
    ///
    /// `id`, when given, names the flow instead of the network's own counter: callers that
    /// split one network into several independent ones (``Interconnect``, per node) number
    /// flows across them, increasing, to merge their completions in start order.
    public mutating func start(bytes: ByteCount, path: [Int], cap: Bandwidth?, tag: Int, id: FlowID? = nil, at now: SimInstant) -> FlowID {
        advance(to: now)
        let id = id ?? nextID
        nextID = id + 1
        flows.append(Flow(id: id, path: path, cap: cap?.bytesPerSecond ?? .infinity, remaining: Double(bytes.bytes), tag: tag))
        reallocate()
        return id
    }

    /// Accounts the bytes each flow moved between the last update and `now` at its current rate.
    public mutating func advance(to now: SimInstant) {
        let dt = Double((now - lastUpdate).nanoseconds) / 1e9
        if dt > 0 && !flows.isEmpty {
            // Through the raw buffers: each element write through an array checks its uniqueness.
            carried.withUnsafeMutableBufferPointer { carried in
                flows.withUnsafeMutableBufferPointer { flows in
                    for i in flows.indices {
                        let moved = min(flows[i].remaining, flows[i].rate * dt)
                        flows[i].remaining -= moved
                        for r in flows[i].path { carried[r] += moved }
                    }
                }
            }
        }
        if now > lastUpdate { lastUpdate = now }
    }

    /// The instant the earliest active flow finishes at the current rates, rounded up to a nanosecond.
    public var nextCompletion: SimInstant? {
        var best: Int64? = nil
        for f in flows {
            let ns = Self.nanoseconds(toMove: f.remaining, at: f.rate)
            if best == nil || ns < best! { best = ns }
        }
        return best.map { lastUpdate + SimDuration(nanoseconds: $0) }
    }

    static func nanoseconds(toMove bytes: Double, at rate: Double) -> Int64 {
        if bytes <= 0 { return 0 }
        // Capped at 2e18 ns (63 years), so a pathological rate cannot trap the conversion and
        // any instant up to SimInstant.limit plus it stays within 64 bits. A flow that needs
        // longer is simply not finished when that instant comes, and is looked at again.
        return Int64(min((bytes / rate * 1e9).rounded(.up), 2e18))
    }

    /// Advances to `now` and removes every flow that has finished by then, returning their tags
    /// in the order the flows were started.
    public mutating func removeFinished(at now: SimInstant) -> [Int] {
        var done: [(id: FlowID, tag: Int)] = []
        removeFinishedFlows(at: now, into: &done)
        return done.map(\.tag)
    }

    /// ``removeFinished(at:)`` with each finished flow's identifier beside its tag, appended to
    /// `done` (a caller's reusable buffer).
    public mutating func removeFinishedFlows(at now: SimInstant, into done: inout [(id: FlowID, tag: Int)]) {
        advance(to: now)
        let before = done.count
        // A flow is finished when less than half a byte remains: at its completion instant
        // (rounded up to the nanosecond) it has moved everything, up to floating-point residue.
        // A flow with a nanosecond or more of transfer left is not finished early.
        // Compacted in place, in start order (`removeAll(where:)` is an outlined call that costs
        // more than the usual one or two flows).
        var kept = 0
        for i in flows.indices {
            if flows[i].remaining < 0.5 {
                done.append((flows[i].id, flows[i].tag))
            } else {
                if kept != i { flows.swapAt(kept, i) }
                kept += 1
            }
        }
        if done.count > before {
            // One by one: usually one or two, and `removeLast(_:)` is a generic call.
            while flows.count > kept { flows.removeLast() }
            reallocate()
        }
    }

    /// The current rate of a flow in bytes per second, or nil if it is not active.
    public func rate(of id: FlowID) -> Double? { flows.first { $0.id == id }?.rate }

    /// Bytes `resource` has carried from the start up to `now`, counting the flows in progress
    /// at their current rates (for `now` at or after the last update).
    public func carried(by resource: Int, at now: SimInstant) -> Double {
        let dt = Double(max(0, (now - lastUpdate).nanoseconds)) / 1e9
        var s = carried[resource]
        if dt > 0 {
            for f in flows where f.path.contains(resource) { s += min(f.remaining, f.rate * dt) }
        }
        return s
    }

    /// Bytes per second currently used on each resource.
    public func load(of resource: Int) -> Double {
        var s = 0.0
        for f in flows where f.path.contains(resource) { s += f.rate }
        return s
    }

    /// Max-min fair rates by progressive filling: repeatedly find the tightest constraint
    /// (a resource's remaining capacity shared equally by its unfixed flows, or a flow's own
    /// cap), fix those flows at that rate, and subtract it from their resources.
    ///
    /// Only the resources some flow crosses take part: a node has tens of resources and a few
    /// flows, so the rounds scan the few in use. The rates are the same as over every resource,
    /// to the bit: each round's share is a minimum, and only resources on a path can bind.
    private mutating func reallocate() {
        let n = flows.count
        if n == 0 { return }
        if n == 1 {
            // One flow, the usual case on a node: the fill's one round gives it the tightest of
            // its own cap and its resources' capacities (a capacity shared by one flow is itself).
            var share = flows[0].cap
            for r in flows[0].path { share = min(share, max(0, capacities[r])) }
            flows[0].rate = share
            return
        }
        // The scratch arrays move into locals (and back at the end), so that writing them
        // neither checks the stored property's uniqueness nor copies it.
        var remainingCap: [Double] = []
        var fixed: [Bool] = []
        var unfixedOn: [Int] = []
        var fairShare: [Double] = []
        var used: [Int] = []
        swap(&remainingCap, &scratchRemaining)
        swap(&fixed, &scratchFixed)
        swap(&unfixedOn, &scratchUnfixed)
        swap(&fairShare, &scratchFairShare)
        swap(&used, &scratchUsed)
        defer {
            swap(&remainingCap, &scratchRemaining)
            swap(&fixed, &scratchFixed)
            swap(&unfixedOn, &scratchUnfixed)
            swap(&fairShare, &scratchFairShare)
            swap(&used, &scratchUsed)
        }
        // Per resource, sized when the resources change; between calls every count is zero
        // (the fill leaves them so), and only used resources' other entries are read.
        if unfixedOn.count != capacities.count {
            unfixedOn = Array(repeating: 0, count: capacities.count)
            remainingCap = capacities
            fairShare = Array(repeating: 0, count: capacities.count)
        }
        Self.fill(&fixed, count: n, with: false)
        used.removeAll(keepingCapacity: true)
        // Through the raw buffers: each element write through an array checks its uniqueness.
        remainingCap.withUnsafeMutableBufferPointer { remainingCap in
            fixed.withUnsafeMutableBufferPointer { fixed in
                unfixedOn.withUnsafeMutableBufferPointer { unfixedOn in
                    fairShare.withUnsafeMutableBufferPointer { fairShare in
                        flows.withUnsafeMutableBufferPointer { flows in
                            capacities.withUnsafeBufferPointer { capacities in
                                Self.fillProgressively(flows, capacities, remainingCap, fixed, unfixedOn, fairShare, &used)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The progressive filling of ``reallocate()``, over its buffers: `fixed` false for every
    /// flow and `unfixedOn` zero for every resource (it leaves them zero again); `used`, empty,
    /// collects the resources the flows cross, each once, and only theirs are read or written.
    private static func fillProgressively(
        _ flows: UnsafeMutableBufferPointer<Flow>, _ capacities: UnsafeBufferPointer<Double>,
        _ remainingCap: UnsafeMutableBufferPointer<Double>, _ fixed: UnsafeMutableBufferPointer<Bool>,
        _ unfixedOn: UnsafeMutableBufferPointer<Int>, _ fairShare: UnsafeMutableBufferPointer<Double>,
        _ used: inout [Int]
    ) {
        let n = flows.count
        for f in flows {
            for r in f.path {
                if unfixedOn[r] == 0 {
                    used.append(r)
                    remainingCap[r] = capacities[r]
                }
                unfixedOn[r] += 1
            }
        }
        defer { for r in used { unfixedOn[r] = 0 } }
        var left = n
        while left > 0 {
            var share = Double.infinity
            for r in used where unfixedOn[r] > 0 {
                fairShare[r] = max(0, remainingCap[r]) / Double(unfixedOn[r])
                share = min(share, fairShare[r])
            }
            for i in 0..<n where !fixed[i] { share = min(share, flows[i].cap) }
            // Fix every unfixed flow that is bottlenecked at `share`: its own cap, or a resource
            // whose fair share at the start of the round equals it (every resource on an unfixed
            // flow's path had a share computed above; fixing flows below changes none of them).
            var progressed = false
            for i in 0..<n where !fixed[i] {
                let limited = flows[i].cap <= share || flows[i].path.contains { fairShare[$0] <= share }
                if limited {
                    fixed[i] = true
                    left -= 1
                    progressed = true
                    flows[i].rate = share
                    for r in flows[i].path {
                        remainingCap[r] -= share
                        unfixedOn[r] -= 1
                    }
                }
            }
            if !progressed { break }
        }
    }

    /// Makes `a` hold `count` copies of `value`, in its own storage when it has room.
    private static func fill<T>(_ a: inout [T], count: Int, with value: T) {
        if a.count > count { a.removeLast(a.count - count) }
        for i in a.indices { a[i] = value }
        while a.count < count { a.append(value) }
    }
}
