import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

extension TraceFormat: ExpressibleByArgument {}
extension NativeTraceFormat: ExpressibleByArgument {}

/// How to read a trace: the flags `simulate`, `compare`, `trace inspect` and `trace convert` share.
struct TraceFlags: ParsableArguments {
    @Option(name: .customLong("trace-format"), help: "auto (native CSV/JSONL, azure-llm and ServeGen folders are detected), native, azure-llm, servegen, csv or jsonl.")
    var format: TraceFormat = .auto

    @Option(name: .customLong("map"), help: ArgumentHelp(
        "For csv and jsonl: which column (or key) holds a field, as KEY=COLUMN[:UNIT]; keys arrival (required), model, input, output; arrival units s, ms, us, ns (relative or epoch) or datetime. Repeat for each key.",
        valueName: "KEY=COLUMN[:UNIT]"))
    var maps: [String] = []

    @Flag(name: .customLong("no-header"), help: "The CSV has no header: --map columns are 1-based numbers.")
    var noHeader = false

    @Option(name: .customLong("input-tokens"), help: "Prompt lengths for a trace without them: fixed:N, uniform:A-B, lognormal:MEAN,SIGMA or empirical:FILE.")
    var inputTokens: String?

    @Option(name: .customLong("output-tokens"), help: "Output lengths for a trace without them (same forms as --input-tokens).")
    var outputTokens: String?

    @Option(name: .customLong("model-mix"), help: "Models for a trace without a model column: zipf:S (the first model most popular) or weights:NAME=W,NAME=W.")
    var modelMix: String?

    @Option(name: .customLong("model-map"), help: ArgumentHelp("Rename a trace's model to a scenario model, as TRACE=SCENARIO. Repeatable.", valueName: "TRACE=SCENARIO"))
    var modelMap: [String] = []

    @Flag(name: .customLong("skip-invalid"), help: "Skip malformed rows, counting them by reason, instead of stopping at the first.")
    var skipInvalid = false

    @Flag(help: "Sort rows by arrival (holding the trace in memory) instead of rejecting an unsorted trace.")
    var sort = false

    @Option(name: .customLong("servegen-start"), help: "ServeGen replay: start of the span, from the trace start (e.g. 0s, 2h).")
    var serveGenStart: String = "0s"

    @Option(name: .customLong("servegen-duration"), help: "ServeGen replay: length of the span (e.g. 1h).")
    var serveGenDuration: String = "1h"

    @Option(name: .customLong("servegen-rate-scale"), parsing: .unconditional, help: "ServeGen replay: multiply every window's rate.")
    var serveGenRateScale: Double = 1

    /// The reader options, with `seed` for filling and `models` to assign over without a scenario.
    func options(seed: UInt64, models: [String]? = nil) throws -> TraceInputOptions {
        var o = TraceInputOptions()
        o.format = format
        o.maps = maps
        o.noHeader = noHeader
        o.inputTokens = inputTokens
        o.outputTokens = outputTokens
        o.modelMix = modelMix
        o.models = models
        o.modelMap = modelMap
        o.skipInvalid = skipInvalid
        o.sort = sort
        o.seed = seed
        do {
            o.serveGen.start = try UnitParser.duration(serveGenStart)
            o.serveGen.duration = try UnitParser.duration(serveGenDuration)
        } catch {
            throw CLIError("--servegen-start/--servegen-duration: \(error.message)")
        }
        guard serveGenRateScale > 0, serveGenRateScale.isFinite else { throw CLIError("--servegen-rate-scale must be positive") }
        o.serveGen.rateScale = serveGenRateScale
        if !maps.isEmpty && format != .csv && format != .jsonl {
            throw CLIError("--map applies to --trace-format csv or jsonl")
        }
        return o
    }
}

/// A trace read on its own, without a scenario: the argument and options `trace inspect` and
/// `trace convert` share.
struct StandaloneTraceOptions: ParsableArguments {
    @Argument(help: "The trace file (or ServeGen folder).", completion: .file())
    var input: String

    @OptionGroup(title: "Trace input") var traceFlags: TraceFlags

    @Option(help: "Comma-separated model names to assign requests to when the trace has no model column.")
    var models: String?

    @Option(parsing: .unconditional, help: "Seed of the streams that fill missing fields.")
    var seed: UInt64 = 1

    /// Opens the trace; model names are the trace's own (or `--models` for a model mix). With
    /// `modelsOptional`, a trace without a model column is read without assigning models.
    func open(modelsOptional: Bool = false) throws -> TraceInput {
        let names = models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        var options = try traceFlags.options(seed: seed, models: names)
        options.modelsOptional = modelsOptional
        return try TraceInput(path: input, options: options, models: nil)
    }
}
