import Foundation
import SwapSimCore
import Yams

/// Reads scenario files (YAML, `version: 1`) into validated ``Scenario`` values.
///
/// The file format is documented in the README's "Scenario files" section. Every size, rate and
/// duration takes a unit; unknown keys are errors naming their key path and line.
public enum ScenarioLoader {
    /// Loads and validates the scenario at `path`.
    public static func load(path: String) throws(ScenarioFileError) -> Scenario {
        try parse(try text(at: path), file: path)
    }

    /// The text of the scenario file at `path` (invalid UTF-8 is an error naming its line).
    static func text(at path: String) throws(ScenarioFileError) -> String {
        try YAMLText.read(path)
    }

    /// The YAML document in `text` as a node tree, with Yams' errors (syntax, a key given twice)
    /// turned into one message naming `file` and the line: the first step of every YAML file
    /// swapsim reads.
    static func compose(_ text: String, file: String) throws(ScenarioFileError) -> Node {
        try YAMLText.checkCharacters(text, file: file)
        do {
            guard let n = try Yams.compose(yaml: text) else { throw ScenarioFileError.syntax(file: file, line: nil, reason: "the file is empty") }
            return n
        } catch let e as ScenarioFileError {
            throw e
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            let key = duplicates.first ?? ""
            let first = context.mark
            throw .syntax(
                file: file, line: Self.repeatLine(of: key, after: first, in: text) ?? first.line,
                reason: "key '\(key)' appears twice in one mapping (first at line \(first.line))")
        } catch let e as YamlError {
            throw .syntax(file: file, line: Self.line(of: e), reason: Self.problem(of: e))
        } catch {
            throw .syntax(file: file, line: nil, reason: "\(error)")
        }
    }

