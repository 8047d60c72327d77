/// A reusable list of plain values that empties in O(1): its storage keeps the old elements,
/// overwritten as new ones are appended.
///
/// `Array.removeAll(keepingCapacity:)` is an outlined call of about 80 instructions; the
/// batcher empties its scratch lists once or twice per request.
/// Only for values without references (the old elements are not released until overwritten).
struct ScratchList<Element> {
    private var storage: [Element] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    @inline(__always) mutating func append(_ e: Element) {
        if count < storage.count { storage[count] = e } else { storage.append(e) }
        count += 1
    }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) subscript(i: Int) -> Element {
        precondition(i < count)
        return storage[i]
    }
}

extension ScratchList: Sendable where Element: Sendable {}
