import SwapSimCore
import Yams

extension PlanSection {
    /// Reads a scenario's `plan:` mapping strictly: unknown keys, bad values and unknown GPU
    /// types are errors naming their key path (`plan.gpu_types[1]`) and line.
    static func read(_ m: inout YAMLMap) throws(ScenarioFileError) -> PlanSection {
        m.expect(keys)
        var s = PlanSection()
        func list<T>(_ key: String, _ parse: (String) throws(PlanValueError) -> T) throws(ScenarioFileError) -> [T]? {
            guard let n = m.node(key) else { return nil }
            let items: [Node]
            switch n {
            case let .sequence(seq): items = Array(seq)
            case .scalar: items = [n]
            default: throw m.fail(key, n, "expected a list of values")
            }
            var out: [T] = []
            for (i, item) in items.enumerated() {
                let path = "\(m.keyPath(key))[\(i)]"
                guard let text = item.scalar?.string else {
                    throw .invalid(file: m.file, keyPath: path, line: item.mark?.line, reason: "expected a single value")
                }
                do { out.append(try parse(text)) } catch { throw .invalid(file: m.file, keyPath: path, line: item.mark?.line, reason: error.reason) }
            }
            return out
        }
        s.strategies = try list("strategies", PlanSection.strategy)
        s.gpuTypes = try list("gpu_types") { (n: String) throws(PlanValueError) -> String in try PlanSection.gpu(n).name }
        s.maxGPUs = try m.int("max_gpus")
        s.budgetPerMonth = try m.double("budget_usd_per_month")
        s.swapSpaces = try list("swap_space") { (t: String) throws(PlanValueError) -> ByteCount in try PlanSection.bytes(t, field: "swap_space") }
        s.keepAlives = try list("keep_alive") { (t: String) throws(PlanValueError) -> SimDuration in try PlanSection.duration(t, field: "keep_alive") }
        s.idleTimeouts = try list("idle_timeout", PlanSection.idleTimeout)
        s.evictions = try list("eviction", PlanSection.eviction)
        s.replications = try m.int("replications")
        s.sizeReplicas = try m.bool("size_replicas")
        try m.finish()
        return s
    }
}

extension ScenarioLoader {
    /// Loads the scenario at `path` with its `plan:` section (nil when it has none) and the
    /// file's text (whose SHA-256 keys cached plan evaluations).
    public static func loadForPlanning(path: String) throws(ScenarioFileError) -> (scenario: Scenario, plan: PlanSection?, text: String) {
        let text = try text(at: path)
        let (scenario, plan) = try parseWithPlan(text, file: path)
        return (scenario, plan, text)
    }
}
