import SwapSimCore

/// The native trace formats swapsim writes: CSV and JSONL with the keys
/// `arrival_s, model, input_tokens, output_tokens`.
public enum NativeTraceFormat: String, CaseIterable, Sendable {
    case csv, jsonl
}

/// Writes requests in a native format, one line each.
public enum NativeTraceWriter {
    /// The first line of the file (the CSV header), or nil for JSONL.
    public static func header(_ format: NativeTraceFormat) -> String? {
        format == .csv ? "arrival_s,model,input_tokens,output_tokens" : nil
    }

    /// One line for `r` (without its newline).
    public static func line(_ r: TraceRequest, modelName: String, format: NativeTraceFormat) -> String {
        switch format {
        case .csv:
            let name = modelName.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + modelName.replacingAll("\"", with: "\"\"") + "\"" : modelName
            return "\(seconds(r.arrival.nanoseconds)),\(name),\(r.inputTokens),\(r.outputTokens)"
        case .jsonl:
            return "{\"arrival_s\":\(seconds(r.arrival.nanoseconds)),\"model\":\(JSONWriter.quote(modelName)),\"input_tokens\":\(r.inputTokens),\"output_tokens\":\(r.outputTokens)}"
        }
    }

    /// Exact decimal seconds of `ns`, with at least six decimals.
    public static func seconds(_ ns: Int64) -> String {
        let m = ns.magnitude  // Int64.min has no positive Int64
        var frac = String(m % 1_000_000_000)
        while frac.count < 9 { frac = "0" + frac }
        while frac.count > 6 && frac.hasSuffix("0") { frac.removeLast() }
        return "\(ns < 0 ? "-" : "")\(m / 1_000_000_000).\(frac)"
    }
}
