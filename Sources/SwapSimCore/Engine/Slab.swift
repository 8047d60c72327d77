/// Storage for short-lived records addressed by a small integer handle, reusing the slots of
/// removed records so memory follows the number alive, not the number ever created.
///
/// Handles are reused in last-freed-first order, which is deterministic. Non-copyable, like
/// the ``OwnedArray`` it keeps its records in: a write reaches the record directly.
struct Slab<Element>: ~Copyable {
    private var items = OwnedArray<Element>(capacity: 64)
    private var live = OwnedArray<Bool>(capacity: 64)
    private var free = OwnedArray<Int32>(capacity: 64)

    init() {}

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

    @inline(__always) subscript(handle: Int32) -> Element {
        unsafeAddress { UnsafePointer(items.pointer(at: Int(handle))) }
        unsafeMutableAddress { items.pointer(at: Int(handle)) }
    }
}
