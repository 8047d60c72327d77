import SwapSimCore

/// What `swapsim trace generate` is asked for, as typed on its command line, and the
/// generator's parameters it makes: every flag's parsing and every check between flags lives
/// here, so the command line only declares the flags.
///
/// Errors name the flag (`--rate`, `--model-rates`, …) since that is what the user typed.
public struct TraceGenerateSpec: Sendable {
    /// What `--arrivals` accepts.
    public enum ArrivalKind: String, CaseIterable, Sendable {
        case poisson, fixed, gamma, onoff
    }

    public var models: String?
    public var duration: String
    public var arrivals: ArrivalKind = .poisson
    public var rate: Double?
    public var cv: Double?
    public var onRate: Double?
    public var offRate: Double?
    public var onDuration: String?
    public var offDuration: String?
    public var diurnalAmplitude: Double?
    public var diurnalPeriod = "24h"
    public var diurnalPeak = "0s"
    public var modelMix: String?
    public var zipf: Double?
    public var modelRates: String?
    public var inputTokens: String?
    public var outputTokens: String?
    public var inputMean: Double?
    public var outputMean: Double?
    public var sigma: Double?
    public var maxTokens: Int32 = 32768
    /// `csv` or `jsonl`; nil: from the output file's name.
    public var format: String?
    /// The output file; nil or `-`: stdout.
    public var output: String?

    /// A spec of `duration` (the one flag without a default) and every other flag at its default.
    public init(duration: String) { self.duration = duration }

    /// The generator's parameters and the model names.
    ///
    /// - Throws: ``TraceGenerateError`` naming the flag and what is wrong, before anything is written.
    public func parameters() throws -> (TraceGenerator.Parameters, [String]) {
        let d = try durationFlag("--duration", duration)
        guard d <= TraceLimits.latestArrival - .zero else {
            throw TraceGenerateError("--duration: a trace may last at most \(TraceLimits.latestArrivalText); got '\(duration)'")
        }
        let rates = try modelRates.map(Self.parseModelRates)
        let names = try modelNames(rates: rates)
        let traffic: TraceGenerator.Traffic
        if let rates {
            if rate != nil { throw TraceGenerateError("--rate and --model-rates cannot both be given: --model-rates sets each model's rate") }
            if modelMix != nil || zipf != nil { throw TraceGenerateError("--model-mix/--zipf and --model-rates cannot both be given: each model has its own rate") }
            if arrivals == .onoff { throw TraceGenerateError("--model-rates needs --arrivals poisson, fixed or gamma: onoff sets its rates with --on-rate and --off-rate") }
            let byName = Dictionary(uniqueKeysWithValues: rates)
            traffic = .perModel(try names.map { try process(rate: byName[$0]!) })
        } else {
            traffic = .shared(try process(rate: rate), weights: try popularity(names))
        }
        var p = TraceGenerator.Parameters(
            traffic: traffic, diurnal: try diurnal(), duration: d, inputTokens: .fixed(1), outputTokens: .fixed(1), maxTokens: maxTokens)
        (p.inputTokens, p.outputTokens) = try tokenDistributions()
        guard maxTokens >= 1 else { throw TraceGenerateError("--max-tokens must be at least 1, got \(maxTokens)") }
        if let reason = p.invalidReason { throw TraceGenerateError(reason) }
        try checkExpectedRequests(traffic, duration: d)
        return (p, names)
    }

