import SwapSimCore

/// The results of one or more strategies over one scenario and trace, ready to render.
public struct RunSummary: Sendable {
    public var scenario: String
    public var trace: String
    public var seed: UInt64
    public var results: [StrategyResult]
    /// Strategies that could not run on the scenario, with the reason.
    public var failures: [(strategy: StrategyKind, reason: String)]
    /// What reading the trace did (format, filled fields, skipped rows), if known.
    public var traceInput: TraceInputReport? = nil

    public init(scenario: String, trace: String, seed: UInt64, results: [StrategyResult], failures: [(strategy: StrategyKind, reason: String)] = []) {
        self.scenario = scenario
        self.trace = trace
        self.seed = seed
        self.results = results
        self.failures = failures
    }

    /// A summary of per-strategy outcomes, splitting runs from strategies that could not run.
    public init(scenario: String, trace: String, seed: UInt64, outcomes: [(StrategyKind, Result<StrategyResult, ScenarioError>)]) {
        var results: [StrategyResult] = []
        var failures: [(strategy: StrategyKind, reason: String)] = []
        for (k, o) in outcomes {
            switch o {
            case let .success(r): results.append(r)
            case let .failure(e): failures.append((k, e.description))
            }
        }
        self.init(scenario: scenario, trace: trace, seed: seed, results: results, failures: failures)
    }

    /// Requests in the trace.
    public var requests: Int { results.first?.requests ?? 0 }

    var failureLines: String {
        failures.map { "\($0.strategy.rawValue) could not run: \($0.reason)\n" }.joined()
    }

    /// The cheapest strategy that meets the SLO, if any does.
    public var cheapestMeetingSLO: StrategyResult? {
        results.filter(\.meetsSLO).min { a, b in a.cost != b.cost ? a.cost < b.cost : a.strategy.rawValue < b.strategy.rawValue }
    }
}

/// The output formats of `simulate` and `compare`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, markdown
}

