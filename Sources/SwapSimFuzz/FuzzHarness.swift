import Foundation
import SwapSimCore
import SwapSimIO

/// What one input did: accepted (and simulated), or rejected with an error.
public struct FuzzOutcome: Sendable, Equatable {
    /// `ok`, or `error: ` and the message, the harness's folder written as `WORK` so the text
    /// does not depend on where it ran.
    public var verdict: String
    /// The error's type and case, such as `TraceError.malformed`; nil when the input was accepted.
    public var errorKind: String?
    /// Strategies simulated.
    public var simulations: Int

    public static let ok = "ok"
}

/// Runs one input through every parser that reads its kind and, when it parses, through the
/// simulator under every strategy and the writers of every output format, in this process.
///
/// Work per input is bounded: a trace is read up to ``maxTraceRequests`` requests, a scenario
/// is simulated over ``scenarioRequests`` synthetic ones, a ServeGen replay over one hour.
/// Before each step the harness reports its phase (``phase``), so a crash can be placed.
public final class FuzzHarness {
    /// Requests read from a trace input (the rest are not read).
    public static let maxTraceRequests = 2000
    /// Requests a scenario input is simulated over: one per model in turn, every 250 ms.
    public static let scenarioRequests = 120

    let work: URL
    let simulate: Bool
    let demoText: String
    let demo: Scenario
    let serveGenWindows: [UInt8]
    /// Called with what the harness is about to do (`parse`, `simulate hot-swap`, `render`).
    public var phase: (String) -> Void = { _ in }

    /// A harness writing its files into `work` (created if needed), with the demo scenario of the
    /// checkout at `root` to simulate traces on; `simulate` false runs the parsers only.
    public init(root: URL, work: URL, simulate: Bool) throws {
        self.work = work
        self.simulate = simulate
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let demoPath = root.appendingPathComponent("scenarios/demo.yaml").path
        guard let text = try? String(contentsOfFile: demoPath, encoding: .utf8) else { throw FuzzError.unreadable(demoPath) }
        demoText = text
        demo = try ScenarioLoader.load(path: demoPath)
        let windows = root.appendingPathComponent("Tests/FuzzCorpus/seeds/synthetic.servegen.csv").path
        serveGenWindows = Array(FileManager.default.contents(atPath: windows) ?? Data("0,1,1,Gamma,1,1\n".utf8))
    }

    /// Whether the input being evaluated also goes through the full report writers.
    private var renderReports = false

    /// One input in ``reportShare`` also goes through the report writers (Markdown, CSV, JSON,
    /// HTML with its charts), chosen by a hash of its bytes; they cost twenty times the
    /// simulation, and the summary writers see every input.
    public static let reportShare = 16

    /// Runs `input`; never throws: an error is the outcome.
    public func evaluate(_ input: FuzzInput) -> FuzzOutcome {
        var simulations = 0
        renderReports = RandomStream.fnv1a(String(decoding: input.bytes, as: UTF8.self)) % UInt64(Self.reportShare) == 0
        do {
            switch input.kind {
            case .scenario: simulations = try scenario(input)
            case .fragment: simulations = try fragment(input)
            case .profile: simulations = try profile(input)
            default: simulations = try trace(input)
            }
            return FuzzOutcome(verdict: FuzzOutcome.ok, errorKind: nil, simulations: simulations)
        } catch {
            let message = String(describing: error).replacingOccurrences(of: work.path, with: "WORK")
            return FuzzOutcome(verdict: "error: " + message, errorKind: Self.kind(of: error), simulations: simulations)
        }
    }

