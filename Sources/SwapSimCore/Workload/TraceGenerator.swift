/// Generates synthetic request streams: Poisson arrivals, Zipf model popularity, lognormal
/// token lengths. Every draw comes from named seeded streams, so a seed gives the same trace.
public struct TraceGenerator: RequestSource {
    /// What to generate.
    public struct Parameters: Sendable {
        /// Mean arrivals per second over all models.
        public var rate: Double
        /// Length of the trace.
        public var duration: SimDuration
        /// Number of models; model k (0-based) has popularity ∝ 1/(k+1)^zipf.
        public var models: Int
        /// Zipf exponent (0 = uniform).
        public var zipf: Double
        /// Mean and log-space sigma of prompt lengths.
        public var inputMean: Double
        public var inputSigma: Double
        /// Mean and log-space sigma of output lengths.
        public var outputMean: Double
        public var outputSigma: Double
        /// Token lengths are clamped to this.
        public var maxTokens: Int32

        public init(
            rate: Double, duration: SimDuration, models: Int, zipf: Double = 1.0, inputMean: Double = 1000,
            inputSigma: Double = 1.0, outputMean: Double = 250, outputSigma: Double = 1.0, maxTokens: Int32 = 32768
        ) {
            self.rate = rate
            self.duration = duration
            self.models = models
            self.zipf = zipf
            self.inputMean = inputMean
            self.inputSigma = inputSigma
            self.outputMean = outputMean
            self.outputSigma = outputSigma
            self.maxTokens = maxTokens
        }
    }

    public let parameters: Parameters
    private var arrivals: RandomStream
    private var modelStream: RandomStream
    private var tokens: RandomStream
    private var clock: Double = 0
    private let cumulative: [Double]

    public init(_ p: Parameters, seed: UInt64) {
        parameters = p
        arrivals = RandomStream(seed: seed, stream: "arrivals")
        modelStream = RandomStream(seed: seed, stream: "models")
        tokens = RandomStream(seed: seed, stream: "tokens")
        var c: [Double] = []
        var total = 0.0
        for k in 0..<p.models {
            total += 1 / MathFunctions.pow(Double(k + 1), p.zipf)
            c.append(total)
        }
        cumulative = c.map { $0 / total }
    }

    /// A model index by inverse CDF of the Zipf weights.
    private mutating func drawModel() -> Int {
        let u = modelStream.nextUnit()
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    private mutating func drawTokens(mean: Double, sigma: Double) -> Int32 {
        // A lognormal with the given mean: mu = ln(mean) − sigma²/2.
        let mu = MathFunctions.log(mean) - sigma * sigma / 2
        let v = tokens.lognormal(mu: mu, sigma: sigma).rounded()
        return Int32(min(Double(parameters.maxTokens), max(1, v)))
    }

    /// The next request; arrivals are rounded to the microsecond.
    public mutating func next() -> TraceRequest? {
        clock += arrivals.exponential(mean: 1 / parameters.rate)
        let ns = Int64((clock * 1e6).rounded()) * 1000
        guard ns < parameters.duration.nanoseconds else { return nil }
        let model = drawModel()
        let input = drawTokens(mean: parameters.inputMean, sigma: parameters.inputSigma)
        let output = drawTokens(mean: parameters.outputMean, sigma: parameters.outputSigma)
        return TraceRequest(arrival: SimInstant(nanoseconds: ns), model: model, inputTokens: input, outputTokens: output)
    }
}
