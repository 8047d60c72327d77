/// Servers waiting for a swap-in, in the order they asked, kept in one queue per group of GPUs.
///
/// Hot-swap serves its waiting servers in the order they asked, in passes: a server that cannot
/// start holds its GPUs, and later servers that need any of them are passed over. Walking one
/// list did that at O(waiting) a pass, stepping over every server stuck behind a held GPU: a
/// thousand models on sixteen GPUs kept a few hundred waiting at the day's peak, and that walk
/// was a third of the run. Here servers that need the same GPUs share a queue, each entry
/// stamped with its place in the order; a pass keeps the heads of the queues whose GPUs are not
/// held and tries the oldest each time, so it tries the same servers in the same order at
/// O(groups) a try, however many wait behind a held GPU.
///
/// A server leaves only from the head of its queue: any earlier one of its queue either left
/// or could not start, and then held these GPUs, so the pass never reaches it.
///
/// Its lists are ``OwnedArray``s: a pass writes them a few times per try, and an `Array` stored
/// in the strategy checked its buffer's uniqueness before each write.
struct SwapWaitList: ~Copyable {
    struct Entry {
        var stamp: Int64
        var server: Int32
    }

    /// Per group, its waiting servers, oldest first, and the GPUs they need.
    private var queues = OwnedArray<FIFOQueue<Entry>>()
    private var gpus = OwnedArray<Range<Int>>()
    /// Per server, its group (−1: not a server of this list).
    private var groupOf = OwnedArray<Int32>()
    /// The groups with waiting servers, in no order.
    private var waitingGroups = OwnedArray<Int32>()
    private var nextStamp: Int64 = 0
    /// How many servers wait.
    private(set) var count = 0
    /// Per group, whether no other group shares a GPU with it (then holding its GPUs passes
    /// over no other queue).
    private var isolated = OwnedArray<Bool>()
    /// The pass in progress: per GPU whether it is held, the GPUs held, the heads of the
    /// queues not held (in no order) with their groups, and where ``next()`` found the oldest.
    private var held = OwnedArray<Bool>()
    private var heldList = OwnedArray<Int>()
    private var heads = OwnedArray<(entry: Entry, group: Int32)>()
    /// How many of `heads` are the pass's (the array only grows, so a pass allocates nothing).
    private var live = 0
    private var nextIndex = -1
    private var inPass = false

    var isEmpty: Bool { count == 0 }

    init() {}

    /// A list over `servers`, those of equal `home` ranges sharing a queue (a list where every
    /// server has the same range, e.g. empty under dynamic placement, has one queue).
    init(servers: [Int], home: [Range<Int>]) {
        var groupOfRange: [Range<Int>: Int32] = [:]
        groupOf = OwnedArray(repeating: -1, count: home.count)
        var gpuCount = 0
        for r in servers {
            let g: Int32
            if let known = groupOfRange[home[r]] {
                g = known
            } else {
                g = Int32(gpus.count)
                groupOfRange[home[r]] = g
                gpus.append(home[r])
                queues.append(FIFOQueue())
            }
            groupOf[r] = g
            gpuCount = max(gpuCount, home[r].upperBound)
        }
        held = OwnedArray(repeating: false, count: gpuCount)
        var groupsOnGPU = Array(repeating: 0, count: gpuCount)
        for k in gpus.indices { for g in gpus[k] { groupsOnGPU[g] += 1 } }
        for k in gpus.indices { isolated.append(gpus[k].allSatisfy { groupsOnGPU[$0] == 1 }) }
    }

    /// Puts `server` at the end of the order (during a pass too: the pass reaches it in turn).
    mutating func append(_ server: Int) {
        let g = Int(groupOf[server])
        precondition(g >= 0, "server \(server) is not on this wait list's servers")
        let entry = Entry(stamp: nextStamp, server: Int32(server))
        if queues[g].isEmpty {
            waitingGroups.append(Int32(g))
            if inPass && !gpus[g].contains(where: { held[$0] }) { addHead(entry, group: Int32(g)) }
        }
        queues[g].append(entry)
        nextStamp += 1
        count += 1
    }

