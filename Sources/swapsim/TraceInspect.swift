import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension TraceInspectReport.Format: ExpressibleByArgument {}

extension Trace {
    /// `swapsim trace inspect`: what is in a trace.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a trace: rows, span, rates, per-model counts, token lengths, inter-arrival CV and idle gaps.",
            discussion: "Streams the file in constant memory; a progress line is shown on stderr for large files when it is a terminal (with --progress, plain lines when it is not). A trace without a model column is summarised without a per-model breakdown unless --model-mix and --models assign models.\n\n" + examples(
                "swapsim trace inspect traces/demo.csv",
                "swapsim trace inspect traces/many-models.csv --format json")
        )

        @OptionGroup var trace: StandaloneTraceOptions

        @OptionGroup(title: "Progress") var progressFlag: ProgressFlag

        @Option(help: "Output format: table or json.")
        var format: TraceInspectReport.Format = .table

        func run() throws {
            let text = try reportingErrors {
                let reader = try trace.open(modelsOptional: true)
                var stats = TraceStatistics(modelCount: 0)
                let meter = progressFlag.line("reading \(trace.input)", unit: .bytes)
                defer { meter.finish() }
                var n = 0
                while let r = try reader.nextRequest() {
                    stats.add(r)
                    n += 1
                    if n & 0xFFFF == 0, let p = reader.progress { meter.update(done: p.done, total: p.total, detail: ProgressLine.count(Int64(n), "rows")) }
                }
                meter.finish()
                let report = TraceInspectReport(
                    trace: DemoLocator.display(trace.input), summary: stats.summary(modelNames: reader.modelNames), hasModelColumn: reader.hasModels)
                return report.render(format)
            }
            Terminal.out(text)
        }
    }
}
