import Foundation
import SwapSimCore
import Yams

/// Reads validation case files (validation/cases/*.yaml, `version: 1`; fields in
/// validation/README.md) into ``ValidationCase`` values, naming the file, key path and line of
/// anything wrong.
public enum CaseLoader {
    /// The case files in `directory`, by name order.
    public static func files(in directory: String) throws(ScenarioFileError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw .unreadable(file: directory, reason: "no such directory of validation cases")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory + "/" + $0 }
    }

    /// Loads the case at `path`.
    public static func load(path: String) throws(ScenarioFileError) -> ValidationCase {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such case file")
        }
        return try parse(text, file: path)
    }

    /// Parses case YAML; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ScenarioFileError) -> ValidationCase {
        let root = try ScenarioLoader.compose(text, file: file)
        let keyLines = KeyLines()
        var top = try YAMLMap(root, path: "", file: file, keyLines: keyLines)
        top.expect(["version", "name", "description", "source", "setup", "serving_run", "figures"])
        guard let (version, _) = try top.scalar("version") else { throw .missingKey(file: file, keyPath: "version", line: 1) }
        guard version == "1" else { throw .invalid(file: file, keyPath: "version", line: top.keyLine(of: "version"), reason: "unsupported case version '\(version)' (this swapsim reads version 1)") }
        let name = try top.required("name") { m, k throws(ScenarioFileError) in try m.string(k) }
        let description = try top.string("description") ?? ""

        var sm = try top.required("source") { m, k throws(ScenarioFileError) in try m.map(k) }
        sm.expect(["title", "url", "date", "where", "third_party"])
        let source = ValidationCase.Source(
            title: try sm.required("title") { m, k throws(ScenarioFileError) in try m.string(k) },
            url: try sm.required("url") { m, k throws(ScenarioFileError) in try m.string(k) },
            date: try sm.string("date") ?? "", location: try sm.string("where") ?? "", thirdParty: try sm.bool("third_party") ?? false)
        try sm.finish()

        var setupMap = try top.required("setup") { m, k throws(ScenarioFileError) in try m.map(k) }
        var setup = try parseSetup(&setupMap)
        let declared = Array(setup.models.indices)
        var servingRun: ValidationCase.ServingRun? = nil
        if var rm = try top.map("serving_run") { servingRun = try parseServingRun(&rm) }

        guard let nodes = try top.list("figures"), !nodes.isEmpty else {
            throw .missingKey(file: file, keyPath: "figures", line: top.line)
        }
        var figures: [ValidationCase.Figure] = []
        for (i, n) in nodes.enumerated() {
            var fm = try YAMLMap(n, path: "figures[\(i)]", file: file, keyLine: n.mark?.line, keyLines: keyLines)
            var f = try parseFigure(&fm, setup: &setup)
            // A figure naming no model is about the setup's own (not those other figures add).
            if f.models.isEmpty { f.models = declared }
            figures.append(f)
        }
        try top.finish()
        if let i = figures.firstIndex(where: { $0.experiment == .serving }) {
            if servingRun == nil { throw .missingKey(file: file, keyPath: "serving_run", line: top.line) }
            if setup.models.count != 1 {
                throw .invalid(file: file, keyPath: "figures[\(i)]", line: nil, reason: "a serving figure needs the setup to name exactly one model")
            }
        }
        return ValidationCase(name: name, description: description, source: source, setup: setup, figures: figures, servingRun: servingRun)
    }

    /// `serving_run:`: a load test's engine settings, prompts and fixed-rate stages.
    private static func parseServingRun(_ m: inout YAMLMap) throws(ScenarioFileError) -> ValidationCase.ServingRun {
        m.expect([
            "max_num_seqs", "max_num_batched_tokens", "gpu_memory_utilization", "request_timeout", "prompts", "output_tokens", "stages",
            "stage", "notes",
        ])
        func positive(_ key: String, _ v: Int?) throws(ScenarioFileError) -> Int {
            guard let v else { throw .missingKey(file: m.file, keyPath: m.keyPath(key), line: m.line) }
            guard v >= 1 else { throw m.fail(key, nil, "must be at least 1, got \(v)") }
            return v
        }
        let seqs = try positive("max_num_seqs", try m.int("max_num_seqs"))
        let budget = try positive("max_num_batched_tokens", try m.int("max_num_batched_tokens"))
        let u = try m.double("gpu_memory_utilization") ?? 0.9
        guard u > 0 && u <= 1 else { throw m.fail("gpu_memory_utilization", nil, "must be above 0 and at most 1, got \(u)") }
        let timeout = try m.duration("request_timeout")
        var pm = try m.required("prompts") { mm, k throws(ScenarioFileError) in try mm.map(k) }
        pm.expect(["groups", "per_group", "min_tokens", "max_tokens", "note"])
        let groups = try pm.int("groups") ?? 1
        let perGroup = try pm.int("per_group") ?? 1
        guard let lo = try pm.int("min_tokens") else { throw .missingKey(file: pm.file, keyPath: pm.keyPath("min_tokens"), line: pm.line) }
        let hi = try pm.int("max_tokens") ?? lo
        guard groups >= 1, perGroup >= 1, groups * perGroup <= 1_000_000, lo >= 1, hi >= lo, hi <= 1 << 20 else {
            throw m.fail("prompts", nil, "expects groups and per_group of at least 1 and 1 ≤ min_tokens ≤ max_tokens")
        }
        _ = try pm.string("note")
        try pm.finish()
        let output = try positive("output_tokens", try m.int("output_tokens"))
        guard let list = try m.list("stages"), !list.isEmpty else { throw .missingKey(file: m.file, keyPath: m.keyPath("stages"), line: m.line) }
        var stages: [(rate: Double, duration: Double)] = []
        for (i, n) in list.enumerated() {
            var sm = try YAMLMap(n, path: m.keyPath("stages[\(i)]"), file: m.file, keyLine: n.mark?.line, keyLines: KeyLines())
            sm.expect(["rate", "duration"])
            guard let rate = try sm.double("rate"), rate > 0, rate <= 1e6 else { throw sm.fail("rate", nil, "expected requests per second above 0") }
            guard let d = try sm.duration("duration"), d > .zero, d <= .hours(24) else { throw sm.fail("duration", nil, "expected a duration above 0 and at most 24h") }
            guard rate * d.seconds <= 1_000_000 else { throw sm.fail("rate", nil, "a stage of at most a million requests is supported") }
            try sm.finish()
            stages.append((rate, d.seconds))
        }
        let stage = try m.int("stage") ?? 0
        guard stages.indices.contains(stage) else { throw m.fail("stage", nil, "must name one of the \(stages.count) stages (0-based), got \(stage)") }
        _ = try m.string("notes")
        try m.finish()
        return ValidationCase.ServingRun(
            maxNumSeqs: seqs, maxBatchedTokens: budget, gpuMemoryUtilization: u, requestTimeout: timeout, groups: groups, perGroup: perGroup,
            minTokens: lo, maxTokens: hi, outputTokens: output, stages: stages, stage: stage)
    }

    /// A catalogue entry named under `key`, or nil for `default`/`unknown` where those are allowed.
    private static func named<T>(
        _ m: inout YAMLMap, _ key: String, what: String, allowUnknown: Bool = false, _ lookup: (String) -> T?, all: [String]
    ) throws(ScenarioFileError) -> T? {
        guard let (v, n) = try m.scalar(key) else { return nil }
        if v == "default" || (allowUnknown && v == "unknown") { return nil }
        guard let found = lookup(v) else { throw m.fail(key, n, "unknown \(what) '\(v)' (catalogue: \(all.joined(separator: ", ")))") }
        return found
    }

    private static func parseSetup(_ m: inout YAMLMap) throws(ScenarioFileError) -> ValidationCase.Setup {
        m.expect([
            "gpu", "gpus_per_node", "platform", "model", "models", "tensor_parallel", "stack", "stack_version", "mechanism", "storage",
            "storage_bandwidth", "loader", "loader_concurrency", "warmup_request", "lora", "notes",
        ])
        guard let gpu = try named(&m, "gpu", what: "GPU", GPUCatalog.named, all: GPUCatalog.all.map(\.name)) else {
            throw .missingKey(file: m.file, keyPath: m.keyPath("gpu"), line: m.line)
        }
        let perNode = try m.int("gpus_per_node") ?? 1
        let platform = try named(&m, "platform", what: "platform", PlatformCatalog.named, all: PlatformCatalog.all.map(\.name))
        var models: [ModelArchitecture] = []
        if let a = try named(&m, "model", what: "model", ModelCatalog.named, all: ModelCatalog.all.map(\.name)) { models.append(a) }
        if let list = try m.list("models") {
            for n in list {
                guard let s = n.scalar?.string, let a = ModelCatalog.named(s) else {
                    throw m.fail("models", n, "unknown model '\(n.scalar?.string ?? "a list or mapping")' (catalogue: \(ModelCatalog.all.map(\.name).joined(separator: ", ")))")
                }
                models.append(a)
            }
        }
        let stack = try named(&m, "stack", what: "serving stack", StackCatalog.named, all: StackCatalog.all.map(\.name)) ?? StackCatalog.defaultStack
        let mechanism = try named(&m, "mechanism", what: "mechanism", { WakeMechanism(rawValue: $0) }, all: WakeMechanism.allCases.map(\.rawValue)) ?? .vllmSleepL1
        let storage = try named(&m, "storage", what: "storage tier", allowUnknown: true, StorageCatalog.named, all: StorageCatalog.all.map(\.name))
        let loader = try named(&m, "loader", what: "weight loader", allowUnknown: true, { WeightLoader(rawValue: $0) }, all: WeightLoader.allCases.map(\.rawValue))
        let setup = ValidationCase.Setup(
            gpu: gpu, gpusPerNode: perNode, platform: platform, models: models, tensorParallel: try m.int("tensor_parallel") ?? 1,
            stack: stack, mechanism: mechanism, storage: storage, storageBandwidth: try m.bandwidth("storage_bandwidth"), loader: loader,
            warmupRequest: try m.bool("warmup_request") ?? false, lora: try m.bool("lora") ?? false)
        _ = try m.string("stack_version")
        _ = try m.int("loader_concurrency")
        _ = try m.string("notes")
        if setup.tensorParallel < 1 || setup.tensorParallel > perNode {
            throw m.fail("tensor_parallel", nil, "must be between 1 and gpus_per_node (\(perNode)), got \(setup.tensorParallel)")
        }
        try m.finish()
        return setup
    }

    /// A figure; a model it names that the setup lacks (same run, another model) joins the setup's.
    private static func parseFigure(_ m: inout YAMLMap, setup: inout ValidationCase.Setup) throws(ScenarioFileError) -> ValidationCase.Figure {
        m.expect([
            "name", "experiment", "measured", "unit", "tolerance", "aggregate", "bound", "metric", "workload", "switches", "model", "models",
            "warmup_request", "mechanism", "published_md", "note", "numerator", "denominator", "first_sleep", "gate",
        ])
        let name = try m.required("name") { mm, k throws(ScenarioFileError) in try mm.string(k) }
        let experiment = try experiment(&m, "experiment", required: true)!
        let resolved: Experiment
        if experiment == .ratio(.wake, .wake) {
            guard let a = try self.experiment(&m, "numerator", required: true), let b = try self.experiment(&m, "denominator", required: true) else {
                throw .missingKey(file: m.file, keyPath: m.keyPath("numerator"), line: m.line)
            }
            resolved = .ratio(a, b)
        } else {
            resolved = experiment
        }
        guard let list = try m.list("measured"), !list.isEmpty else { throw .missingKey(file: m.file, keyPath: m.keyPath("measured"), line: m.line) }
        var measured: [Double] = []
        for n in list {
            guard let v = n.scalar.flatMap({ Double($0.string) }), v.isFinite else {
                throw m.fail("measured", n, "expected numbers in the figure's unit; got '\(n.scalar?.string ?? "a list or mapping")'")
            }
            measured.append(v)
        }
        let unit = try m.required("unit") { mm, k throws(ScenarioFileError) in try mm.string(k) }
        guard ["s", "GB/s", "x"].contains(unit) else { throw m.fail("unit", nil, "expected s, GB/s or x; got '\(unit)'") }
        let tolerance = try tolerance(&m, unit: unit)
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(ScenarioFileError) -> T? where T.RawValue == String {
            guard let (v, n) = try m.scalar(key) else { return nil }
            guard let t = T(rawValue: v) else { throw m.fail(key, n, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")); got '\(v)'") }
            return t
        }
        var workload = ValidationCase.Workload()
        if var wm = try m.map("workload") {
            wm.expect(["input_tokens", "output_tokens", "stream", "rounds", "prompts_per_round", "warmup_request_tokens", "note"])
            if let v = try wm.int("input_tokens") { workload.inputTokens = v }
            if let v = try wm.int("output_tokens") { workload.outputTokens = v }
            if let v = try wm.int("rounds") { workload.rounds = v }
            if let v = try wm.int("prompts_per_round") { workload.promptsPerRound = v }
            _ = try wm.bool("stream")
            _ = try wm.int("warmup_request_tokens")
            _ = try wm.string("note")
            for (k, v) in [("input_tokens", workload.inputTokens), ("output_tokens", workload.outputTokens), ("prompts_per_round", workload.promptsPerRound)] where v < 1 {
                throw wm.fail(k, nil, "must be at least 1, got \(v)")
            }
            try wm.finish()
        }
        var models: [Int] = []
        func index(_ n: String, _ key: String, _ node: Node?) throws(ScenarioFileError) -> Int {
            guard let a = ModelCatalog.named(n) else {
                throw m.fail(key, node, "unknown model '\(n)' (catalogue: \(ModelCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            if let i = setup.models.firstIndex(where: { $0.name == a.name }) { return i }
            setup.models.append(a)
            return setup.models.count - 1
        }
        if let (v, n) = try m.scalar("model") { models.append(try index(v, "model", n)) }
        if let list = try m.list("models") {
            for n in list { models.append(try index(n.scalar?.string ?? "", "models", n)) }
        }
        if setup.models.isEmpty && !isRate(resolved) {
            throw m.fail("experiment", nil, "\(resolved.name) needs a model, and the setup names none")
        }
        let published = try m.bool("published_md") ?? true
        _ = try m.string("note")
        let figure = ValidationCase.Figure(
            name: name, experiment: resolved, measured: measured, unit: unit, tolerance: tolerance,
            aggregate: try choice("aggregate", ValidationCase.Aggregate.self) ?? .mean, bound: try choice("bound", ValidationCase.Bound.self),
            metric: try choice("metric", ValidationCase.Metric.self) ?? .e2e, workload: workload, models: models,
            switches: try m.int("switches") ?? 1, warmupRequest: try m.bool("warmup_request"),
            mechanism: try choice("mechanism", WakeMechanism.self), firstSleep: try m.bool("first_sleep") ?? false,
            gates: try m.bool("gate") ?? (published && resolved.gatesByDefault))
        try m.finish()
        return figure
    }

    private static func isRate(_ e: Experiment) -> Bool { [.copyH2D, .copyD2H, .copyBidirectional, .pinRate].contains(e) }

    /// An experiment name under `key`; `ratio` comes back as a placeholder its caller resolves.
    private static func experiment(_ m: inout YAMLMap, _ key: String, required: Bool) throws(ScenarioFileError) -> Experiment? {
        guard let (v, n) = try m.scalar(key) else {
            if required { throw .missingKey(file: m.file, keyPath: m.keyPath(key), line: m.line) }
            return nil
        }
        if v == "ratio" && key == "experiment" { return .ratio(.wake, .wake) }
        guard let e = Experiment.named(v) else {
            let all = Experiment.plain.map(\.name) + Experiment.stages.map { "stage:" + $0 } + (key == "experiment" ? ["ratio"] : [])
            throw m.fail(key, n, "unknown experiment '\(v)' (one of: \(all.joined(separator: ", ")))")
        }
        return e
    }

    /// `15%` (a share of the measured value) or an amount in the figure's unit (`0.25s`).
    private static func tolerance(_ m: inout YAMLMap, unit: String) throws(ScenarioFileError) -> ValidationCase.Tolerance {
        let (t, n) = try m.required("tolerance") { mm, k throws(ScenarioFileError) in try mm.scalar(k) }
        if t.hasSuffix("%"), let v = Double(t.dropLast()), v >= 0, v.isFinite { return .relative(v / 100) }
        if t.hasSuffix(unit), let v = Double(t.dropLast(unit.count).trimmingCharacters(in: .whitespaces)), v >= 0, v.isFinite { return .absolute(v) }
        throw m.fail("tolerance", n, "expected a share like 15% or an amount in the figure's unit like 0.25\(unit); got '\(t)'")
    }
}
