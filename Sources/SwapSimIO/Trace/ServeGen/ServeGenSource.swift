import SwapSimCore

/// Replays ServeGen's production workload statistics (Xiang et al., arXiv:2505.09999) as a
/// stream of requests: for each client of each model folder, and each 600 s window of the
/// chosen span, a renewal process of arrivals drawn from the window's fitted Gamma or Weibull
/// inter-arrival distribution.
///
/// **Rate versus fit.** A window's gaps keep the fitted shape (its burstiness) but take the
/// scale that makes the mean gap 1 / (rate × ``Options/rateScale``): the rate is what was
/// measured, and the fits disagree with it by more than 25% in a tenth of the windows. The
/// `cv` column is read and checked but not used.
///
/// **Window boundaries.** Each window (cut to the span) restarts in its own steady state: the
/// first arrival comes a stationary forward recurrence time after the window's start, and a gap
/// that would cross its end is dropped, not carried into the next window. So each window's
/// expected count is exactly rate × its length inside the span, and a span that begins in the
/// middle of a window begins in steady state too. Windows with no fit (`pat_name` empty, rate 0)
/// yield nothing; one with a rate but no fit would be replayed as a Poisson process.
///
/// **Tokens.** Where the client has a `chunk-<client>-dataset.json`, prompt and output lengths
/// are drawn from the `input_tokens` and `output_tokens` distributions in effect for the window
/// (the dataset window with the latest start at or before it; an empty field carries the last
/// non-empty one forward). A multimodal dataset without `input_tokens` gives the sum of its
/// text, image, audio and video token draws. Elsewhere token counts are 0 (missing) and
/// ``hasInputTokens`` / ``hasOutputTokens`` are false, for the pipeline to fill.
///
/// **Determinism.** Client `c` of folder `f` draws its arrivals from the stream named
/// `servegen/f/c` and its tokens from `servegen/f/c/tokens`, so adding or removing a client
/// never moves another's requests. The merge is ordered by (arrival, client), clients in the
/// order of the paths given and then of their numeric ids; rows are in nondecreasing arrival
/// order, nanoseconds from the span's start.
///
/// All files are read and checked when the source is made; requests are generated as they are
/// asked for.
/// - Complexity: memory O(clients × windows in the span), independent of the number of
///   requests; O(log clients) per row.
public final class ServeGenSource: TraceRowSource {
    /// Which part of the data to replay, and how.
    public struct Options: Sendable, Equatable {
        /// Where the span begins, from the trace's start.
        public var start: SimDuration
        /// How long the span lasts.
        public var duration: SimDuration
        /// Which scenario model each client's requests go to.
        public var mapping: Mapping
        public var seed: UInt64
        /// A factor on every window's rate (2 doubles the load; shapes are kept).
        public var rateScale: Double
        /// Replay only these clients: `"folder/client"` (such as `"m-large/17"`) or a bare client
        /// id, meaning that client in every folder. Nil replays all.
        public var clients: [String]?

        public init(
            start: SimDuration = .zero, duration: SimDuration, mapping: Mapping = .folderNames, seed: UInt64 = 1,
            rateScale: Double = 1, clients: [String]? = nil
        ) {
            self.start = start
            self.duration = duration
            self.mapping = mapping
            self.seed = seed
            self.rateScale = rateScale
            self.clients = clients
        }
    }

    /// How clients map to scenario model names.
    public enum Mapping: Sendable, Equatable {
        /// Every folder's model is named like the folder (`m-large`, `deepseek-r1`).
        case folderNames
        /// Folder name → model name; every folder given must be mapped.
        case byFolder([String: String])
        /// `"folder/client"` → model name (such as `"m-large/17": "llama-3.1-8b"`); clients the
        /// map leaves out are not replayed.
        case byClient([String: String])
    }

    /// Seconds each row of a ServeGen trace covers.
    public static let windowLength = SimDuration.seconds(600)

    public let path: String
    public let modelNames: [String]
    public var hasModel: Bool { true }
    public let hasInputTokens: Bool
    public let hasOutputTokens: Bool
    public var absoluteArrivals: Bool { false }
    /// Rows are generated, in arrival order, for the clients chosen up front.
    public var isGenerated: Bool { true }

