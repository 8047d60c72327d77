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

                Examples:
                  swapsim trace convert log.jsonl --trace-format jsonl --map arrival=ts:ms \\
                     --map model=name --map input=prompt_len --map output=completion_len \\
                     -o log.csv
                  swapsim trace convert azure.csv --model-mix zipf:1 --models a,b,c -o - | head
                """
        )

        @OptionGroup var trace: StandaloneTraceOptions

        @Option(help: "Output format: csv or jsonl.")
        var to: NativeTraceFormat = .csv

        @Option(name: .shortAndLong, help: "Output file; - or none: stdout.", completion: .file())
        var output: String?

        func run() throws {
            try reportingErrors {
                let reader = try trace.open()
                let writer = try TraceFileWriter(path: output, format: to)
                while let r = try reader.nextRequest() { writer.write(r, modelName: reader.modelNames[r.model]) }
                writer.finish()
                for l in reader.report.lines { Terminal.note(l) }
            }
        }
    }
}
