/// The whole trace read ahead, for strategies that need each model's next request (Belady's
/// bound): the requests in order, and per model its arrival instants with a cursor at the
/// first one not yet arrived.
///
/// Memory grows with the trace (8 bytes per request beyond the requests themselves), which is
/// why only a strategy that declares it needs the future gets it.
struct FutureArrivals {
    private(set) var requests: [TraceRequest] = []
    private var arrivals: [[SimInstant]]
    private var cursor: [Int]

    init(reading source: inout any RequestSource, models: Int) throws {
        arrivals = Array(repeating: [], count: models)
        cursor = Array(repeating: 0, count: models)
        while let r = try source.next() {
            requests.append(r)
            arrivals[r.model].append(r.arrival)
        }
    }

    /// Notes that the next request of model `m` has arrived.
    mutating func arrived(model m: Int) { cursor[m] += 1 }

    /// Model `m`'s next request not yet arrived, if any.
    func next(of m: Int) -> SimInstant? {
        cursor[m] < arrivals[m].count ? arrivals[m][cursor[m]] : nil
    }
}
