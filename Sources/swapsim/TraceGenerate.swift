import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension TraceGenerateSpec.ArrivalKind: ExpressibleByArgument {}

extension Trace {
    /// `swapsim trace generate`: a synthetic trace in native CSV or JSONL.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a synthetic trace (native CSV or JSONL).",
            discussion: """
                Arrivals are Poisson, fixed-rate (evenly spaced, as a benchmark client sends), gamma (a renewal \
                process with a given CV) or on/off bursts (a two-state \
                Markov-modulated Poisson process), optionally with a diurnal cycle. Requests go to models by \
                popularity (--model-mix, --zipf) or each model has its own rate (--model-rates). Token lengths \
                come from --input-tokens and --output-tokens. The same flags and --seed give the same file \
                byte for byte.

                Examples:
                  swapsim trace generate --models a,b,c --rate 2 --duration 10m --zipf 1.1 \\
                    -o t.csv
                  swapsim trace generate --models a,b --arrivals gamma --rate 5 --cv 3 \\
                    --duration 1h --input-tokens uniform:100-2000 --output-tokens fixed:256 \\
                    --format jsonl -o t.jsonl
                  swapsim trace generate --model-rates a=2,b=0.5 --duration 2d \\
                    --diurnal-amplitude 0.6 --diurnal-period 24h --diurnal-peak 14h -o t.csv
                  swapsim trace generate --models a,b --arrivals onoff --on-rate 20 \\
                    --off-rate 0.5 --on-duration 30s --off-duration 5m --duration 2h -o t.csv
                """
        )

        @Option(help: "Comma-separated model names, the most popular first (optional with --model-rates, which then gives the order).")
        var models: String?

        @Option(help: "Length of the trace, with a unit (e.g. 10m, 1h, 2d; at most the latest arrival allowed, 100 years). Mean rate × duration may be at most 1e9 requests.")
        var duration: String

        // MARK: Arrivals

        @Option(help: "Arrival process: poisson, fixed (evenly spaced at --rate), gamma (needs --cv) or onoff (needs --on-rate, --on-duration, --off-duration).")
        var arrivals: TraceGenerateSpec.ArrivalKind = .poisson

        @Option(parsing: .unconditional, help: "Mean requests per second over all models (poisson, fixed and gamma).")
        var rate: Double?

        @Option(parsing: .unconditional, help: "Coefficient of variation of the gaps between arrivals (gamma; 1 is Poisson, above 1 bursty).")
        var cv: Double?

        @Option(parsing: .unconditional, help: "Requests per second during an on period (onoff).")
        var onRate: Double?

        @Option(parsing: .unconditional, help: "Requests per second during an off period (onoff; default 0).")
        var offRate: Double?

        @Option(help: "Mean length of an on period, with a unit (onoff; periods are exponential).")
        var onDuration: String?

        @Option(help: "Mean length of an off period, with a unit (onoff).")
        var offDuration: String?

        @Option(parsing: .unconditional, help: "Diurnal cycle: the rate is multiplied by 1 + A·cos(2π(t − peak)/period); A in [0, 1].")
        var diurnalAmplitude: Double?

        @Option(help: "Period of the diurnal cycle, with a unit.")
        var diurnalPeriod: String = "24h"

        @Option(help: "When the diurnal cycle peaks, from the trace start (e.g. 14h when the trace starts at midnight).")
        var diurnalPeak: String = "0s"

        // MARK: Models

        @Option(help: "Model popularity for one shared arrival process: zipf:S (the first model most popular) or weights:NAME=W,NAME=W (default zipf:1).")
        var modelMix: String?

        @Option(parsing: .unconditional, help: "Shorthand for --model-mix zipf:S.")
        var zipf: Double?

        @Option(help: "One arrival process per model with its own mean rate, as NAME=RATE,NAME=RATE (requests per second); replaces --rate.")
        var modelRates: String?

        // MARK: Tokens

        @Option(help: "Prompt lengths: fixed:N, uniform:A-B, lognormal:MEAN,SIGMA or empirical:FILE (default lognormal:1000,1).")
        var inputTokens: String?

        @Option(help: "Output lengths, in the same forms (default lognormal:250,1).")
        var outputTokens: String?

        @Option(parsing: .unconditional, help: "Shorthand: mean prompt length of a lognormal (with --sigma).")
        var inputMean: Double?

        @Option(parsing: .unconditional, help: "Shorthand: mean output length of a lognormal (with --sigma).")
        var outputMean: Double?

        @Option(parsing: .unconditional, help: "Shorthand: log-space sigma of both lognormals (default 1).")
        var sigma: Double?

        @Option(parsing: .unconditional, help: "Token lengths are clamped to at most this.")
        var maxTokens: Int32 = 32768

        // MARK: Output

        @Option(parsing: .unconditional, help: "Seed of the random streams.")
        var seed: UInt64 = 1

        @Option(help: "csv or jsonl (default: jsonl when the output file ends in .jsonl, else csv).")
        var format: String?

        @Option(name: .shortAndLong, help: "Output file; - or none: stdout.", completion: .file())
        var output: String?

        @OptionGroup(title: "Progress") var progressFlag: ProgressFlag

        func run() throws {
            try reportingErrors {
                let spec = self.spec
                let (parameters, names) = try spec.parameters()
                let writer = try TraceFileWriter(path: output, format: try spec.outputFormat())
                var generator = TraceGenerator(parameters, seed: seed)
                // The total is the expected count (mean rate × duration): the ETA is an estimate.
                let expected = Int64(max(1, (TraceGenerateSpec.meanRate(parameters.traffic) * parameters.duration.seconds).rounded()))
                let meter = progressFlag.line("trace generate", unit: .items("requests"))
                defer { meter.finish() }
                var n: Int64 = 0
                while let r = generator.next() {
                    writer.write(r, modelName: names[r.model])
                    n += 1
                    if n & 0xFFFF == 0 { meter.update(done: n, total: max(expected, n), detail: "total expected") }
                }
                meter.update(done: n, total: n)
                writer.finish()
            }
        }

        /// The flags as typed, for SwapSimIO to turn into the generator's parameters.
        var spec: TraceGenerateSpec {
            var s = TraceGenerateSpec(duration: duration)
            s.models = models
            s.arrivals = arrivals
            s.rate = rate
            s.cv = cv
            s.onRate = onRate
            s.offRate = offRate
            s.onDuration = onDuration
            s.offDuration = offDuration
            s.diurnalAmplitude = diurnalAmplitude
            s.diurnalPeriod = diurnalPeriod
            s.diurnalPeak = diurnalPeak
            s.modelMix = modelMix
            s.zipf = zipf
            s.modelRates = modelRates
            s.inputTokens = inputTokens
            s.outputTokens = outputTokens
            s.inputMean = inputMean
            s.outputMean = outputMean
            s.sigma = sigma
            s.maxTokens = maxTokens
            s.format = format
            s.output = output
            return s
        }
    }
}