    /// Parses and validates scenario YAML; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ScenarioFileError) -> Scenario {
        try parseWithPlan(text, file: file).scenario
    }

    /// Parses and validates scenario YAML with its `plan:` section (nil when it has none): every
    /// command checks the section, the planner also uses it.
    static func parseWithPlan(_ text: String, file: String) throws(ScenarioFileError) -> (scenario: Scenario, plan: PlanSection?) {
        let root = try compose(text, file: file)
        let keyLines = KeyLines()
        var top = try YAMLMap(root, path: "", file: file, keyLines: keyLines)
        top.expect(["version", "name", "description", "cluster", "models", "serving", "strategies", "costs", "slo", "plan"])
        guard let (version, vnode) = try top.scalar("version") else { throw .missingKey(file: file, keyPath: "version", line: 1) }
        _ = vnode
        guard version == "1" else { throw .unsupportedVersion(file: file, version: version) }
        let name = try top.required("name") { m, k throws(ScenarioFileError) in try m.string(k) }
        _ = try top.string("description")

        var servingMap = try top.map("serving")
        servingMap?.expect([
            "stack", "iteration_overhead", "compute_efficiency", "memory_efficiency", "runtime_reservation", "max_batch", "kv_cache",
            "gpu_memory_utilization", "engines_per_gpu", "max_num_batched_tokens", "prefix_caching", "async_scheduling",
            "api_latency", "api_jitter", "request_timeout",
        ])
        // The cluster's GPU sets vLLM's defaults (the token budget) and the fitted preset.
        var clusterMap = try top.required("cluster") { m, k throws(ScenarioFileError) in try m.map(k) }
        let cluster = try parseCluster(&clusterMap)
        var serving = ServingConfig.vllmDefaults(for: cluster.gpu)
        if servingMap != nil { serving = try parseEngine(&servingMap!, into: serving) }
        serving.iterationOverhead = try servingMap?.duration("iteration_overhead")
        serving.computeEfficiency = try servingMap?.double("compute_efficiency")
        serving.memoryEfficiency = try servingMap?.double("memory_efficiency")
        serving.runtimeReservation = try servingMap?.bytes("runtime_reservation") ?? .mebibytes(1536)
        let defaultMaxBatch = try servingMap?.int("max_batch") ?? 256
        let defaultKV = servingMap != nil ? try kvSetting(&servingMap!) : nil
        if let (name, n) = try servingMap?.scalar("stack") {
            guard let stack = StackCatalog.named(name) else {
                throw servingMap!.fail("stack", n, "unknown serving stack '\(name)' (catalogue: \(StackCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            serving.stack = stack
        }
        try servingMap?.finish()

        guard let modelNodes = try top.list("models") else { throw .missingKey(file: file, keyPath: "models", line: top.line) }
        var models: [ModelDeployment] = []
        for (i, n) in modelNodes.enumerated() {
            keyLines.record("models[\(i)]", n.mark?.line)
            var m = try YAMLMap(n, path: "models[\(i)]", file: file, keyLine: n.mark?.line, keyLines: keyLines)
            var d = try parseModel(&m, defaultMaxBatch: defaultMaxBatch, defaultKV: defaultKV)
            // A tensor_parallel outside 1…gpus_per_node is refused by validation, naming that key;
            // sizing the KV cache for it first would blame kv_cache instead.
            if d.kvCacheAuto && (1...max(1, cluster.gpusPerNode)).contains(d.tensorParallel) {
                // vLLM's sizing: what the engine's share of the GPU leaves after weights and activations.
                guard let kv = KVCacheSizing.auto(
                    model: d.architecture, gpu: cluster.gpu, tensorParallel: d.tensorParallel,
                    utilization: serving.gpuMemoryUtilization, enginesPerGPU: serving.enginesPerGPU)
                else {
                    let share = serving.enginesPerGPU > 1 ? " / engines_per_gpu \(serving.enginesPerGPU)" : ""
                    throw m.fail(
                        "kv_cache", n,
                        "model '\(d.name)': kv_cache auto leaves no KV cache: gpu_memory_utilization \(serving.gpuMemoryUtilization)\(share) of a \(cluster.gpu.memory) \(cluster.gpu.name) does not hold its \(d.architecture.weightBytes.divided(into: d.tensorParallel)) of weights per GPU and vLLM's activation reserve (raise gpu_memory_utilization or tensor_parallel, or state kv_cache)")
                }
                d.kvCache = kv
            }
            models.append(d)
        }

        var strategyMap = try top.map("strategies")
        strategyMap?.expect(StrategyKind.allCases.map(\.rawValue))
        var strategies = StrategyConfigurations()
        for d in StrategyRegistry.all {
            guard var section = try strategyMap?.map(d.kind.rawValue) else { continue }
            strategies[d.kind] = try StrategySection.read(&section, descriptor: d)
        }
        try strategyMap?.finish()

        var costMap = try top.map("costs")
        costMap?.expect(["gpu_hour_usd", "host_gib_hour_usd"])
        let costs = CostConfig(
            gpuHour: Dollars(try costMap?.double("gpu_hour_usd") ?? cluster.gpu.pricePerHour.amount),
            hostGiBHour: Dollars(try costMap?.double("host_gib_hour_usd") ?? 0))
        try costMap?.finish()

        var sloMap = try top.required("slo") { m, k throws(ScenarioFileError) in try m.map(k) }
        let slo = try parseSLO(&sloMap, requireTTFT: true, base: nil)
        // The planner's search space, checked here so every command rejects a bad one.
        var plan: PlanSection? = nil
        if var pm = try top.map("plan") { plan = try PlanSection.read(&pm) }
        try top.finish()

        // A model's own SLO starts from the scenario's and overrides what it states.
        for (i, n) in modelNodes.enumerated() {
            guard case let .mapping(mm) = n, let sloNode = mm["slo"] else { continue }
            var sm = try YAMLMap(sloNode, path: "models[\(i)].slo", file: file, keyLine: sloNode.mark?.line, keyLines: keyLines)
            models[i].slo = try parseSLO(&sm, requireTTFT: false, base: slo)
        }
        let scenario = Scenario(
            name: name, cluster: cluster, models: models, serving: serving, strategies: strategies, costs: costs, slo: slo)
        do throws(ScenarioError) { try scenario.validate() } catch {
            throw .impossible(file: file, line: error.keyPath.flatMap(keyLines.line(of:)), error)
        }
        return (scenario, plan)
    }

    private static func parseCluster(_ c: inout YAMLMap) throws(ScenarioFileError) -> ClusterSpec {
        c.expect(["nodes", "gpus_per_node", "gpu", "link", "host", "storage", "calibration", "platform", "topology"])
        let nodes = try c.int("nodes") ?? 1
        let perNode = try c.required("gpus_per_node") { m, k throws(ScenarioFileError) in try m.int(k) }
        guard let gpuNode = c.node("gpu") else { throw .missingKey(file: c.file, keyPath: c.keyPath("gpu"), line: c.line) }
        var gpu: GPUSpec
        var inlineGPU = false
        if let name = gpuNode.scalar?.string {
            guard let g = GPUCatalog.named(name) else {
                throw c.fail("gpu", gpuNode, "unknown GPU '\(name)' (catalogue: \(GPUCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            gpu = g
        } else {
            var gm = try c.child(gpuNode, key: "gpu")
            gm.expect(["base", "name", "memory", "memory_bandwidth", "bf16", "price_per_hour_usd"])
            if let (base, bn) = try gm.scalar("base") {
                guard let g = GPUCatalog.named(base) else { throw gm.fail("base", bn, "unknown GPU '\(base)'") }
                gpu = g
            } else {
                let fields = ["memory", "memory_bandwidth", "bf16", "price_per_hour_usd"]
                guard fields.allSatisfy(gm.has), gm.has("name") else {
                    throw gm.fail("base", nil, "an inline GPU needs either 'base: <catalogue name>' or all of name, \(fields.joined(separator: ", ")) and cluster.link")
                }
                gpu = GPUSpec(
                    name: "", memory: .zero, memoryBandwidth: .init(bytesPerSecond: 1), bf16: .init(flopsPerSecond: 1),
                    link: HostLink(hostToDevice: .gigabytesPerSecond(1), deviceToHost: .gigabytesPerSecond(1), pageableHostToDevice: .gigabytesPerSecond(1), latency: .zero),
                    pricePerHour: Dollars(0))
                if !c.has("link") { throw .missingKey(file: c.file, keyPath: c.keyPath("link"), line: c.line) }
                inlineGPU = true
            }
            if let n = try gm.string("name") { gpu.name = n }
            if let v = try gm.bytes("memory") { gpu.memory = v }
            if let v = try gm.bandwidth("memory_bandwidth") { gpu.memoryBandwidth = v }
            if let v = try gm.unit("bf16", UnitParser.flops) { gpu.bf16 = v }
            if let v = try gm.double("price_per_hour_usd") { gpu.pricePerHour = Dollars(v) }
            try gm.finish()
        }
        // Precedence: catalogue < calibration < the scenario's own link and host keys.
        var calibration: CalibratedLink?
        if let (path, n) = try c.scalar("calibration") {
            let loaded = try CalibrationFragment.load(path, scenarioFile: c.file, keyPath: c.keyPath("calibration"), line: n.mark?.line)
            gpu.link = loaded.applied(to: gpu.link)
            calibration = loaded
        }
        if var lm = try c.map("link") {
            lm.expect(["h2d", "d2h", "pageable_h2d", "bidirectional", "latency", "duplex"])
            for k in ["h2d", "d2h"] where inlineGPU && !lm.has(k) {
                throw .missingKey(file: c.file, keyPath: lm.keyPath(k), line: lm.line)
            }
            if let v = try lm.bandwidth("h2d") {
                gpu.link.hostToDevice = v
                if !lm.has("pageable_h2d"), calibration?.pageableHostToDevice == nil { gpu.link.pageableHostToDevice = Bandwidth(bytesPerSecond: v.bytesPerSecond / 3) }
            }
            if let v = try lm.bandwidth("d2h") { gpu.link.deviceToHost = v }
            if let v = try lm.bandwidth("pageable_h2d") { gpu.link.pageableHostToDevice = v }
            if let v = try lm.bandwidth("bidirectional") { gpu.link.bidirectional = v }
            if let v = try lm.duration("latency") { gpu.link.latency = v }
            if let (s, n) = try lm.scalar("duplex") {
                guard let d = HostLink.Duplex(rawValue: s) else { throw lm.fail("duplex", n, "expected full or half; got '\(s)'") }
                gpu.link.duplex = d
            }
            try lm.finish()
        }
        var host = try c.required("host") { m, k throws(ScenarioFileError) in try m.map(k) }
        host.expect(["memory", "swap_space", "dma_bandwidth"])
        let hostMemory = try host.required("memory") { m, k throws(ScenarioFileError) in try m.bytes(k) }
        let swap = try host.bytes("swap_space") ?? ByteCount(bytes: hostMemory.bytes / 2)
        // A node-wide cap only when stated (or measured): the topology bounds copies otherwise.
        let dma = try host.bandwidth("dma_bandwidth") ?? calibration?.dmaBandwidth
        try host.finish()
        var platform: Platform? = nil
        if let (name, n) = try c.scalar("platform") {
            guard let p = PlatformCatalog.named(name) else {
                throw c.fail("platform", n, "unknown platform '\(name)' (catalogue: \(PlatformCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            platform = p
        }
        var topology: HostTopology? = nil
        if var tm = try c.map("topology") {
            let base = (platform ?? PlatformCatalog.defaultPlatform(for: gpu.name)).topology(gpus: perNode)
            topology = try parseTopology(&tm, base: base)
        }
        var spec = ClusterSpec(
            nodes: nodes, gpusPerNode: perNode, gpu: gpu, hostMemory: hostMemory, swapSpace: swap,
            dmaBandwidth: dma, storageReadBandwidth: nil, platform: platform, topology: topology)
        if var sm = try c.map("storage") {
            sm.expect(["tier", "read_bandwidth", "loader"])
            if let (name, n) = try sm.scalar("tier") {
                guard let tier = StorageCatalog.named(name) else {
                    throw sm.fail("tier", n, "unknown storage tier '\(name)' (catalogue: \(StorageCatalog.all.map(\.name).joined(separator: ", ")))")
                }
                spec.storage = tier
                spec.storageStated = true
            }
            if let bw = try sm.bandwidth("read_bandwidth") {
                spec.storage.bandwidth = bw
                spec.storageStated = true
            }
            if let (name, n) = try sm.scalar("loader") {
                guard let l = WeightLoader(rawValue: name) else {
                    throw sm.fail("loader", n, "unknown weight loader '\(name)' (one of: \(WeightLoader.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                spec.loader = l
            }
            try sm.finish()
        }
        try c.finish()
        return spec
    }

    /// `cluster.topology`: switches (lists of a node's GPU indices), their uplink, sockets, each
    /// socket's memory bandwidth and the pinning rate, over `base` (the platform's) for what it leaves out.
    private static func parseTopology(_ tm: inout YAMLMap, base: HostTopology) throws(ScenarioFileError) -> HostTopology {
        tm.expect(["switches", "uplink", "sockets", "socket_memory_bandwidth", "pin_rate"])
        var t = base
        t.name = "custom"
        if let list = try tm.list("switches") {
            var switches: [HostTopology.Switch] = []
            for (i, n) in list.enumerated() {
                guard case let .sequence(items) = n else { throw tm.fail("switches", n, "switch \(i) must be a list of GPU indices, like [0, 1]") }
                var gpus: [Int] = []
                for item in items {
                    guard let v = item.scalar.flatMap({ Int($0.string) }) else {
                        throw tm.fail("switches", item, "switch \(i): expected GPU indices (whole numbers); got '\(item.scalar?.string ?? "a list or mapping")'")
                    }
                    gpus.append(v)
                }
                switches.append(HostTopology.Switch(gpus: gpus))
            }
            t.switches = switches
        }
        if var um = try tm.map("uplink") {
            um.expect(["h2d", "d2h", "bidirectional"])
            if let v = try um.bandwidth("h2d") { t.uplinkH2D = v }
            if let v = try um.bandwidth("d2h") { t.uplinkD2H = v }
            if let v = try um.bandwidth("bidirectional") { t.uplinkBidirectional = v }
            try um.finish()
        }
        if let v = try tm.int("sockets") {
            guard v >= 1 else { throw tm.fail("sockets", nil, "must be at least 1, got \(v)") }
            t.sockets = v
        }
        if let v = try tm.bandwidth("socket_memory_bandwidth") { t.socketMemoryBandwidth = v }
        if let v = try tm.bandwidth("pin_rate") { t.pinRate = v }
        try tm.finish()
        return t
    }

    /// An `slo:` mapping; `base` supplies what it leaves out (a model's SLO starts from the scenario's).
    private static func parseSLO(_ sloMap: inout YAMLMap, requireTTFT: Bool, base: SLOConfig?) throws(ScenarioFileError) -> SLOConfig {
        sloMap.expect(["ttft", "attainment", "ttft_percentiles"])
        let ttft: SimDuration
        if requireTTFT {
            ttft = try sloMap.required("ttft") { m, k throws(ScenarioFileError) in try m.duration(k) }
        } else {
            ttft = try sloMap.duration("ttft") ?? base!.ttft
        }
        var targets: [SLOConfig.Percentile] = []
        if var pm = try sloMap.map("ttft_percentiles") {
            var keys: [String] = []
            if case let .mapping(mm) = pm.node { keys = mm.keys.compactMap { $0.scalar?.string } }
            pm.expect(keys)
            for k in keys {
                guard k.hasPrefix("p"), let p = Double(k.dropFirst()), p > 0, p <= 100 else {
                    throw pm.fail(k, nil, "percentile keys are written p50, p90, p99, p99.9")
                }
                let d = try pm.required(k) { m, key throws(ScenarioFileError) in try m.duration(key) }
                targets.append(.init(percentile: p, target: d))
            }
            try pm.finish()
        } else if let b = base {
            targets = b.ttftPercentiles
        }
        let attainment = try sloMap.double("attainment") ?? base?.attainment ?? 0.95
        try sloMap.finish()
        return SLOConfig(ttft: ttft, ttftPercentiles: targets, attainment: attainment)
    }

    /// `kv_cache`: `auto` (nil: vLLM's sizing) or a size; absent: nil too.
    private static func kvSetting(_ m: inout YAMLMap) throws(ScenarioFileError) -> ByteCount? {
        if let (v, _) = try m.scalar("kv_cache"), v == "auto" { return nil }
        return try m.bytes("kv_cache")
    }

    /// The vLLM engine keys of `serving` over `base`.
    private static func parseEngine(_ m: inout YAMLMap, into base: ServingConfig) throws(ScenarioFileError) -> ServingConfig {
        var c = base
        if let u = try m.double("gpu_memory_utilization") {
            guard u > 0 && u <= 1 else {
                throw m.fail("gpu_memory_utilization", m.node("gpu_memory_utilization"), "must be a share of the GPU's memory above 0 and at most 1 (vLLM's --gpu-memory-utilization), got \(u)")
            }
            c.gpuMemoryUtilization = u
        }
        if let k = try m.int("engines_per_gpu") {
            guard (1...64).contains(k) else { throw m.fail("engines_per_gpu", m.node("engines_per_gpu"), "must be between 1 and 64, got \(k)") }
            c.enginesPerGPU = k
        }
        if let b = try m.int("max_num_batched_tokens") {
            guard (1...(1 << 24)).contains(b) else {
                throw m.fail("max_num_batched_tokens", m.node("max_num_batched_tokens"), "must be between 1 and 16777216, got \(b)")
            }
            c.maxBatchedTokens = b
        }
        if let v = try m.bool("prefix_caching") { c.prefixCaching = v }
        if let v = try m.bool("async_scheduling") { c.asyncScheduling = v }
        if let v = try m.duration("api_latency") { c.apiLatency = v }
        if let v = try m.duration("api_jitter") { c.apiJitter = v }
        if let v = try m.duration("request_timeout") { c.requestTimeout = v }
        return c
    }

    private static func parseModel(_ m: inout YAMLMap, defaultMaxBatch: Int, defaultKV: ByteCount?) throws(ScenarioFileError) -> ModelDeployment {
        m.expect(["name", "arch", "tensor_parallel", "kv_cache", "max_batch", "replicas", "strategy", "slo", "startup", "lora"])
        let name = try m.required("name") { mm, k throws(ScenarioFileError) in try mm.string(k) }
        guard let archNode = m.node("arch") else { throw .missingKey(file: m.file, keyPath: m.keyPath("arch"), line: m.line) }
        var arch: ModelArchitecture
        if let a = archNode.scalar?.string {
            guard let found = ModelCatalog.named(a) else {
                throw m.fail("arch", archNode, "unknown model architecture '\(a)' (catalogue: \(ModelCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            arch = found
        } else {
            var am = try m.child(archNode, key: "arch")
            am.expect(["base", "parameters", "active_parameters", "layers", "kv_heads", "head_dim", "bytes_per_parameter", "kv_bytes_per_element", "weights"])
            if let (base, bn) = try am.scalar("base") {
                guard let found = ModelCatalog.named(base) else { throw am.fail("base", bn, "unknown model architecture '\(base)'") }
                arch = found
            } else {
                for k in ["parameters", "layers", "kv_heads", "head_dim"] where !am.has(k) {
                    throw .missingKey(file: m.file, keyPath: am.keyPath(k), line: am.line)
                }
                arch = ModelArchitecture(name: name, parameters: 1, layers: 1, kvHeads: 1, headDimension: 1)
            }
            if let v = try am.unit("parameters", UnitParser.count) { arch.parameters = v; arch.activeParameters = v }
            if let v = try am.unit("active_parameters", UnitParser.count) { arch.activeParameters = v }
            if let v = try am.int("layers") { arch.layers = v }
            if let v = try am.int("kv_heads") { arch.kvHeads = v }
            if let v = try am.int("head_dim") { arch.headDimension = v }
            if let v = try am.int("bytes_per_parameter") { arch.bytesPerParameter = v }
            if let v = try am.int("kv_bytes_per_element") { arch.kvBytesPerElement = v }
            if let v = try am.bytes("weights") { arch.weightBytesOverride = v }
            for (k, v) in [("layers", arch.layers), ("kv_heads", arch.kvHeads), ("head_dim", arch.headDimension), ("bytes_per_parameter", arch.bytesPerParameter), ("kv_bytes_per_element", arch.kvBytesPerElement)] where v < 1 {
                throw am.fail(k, nil, "must be at least 1, got \(v)")
            }
            try am.finish()
        }
        var tier: ModelTier? = nil
        if let (t, tn) = try m.scalar("strategy") {
            guard let v = ModelTier(rawValue: t) else {
                throw m.fail("strategy", tn, "model '\(name)': unknown strategy '\(t)' (one of: \(ModelTier.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            tier = v
        }
        let kv = m.has("kv_cache") ? try kvSetting(&m) : defaultKV
        var d = ModelDeployment(
            name: name, architecture: arch, tensorParallel: try m.int("tensor_parallel") ?? 1,
            kvCache: kv ?? .zero, maxBatch: try m.int("max_batch") ?? defaultMaxBatch,
            replicas: try m.int("replicas"), tier: tier)
        d.kvCacheAuto = kv == nil
        if var sm = try m.map("startup") {
            sm.expect(StartupStage.allCases.map(\.rawValue))
            for stage in StartupStage.allCases {
                if let v = try sm.duration(stage.rawValue) { d.startup[stage] = v }
            }
            try sm.finish()
        }
        d.lora = try m.bool("lora") ?? false
        _ = m.node("slo")  // read after the scenario's SLO, which it starts from
        try m.finish()
        return d
    }

    /// The line where block-style `key:` appears again at the same column after its first occurrence.
    static func repeatLine(of key: String, after first: Mark, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        for i in first.line..<lines.count {
            let l = lines[i]
            guard l.count > indent, l.prefix(indent).allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = l.dropFirst(indent)
            if rest.hasPrefix(key + ":") { return i + 1 }
        }
        return nil
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        default: return nil
        }
    }

    static func problem(of e: YamlError) -> String {
        switch e {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): return problem
        case let .reader(problem, _, _, _): return problem
        default: return "\(e)"
        }
    }
}