    /// The mean requests per second of `traffic`, over every model.
    public static func meanRate(_ traffic: TraceGenerator.Traffic) -> Double {
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
            throw TraceGenerateError(
                "\(flags) × --duration: about \(Fixed.format(expected, decimals: 0)) requests (a mean of \(rate) per second for \(self.duration)), "
                    + "more than the limit of \(TraceLimits.maxRequestsText) per trace; lower the rate or shorten the duration")
        }
    }

    public func outputFormat() throws -> NativeTraceFormat {
        guard let format else { return output?.hasSuffix(".jsonl") == true ? .jsonl : .csv }  // `-`: csv
        guard let f = NativeTraceFormat(rawValue: format) else { throw TraceGenerateError("--format: expected csv or jsonl, got '\(format)'") }
        return f
    }

    func durationFlag(_ flag: String, _ text: String) throws -> SimDuration {
        do throws(UnitParser.Failure) { return try UnitParser.duration(text) } catch { throw TraceGenerateError("\(flag): \(error.message)") }
    }

    /// `--model-rates NAME=RATE,…` in the order given.
    static func parseModelRates(_ text: String) throws -> [(String, Double)] {
        var rates: [(String, Double)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv.first.map { $0.trimmingWhitespace() } ?? ""
            guard kv.count == 2, !name.isEmpty, let r = Double(kv[1].trimmingWhitespace()), r > 0, r.isFinite else {
                throw TraceGenerateError("--model-rates: expected NAME=RATE pairs with a positive rate in requests per second, like a=2,b=0.5; got '\(item)'")
            }
            if rates.contains(where: { $0.0 == name }) { throw TraceGenerateError("--model-rates: model '\(name)' is listed twice") }
            rates.append((name, r))
        }
        return rates
    }

    /// The models, from `--models` (checked against `--model-rates`) or from `--model-rates`.
    func modelNames(rates: [(String, Double)]?) throws -> [String] {
        guard let models else {
            guard let rates else { throw TraceGenerateError("--models: give the comma-separated model names (or --model-rates)") }
            return rates.map(\.0)
        }
        let names = models.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard names.allSatisfy({ !$0.isEmpty }) else { throw TraceGenerateError("--models: give one or more comma-separated model names, none empty") }
        if let dup = names.enumerated().first(where: { i, n in names[..<i].contains(n) })?.element {
            throw TraceGenerateError("--models: model '\(dup)' is listed twice")
        }
        if let rates {
            if let missing = names.first(where: { n in !rates.contains { $0.0 == n } }) {
                throw TraceGenerateError("--model-rates: no rate for model '\(missing)' of --models")
            }
            if let extra = rates.first(where: { !names.contains($0.0) }) {
                throw TraceGenerateError("--model-rates: model '\(extra.0)' is not in --models")
            }
        }
        return names
    }

    /// The arrival process from `--arrivals` and its flags, at `rate` for poisson and gamma.
    func process(rate: Double?) throws -> ArrivalProcess {
        func positiveRate() throws -> Double {
            guard let rate else { throw TraceGenerateError("--rate: give the mean requests per second for --arrivals \(arrivals.rawValue)") }
            guard rate > 0, rate.isFinite else { throw TraceGenerateError("--rate: must be a positive number of requests per second, got \(rate)") }
            return rate
        }
        let onOffFlags = [("--on-rate", onRate != nil), ("--off-rate", offRate != nil), ("--on-duration", onDuration != nil), ("--off-duration", offDuration != nil)]
        if arrivals != .onoff, let flag = onOffFlags.first(where: \.1)?.0 {
            throw TraceGenerateError("\(flag) applies to --arrivals onoff only")
        }
        if arrivals != .gamma, cv != nil { throw TraceGenerateError("--cv applies to --arrivals gamma only") }
        switch arrivals {
        case .poisson:
            return .poisson(rate: try positiveRate())
        case .fixed:
            return .fixed(rate: try positiveRate())
        case .gamma:
            let r = try positiveRate()
            guard let cv else { throw TraceGenerateError("--cv: give the coefficient of variation of the gaps for --arrivals gamma") }
            let p = ArrivalProcess.gamma(rate: r, cv: cv)
            if let reason = p.invalidReason { throw TraceGenerateError("--cv: \(reason)") }
            return p
        case .onoff:
            if self.rate != nil { throw TraceGenerateError("--rate does not apply to --arrivals onoff: give --on-rate and --off-rate") }
            guard let onRate, let onDuration, let offDuration else {
                throw TraceGenerateError("--arrivals onoff needs --on-rate, --on-duration and --off-duration (and optionally --off-rate, default 0)")
            }
            let p = ArrivalProcess.onOff(
                onRate: onRate, offRate: offRate ?? 0, meanOn: try durationFlag("--on-duration", onDuration),
                meanOff: try durationFlag("--off-duration", offDuration))
            if let reason = p.invalidReason { throw TraceGenerateError("--arrivals onoff: \(reason)") }
            return p
        }
    }

    /// Popularity weights over `names`, from `--model-mix` or `--zipf`.
    func popularity(_ names: [String]) throws -> [Double] {
        if modelMix != nil && zipf != nil { throw TraceGenerateError("--zipf is a shorthand for --model-mix zipf:S: give one of them") }
        let mix: ModelMix
        if let modelMix {
            do throws(WorkloadSpec.Failure) { mix = try WorkloadSpec.modelMix(modelMix) } catch { throw TraceGenerateError("--model-mix: \(error.message)") }
        } else {
            let s = zipf ?? 1
            guard s >= 0, s <= 10 else { throw TraceGenerateError("--zipf: the exponent must be in [0, 10], got \(s)") }
            mix = .zipf(s)
        }
        switch mix {
        case let .zipf(s), let .zipfShuffled(s, _):
            let weights = TraceGenerator.Traffic.zipfWeights(models: names.count, exponent: s)
            let rank = mix.ranks(count: names.count)!
            return names.indices.map { weights[rank[$0]] }
        case let .weights(w):
            if let unknown = mix.cumulativeWeights(over: names).unknown.first {
                throw TraceGenerateError("--model-mix: model '\(unknown)' is not in --models")
            }
            if let missing = names.first(where: { w[$0] == nil }) {
                throw TraceGenerateError("--model-mix: no weight for model '\(missing)' (give \(missing)=0 to leave it out)")
            }
            return names.map { w[$0]! }
        }
    }

    func diurnal() throws -> DiurnalModulation? {
        guard let a = diurnalAmplitude else { return nil }
        let m = DiurnalModulation(
            amplitude: a, period: try durationFlag("--diurnal-period", diurnalPeriod), peak: try durationFlag("--diurnal-peak", diurnalPeak))
        if let reason = m.invalidReason { throw TraceGenerateError("--diurnal-amplitude/--diurnal-period: \(reason)") }
        return m
    }

    /// Prompt and output distributions, from the spec flags or the lognormal shorthands.
    func tokenDistributions() throws -> (TokenDistribution, TokenDistribution) {
        if inputTokens != nil || outputTokens != nil,
            let shorthand = [("--input-mean", inputMean), ("--output-mean", outputMean), ("--sigma", sigma)].first(where: { $0.1 != nil })?.0
        {
            throw TraceGenerateError("\(shorthand) is a shorthand for a lognormal: it cannot be combined with --input-tokens or --output-tokens")
        }
        let s = sigma ?? 1
        guard s >= 0, s <= 10 else { throw TraceGenerateError("--sigma: must be in [0, 10], got \(s)") }
        for (flag, mean) in [("--input-mean", inputMean), ("--output-mean", outputMean)] {
            if let mean, !(mean >= 1 && mean.isFinite) { throw TraceGenerateError("\(flag): must be at least 1 token, got \(mean)") }
        }
        func spec(_ flag: String, _ text: String?, mean: Double) throws -> TokenDistribution {
            guard let text else { return .lognormal(mean: mean, sigma: s) }
            do throws(WorkloadSpec.Failure) { return try WorkloadSpec.tokens(text) } catch { throw TraceGenerateError("\(flag): \(error.message)") }
        }
        return (try spec("--input-tokens", inputTokens, mean: inputMean ?? 1000), try spec("--output-tokens", outputTokens, mean: outputMean ?? 250))
    }
}

/// A `trace generate` flag, or combination of flags, that cannot make a trace: one sentence
/// naming the flag.
public struct TraceGenerateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
