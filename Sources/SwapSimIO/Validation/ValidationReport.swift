import SwapSimCore

/// How `swapsim validate` prints its outcomes.
public enum ValidationFormat: String, CaseIterable, Sendable {
    case table, json, markdown
}

/// The outcomes of validation cases, as a table, Markdown or JSON: per figure what was measured,
/// what swapsim predicts, the error and whether it is within the figure's tolerance.
public struct ValidationReport: Sendable {
    public var outcomes: [CaseOutcome]

    public init(outcomes: [CaseOutcome]) { self.outcomes = outcomes }

    /// Whether every gating figure of every case is within its tolerance.
    public var passed: Bool { outcomes.allSatisfy(\.passed) }

    public func render(_ format: ValidationFormat) -> String {
        switch format {
        case .table: return TraceInspectReport.align(rows(), header: Self.header, leftColumns: 3) + "\n" + verdict + "\n"
        case .markdown: return markdown()
        case .json: return json()
        }
    }

    static let header = ["case", "figure", "experiment", "measured", "predicted", "error", "tolerance", "result"]

    /// One row of cells per figure.
    func rows() -> [[String]] {
        var out: [[String]] = []
        for c in outcomes {
            for f in c.figures {
                let fig = f.figure
                out.append([
                    c.validationCase.name, fig.name, fig.experiment.name, Self.measured(fig), Self.predicted(f), Self.percent(f.error),
                    Self.tolerance(fig), Self.result(f),
                ])
            }
        }
        return out
    }

    /// Counts for the closing line.
    var counts: (gating: Int, gatingPassed: Int, informative: Int, informativePassed: Int) {
        var g = 0, gp = 0, i = 0, ip = 0
        for c in outcomes {
            for f in c.figures {
                if f.figure.gates {
                    g += 1
                    if f.passed { gp += 1 }
                } else {
                    i += 1
                    if f.passed { ip += 1 }
                }
            }
        }
        return (g, gp, i, ip)
    }

    var verdict: String {
        let n = counts
        let head = "\(outcomes.count) case\(outcomes.count == 1 ? "" : "s"): \(n.gatingPassed) of \(n.gating) gating figures within tolerance"
        let info = n.informative == 0 ? "" : "; \(n.informativePassed) of \(n.informative) informative figures within tolerance"
        return head + info + (passed ? ". PASS" : ". FAIL")
    }

    func markdown() -> String {
        var out = "| " + Self.header.joined(separator: " | ") + " |\n|---|---|---|---:|---:|---:|---:|---|\n"
        for r in rows() { out += "| " + r.map(Markdown.text).joined(separator: " | ") + " |\n" }
        return out + "\n" + verdict + "\n"
    }

    func json() -> String {
        var w = JSONWriter()
        w.open()
        w.bool("passed", passed)
        let n = counts
        w.int("gating_figures", n.gating)
        w.int("gating_within_tolerance", n.gatingPassed)
        w.int("informative_figures", n.informative)
        w.int("informative_within_tolerance", n.informativePassed)
        w.open("cases", array: true)
        for c in outcomes {
            let vc = c.validationCase
            w.open()
            w.string("name", vc.name)
            w.string("description", vc.description)
            w.open("source")
            w.string("title", vc.source.title)
            w.string("url", vc.source.url)
            w.string("date", vc.source.date)
            w.close()
            w.bool("passed", c.passed)
            w.open("figures", array: true)
            for f in c.figures {
                let fig = f.figure
                w.open()
                w.string("name", fig.name)
                w.string("experiment", fig.experiment.name)
                w.string("unit", fig.unit)
                w.open("measured", array: true)
                for v in fig.measured { w.double(nil, v) }
                w.close(array: true)
                w.string("compare", fig.bound.map { $0.rawValue + " bound" } ?? fig.aggregate.rawValue)
                w.open("predicted", array: true)
                for v in f.predicted { w.double(nil, v) }
                w.close(array: true)
                w.double("error", f.error)
                w.string("tolerance", Self.tolerance(fig))
                w.bool("gates", fig.gates)
                w.bool("within_tolerance", f.passed)
                w.close()
            }
            w.close(array: true)
            w.close()
        }
        w.close(array: true)
        w.close()
        return w.text + "\n"
    }

    // MARK: Cells

    static func number(_ v: Double) -> String {
        let a = abs(v)
        // Per-token times (milliseconds, in seconds) keep two significant figures.
        return Fixed.format(v, decimals: a >= 100 ? 1 : a >= 1 ? 2 : a >= 0.01 || a == 0 ? 3 : 5)
    }

    static func measured(_ f: ValidationCase.Figure) -> String {
        let u = " " + f.unit
        if let b = f.bound { return (b == .lower ? "> " : "< ") + number(b == .lower ? f.measured.max()! : f.measured.min()!) + u }
        if f.measured.count == 1 { return number(f.measured[0]) + u }
        switch f.aggregate {
        case .mean: return number(f.measured.reduce(0, +) / Double(f.measured.count)) + u + " (mean of \(f.measured.count))"
        case .each: return f.measured.map(number).joined(separator: "/") + u
        case .range: return number(f.measured.min()!) + "–" + number(f.measured.max()!) + u
        }
    }

    static func predicted(_ o: FigureOutcome) -> String {
        o.predicted.isEmpty ? "—" : o.predicted.map(number).joined(separator: " / ") + " " + o.figure.unit
    }

    static func percent(_ e: Double) -> String {
        guard e.isFinite else { return "—" }
        return (e >= 0 ? "+" : "") + Fixed.format(e * 100, decimals: 1) + "%"
    }

    static func tolerance(_ f: ValidationCase.Figure) -> String {
        switch f.tolerance {
        case let .relative(t): return "±" + Fixed.format(t * 100, decimals: 0) + "%"
        case let .absolute(a): return "±" + number(a) + " " + f.unit
        }
    }

    static func result(_ o: FigureOutcome) -> String {
        switch (o.figure.gates, o.passed) {
        case (true, true): return "ok"
        case (true, false): return "MISS"
        case (false, true): return "ok (info)"
        case (false, false): return "miss (info)"
        }
    }
}
