import SwapSimCore

/// The output formats of `swapsim plan`.
public enum PlanFormat: String, CaseIterable, Sendable {
    case table, json, markdown
}

extension PlanResult {
    /// Renders the plan in `format`. Same plan, same bytes: ``statistics`` appears only in the
    /// table (as its last line), never in JSON or Markdown.
    public func render(_ format: PlanFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .markdown: return markdown()
        }
    }

    /// The feasibility rule, as stated in every output.
    public static let feasibilityRule =
        "feasible = every replication runs and meets the SLO (attainment and every percentile target), the worst replication's $/month is within the budget, and the GPU count is within the maximum"

    /// The count-search rule, as stated in every output.
    public var searchRule: String {
        "GPU count per chain: galloping 1, 2, 4, … up to \(space.maxGPUs), bisection to adjacent counts, then the \(space.neighbourWindow) counts below are checked too (queueing is not perfectly monotone) and the search moves down to any feasible one found"
    }

    // MARK: JSON (schema swapsim.plan/1)

    /// The plan as JSON, schema `swapsim.plan/1`: fields may be added, never renamed or dropped.
    ///
    /// Every key has one type: a hot-swap idle timeout of "never" is `"idle_timeout": "never"`
    /// instead of `idle_timeout_s` (and `space.idle_timeout_never`); a chain with no feasible
    /// count has no `minimum_gpus`.
    public func json() -> String {
        var w = JSONWriter()
        w.open()
        w.string("schema", "swapsim.plan/1")
        w.string("scenario", scenario)
        w.string("trace", trace)
        w.int("requests", requests)
        w.open("seeds", array: true)
        for s in seeds { w.uint(nil, s) }
        w.close(array: true)
        w.int("replications", seeds.count)
        if let shard { w.string("shard", shard.description) }
        w.string("feasibility_rule", Self.feasibilityRule)
        w.string("search_rule", searchRule)
        w.open("constraints")
        w.double("ttft_target_s", slo.ttft.seconds)
        w.double("attainment", slo.attainment)
        w.open("ttft_percentile_targets", array: true)
        for p in slo.ttftPercentiles {
            w.open()
            w.double("percentile", p.percentile)
            w.double("target_s", p.target.seconds)
            w.close()
        }
        w.close(array: true)
        w.int("max_gpus", space.maxGPUs)
        if let b = space.budgetPerMonth { w.double("budget_usd_per_month", b.amount) }
        w.close()
        w.open("space")
        w.open("strategies", array: true)
        for s in space.strategies { w.string(nil, s.rawValue) }
        w.close(array: true)
        w.open("gpu_types", array: true)
        for g in space.gpuTypes {
            w.open()
            w.string("name", g.spec.name)
            w.int("memory_bytes", g.spec.memory.bytes)
            w.double("usd_per_gpu_hour", g.pricePerHour.amount)
            w.close()
        }
        w.close(array: true)
        w.open("swap_space_bytes", array: true)
        for s in space.swapSpaces { w.int(nil, s.bytes) }
        w.close(array: true)
        w.open("keep_alive_s", array: true)
        for k in space.keepAlives { w.double(nil, k.seconds) }
        w.close(array: true)
        w.open("idle_timeout_s", array: true)
        for case let t? in space.idleTimeouts { w.double(nil, t.seconds) }
        w.close(array: true)
        w.bool("idle_timeout_never", space.idleTimeouts.contains { $0 == nil })
        w.open("eviction", array: true)
        for e in space.evictions { w.string(nil, e.rawValue) }
        w.close(array: true)
        w.close()

        w.open("strategies", array: true)
        for p in strategies {
            w.open()
            w.string("strategy", p.strategy.rawValue)
            w.bool("feasible", p.cheapest != nil)
            if let i = p.cheapest {
                w.open("cheapest")
                writeConfiguration(&w, configurations[i])
                w.close()
                if let b = p.binding { writeCheck(&w, "binding", b) }
                if let f = p.oneFewer { w.string("one_fewer_gpu", f) }
            }
            if let i = p.closest {
                w.open("closest")
                writeConfiguration(&w, configurations[i])
                w.close()
                w.string("closest_reason", p.closestReason ?? "")
            }
            w.close()
        }
        w.close(array: true)
        writeAdvice(&w)
        w.open("pareto_frontier", array: true)
        for i in frontier {
            w.open()
            writeConfiguration(&w, configurations[i])
            w.close()
        }
        w.close(array: true)
        w.open("near_misses", array: true)
        for i in nearMisses {
            w.open()
            writeConfiguration(&w, configurations[i])
            w.string("shortfall", shortfall(configurations[i]))
            w.close()
        }
        w.close(array: true)
        w.open("chains", array: true)
        for c in chains {
            w.open()
            w.int("index", c.index)
            writeChain(&w, c.chain)
            if let m = c.minimumGPUs { w.int("minimum_gpus", m) }
            w.open("evaluated_counts", array: true)
            for n in c.evaluatedCounts { w.int(nil, n) }
            w.close(array: true)
            w.close()
        }
        w.close(array: true)
        w.open("configurations", array: true)
        for c in configurations {
            w.open()
            writeConfiguration(&w, c)
            w.close()
        }
        w.close(array: true)
        w.close()
        return w.text + "\n"
    }

    private func writeChain(_ w: inout JSONWriter, _ c: PlanChain) {
        w.string("strategy", c.strategy.rawValue)
        w.string("gpu", c.gpu.name)
        if let s = c.swapSpace { w.int("swap_space_bytes", s.bytes) }
        if let t = c.idleTimeout { if let t { w.double("idle_timeout_s", t.seconds) } else { w.string("idle_timeout", "never") } }
        if let e = c.eviction { w.string("eviction", e.rawValue) }
        if let k = c.keepAlive { w.double("keep_alive_s", k.seconds) }
        if let t = c.tiers { w.string("tiers", PlanAdvice.summary(t)) }
        if let r = c.modelReplicas {
            w.open("model_replicas", array: true)
            for n in r { w.int(nil, n) }
            w.close(array: true)
        }
    }

    private func writeConfiguration(_ w: inout JSONWriter, _ c: EvaluatedConfiguration) {
        writeChain(&w, c.configuration.chain)
        w.int("gpus", c.configuration.gpus)
        w.string("label", c.configuration.label)
        w.bool("feasible", isFeasible(c))
        if let reason = c.unrunnableReason {
            w.string("unrunnable", reason)
            return
        }
        w.bool("meets_slo", c.meetsSLO)
        writeSpread(&w, "usd_per_month", c.costPerMonth)
        writeSpread(&w, "ttft_p99_s", c.ttftP99)
        writeSpread(&w, "attainment", c.attainment)
        let m = c.metrics ?? []
        w.open("replications", array: true)
        for (e, r) in zip(c.evaluations, m) {
            w.open()
            w.uint("seed", e.seed)
            w.double("usd_per_month", r.costPerMonth)
            w.double("cost_usd", r.costUSD)
            w.double("gpu_hours", r.gpuHours)
            w.double("ttft_p50_s", r.ttftP50)
            w.double("ttft_p99_s", r.ttftP99)
            w.double("attainment", r.attainment)
            w.open("ttft_percentiles_achieved_s", array: true)
            for v in r.percentilesAchieved { w.double(nil, v) }
            w.close(array: true)
            w.bool("meets_slo", r.meetsSLO)
            w.int("completed", r.completed)
            w.int("rejected", r.rejected)
            w.int("cold_starts", r.coldStarts)
            w.int("swap_ins", r.swapIns)
            w.close()
        }
        w.close(array: true)
    }

    private func writeSpread(_ w: inout JSONWriter, _ key: String, _ s: Spread) {
        w.open(key)
        w.double("mean", s.mean)
        w.double("min", s.min)
        w.double("max", s.max)
        w.close()
    }

    private func writeCheck(_ w: inout JSONWriter, _ key: String, _ c: ConstraintCheck) {
        w.open(key)
        w.string("constraint", c.constraint)
        w.double("limit", c.limit)
        w.double("achieved", c.achieved)
        w.double("slack", c.slack)
        w.close()
    }

    // MARK: Markdown and table

    /// The plan as a Markdown report.
    public func markdown() -> String {
        var o = "# Capacity plan: \(Markdown.text(scenario))\n\n"
        o += "Trace \(Markdown.code(trace)), \(requests) requests; \(seedsText). SLO: \(sloText). At most \(space.maxGPUs) GPUs"
        o += space.budgetPerMonth.map { "; budget \(money($0.amount))/month.\n\n" } ?? "; no budget limit.\n\n"
        if let shard { o += "**Shard \(shard.description) only**: this covers part of the search, not the whole plan.\n\n" }
        o += "## Cheapest feasible configuration per strategy\n\n"
        o += markdownTable(header: answerHeader, rows: answerRows)
        o += "\n"
        for line in answerNotes { o += "- \(Markdown.text(line))\n" }
        if advice != nil {
            o += "\n## Per model: replicas and tiers\n\n"
            o += markdownTable(header: adviceHeader, rows: adviceRows)
            o += "\n\(adviceNote)\n"
        }
        o += "\n## Cost vs p99 TTFT: Pareto frontier\n\nOver every configuration evaluated (feasible or not), cheapest first.\n\n"
        o += markdownTable(header: pointHeader, rows: frontier.map(pointRow))
        o += "\n## Configurations that just missed\n\n"
        if nearMisses.isEmpty {
            o += "None within \(Int(Self.nearMissTolerance * 100))% of every limit.\n"
        } else {
            o += "Infeasible, but within \(Int(Self.nearMissTolerance * 100))% of every limit, closest first.\n\n"
            o += markdownTable(header: ["configuration", "strategy", "$/month", "shortfall"], rows: nearMisses.map { i in
                let c = configurations[i]
                return [c.configuration.label, c.configuration.strategy.rawValue, spread(c.costPerMonth, money), shortfall(c)]
            })
        }
        o += "\n## Search\n\n"
        o += markdownTable(header: chainHeader, rows: chainRows)
        o += "\n\(searchRule). \(Self.feasibilityRule.prefix(1).uppercased() + Self.feasibilityRule.dropFirst()). "
        o += "$/month is the trace's cost rate sustained for \(Int(PlanMetrics.hoursPerMonth)) hours. "
        o += "Each configuration maps onto the scenario as the strategy's GPU pool of that many GPUs of that type, on as many nodes of the scenario's shape as it needs.\n"
        return o
    }

    /// The plan as aligned plain-text tables, with how the evaluations were obtained.
    public func table() -> String {
        var o = "plan: \(scenario) over \(trace) (\(requests) requests; \(seedsText))\nSLO: \(sloText); at most \(space.maxGPUs) GPUs"
        o += space.budgetPerMonth.map { "; budget \(money($0.amount))/month\n" } ?? "\n"
        if let shard { o += "shard \(shard.description) only: part of the search\n" }
        o += "\n" + textTable(header: answerHeader, rows: answerRows)
        for line in answerNotes { o += "  \(line)\n" }
        if advice != nil {
            o += "\nper model:\n" + textTable(header: adviceHeader, rows: adviceRows) + "  \(adviceNote)\n"
        }
        o += "\nPareto frontier (cost vs p99 TTFT, every configuration evaluated):\n"
        o += textTable(header: pointHeader, rows: frontier.map(pointRow))
        if !nearMisses.isEmpty {
            o += "\njust missed:\n"
            for i in nearMisses {
                o += "  \(configurations[i].configuration.label) [\(configurations[i].configuration.strategy.rawValue)]: \(shortfall(configurations[i]))\n"
            }
        }
        o += "\n" + textTable(header: chainHeader, rows: chainRows)
        let s = statistics
        o += "\nevaluations: \(s.evaluations) in \(s.rounds) rounds; \(s.simulated) simulated, \(s.cacheHits) from the cache\n"
        return o
    }

    private var seedsText: String {
        seeds.count == 1 ? "seed \(seeds[0])" : "\(seeds.count) replications, seeds \(seeds[0])–\(seeds[seeds.count - 1])"
    }

    private var sloText: String {
        var t = "attainment ≥ \(PlanText.number(slo.attainment)) within \(PlanText.duration(slo.ttft))"
        for p in slo.ttftPercentiles { t += ", p\(PlanText.number(p.percentile)) TTFT ≤ \(PlanText.duration(p.target))" }
        return t
    }

    private var answerHeader: [String] { ["strategy", "cheapest feasible", "GPUs", "$/month", "$ for the trace", "p99 TTFT (s)", "attainment", "binding constraint"] }

    private var answerRows: [[String]] {
        strategies.map { p in
            guard let i = p.cheapest else {
                return [p.strategy.rawValue, "none feasible", "", "", "", "", "", ""]
            }
            let c = configurations[i]
            return [
                p.strategy.rawValue, c.configuration.label, String(c.configuration.gpus), spread(c.costPerMonth, money), windowCost(c),
                spread(c.ttftP99, seconds), spread(c.attainment, share), p.binding.map(\.description) ?? "",
            ]
        }
    }

    private var answerNotes: [String] {
        strategies.compactMap { p in
            if p.cheapest != nil { return p.oneFewer.map { "\(p.strategy.rawValue): \($0)" } }
            guard let i = p.closest else { return "\(p.strategy.rawValue): nothing was evaluated" }
            return "\(p.strategy.rawValue): nothing feasible; closest was \(configurations[i].configuration.label): \(p.closestReason ?? "")"
        }
    }

    private var pointHeader: [String] { ["configuration", "strategy", "$/month", "$ for the trace", "p99 TTFT (s)", "attainment", "feasible"] }

    private func pointRow(_ i: Int) -> [String] {
        let c = configurations[i]
        return [
            c.configuration.label, c.configuration.strategy.rawValue, spread(c.costPerMonth, money), windowCost(c),
            spread(c.ttftP99, seconds), spread(c.attainment, share), isFeasible(c) ? "yes" : "no",
        ]
    }

    private var chainHeader: [String] { ["chain", "strategy", "GPU", "settings", "counts evaluated", "fewest GPUs meeting the SLO"] }

    private var chainRows: [[String]] {
        chains.map { c in
            [String(c.index), c.chain.strategy.rawValue, c.chain.gpu.name, c.chain.settings.isEmpty ? "—" : c.chain.settings,
             c.evaluatedCounts.map(String.init).joined(separator: ", "), c.minimumGPUs.map(String.init) ?? "none"]
        }
    }

    /// What a configuration cost over the trace's window (mean over replications): "$30.24".
    func windowCost(_ c: EvaluatedConfiguration) -> String {
        let costs = c.metrics?.map(\.costUSD) ?? []
        guard !costs.isEmpty else { return "" }
        return RunSummary.dollars(costs.reduce(0, +) / Double(costs.count))
    }

    private func spread(_ s: Spread, _ f: (Double) -> String) -> String {
        seeds.count == 1 || f(s.min) == f(s.max) ? f(s.mean) : "\(f(s.mean)) (\(f(s.min))–\(f(s.max)))"
    }

    /// Whole dollars with thousands separators: "$22,075".
    private func money(_ v: Double) -> String { "$" + TraceInspectReport.grouped(v, decimals: 0) }
    private func seconds(_ v: Double) -> String { Fixed.format(v, decimals: 3) }
    private func share(_ v: Double) -> String { Fixed.format(v, decimals: 4) }

    private func markdownTable(header: [String], rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)\n" }
        var o = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
        for r in rows { o += "| " + r.map(Markdown.text).joined(separator: " | ") + " |\n" }
        return o
    }

    private func textTable(header: [String], rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)\n" }
        let all = ([header] + rows).map { $0.map { TerminalText.safe($0) } }
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { r in
            var line = ""
            for (c, cell) in r.enumerated() {
                line += cell + (c == r.count - 1 ? "" : String(repeating: " ", count: widths[c] - cell.count + 2))
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}
