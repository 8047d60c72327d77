/// One request of a trace, resolved against a scenario's models.
public struct TraceRequest: Hashable, Sendable {
    /// When the request arrives.
    public var arrival: SimInstant
    /// Index into the scenario's models.
    public var model: Int
    public var inputTokens: Int32
    public var outputTokens: Int32
    /// The prompt's shared prefix, for prefix caching: an identifier (negative: none; requests
    /// with the same one share it) and its length in tokens.
    public var prefixID: Int64 = -1
    public var prefixTokens: Int32 = 0

    public init(arrival: SimInstant, model: Int, inputTokens: Int32, outputTokens: Int32, prefixID: Int64 = -1, prefixTokens: Int32 = 0) {
        self.arrival = arrival
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.prefixID = prefixID
        self.prefixTokens = prefixTokens
    }
}

/// A stream of requests in arrival order, read one at a time so traces never sit in memory.
///
/// Sources check their own input (sorted arrivals, known models, positive token counts) and
/// throw an error that names the offending row.
public protocol RequestSource {
    /// The next request, or nil at the end of the trace.
    mutating func next() throws -> TraceRequest?
}

/// A request source over an array, for tests and generated workloads.
public struct ArrayRequestSource: RequestSource {
    private var requests: [TraceRequest]
    private var index = 0
    public init(_ requests: [TraceRequest]) { self.requests = requests }
    public mutating func next() -> TraceRequest? {
        guard index < requests.count else { return nil }
        defer { index += 1 }
        return requests[index]
    }
}
