import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// `swapsim validate` in the test suite: every case made from ../shared/validation/published.md
/// loads, and every gating figure (copy and pinning rates, wakes, sleeps, cold starts) is within
/// its tolerance; bad case files give one clear error.
@Suite struct ValidationCaseTests {
    static let directory = Fixtures.path("validation/cases")

    @Test func everyGatingFigureOfEveryCaseIsWithinItsTolerance() throws {
        let files = try CaseLoader.files(in: Self.directory)
        #expect(files.count >= 30)
        var gating = 0
        for f in files {
            let outcome = try Validation.run(try CaseLoader.load(path: f))
            for o in outcome.figures where o.figure.gates {
                gating += 1
                #expect(o.passed, "\(outcome.validationCase.name) \(o.figure.name): predicted \(o.predicted), measured \(o.figure.measured), error \(o.error)")
            }
        }
        // Copy rates, pinning, wakes, sleeps and cold starts of every source are covered.
        #expect(gating >= 40)
    }

    /// Each published kind of figure gates: wakes, sleeps and cold starts at 15%, copy rates at 5%.
    @Test func theIssuesFiguresGateWithTheirTolerances() throws {
        var kinds: Set<String> = []
        for f in try CaseLoader.files(in: Self.directory) {
            for fig in try CaseLoader.load(path: f).figures where fig.gates {
                kinds.insert(fig.experiment.name)
                switch fig.experiment {
                case .copyH2D, .copyD2H, .copyBidirectional: #expect(fig.tolerance == .relative(0.05), "\(f) \(fig.name)")
                case .wake, .sleep, .coldStart: #expect(fig.tolerance == .relative(0.15), "\(f) \(fig.name)")
                default: break
                }
            }
        }
        #expect(kinds.isSuperset(of: ["wake", "sleep", "cold-start", "ttft-from-zero", "copy-h2d", "copy-d2h", "copy-bidirectional"]))
    }

    /// The same cases, twice: byte-identical output in every format.
    @Test func outputIsDeterministic() throws {
        let files = try CaseLoader.files(in: Self.directory).filter { $0.contains("vllm-sleep-l1") || $0.contains("nvbandwidth") }
        func render() throws -> [String] {
            let report = ValidationReport(outcomes: try files.map { try Validation.run(try CaseLoader.load(path: $0)) })
            return ValidationFormat.allCases.map { report.render($0) }
        }
        #expect(try render() == render())
    }

    static let minimal = """
        version: 1
        name: tiny
        source: {title: a post, url: https://example.com}
        setup:
          gpu: A100-80GB
          gpus_per_node: 1
          model: qwen3-8b
        figures:
          - name: wake
            experiment: wake
            measured: [2.0]
            unit: s
            tolerance: 15%

        """

    @Test(arguments: [
        ("experiment: wake", "experiment: nap", "figures[0].experiment", "unknown experiment 'nap'"),
        ("tolerance: 15%", "tolerance: 15 percent", "figures[0].tolerance", "expected a share like 15%"),
        ("model: qwen3-8b", "model: qwen3-9b", "setup.model", "unknown model 'qwen3-9b'"),
        ("gpu: A100-80GB", "gpu: A100-90GB", "setup.gpu", "unknown GPU 'A100-90GB'"),
        ("measured: [2.0]", "measured: [2 s]", "figures[0].measured", "expected numbers in the figure's unit"),
        ("unit: s", "unit: ms", "figures[0].unit", "expected s, GB/s or x"),
        ("    unit: s\n", "    unit: s\n    colour: red\n", "figures[0].colour", "unknown key"),
    ])
    func aBadCaseFileGivesOneClearError(from: String, to: String, keyPath: String, says: String) throws {
        let text = Self.minimal.replacingOccurrences(of: from, with: to)
        #expect(text != Self.minimal)
        do {
            _ = try CaseLoader.parse(text, file: "tiny.yaml")
            Issue.record("no error for \(to)")
        } catch {
            #expect(error.description.hasPrefix("tiny.yaml:"), "\(error.description)")
            #expect(error.description.contains(keyPath), "\(error.description)")
            #expect(error.description.contains(says), "\(error.description)")
        }
    }

    /// A made-up measurement far from what swapsim predicts fails, and the report says so.
    @Test func aFigureOutsideItsToleranceFails() throws {
        let c = try CaseLoader.parse(Self.minimal.replacingOccurrences(of: "measured: [2.0]", with: "measured: [20.0]"), file: "tiny.yaml")
        let outcome = try Validation.run(c)
        #expect(!outcome.passed)
        let report = ValidationReport(outcomes: [outcome])
        #expect(!report.passed)
        #expect(report.render(.table).contains("MISS"))
        #expect(report.render(.json).contains("\"passed\": false"))
    }
}