    /// The clients replayed, as `"folder/client"`, in merge order.
    public let clients: [String]
    /// Σ rate × rateScale × seconds inside the span, over the span's windows: the expected
    /// number of requests.
    public let expectedRequests: Double
    /// Rows returned so far.
    public private(set) var rows = 0

    private var streams: [ServeGenClientStream]
    private var pending: [ServeGenClientStream.Request?]
    private var heap = BinaryHeap<Entry>()

    /// A client's next arrival in the merge, ordered by arrival and then client.
    private struct Entry: Comparable {
        var arrival: Int64
        var client: Int32
        static func < (a: Entry, b: Entry) -> Bool { a.arrival < b.arrival || (a.arrival == b.arrival && a.client < b.client) }
    }

    /// Reads the model folders at `paths` (such as `.../data/language/m-large`) and prepares
    /// the span `options` names.
    public init(paths: [String], options: Options) throws(TraceError) {
        path = paths.joined(separator: ", ")
        guard !paths.isEmpty else { throw .unreadable(file: "(ServeGen)", reason: "no model folder given") }
        let start = options.start.nanoseconds
        let end = start &+ options.duration.nanoseconds
        guard start >= 0, options.duration.nanoseconds > 0, end >= start, end <= TraceLimits.latestArrival.nanoseconds else {
            throw .unreadable(
                file: path,
                reason: "the span must start at or after 0 and last more than 0, ending within \(TraceLimits.latestArrivalText) of the trace start")
        }
        guard options.rateScale.isFinite && options.rateScale > 0 else {
            throw .unreadable(file: path, reason: "the rate scale must be a finite number > 0 (got \(options.rateScale))")
        }

        var folders: [ServeGenFolder] = []
        for p in paths {
            let folder = try ServeGenFolder.scan(p)
            if let twin = folders.first(where: { $0.name == folder.name }) {
                throw .unreadable(file: p, reason: "two folders are named '\(folder.name)' (the other is \(twin.path)); folder names identify models and random streams")
            }
            folders.append(folder)
        }
        let selected = try Self.select(folders, clients: options.clients, mapping: options.mapping, path: path)

        // Span in whole seconds, covering every window it touches.
        let fromSeconds = start / 1_000_000_000
        let toSeconds = (end + 999_999_999) / 1_000_000_000
        let window = Self.windowLength.nanoseconds
        var names: [String] = []
        var streams: [ServeGenClientStream] = []
        var ids: [String] = []
        var expected = 0.0
        var everyInput = true
        var everyOutput = true
        var anyActive = false
        for (folder, client, model) in selected {
            let windows = try ServeGenTraceFile.read(path: client.trace, from: fromSeconds, to: toSeconds)
            let active = windows.filter(\.isActive)
            var dataset: ServeGenDataset?
            if let file = client.dataset, let first = active.first {
                dataset = try ServeGenDataset.read(path: file, from: first.start, to: toSeconds)
            }
            var plans: [ServeGenClientStream.Plan] = []
            var d = -1
            for w in active {
                let lo = max(w.start * 1_000_000_000, start)
                let hi = min(w.start * 1_000_000_000 + window, end)
                guard hi > lo else { continue }
                let rate = w.rate * options.rateScale
                guard let gap = ServeGenGap(pattern: w.pattern, mean: 1 / rate) else {
                    var shape = 0.0
                    if case let .gamma(k, _) = w.pattern { shape = k }
                    if case let .weibull(k, _) = w.pattern { shape = k }
                    throw .malformed(
                        file: client.trace, line: w.line, column: "pat_arg1", value: "\(shape)",
                        reason: "the fitted shape is too extreme to replay: no finite scale gives the window's mean gap of \(1 / rate) s")
                }
                var plan = ServeGenClientStream.Plan(offset: lo - start, length: hi - lo, gap: gap)
                if let ds = dataset?.windows {
                    while d + 1 < ds.count && ds[d + 1].start <= w.start { d += 1 }
                    if d >= 0 {
                        plan.input = ds[d].input
                        plan.output = ds[d].output
                    }
                }
                everyInput = everyInput && plan.input != nil
                everyOutput = everyOutput && plan.output != nil
                anyActive = true
                expected += rate * Double(hi - lo) / 1e9
                plans.append(plan)
            }
            let modelID: Int32
            if let i = names.firstIndex(of: model) {
                modelID = Int32(i)
            } else {
                modelID = Int32(names.count)
                names.append(model)
            }
            let stream = "servegen/\(folder)/\(client.id)"
            streams.append(
                ServeGenClientStream(
                    model: modelID, plans: plans,
                    arrivals: RandomStream(seed: options.seed, stream: stream),
                    tokens: RandomStream(seed: options.seed, stream: stream + "/tokens")))
            ids.append("\(folder)/\(client.id)")
        }
        // Generating is linear in the requests: refuse a replay too large to finish, before any.
        guard expected <= Double(TraceLimits.maxRequests) else {
            throw .badOption(
                option: path,
                reason: "replaying \(NativeTraceWriter.seconds(options.duration.nanoseconds).trimmingZeroFraction) s at --servegen-rate-scale \(options.rateScale) would make about \(Fixed.format(expected, decimals: 0)) requests (each window's rate × the rate scale × its time in the span), more than the limit of \(TraceLimits.maxRequestsText); shorten --servegen-duration or lower --servegen-rate-scale")
        }
        modelNames = names
        clients = ids
        expectedRequests = expected
        hasInputTokens = anyActive && everyInput
        hasOutputTokens = anyActive && everyOutput
        self.streams = streams
        pending = Array(repeating: nil, count: streams.count)
        for c in self.streams.indices { advance(c) }
    }

