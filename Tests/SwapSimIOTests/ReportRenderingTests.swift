import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The demo's report, shared by the report and store tests: every strategy, every request
/// recorded, paths as they are in the repository so output does not depend on the checkout.
enum ReportFixtures {
    static func demoReport() throws -> RunReport {
        let scenario = try ScenarioLoader.load(path: Fixtures.demoScenario)
        let (outcomes, input) = try Runner.run(
            scenario: scenario, tracePath: Fixtures.demoTrace, strategies: StrategyKind.compared(in: scenario), threads: 2, recordRequests: true)
        var summary = RunSummary(scenario: scenario.name, trace: "traces/demo.csv", seed: 1, outcomes: Array(zip(StrategyKind.compared(in: scenario), outcomes)))
        summary.traceInput = input
        var report = try RunReport.make(
            summary: summary, scenario: scenario, scenarioPath: Fixtures.demoScenario, tracePath: Fixtures.demoTrace,
            toolVersion: "0.0.0-test", command: "swapsim compare --scenario scenarios/demo.yaml --trace traces/demo.csv")
        report.scenarioPath = "scenarios/demo.yaml"
        return report
    }

    static let shared: Result<RunReport, any Error> = Result { try demoReport() }

    /// The demo report with untrusted text everywhere a scenario or trace can put it.
    static func hostileReport() throws -> RunReport {
        var r = try shared.get()
        let evil = "<script>alert(1)</script>"
        r.modelNames[0] = evil
        r.summary.scenario = "demo \(evil) | \"quoted\", with comma"
        r.summary.trace = "traces/\(evil).csv"
        r.scenarioPath = "scenarios/\(evil).yaml"
        r.scenarioText = evil
        r.gpuName = evil
        for i in r.summary.results.indices where !r.summary.results[i].lifecycle.isEmpty {
            r.summary.results[i].lifecycle[0].reason = .recorded("request for \(evil)")
        }
        return r
    }
}

/// The report's text formats (golden files) and its HTML page's guarantees.
///
/// Golden files are re-recorded with `RECORD_GOLDEN=1`, as for ``RunSummaryRenderingTests``.
@Suite struct ReportRenderingTests {
    func report() throws -> RunReport { try ReportFixtures.shared.get() }

    @Test func markdownMatchesGolden() throws {
        try RunSummaryRenderingTests().assertGolden(try report().markdown(), named: "report-demo.md")
    }

    @Test func csvMatchesGolden() throws {
        try RunSummaryRenderingTests().assertGolden(try report().csv(), named: "report-demo.csv")
    }

    @Test func renderingTwiceGivesTheSameBytes() throws {
        let a = try ReportFixtures.demoReport(), b = try report()
        #expect(a.markdown() == b.markdown())
        #expect(a.csv() == b.csv())
        #expect(a.json() == b.json())
        #expect(a.html() == b.html())
    }

