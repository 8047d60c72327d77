/// Eviction candidates per GPU, each GPU's kept in key order, so that finding the next victim
/// costs O(log n) instead of a sort.
///
/// A candidate occupies every GPU of its group and sits in each of those GPUs' heaps. Members
/// are small integers (replica indices); the index grows to the largest member seen.
///
/// Removal is lazy. A server leaves the candidates on every request and comes back, with a new
/// key, when it is idle again, while victims are looked for only when memory runs short: so a
/// removal only marks the member gone (its bytes leave ``evictableBytes`` at once), and its heap
/// entries stay until they reach the top of their heap, where ``first(on:)`` drops them. An entry
/// is live while its member is a candidate with the version the entry was made with. A heap
/// with more dead entries than live ones is rebuilt from the live ones. The candidates and their
/// order are those of an index that removed eagerly: keys are a total order.
/// - Complexity: insert is O(w log n) for a candidate on w GPUs with n entries per GPU, remove
///   O(w); the minimum of a GPU is O(1) amortised.
///
/// Non-copyable: its per-GPU lists are ``OwnedArray``s, written in place on every request.
struct EvictionIndex: ~Copyable {
    struct Entry {
        var key: EvictionKey
        var member: Int32
        var version: UInt32
    }

    /// A member's candidacy: its key, the bytes it frees per GPU, its GPUs, and the version of
    /// its live entries.
    struct Slot {
        var key = EvictionKey(primary: 0, lastUsed: 0, index: 0)
        var bytes: Int64 = 0
        var gpus: Range<Int> = 0..<0
        var version: UInt32 = 0
        var isCandidate = false
    }

    /// Per GPU, a binary min-heap of its entries, live and dead.
    private var heaps: OwnedArray<[Entry]>
    /// Per GPU, its live entries.
    private var live: OwnedArray<Int>
    private var slots = OwnedArray<Slot>(capacity: 64)
    /// Per GPU, the bytes its candidates would free there.
    private(set) var evictableBytes: OwnedArray<Int64>

    init(gpus: Int) {
        heaps = OwnedArray(repeating: [], count: gpus)
        live = OwnedArray(repeating: 0, count: gpus)
        evictableBytes = OwnedArray(repeating: 0, count: gpus)
    }

    /// Whether `member` is a candidate.
    func contains(_ member: Int) -> Bool { member < slots.count && slots[member].isCandidate }

    /// `member`'s key, if it is a candidate.
    func key(of member: Int) -> EvictionKey? { contains(member) ? slots[member].key : nil }

    /// Makes `member` a candidate on `gpus`, freeing `bytes` on each, ranked by `key`
    /// (replacing its earlier candidacy, if any).
    mutating func insert(_ member: Int, gpus: Range<Int>, bytes: ByteCount, key: EvictionKey) {
        remove(member)
        if member >= slots.count { slots.append(repeating: Slot(), count: member + 1 - slots.count) }
        let version = slots[member].version &+ 1
        slots[member] = Slot(key: key, bytes: bytes.bytes, gpus: gpus, version: version, isCandidate: true)
        for g in gpus {
            evictableBytes[g] += bytes.bytes
            live[g] += 1
            if heaps[g].count >= 2 * live[g] + 16 { compact(g) }
            push(Entry(key: key, member: Int32(member), version: version), on: g)
        }
    }

    /// Ends `member`'s candidacy, if it has one.
    mutating func remove(_ member: Int) {
        guard contains(member) else { return }
        slots[member].isCandidate = false
        let bytes = slots[member].bytes
        for g in slots[member].gpus {
            evictableBytes[g] -= bytes
            live[g] -= 1
        }
    }

    /// The candidate that goes first on GPU `g`, if any.
    mutating func first(on g: Int) -> (member: Int, key: EvictionKey)? {
        while let top = heaps[g].first {
            if isLive(top) { return (Int(top.member), top.key) }
            popTop(g)
        }
        return nil
    }

    /// Number of candidates on GPU `g`.
    func count(on g: Int) -> Int { live[g] }

    // MARK: Heap upkeep

    @inline(__always) private func isLive(_ e: Entry) -> Bool { slots.withUnsafeBufferPointer { Self.isLive(e, in: $0) } }

    /// Whether `e` is its member's current candidacy, among `slots` (the index's, read through a
    /// buffer by code that mutates a heap meanwhile).
    @inline(__always) private static func isLive(_ e: Entry, in slots: UnsafeBufferPointer<Slot>) -> Bool {
        precondition(Int(e.member) < slots.count, "eviction entry for an unknown member")
        let s = slots[Int(e.member)]
        return s.isCandidate && s.version == e.version
    }

    private mutating func push(_ e: Entry, on g: Int) {
        heaps[g].append(e)
        heaps[g].withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard e.key < h[p].key else { break }
                h[i] = h[p]
                i = p
            }
            h[i] = e
        }
    }

    private mutating func popTop(_ g: Int) {
        let last = heaps[g].removeLast()
        guard !heaps[g].isEmpty else { return }
        heaps[g].withUnsafeMutableBufferPointer { h in
            var i = 0
            let n = h.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let c = l + 1 < n && h[l + 1].key < h[l].key ? l + 1 : l
                guard h[c].key < last.key else { break }
                h[i] = h[c]
                i = c
            }
            h[i] = last
        }
    }

    /// Rebuilds GPU `g`'s heap from its live entries, in place: a new array each time was
    /// an allocation per rebuild, and another as the next pushes grew it back.
    private mutating func compact(_ g: Int) {
        slots.withUnsafeBufferPointer { slots in heaps[g].removeAll { !Self.isLive($0, in: slots) } }
        heaps[g].sort { $0.key < $1.key }  // a sorted array is a heap
    }

    /// Checks every heap's order, and that each candidate has one live entry on each of its
    /// GPUs (debug builds).
    func checkInvariants() -> Bool {
        for g in 0..<heaps.count {
            var n = 0
            for i in heaps[g].indices {
                if i > 0 && heaps[g][i].key < heaps[g][(i - 1) / 2].key { return false }
                let e = heaps[g][i]
                if isLive(e) {
                    n += 1
                    guard slots[Int(e.member)].gpus.contains(g), slots[Int(e.member)].key == e.key else { return false }
                }
            }
            if n != live[g] { return false }
        }
        return true
    }
}
