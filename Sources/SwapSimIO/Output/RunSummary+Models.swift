import SwapSimCore

/// The per-model table: how each model fared under each strategy.
extension RunSummary {
    /// The counters strategies declared, in the order first met (each strategy's own order).
    var counterSpecs: [CounterSpec] {
        var specs: [CounterSpec] = []
        for r in results { for c in r.counters where !specs.contains(c.spec) { specs.append(c.spec) } }
        return specs
    }

    /// Rows for the strategies' own counters ("—" where a strategy keeps none).
    func counterRows() -> [Row] {
        counterSpecs.map { spec in
            Row(label: spec.label, values: results.map { r in r.counters.first { $0.spec == spec }.map { "\($0.value)" } ?? "—" })
        }
    }

    /// Writes `r`'s per-model results as the `models` list of the summary JSON.
    static func writeModels(_ r: StrategyResult, to w: inout JSONWriter) {
        w.open("counters")
        for c in r.counters { w.int(c.spec.key, c.value) }
        w.close()
        w.open("models", array: true)
        for m in r.models {
            w.open()
            w.string("name", m.name)
            w.string("tier", m.tier)
            w.int("requests", m.requests)
            w.int("completed", m.completed)
            w.int("rejected", m.rejected)
            w.int("kv_cache_tokens", Int(m.kvCacheTokens))
            w.open("ttft_s")
            w.double("mean", m.ttft.mean); w.double("p50", m.ttft.p50); w.double("p99", m.ttft.p99); w.double("max", m.ttft.max)
            w.close()
            w.open("slo")
            w.double("ttft_target_s", m.ttftTarget.seconds)
            w.double("attainment", m.sloAttainment)
            if let own = m.meetsOwnSLO { w.bool("met", own) }
            w.close()
            w.int("swap_ins", m.swapIns)
            w.int("cold_starts", m.coldStarts)
            w.int("requests_paying_swap_in", m.requestsPayingSwapIn)
            w.int("requests_paying_cold_start", m.requestsPayingColdStart)
            w.double("resident_s", m.residentTime.seconds)
            w.open("counters")
            for (spec, v) in zip(r.counters.map(\.spec), m.counters) { w.int(spec.key, v) }
            w.close()
            if let why = m.missReason { w.string("miss_reason", why.rawValue) }
            w.close()
        }
        w.close(array: true)
    }

    /// The per-model table's header and rows for `r`.
    func modelRows(_ r: StrategyResult) -> (header: [String], rows: [[String]]) {
        var header = ["model", "tier", "requests", "TTFT p50", "TTFT p99", "SLO attainment", "swap-ins", "cold starts", "resident"]
        header += r.counters.map(\.spec.label)
        header.append("late because")
        let horizon = r.horizon.seconds
        let rows = r.models.map { m -> [String] in
            var row = [
                m.name, m.tier, "\(m.requests)", Self.seconds(m.ttft.p50), Self.seconds(m.ttft.p99),
                Self.percent(m.sloAttainment) + (m.meetsOwnSLO.map { $0 ? " (own SLO met)" : " (own SLO missed)" } ?? ""),
                "\(m.swapIns)", "\(m.coldStarts)", horizon > 0 ? Self.percent(m.residentTime.seconds / horizon) : "—",
            ]
            row += m.counters.map { "\($0)" }
            row.append(m.missReason?.rawValue ?? "—")
            return row
        }
        return (header, rows)
    }

    /// Plain-text per-model tables, one per strategy.
    public func perModelTable() -> String {
        var out = ""
        for r in results {
            let (header, rows) = modelRows(r)
            out += "\n\(r.strategy.rawValue), per model:\n"
            var widths = header.map(\.count)
            for row in rows { for (i, v) in row.enumerated() { widths[i] = max(widths[i], v.count) } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                    return i < 2 || i == widths.count - 1 ? c + pad : pad + c
                }.joined(separator: "  ")
            }
            out += line(header) + "\n"
            out += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            for row in rows { out += line(row) + "\n" }
        }
        return out
    }

    /// Markdown per-model tables, one per strategy, every name escaped.
    public func perModelMarkdown() -> String { perModelMarkdown(cell: Markdown.text) }

    func perModelMarkdown(cell: (String) -> String) -> String {
        var out = ""
        for r in results where !r.models.isEmpty {
            let (header, rows) = modelRows(r)
            out += "\n### \(cell(r.strategy.rawValue)), per model\n\n"
            out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + header.indices.map { $0 < 2 || $0 == header.count - 1 ? "---" : "---:" }.joined(separator: "|") + "|\n"
            for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        }
        return out
    }
}
