import SwapSimCore

/// The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
/// references, laid out to read on a phone. Every text from a scenario, a trace or a reason is
/// escaped.
extension RunReport {
    /// The page.
    public func html() -> String {
        let s = summary
        var out = HTMLPage.opening(title: "swapsim report: \(h(s.scenario))", css: Self.css) + """
            <h1>swapsim report: \(h(s.scenario))</h1>
            <p class="sub">Trace <code>\(h(s.trace))</code> · seed \(s.seed) · \(s.requests) requests · \(h(gpuName)) GPUs</p>

            """
        // A warning, not a success, when nothing meets the SLO.
        out += "<p class=\"verdict\(s.cheapestMeetingSLO == nil ? " miss" : "")\">\(h(s.verdict))</p>\n"
        out += comparisonTable()
        out += perModelTables()
        out += section("TTFT distribution", note: "Share of all requests with a time to first token at or under x (log scale); rejected requests never reach 100%.", cdfChart())
        out += section("Cost versus p99 TTFT", note: "One point per strategy. Left of the dashed line meets the TTFT target at p99.", costChart())
        out += "<h2>Where the time went</h2>\n<p class=\"note\">Mean time to first token split into its parts, one panel per strategy, each on its own scale (a cold start of minutes would hide a swap of a second on a shared one).</p>\n"
        out += "<div class=\"grid\">" + summary.results.map { "<div class=\"chart\">\(breakdownChart($0))</div>" }.joined(separator: "\n") + "</div>\n"
        out += startupTable()
        out += section("Queue length over time", note: "Requests waiting to start (for a swap-in, a cold start or a place in a batch), per strategy, at each timeline sample.", queueChart())
        out += section("Host link utilisation over time", note: "Share of the host→device (solid) and device→host (dashed) link capacity in use, averaged over the strategy's GPUs between timeline samples: swap-ins and loads go host→device, swap-outs device→host.", linkChart())
        out += modelNames.count > Self.residencyChartAbove ? residencySections() : memorySections()
        out += reproduceSection()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private func h(_ s: String) -> String { SVGWriter.escape(s) }

    /// The cold starts' stages per strategy that ran any: mean seconds per start-up.
    private func startupTable() -> String {
        let started = summary.results.filter { !$0.startup.isEmpty }
        guard !started.isEmpty else { return "" }
        let stages = StartupStage.allCases.filter { st in started.contains { $0.startup.contains { $0.stage == st } } }
        var out = "<p class=\"note\">Cold starts by stage: mean seconds per start-up that ran the stage.</p>\n"
        out += "<div class=\"scroll\"><table>\n<thead><tr><th>strategy</th>" + stages.map { "<th>\(h($0.rawValue))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in started {
            out += "<tr><th>\(h(r.strategy.rawValue))</th>"
            for st in stages { out += "<td>" + (r.startup.first { $0.stage == st }.map { Self.sec($0.meanSeconds) } ?? "") + "</td>" }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    /// Colours of strategies, by their place in the registry.
    static let strategyPalette = ["#15803d", "#c2410c", "#2563eb", "#7c3aed", "#0e7490", "#a16207", "#be185d"]
    static func color(_ k: StrategyKind) -> String { strategyPalette[k.registryIndex % strategyPalette.count] }

    /// Colours of models in scenario order (cycling), and of runtime reservations.
    static let modelPalette = [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6",
        "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d", "#f1ce63", "#499894",
    ]
    static let runtimeColor = "#c8c8c8"
    static func modelColor(_ i: Int?) -> String { i.map { modelPalette[$0 % modelPalette.count] } ?? runtimeColor }

    static let eventColors: [(LifecycleEvent.Kind, String, Int)] = [
        (.coldStart, "#b91c1c", 0), (.swapIn, "#1d4ed8", 1), (.swapOut, "#6b7280", 2), (.eviction, "#111827", 2), (.teardown, "#9a3412", 2),
    ]

    static let css = """
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f7f9;line-height:1.45}
        main{max-width:1040px;margin:0 auto;padding:12px 16px 40px}
        h1{font-size:1.5rem;margin:.6em 0 .2em}h2{font-size:1.2rem;margin:1.6em 0 .4em}h3{font-size:1rem;margin:1.2em 0 .3em}
        .sub{color:#57606a;margin:0 0 .8em}.note{color:#57606a;font-size:.9rem;margin:.2em 0 .6em}
        .verdict{background:#e8f5ec;border-left:4px solid #15803d;padding:.5em .8em;font-weight:600}
        .verdict.miss{background:#fdf2e9;border-left-color:#c2410c}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;background:#fff;font-size:.9rem;min-width:100%}
        th,td{padding:.35em .6em;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}
        th:first-child,td:first-child{text-align:left;white-space:normal}
        th.best,td.best{background:#e8f5ec}th.best{color:#15803d}
        .chart{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:6px;margin:.4em 0}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
        .legend{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:.85rem;margin:.3em 0}
        .sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.35em;vertical-align:-.1em}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
        pre{background:#fff;border:1px solid #e5e7eb;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;background:#fff;padding:.6em;border:1px solid #e5e7eb}
        dt{color:#57606a}dd{margin:0;word-break:break-all}
        @media (max-width:600px){main{padding:8px}table{font-size:.78rem}th,td{padding:.3em .3em}h1{font-size:1.25rem}}
        """

    private func section(_ title: String, note: String, _ svg: String) -> String {
        "<h2>\(h(title))</h2>\n<p class=\"note\">\(h(note))</p>\n<div class=\"chart\">\(svg)</div>\n"
    }

    // MARK: Comparison table

    private func comparisonTable() -> String {
        let s = summary
        let best = s.cheapestMeetingSLO?.strategy
        func cls(_ r: StrategyResult) -> String { r.strategy == best ? " class=\"best\"" : "" }
        var out = "<h2>Comparison</h2>\n"
        if let b = best { out += "<p class=\"note\">Highlighted: \(h(b.rawValue)), the cheapest strategy meeting the SLO.</p>\n" }
        out += "<div class=\"scroll\"><table>\n<thead><tr><th>metric</th>"
        for r in s.results { out += "<th\(cls(r))>\(h(r.strategy.rawValue))\(r.strategy == best ? " ★" : "")</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in s.rows() {
            out += "<tr><td>\(h(row.label))</td>"
            for (i, v) in row.values.enumerated() { out += "<td\(cls(s.results[i]))>\(h(v))</td>" }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        for f in s.failures { out += "<p class=\"note\"><strong>\(h(f.strategy.rawValue))</strong> could not run: \(h(f.reason))</p>\n" }
        return out
    }

    /// One table per strategy: how each model fared.
    private func perModelTables() -> String {
        let s = summary
        guard s.results.contains(where: { !$0.models.isEmpty }) else { return "" }
        var out = "<h2>Per model</h2>\n<p class=\"note\">Each model's requests, TTFT, SLO attainment (against its own SLO where it has one), swaps, cold starts, share of the run it was resident, and why its late requests were late.</p>\n"
        for r in s.results where !r.models.isEmpty {
            let (header, rows) = s.modelRows(r)
            out += "<h3>\(h(r.strategy.rawValue))</h3>\n<div class=\"scroll\"><table>\n<thead><tr>"
            for c in header { out += "<th>\(h(c))</th>" }
            out += "</tr></thead>\n<tbody>\n"
            for row in rows {
                out += "<tr>" + row.map { "<td>\(h($0))</td>" }.joined() + "</tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        return out
    }

    // MARK: Charts

    private func cdfChart() -> String {
        let rs = summary.results
        let positives = rs.flatMap(\.ttftCDF.seconds).filter { $0 > 0 }
        let target = rs.first?.ttftTarget.seconds ?? 0
        let lo = Swift.min(positives.min() ?? 0.01, target > 0 ? target : 1)
        let hi = Swift.max(positives.max() ?? 1, target)
        var c = Chart(
            height: 336, title: "TTFT CDF per strategy", x: .log(lo, hi, label: "time to first token (s, log scale)"),
            y: .linear(0, 100, label: "requests (%)", unit: "%", nice: false), legendRows: 1, markerRow: true)
        c.legend(rs.map { ($0.strategy.rawValue, Self.color($0.strategy)) })
        for r in rs where !r.ttftCDF.seconds.isEmpty {
            let share = r.ttftCDF.completedShare
            var pts = [(Swift.max(r.ttftCDF.seconds[0], c.x.min), 0.0)]
            for (q, v) in zip(r.ttftCDF.quantiles, r.ttftCDF.seconds) {
                pts.append((Swift.max(v, c.x.min), Swift.min(1, q + 1.0 / 200) * share * 100))
            }
            c.stepLine(pts, color: Self.color(r.strategy))
        }
        if target > 0 { c.verticalMarker(target, label: "SLO target \(RunSummary.seconds(target))") }
        return c.finish()
    }

    private func costChart() -> String {
        let rs = summary.results
        let p99Target = rs.first?.percentileTargets.first { $0.percentile == 99 }?.target.seconds
        let target = p99Target ?? rs.first?.ttftTarget.seconds ?? 0
        let xs = rs.map(\.ttft.p99).filter { $0 > 0 }
        let lo = Swift.min(xs.min() ?? 0.01, target > 0 ? target : 1) / 2
        let hi = Swift.max(xs.max() ?? 1, target) * 2
        let maxCost = rs.map(\.cost.amount).max() ?? 1
        var c = Chart(
            height: 316, title: "Cost versus p99 TTFT", x: .log(lo, hi, label: "p99 time to first token (s, log scale)"),
            y: ChartAxis.linear(0, Swift.max(maxCost * 1.15, 0.01), label: "cost for the trace").dollars(), leftMargin: 76, markerRow: true)
        if target > 0 { c.verticalMarker(target, label: p99Target != nil ? "p99 target \(RunSummary.seconds(target))" : "TTFT target \(RunSummary.seconds(target))") }
        for r in rs {
            let title = "\(r.strategy.rawValue): p99 TTFT \(RunSummary.seconds(r.ttft.p99)), \(RunSummary.dollars(r.cost.amount)), SLO \(r.meetsSLO ? "met" : "missed")"
            c.point(Swift.max(r.ttft.p99, c.x.min), r.cost.amount, color: Self.color(r.strategy), label: "\(r.strategy.rawValue) \(RunSummary.dollars(r.cost.amount))", title: title)
        }
        return c.finish()
    }

    /// The parts of the mean TTFT, with their colours.
    static let breakdownParts: [(name: String, color: String, value: @Sendable (TTFTBreakdown) -> Double)] = [
        ("queueing", "#94a3b8", { $0.queueing }), ("swap-in wait", "#2563eb", { $0.swapWait }),
        ("cold-start wait", "#dc2626", { $0.coldStartWait }), ("prefill", "#16a34a", { $0.prefill }),
    ]

    /// One strategy's mean TTFT by part: a bar per part on the strategy's own scale.
    private func breakdownChart(_ r: StrategyResult) -> String {
        let parts = Self.breakdownParts
        let values = parts.map { $0.value(r.breakdown) }
        let total = values.reduce(0, +)
        var c = Chart(
            width: 340, height: 88 + 26 * Double(parts.count), title: "\(r.strategy.rawValue): \(RunSummary.seconds(total))",
            x: .linear(0, Swift.max(values.max() ?? 0, 1e-3) * 1.4, label: "seconds"),
            y: .categories(parts.map(\.name).reversed(), label: ""), leftMargin: 104)
        for (k, p) in parts.enumerated() {
            let band = Double(parts.count - 1 - k)
            if values[k] > 0 {
                c.box(x0: 0, x1: values[k], y0: band + 0.2, y1: band + 0.8, color: p.color, title: "\(r.strategy.rawValue): \(p.name) \(RunSummary.seconds(values[k]))")
            }
            c.label(values[k], band + 0.5, " " + RunSummary.seconds(values[k]))
        }
        return c.finish()
    }

    /// Requests waiting over time, a step line per strategy.
    private func queueChart() -> String {
        let rs = summary.results
        let end = Swift.max(rs.map { Swift.max($0.horizon.seconds, $0.timeline.samples.last?.time.seconds ?? 0) }.max() ?? 1, 1e-3)
        let peak = rs.flatMap { $0.timeline.samples.map(\.queued) }.max() ?? 0
        var c = Chart(
            height: 300, title: "Requests waiting", x: .linear(0, end, label: "time (s)"),
            y: .linear(0, Swift.max(Double(peak) * 1.1, 1), label: "requests waiting"), legendRows: 1)
        c.legend(rs.map { ($0.strategy.rawValue, Self.color($0.strategy)) })
        for r in rs where !r.timeline.samples.isEmpty {
            var pts = r.timeline.samples.map { ($0.time.seconds, Double($0.queued)) }
            pts.append((end, pts.last!.1))
            c.stepLine(pts, color: Self.color(r.strategy), width: 1.5)
        }
        return c.finish()
    }

    /// Host link utilisation over time, averaged over each strategy's GPUs: host→device solid,
    /// device→host dashed.
    private func linkChart() -> String {
        let rs = summary.results
        let end = Swift.max(rs.map { Swift.max($0.horizon.seconds, $0.timeline.samples.last?.time.seconds ?? 0) }.max() ?? 1, 1e-3)
        // Per strategy and direction: (dash, points), the mean over the pool's GPUs between samples.
        var series: [(StrategyResult, String?, [(Double, Double)])] = []
        for r in rs where r.timeline.samples.count > 1 && r.timeline.gpus > 0 {
            let t = r.timeline
            for (dash, use) in [(nil, t.hostToDeviceUtilization), ("5 3", t.deviceToHostUtilization)] as [(String?, (Int, Int) -> Double)] {
                var pts: [(Double, Double)] = []
                for i in t.samples.indices.dropFirst() {
                    let mean = (0..<t.gpus).reduce(0.0) { $0 + use($1, i) } / Double(t.gpus)
                    pts.append((t.samples[i - 1].time.seconds, Swift.min(100, mean * 100)))
                }
                guard pts.contains(where: { $0.1 > 0 }) else { continue }
                pts.append((t.samples.last!.time.seconds, pts.last!.1))
                series.append((r, dash, pts))
            }
        }
        // The axis ends a little above the busiest moment, so a lightly used link is still visible.
        let peak = series.flatMap { $0.2.map(\.1) }.max() ?? 0
        var c = Chart(
            height: 300, title: "Host link utilisation (mean over the pool's GPUs)", x: .linear(0, end, label: "time (s)"),
            y: .linear(0, Swift.min(100, Swift.max(peak * 1.2, 5)), label: "link capacity in use (%)", unit: "%"), legendRows: 1)
        c.legend(rs.map { ($0.strategy.rawValue, Self.color($0.strategy)) })
        for (r, dash, pts) in series { c.stepLine(pts, color: Self.color(r.strategy), width: 1.5, dash: dash) }
        return c.finish()
    }

    // MARK: Residency (many models)

    /// Above this many models, the report shows which models are resident over time (a row per
    /// model) instead of each GPU's memory stacked by model, which turns into stripes of
    /// repeated colours.
    static let residencyChartAbove = 8

    static let residentColor = "#15803d"
    static let onHostColor = "#bfdbfe"

    private func residencySections() -> String {
        var out = "<h2>Model residency over time</h2>\n"
        out += "<p class=\"note\">A row per model: green while it holds GPU memory, light blue while hot-swap keeps it asleep in host memory, blank while it has no replica. Marks on a row: when a cold start (red), a swap-in (blue) or a swap-out, eviction or teardown (grey) began. Sampled on the run's timeline. (With \(Self.residencyChartAbove) models or fewer the report draws each GPU's memory by model instead.)</p>\n"
        out += "<div class=\"legend\">"
        for (name, color) in [("resident on a GPU", Self.residentColor), ("asleep in host memory (hot-swap)", Self.onHostColor)] {
            out += "<span><span class=\"sw\" style=\"background:\(color)\"></span>\(name)</span>"
        }
        for (k, color, _) in Self.eventColors { out += "<span><span class=\"sw\" style=\"background:\(color)\"></span>\(k.rawValue)</span>" }
        out += "</div>\n"
        for r in summary.results {
            out += "<h3>\(h(r.strategy.rawValue))</h3>\n<div class=\"chart\">\(residencyChart(r))</div>\n"
        }
        return out
    }

    private func residencyChart(_ r: StrategyResult) -> String {
        let samples = r.timeline.samples
        let models = modelNames.count
        let end = Swift.max(r.horizon.seconds, samples.last?.time.seconds ?? 0, 1e-3)
        let labelWidth = Swift.min(200, 24 + 6.6 * Double(modelNames.map(\.count).max() ?? 8))
        var c = Chart(
            width: 720, height: 84 + 16 * Double(models), title: "\(r.strategy.rawValue): which models are on GPUs",
            x: .linear(0, end, label: "time (s)"), y: .categories(modelNames.reversed(), label: ""), leftMargin: labelWidth)
        // Per model: whether it held memory on any GPU at each sample.
        var resident = Array(repeating: Array(repeating: false, count: samples.count), count: models)
        for (i, smp) in samples.enumerated() {
            for g in smp.residents { for share in g { if let m = share.model, m < models { resident[m][i] = true } } }
        }
        let asleep = r.strategy == .hotSwap
        for m in 0..<models {
            let band = Double(models - 1 - m)
            var i = 0
            while i < samples.count {
                var j = i
                while j + 1 < samples.count && resident[m][j + 1] == resident[m][i] { j += 1 }
                let x0 = samples[i].time.seconds
                let x1 = j + 1 < samples.count ? samples[j + 1].time.seconds : end
                let state = resident[m][i] ? "resident" : (asleep ? "asleep in host memory" : "no replica")
                let title = "\(modelName(m)): \(state) from \(RunSummary.seconds(x0)) to \(RunSummary.seconds(x1))"
                if resident[m][i] {
                    c.box(x0: x0, x1: x1, y0: band + 0.15, y1: band + 0.85, color: Self.residentColor, title: title)
                } else if asleep {
                    c.box(x0: x0, x1: x1, y0: band + 0.15, y1: band + 0.85, color: Self.onHostColor, title: title)
                }
                i = j + 1
            }
        }
        let events = r.lifecycle.filter { $0.kind != .startupStage && $0.model < models }
        let stride = Swift.max(1, (events.count + 4 * Self.maxEventMarks - 1) / (4 * Self.maxEventMarks))
        for (i, e) in events.enumerated() where i % stride == 0 {
            guard let style = Self.eventColors.first(where: { $0.0 == e.kind }) else { continue }
            let band = Double(models - 1 - e.model)
            let title = "\(RunSummary.seconds(e.time.seconds)) \(e.kind.rawValue) \(modelName(e.model)): \(e.reasonText(modelNames))"
            let width = end / 400
            c.box(x0: e.time.seconds, x1: e.time.seconds + width, y0: band + 0.05, y1: band + 0.95, color: style.1, title: title)
        }
        return c.finish()
    }

    // MARK: Memory over time

    private func memorySections() -> String {
        var out = "<h2>GPU memory over time</h2>\n"
        out += "<p class=\"note\">Memory held on each GPU, by resident model; marks along the top: cold starts (row 1), swap-ins (row 2), swap-outs, evictions and teardowns (row 3). Hover for details.</p>\n"
        var used = Set<Int>()
        var runtime = false
        for r in summary.results {
            for smp in r.timeline.samples {
                for g in smp.residents {
                    for share in g {
                        if let m = share.model { used.insert(m) } else { runtime = true }
                    }
                }
            }
        }
        out += "<div class=\"legend\">"
        if runtime { out += "<span><span class=\"sw\" style=\"background:\(Self.runtimeColor)\"></span>runtime reservations</span>" }
        for m in used.sorted() { out += "<span><span class=\"sw\" style=\"background:\(Self.modelColor(m))\"></span>\(h(modelName(m)))</span>" }
        out += "</div>\n<div class=\"legend\">"
        for (k, color, _) in Self.eventColors { out += "<span><span class=\"sw\" style=\"background:\(color)\"></span>\(k.rawValue)</span>" }
        out += "</div>\n"
        for r in summary.results {
            out += "<h3>\(h(r.strategy.rawValue))</h3>\n"
            let drawn = Self.chartedGPUs(r)
            if drawn.count < r.timeline.gpus {
                out += "<p class=\"note\">\(drawn.count) of \(r.timeline.gpus) GPUs drawn: those that held memory, at most \(Self.maxMemoryCharts).</p>\n"
            }
            out += "<div class=\"grid\">\n"
            for g in drawn { out += "<div class=\"chart\">\(memoryChart(r, gpu: g))</div>\n" }
            out += "</div>\n"
        }
        return out
    }

    /// Most per-GPU memory charts drawn for one strategy.
    public static let maxMemoryCharts = 64

    /// The GPUs whose memory charts are drawn: every GPU of the pool up to ``maxMemoryCharts``;
    /// on a larger pool, the first ``maxMemoryCharts`` that held memory at some sample (a chart
    /// per GPU of a thousand-GPU cluster would make the page unreadable and hundreds of MB).
    static func chartedGPUs(_ r: StrategyResult) -> [Int] {
        let gpus = r.timeline.gpus
        if gpus <= maxMemoryCharts { return Array(0..<gpus) }
        var held = Array(repeating: false, count: gpus)
        for smp in r.timeline.samples {
            for g in smp.residents.indices where g < gpus && !smp.residents[g].isEmpty { held[g] = true }
        }
        return Array(held.indices.lazy.filter { held[$0] }.prefix(maxMemoryCharts))
    }

    /// Most event marks drawn on one GPU's chart; beyond it, every k-th is drawn.
    static let maxEventMarks = 400

    private func memoryChart(_ r: StrategyResult, gpu g: Int) -> String {
        let samples = r.timeline.samples
        let end = Swift.max(r.horizon.seconds, samples.last?.time.seconds ?? 0, 1e-3)
        let gib = 1024.0 * 1024 * 1024
        var c = Chart(
            width: 480, height: 260, title: "\(r.strategy.rawValue) · GPU \(g)",
            x: .linear(0, end, label: "time (s)"), y: .linear(0, Double(gpuMemory.bytes) / gib, label: "GiB", nice: false))
        // Layers: runtime reservations first, then models in scenario order.
        var keys: [Int?] = []
        for smp in samples where g < smp.residents.count {
            for share in smp.residents[g] where !keys.contains(share.model) { keys.append(share.model) }
        }
        keys.sort { a, b in (a ?? -1) < (b ?? -1) }
        let layers: [[Double]] = keys.map { key in
            samples.map { smp in
                guard g < smp.residents.count else { return 0 }
                var total: Int64 = 0
                for share in smp.residents[g] where share.model == key { total += share.bytes.bytes }
                return Double(total) / gib
            }
        }
        c.stackedAreas(
            xs: samples.map(\.time.seconds), end: end, layers: layers, colors: keys.map(Self.modelColor),
            titles: keys.map { modelName($0) })
        let events = r.lifecycle.filter { $0.gpus.contains(g) && $0.kind != .startupStage }
        let stride = Swift.max(1, (events.count + Self.maxEventMarks - 1) / Self.maxEventMarks)
        for (i, e) in events.enumerated() where i % stride == 0 {
            guard let style = Self.eventColors.first(where: { $0.0 == e.kind }) else { continue }
            let title = "\(RunSummary.seconds(e.time.seconds)) \(e.kind.rawValue) \(modelName(e.model)): \(e.reasonText(modelNames))"
            c.eventTick(e.time.seconds, row: style.2, color: style.1, title: title)
        }
        return c.finish()
    }

    // MARK: Reproduce

    private func reproduceSection() -> String {
        ReportIdentity(
            scenarioPath: scenarioPath, scenarioName: summary.scenario, scenarioHash: scenarioHash, scenarioText: scenarioText,
            trace: summary.trace, traceHash: traceHash, seedLabel: "seed", seeds: String(summary.seed), toolVersion: toolVersion,
            command: command
        ).html(title: "Reproduce")
    }
}
