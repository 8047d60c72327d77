import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension Trace {
    /// `swapsim trace convert`: any readable trace to native CSV or JSONL.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a trace in any format swapsim reads to native CSV or JSONL, filling what it lacks.",
            discussion: """
                Arrivals are rebased to start at 0 for absolute formats; missing token or model columns are \
                filled as --input-tokens, --output-tokens and --model-mix say (with --models naming the models). \
                What was filled is reported on stderr.
                """
        )

        @Argument(help: "The trace file (or ServeGen folder).")
        var input: String

        @OptionGroup(title: "Trace input") var traceFlags: TraceFlags

        @Option(help: "Comma-separated model names to assign requests to when the trace has no model column.")
        var models: String?

        @Option(help: "Seed of the streams that fill missing fields.")
        var seed: UInt64 = 1

        @Option(help: "Output format: csv or jsonl.")
        var to: NativeTraceFormat = .csv

        @Option(name: .shortAndLong, help: "Output file (default: stdout).")
        var output: String?

        func run() throws {
            try reportingErrors {
                let names = models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                let reader = try TraceInput(path: input, options: try traceFlags.options(seed: seed, models: names), models: nil)
                let writer = try TraceFileWriter(path: output, format: to)
                while let r = try reader.nextRequest() { writer.write(r, modelName: reader.modelNames[r.model]) }
                writer.finish()
                for l in reader.report.lines { FileHandle.standardError.write(Data("\(l)\n".utf8)) }
            }
        }
    }
}
