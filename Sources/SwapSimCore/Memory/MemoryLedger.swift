/// Who holds which memory, per tier: every GPU's memory, and every node's pinned host swap
/// space.
///
/// The ledger is the one account of memory a simulation keeps. Strategies ask for memory
/// through the ``StrategyContext``; the ledger refuses nothing itself (a strategy checks
/// ``freeGPU(_:)`` first) but traps on an overdraft, which would be a bug. Besides the totals it
/// tracks, for the results:
/// - each GPU's holdings by model (and the runtime reservations of live servers), for the
///   memory timeline;
/// - each model's residency (time with memory on some GPU);
/// - each GPU's occupancy (time with any memory held), for elastic billing.
///
/// A class, owned by one simulation: strategies read it through the engine on every placement
/// decision, and a struct stored in the engine would be copied whole (each of its arrays
/// retained and released) on each such read.
final class MemoryLedger {
    /// A GPU holder: a model's index, or ``runtime`` for server runtime reservations.
    typealias Holder = Int32
    static let runtime: Holder = -1

    let gpuCapacity: Int64
    /// Swap space per node.
    let hostCapacity: Int64
    private(set) var gpuUsed: [Int64]
    /// Per GPU, the bytes each holder has there (holders with no bytes are dropped).
    private(set) var holdings: [[(holder: Holder, bytes: Int64)]]
    private(set) var hostUsed: [Int64]

    /// Per model: on how many GPUs it holds memory, since when, and its resident time so far.
    private var shards: [Int32]
    private var residentSince: [Int64]
    private(set) var residentNs: [Int64]

    /// Per GPU: since when it has been occupied (held anything), and occupied time so far.
    private var occupiedSince: [Int64]
    private(set) var occupiedNs: [Int128]
    /// Occupancy intervals that ended after the latest instant the run had reached when they
    /// ended (the billed horizon may stop short of them): (end, GPU count).
    private var overhangs: [(end: Int64, gpus: Int)] = []
    /// Residency intervals that ended after the run's latest instant when they ended: (end, model).
    private var residentOverhangs: [(end: Int64, model: Int32)] = []

    init(gpus: Int, nodes: Int, models: Int, gpuCapacity: ByteCount, hostCapacity: ByteCount) {
        self.gpuCapacity = gpuCapacity.bytes
        self.hostCapacity = hostCapacity.bytes
        gpuUsed = Array(repeating: 0, count: gpus)
        holdings = Array(repeating: [], count: gpus)
        hostUsed = Array(repeating: 0, count: nodes)
        shards = Array(repeating: 0, count: models)
        residentSince = Array(repeating: 0, count: models)
        residentNs = Array(repeating: 0, count: models)
        occupiedSince = Array(repeating: 0, count: gpus)
        occupiedNs = Array(repeating: 0, count: gpus)
    }

    // MARK: GPU memory

    /// Free memory on GPU `g`.
    func freeGPU(_ g: Int) -> ByteCount { ByteCount(bytes: gpuCapacity - gpuUsed[g]) }

    /// Number of models (servers) holding memory on GPU `g`.
    func models(on g: Int) -> Int {
        var n = 0
        for h in holdings[g] where h.holder != Self.runtime { n += 1 }
        return n
    }

    /// The bytes `holder` has on GPU `g`.
    func held(by holder: Holder, on g: Int) -> Int64 {
        for h in holdings[g] where h.holder == holder { return h.bytes }
        return 0
    }

    /// Takes `bytes` on each GPU of `gpus` for `holder` at `now`.
    func allocate(_ bytes: ByteCount, on gpus: Range<Int>, for holder: Holder, at now: SimInstant) {
        guard bytes.bytes > 0 else { return }
        for g in gpus {
            if holdings[g].isEmpty { occupiedSince[g] = now.nanoseconds }
            gpuUsed[g] += bytes.bytes
            precondition(gpuUsed[g] <= gpuCapacity, "GPU \(g) over capacity")
            if let k = holdings[g].firstIndex(where: { $0.holder == holder }) {
                holdings[g][k].bytes += bytes.bytes
            } else {
                holdings[g].append((holder, bytes.bytes))
                if holder != Self.runtime {
                    let m = Int(holder)
                    if shards[m] == 0 { residentSince[m] = now.nanoseconds }
                    shards[m] += 1
                }
            }
        }
    }

