import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension ValidationFormat: ExpressibleByArgument {}

/// `swapsim validate`: predicts published measurements and says how far off each is.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check swapsim's predictions against published measurements (validation/cases/*.yaml).",
        discussion: """
            Each case names its source, the hardware, model, serving stack, mechanism and storage \
            it ran (catalogue entries and presets only), and every figure it measured with a \
            tolerance. validate builds each case's scenario, simulates what each figure timed, \
            and prints measured, predicted and error. It exits non-zero when a gating figure \
            (copy and pinning rates, wakes, sleeps, cold starts and what a request sees of them) \
            is outside its tolerance; other figures are shown for information. The case format \
            is in validation/README.md.

            Examples:
              swapsim validate
              swapsim validate --case vllm-sleep-l1-qwen3-235b-fp8-tp4-a100 \\
                 --format markdown
            """
    )

    @Option(name: .customLong("case"), parsing: .upToNextOption, help: "Case names to run (file names without .yaml; default: every case).")
    var cases: [String] = []

    @Option(help: "Where the case files are.")
    var dir: String = "validation/cases"

    @Option(help: "Output format: table, json or markdown.")
    var format: ValidationFormat = .table

    @OptionGroup(title: "Progress") var progressFlag: ProgressFlag

    func run() throws {
        let report = try reportingErrors { () throws -> ValidationReport in
            var paths = try CaseLoader.files(in: dir)
            if !cases.isEmpty {
                let byName = Dictionary(paths.map { (URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
                paths = try cases.map { name in
                    guard let p = byName[name] else {
                        throw CLIError("--case: no case '\(name)' in \(dir) (cases: \(byName.keys.sorted().joined(separator: ", ")))")
                    }
                    return p
                }
            }
            if paths.isEmpty { throw CLIError("\(dir): no case files (*.yaml)") }
            var outcomes: [CaseOutcome] = []
            let meter = progressFlag.line("validate", unit: .items("cases"))
            defer { meter.finish() }
            for (i, p) in paths.enumerated() {
                meter.update(done: Int64(i), total: Int64(paths.count))
                let c = try CaseLoader.load(path: p)
                do { outcomes.append(try Validation.run(c)) } catch let e as CaseRunError { throw CLIError("\(p): \(e.description)") }
            }
            meter.update(done: Int64(paths.count), total: Int64(paths.count))
            return ValidationReport(outcomes: outcomes)
        }
        Terminal.out(report.render(format))
        if !report.passed { throw ExitCode(1) }
    }
}
