import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension Trace {
    /// `swapsim trace generate`: a synthetic Poisson trace in native CSV.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a Poisson trace with Zipf model popularity and lognormal token lengths (native CSV)."
        )

        @Option(help: "Comma-separated model names; the first is the most popular.")
        var models: String

        @Option(help: "Mean requests per second over all models.")
        var rate: Double

        @Option(help: "Length of the trace, with a unit (e.g. 10m, 1h).")
        var duration: String

        @Option(help: "Zipf exponent of model popularity (0 = uniform).")
        var zipf: Double = 1.0

        @Option(help: "Mean prompt length in tokens.")
        var inputMean: Double = 1000

        @Option(help: "Mean output length in tokens.")
        var outputMean: Double = 250

        @Option(help: "Log-space sigma of both token-length distributions.")
        var sigma: Double = 1.0

        @Option(help: "Seed of the random streams.")
        var seed: UInt64 = 1

        @Option(name: .shortAndLong, help: "Output file (default: stdout).")
        var output: String?

        func run() throws {
            try reportingErrors {
                let names = models.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && !$0.contains(",") }) else {
                    throw CLIError("--models: give one or more comma-separated model names, none empty")
                }
                if let dup = names.enumerated().first(where: { i, n in names[..<i].contains(n) })?.element {
                    throw CLIError("--models: model '\(dup)' is listed twice")
                }
                guard rate > 0, rate.isFinite else { throw CLIError("--rate: must be a positive number of requests per second, got \(rate)") }
                guard inputMean >= 1, outputMean >= 1 else { throw CLIError("--input-mean and --output-mean must be at least 1 token") }
                guard sigma >= 0 else { throw CLIError("--sigma must not be negative") }
                let d: SimDuration
                do throws(UnitParser.Failure) { d = try UnitParser.duration(duration) } catch { throw CLIError("--duration: \(error.message)") }
                var gen = TraceGenerator(
                    .init(rate: rate, duration: d, models: names.count, zipf: zipf, inputMean: inputMean, inputSigma: sigma,
                          outputMean: outputMean, outputSigma: sigma),
                    seed: seed)
                let writer = try TraceFileWriter(path: output, format: .csv)
                while let r = gen.next() { writer.write(r, modelName: names[r.model]) }
                writer.finish()
            }
        }
    }
}
