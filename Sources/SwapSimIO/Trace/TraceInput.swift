import SwapSimCore

/// How to read a trace: its format and column mapping, and how to fill what it lacks.
public struct TraceInputOptions: Sendable {
    public var format: TraceFormat = .auto
    /// `KEY=COLUMN[:UNIT]` mappings for the `csv` and `jsonl` formats.
    public var maps: [String] = []
    /// The CSV has no header; `--map` columns are 1-based numbers.
    public var noHeader = false
    /// Distributions for missing token columns (`fixed:N`, `uniform:A-B`, `lognormal:MEAN,SIGMA`, `empirical:FILE`).
    public var inputTokens: String? = nil
    public var outputTokens: String? = nil
    /// How to assign models when the trace has none (`zipf:S`, `weights:a=3,b=1`).
    public var modelMix: String? = nil
    /// Model names to assign over when there is no scenario (inspect, convert).
    public var models: [String]? = nil
    /// Renames of trace model names to scenario names (`TRACE=SCENARIO`).
    public var modelMap: [String] = []
    /// Skip malformed rows, counting them by reason, instead of stopping at the first.
    public var skipInvalid = false
    /// Sort rows by arrival (in memory) instead of rejecting an unsorted trace.
    public var sort = false
    /// Seed of the streams that fill missing fields.
    public var seed: UInt64 = 1
    /// A trace without a model column may be read without assigning models (`trace inspect`):
    /// with neither `modelMix` nor `models`, every request gets model 0 and ``TraceInput/modelNames``
    /// stays empty, instead of an error asking for `--model-mix`.
    public var modelsOptional = false
    /// ServeGen replay: the span and how folders map to models.
    public var serveGen = ServeGenReplayOptions()

    public init() {}
}

/// Options of a ServeGen replay (`--trace-format servegen`).
public struct ServeGenReplayOptions: Sendable {
    /// Start of the replayed span, from the start of the ServeGen trace.
    public var start: SimDuration = .zero
    /// Length of the replayed span.
    public var duration: SimDuration = .seconds(3600)
    /// Multiplies every window's rate.
    public var rateScale: Double = 1
    public init() {}
}

/// What reading a trace did, to be stated in the output: its format, rows read and skipped,
/// fields filled and rows moved by sorting.
public struct TraceInputReport: Sendable, Equatable {
    public var format: String
    public var rows = 0
    /// Rows skipped with `--skip-invalid`, by reason, most frequent first.
    public var skipped: [(reason: String, rows: Int)] = []
    /// How missing fields were filled, in words.
    public var filled: [String] = []
    /// The absolute arrival subtracted to start the trace at 0, in nanoseconds, if any.
    public var rebasedFrom: Int64? = nil
    /// Rows whose position changed when sorting with `--sort`.
    public var sortedMoved: Int? = nil

    public static func == (a: TraceInputReport, b: TraceInputReport) -> Bool {
        a.format == b.format && a.rows == b.rows && a.filled == b.filled && a.rebasedFrom == b.rebasedFrom
            && a.sortedMoved == b.sortedMoved && a.skipped.map(\.reason) == b.skipped.map(\.reason)
            && a.skipped.map(\.rows) == b.skipped.map(\.rows)
    }

    /// One line per fact, for the table output.
    public var lines: [String] {
        var out = ["trace format: \(format); \(rows) request\(rows == 1 ? "" : "s")"]
        if let r = rebasedFrom { out.append("arrivals rebased: the first request (\(NativeTraceWriter.seconds(r)) s) is at 0") }
        out += filled
        if let m = sortedMoved { out.append("sorted by arrival: \(m) rows moved") }
        for s in skipped { out.append("skipped \(s.rows) invalid row\(s.rows == 1 ? "" : "s"): \(s.reason)") }
        return out
    }
}