    /// `TraceError.malformed`: the error's type, and its enum case when it is one.
    static func kind(of error: any Error) -> String {
        let type = String(describing: Swift.type(of: error))
        if let label = Mirror(reflecting: error).children.first?.label { return "\(type).\(label)" }
        let text = String(describing: error)
        if Mirror(reflecting: error).displayStyle == .enum, !text.contains(" ") { return "\(type).\(text)" }
        return type
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = work.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: Scenarios and calibration

    func scenario(_ input: FuzzInput) throws -> Int {
        let path = try write(input.bytes, "input.yaml")
        phase("parse scenario")
        let (scenario, plan, _) = try ScenarioLoader.loadForPlanning(path: path)
        if let plan { _ = try plan.resolve(scenario: scenario) }
        return try simulateAll(scenario, scenarioPath: path, requests: synthetic(models: scenario.models.count), tracePath: path)
    }

    func fragment(_ input: FuzzInput) throws -> Int {
        _ = try write(input.bytes, "fragment.yaml")
        let path = try write(Array(demoText.replacingOccurrences(of: "cluster:\n", with: "cluster:\n  calibration: fragment.yaml\n").utf8), "with-fragment.yaml")
        phase("parse fragment")
        let scenario = try ScenarioLoader.load(path: path)
        return try simulateAll(scenario, scenarioPath: path, requests: synthetic(models: scenario.models.count), tracePath: path)
    }

    func profile(_ input: FuzzInput) throws -> Int {
        let path = try write(input.bytes, "input.json")
        phase("parse profile")
        let p = try CalibrationProfile.load(path: path)
        _ = CalibrationReport.show(p, file: path)
        var fragment: String?
        for d in p.devices {
            phase("fit device \(d.index)")
            let fit = try ProfileFit(profile: p, file: path, device: d.index)
            _ = CalibrationReport.fitTable(fit)
            _ = CalibrationReport.fitJSON(fit)
            phase("validate device \(d.index)")
            _ = SwapValidation(fit: fit).render()
            if fragment == nil { fragment = CalibrationFragment.render(fit) }
        }
        // The fitted fragment must load back through a scenario.
        guard let fragment else { return 0 }
        _ = try write(Array(fragment.utf8), "fragment.yaml")
        let scenarioPath = try write(Array(demoText.replacingOccurrences(of: "cluster:\n", with: "cluster:\n  calibration: fragment.yaml\n").utf8), "with-fragment.yaml")
        phase("load fitted fragment")
        _ = try ScenarioLoader.load(path: scenarioPath)
        return 0
    }

    // MARK: Traces

    func trace(_ input: FuzzInput) throws -> Int {
        var o = TraceInputOptions()
        o.seed = 1
        o.inputTokens = "fixed:100"
        o.outputTokens = "fixed:20"
        o.modelMix = "zipf:1"
        o.models = demo.models.map(\.name)
        o.serveGen.duration = .seconds(3600)
        let path: String
        switch input.kind {
        case .native, .nativeJSONL:
            o.format = .native
            path = try write(input.bytes, "input.\(input.kind.fileExtension)")
        case .azure:
            o.format = .azureLLM
            path = try write(input.bytes, "input.csv")
        case .mapped, .mappedJSONL:
            o.format = input.kind == .mapped ? .csv : .jsonl
            o.maps = ["arrival=ts:ms", "model=name", "input=prompt", "output=completion"]
            path = try write(input.bytes, "input.\(input.kind.fileExtension)")
        case .mappedDatetime:
            o.format = .csv
            o.maps = ["arrival=when:datetime", "model=name", "input=prompt", "output=completion"]
            path = try write(input.bytes, "input.csv")
        case .servegen, .servegenDataset:
            o.format = .servegen
            let folder = work.appendingPathComponent("m-fuzz")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            _ = try write(input.kind == .servegen ? input.bytes : serveGenWindows, "m-fuzz/chunk-0-trace.csv")
            if input.kind == .servegenDataset { _ = try write(input.bytes, "m-fuzz/chunk-0-dataset.json") }
            path = folder.path
        case .scenario, .fragment, .profile:
            preconditionFailure("not a trace")
        }
        var models: [String]? = nil
        switch input.variant {
        case 1:
            if [.native, .nativeJSONL, .azure, .servegen].contains(input.kind) { o.format = .auto }
            models = demo.models.map(\.name)
        case 2:
            o.skipInvalid = true
            o.sort = true
        case 3:
            o.sort = true
        default:
            break
        }
        phase("read trace")
        let reader = try TraceInput(path: path, options: o, models: models)
        var requests: [TraceRequest] = []
        var stats = TraceStatistics(modelCount: 0)
        while requests.count < Self.maxTraceRequests, let r = try reader.nextRequest() {
            requests.append(r)
            stats.add(r)
        }
        phase("inspect trace")
        let inspect = TraceInspectReport(trace: path, summary: stats.summary(modelNames: reader.modelNames))
        _ = inspect.table()
        _ = inspect.json()
        guard !requests.isEmpty else { return 0 }
        let count = demo.models.count
        let mapped = requests.map { r in TraceRequest(arrival: r.arrival, model: r.model % count, inputTokens: r.inputTokens, outputTokens: r.outputTokens) }
        let scenarioPath = try write(Array(demoText.utf8), "demo.yaml")
        return try simulateAll(demo, scenarioPath: scenarioPath, requests: mapped, tracePath: path, traceReport: reader.report)
    }

    // MARK: Simulating and rendering

    /// One request per model in turn, every 250 ms, 64 prompt and 16 output tokens.
    func synthetic(models: Int) -> [TraceRequest] {
        guard models > 0 else { return [] }
        return (0..<Self.scenarioRequests).map { i in
            TraceRequest(arrival: SimInstant(nanoseconds: Int64(i) * 250_000_000), model: i % models, inputTokens: 64, outputTokens: 16)
        }
    }

    /// Simulates `requests` under every strategy and renders the results in every format.
    func simulateAll(
        _ scenario: Scenario, scenarioPath: String, requests: [TraceRequest], tracePath: String, traceReport: TraceInputReport? = nil
    ) throws -> Int {
        guard simulate, !requests.isEmpty else { return 0 }
        var outcomes: [(StrategyKind, Result<StrategyResult, ScenarioError>)] = []
        for k in StrategyKind.allCases {
            phase("simulate \(k.rawValue)")
            do {
                outcomes.append((k, .success(try SwapSimCore.simulate(scenario: scenario, strategy: k, requests: ArrayRequestSource(requests)))))
            } catch let e as ScenarioError {
                outcomes.append((k, .failure(e)))
            }
        }
        phase("render")
        var summary = RunSummary(scenario: scenario.name, trace: tracePath, seed: 1, outcomes: outcomes)
        summary.traceInput = traceReport
        for f in OutputFormat.allCases { _ = TerminalText.safe(summary.render(f), keepingNewlines: true) }
        if renderReports, FileManager.default.fileExists(atPath: tracePath), !tracePath.hasSuffix("m-fuzz") {
            let report = try RunReport.make(summary: summary, scenario: scenario, scenarioPath: scenarioPath, tracePath: tracePath, toolVersion: "fuzz", command: "swapsim-fuzz")
            _ = report.markdown()
            _ = report.csv()
            _ = report.json()
            _ = report.html()
        }
        return outcomes.count
    }
}
