import SwapSimCore

/// The declared limits on traces, with the words errors name them in.
///
/// Work and memory grow linearly up to each limit; past it, the command refuses up front with
/// an error naming the flag or key and the limit, instead of running on for hours.
public enum TraceLimits {
    /// The most requests one generated or replayed trace may hold: `trace generate` refuses a
    /// rate × duration above it, and a ServeGen replay a span whose expected requests (every
    /// window's rate × `--servegen-rate-scale` × its time in the span) exceed it. A billion
    /// requests take about a quarter of an hour to write or simulate per strategy.
    public static let maxRequests = 1_000_000_000

    /// ``maxRequests`` as errors write it.
    public static let maxRequestsText = "1e9 requests"

    /// The most rows `--sort` holds in memory (40 bytes each: about 4 GB).
    public static let maxSortedRows = 100_000_000

    /// ``maxSortedRows`` as errors write it.
    public static let maxSortedRowsText = "1e8 rows"

    /// The latest arrival a trace may have, from its start: the core's limit,
    /// ``SwapSimCore/SimInstant/latestArrival``.
    public static var latestArrival: SimInstant { SimInstant.latestArrival }

    /// ``latestArrival`` in words: "100 years (3155760000 s)".
    public static var latestArrivalText: String { SimInstant.latestArrivalDescription }
}

extension String {
    /// Decimal text without a fraction of zeros: "8640000.000000" becomes "8640000".
    var trimmingZeroFraction: String {
        guard let dot = firstIndex(of: "."), self[index(after: dot)...].allSatisfy({ $0 == "0" }) else { return self }
        return String(self[..<dot])
    }
}
