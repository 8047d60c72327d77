import Testing

@testable import SwapSimCore

/// The eviction index removes lazily (dead entries stay until they reach the top of a heap) and
/// rebuilds a heap once dead entries outnumber live ones; to its users it must behave exactly
/// like an index that removes at once. Checked against a plain list of candidates.
@Suite struct EvictionIndexTests {
    struct Candidate {
        var key: EvictionKey
        var gpus: Range<Int>
        var bytes: Int64
    }

    @Test func lazyRemovalAnswersLikeAPlainListOfCandidates() {
        let gpus = 4
        for seed in UInt64(0)..<20 {
            var rng = RandomStream(seed: seed, stream: "eviction-index")
            var index = EvictionIndex(gpus: gpus)
            var reference: [Int: Candidate] = [:]
            for step in 0..<2_000 {
                let member = Int(rng.uniformInt(0...11))
                switch rng.uniformInt(0...9) {
                case 0...4:
                    // A server goes idle: a new key (its last use moves on), sometimes a tie in primary.
                    let first = Int(rng.uniformInt(0...gpus - 1))
                    let width = first + 1 < gpus && rng.uniformInt(0...3) == 0 ? 2 : 1
                    let key = EvictionKey(primary: Int64(rng.uniformInt(0...3)), lastUsed: Int64(step), index: Int32(member))
                    let bytes = Int64(rng.uniformInt(1...1_000))
                    index.insert(member, gpus: first..<first + width, bytes: ByteCount(bytes: bytes), key: key)
                    reference[member] = Candidate(key: key, gpus: first..<first + width, bytes: bytes)
                case 5...7:
                    // A server takes a request (it may not be a candidate).
                    index.remove(member)
                    reference[member] = nil
                default:
                    // Memory runs short on a GPU: its first candidate is evicted.
                    let g = Int(rng.uniformInt(0...gpus - 1))
                    let expected = reference.filter { $0.value.gpus.contains(g) }.min { $0.value.key < $1.value.key }
                    let got = index.first(on: g)
                    #expect(got?.member == expected?.key && got?.key == expected?.value.key, "seed \(seed) step \(step)")
                    if let v = got?.member {
                        index.remove(v)
                        reference[v] = nil
                    }
                }
                for g in 0..<gpus {
                    let live = reference.values.filter { $0.gpus.contains(g) }
                    // Read first: #expect cannot take apart a non-copyable index.
                    let (bytes, count) = (index.evictableBytes[g], index.count(on: g))
                    #expect(bytes == live.reduce(0) { $0 + $1.bytes }, "seed \(seed) step \(step)")
                    #expect(count == live.count, "seed \(seed) step \(step)")
                }
                let (contains, ok) = (index.contains(member), index.checkInvariants())
                #expect(contains == (reference[member] != nil))
                #expect(ok, "seed \(seed) step \(step)")
            }
        }
    }
}

/// `BinaryHeap.remove(at:)` (a preempted request leaves the running batch) keeps the heap
/// popping in order, against a sorted array.
@Suite struct BinaryHeapRemovalTests {
    @Test func removingAnyElementKeepsThePopOrder() {
        for seed in UInt64(0)..<20 {
            var rng = RandomStream(seed: seed, stream: "heap-remove")
            var heap = BinaryHeap<Int64>()
            var reference: [Int64] = []
            var next: Int64 = 0
            for _ in 0..<1_000 {
                switch rng.uniformInt(0...5) {
                case 0...2:
                    // Distinct values, so that the order is total.
                    next += 1
                    let v = Int64(rng.uniformInt(0...1_000)) * 10_000 + next
                    heap.insert(v)
                    reference.append(v)
                    reference.sort()
                case 3:
                    #expect(heap.popMin() == (reference.isEmpty ? nil : reference.removeFirst()), "seed \(seed)")
                default:
                    guard !reference.isEmpty else { continue }
                    let at = Int(rng.uniformInt(0...heap.count - 1))
                    let removed = heap.remove(at: at)
                    #expect(reference.contains(removed), "seed \(seed)")
                    reference.removeAll { $0 == removed }
                }
                #expect(heap.checkInvariants() && heap.count == reference.count && heap.min == reference.first, "seed \(seed)")
            }
        }
    }
}
