import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The output formats of a run: the JSON contract of SPEC.md, and golden files for the text ones.
///
/// Golden files live in `Tests/SwapSimIOTests/Golden/`. They are compared byte for byte and
/// re-recorded only on purpose, by running the tests with the environment variable
/// `RECORD_GOLDEN=1` (e.g. `RECORD_GOLDEN=1 swift test --filter RunSummaryRenderingTests`),
/// after which the diff is reviewed and committed with the change that moved it.
@Suite struct RunSummaryRenderingTests {
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file `name`, or records it when `RECORD_GOLDEN=1`.
    func assertGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Fixtures.goldenDirectory.appendingPathComponent(name)
        if Self.recording {
            try FileManager.default.createDirectory(at: Fixtures.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("golden file \(url.path) is missing; run with RECORD_GOLDEN=1 to record it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            Issue.record(
                """
                \(name) differs from its golden file at line \(i + 1):
                  golden: \(i < e.count ? String(e[i]) : "<end>")
                  actual: \(i < a.count ? String(a[i]) : "<end>")
                (re-record with RECORD_GOLDEN=1 if the change is intended)
                """, sourceLocation: sourceLocation)
        }
    }

    func demo() throws -> RunSummary { try Fixtures.sharedDemo.get() }

    // MARK: JSON

    @Test func jsonHasEveryContractField() throws {
        let summary = try demo()
        let json = summary.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "swapsim.summary/1")
        #expect(object["scenario"] as? String == "demo")
        #expect(object["trace"] as? String == "traces/demo.csv")
        #expect((object["seed"] as? NSNumber)?.intValue == 1)
        #expect((object["requests"] as? NSNumber)?.intValue == Fixtures.demoTraceRequests)
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(strategies.map { $0["strategy"] as? String } == ["always-warm", "scale-to-zero", "hot-swap"])

        let numbers = [
            "requests", "completed", "rejected", "gpus", "gpu_hours", "cost_usd", "usd_per_million_output_tokens",
            "gpu_utilization", "cold_starts", "swap_ins", "swap_outs", "evictions", "bytes_host_to_gpu", "bytes_gpu_to_host",
        ]
        let nested: [String: [String]] = [
            "ttft_s": ["mean", "p50", "p90", "p95", "p99", "max"],
            "tpot_s": ["mean", "p50", "p99"],
            "e2e_s": ["mean", "p50", "p99"],
            "slo": ["ttft_target_s", "attainment"],
        ]
        for s in strategies {
            let name = s["strategy"] as? String ?? "?"
            for k in numbers {
                #expect(s[k] is NSNumber, "\(name).\(k) missing or not a number")
            }
            for (group, keys) in nested {
                let g = s[group] as? [String: Any]
                #expect(g != nil, "\(name).\(group) missing")
                for k in keys { #expect(g?[k] is NSNumber, "\(name).\(group).\(k) missing or not a number") }
            }
            #expect((s["requests"] as? NSNumber)?.intValue == Fixtures.demoTraceRequests)
            #expect((s["slo"] as? [String: Any])?["ttft_target_s"] as? Double == 2.0)
        }
        // Strategies that could not run are listed beside the results (none in the demo).
        #expect((object["infeasible"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonValuesMatchTheResults() throws {
        let summary = try demo()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        for (s, r) in zip(strategies, summary.results) {
            #expect((s["completed"] as? NSNumber)?.intValue == r.completed)
            #expect((s["swap_ins"] as? NSNumber)?.intValue == r.swapIns)
            #expect((s["bytes_host_to_gpu"] as? NSNumber)?.int64Value == r.bytesHostToGPU)
            // Foundation's parser may round the last digit, so compare parsed doubles loosely…
            let cost = (s["cost_usd"] as? NSNumber)?.doubleValue ?? .nan
            #expect(abs(cost - r.cost.amount) <= 1e-12 * max(1, r.cost.amount))
            let p99 = ((s["ttft_s"] as? [String: Any])?["p99"] as? NSNumber)?.doubleValue ?? .nan
            #expect(abs(p99 - r.ttft.p99) <= 1e-12 * max(1, r.ttft.p99))
        }
        // …and check the text itself: doubles are written in Swift's shortest round-trip form.
        let json = summary.json()
        for r in summary.results {
            #expect(json.contains("\"cost_usd\": \(r.cost.amount == r.cost.amount.rounded() ? String(format: "%.1f", r.cost.amount) : r.cost.amount.description),"))
            #expect(json.contains("\"gpu_hours\": \(r.gpuHours == r.gpuHours.rounded() ? String(format: "%.1f", r.gpuHours) : r.gpuHours.description),"))
        }
    }

    @Test func jsonListsStrategiesThatCouldNotRun() throws {
        let summary = try demo()
        let partial = RunSummary(
            scenario: "s", trace: "t.csv", seed: 1, results: [summary.results[2]],
            failures: [(.alwaysWarm, "always-warm needs 9 H100-SXM GPUs")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(partial.json().utf8)) as? [String: Any])
        let infeasible = try #require(object["infeasible"] as? [[String: Any]])
        #expect(infeasible.count == 1)
        #expect(infeasible.first?["strategy"] as? String == "always-warm")
        #expect(infeasible.first?["reason"] as? String == "always-warm needs 9 H100-SXM GPUs")
    }

