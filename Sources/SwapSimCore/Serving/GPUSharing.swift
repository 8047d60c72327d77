/// Which replicas are busy on each GPU, for utilisation and time-slicing.
///
/// Replicas that share a GPU time-slice it: with k replicas busy (a non-empty batch) on a GPU,
/// each runs at 1/k of its pace alone; a tensor-parallel replica runs at the pace of its most
/// shared GPU. A GPU is busy while any replica on it is.
struct GPUSharing {
    /// Per GPU, the busy replicas on it.
    private(set) var busyOn: [[Int32]]
    private var busySince: [Int64]
    /// Per GPU, its busy time so far.
    private(set) var busyNs: [Int64]
    /// The replicas whose pace the last ``setBusy(_:gpus:busy:currentSlowdown:at:)`` affected.
    private(set) var affected: [Int32] = []

    init(gpus: Int) {
        busyOn = Array(repeating: [], count: gpus)
        busySince = Array(repeating: 0, count: gpus)
        busyNs = Array(repeating: 0, count: gpus)
    }

    /// Records that replica `r` on `gpus` became busy or idle at `now`. Returns whether some
    /// replica's pace must be set again; those replicas are then in ``affected`` (`r` itself
    /// included when busy). Nothing changes when `r` is alone on its GPUs at its own pace.
    ///
    /// - Complexity: O(k) for k busy replicas on `r`'s GPUs.
    mutating func setBusy(_ r: Int, gpus: Range<Int>, busy: Bool, currentSlowdown: Int64, at now: SimInstant) -> Bool {
        var shared = false
        for g in gpus {
            if busy {
                if busyOn[g].isEmpty { busySince[g] = now.nanoseconds }
                busyOn[g].append(Int32(r))
            } else {
                if let k = busyOn[g].firstIndex(of: Int32(r)) { busyOn[g].remove(at: k) }
                if busyOn[g].isEmpty { busyNs[g] += now.nanoseconds - busySince[g] }
            }
            if busyOn[g].count > (busy ? 1 : 0) { shared = true }
        }
        // Alone on its GPUs at its own pace: nobody's pace changes (the common case).
        if !shared && currentSlowdown == 1 { return false }
        if !affected.isEmpty { affected.removeAll(keepingCapacity: true) }
        if busy { affected.append(Int32(r)) }
        for g in gpus {
            for a in busyOn[g] where !affected.contains(a) { affected.append(a) }
        }
        return true
    }

    /// The slowdown of a replica on `gpus`: the most busy replicas on any of them (at least 1).
    func factor(on gpus: Range<Int>) -> Int64 {
        var f = 1
        for g in gpus { f = max(f, busyOn[g].count) }
        return Int64(f)
    }

    /// Busy GPU-nanoseconds so far, counting GPUs still busy up to `now`.
    func busyGPUNanoseconds(upTo now: SimInstant) -> Int128 {
        var total: Int128 = 0
        for g in busyNs.indices {
            total += Int128(busyNs[g])
            if !busyOn[g].isEmpty { total += Int128(now.nanoseconds - busySince[g]) }
        }
        return total
    }
}