    /// Whether `test` holds for the first waiting server of every group (a pass reaches no
    /// other until one of them starts).
    @inline(__always) func everyHead(_ test: (Int) -> Bool) -> Bool {
        for k in waitingGroups.indices where !test(Int(queues[Int(waitingGroups[k])].first!.server)) { return false }
        return true
    }

    /// Starts a pass: no GPU is held, and every queue's head is a candidate but those of
    /// isolated groups that `dropping` names. A caller drops a server only when it knows the
    /// server would fail at its turn: an isolated group's hold passes over no other queue, so
    /// leaving the server out changes nothing else in the pass.
    @inline(__always) mutating func beginPass(dropping drop: (Int) -> Bool) {
        beginPass()
        var k = 0
        while k < live {
            if isolated[Int(heads[k].group)] && drop(Int(heads[k].entry.server)) { removeHead(at: k) } else { k += 1 }
        }
    }

    /// Starts a pass: no GPU is held, and every queue's head is a candidate.
    mutating func beginPass() {
        assert(!inPass, "a hot-swap pass began inside another")
        // Emptied only when not empty: `removeAll` is an outlined call.
        while let g = heldList.popLast() { held[g] = false }
        live = 0
        for k in waitingGroups.indices {
            let g = waitingGroups[k]
            addHead(queues[Int(g)].first!, group: g)
        }
        nextIndex = -1
        inPass = true
    }

    /// Ends the pass.
    mutating func endPass() { inPass = false }

    /// The server to try next in this pass: the oldest whose GPUs no earlier server holds.
    mutating func next() -> Int? {
        nextIndex = -1
        var stamp = Int64.max
        heads.withUnsafeBufferPointer { h in
            for k in 0..<live where h[k].entry.stamp < stamp {
                stamp = h[k].entry.stamp
                nextIndex = k
            }
        }
        return nextIndex < 0 ? nil : Int(heads[nextIndex].entry.server)
    }

    /// The server ``next()`` named could not start: it holds its GPUs for the rest of the pass.
    /// Returns how many GPUs were not held before.
    mutating func hold(_ range: Range<Int>) -> Int {
        var newly = 0
        for g in range where !held[g] {
            held[g] = true
            heldList.append(g)
            newly += 1
        }
        let group = Int(heads[nextIndex].group)
        precondition(gpus[group] == range, "hold: not the GPUs of the server next() named")
        removeHead(at: nextIndex)
        if !isolated[group] {
            var k = 0
            while k < live {
                if gpus[Int(heads[k].group)].overlaps(range) { removeHead(at: k) } else { k += 1 }
            }
        }
        return newly
    }

    /// Removes `server`, the head of its queue (what ``next()`` named), as it starts.
    mutating func removeHead(_ server: Int) {
        let g = Int(groupOf[server])
        let head = queues[g].popFirst()
        precondition(head.map { Int($0.server) } == server, "server \(server) left the wait list out of order")
        count -= 1
        // Its candidate in this pass: usually where next() found it.
        var k: Int? = nil
        if inPass {
            if nextIndex >= 0 && nextIndex < live && Int(heads[nextIndex].group) == g {
                k = nextIndex
            } else {
                k = (0..<live).first { Int(heads[$0].group) == g }
            }
        }
        if let h = queues[g].first {
            if let k { heads[k].entry = h }
        } else {
            if let k { removeHead(at: k) }
            if let w = waitingGroups.indices.first(where: { waitingGroups[$0] == Int32(g) }) {
                waitingGroups[w] = waitingGroups[waitingGroups.count - 1]
                waitingGroups.removeLast()
            }
        }
        nextIndex = -1
    }

    /// Adds a candidate to the pass.
    private mutating func addHead(_ entry: Entry, group: Int32) {
        if live < heads.count { heads[live] = (entry, group) } else { heads.append((entry, group)) }
        live += 1
    }

    /// Drops candidate `k` of the pass (the heads are in no order: the last takes its place).
    private mutating func removeHead(at k: Int) {
        live -= 1
        heads[k] = heads[live]
    }

    /// The waiting servers in the order they asked.
    var servers: [Int] {
        queues.indices.flatMap { queues[$0].elements }.sorted { $0.stamp < $1.stamp }.map { Int($0.server) }
    }
}
