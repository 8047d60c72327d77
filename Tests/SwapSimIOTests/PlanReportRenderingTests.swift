import Foundation
import SwapSimCore
import Testing

@testable import SwapSimIO

/// The plan's HTML page: self-contained, every section present, untrusted text escaped, the
/// chart drawn from the plan (golden-free: the page's layout may change, these may not).
@Suite struct PlanReportRenderingTests {
    static let evil = "<script>alert(1)</script>"

    func report(_ result: PlanResult? = nil) throws -> PlanReport {
        PlanReport(
            result: try result ?? PlanRenderingTests.shared.get(), scenarioPath: "scenarios/demo.yaml", scenarioText: "name: demo\n",
            scenarioHash: String(repeating: "a", count: 64), traceHash: String(repeating: "b", count: 64), toolVersion: "0.0.0-test",
            command: "swapsim plan --scenario scenarios/demo.yaml --trace traces/demo.csv --max-gpus 6")
    }

    /// The demo plan with untrusted text wherever a scenario, a trace or a reason can put it,
    /// and its hot-swap answer taken away so the "nothing feasible" section shows a reason.
    func hostile() throws -> PlanReport {
        var r = try PlanRenderingTests.shared.get()
        r.scenario = "demo \(Self.evil) & \"quoted\""
        r.trace = "traces/\(Self.evil).csv"
        let k = try #require(r.strategies.firstIndex { $0.strategy == .hotSwap })
        r.strategies[k].closest = r.strategies[k].cheapest
        r.strategies[k].cheapest = nil
        r.strategies[k].closestReason = "model \(Self.evil) does not fit"
        var p = try report(r)
        p.scenarioPath = "scenarios/\(Self.evil).yaml"
        p.scenarioText = "name: \(Self.evil)\n"
        p.command = "swapsim plan --scenario 'scenarios/\(Self.evil).yaml'"
        return p
    }

    @Test func htmlHasNoExternalReferencesOrScripts() throws {
        for html in [try report().html(), try hostile().html()] {
            for forbidden in ["http://", "https://", "src=", "href=", "<script", "url(", "@import", "<link", "<iframe"] {
                #expect(!html.contains(forbidden), "the page contains \(forbidden)")
            }
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<meta name=\"viewport\""))
        }
    }

    @Test func untrustedTextAppearsOnlyEscaped() throws {
        let html = try hostile().html()
        #expect(!html.contains(Self.evil))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<h1>Capacity plan: demo &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;</h1>"))
        #expect(html.contains("model &lt;script&gt;alert(1)&lt;/script&gt; does not fit"))
    }

    @Test func everySectionIsPresentInOrder() throws {
        let html = try report().html()
        var last = html.startIndex
        for title in PlanReport.sectionTitles {
            let range = try #require(html.range(of: "<h2>\(title)</h2>"), "missing section \(title)")
            #expect(range.lowerBound > last, "\(title) out of order")
            last = range.lowerBound
        }
        #expect(html.contains("swapsim plan --scenario scenarios/demo.yaml"))
        #expect(html.contains(String(repeating: "a", count: 64)) && html.contains(String(repeating: "b", count: 64)))
    }

    @Test func answerTableGivesCostBindingConstraintAndSlack() throws {
        let r = try PlanRenderingTests.shared.get()
        let html = try report(r).html()
        for p in r.strategies {
            guard let i = p.cheapest, let b = p.binding else { continue }
            let c = r.configurations[i]
            #expect(html.contains(SVGWriter.escape(c.configuration.label)))
            #expect(html.contains(">\(SVGWriter.escape(b.constraint))</div></td>"))
            #expect(html.contains(PlanReport.percent(b.slack)))
            #expect(html.contains(PlanReport.money(c.costPerMonth.mean)))
        }
    }

    @Test func scatterHasADotPerConfigurationTheFrontierAndTheTarget() throws {
        let r = try PlanRenderingTests.shared.get()
        let html = try report(r).html()
        let ran = r.configurations.filter { $0.metrics != nil }.count
        let labelledAnswers = r.strategies.filter { $0.cheapest != nil }.count
        #expect(html.components(separatedBy: "<circle ").count - 1 == ran + labelledAnswers)
        // Hollow dots: the infeasible configurations that ran.
        let hollow = r.configurations.filter { $0.metrics != nil && !r.isFeasible($0) }.count
        #expect(html.components(separatedBy: "r=\"4\" fill=\"#fff\"").count - 1 == hollow)
        #expect(html.contains("stroke=\"#111\""), "no frontier line")
        #expect(html.contains("p99 TTFT target 10s"))
    }

    func nothingFeasibleSection(_ html: String) throws -> String {
        try #require(html.components(separatedBy: "<h2>When nothing is feasible</h2>").last?.components(separatedBy: "<h2>").first)
    }

    @Test func nothingFeasibleSaysWhatCameClosest() throws {
        let section = try nothingFeasibleSection(try hostile().html())
        #expect(section.contains("hot-swap"))
        #expect(section.contains("does not fit"))

        var r = try PlanRenderingTests.shared.get()
        let plain = try nothingFeasibleSection(try report(r).html())
        for p in r.strategies where p.cheapest == nil {
            #expect(plain.contains("<td>\(p.strategy.rawValue)</td>"), "\(p.strategy.rawValue) missing")
            #expect(plain.contains(SVGWriter.escape(p.closestReason ?? "?")))
        }
        // With an answer for every strategy, the section says so.
        r.strategies = r.strategies.filter { $0.cheapest != nil }
        #expect(try nothingFeasibleSection(try report(r).html()).contains("Every planned strategy has a feasible configuration."))
    }

    @Test func renderingTwiceGivesTheSameBytes() throws {
        #expect(try report().html() == report().html())
    }
}
