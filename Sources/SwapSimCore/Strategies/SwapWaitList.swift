/// Servers waiting for a swap-in, in the order they asked, kept in one queue per group of GPUs.
///
/// Hot-swap serves its waiting servers in the order they asked, skipping a server when a GPU
/// it needs is held by an earlier one that could not start. Walking one list did that at
/// O(waiting) a pass, nearly all of it stepping over servers stuck behind a held GPU: a
/// thousand models on sixteen GPUs spent a fifth of their time there at the day's peak.
/// Here servers that need the same GPUs share a queue, each entry stamped with its place in
/// the order, and the next server to try is the oldest head among the queues whose GPUs are
/// free: the same servers, tried in the same order, at O(groups with waiting servers) a try.
///
/// A server leaves only from the head of its queue: any earlier one of its queue either left
/// or could not start, and then held these GPUs, so the pass never reaches it.
struct SwapWaitList {
    struct Entry {
        var stamp: Int64
        var server: Int32
    }

    /// Per group, its waiting servers, oldest first, and the GPUs they need.
    private var queues: [FIFOQueue<Entry>] = []
    private var gpus: [Range<Int>] = []
    /// Per server, its group (−1: not a server of this list).
    private var groupOf: [Int32] = []
    /// The groups with waiting servers, in no order.
    private var waitingGroups: [Int32] = []
    private var nextStamp: Int64 = 0
    /// How many servers wait.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    init() {}

    /// A list over `servers`, those of equal `home` ranges sharing a queue (a list where every
    /// server has the same range, e.g. empty under dynamic placement, has one queue).
    init(servers: [Int], home: [Range<Int>]) {
        var groupOfRange: [Range<Int>: Int32] = [:]
        groupOf = Array(repeating: -1, count: home.count)
        for r in servers {
            let g = groupOfRange[home[r]] ?? {
                let g = Int32(gpus.count)
                groupOfRange[home[r]] = g
                gpus.append(home[r])
                queues.append(FIFOQueue())
                return g
            }()
            groupOf[r] = g
        }
    }

    /// Puts `server` at the end of the order.
    mutating func append(_ server: Int) {
        let g = Int(groupOf[server])
        precondition(g >= 0, "server \(server) is not on this wait list's servers")
        if queues[g].isEmpty { waitingGroups.append(Int32(g)) }
        queues[g].append(Entry(stamp: nextStamp, server: Int32(server)))
        nextStamp += 1
        count += 1
    }

    /// The server that asked first among the queues whose GPUs `open` accepts, left waiting.
    func next(where open: (Range<Int>) -> Bool) -> Int? {
        var best: Entry? = nil
        for g in waitingGroups {
            let head = queues[Int(g)].first!
            if best == nil || head.stamp < best!.stamp, open(gpus[Int(g)]) { best = head }
        }
        return best.map { Int($0.server) }
    }

    /// Removes `server`, the head of its queue (what ``next(where:)`` returned).
    mutating func removeHead(_ server: Int) {
        let g = Int(groupOf[server])
        let head = queues[g].popFirst()
        precondition(head.map { Int($0.server) } == server, "server \(server) left the wait list out of order")
        count -= 1
        if queues[g].isEmpty, let k = waitingGroups.firstIndex(of: Int32(g)) {
            waitingGroups.swapAt(k, waitingGroups.count - 1)
            waitingGroups.removeLast()
        }
    }

    /// The waiting servers in the order they asked.
    var servers: [Int] {
        queues.flatMap(\.elements).sorted { $0.stamp < $1.stamp }.map { Int($0.server) }
    }
}
