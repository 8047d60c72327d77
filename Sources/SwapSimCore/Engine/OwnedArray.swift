/// A growable array with one owner: it cannot be copied, so a write reaches its element
/// directly.
///
/// A Swift `Array` stored in a class checks at run time that its buffer is not shared before
/// every write (`swift_isUniquelyReferenced`, a call through the PLT), and reloads and stores
/// back the buffer around it. The simulation's hot path wrote its replicas, request records,
/// metric samples and event heaps about 40 times per request that way: a tenth of its
/// instructions (benchmarks/README.md, change 38). A non-copyable buffer needs no such check,
/// and its subscript is an addressor, so `a[i].field = x` is one store. Indices are still
/// checked (a compare and a branch).
///
/// Elements are kept initialised in `0..<count`; the storage doubles when full.
struct OwnedArray<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    /// Elements in use.
    private(set) var count = 0
    private var capacity: Int

    /// An empty array with room for `capacity` elements before it grows.
    init(capacity: Int = 8) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        precondition(count >= 0, "negative count")
        capacity = max(count, 1)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always) var isEmpty: Bool { count == 0 }
    @inline(__always) var indices: Range<Int> { 0..<count }

    @inline(__always) private func check(_ i: Int) {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "index out of range")
    }

    @inline(__always) subscript(i: Int) -> Element {
        unsafeAddress {
            check(i)
            return UnsafePointer(base + i)
        }
        unsafeMutableAddress {
            check(i)
            return base + i
        }
    }

    /// The address of element `i`, valid until the array grows or shrinks past it.
    @inline(__always) func pointer(at i: Int) -> UnsafeMutablePointer<Element> {
        check(i)
        return base + i
    }

    @inline(__always) mutating func append(_ e: Element) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: e)
        count += 1
    }

    /// Appends `n` copies of `value`.
    mutating func append(repeating value: Element, count n: Int) {
        precondition(n >= 0, "negative count")
        if count + n > capacity { grow(to: max(capacity * 2, count + n)) }
        (base + count).initialize(repeating: value, count: n)
        count += n
    }

    @inline(__always) @discardableResult mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast from an empty array")
        count -= 1
        return (base + count).move()
    }

    @inline(__always) mutating func popLast() -> Element? {
        count == 0 ? nil : removeLast()
    }

    /// Removes every element, keeping the storage.
    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// Calls `body` with the elements in use, which it may change in place (not add or remove).
    @inline(__always) mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    @inline(__always) func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy of the elements as an `Array`.
    var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    private mutating func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}

extension OwnedArray: @unchecked Sendable where Element: Sendable {}