    @Test func jsonEscapesStrings() throws {
        let summary = try demo()
        let odd = RunSummary(scenario: "quote \" back \\ tab \t nl \n bell \u{7}", trace: "ü/traces.csv", seed: 1, results: summary.results)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(odd.json().utf8)) as? [String: Any])
        #expect(object["scenario"] as? String == "quote \" back \\ tab \t nl \n bell \u{7}")
        #expect(object["trace"] as? String == "ü/traces.csv")
    }

    /// The seed is a UInt64 (`--seed` accepts any), so the JSON must carry it as written.
    @Test func jsonSeedAboveInt64MaxIsWrittenUnsigned() throws {
        let summary = try demo()
        let big = RunSummary(scenario: "demo", trace: "traces/demo.csv", seed: UInt64.max, results: summary.results)
        let jsonSeed = big.json().split(separator: "\n").first { $0.contains("\"seed\"") }.map(String.init)
        #expect(jsonSeed == "  \"seed\": 18446744073709551615,")
        let csvSeed = big.csv().split(separator: "\n")[1].split(separator: ",")[2]
        #expect(csvSeed == "18446744073709551615")
    }

    @Test func jsonIsStableAcrossRenders() throws {
        let summary = try demo()
        #expect(summary.json() == summary.json())
        #expect(summary.render(.json) == summary.json())
        #expect(summary.render(.table) == summary.table())
        #expect(summary.render(.csv) == summary.csv())
        #expect(summary.render(.markdown) == summary.markdown())
    }

    // MARK: Golden files

    @Test func demoMarkdownMatchesGolden() throws {
        try assertGolden(try demo().markdown(), named: "demo.md")
    }

    @Test func demoCSVMatchesGolden() throws {
        try assertGolden(try demo().csv(), named: "demo.csv")
    }

    @Test func demoTableMatchesGolden() throws {
        try assertGolden(try demo().table(), named: "demo.txt")
    }

    @Test func demoTableNamesTheCheapestStrategyMeetingTheSLO() throws {
        let summary = try demo()
        let cheapest = try #require(summary.cheapestMeetingSLO)
        let perMonth = cheapest.cost.amount / cheapest.horizon.seconds * 3600 * 730
        #expect(summary.table().hasSuffix(
            "Cheapest meeting the SLO: \(cheapest.strategy.rawValue) ($\(String(format: "%.2f", cheapest.cost.amount)) for the trace, $\(Self.grouped(perMonth)) per month)\n"))
    }

    @Test func csvHasOneRowPerStrategyWithTheHeaderWidth() throws {
        let lines = try demo().csv().split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 4)
        let header = lines[0].map(String.init)
        #expect(Array(header.prefix(4)) == ["scenario", "trace", "seed", "strategy"])
        for row in lines.dropFirst() { #expect(row.count == header.count) }
        #expect(lines.dropFirst().map { String($0[3]) } == ["always-warm", "scale-to-zero", "hot-swap"])
    }

    @Test func csvQuotesFieldsWithCommasAndQuotes() throws {
        let summary = try demo()
        let odd = RunSummary(scenario: "a,\"b\"", trace: "t.csv", seed: 1, results: [summary.results[0]])
        let row = odd.csv().split(separator: "\n")[1]
        #expect(row.hasPrefix("\"a,\"\"b\"\"\",t.csv,1,always-warm,"))
    }

    // MARK: Markdown

    /// Pipes that are not escaped with a backslash: the ones that split a table row into cells.
    func unescapedPipes(_ line: Substring) -> Int {
        var n = 0
        var previous: Character = " "
        for c in line {
            if c == "|" && previous != "\\" { n += 1 }
            previous = c
        }
        return n
    }

    @Test func markdownEscapesPipesInNames() throws {
        let summary = try demo()
        let odd = RunSummary(
            scenario: "team|a", trace: "traces/demo.csv", seed: 1, results: summary.results,
            failures: [(.alwaysWarm, "model 'chat|v2' needs 90.00 GiB")])
        let md = odd.markdown()
        #expect(md.hasPrefix("# swapsim: team\\|a\n"))
        #expect(md.contains("- **always-warm** could not run: model 'chat\\|v2' needs 90.00 GiB\n"))
        // Every table row has exactly one cell per strategy plus the label.
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(rows.count > 10)
        for row in rows { #expect(unescapedPipes(row) == summary.results.count + 2, "\(row)") }
    }

    @Test func markdownTableShape() throws {
        let summary = try demo()
        let md = summary.markdown()
        #expect(md.contains("| metric | always-warm | scale-to-zero | hot-swap |\n|---|---:|---:|---:|\n"))
        let cheapest = try #require(summary.cheapestMeetingSLO)
        #expect(md.hasSuffix("|\n\nCheapest meeting the SLO: \(cheapest.strategy.rawValue) ($\(String(format: "%.2f", cheapest.cost.amount)) for the trace, $\(Self.grouped(cheapest.cost.amount / cheapest.horizon.seconds * 3600 * 730)) per month)\n"))
    }

    /// `x` with two decimals and thousands separators, as a check independent of the renderer's.
    static func grouped(_ x: Double) -> String {
        let text = String(format: "%.2f", x)
        let parts = text.split(separator: ".")
        var digits = String(parts[0])
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out + "." + parts[1]
    }
}