extension RunSummary {
    /// Renders the summary in `format`. Same summary, same bytes.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        case .markdown: return markdown()
        }
    }

    // MARK: JSON (schema swapsim.summary/1)

    /// The summary JSON, schema `swapsim.summary/1`: fields may be added, never renamed or dropped.
    public func json() -> String {
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.summary/1")
        w.string("scenario", scenario)
        w.string("trace", trace)
        w.uint("seed", seed)
        w.int("requests", requests)
        if let t = traceInput {
            w.open("trace_input")
            w.string("format", t.format)
            w.int("rows", t.rows)
            if let r = t.rebasedFrom { w.int("rebased_from_ns", r) }
            if let m = t.sortedMoved { w.int("sorted_rows_moved", m) }
            w.open("filled", array: true)
            for f in t.filled { w.string(nil, f) }
            w.close(array: true)
            w.open("skipped", array: true)
            for sk in t.skipped {
                w.open()
                w.string("reason", sk.reason)
                w.int("rows", sk.rows)
                w.close()
            }
            w.close(array: true)
            w.close()
        }
        w.open("strategies", array: true)
        for r in results {
            w.open()
            w.string("strategy", r.strategy.rawValue)
            w.int("requests", r.requests)
            w.int("completed", r.completed)
            w.int("rejected", r.rejected)
            w.int("timed_out", r.timedOut)
            w.int("preemptions", r.preemptions)
            w.open("ttft_s")
            w.double("mean", r.ttft.mean); w.double("p50", r.ttft.p50); w.double("p90", r.ttft.p90)
            w.double("p95", r.ttft.p95); w.double("p99", r.ttft.p99); w.double("max", r.ttft.max)
            w.close()
            w.open("tpot_s")
            w.double("mean", r.tpot.mean); w.double("p50", r.tpot.p50); w.double("p99", r.tpot.p99)
            w.close()
            w.open("e2e_s")
            w.double("mean", r.e2e.mean); w.double("p50", r.e2e.p50); w.double("p99", r.e2e.p99)
            w.close()
            w.open("slo")
            w.double("ttft_target_s", r.ttftTarget.seconds)
            w.double("attainment", r.sloAttainment)
            w.double("required_attainment", r.requiredAttainment)
            w.open("ttft_percentile_targets", array: true)
            for p in r.percentileTargets {
                w.open()
                w.double("percentile", p.percentile)
                w.double("target_s", p.target.seconds)
                w.double("achieved_s", p.achieved)
                w.bool("met", p.met)
                w.close()
            }
            w.close(array: true)
            w.bool("met", r.meetsSLO)
            w.close()
            w.int("gpus", r.gpus)
            w.double("gpu_hours", r.gpuHours)
            w.double("cost_usd", r.cost.amount)
            w.double("usd_per_million_output_tokens", r.usdPerMillionOutputTokens)
            w.double("gpu_utilization", r.gpuUtilization)
            w.int("cold_starts", r.coldStarts)
            w.int("swap_ins", r.swapIns)
            w.int("swap_outs", r.swapOuts)
            w.int("evictions", r.evictions)
            w.int("bytes_host_to_gpu", r.bytesHostToGPU)
            w.int("bytes_gpu_to_host", r.bytesGPUToHost)
            w.int("teardowns", r.teardowns)
            w.int("requests_paying_cold_start", r.requestsPayingColdStart)
            w.int("requests_paying_swap_in", r.requestsPayingSwapIn)
            w.double("host_gib_hours", r.hostGiBHours)
            w.int("input_tokens", r.inputTokens)
            w.int("output_tokens", r.outputTokens)
            w.open("ttft_breakdown_mean_s")
            w.double("queueing", r.breakdown.queueing)
            w.double("swap_wait", r.breakdown.swapWait)
            w.double("cold_start_wait", r.breakdown.coldStartWait)
            w.double("prefill", r.breakdown.prefill)
            w.close()
            if !r.startup.isEmpty {
                w.open("startup_stage_mean_s")
                for t in r.startup { w.double(t.stage.rawValue, t.meanSeconds) }
                w.close()
            }
            w.double("horizon_s", r.horizon.seconds)
            w.int("events", r.events)
            Self.writeModels(r, to: &w)
            w.close()
        }
        w.close(array: true)
        w.open("infeasible", array: true)
        for f in failures {
            w.open()
            w.string("strategy", f.strategy.rawValue)
            w.string("reason", f.reason)
            w.close()
        }
        w.close(array: true)
        w.close()
        return w.text + "\n"
    }

    // MARK: Tables

    /// One labelled row of the comparison: a metric across strategies.
    struct Row {
        var label: String
        var values: [String]
    }

    static func seconds(_ s: Double) -> String {
        guard s.isFinite else { return "∞" }
        if s >= 100 { return Fixed.format(s, decimals: 1) + " s" }
        return Fixed.format(s, decimals: 3) + " s"
    }

    static func percent(_ x: Double) -> String { Fixed.format(x * 100, decimals: 1) + "%" }
    /// Money with cents and thousands separators: "$1,234.56".
    static func dollars(_ x: Double) -> String { "$" + TraceInspectReport.grouped(x, decimals: 2) }

    /// The cost rate over the run sustained for a month of 730 hours, as the planner bills it.
    static func costPerMonth(_ r: StrategyResult) -> Double { PlanMetrics(r).costPerMonth }
    static func gigabytes(_ b: Int64) -> String { Fixed.format(Double(b) / 1e9, decimals: 1) + " GB" }

    func rows() -> [Row] {
        func row(_ label: String, _ f: (StrategyResult) -> String) -> Row { Row(label: label, values: results.map(f)) }
        var rows = [
            row("requests completed") { "\($0.completed)" },
            row("rejected") { "\($0.rejected)" },
            row("TTFT p50") { Self.seconds($0.ttft.p50) },
            row("TTFT p90") { Self.seconds($0.ttft.p90) },
            row("TTFT p99") { Self.seconds($0.ttft.p99) },
            row("TTFT max") { Self.seconds($0.ttft.max) },
            row("TPOT p50") { Self.seconds($0.tpot.p50) },
            row("E2E p99") { Self.seconds($0.e2e.p99) },
            row("SLO attainment (TTFT ≤ \(Self.seconds(results.first?.ttftTarget.seconds ?? 0)))") { Self.percent($0.sloAttainment) },
        ]
        for (i, p) in (results.first?.percentileTargets ?? []).enumerated() {
            rows.append(row("TTFT p\(Fixed.format(p.percentile, decimals: p.percentile == p.percentile.rounded() ? 0 : 1)) ≤ \(Self.seconds(p.target.seconds))") {
                $0.percentileTargets[i].met ? "yes" : "no"
            })
        }
        rows += [
            row("meets SLO") { $0.meetsSLO ? "yes" : "no" },
            row("GPUs (pool)") { "\($0.gpus)" },
            row("GPU-hours billed") { Fixed.format($0.gpuHours, decimals: 2) },
            row("cost (trace window)") { Self.dollars($0.cost.amount) },
            row("cost per month (730 h)") { Self.dollars(Self.costPerMonth($0)) },
            row("$ / 1M output tokens") { Self.dollars($0.usdPerMillionOutputTokens) },
            row("GPU utilisation") { Self.percent($0.gpuUtilization) },
            row("cold starts") { "\($0.coldStarts)" },
            row("swap-ins / swap-outs") { "\($0.swapIns) / \($0.swapOuts)" },
            row("evictions") { "\($0.evictions)" },
            row("host→GPU / GPU→host") { "\(Self.gigabytes($0.bytesHostToGPU)) / \(Self.gigabytes($0.bytesGPUToHost))" },
            row("TTFT mean: queueing") { Self.seconds($0.breakdown.queueing) },
            row("TTFT mean: swap wait") { Self.seconds($0.breakdown.swapWait) },
            row("TTFT mean: cold start") { Self.seconds($0.breakdown.coldStartWait) },
            row("TTFT mean: prefill") { Self.seconds($0.breakdown.prefill) },
        ]
        return rows + counterRows()
    }

    var headline: String {
        "swapsim · scenario \(scenario) · trace \(trace) · seed \(seed) · \(requests) requests"
    }

    /// What the table states about the trace input beyond the headline: filled fields, skipped
    /// rows, rebasing and sorting (nothing for a native trace read as it is).
    var traceNotes: [String] {
        guard let t = traceInput else { return [] }
        let notes = Array(t.lines.dropFirst())
        return notes.isEmpty ? [] : ["trace format: \(t.format)"] + notes
    }

    var verdict: String {
        if let best = cheapestMeetingSLO {
            return "Cheapest meeting the SLO: \(best.strategy.rawValue) (\(Self.dollars(best.cost.amount)) for the trace, \(Self.dollars(Self.costPerMonth(best))) per month)"
        }
        return "No strategy meets the SLO."
    }

    /// A plain-text table, strategies side by side.
    public func table() -> String {
        let rs = rows()
        let header = results.map(\.strategy.rawValue)
        let labelWidth = rs.map { $0.label.count }.max() ?? 0
        var widths = header.map(\.count)
        for r in rs { for (i, v) in r.values.enumerated() { widths[i] = max(widths[i], v.count) } }
        func pad(_ s: String, _ w: Int, right: Bool) -> String {
            let p = String(repeating: " ", count: max(0, w - s.count))
            return right ? p + s : s + p
        }
        var out = headline + "\n"
        for l in traceNotes { out += l + "\n" }
        out += "\n"
        out += pad("", labelWidth, right: false)
        for (i, h) in header.enumerated() { out += "  " + pad(h, widths[i], right: true) }
        out += "\n"
        out += String(repeating: "-", count: labelWidth + widths.reduce(0) { $0 + $1 + 2 }) + "\n"
        for r in rs {
            out += pad(r.label, labelWidth, right: false)
            for (i, v) in r.values.enumerated() { out += "  " + pad(v, widths[i], right: true) }
            out += "\n"
        }
        out += "\n" + failureLines + verdict + "\n"
        return out
    }

    /// A Markdown table, strategies side by side.
    public func markdown() -> String {
        func cell(_ s: String) -> String { Markdown.text(s) }
        var out = "# swapsim: \(cell(scenario))\n\n"
        out += "Trace \(cell(trace)), seed \(seed), \(requests) requests.\n\n"
        for l in traceNotes { out += "- \(cell(l))\n" }
        if !traceNotes.isEmpty { out += "\n" }
        out += "| metric | " + results.map { cell($0.strategy.rawValue) }.joined(separator: " | ") + " |\n"
        out += "|---|" + results.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for r in rows() {
            out += "| \(cell(r.label)) | " + r.values.map(cell).joined(separator: " | ") + " |\n"
        }
        out += "\n" + failures.map { "- **\($0.strategy.rawValue)** could not run: \(cell($0.reason))\n" }.joined()
        out += (failures.isEmpty ? "" : "\n") + verdict + "\n"
        return out
    }

    /// CSV, one row per strategy, with the JSON's field names as columns.
    public func csv() -> String {
        let header = [
            "scenario", "trace", "seed", "strategy", "requests", "completed", "rejected",
            "ttft_mean_s", "ttft_p50_s", "ttft_p90_s", "ttft_p95_s", "ttft_p99_s", "ttft_max_s",
            "tpot_mean_s", "tpot_p50_s", "tpot_p99_s", "e2e_mean_s", "e2e_p50_s", "e2e_p99_s",
            "slo_ttft_target_s", "slo_attainment", "slo_met", "gpus", "gpu_hours", "cost_usd",
            "usd_per_million_output_tokens", "gpu_utilization", "cold_starts", "swap_ins", "swap_outs",
            "evictions", "teardowns", "bytes_host_to_gpu", "bytes_gpu_to_host", "input_tokens", "output_tokens",
        ]
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
        }
        var out = header.joined(separator: ",") + "\n"
        for r in results {
            let n = JSONWriter.number
            let values: [String] = [
                field(scenario), field(trace), String(seed), r.strategy.rawValue, String(r.requests), String(r.completed), String(r.rejected),
                n(r.ttft.mean), n(r.ttft.p50), n(r.ttft.p90), n(r.ttft.p95), n(r.ttft.p99), n(r.ttft.max),
                n(r.tpot.mean), n(r.tpot.p50), n(r.tpot.p99), n(r.e2e.mean), n(r.e2e.p50), n(r.e2e.p99),
                n(r.ttftTarget.seconds), n(r.sloAttainment), r.meetsSLO ? "true" : "false", String(r.gpus), n(r.gpuHours), n(r.cost.amount),
                n(r.usdPerMillionOutputTokens), n(r.gpuUtilization), String(r.coldStarts), String(r.swapIns), String(r.swapOuts),
                String(r.evictions), String(r.teardowns), String(r.bytesHostToGPU), String(r.bytesGPUToHost), String(r.inputTokens), String(r.outputTokens),
            ]
            out += values.joined(separator: ",") + "\n"
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
