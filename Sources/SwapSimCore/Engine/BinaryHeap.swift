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
        storage.withUnsafeMutableBufferPointer { h in h[Self.riseFrom(h.count - 1, element, h)] = element }
    }

    /// Where `e` belongs on the way up from the hole at `start`, moving the parents it passes
    /// down into the hole.
    @inline(__always) private static func riseFrom(_ start: Int, _ e: Element, _ h: UnsafeMutableBufferPointer<Element>) -> Int {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            if e < h[p] { h[i] = h[p]; i = p } else { break }
        }
        return i
    }

    /// Removes and returns the least element.
    ///
    /// Bottom-up: the hole left at the root sinks along the least children to a leaf, then the
    /// last element rises from there, which saves comparisons since the last element usually
    /// belongs near the bottom. The order elements pop in is the same, for any total order.
    @discardableResult public mutating func popMin() -> Element? {
        guard let last = storage.popLast() else { return nil }
        if storage.isEmpty { return last }
        return storage.withUnsafeMutableBufferPointer { h in
            let top = h[0]
            let n = h.count
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let c = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l
                h[i] = h[c]
                i = c
            }
            h[Self.riseFrom(i, last, h)] = last
            return top
        }
    }

    /// Removes and returns the element at `index` of ``storage``: the last element takes its
    /// place and sifts up or down. The order the rest pop in is unchanged, for a total order.
    /// - Complexity: O(log n).
    @discardableResult public mutating func remove(at index: Int) -> Element {
        let last = storage.removeLast()
        if index == storage.count { return last }
        return storage.withUnsafeMutableBufferPointer { h in
            let removed = h[index]
            var i = Self.riseFrom(index, last, h)
            if i == index {
                // Not above its new parent: it may belong below.
                let n = h.count
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    let c = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l
                    if h[c] < last { h[i] = h[c]; i = c } else { break }
                }
            }
            h[i] = last
            return removed
        }
    }

    /// Whether every parent precedes or equals its children.
    public func checkInvariants() -> Bool {
        for i in 1..<Swift.max(storage.count, 1) where storage[i] < storage[(i - 1) / 2] { return false }
        return true
    }
}

extension BinaryHeap: Sendable where Element: Sendable {}
