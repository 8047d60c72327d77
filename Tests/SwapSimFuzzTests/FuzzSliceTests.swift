import Foundation
import SwapSimFuzz
import Testing

/// The short, deterministic slice of the fuzz harness that every test run does.
@Suite(.timeLimit(.minutes(3))) struct FuzzSliceTests {
    /// Inputs of the in-process slice: the parsers of every kind (scenario, fragment, profile
    /// and every trace format) over seeded mutations, in this process.
    static let parserInputs = 1200
    /// Inputs of the simulated slice, run by the executable in worker processes.
    static let simulatedInputs = 200

    func corpus() throws -> FuzzCorpus { try FuzzCorpus.load(root: FuzzFixtures.root) }

    @Test func theCorpusHasSeedsOfEveryKind() throws {
        let kinds = Set(try corpus().seeds.map(\.kind))
        #expect(kinds == Set(FuzzKind.allCases))
    }

    /// An iteration is the same input in any run: replaying a finding needs only seed and iteration.
    @Test func iterationsAreDeterministic() throws {
        var c = FuzzConfiguration()
        c.seed = 7
        let a = FuzzCampaign(corpus: try corpus(), configuration: c), b = FuzzCampaign(corpus: try corpus(), configuration: c)
        for i in [0, 1, 17, 999, 123_456] { #expect(a.input(at: i) == b.input(at: i)) }
        #expect(a.input(at: 1) != a.input(at: 2))
    }

    @Test func parsersSurviveASeededSliceInProcess() throws {
        var c = FuzzConfiguration()
        c.seed = 13
        c.iterations = Self.parserInputs
        c.simulate = false
        c.timeLimit = 10
        c.memoryLimit = 2 << 30
        let scratch = FuzzFixtures.scratch("slice")
        defer { try? FileManager.default.removeItem(at: scratch) }
        c.current = scratch.appendingPathComponent("current")
        c.out = scratch.appendingPathComponent("out")
        let campaign = FuzzCampaign(corpus: try corpus(), configuration: c)
        let harness = try FuzzHarness(root: FuzzFixtures.root, work: scratch.appendingPathComponent("work"), simulate: false)
        var messages = 0
        let stats = campaign.run(harness: harness) { _, input, outcome, _, _ in
            // An error is one line, naming something (no bare type dump, no NSError).
            if outcome.verdict.hasPrefix("error: ") {
                messages += 1
                #expect(!outcome.verdict.contains("\n") && !outcome.verdict.contains("Error Domain="), "\(input.kind): \(outcome.verdict.prefix(300))")
            }
        }
        print(stats.summaryLine)
        #expect(stats.inputs == Self.parserInputs)
        #expect(stats.findings.isEmpty, "\(stats.findings.map(\.line))")
        #expect(stats.accepted > 0 && messages > 0)
        #expect(Set(stats.byKind.keys) == Set(FuzzKind.allCases.map(\.rawValue)))
    }

    /// The executable over a simulated slice: no crash outside the simulator, no hang, memory
    /// within budget. A crash in the simulator (the core) is the lead's to fix: known.
    @Test func aSimulatedSliceOnlyCrashesInTheCore() throws {
        let scratch = FuzzFixtures.scratch("sim")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let r = try FuzzFixtures.run([
            "--seed", "1", "--iterations", "\(Self.simulatedInputs)", "--json", "--out", scratch.appendingPathComponent("out").path,
            "--current", scratch.appendingPathComponent("current").path, "--time-limit", "20",
        ])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr.suffix(500))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout.prefix(300))")
        #expect(json["inputs"] as? Int == Self.simulatedInputs)
        #expect((json["simulations"] as? Int ?? 0) > 0)
        let findings = json["findings"] as? [[String: Any]] ?? []
        // The simulator's crashes (issue 13's items 1 and 3) are fixed: every finding is a failure.
        #expect(findings.isEmpty, "\(r.stderr.suffix(1000))")
        for f in findings { Issue.record("\(f["kind"] ?? "") in \(f["input"] ?? "") during \(f["phase"] ?? ""): \(f["detail"] ?? "")") }
    }
}
