import SwapSimCore

extension RunListing {
    /// `swapsim runs list` as a table: one line per run, oldest first.
    public static func table(_ runs: [RunListing]) -> String {
        guard !runs.isEmpty else { return "No runs stored.\n" }
        let header = ["id", "stored (UTC)", "scenario", "trace", "seed", "requests", "strategies", "cheapest meeting SLO"]
        // Names from the store are made safe before the widths are measured, so columns line up.
        let rows = runs.map { r in
            [
                String(r.id), r.createdAt, r.scenario, r.trace, String(r.seed), String(r.requests),
                r.strategies.joined(separator: ","), r.cheapestMeetingSLO ?? "none",
            ].map { TerminalText.safe($0) }
        }
        var widths = header.map(\.count)
        for row in rows { for (i, v) in row.enumerated() { widths[i] = max(widths[i], v.count) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                out += (i == 0 || i == 4 || i == 5 ? pad + c : c + pad) + (i + 1 < cells.count ? "  " : "")
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    /// `swapsim runs list --format json`, schema `swapsim.runs/1`.
    public static func json(_ runs: [RunListing]) -> String {
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.runs/1")
        w.open("runs", array: true)
        for r in runs {
            w.open()
            w.int("id", r.id)
            w.string("uid", r.uid)
            w.string("created_at", r.createdAt)
            w.string("scenario", r.scenario)
            w.string("scenario_sha256", r.scenarioHash)
            w.string("trace", r.trace)
            w.string("trace_sha256", r.traceHash)
            w.uint("seed", r.seed)
            w.int("requests", r.requests)
            w.string("tool_version", r.toolVersion)
            w.open("strategies", array: true)
            for s in r.strategies { w.string(nil, s) }
            w.close(array: true)
            if let c = r.cheapestMeetingSLO { w.string("cheapest_meeting_slo", c) }
            w.bool("stored_requests", r.storedRequests)
            w.close()
        }
        w.close(array: true)
        w.close()
        return w.text + "\n"
    }
}
