/// What happened to one request: kept per request only when asked (`--store-requests`).
public struct RequestOutcome: Hashable, Sendable {
    public var arrival: SimInstant
    /// Index of the model in the scenario.
    public var model: Int
    public var inputTokens: Int32
    public var outputTokens: Int32
    /// Time to first token; nil when the request was rejected.
    public var ttft: SimDuration?
    /// Arrival to last token; nil when the request was rejected.
    public var e2e: SimDuration?
    /// What it waited for before its replica was ready.
    public var cause: WaitCause

    public init(arrival: SimInstant, model: Int, inputTokens: Int32, outputTokens: Int32, ttft: SimDuration?, e2e: SimDuration?, cause: WaitCause) {
        self.arrival = arrival
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.ttft = ttft
        self.e2e = e2e
        self.cause = cause
    }
}
