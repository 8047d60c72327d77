/// Each model's traffic in a trace: how much, how large, and how its requests are spaced.
/// What the planner reads to size replicas and propose tiers.
public struct TrafficProfile: Sendable {
    /// One model's traffic.
    public struct Model: Sendable {
        public var requests = 0
        /// Requests per second over the trace's span.
        public var rate = 0.0
        public var meanInput = 0.0
        public var meanOutput = 0.0
        /// The gaps between its consecutive requests, ascending (nanoseconds).
        var gaps: [Int64] = []

        /// Its requests that came after a gap longer than `t` (and its first): those that find
        /// it gone if it leaves after `t` idle. (Idle counts from the previous arrival, a
        /// lower bound on the time idle.)
        public func requestsAfterGap(longerThan t: SimDuration) -> Int {
            guard requests > 0 else { return 0 }
            // Gaps are sorted: the count above t by binary search.
            var lo = 0
            var hi = gaps.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if gaps[mid] > t.nanoseconds { hi = mid } else { lo = mid + 1 }
            }
            return 1 + gaps.count - lo
        }
    }

    public var models: [Model]
    /// All requests.
    public var requests: Int
    /// From the first arrival to the last.
    public var span: SimDuration

    /// The profile of `requests` over `models` models.
    public init(_ requests: [TraceRequest], models count: Int) {
        var models = [Model](repeating: Model(), count: count)
        var last = [SimInstant?](repeating: nil, count: count)
        var input = [Double](repeating: 0, count: count)
        var output = [Double](repeating: 0, count: count)
        for r in requests {
            models[r.model].requests += 1
            input[r.model] += Double(r.inputTokens)
            output[r.model] += Double(r.outputTokens)
            if let l = last[r.model] { models[r.model].gaps.append((r.arrival - l).nanoseconds) }
            last[r.model] = r.arrival
        }
        let span = requests.isEmpty ? SimDuration.zero : requests[requests.count - 1].arrival - requests[0].arrival
        let seconds = max(span.seconds, 1)
        for m in models.indices {
            models[m].gaps.sort()
            let n = Double(max(1, models[m].requests))
            models[m].meanInput = input[m] / n
            models[m].meanOutput = output[m] / n
            models[m].rate = Double(models[m].requests) / seconds
        }
        self.models = models
        self.requests = requests.count
        self.span = span
    }
}