/// A trace in any supported format, read as a stream of requests for a scenario's models:
/// rebased, sorted or checked for order, with missing fields filled from seeded streams and
/// model names resolved.
public final class TraceInput: RequestSource {
    public let path: String
    /// The models requests are resolved to: the scenario's, or (without one) the trace's names
    /// in order of first appearance after `--model-map`, or the `--models` assigned over.
    public private(set) var modelNames: [String]
    public private(set) var report: TraceInputReport
    /// False when the trace has no model column and none was assigned (see
    /// ``TraceInputOptions/modelsOptional``): every request's model is then 0, meaning none.
    public private(set) var hasModels = true
    private let source: any TraceRowSource
    private let options: TraceInputOptions
    private let fixedModels: Bool
    private var outputIndex: [String: Int] = [:]
    private var idMap: [Int] = []
    private let rename: [String: String]
    private var inputFill: TokenDistribution?
    private var outputFill: TokenDistribution?
    private var mixCumulative: [Double]? = nil
    private var tokenRNGIn: RandomStream
    private var tokenRNGOut: RandomStream
    private var modelRNG: RandomStream
    private var origin: Int64? = nil
    private var previous: Int64 = 0
    private var previousLine = 0
    private var sorted: [TraceRow]? = nil
    private var sortedIndex = 0
    private var skipped: [String: Int] = [:]

