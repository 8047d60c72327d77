/// Storage for short-lived records addressed by a small integer handle, reusing the slots of
/// removed records so memory follows the number alive, not the number ever created.
///
/// Handles are reused in last-freed-first order, which is deterministic.
struct Slab<Element> {
    private var items: [Element] = []
    private var live: [Bool] = []
    private var free: [Int32] = []

    /// Stores `element` and returns its handle.
    mutating func insert(_ element: Element) -> Int32 {
        if let h = free.popLast() {
            items[Int(h)] = element
            live[Int(h)] = true
            return h
        }
        items.append(element)
        live.append(true)
        return Int32(items.count - 1)
    }

    /// Removes the record at `handle` and returns it; removing a record twice is a bug.
    @discardableResult mutating func remove(_ handle: Int32) -> Element {
        precondition(live[Int(handle)], "slab record \(handle) removed twice")
        live[Int(handle)] = false
        free.append(handle)
        return items[Int(handle)]
    }

    subscript(handle: Int32) -> Element {
        get { items[Int(handle)] }
        _modify { yield &items[Int(handle)] }
    }
}
