/// Generates a synthetic request stream: arrival times from an ``ArrivalProcess`` (optionally
/// with a ``DiurnalModulation``), a model per request, and prompt and output lengths from
/// ``TokenDistribution``s.
///
/// Models are assigned in one of two ways (``Traffic``): one process for all models, each
/// arrival's model drawn by popularity weights (Zipf, or explicit); or one process per model,
/// with its own rate, the processes merged in time order.
///
/// Every draw comes from named seeded streams, so a seed gives the same requests:
/// - `arrivals` (per-model traffic: `arrivals.K` for model index K), with the sub-streams of
///   ``ArrivalTimes``;
/// - `models`: the model of each arrival, by inverse CDF of the normalised cumulative weights;
/// - `tokens`: the prompt length, then the output length, of each request in arrival order.
///
/// Arrival times are rounded to the microsecond; requests at the same microsecond come in
/// model-index order under per-model traffic. The stream ends at the first arrival at or after
/// ``Parameters/duration``.
public struct TraceGenerator: RequestSource {
    /// How requests are spread over the models.
    public enum Traffic: Hashable, Sendable {
        /// One process for all requests; model k is drawn with probability weights[k] / Σ weights.
        case shared(ArrivalProcess, weights: [Double])
        /// Model k's requests come from its own process `processes[k]`.
        case perModel([ArrivalProcess])

        /// Model k (0-based) has weight 1/(k+1)^exponent: Zipf popularity over `models` models.
        public static func zipfWeights(models: Int, exponent: Double) -> [Double] {
            (0..<models).map { 1 / MathFunctions.pow(Double($0 + 1), exponent) }
        }

        /// The number of models.
        public var models: Int {
            switch self {
            case let .shared(_, weights): return weights.count
            case let .perModel(processes): return processes.count
            }
        }
    }

    /// What to generate.
    public struct Parameters: Hashable, Sendable {
        public var traffic: Traffic
        /// Applied to every arrival process, or nil.
        public var diurnal: DiurnalModulation?
        /// Length of the trace: arrivals are in [0, duration).
        public var duration: SimDuration
        public var inputTokens: TokenDistribution
        public var outputTokens: TokenDistribution
        /// Token lengths are clamped to [1, maxTokens].
        public var maxTokens: Int32

        public init(
            traffic: Traffic, diurnal: DiurnalModulation? = nil, duration: SimDuration, inputTokens: TokenDistribution,
            outputTokens: TokenDistribution, maxTokens: Int32 = 32768
        ) {
            self.traffic = traffic
            self.diurnal = diurnal
            self.duration = duration
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.maxTokens = maxTokens
        }

        /// Poisson arrivals at `rate` per second over `models` models with Zipf popularity, and
        /// lognormal token lengths with the given means and log-space sigmas.
        public init(
            rate: Double, duration: SimDuration, models: Int, zipf: Double = 1.0, inputMean: Double = 1000,
            inputSigma: Double = 1.0, outputMean: Double = 250, outputSigma: Double = 1.0, maxTokens: Int32 = 32768
        ) {
            self.init(
                traffic: .shared(.poisson(rate: rate), weights: Traffic.zipfWeights(models: models, exponent: zipf)),
                duration: duration, inputTokens: .lognormal(mean: inputMean, sigma: inputSigma),
                outputTokens: .lognormal(mean: outputMean, sigma: outputSigma), maxTokens: maxTokens)
        }

        /// Why the parameters cannot generate a trace, or nil if they can.
        public var invalidReason: String? {
            switch traffic {
            case let .shared(process, weights):
                if weights.isEmpty { return "there must be at least one model" }
                if !weights.allSatisfy({ $0 >= 0 && $0.isFinite }) { return "model weights must be finite and not negative" }
                if !weights.contains(where: { $0 > 0 }) { return "at least one model weight must be positive" }
                if let r = process.invalidReason { return r }
            case let .perModel(processes):
                if processes.isEmpty { return "there must be at least one model" }
                if let r = processes.lazy.compactMap(\.invalidReason).first { return r }
            }
            if let r = diurnal?.invalidReason { return r }
            if duration.nanoseconds < 0 { return "the duration must not be negative" }
            if maxTokens < 1 { return "the token limit must be at least 1" }
            return nil
        }
    }

    public let parameters: Parameters
    /// One arrival process (shared traffic) or one per model.
    private var sources: [ArrivalTimes]
    /// Each source's next arrival in nanoseconds (rounded to the microsecond), Int64.max when done.
    private var pending: [Int64]
    /// Normalised cumulative popularity (shared traffic), last element 1.
    private let cumulative: [Double]
    private var modelStream: RandomStream
    private var tokens: RandomStream

    public init(_ p: Parameters, seed: UInt64) {
        precondition(p.invalidReason == nil, p.invalidReason ?? "")
        parameters = p
        switch p.traffic {
        case let .shared(process, weights):
            sources = [ArrivalTimes(process, diurnal: p.diurnal, seed: seed, stream: "arrivals")]
            var running: [Double] = []
            var total = 0.0
            for w in weights {
                total += w
                running.append(total)
            }
            cumulative = running.map { $0 / total }
        case let .perModel(processes):
            sources = processes.indices.map { ArrivalTimes(processes[$0], diurnal: p.diurnal, seed: seed, stream: "arrivals.\($0)") }
            cumulative = []
        }
        modelStream = RandomStream(seed: seed, stream: "models")
        tokens = RandomStream(seed: seed, stream: "tokens")
        pending = []
        for k in sources.indices { pending.append(Self.nanoseconds(sources[k].next())) }
    }

    /// `seconds` rounded to the microsecond, in nanoseconds; Int64.max past any usable trace.
    private static func nanoseconds(_ seconds: Double) -> Int64 {
        guard seconds < 9e9 else { return .max }  // also +∞; Int64 nanoseconds hold 9.2e9 s
        return Int64((seconds * 1e6).rounded()) * 1000
    }

    /// The next request, or nil once arrivals reach the duration.
    ///
    /// - Complexity: O(log models) for shared traffic, O(models) for per-model traffic.
    public mutating func next() -> TraceRequest? {
        // The earliest pending arrival; the lowest index wins a tie.
        var k = 0
        for i in pending.indices.dropFirst() where pending[i] < pending[k] { k = i }
        let ns = pending[k]
        guard ns < parameters.duration.nanoseconds else { return nil }
        pending[k] = Self.nanoseconds(sources[k].next())
        let model = cumulative.isEmpty ? k : modelStream.index(cumulative: cumulative)
        let input = parameters.inputTokens.sample(&tokens, maxTokens: parameters.maxTokens)
        let output = parameters.outputTokens.sample(&tokens, maxTokens: parameters.maxTokens)
        return TraceRequest(arrival: SimInstant(nanoseconds: ns), model: model, inputTokens: input, outputTokens: output)
    }
}
