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
        // Consumed slots are dropped in bulk, once they are at least 1,024 and half the storage:
        // emptying the array at every last pop cost a library call per request.
        if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return e
    }

    /// The queued elements, oldest first.
    public var elements: ArraySlice<Element> { items[head...] }
}

extension FIFOQueue: Sendable where Element: Sendable {}
