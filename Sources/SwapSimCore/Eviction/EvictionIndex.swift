/// Eviction candidates per GPU, each GPU's kept in key order, so that finding the next victim
/// costs O(log n) instead of a sort.
///
/// A candidate occupies every GPU of its group and sits in each of those GPUs' heaps. Members
/// are small integers (replica indices); the index grows to the largest member seen.
/// - Complexity: insert and remove are O(w log n) for a candidate on w GPUs with n candidates
///   per GPU; the minimum of a GPU is O(1).
struct EvictionIndex {
    struct Entry {
        var key: EvictionKey
        var member: Int32
    }

    /// Per GPU, a binary min-heap of its candidates.
    private var heaps: [[Entry]]
    /// Per member, its key, the bytes it frees per GPU, and where it sits in each of its GPUs'
    /// heaps (empty when it is not a candidate).
    private var slots: [(key: EvictionKey, bytes: Int64, places: [(gpu: Int32, at: Int32)])] = []
    /// Per GPU, the bytes its candidates would free there.
    private(set) var evictableBytes: [Int64]

    init(gpus: Int) {
        heaps = Array(repeating: [], count: gpus)
        evictableBytes = Array(repeating: 0, count: gpus)
    }

    /// Whether `member` is a candidate.
    func contains(_ member: Int) -> Bool { member < slots.count && !slots[member].places.isEmpty }

    /// `member`'s key, if it is a candidate.
    func key(of member: Int) -> EvictionKey? { contains(member) ? slots[member].key : nil }

    /// Makes `member` a candidate on `gpus`, freeing `bytes` on each, ranked by `key`
    /// (replacing its earlier candidacy, if any).
    mutating func insert(_ member: Int, gpus: Range<Int>, bytes: ByteCount, key: EvictionKey) {
        remove(member)
        if member >= slots.count {
            let empty: (key: EvictionKey, bytes: Int64, places: [(gpu: Int32, at: Int32)]) = (EvictionKey(primary: 0, lastUsed: 0, index: 0), 0, [])
            slots.append(contentsOf: repeatElement(empty, count: member + 1 - slots.count))
        }
        slots[member].key = key
        slots[member].bytes = bytes.bytes
        slots[member].places.reserveCapacity(gpus.count)
        for g in gpus {
            heaps[g].append(Entry(key: key, member: Int32(member)))
            slots[member].places.append((Int32(g), Int32(heaps[g].count - 1)))
            evictableBytes[g] += bytes.bytes
            siftUp(g, heaps[g].count - 1)
        }
    }

    /// Ends `member`'s candidacy, if it has one.
    mutating func remove(_ member: Int) {
        guard contains(member) else { return }
        let bytes = slots[member].bytes
        // Read the places in place and clear them after: a copy of the array would make the
        // clearing reallocate it (copy on write), once per request on the hot path.
        for k in slots[member].places.indices {
            let p = slots[member].places[k]
            let g = Int(p.gpu)
            evictableBytes[g] -= bytes
            // The member's current position (sifts of other members may have moved it).
            let i = position(of: member, onGPU: g, hint: Int(p.at))
            let last = heaps[g].removeLast()
            guard i < heaps[g].count else { continue }
            heaps[g][i] = last
            setPlace(Int(last.member), gpu: g, at: i)
            if i > 0 && last.key < heaps[g][(i - 1) / 2].key { siftUp(g, i) } else { siftDown(g, i) }
        }
        slots[member].places.removeAll(keepingCapacity: true)
    }

    /// The candidate that goes first on GPU `g`, if any.
    func first(on g: Int) -> (member: Int, key: EvictionKey)? {
        heaps[g].first.map { (Int($0.member), $0.key) }
    }

    /// Number of candidates on GPU `g`.
    func count(on g: Int) -> Int { heaps[g].count }

    // MARK: Heap upkeep

    private func position(of member: Int, onGPU g: Int, hint: Int) -> Int {
        if hint < heaps[g].count && Int(heaps[g][hint].member) == member { return hint }
        preconditionFailure("eviction index lost member \(member) on GPU \(g)")
    }

    private mutating func setPlace(_ member: Int, gpu g: Int, at i: Int) {
        for k in slots[member].places.indices where Int(slots[member].places[k].gpu) == g {
            slots[member].places[k].at = Int32(i)
            return
        }
    }

    private mutating func siftUp(_ g: Int, _ start: Int) {
        var i = start
        let e = heaps[g][i]
        while i > 0 {
            let p = (i - 1) / 2
            guard e.key < heaps[g][p].key else { break }
            heaps[g][i] = heaps[g][p]
            setPlace(Int(heaps[g][i].member), gpu: g, at: i)
            i = p
        }
        heaps[g][i] = e
        setPlace(Int(e.member), gpu: g, at: i)
    }

    private mutating func siftDown(_ g: Int, _ start: Int) {
        var i = start
        let e = heaps[g][i]
        let n = heaps[g].count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            let c = l + 1 < n && heaps[g][l + 1].key < heaps[g][l].key ? l + 1 : l
            guard heaps[g][c].key < e.key else { break }
            heaps[g][i] = heaps[g][c]
            setPlace(Int(heaps[g][i].member), gpu: g, at: i)
            i = c
        }
        heaps[g][i] = e
        setPlace(Int(e.member), gpu: g, at: i)
    }

    /// Checks every heap's order and every member's recorded places (debug builds).
    func checkInvariants() -> Bool {
        for g in heaps.indices {
            for i in heaps[g].indices {
                if i > 0 && heaps[g][i].key < heaps[g][(i - 1) / 2].key { return false }
                let m = Int(heaps[g][i].member)
                guard slots[m].places.contains(where: { Int($0.gpu) == g && Int($0.at) == i }) else { return false }
            }
        }
        return true
    }
}
