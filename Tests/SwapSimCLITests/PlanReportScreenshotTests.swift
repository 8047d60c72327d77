import Foundation
import Testing

/// `swapsim plan --report DIR`: the three files, the Markdown and JSON equal to `--format`'s,
/// a hostile scenario name escaped, and the page rendered by a real browser.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PlanReportScreenshotTests {
    let base = ["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--max-gpus", "4", "--idle-timeout", "60s,never"]

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func reportFolderHoldsTheMarkdownJSONAndPage() throws {
        let dir = try TemporaryDirectory()
        let run = try SwapSimExecutable.run(base + ["--report", dir.path("out"), "--format", "json"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("wrote plan.md, plan.json, plan.html to \(dir.path("out"))"), "\(run.stderr)")
        #expect(try read(dir.path("out/plan.json")) == run.stdout)
        let md = try SwapSimExecutable.run(base + ["--format", "markdown"])
        #expect(try read(dir.path("out/plan.md")) == md.stdout)
        let html = try read(dir.path("out/plan.html"))
        #expect(html.contains("<pre>swapsim plan --scenario scenarios/demo.yaml --trace traces/demo.csv --max-gpus 4 --idle-timeout 60s,never</pre>"))
    }

    @Test func hostileScenarioNameIsEscapedOnThePage() throws {
        let dir = try TemporaryDirectory()
        let demo = try read(SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml").path)
        let evil = "<script>alert(1)</script>"
        let scenario = try dir.write("evil.yaml", demo.replacingOccurrences(of: "name: demo\n", with: "name: \"\(evil)\"\n"))
        let run = try SwapSimExecutable.run(["plan", "--scenario", scenario, "--trace", "traces/demo.csv", "--max-gpus", "3", "--report", dir.path("out")])
        #expect(run.status == 0, "\(run)")
        let html = try read(dir.path("out/plan.html"))
        #expect(!html.contains("<script"))
        #expect(html.contains("<h1>Capacity plan: &lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
    }

    @Test(.enabled(if: Chromium.available, "needs chromium and python3 (bash .ci/run installs them)"))
    func planPageRendersWithoutErrors() throws {
        let dir = try TemporaryDirectory()
        let run = try SwapSimExecutable.run(base + ["--report", dir.path("out")])
        #expect(run.status == 0, "\(run)")
        try Chromium.expectRendersCleanly(
            dir.path("out/plan.html"), sizes: [("desktop", 1200, 2400), ("phone", 390, 2000)], in: dir, keepAs: "plan")
    }
}
