import SwapSimCore

/// The plan as one self-contained HTML page: inline CSS and SVG, no scripts, no external
/// references, laid out to read on a phone (the run report's style). Every text from a scenario,
/// a trace, a label or a reason is escaped.
extension PlanReport {
    /// The page.
    public func html() -> String {
        let r = result
        var out = HTMLPage.opening(title: "swapsim plan: \(h(r.scenario))", css: RunReport.css + Self.css) + """
            <h1>Capacity plan: \(h(r.scenario))</h1>
            <p class="sub">Trace <code>\(h(r.trace))</code> · \(r.requests) requests · \(h(seedsText)) · SLO: \(h(sloText)) · \(h(limitsText))</p>

            """
        if let shard = r.shard {
            out += "<p class=\"verdict miss\">Shard \(h(shard.description)) only: this page covers part of the search, not the whole plan.</p>\n"
        }
        out += verdict()
        out += answerSection()
        out += chartSection()
        out += frontierSection()
        out += nearMissSection()
        out += nothingFeasibleSection()
        out += searchSection()
        out += reproduceSection()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// Section titles, in page order (the structural tests look for each).
    public static let sectionTitles = [
        "Cheapest feasible configuration per strategy", "Cost versus p99 TTFT", "Pareto frontier", "Configurations that just missed",
        "When nothing is feasible", "Search", "Reproduce",
    ]

    static let css = """
        td.bad{color:#b91c1c}td.ok{color:#15803d}
        table.plan td{white-space:normal}th.text,td.text{text-align:left}td.text>div{min-width:11em}
        """

    private func h(_ s: String) -> String { SVGWriter.escape(s) }

    // MARK: Text

    private var seedsText: String {
        let s = result.seeds
        return s.count == 1 ? "seed \(s[0])" : "\(s.count) replications, seeds \(s[0])–\(s[s.count - 1])"
    }

    private var sloText: String {
        let slo = result.slo
        var t = "attainment ≥ \(PlanText.number(slo.attainment)) within \(PlanText.duration(slo.ttft))"
        for p in slo.ttftPercentiles { t += ", p\(PlanText.number(p.percentile)) TTFT ≤ \(PlanText.duration(p.target))" }
        return t
    }

    private var limitsText: String {
        "at most \(result.space.maxGPUs) GPUs" + (result.space.budgetPerMonth.map { ", budget \(Self.money($0.amount))/month" } ?? ", no budget limit")
    }

    /// `$22,075`.
    static func money(_ v: Double) -> String { "$" + TraceInspectReport.grouped(v, decimals: 0) }
    static func seconds(_ v: Double) -> String { v.isFinite ? Fixed.format(v, decimals: 3) : "∞" }
    static func share(_ v: Double) -> String { Fixed.format(v, decimals: 4) }
    static func percent(_ v: Double) -> String { v.isFinite ? PlanText.number(v * 100, decimals: 1) + "%" : "∞" }

    private func windowCost(_ c: EvaluatedConfiguration) -> String { result.windowCost(c) }

    /// The mean, with the min–max range when replications differ.
    private func spread(_ s: Spread, _ f: (Double) -> String) -> String {
        result.seeds.count == 1 || f(s.min) == f(s.max) ? f(s.mean) : "\(f(s.mean)) (\(f(s.min))–\(f(s.max)))"
    }

    /// The cheapest feasible configuration over every strategy, if any.
    private var overallCheapest: (StrategyPlan, EvaluatedConfiguration)? {
        var best: (StrategyPlan, EvaluatedConfiguration)?
        for p in result.strategies {
            guard let i = p.cheapest else { continue }
            let c = result.configurations[i]
            if best == nil || c.costPerMonth.mean < best!.1.costPerMonth.mean { best = (p, c) }
        }
        return best
    }

    private func verdict() -> String {
        guard let (p, c) = overallCheapest else {
            return "<p class=\"verdict miss\">No configuration of any strategy meets every constraint; see what came closest below.</p>\n"
        }
        return "<p class=\"verdict\">Cheapest meeting every constraint: \(h(p.strategy.rawValue)) on \(h(c.configuration.label)) at \(h(Self.money(c.costPerMonth.mean)))/month.</p>\n"
    }

    // MARK: Tables

    /// A table; columns in `text` hold words (left-aligned, wrapping), the others figures.
    private func table(_ header: [String], _ rows: [(cells: [String], classes: [String])], text: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return "<p class=\"note\">(none)</p>\n" }
        var out = "<div class=\"scroll\"><table class=\"plan\">\n<thead><tr>"
        for (i, c) in header.enumerated() { out += text.contains(i) ? "<th class=\"text\">\(h(c))</th>" : "<th>\(h(c))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.cells.enumerated() {
                let names = [i < row.classes.count ? row.classes[i] : "", text.contains(i) ? "text" : ""].filter { !$0.isEmpty }
                let cls = names.isEmpty ? "" : " class=\"\(names.joined(separator: " "))\""
                out += text.contains(i) ? "<td\(cls)><div>\(h(cell))</div></td>" : "<td\(cls)>\(h(cell))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    private func answerSection() -> String {
        let best = overallCheapest?.0.strategy
        var out = "<h2>\(Self.sectionTitles[0])</h2>\n"
        out += "<p class=\"note\">Per strategy, the least $/month meeting every constraint. The binding constraint is the one with the least room there; slack is that room relative to its limit.</p>\n"
        let rows = result.strategies.map { p -> (cells: [String], classes: [String]) in
            guard let i = p.cheapest else {
                return ([p.strategy.rawValue, "none feasible", "", "", "", "", "", "", ""], ["", "bad"])
            }
            let c = result.configurations[i]
            let cls = p.strategy == best ? "best" : ""
            return (
                [
                    p.strategy.rawValue + (p.strategy == best ? " ★" : ""), c.configuration.label, String(c.configuration.gpus),
                    spread(c.costPerMonth, Self.money), windowCost(c), spread(c.ttftP99, Self.seconds), spread(c.attainment, Self.share),
                    p.binding?.constraint ?? "", p.binding.map { Self.percent($0.slack) } ?? "",
                ],
                Array(repeating: cls, count: 9)
            )
        }
        out += table(["strategy", "cheapest feasible", "GPUs", "$/month", "$ for the trace", "p99 TTFT (s)", "attainment", "binding constraint", "slack"], rows, text: [1, 7])
        for p in result.strategies {
            if p.cheapest != nil, let f = p.oneFewer { out += "<p class=\"note\"><strong>\(h(p.strategy.rawValue))</strong>: \(h(f))</p>\n" }
        }
        return out
    }

    private func configurationRow(_ i: Int) -> (cells: [String], classes: [String]) {
        let c = result.configurations[i]
        let feasible = result.isFeasible(c)
        return (
            [
                c.configuration.label, c.configuration.strategy.rawValue, spread(c.costPerMonth, Self.money), windowCost(c),
                spread(c.ttftP99, Self.seconds), spread(c.attainment, Self.share), feasible ? "yes" : "no",
            ],
            ["", "", "", "", "", "", feasible ? "ok" : "bad"]
        )
    }

    private func frontierSection() -> String {
        var out = "<h2>\(Self.sectionTitles[2])</h2>\n"
        out += "<p class=\"note\">Configurations no other beats on both $/month and mean p99 TTFT, over every configuration evaluated (feasible or not), cheapest first.</p>\n"
        let rows = result.frontier.enumerated().map { n, i -> (cells: [String], classes: [String]) in
            let row = configurationRow(i)
            return ([String(n + 1)] + row.cells, [""] + row.classes)
        }
        out += table(["#", "configuration", "strategy", "$/month", "$ for the trace", "p99 TTFT (s)", "attainment", "feasible"], rows, text: [1])
        return out
    }

    private func nearMissSection() -> String {
        var out = "<h2>\(Self.sectionTitles[3])</h2>\n"
        let pct = Int(PlanResult.nearMissTolerance * 100)
        guard !result.nearMisses.isEmpty else {
            return out + "<p class=\"note\">None: no infeasible configuration came within \(pct)% of every limit.</p>\n"
        }
        out += "<p class=\"note\">Infeasible, but within \(pct)% of every limit, closest first.</p>\n"
        out += table(["configuration", "strategy", "$/month", "shortfall"], result.nearMisses.map { i in
            let c = result.configurations[i]
            return ([c.configuration.label, c.configuration.strategy.rawValue, spread(c.costPerMonth, Self.money), result.shortfall(c)], [])
        }, text: [0, 3])
        return out
    }

    private func nothingFeasibleSection() -> String {
        var out = "<h2>\(Self.sectionTitles[4])</h2>\n"
        let missing = result.strategies.filter { $0.cheapest == nil }
        guard !missing.isEmpty else {
            return out + "<p class=\"note\">Every planned strategy has a feasible configuration.</p>\n"
        }
        out += "<p class=\"note\">Strategies with no feasible configuration up to \(result.space.maxGPUs) GPUs, with what came closest and why it misses.</p>\n"
        out += table(["strategy", "closest", "$/month", "p99 TTFT (s)", "why it misses"], missing.map { p in
            guard let i = p.closest else { return ([p.strategy.rawValue, "nothing was evaluated", "", "", ""], []) }
            let c = result.configurations[i]
            let runs = c.metrics != nil
            return (
                [
                    p.strategy.rawValue, c.configuration.label, runs ? spread(c.costPerMonth, Self.money) : "",
                    runs ? spread(c.ttftP99, Self.seconds) : "", p.closestReason ?? "",
                ],
                ["", "", "", "", "bad"]
            )
        }, text: [1, 4])
        return out
    }

    private func searchSection() -> String {
        let s = result
        var out = "<h2>\(Self.sectionTitles[5])</h2>\n"
        out += "<p class=\"note\">\(h(s.searchRule)). \(h(PlanResult.feasibilityRule.prefix(1).uppercased() + PlanResult.feasibilityRule.dropFirst())). "
        out += "$/month is the trace's cost rate sustained for \(Int(PlanMetrics.hoursPerMonth)) hours.</p>\n"
        out += "<details><summary>\(s.chains.count) chains, \(s.configurations.count) configurations evaluated</summary>\n"
        out += table(["chain", "strategy", "GPU", "settings", "counts evaluated", "fewest GPUs meeting the SLO"], s.chains.map { c in
            ([
                String(c.index), c.chain.strategy.rawValue, c.chain.gpu.name, c.chain.settings.isEmpty ? "—" : c.chain.settings,
                c.evaluatedCounts.map(String.init).joined(separator: ", "), c.minimumGPUs.map(String.init) ?? "none",
            ], [])
        }, text: [3])
        return out + "</details>\n"
    }

    private func reproduceSection() -> String {
        ReportIdentity(
            scenarioPath: scenarioPath, scenarioName: result.scenario, scenarioHash: scenarioHash, scenarioText: scenarioText,
            trace: result.trace, traceNote: ", \(result.requests) requests", traceHash: traceHash,
            traceHashNote: " (content and the trace flags that shape it)", seedLabel: "seeds",
            seeds: result.seeds.map(String.init).joined(separator: ", "), toolVersion: toolVersion, command: command
        ).html(title: Self.sectionTitles[6])
    }

    // MARK: Chart

    private func chartSection() -> String {
        var out = "<h2>\(Self.sectionTitles[1])</h2>\n"
        let points = scatterPoints
        guard !points.isEmpty else {
            return out + "<p class=\"note\">No configuration ran, so there is nothing to draw.</p>\n"
        }
        out += "<p class=\"note\">Every configuration evaluated: filled dots are feasible, hollow ones are not; the black step line is the Pareto frontier; the dashed red line is the \(h(targetLabel)). Large dots: each strategy's cheapest feasible configuration (its $/month in the legend). The numbers on the frontier are its rows in the Pareto frontier table, which names each configuration (GPU type × count and settings).</p>\n"
        out += "<div class=\"chart\">\(costChart(points))</div>\n"
        return out
    }

    /// Configurations that ran, as (index, $/month, p99 TTFT).
    private var scatterPoints: [(index: Int, cost: Double, p99: Double)] {
        result.configurations.indices.compactMap { i in
            let c = result.configurations[i]
            guard c.metrics != nil, c.ttftP99.mean.isFinite, c.costPerMonth.mean.isFinite, c.costPerMonth.mean > 0 else { return nil }
            return (i, c.costPerMonth.mean, c.ttftP99.mean)
        }
    }

    /// The latency line drawn: the p99 target if the SLO has one, else the TTFT target.
    private var target: Double {
        result.slo.ttftPercentiles.first { $0.percentile == 99 }?.target.seconds ?? result.slo.ttft.seconds
    }

    private var targetLabel: String {
        if let p = result.slo.ttftPercentiles.first(where: { $0.percentile == 99 }) { return "p99 TTFT target \(PlanText.duration(p.target))" }
        return "TTFT target \(PlanText.duration(result.slo.ttft)) (attainment ≥ \(PlanText.number(result.slo.attainment)))"
    }

    private func costChart(_ points: [(index: Int, cost: Double, p99: Double)]) -> String {
        let costs = points.map(\.cost)
        let lows = points.map(\.p99).filter { $0 > 0 }
        let yLo = Swift.min(lows.min() ?? target, target) / 1.5
        let yHi = Swift.max(points.map(\.p99).max() ?? target, target) * 1.5
        let cLo = costs.min()!, cHi = costs.max()!
        let logX = cHi / cLo > 20
        let x: ChartAxis = logX
            ? ChartAxis.log(cLo / 1.5, cHi * 1.5, label: "cost per month (730 h, log scale)").dollars()
            : ChartAxis.linear(0, cHi * 1.1, label: "cost per month (730 h)").dollars()
        var c = Chart(
            width: 720, height: 456, title: "Cost versus p99 TTFT, every configuration evaluated", x: x,
            y: .log(yLo, yHi, label: "p99 time to first token (s, log scale)"), legendRows: 2, leftMargin: 72, markerRow: true)
        let planned = result.space.strategies
        let answers = Dictionary(result.strategies.compactMap { p in p.cheapest.map { (p.strategy, result.configurations[$0].costPerMonth.mean) } }) { a, _ in a }
        c.legend(planned.map { k in (k.rawValue + (answers[k].map { " ● \(Self.money($0))" } ?? ""), RunReport.color(k)) } + [("Pareto frontier", "#111")])
        c.horizontalMarker(target, label: targetLabel, color: "#b91c1c")
        if let b = result.space.budgetPerMonth?.amount, b >= c.x.min, b <= c.x.max {
            c.verticalMarker(b, label: "budget \(Self.money(b))", color: "#7c3aed")
        }
        let floorY = c.y.min
        for p in points {
            let conf = result.configurations[p.index]
            let feasible = result.isFeasible(conf)
            let title = "\(conf.configuration.label) [\(conf.configuration.strategy.rawValue)]: \(Self.money(p.cost))/month, p99 TTFT \(Self.seconds(p.p99)) s, "
                + (feasible ? "feasible" : result.shortfall(conf))
            c.dot(p.cost, Swift.max(p.p99, floorY), color: RunReport.color(conf.configuration.strategy), hollow: !feasible, title: title)
        }
        let frontier = result.frontier.compactMap { i in points.first { $0.index == i } }
        c.stepLine(frontier.map { ($0.cost, Swift.max($0.p99, floorY)) }, color: "#111", width: 1.5)
        // Frontier points carry their row number in the Pareto frontier table below the chart.
        for (n, p) in frontier.enumerated() { c.pointNumber(p.cost, Swift.max(p.p99, floorY), n + 1) }
        for s in result.strategies {
            guard let i = s.cheapest, let p = points.first(where: { $0.index == i }) else { continue }
            let conf = result.configurations[i]
            // Unlabelled: answers often sit close together, and the legend gives each one's cost.
            c.point(
                p.cost, Swift.max(p.p99, floorY), color: RunReport.color(s.strategy), label: nil,
                title: "cheapest feasible \(s.strategy.rawValue): \(conf.configuration.label), \(Self.money(p.cost))/month, p99 TTFT \(Self.seconds(p.p99)) s")
        }
        return c.finish()
    }
}
