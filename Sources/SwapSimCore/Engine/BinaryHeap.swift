/// A binary min-heap over a totally ordered element type.
///
/// Elements that compare equal pop in an unspecified order, so callers that need
/// determinism make their `<` a total order (the event queue adds a sequence number).
/// - Complexity: `insert` and `popMin` are O(log n); `min` is O(1).
public struct BinaryHeap<Element: Comparable> {
    var storage: [Element] = []

    public init() {}

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }
    public var min: Element? { storage.first }

    public mutating func insert(_ element: Element) {
        storage.append(element)
        var i = storage.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if element < storage[p] { storage[i] = storage[p]; i = p } else { break }
        }
        storage[i] = element
    }

    @discardableResult public mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        let top = storage[0]
        let last = storage.removeLast()
        if storage.isEmpty { return top }
        var i = 0
        let n = storage.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var c = l
            if l + 1 < n && storage[l + 1] < storage[l] { c = l + 1 }
            if storage[c] < last { storage[i] = storage[c]; i = c } else { break }
        }
        storage[i] = last
        return top
    }

    /// Whether every parent precedes or equals its children.
    public func checkInvariants() -> Bool {
        for i in 1..<Swift.max(storage.count, 1) where storage[i] < storage[(i - 1) / 2] { return false }
        return true
    }
}

extension BinaryHeap: Sendable where Element: Sendable {}