    @Test func jsonParsesAndEmbedsTheSummary() throws {
        let r = try report()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "swapsim.report/1")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["schema"] as? String == "swapsim.summary/1")
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(strategies.count == 3)
        let cdf = try #require(strategies[0]["ttft_cdf"] as? [String: Any])
        #expect((cdf["quantiles"] as? [Any])?.count == LatencyCDF.grid.count)
        #expect(((object["trace"] as? [String: Any])?["sha256"] as? String)?.count == 64)
    }

    @Test func htmlHasNoExternalReferencesOrScripts() throws {
        let html = try report().html()
        for forbidden in ["http://", "https://", "src=", "href=", "<script", "url(", "@import", "<link", "<iframe"] {
            #expect(!html.contains(forbidden), "the page contains \(forbidden)")
        }
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("<svg viewBox="))
        #expect(html.contains("width=\"100%\""))
    }

    @Test func htmlShowsEverySection() throws {
        let html = try report().html()
        for heading in ["Comparison", "TTFT distribution", "Cost versus p99 TTFT", "Where the time went", "GPU memory over time", "Reproduce"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "missing section \(heading)")
        }
        // The cheapest strategy meeting the SLO is highlighted in the table.
        #expect(html.contains("<th class=\"best\">hot-swap ★</th>"))
        #expect(html.contains("SLO target 2.000 s"))
        // One memory chart per GPU of each strategy's pool.
        let charts = html.components(separatedBy: "<title>hot-swap · GPU ").count - 1
        #expect(charts == (try report()).summary.results.first { $0.strategy == .hotSwap }?.timeline.gpus)
    }

    /// A large pool draws only the GPUs that held memory, at most 64 of them, and says so: a
    /// chart per GPU of a 12,288-GPU cluster made a 69 MB page (issue 13).
    @Test func largePoolsDrawOnlyGPUsThatHeldMemory() throws {
        var r = try report()
        let i = try #require(r.summary.results.firstIndex { $0.strategy == .hotSwap })
        var t = r.summary.results[i].timeline
        let gpus = 200
        // GPUs 0, 3, 6, …: 67 of them hold memory at some sample; the others never do.
        t.samples = t.samples.enumerated().map { k, smp in
            let residents = (0..<gpus).map { g in g % 3 == 0 && k % 2 == 0 ? [ResidentShare(model: 0, bytes: .gibibytes(1))] : [] }
            return TimelineSample(
                time: smp.time, residents: residents, hostToDeviceBytes: Array(repeating: 0, count: gpus),
                deviceToHostBytes: Array(repeating: 0, count: gpus), queued: 0, running: 0)
        }
        t.gpus = gpus
        r.summary.results[i].timeline = t
        let html = r.html()
        let drawn = html.components(separatedBy: "<title>hot-swap · GPU ").count - 1
        #expect(drawn == RunReport.maxMemoryCharts)
        #expect(html.contains("64 of 200 GPUs drawn: those that held memory, at most 64."))
        #expect(!html.contains("<title>hot-swap · GPU 1<"), "GPU 1 never held memory")
        #expect(html.contains("<title>hot-swap · GPU 189<"))
        #expect(!html.contains("<title>hot-swap · GPU 192<"), "the 65th GPU that held memory is not drawn")
    }

    /// A sampled lifecycle log is said to be one, with how many steps were kept of how many.
    @Test func aSampledLifecycleLogIsSaidToBeOne() throws {
        var r = try report()
        #expect(!r.markdown().contains("an even sample of the steps"))
        let i = try #require(r.summary.results.firstIndex { $0.strategy == .hotSwap && !$0.lifecycle.isEmpty })
        let kept = r.summary.results[i].lifecycle.count
        r.summary.results[i].lifecycleRecorded = kept * 4
        #expect(r.markdown().contains("an even sample of the steps (hot-swap \(kept) of \(kept * 4))"))
        #expect(r.json().contains("\"lifecycle_recorded\": \(kept * 4)"))
    }

    @Test func untrustedTextAppearsOnlyEscapedInHTML() throws {
        let html = try ReportFixtures.hostileReport().html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(1)</"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func untrustedTextIsEscapedInMarkdownAndCSV() throws {
        let r = try ReportFixtures.hostileReport()
        let md = r.markdown()
        // Issue 13: Markdown passes inline HTML through to renderers, so names land as entities.
        #expect(!md.contains("<script"))
        #expect(md.hasPrefix("# swapsim: demo &lt;script&gt;alert(1)&lt;/script&gt; \\| \"quoted\", with comma\n"))
        let csv = r.csv()
        let row = try #require(csv.split(separator: "\n").dropFirst().first)
        #expect(row.hasPrefix("\"demo <script>alert(1)</script> | \"\"quoted\"\", with comma\",traces/<script>alert(1)</script>.csv,1,always-warm,"))
    }
}

/// The SVG writer: escaping, fixed number formatting, axes.
@Suite struct ReportSVGTests {
    @Test func numbersHaveAtMostTwoFixedDecimals() {
        let r = try? ReportFixtures.shared.get()
        let html = r?.html() ?? ""
        // No exponent notation and no long decimals anywhere in the drawing.
        #expect(!html.contains("e-0"))
        #expect(html.range(of: #"\.\d{3,}""#, options: .regularExpression) == nil)
    }
}
