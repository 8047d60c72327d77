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
        var b = Builder(models: count)
        for r in requests { b.add(r) }
        self = b.profile()
    }

    /// Builds a profile one request at a time, so a trace too long to hold is profiled as it
    /// streams past. It keeps a gap per request (8 bytes), none of the requests.
    public struct Builder: Sendable {
        private var models: [Model]
        private var last: [SimInstant?]
        private var input: [Double]
        private var output: [Double]
        private var first: SimInstant?
        private var latest = SimInstant.zero
        private var count = 0

        public init(models count: Int) {
            models = [Model](repeating: Model(), count: count)
            last = [SimInstant?](repeating: nil, count: count)
            input = [Double](repeating: 0, count: count)
            output = [Double](repeating: 0, count: count)
        }

        /// Requests added so far.
        public var requests: Int { count }

        /// Adds the next request (in arrival order).
        public mutating func add(_ r: TraceRequest) {
            models[r.model].requests += 1
            input[r.model] += Double(r.inputTokens)
            output[r.model] += Double(r.outputTokens)
            if let l = last[r.model] { models[r.model].gaps.append((r.arrival - l).nanoseconds) }
            last[r.model] = r.arrival
            if first == nil { first = r.arrival }
            latest = r.arrival
            count += 1
        }

        /// The profile of the requests added so far.
        public func profile() -> TrafficProfile {
            var models = models
            let span = first.map { latest - $0 } ?? .zero
            let seconds = max(span.seconds, 1)
            for m in models.indices {
                models[m].gaps.sort()
                let n = Double(max(1, models[m].requests))
                models[m].meanInput = input[m] / n
                models[m].meanOutput = output[m] / n
                models[m].rate = Double(models[m].requests) / seconds
            }
            return TrafficProfile(models: models, requests: count, span: span)
        }
    }

    private init(models: [Model], requests: Int, span: SimDuration) {
        self.models = models
        self.requests = requests
        self.span = span
    }
}