    public func nextRow() throws(TraceError) -> TraceRow? {
        guard let top = heap.popMin() else { return nil }
        let c = Int(top.client)
        let request = pending[c]!
        let row = TraceRow(
            arrival: request.arrival, model: streams[c].model, inputTokens: request.inputTokens,
            outputTokens: request.outputTokens, line: 0)
        advance(c)
        rows += 1
        return row
    }

    /// Draws client `c`'s next request and queues it.
    private func advance(_ c: Int) {
        pending[c] = streams[c].next()
        if let r = pending[c] { heap.insert(Entry(arrival: r.arrival, client: Int32(c))) }
    }

    /// The clients to replay, in order, with their model names.
    private static func select(
        _ folders: [ServeGenFolder], clients filter: [String]?, mapping: Mapping, path: String
    ) throws(TraceError) -> [(folder: String, client: ServeGenFolder.Client, model: String)] {
        let folderNames = folders.map(\.name)
        let known = Set(folders.flatMap { f in f.clients.map { "\(f.name)/\($0.id)" } })
        if let filter {
            for entry in filter {
                let matches = entry.contains("/") ? known.contains(entry) : folders.contains { $0.clients.contains { $0.id == entry } }
                guard matches else {
                    throw .unreadable(
                        file: path, reason: "no client '\(entry)' in \(folderNames.joined(separator: ", ")) (name one as folder/client, such as \(known.sorted(by: ServeGenFolder.precedes).first ?? "m-large/0"))")
                }
            }
        }
        switch mapping {
        case .folderNames:
            break
        case let .byFolder(map):
            if let missing = folderNames.first(where: { map[$0] == nil }) {
                throw .unreadable(file: path, reason: "no model is mapped for folder '\(missing)' (mapped: \(map.keys.sorted().joined(separator: ", ")))")
            }
            if let stray = map.keys.sorted().first(where: { !folderNames.contains($0) }) {
                throw .unreadable(file: path, reason: "the mapping names folder '\(stray)', which is not among those read (\(folderNames.joined(separator: ", ")))")
            }
        case let .byClient(map):
            if let stray = map.keys.sorted().first(where: { !known.contains($0) }) {
                throw .unreadable(file: path, reason: "the mapping names client '\(stray)', which is not among those read (name clients as folder/client, such as \(folderNames[0])/0)")
            }
        }
        var out: [(folder: String, client: ServeGenFolder.Client, model: String)] = []
        for f in folders {
            for c in f.clients {
                let key = "\(f.name)/\(c.id)"
                if let filter, !filter.contains(key) && !filter.contains(c.id) { continue }
                let model: String?
                switch mapping {
                case .folderNames: model = f.name
                case let .byFolder(map): model = map[f.name]
                case let .byClient(map): model = map[key]
                }
                if let model { out.append((f.name, c, model)) }
            }
        }
        guard !out.isEmpty else { throw .unreadable(file: path, reason: "no client is selected for replay (check the client list and the mapping)") }
        return out
    }
}
