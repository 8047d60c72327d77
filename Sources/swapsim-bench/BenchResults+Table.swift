/// The tables printed per workload.
enum BenchTable {
    /// Columns right-aligned except the first, two spaces apart.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, v in
                let pad = String(repeating: " ", count: widths[c] - v.count)
                return c == 0 ? v + pad : pad + v
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    static func number(_ v: Double, decimals: Int = 0) -> String {
        guard v.isFinite else { return "-" }
        let factor = decimals == 0 ? 1.0 : (1...decimals).reduce(1.0) { r, _ in r * 10 }
        let rounded = (v * factor).rounded() / factor
        let whole = Int64(rounded.magnitude.rounded(.down))
        var digits = String(whole)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        var out = (rounded < 0 ? "-" : "") + groups.joined(separator: ",")
        if decimals > 0 {
            let frac = Int64(((rounded.magnitude - Double(whole)) * factor).rounded())
            let f = String(frac)
            out += "." + String(repeating: "0", count: max(0, decimals - f.count)) + f
        }
        return out
    }

    static func mebibytes(_ bytes: Int64) -> String { number(Double(bytes) / 1_048_576, decimals: 1) }

    /// strategy, requests, wall s, CPU s (both threads), requests/s, events/s, peak RSS; W2 adds RSS beyond the percentiles.
    /// W4 adds the swap-ins and their share of the requests.
    static func simulation(_ w: SimulationWorkload, withPercentiles: Bool, withSwapIns: Bool = false) -> String {
        var header = ["strategy", "requests", "wall s", "cpu s", "requests/s", "events/s", "peak RSS MiB"]
        if withPercentiles { header += ["percentiles MiB", "RSS - percentiles MiB"] }
        if withSwapIns { header += ["swap-ins", "swap-ins/request"] }
        let rounds = w.rounds
        if rounds > 1 { header += ["rounds' requests/s"] }
        let rows = w.runs.map { r -> [String] in
            switch r.outcome {
            case let .success(m):
                var row = [r.strategy.rawValue, number(Double(m.requests)), number(m.wallSeconds, decimals: 2),
                           m.cpuSeconds.map { number($0, decimals: 2) } ?? "-", number(m.requestsPerSecond), m.eventsPerSecond.map { number($0) } ?? "-", mebibytes(m.peakRSSBytes)]
                if withPercentiles { row += [m.percentileBytes.map(mebibytes) ?? "-", m.residentBeyondPercentiles.map(mebibytes) ?? "-"] }
                if withSwapIns { row += [m.swapIns.map { number(Double($0)) } ?? "-", m.swapInsPerRequest.map { number($0, decimals: 3) } ?? "-"] }
                if rounds > 1 { row += [r.roundRates.min().map { "\(number($0))-\(number(r.roundRates.max()!))" } ?? "-"] }
                return row
            case let .failure(e):
                return [r.strategy.rawValue, "failed: \(e.description)"] + Array(repeating: "", count: header.count - 2)
            }
        }
        let median = rounds > 1 ? " (each strategy's median of \(rounds) rounds)" : ""
        return "\(w.name): \(w.summary)\(median)\n" + render(header, rows)
    }

    static func plan(_ w: PlanWorkload) -> String {
        let title = "W3: \(w.summary)\n"
        switch w.outcome {
        case let .success((m, f)):
            let evaluations = Double(f["evaluations"] ?? "") ?? 0
            let simulated = evaluations * Double(m.requests)
            return title + render(
                ["plan", "requests", "chains", "configurations", "threads", "wall s", "simulated requests/s", "peak RSS MiB"],
                [["all strategies", number(Double(m.requests)), f["chains"] ?? "-", f["configurations"] ?? "-", String(w.threads),
                  number(m.wallSeconds, decimals: 2), number(simulated / max(m.wallSeconds, 1e-9)), mebibytes(m.peakRSSBytes)]])
                + "cheapest per strategy: \(f["cheapest"] ?? "-")\n"
        case let .failure(e):
            return title + "failed: \(e.description)\n"
        }
    }

    static func reader(_ w: ReaderWorkload) -> String {
        let rows = [("native CSV rows", w.rows), ("TraceInput requests", w.requests)].map { name, o -> [String] in
            switch o {
            case let .success(m):
                return [name, number(Double(m.requests)), number(Double(w.trace.bytes) / 1e6, decimals: 1), number(m.wallSeconds, decimals: 2),
                        number(Double(w.trace.bytes) / 1e6 / max(m.wallSeconds, 1e-9), decimals: 1), number(m.requestsPerSecond), mebibytes(m.peakRSSBytes)]
            case let .failure(e):
                return [name, "failed: \(e.description)", "", "", "", "", ""]
            }
        }
        return "reader: the W2 file on one core\n"
            + render(["reader", "rows", "MB", "wall s", "MB/s", "rows/s", "peak RSS MiB"], rows)
    }

    static func scaling(_ w: ScalingWorkload) -> String {
        var rows: [[String]] = []
        for r in w.runs {
            for (t, o) in zip(w.traces, r.outcomes) {
                switch o {
                case let .success(m):
                    rows.append([r.strategy.rawValue, t.label, number(Double(m.requests)), number(m.wallSeconds, decimals: 2),
                                 number(m.requestsPerSecond), number(m.nanosecondsPerRequest), mebibytes(m.peakRSSBytes),
                                 m.residentBeyondPercentiles.map(mebibytes) ?? "-"])
                case let .failure(e):
                    rows.append([r.strategy.rawValue, t.label, "failed: \(e.description)", "", "", "", "", ""])
                }
            }
        }
        return "scaling: wall time against requests (linear when ns/request stays flat)\n"
            + render(["strategy", "size", "requests", "wall s", "requests/s", "ns/request", "peak RSS MiB", "RSS - percentiles MiB"], rows)
    }

    static func modelScaling(_ w: ModelScalingWorkload) -> String {
        var rows: [[String]] = []
        for r in w.runs {
            for (t, o) in zip(w.traces, r.outcomes) {
                switch o.outcome {
                case let .success(m):
                    var row = [r.strategy.rawValue, number(Double(t.models)), number(Double(m.requests)), number(m.wallSeconds, decimals: 2),
                               number(m.requestsPerSecond), number(m.nanosecondsPerRequest), m.swapIns.map { number(Double($0)) } ?? "-",
                               mebibytes(m.peakRSSBytes)]
                    if w.rounds > 1 {
                        let ns = o.roundRates.map { 1e9 / $0 }
                        row.append(ns.isEmpty ? "-" : "\(number(ns.min()!))-\(number(ns.max()!))")
                    }
                    rows.append(row)
                case let .failure(e):
                    rows.append([r.strategy.rawValue, number(Double(t.models)), "failed: \(e.description)", "", "", "", "", ""] + (w.rounds > 1 ? [""] : []))
                }
            }
        }
        var header = ["strategy", "models", "requests", "wall s", "requests/s", "ns/request", "swap-ins", "peak RSS MiB"]
        if w.rounds > 1 { header.append("rounds' ns/request") }
        let median = w.rounds > 1 ? ", each the median of \(w.rounds) rounds" : ""
        return "scaling by models: W1's day over the first \(w.traces.map { String($0.models) }.joined(separator: ", ")) models of W4's scenario (flat when ns/request stays within 2x\(median))\n"
            + render(header, rows)
    }
}
