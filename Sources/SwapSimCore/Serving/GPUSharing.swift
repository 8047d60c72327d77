/// Which replicas are busy on each GPU, for utilisation and time-slicing.
///
/// Replicas that share a GPU time-slice it: with k replicas busy (a non-empty batch) on a GPU,
/// each runs at 1/k of its pace alone; a tensor-parallel replica runs at the pace of its most
/// shared GPU. A GPU is busy while any replica on it is.
///
/// Non-copyable: its lists are ``OwnedArray``s, written in place on every change of a batch.
struct GPUSharing: ~Copyable {
    /// Per GPU, the busy replicas on it: GPU `g`'s are `busyList[g * stride ..< g * stride + busyCount[g]]`
    /// (one flat buffer, so that a change touches one array, not an array inside an array).
    private var busyList: OwnedArray<Int32>
    private var busyCount: OwnedArray<Int32>
    /// Room per GPU in `busyList`; doubled when a GPU needs more.
    private var stride = 4
    private var busySince: OwnedArray<Int64>
    /// Per GPU, its busy time so far.
    private var busyNs: OwnedArray<Int64>
    /// The replicas whose pace the last ``setBusy(_:gpus:busy:currentSlowdown:at:)`` affected.
    private(set) var affected = OwnedArray<Int32>(capacity: 16)

    init(gpus: Int) {
        busyList = OwnedArray(repeating: -1, count: gpus * stride)
        busyCount = OwnedArray(repeating: 0, count: gpus)
        busySince = OwnedArray(repeating: 0, count: gpus)
        busyNs = OwnedArray(repeating: 0, count: gpus)
    }

    /// Records that replica `r` on `gpus` became busy or idle at `now`. Returns whether some
    /// replica's pace must be set again; those replicas are then in ``affected`` (`r` itself
    /// included when busy). Nothing changes when `r` is alone on its GPUs at its own pace.
    ///
    /// - Complexity: O(k) for k busy replicas on `r`'s GPUs.
    mutating func setBusy(_ r: Int, gpus: Range<Int>, busy: Bool, currentSlowdown: Int64, at now: SimInstant) -> Bool {
        var shared = false
        for g in gpus {
            let n = Int(busyCount[g])
            if busy {
                if n == 0 { busySince[g] = now.nanoseconds }
                if n == stride { widen() }
                busyList[g * stride + n] = Int32(r)
                busyCount[g] = Int32(n + 1)
                if n >= 1 { shared = true }
            } else {
                // Remove r, keeping the others in order (the order replicas are re-paced in).
                let base = g * stride
                var k = 0
                while k < n && busyList[base + k] != Int32(r) { k += 1 }
                if k < n {
                    var i = k
                    while i + 1 < n {
                        busyList[base + i] = busyList[base + i + 1]
                        i += 1
                    }
                    busyCount[g] = Int32(n - 1)
                }
                let left = Int(busyCount[g])
                if left == 0 { busyNs[g] += now.nanoseconds - busySince[g] }
                if left > 0 { shared = true }
            }
        }
        // Alone on its GPUs at its own pace: nobody's pace changes (the common case).
        if !shared && currentSlowdown == 1 { return false }
        affected.removeAll()
        if busy { affected.append(Int32(r)) }
        for g in gpus {
            let base = g * stride
            for k in 0..<Int(busyCount[g]) {
                let a = busyList[base + k]
                if !affected.withUnsafeBufferPointer({ $0.contains(a) }) { affected.append(a) }
            }
        }
        return true
    }

    /// Doubles the room per GPU, moving each GPU's list to its new place.
    private mutating func widen() {
        let wider = stride * 2
        var list = OwnedArray(repeating: Int32(-1), count: busyCount.count * wider)
        for g in busyCount.indices {
            for k in 0..<Int(busyCount[g]) { list[g * wider + k] = busyList[g * stride + k] }
        }
        busyList = list
        stride = wider
    }

    /// The slowdown of a replica on `gpus`: the most busy replicas on any of them (at least 1).
    func factor(on gpus: Range<Int>) -> Int64 {
        var f: Int32 = 1
        for g in gpus { f = max(f, busyCount[g]) }
        return Int64(f)
    }

    /// Busy GPU-nanoseconds so far, counting GPUs still busy up to `now`.
    func busyGPUNanoseconds(upTo now: SimInstant) -> Int128 {
        var total: Int128 = 0
        for g in 0..<busyNs.count {
            total += Int128(busyNs[g])
            if busyCount[g] > 0 { total += Int128(now.nanoseconds - busySince[g]) }
        }
        return total
    }
}
