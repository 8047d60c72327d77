import SwapSimCore

/// Writes requests as native CSV (`arrival_s,model,input_tokens,output_tokens`).
public enum NativeCSVTraceWriter {
    public static let header = "arrival_s,model,input_tokens,output_tokens"

    /// One CSV line for `r`, with the arrival in seconds to the nanosecond (trailing zeros trimmed to µs).
    public static func line(_ r: TraceRequest, modelName: String) -> String {
        "\(seconds(r.arrival.nanoseconds)),\(modelName),\(r.inputTokens),\(r.outputTokens)"
    }

    /// Exact decimal seconds of `ns`, with at least six decimals.
    public static func seconds(_ ns: Int64) -> String {
        var frac = String(ns % 1_000_000_000)
        while frac.count < 9 { frac = "0" + frac }
        while frac.count > 6 && frac.hasSuffix("0") { frac.removeLast() }
        return "\(ns / 1_000_000_000).\(frac)"
    }
}
