/// A first-in, first-out queue with amortised O(1) operations and no per-element allocation.
public struct FIFOQueue<Element> {
    var items: [Element] = []
    var head = 0

    public init() {}

    public var count: Int { items.count - head }
    public var isEmpty: Bool { head == items.count }
    public var first: Element? { isEmpty ? nil : items[head] }

    public mutating func append(_ e: Element) { items.append(e) }

    public mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let e = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return e
    }

    /// The queued elements, oldest first.
    public var elements: ArraySlice<Element> { items[head...] }
}

extension FIFOQueue: Sendable where Element: Sendable {}
