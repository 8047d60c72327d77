import Foundation
import SwapSimCore

/// The trace formats swapsim reads.
public enum TraceFormat: String, CaseIterable, Sendable {
    /// Detect native CSV/JSONL, the Azure LLM trace and ServeGen folders; otherwise say which flags are needed.
    case auto
    /// Native CSV or JSONL (`arrival_s, model, input_tokens, output_tokens`), told apart by content.
    case native
    /// The Azure LLM inference trace 2023 (`TIMESTAMP,ContextTokens,GeneratedTokens`).
    case azureLLM = "azure-llm"
    /// ServeGen per-client window statistics, replayed into arrivals.
    case servegen
    /// Any CSV with a header, read through `--map`.
    case csv
    /// Any JSON Lines file, read through `--map`.
    case jsonl
}

/// Which column (or JSON key) holds each field of a request, and the arrival's unit.
public struct ColumnMapping: Sendable, Equatable {
    public var arrival: String
    public var arrivalUnit: ArrivalUnit
    public var model: String?
    public var input: String?
    public var output: String?

    /// How a trace writes its arrival times: seconds, milliseconds, microseconds or nanoseconds
    /// (relative or since the epoch), or wall-clock `YYYY-MM-DD HH:MM:SS[.fraction]`.
    public enum ArrivalUnit: String, CaseIterable, Sendable {
        case s, ms, us, ns, datetime
        var parserUnit: ArrivalParser.Unit { ArrivalParser.Unit(rawValue: rawValue)! }
    }

    public init(arrival: String, arrivalUnit: ArrivalUnit, model: String?, input: String?, output: String?) {
        self.arrival = arrival
        self.arrivalUnit = arrivalUnit
        self.model = model
        self.input = input
        self.output = output
    }

    /// The native formats' columns.
    public static let native = ColumnMapping(arrival: "arrival_s", arrivalUnit: .s, model: "model", input: "input_tokens", output: "output_tokens")
    /// The Azure LLM inference trace's columns (no model column).
    public static let azureLLM = ColumnMapping(arrival: "TIMESTAMP", arrivalUnit: .datetime, model: nil, input: "ContextTokens", output: "GeneratedTokens")

    /// A mapping from `--map KEY=COLUMN[:UNIT]` flags; keys `arrival` (required), `model`,
    /// `input`, `output`; a unit only on `arrival` (default `s`).
    public static func parse(_ maps: [String]) throws(TraceError) -> ColumnMapping {
        var arrival: (String, ArrivalUnit)? = nil
        var fields: [String: String] = [:]
        for m in maps {
            guard let eq = m.firstIndex(of: "=") else {
                throw .badMapping(mapping: m, reason: "expected KEY=COLUMN[:UNIT] with KEY one of arrival, model, input, output")
            }
            let key = String(m[..<eq])
            var column = String(m[m.index(after: eq)...])
            guard ["arrival", "model", "input", "output"].contains(key) else {
                throw .badMapping(mapping: m, reason: "unknown key '\(key)' (keys: arrival, model, input, output)")
            }
            guard fields[key] == nil && !(key == "arrival" && arrival != nil) else {
                throw .badMapping(mapping: m, reason: "'\(key)' is mapped twice")
            }
            if key == "arrival" {
                var unit = ArrivalUnit.s
                if let colon = column.lastIndex(of: ":"), let u = ArrivalUnit(rawValue: String(column[column.index(after: colon)...])) {
                    unit = u
                    column = String(column[..<colon])
                } else if let colon = column.lastIndex(of: ":") {
                    throw .badMapping(
                        mapping: m,
                        reason: "unknown arrival unit '\(column[column.index(after: colon)...])' (units: \(ArrivalUnit.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard !column.isEmpty else { throw .badMapping(mapping: m, reason: "no column named") }
                arrival = (column, unit)
            } else {
                guard !column.isEmpty else { throw .badMapping(mapping: m, reason: "no column named") }
                guard !column.contains(":") else {
                    throw .badMapping(mapping: m, reason: "only arrival takes a unit; give the column name alone")
                }
                fields[key] = column
            }
        }
        guard let (a, u) = arrival else {
            throw .badMapping(mapping: maps.joined(separator: " "), reason: "--map arrival=COLUMN[:UNIT] is required")
        }
        return ColumnMapping(arrival: a, arrivalUnit: u, model: fields["model"], input: fields["input"], output: fields["output"])
    }
}