    /// Returns `bytes` on each GPU of `gpus` held for `holder` at `now`; `horizon` is the latest
    /// instant the run has reached (an arrival or a completion), for billing.
    func free(_ bytes: ByteCount, on gpus: Range<Int>, for holder: Holder, at now: SimInstant, horizon: SimInstant) {
        guard bytes.bytes > 0 else { return }
        for g in gpus {
            gpuUsed[g] -= bytes.bytes
            precondition(gpuUsed[g] >= 0, "GPU \(g) freed more than it held")
            guard let k = holdings[g].firstIndex(where: { $0.holder == holder }) else {
                preconditionFailure("GPU \(g) frees memory holder \(holder) never took")
            }
            holdings[g][k].bytes -= bytes.bytes
            precondition(holdings[g][k].bytes >= 0, "holder \(holder) freed more than it held on GPU \(g)")
            if holdings[g][k].bytes == 0 {
                holdings[g].remove(at: k)
                if holder != Self.runtime {
                    let m = Int(holder)
                    shards[m] -= 1
                    if shards[m] == 0 {
                        residentNs[m] += now.nanoseconds - residentSince[m]
                        if now > horizon { residentOverhangs.append((now.nanoseconds, holder)) }
                    }
                }
                if holdings[g].isEmpty {
                    occupiedNs[g] += Int128(now.nanoseconds - occupiedSince[g])
                    if now > horizon { overhangs.append((now.nanoseconds, 1)) }
                }
            }
        }
    }

    /// Drops overhangs that ended by `horizon`: the run has moved past them.
    ///
    /// Inlined: the engine calls it on nearly every arrival and completion, and there is
    /// usually nothing to drop.
    @inline(__always) func horizonReached(_ horizon: SimInstant) {
        if overhangs.isEmpty && residentOverhangs.isEmpty { return }
        dropOverhangs(endingBy: horizon)
    }

    /// ``horizonReached(_:)``'s trim. Compacts in place, keeping the arrays' storage:
    /// `removeAll(where:)` let go of it when it removed everything, so the next overhang
    /// allocated again (once per swap-out).
    private func dropOverhangs(endingBy horizon: SimInstant) {
        let h = horizon.nanoseconds
        if !overhangs.isEmpty { Self.keep(&overhangs) { $0.end > h } }
        if !residentOverhangs.isEmpty { Self.keep(&residentOverhangs) { $0.end > h } }
    }

    /// Keeps the elements of `a` that satisfy `kept`, in order, in `a`'s own storage.
    private static func keep<T>(_ a: inout [T], _ kept: (T) -> Bool) {
        var n = 0
        for i in a.indices where kept(a[i]) {
            if n != i { a[n] = a[i] }
            n += 1
        }
        if n < a.count { a.removeLast(a.count - n) }
    }

    // MARK: Host swap space

    /// Free swap space on `node`.
    func freeHost(_ node: Int) -> ByteCount { ByteCount(bytes: hostCapacity - hostUsed[node]) }

    /// Takes `bytes` of `node`'s swap space.
    func reserveHost(_ bytes: ByteCount, node: Int) {
        hostUsed[node] += bytes.bytes
        precondition(hostUsed[node] <= hostCapacity, "node \(node) swap space over capacity")
    }

    /// Returns `bytes` of `node`'s swap space.
    func releaseHost(_ bytes: ByteCount, node: Int) {
        hostUsed[node] -= bytes.bytes
        precondition(hostUsed[node] >= 0, "node \(node) released more swap space than it held")
    }

    // MARK: Results

    /// Model `m`'s time with memory on some GPU within [0, horizon].
    func residentTime(of m: Int, horizon: SimInstant) -> SimDuration {
        var ns = residentNs[m]
        if shards[m] > 0 { ns += max(0, horizon.nanoseconds - residentSince[m]) }
        for o in residentOverhangs where Int(o.model) == m && o.end > horizon.nanoseconds { ns -= o.end - horizon.nanoseconds }
        return .nanoseconds(ns)
    }

    /// GPU-nanoseconds of occupancy within [0, horizon]: every GPU while it held anything.
    func occupiedGPUNanoseconds(horizon: SimInstant) -> Int128 {
        var total: Int128 = 0
        for g in gpuUsed.indices {
            total += occupiedNs[g]
            if !holdings[g].isEmpty { total += Int128(max(0, horizon.nanoseconds - occupiedSince[g])) }
        }
        for o in overhangs where o.end > horizon.nanoseconds { total -= Int128(o.end - horizon.nanoseconds) * Int128(o.gpus) }
        return total
    }

    /// Checks totals against holdings (debug builds).
    func checkInvariants() -> Bool {
        for g in gpuUsed.indices {
            var s: Int64 = 0
            for h in holdings[g] { s += h.bytes }
            if s != gpuUsed[g] || gpuUsed[g] < 0 || gpuUsed[g] > gpuCapacity { return false }
        }
        return hostUsed.allSatisfy { $0 >= 0 && $0 <= hostCapacity }
    }
}