    /// Opens `path` as `options` say, for a scenario whose models are `models` (nil: no scenario).
    public init(path: String, options: TraceInputOptions, models: [String]?) throws(TraceError) {
        self.path = path
        self.options = options
        source = try Self.openSource(path: path, options: options)
        report = TraceInputReport(format: Self.formatName(source, options))
        fixedModels = models != nil
        modelNames = models ?? []
        for (i, m) in modelNames.enumerated() { outputIndex[m] = i }
        tokenRNGIn = RandomStream(seed: options.seed, stream: "tokens.input")
        tokenRNGOut = RandomStream(seed: options.seed, stream: "tokens.output")
        modelRNG = RandomStream(seed: options.seed, stream: "models")
        var r: [String: String] = [:]
        for m in options.modelMap {
            let kv = m.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace() }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw .badOption(option: "--model-map \(m)", reason: "expected TRACE=SCENARIO")
            }
            r[kv[0]] = kv[1]
        }
        rename = r
        try setUpFilling(models: models)
        if options.sort {
            // A generated replay is in order already: nothing to hold in memory or move.
            if source.isGenerated { report.sortedMoved = 0 } else { try readAllSorted() }
        }
    }

    private func setUpFilling(models: [String]?) throws(TraceError) {
        func parse(_ spec: String?, _ flag: String) throws(TraceError) -> TokenDistribution? {
            guard let spec else { return nil }
            do { return try WorkloadSpec.tokens(spec) } catch { throw .badOption(option: flag, reason: error.message) }
        }
        if !source.hasInputTokens {
            guard let d = try parse(options.inputTokens, "--input-tokens") else {
                throw .badOption(option: "--input-tokens", reason: "\(path) has no prompt-length column; give a distribution (fixed:N, uniform:A-B, lognormal:MEAN,SIGMA or empirical:FILE)")
            }
            inputFill = d
            report.filled.append("input tokens drawn from \(options.inputTokens!) (seed \(options.seed))")
        }
        if !source.hasOutputTokens {
            guard let d = try parse(options.outputTokens, "--output-tokens") else {
                throw .badOption(option: "--output-tokens", reason: "\(path) has no output-length column; give a distribution (fixed:N, uniform:A-B, lognormal:MEAN,SIGMA or empirical:FILE)")
            }
            outputFill = d
            report.filled.append("output tokens drawn from \(options.outputTokens!) (seed \(options.seed))")
        }
        // Missing token values in rows of a source that has the column (ServeGen windows without
        // a dataset) are filled from the same flags when given.
        if inputFill == nil { inputFill = try parse(options.inputTokens, "--input-tokens") }
        if outputFill == nil { outputFill = try parse(options.outputTokens, "--output-tokens") }
        guard !source.hasModel else { return }
        let names = models ?? options.models ?? []
        if options.modelsOptional && options.modelMix == nil && names.isEmpty {
            hasModels = false
            return
        }
        if options.modelMix == nil && names.count == 1 {
            mixCumulative = [1]
            modelNames = names
            report.filled.append("every request assigned to the only model, \(names[0])")
            return
        }
        guard let spec = options.modelMix else {
            throw .badOption(option: "--model-mix", reason: "\(path) has no model column; give --model-mix zipf:S or weights:NAME=W,…")
        }
        let mix: ModelMix
        do { mix = try WorkloadSpec.modelMix(spec) } catch { throw .badOption(option: "--model-mix", reason: error.message) }
        guard !names.isEmpty else {
            throw .badOption(option: "--model-mix", reason: "give the model names to assign it over with --models a,b,c")
        }
        let (cumulative, unknown) = mix.cumulativeWeights(over: names)
        if !unknown.isEmpty {
            throw .badOption(option: "--model-mix", reason: "weights name model(s) \(unknown.joined(separator: ", ")) not among \(names.joined(separator: ", "))")
        }
        guard let total = cumulative.last, total > 0 else {
            throw .badOption(option: "--model-mix", reason: "the weights of \(names.joined(separator: ", ")) sum to zero")
        }
        mixCumulative = cumulative
        modelNames = names
        var line = "models assigned by \(spec) over \(names.count) models"
        if let rank = mix.ranks(count: names.count), names.count > 1 {
            // Say who is popular: the ranking follows the list order unless shuffled.
            let byRank = names.indices.sorted { rank[$0] < rank[$1] }
            let shown = byRank.prefix(10).map { "\(rank[$0] + 1) \(names[$0])" }.joined(separator: ", ")
            let order: String
            if case .zipf = mix { order = "in list order (zipf:S,shuffle:SEED ranks in a seeded random order)" } else { order = "in a seeded random order" }
            line += ", popularity ranked \(order): \(shown)" + (names.count > 10 ? ", … (\(names.count - 10) more)" : "")
        }
        report.filled.append(line + " (seed \(options.seed))")
    }

    static func formatName(_ s: any TraceRowSource, _ o: TraceInputOptions) -> String {
        switch s {
        case is MappedJSONLReader: return o.format == .jsonl ? "jsonl (--map)" : "native JSONL"
        case is MappedCSVReader:
            switch o.format {
            case .csv: return "csv (--map)"
            case .azureLLM: return "azure-llm"
            default: return s.absoluteArrivals ? "azure-llm" : "native CSV"
            }
        default: return o.format.rawValue
        }
    }

    /// The reader for `path` in `options.format`, detecting the format when it is `auto`.
    static func openSource(path: String, options o: TraceInputOptions) throws(TraceError) -> any TraceRowSource {
        var format = o.format
        if format == .servegen || (format == .auto && isServeGenFolder(path)) {
            return try openServeGen(path: path, options: o)
        }
        if format == .auto || format == .native {
            let first: String
            do {
                guard let l = try ByteLineReader.firstLine(of: path) else { throw TraceError.empty(file: path) }
                first = l.trimmingWhitespace()
            } catch let e as TraceError {
                throw e
            } catch {
                _ = try openLines(path)  // throws the right message
                throw .empty(file: path)
            }
            var header = first
            if header.hasPrefix("\u{FEFF}") { header.removeFirst() }
            var fields: [ArraySlice<UInt8>] = []
            CSVFields.split(ArraySlice(header.utf8), into: &fields)
            let columns = fields.map(CSVFields.text)
            if header.hasPrefix("{") {
                if format == .auto && !(["arrival_s", "model", "input_tokens", "output_tokens"].allSatisfy { header.contains("\"\($0)\"") }) {
                    throw .undetectable(
                        file: path, header: String(header.prefix(120)),
                        hint: "it is JSON Lines without the native keys arrival_s, model, input_tokens, output_tokens; read it with --trace-format jsonl --map arrival=KEY[:UNIT] --map model=KEY --map input=KEY --map output=KEY")
                }
                return try MappedJSONLReader(path: path, mapping: .native, absoluteArrivals: false)
            }
            if Set(["arrival_s", "model", "input_tokens", "output_tokens"]).isSubset(of: columns) {
                return try MappedCSVReader(path: path, mapping: .native, absoluteArrivals: false)
            }
            if format == .native || columns.contains("arrival_s") {
                return try MappedCSVReader(path: path, mapping: .native, absoluteArrivals: false)  // names the missing columns
            }
            if Set(["TIMESTAMP", "ContextTokens", "GeneratedTokens"]).isSubset(of: columns) {
                format = .azureLLM
            } else {
                throw .undetectable(
                    file: path, header: String(header.prefix(120)),
                    hint: "read it with --trace-format csv --map arrival=COLUMN[:s|ms|us|ns|datetime] and --map model=, input=, output= for the columns it has (missing ones are filled with --model-mix, --input-tokens, --output-tokens)")
            }
        }
        switch format {
        case .azureLLM:
            return try MappedCSVReader(path: path, mapping: .azureLLM, absoluteArrivals: true)
        case .csv:
            return try MappedCSVReader(path: path, mapping: try ColumnMapping.parse(o.maps), absoluteArrivals: true, noHeader: o.noHeader)
        case .jsonl:
            return try MappedJSONLReader(path: path, mapping: try ColumnMapping.parse(o.maps), absoluteArrivals: true)
        default:
            throw .badOption(option: "--trace-format", reason: "unexpected format \(format.rawValue)")
        }
    }

    /// Reads every row into memory and sorts them by arrival (ties keep file order), refusing
    /// a trace of more than ``TraceLimits/maxSortedRows`` rows.
    private func readAllSorted() throws(TraceError) {
        var rows: [(row: TraceRow, index: Int)] = []
        while let r = try nextValidRow() {
            guard rows.count < TraceLimits.maxSortedRows else {
                throw .badOption(
                    option: "--sort",
                    reason: "\(path) has more than \(TraceLimits.maxSortedRowsText), the most --sort holds in memory (about 4 GB); sort the file by arrival beforehand instead")
            }
            rows.append((r, rows.count))
        }
        rows.sort { $0.row.arrival != $1.row.arrival ? $0.row.arrival < $1.row.arrival : $0.index < $1.index }
        var moved = 0
        for (i, r) in rows.enumerated() where r.index != i { moved += 1 }
        report.sortedMoved = moved
        sorted = rows.map(\.row)
    }

    /// The next row the source can read, skipping (and counting) malformed ones if asked.
    private func nextValidRow() throws(TraceError) -> TraceRow? {
        while true {
            do {
                return try source.nextRow()
            } catch {
                guard options.skipInvalid, let reason = error.skipReason else { throw error }
                skipped[reason, default: 0] += 1
            }
        }
    }

    public func next() throws -> TraceRequest? { try nextRequest() }

    /// The next request, typed-throwing.
    public func nextRequest() throws(TraceError) -> TraceRequest? {
        let row: TraceRow
        if sorted != nil {
            guard sortedIndex < sorted!.count else { return finish() }
            row = sorted![sortedIndex]
            sortedIndex += 1
        } else {
            guard let r = try nextValidRow() else { return finish() }
            row = r
        }
        var arrival = row.arrival
        if source.absoluteArrivals {
            if origin == nil {
                origin = arrival
                report.rebasedFrom = arrival
            }
            let (rebased, overflow) = arrival.subtractingReportingOverflow(origin!)
            guard !overflow else {
                throw .malformed(
                    file: path, line: row.line, column: "arrival", value: NativeTraceWriter.seconds(arrival),
                    reason: "this arrival is more than 292 years from the first request's \(NativeTraceWriter.seconds(origin!)) s; "
                        + "arrivals must lie within \(TraceLimits.latestArrivalText) of the trace start")
            }
            arrival = rebased
        }
        if arrival < previous || (report.rows == 0 && arrival < 0) {
            throw .unsorted(
                file: path, line: row.line, arrival: NativeTraceWriter.seconds(arrival), previous: NativeTraceWriter.seconds(previous))
        }
        if arrival > TraceLimits.latestArrival.nanoseconds {
            throw .malformed(
                file: path, line: row.line, column: "arrival", value: NativeTraceWriter.seconds(arrival),
                reason: "the arrival exceeds the latest arrival allowed, \(TraceLimits.latestArrivalText) from the trace start")
        }
        previous = arrival
        let model = try resolveModel(row)
        let input = row.inputTokens > 0 ? row.inputTokens : (inputFill?.sample(&tokenRNGIn) ?? 0)
        let output = row.outputTokens > 0 ? row.outputTokens : (outputFill?.sample(&tokenRNGOut) ?? 0)
        guard input > 0, output > 0 else {
            throw .badOption(option: input > 0 ? "--output-tokens" : "--input-tokens", reason: "\(path):\(row.line) lacks a token count; give a distribution to fill it")
        }
        report.rows += 1
        return TraceRequest(arrival: SimInstant(nanoseconds: arrival), model: model, inputTokens: input, outputTokens: output)
    }

    private func finish() -> TraceRequest? {
        report.skipped = skipped.map { (reason: $0.key, rows: $0.value) }.sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.reason < $1.reason }
        return nil
    }

    private func resolveModel(_ row: TraceRow) throws(TraceError) -> Int {
        if row.model < 0 {
            guard let c = mixCumulative else { return 0 }
            return c.count == 1 ? 0 : modelRNG.index(cumulative: c)
        }
        let id = Int(row.model)
        if id < idMap.count { return idMap[id] >= 0 ? idMap[id] : try unknownModels(from: row) }
        while idMap.count <= id {
            let name = source.modelNames[idMap.count]
            let mapped = rename[name] ?? name
            if let i = outputIndex[mapped] {
                idMap.append(i)
            } else if fixedModels {
                idMap.append(-1)
            } else {
                outputIndex[mapped] = modelNames.count
                idMap.append(modelNames.count)
                modelNames.append(mapped)
            }
        }
        return idMap[id] >= 0 ? idMap[id] : try unknownModels(from: row)
    }

    /// Reads the rest of the trace to list every model name the scenario lacks, then throws. A
    /// generated source (a replay of up to 1e9 requests) is not run to its end: its model names
    /// are all known up front, and the error names them without counting rows.
    private func unknownModels(from first: TraceRow) throws(TraceError) -> Int {
        if source.isGenerated {
            let names = source.modelNames.map { rename[$0] ?? $0 }.filter { outputIndex[$0] == nil }
            var unique: [String] = []
            for n in names where !unique.contains(n) { unique.append(n) }
            throw .unknownModels(file: path, models: unique.map { UnknownModel(name: $0, firstLine: 0, rows: 0) }, known: modelNames)
        }
        var found: [(name: String, line: Int, rows: Int)] = []
        func note(_ r: TraceRow) {
            let name = source.modelNames[Int(r.model)]
            let mapped = rename[name] ?? name
            guard outputIndex[mapped] == nil else { return }
            if let i = found.firstIndex(where: { $0.name == mapped }) {
                found[i].rows += 1
                found[i].line = min(found[i].line, r.line)
            } else {
                found.append((mapped, r.line, 1))
            }
        }
        note(first)
        if let s = sorted {
            for r in s[sortedIndex...] where r.model >= 0 { note(r) }
        } else {
            while true {
                let r: TraceRow?
                do { r = try source.nextRow() } catch { continue }
                guard let r else { break }
                if r.model >= 0 { note(r) }
            }
        }
        if sorted != nil {
            // Sorted rows come out of file order: also count the unknown rows before this one.
            for r in sorted![..<max(0, sortedIndex - 1)] where r.model >= 0 { note(r) }
            found.sort { $0.line < $1.line }
        }
        throw .unknownModels(file: path, models: found.map { UnknownModel(name: $0.name, firstLine: $0.line, rows: $0.rows) }, known: modelNames)
    }

    /// Bytes read of the total, when the source knows.
    public var progress: (done: Int64, total: Int64)? { source.progress }
}
