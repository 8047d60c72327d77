import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

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

        /// What `--arrivals` accepts.
        enum ArrivalKind: String, CaseIterable, ExpressibleByArgument {
            case poisson, fixed, gamma, onoff
        }

        @Option(help: "Comma-separated model names, the most popular first (optional with --model-rates, which then gives the order).")
        var models: String?

        @Option(help: "Length of the trace, with a unit (e.g. 10m, 1h, 2d; at most the latest arrival allowed, 100 years). Mean rate × duration may be at most 1e9 requests.")
        var duration: String

        // MARK: Arrivals

        @Option(help: "Arrival process: poisson, fixed (evenly spaced at --rate), gamma (needs --cv) or onoff (needs --on-rate, --on-duration, --off-duration).")
        var arrivals: ArrivalKind = .poisson

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
                let (parameters, names) = try self.parameters()
                let writer = try TraceFileWriter(path: output, format: try outputFormat())
                var generator = TraceGenerator(parameters, seed: seed)
                // The total is the expected count (mean rate × duration): the ETA is an estimate.
                let expected = Int64(max(1, (Self.meanRate(parameters.traffic) * parameters.duration.seconds).rounded()))
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

        /// The generator's parameters and the model names, from the flags.
        func parameters() throws -> (TraceGenerator.Parameters, [String]) {
            let d = try durationFlag("--duration", duration)
            guard d <= TraceLimits.latestArrival - .zero else {
                throw CLIError("--duration: a trace may last at most \(TraceLimits.latestArrivalText); got '\(duration)'")
            }
            let rates = try modelRates.map(Self.parseModelRates)
            let names = try modelNames(rates: rates)
            let traffic: TraceGenerator.Traffic
            if let rates {
                if rate != nil { throw CLIError("--rate and --model-rates cannot both be given: --model-rates sets each model's rate") }
                if modelMix != nil || zipf != nil { throw CLIError("--model-mix/--zipf and --model-rates cannot both be given: each model has its own rate") }
                if arrivals == .onoff { throw CLIError("--model-rates needs --arrivals poisson, fixed or gamma: onoff sets its rates with --on-rate and --off-rate") }
                let byName = Dictionary(uniqueKeysWithValues: rates)
                traffic = .perModel(try names.map { try process(rate: byName[$0]!) })
            } else {
                traffic = .shared(try process(rate: rate), weights: try popularity(names))
            }
            var p = TraceGenerator.Parameters(
                traffic: traffic, diurnal: try diurnal(), duration: d, inputTokens: .fixed(1), outputTokens: .fixed(1), maxTokens: maxTokens)
            (p.inputTokens, p.outputTokens) = try tokenDistributions()
            guard maxTokens >= 1 else { throw CLIError("--max-tokens must be at least 1, got \(maxTokens)") }
            if let reason = p.invalidReason { throw CLIError(reason) }
            try checkExpectedRequests(traffic, duration: d)
            return (p, names)
        }

        /// The mean requests per second of `traffic`, over every model.
        static func meanRate(_ traffic: TraceGenerator.Traffic) -> Double {
            switch traffic {
            case let .shared(process, _): return process.meanRate
            case let .perModel(processes): return processes.reduce(0) { $0 + $1.meanRate }
            }
        }

        /// Refuses, before writing anything, a trace whose expected size (mean rate × duration)
        /// exceeds ``TraceLimits/maxRequests``: generating is linear in the requests.
        func checkExpectedRequests(_ traffic: TraceGenerator.Traffic, duration: SimDuration) throws {
            let rate: Double
            let flags: String
            switch traffic {
            case let .shared(process, _):
                rate = process.meanRate
                flags = arrivals == .onoff ? "--on-rate/--off-rate" : "--rate"
            case let .perModel(processes):
                rate = processes.reduce(0) { $0 + $1.meanRate }
                flags = "--model-rates"
            }
            let expected = rate * duration.seconds
            guard expected <= Double(TraceLimits.maxRequests) else {
                throw CLIError(
                    "\(flags) × --duration: about \(Fixed.format(expected, decimals: 0)) requests (a mean of \(rate) per second for \(self.duration)), "
                        + "more than the limit of \(TraceLimits.maxRequestsText) per trace; lower the rate or shorten the duration")
            }
        }

        func outputFormat() throws -> NativeTraceFormat {
            guard let format else { return output?.hasSuffix(".jsonl") == true ? .jsonl : .csv }  // `-`: csv
            guard let f = NativeTraceFormat(rawValue: format) else { throw CLIError("--format: expected csv or jsonl, got '\(format)'") }
            return f
        }

        func durationFlag(_ flag: String, _ text: String) throws -> SimDuration {
            do throws(UnitParser.Failure) { return try UnitParser.duration(text) } catch { throw CLIError("\(flag): \(error.message)") }
        }

        /// `--model-rates NAME=RATE,…` in the order given.
        static func parseModelRates(_ text: String) throws -> [(String, Double)] {
            var rates: [(String, Double)] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = kv.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
                guard kv.count == 2, !name.isEmpty, let r = Double(kv[1].trimmingCharacters(in: .whitespaces)), r > 0, r.isFinite else {
                    throw CLIError("--model-rates: expected NAME=RATE pairs with a positive rate in requests per second, like a=2,b=0.5; got '\(item)'")
                }
                if rates.contains(where: { $0.0 == name }) { throw CLIError("--model-rates: model '\(name)' is listed twice") }
                rates.append((name, r))
            }
            return rates
        }

        /// The models, from `--models` (checked against `--model-rates`) or from `--model-rates`.
        func modelNames(rates: [(String, Double)]?) throws -> [String] {
            guard let models else {
                guard let rates else { throw CLIError("--models: give the comma-separated model names (or --model-rates)") }
                return rates.map(\.0)
            }
            let names = models.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.allSatisfy({ !$0.isEmpty }) else { throw CLIError("--models: give one or more comma-separated model names, none empty") }
            if let dup = names.enumerated().first(where: { i, n in names[..<i].contains(n) })?.element {
                throw CLIError("--models: model '\(dup)' is listed twice")
            }
            if let rates {
                if let missing = names.first(where: { n in !rates.contains { $0.0 == n } }) {
                    throw CLIError("--model-rates: no rate for model '\(missing)' of --models")
                }
                if let extra = rates.first(where: { !names.contains($0.0) }) {
                    throw CLIError("--model-rates: model '\(extra.0)' is not in --models")
                }
            }
            return names
        }

        /// The arrival process from `--arrivals` and its flags, at `rate` for poisson and gamma.
        func process(rate: Double?) throws -> ArrivalProcess {
            func positiveRate() throws -> Double {
                guard let rate else { throw CLIError("--rate: give the mean requests per second for --arrivals \(arrivals.rawValue)") }
                guard rate > 0, rate.isFinite else { throw CLIError("--rate: must be a positive number of requests per second, got \(rate)") }
                return rate
            }
            let onOffFlags = [("--on-rate", onRate != nil), ("--off-rate", offRate != nil), ("--on-duration", onDuration != nil), ("--off-duration", offDuration != nil)]
            if arrivals != .onoff, let flag = onOffFlags.first(where: \.1)?.0 {
                throw CLIError("\(flag) applies to --arrivals onoff only")
            }
            if arrivals != .gamma, cv != nil { throw CLIError("--cv applies to --arrivals gamma only") }
            switch arrivals {
            case .poisson:
                return .poisson(rate: try positiveRate())
            case .fixed:
                return .fixed(rate: try positiveRate())
            case .gamma:
                let r = try positiveRate()
                guard let cv else { throw CLIError("--cv: give the coefficient of variation of the gaps for --arrivals gamma") }
                let p = ArrivalProcess.gamma(rate: r, cv: cv)
                if let reason = p.invalidReason { throw CLIError("--cv: \(reason)") }
                return p
            case .onoff:
                if self.rate != nil { throw CLIError("--rate does not apply to --arrivals onoff: give --on-rate and --off-rate") }
                guard let onRate, let onDuration, let offDuration else {
                    throw CLIError("--arrivals onoff needs --on-rate, --on-duration and --off-duration (and optionally --off-rate, default 0)")
                }
                let p = ArrivalProcess.onOff(
                    onRate: onRate, offRate: offRate ?? 0, meanOn: try durationFlag("--on-duration", onDuration),
                    meanOff: try durationFlag("--off-duration", offDuration))
                if let reason = p.invalidReason { throw CLIError("--arrivals onoff: \(reason)") }
                return p
            }
        }

        /// Popularity weights over `names`, from `--model-mix` or `--zipf`.
        func popularity(_ names: [String]) throws -> [Double] {
            if modelMix != nil && zipf != nil { throw CLIError("--zipf is a shorthand for --model-mix zipf:S: give one of them") }
            let mix: ModelMix
            if let modelMix {
                do throws(WorkloadSpec.Failure) { mix = try WorkloadSpec.modelMix(modelMix) } catch { throw CLIError("--model-mix: \(error.message)") }
            } else {
                let s = zipf ?? 1
                guard s >= 0, s <= 10 else { throw CLIError("--zipf: the exponent must be in [0, 10], got \(s)") }
                mix = .zipf(s)
            }
            switch mix {
            case let .zipf(s), let .zipfShuffled(s, _):
                let weights = TraceGenerator.Traffic.zipfWeights(models: names.count, exponent: s)
                let rank = mix.ranks(count: names.count)!
                return names.indices.map { weights[rank[$0]] }
            case let .weights(w):
                if let unknown = mix.cumulativeWeights(over: names).unknown.first {
                    throw CLIError("--model-mix: model '\(unknown)' is not in --models")
                }
                if let missing = names.first(where: { w[$0] == nil }) {
                    throw CLIError("--model-mix: no weight for model '\(missing)' (give \(missing)=0 to leave it out)")
                }
                return names.map { w[$0]! }
            }
        }

        func diurnal() throws -> DiurnalModulation? {
            guard let a = diurnalAmplitude else { return nil }
            let m = DiurnalModulation(
                amplitude: a, period: try durationFlag("--diurnal-period", diurnalPeriod), peak: try durationFlag("--diurnal-peak", diurnalPeak))
            if let reason = m.invalidReason { throw CLIError("--diurnal-amplitude/--diurnal-period: \(reason)") }
            return m
        }

        /// Prompt and output distributions, from the spec flags or the lognormal shorthands.
        func tokenDistributions() throws -> (TokenDistribution, TokenDistribution) {
            if inputTokens != nil || outputTokens != nil,
                let shorthand = [("--input-mean", inputMean), ("--output-mean", outputMean), ("--sigma", sigma)].first(where: { $0.1 != nil })?.0
            {
                throw CLIError("\(shorthand) is a shorthand for a lognormal: it cannot be combined with --input-tokens or --output-tokens")
            }
            let s = sigma ?? 1
            guard s >= 0, s <= 10 else { throw CLIError("--sigma: must be in [0, 10], got \(s)") }
            for (flag, mean) in [("--input-mean", inputMean), ("--output-mean", outputMean)] {
                if let mean, !(mean >= 1 && mean.isFinite) { throw CLIError("\(flag): must be at least 1 token, got \(mean)") }
            }
            func spec(_ flag: String, _ text: String?, mean: Double) throws -> TokenDistribution {
                guard let text else { return .lognormal(mean: mean, sigma: s) }
                do throws(WorkloadSpec.Failure) { return try WorkloadSpec.tokens(text) } catch { throw CLIError("\(flag): \(error.message)") }
            }
            return (try spec("--input-tokens", inputTokens, mean: inputMean ?? 1000), try spec("--output-tokens", outputTokens, mean: outputMean ?? 250))
        }
    }
}
