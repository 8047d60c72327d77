import Foundation
import GRDB
import SwapSimCore

/// Writing a run and reading it back exactly: every double goes in as an SQLite REAL (an IEEE
/// double) and every instant as integer nanoseconds, so a run read back renders the same bytes.
extension ResultsStore {
    /// Stores `report` as one run, in one transaction, and returns its id.
    ///
    /// - Parameters:
    ///   - createdAt: when the run was made, ISO 8601 UTC (default: now).
    ///   - uid: the run's identity across stores (default: a new UUID); `merge` passes the original's.
    ///   - duringTransaction: called inside the transaction once the run's row is written and
    ///     before anything under it: a seam for tests that kill or stall a writer mid-run.
    @discardableResult
    public func save(_ report: RunReport, createdAt: String? = nil, uid: String? = nil, duringTransaction: (() -> Void)? = nil) throws -> Int64 {
        let created = createdAt ?? Self.timestamp(Date())
        let uid = uid ?? UUID().uuidString.lowercased()
        return try write { db in
            let s = report.summary
            let t = s.traceInput
            try insert(db, "runs", [
                ("uid", uid), ("created_at", created), ("tool_version", report.toolVersion), ("command", report.command),
                ("scenario_name", s.scenario), ("scenario_path", report.scenarioPath), ("scenario_text", report.scenarioText),
                ("scenario_hash", report.scenarioHash), ("trace", s.trace), ("trace_hash", report.traceHash),
                ("seed", Int64(bitPattern: s.seed)), ("requests", s.requests), ("gpu_name", report.gpuName),
                ("gpu_memory_bytes", report.gpuMemory.bytes), ("trace_format", t?.format), ("trace_rows", t?.rows),
                ("trace_rebased_from_ns", t?.rebasedFrom), ("trace_sorted_moved", t?.sortedMoved),
                ("cheapest_meeting_slo", s.cheapestMeetingSLO?.strategy.rawValue),
                ("stored_requests", s.results.contains { !$0.requestLog.isEmpty }), ("summary_json", s.json()),
            ])
            let id = db.lastInsertedRowID
            duringTransaction?()
            for (i, name) in report.modelNames.enumerated() {
                try insert(db, "run_models", [("run_id", id), ("position", i), ("name", name)])
            }
            var notes: [(kind: String, text: String, rows: Int?)] = (t?.filled ?? []).map { ("filled", $0, nil) }
            notes += (t?.skipped ?? []).map { ("skipped", $0.reason, $0.rows) }
            for (i, n) in notes.enumerated() {
                try insert(db, "run_trace_notes", [("run_id", id), ("position", i), ("kind", n.kind), ("text", n.text), ("rows", n.rows)])
            }
            for (i, f) in s.failures.enumerated() {
                try insert(db, "run_failures", [("run_id", id), ("position", i), ("strategy", f.strategy.rawValue), ("reason", f.reason)])
            }
            for (i, r) in s.results.enumerated() { try saveResult(r, position: i, run: id, names: report.modelNames, db) }
            return id
        }
    }

    /// A date as ISO 8601 in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    private func insert(_ db: Database, _ table: String, _ columns: [(String, (any DatabaseValueConvertible)?)]) throws {
        let names = columns.map(\.0).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.cachedStatement(sql: "INSERT INTO \(table) (\(names)) VALUES (\(marks))")
            .execute(arguments: StatementArguments(columns.map(\.1)))
    }

    private func saveResult(_ r: StrategyResult, position: Int, run id: Int64, names: [String], _ db: Database) throws {
        let k = r.strategy.rawValue
        var columns: [(String, (any DatabaseValueConvertible)?)] = [("run_id", id), ("strategy", k), ("position", position)]
        columns += [("requests", r.requests), ("completed", r.completed), ("rejected", r.rejected)]
        for (prefix, l) in [("ttft", r.ttft), ("tpot", r.tpot), ("e2e", r.e2e)] {
            columns += [
                ("\(prefix)_count", l.count), ("\(prefix)_mean_s", l.mean), ("\(prefix)_p50_s", l.p50), ("\(prefix)_p90_s", l.p90),
                ("\(prefix)_p95_s", l.p95), ("\(prefix)_p99_s", l.p99), ("\(prefix)_max_s", l.max),
            ]
        }
        columns += [
            ("ttft_target_ns", r.ttftTarget.nanoseconds), ("slo_attainment", r.sloAttainment),
            ("required_attainment", r.requiredAttainment), ("meets_slo", r.meetsSLO),
            ("gpus", r.gpus), ("gpu_hours", r.gpuHours), ("host_gib_hours", r.hostGiBHours), ("cost_usd", r.cost.amount),
            ("usd_per_million_output_tokens", r.usdPerMillionOutputTokens), ("gpu_utilization", r.gpuUtilization),
            ("cold_starts", r.coldStarts), ("swap_ins", r.swapIns), ("swap_outs", r.swapOuts), ("evictions", r.evictions),
            ("teardowns", r.teardowns), ("requests_paying_cold_start", r.requestsPayingColdStart),
            ("requests_paying_swap_in", r.requestsPayingSwapIn), ("bytes_host_to_gpu", r.bytesHostToGPU),
            ("bytes_gpu_to_host", r.bytesGPUToHost), ("input_tokens", r.inputTokens), ("output_tokens", r.outputTokens),
            ("breakdown_queueing_s", r.breakdown.queueing), ("breakdown_swap_wait_s", r.breakdown.swapWait),
            ("breakdown_cold_start_wait_s", r.breakdown.coldStartWait), ("breakdown_prefill_s", r.breakdown.prefill),
            ("horizon_ns", r.horizon.nanoseconds), ("events", r.events), ("cdf_completed_share", r.ttftCDF.completedShare),
            ("timeline_interval_ns", r.timeline.interval.nanoseconds), ("timeline_gpus", r.timeline.gpus),
            ("timeline_h2d_capacity", r.timeline.hostToDeviceCapacity), ("timeline_d2h_capacity", r.timeline.deviceToHostCapacity),
            ("timed_out", r.timedOut), ("preemptions", r.preemptions), ("lifecycle_recorded", r.lifecycleRecorded),
        ]
        try insert(db, "strategy_results", columns)

        for (i, p) in r.percentileTargets.enumerated() {
            try insert(db, "percentile_targets", [
                ("run_id", id), ("strategy", k), ("position", i), ("percentile", p.percentile),
                ("target_ns", p.target.nanoseconds), ("achieved_s", p.achieved), ("met", p.met),
            ])
        }
        let cdf = try db.makeStatement(sql: "INSERT INTO ttft_cdf (run_id, strategy, position, quantile, seconds) VALUES (?, ?, ?, ?, ?)")
        for i in r.ttftCDF.quantiles.indices {
            try cdf.execute(arguments: [id, k, i, r.ttftCDF.quantiles[i], r.ttftCDF.seconds[i]])
        }
        let event = try db.makeStatement(
            sql: "INSERT INTO lifecycle_events (run_id, strategy, seq, time_ns, kind, model, gpus, bytes, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (i, e) in r.lifecycle.enumerated() {
            let gpus = e.gpus.map(String.init).joined(separator: ",")
            try event.execute(arguments: [id, k, i, e.time.nanoseconds, e.kind.rawValue, e.model, gpus, e.bytes.bytes, e.reasonText(names)])
        }
        let sample = try db.makeStatement(
            sql: "INSERT INTO timeline_samples (run_id, strategy, sample, time_ns, queued, running) VALUES (?, ?, ?, ?, ?, ?)")
        let gpu = try db.makeStatement(
            sql: """
                INSERT INTO timeline_gpus (run_id, strategy, sample, gpu, memory_used_bytes, h2d_bytes, d2h_bytes, h2d_utilization, d2h_utilization)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let resident = try db.makeStatement(
            sql: "INSERT INTO timeline_residents (run_id, strategy, sample, gpu, position, model, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let tl = r.timeline
        for (i, s) in tl.samples.enumerated() {
            try sample.execute(arguments: [id, k, i, s.time.nanoseconds, s.queued, s.running])
            for g in s.residents.indices {
                try gpu.execute(arguments: [
                    id, k, i, g, s.memoryUsed(gpu: g).bytes, s.hostToDeviceBytes[g], s.deviceToHostBytes[g],
                    tl.hostToDeviceUtilization(gpu: g, sample: i), tl.deviceToHostUtilization(gpu: g, sample: i),
                ])
                for (j, share) in s.residents[g].enumerated() {
                    try resident.execute(arguments: [id, k, i, g, j, share.model, share.bytes.bytes])
                }
            }
        }
        for (i, m) in r.models.enumerated() {
            try insert(db, "model_results", [
                ("run_id", id), ("strategy", k), ("position", i), ("name", m.name), ("tier", m.tier),
                ("requests", m.requests), ("completed", m.completed), ("rejected", m.rejected),
                ("ttft_count", m.ttft.count), ("ttft_mean_s", m.ttft.mean), ("ttft_p50_s", m.ttft.p50), ("ttft_p90_s", m.ttft.p90),
                ("ttft_p95_s", m.ttft.p95), ("ttft_p99_s", m.ttft.p99), ("ttft_max_s", m.ttft.max),
                ("ttft_target_ns", m.ttftTarget.nanoseconds), ("slo_attainment", m.sloAttainment), ("meets_own_slo", m.meetsOwnSLO),
                ("swap_ins", m.swapIns), ("cold_starts", m.coldStarts), ("requests_paying_swap_in", m.requestsPayingSwapIn),
                ("requests_paying_cold_start", m.requestsPayingColdStart), ("resident_ns", m.residentTime.nanoseconds),
                ("miss_reason", m.missReason?.rawValue), ("kv_cache_tokens", m.kvCacheTokens),
            ])
            for (j, v) in m.counters.enumerated() {
                try insert(db, "model_counters", [("run_id", id), ("strategy", k), ("model_position", i), ("counter_position", j), ("value", v)])
            }
        }
        for (i, t) in r.startup.enumerated() {
            try insert(db, "startup_stages", [("run_id", id), ("strategy", k), ("position", i), ("stage", t.stage.rawValue), ("count", t.count), ("mean_s", t.meanSeconds)])
        }
        for (i, c) in r.counters.enumerated() {
            try insert(db, "strategy_counters", [("run_id", id), ("strategy", k), ("position", i), ("key", c.spec.key), ("label", c.spec.label), ("value", c.value)])
        }
        let request = try db.makeStatement(
            sql: """
                INSERT INTO requests (run_id, strategy, seq, arrival_ns, model, input_tokens, output_tokens, ttft_ns, e2e_ns, wait_cause)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, q) in r.requestLog.enumerated() {
            try request.execute(arguments: [
                id, k, i, q.arrival.nanoseconds, q.model, Int64(q.inputTokens), Int64(q.outputTokens),
                q.ttft?.nanoseconds, q.e2e?.nanoseconds, Self.causeName(q.cause),
            ])
        }
    }

    static func causeName(_ c: WaitCause) -> String {
        switch c {
        case .none: return "none"
        case .swapIn: return "swap-in"
        case .coldStart: return "cold-start"
        }
    }

    static func cause(named name: String) -> WaitCause {
        switch name {
        case "swap-in": return .swapIn
        case "cold-start": return .coldStart
        default: return .none
        }
    }

    // MARK: - Reading back

    /// Run `id` with everything stored under it, rebuilt exactly as it was saved.
    /// - Throws: ``StoreError/noSuchRun(path:id:)``.
    public func loadRun(id: Int64) throws -> StoredRun {
        try read { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
                throw StoreError.noSuchRun(path: path, id: id)
            }
            let models = try String.fetchAll(db, sql: "SELECT name FROM run_models WHERE run_id = ? ORDER BY position", arguments: [id])
            var traceInput: TraceInputReport? = nil
            if let format = try run.column("trace_format") as String? {
                var t = TraceInputReport(format: format)
                t.rows = try run.column("trace_rows") ?? 0
                t.rebasedFrom = try run.column("trace_rebased_from_ns")
                t.sortedMoved = try run.column("trace_sorted_moved")
                for n in try Row.fetchAll(db, sql: "SELECT kind, text, rows FROM run_trace_notes WHERE run_id = ? ORDER BY position", arguments: [id]) {
                    if try (n.column("kind") as String) == "filled" {
                        try t.filled.append(n.column("text"))
                    } else {
                        try t.skipped.append((n.column("text"), n.column("rows") ?? 0))
                    }
                }
                traceInput = t
            }
            var failures: [(strategy: StrategyKind, reason: String)] = []
            for f in try Row.fetchAll(db, sql: "SELECT strategy, reason FROM run_failures WHERE run_id = ? ORDER BY position", arguments: [id]) {
                guard let k = try StrategyKind(rawValue: f.column("strategy")) else { continue }
                try failures.append((k, f.column("reason")))
            }
            var results: [StrategyResult] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM strategy_results WHERE run_id = ? ORDER BY position", arguments: [id]) {
                results.append(try loadResult(row, run: id, db))
            }
            var summary = try RunSummary(
                scenario: run.column("scenario_name"), trace: run.column("trace"), seed: UInt64(bitPattern: run.column("seed") as Int64),
                results: results, failures: failures)
            summary.traceInput = traceInput
            let report = try RunReport(
                summary: summary, scenarioPath: run.column("scenario_path"), scenarioText: run.column("scenario_text"),
                scenarioHash: run.column("scenario_hash"), traceHash: run.column("trace_hash"), toolVersion: run.column("tool_version"),
                command: run.column("command"), modelNames: models, gpuName: run.column("gpu_name"),
                gpuMemory: ByteCount(bytes: run.column("gpu_memory_bytes")))
            return try StoredRun(id: id, uid: run.column("uid"), createdAt: run.column("created_at"), report: report)
        }
    }

    /// The summary JSON stored with run `id`, exactly as written at run time.
    public func summaryJSON(id: Int64) throws -> String {
        guard let json = try read({ db in try String.fetchOne(db, sql: "SELECT summary_json FROM runs WHERE id = ?", arguments: [id]) }) else {
            throw StoreError.noSuchRun(path: path, id: id)
        }
        return json
    }

    private func loadResult(_ row: Row, run id: Int64, _ db: Database) throws -> StrategyResult {
        let k: String = try row.column("strategy")
        guard let kind = StrategyKind(rawValue: k) else {
            throw StoreError.failed(path: path, reason: "run \(id) has a result for an unknown strategy '\(k)'")
        }
        let args: StatementArguments = [id, k]
        func summary(_ p: String) throws -> LatencySummary {
            try LatencySummary(
                count: row.column("\(p)_count"), mean: row.column("\(p)_mean_s"), p50: row.column("\(p)_p50_s"), p90: row.column("\(p)_p90_s"),
                p95: row.column("\(p)_p95_s"), p99: row.column("\(p)_p99_s"), max: row.column("\(p)_max_s"))
        }
        let targets = try Row.fetchAll(
            db, sql: "SELECT * FROM percentile_targets WHERE run_id = ? AND strategy = ? ORDER BY position", arguments: args
        ).map { p in
            try PercentileOutcome(
                percentile: p.column("percentile"), target: SimDuration(nanoseconds: p.column("target_ns")),
                achieved: p.column("achieved_s"), met: p.column("met"))
        }
        var quantiles: [Double] = []
        var seconds: [Double] = []
        for c in try Row.fetchAll(db, sql: "SELECT quantile, seconds FROM ttft_cdf WHERE run_id = ? AND strategy = ? ORDER BY position", arguments: args) {
            try quantiles.append(c.column("quantile"))
            try seconds.append(c.column("seconds"))
        }
        let lifecycle = try Row.fetchAll(
            db, sql: "SELECT * FROM lifecycle_events WHERE run_id = ? AND strategy = ? ORDER BY seq", arguments: args
        ).map { e in
            let gpus: String = try e.column("gpus")
            let list = gpus.split(separator: ",").compactMap { Int($0) }
            return try LifecycleEvent(
                time: SimInstant(nanoseconds: e.column("time_ns")), kind: LifecycleEvent.Kind(rawValue: e.column("kind")) ?? .eviction,
                model: e.column("model"), gpus: (list.first ?? 0)..<((list.last ?? -1) + 1), bytes: ByteCount(bytes: e.column("bytes")),
                reason: .recorded(e.column("reason")))
        }
        let gpuCount: Int = try row.column("timeline_gpus")
        var samples: [TimelineSample] = []
        for s in try Row.fetchAll(db, sql: "SELECT * FROM timeline_samples WHERE run_id = ? AND strategy = ? ORDER BY sample", arguments: args) {
            try samples.append(TimelineSample(
                time: SimInstant(nanoseconds: s.column("time_ns")), residents: Array(repeating: [], count: gpuCount),
                hostToDeviceBytes: Array(repeating: 0, count: gpuCount), deviceToHostBytes: Array(repeating: 0, count: gpuCount),
                queued: s.column("queued"), running: s.column("running")))
        }
        for g in try Row.fetchAll(db, sql: "SELECT sample, gpu, h2d_bytes, d2h_bytes FROM timeline_gpus WHERE run_id = ? AND strategy = ?", arguments: args) {
            let i: Int = try g.column("sample"), j: Int = try g.column("gpu")
            guard samples.indices.contains(i), j >= 0, j < gpuCount else { continue }
            samples[i].hostToDeviceBytes[j] = try g.column("h2d_bytes")
            samples[i].deviceToHostBytes[j] = try g.column("d2h_bytes")
        }
        for r in try Row.fetchAll(
            db, sql: "SELECT sample, gpu, model, bytes FROM timeline_residents WHERE run_id = ? AND strategy = ? ORDER BY sample, gpu, position",
            arguments: args)
        {
            let i: Int = try r.column("sample"), j: Int = try r.column("gpu")
            guard samples.indices.contains(i), j >= 0, j < gpuCount else { continue }
            try samples[i].residents[j].append(ResidentShare(model: r.column("model"), bytes: ByteCount(bytes: r.column("bytes"))))
        }
        let timeline = try Timeline(
            interval: SimDuration(nanoseconds: row.column("timeline_interval_ns")), hostToDeviceCapacity: row.column("timeline_h2d_capacity"),
            deviceToHostCapacity: row.column("timeline_d2h_capacity"), gpus: gpuCount, samples: samples)
        let requestLog = try Row.fetchAll(db, sql: "SELECT * FROM requests WHERE run_id = ? AND strategy = ? ORDER BY seq", arguments: args).map { q in
            try RequestOutcome(
                arrival: SimInstant(nanoseconds: q.column("arrival_ns")), model: q.column("model"),
                inputTokens: Int32(truncatingIfNeeded: q.column("input_tokens") as Int64),
                outputTokens: Int32(truncatingIfNeeded: q.column("output_tokens") as Int64),
                ttft: (q.column("ttft_ns") as Int64?).map(SimDuration.init(nanoseconds:)),
                e2e: (q.column("e2e_ns") as Int64?).map(SimDuration.init(nanoseconds:)),
                cause: Self.cause(named: q.column("wait_cause")))
        }
        var modelCounters: [Int: [Int]] = [:]
        // Tables of later migrations are absent from an older store opened read-only: nothing to read.
        func rows(_ table: String, _ sql: String) throws -> [Row] {
            try db.tableExists(table) ? Row.fetchAll(db, sql: sql, arguments: args) : []
        }
        for c in try rows(
            "model_counters", "SELECT model_position, value FROM model_counters WHERE run_id = ? AND strategy = ? ORDER BY model_position, counter_position")
        {
            try modelCounters[c.column("model_position"), default: []].append(c.column("value"))
        }
        let models = try rows("model_results", "SELECT * FROM model_results WHERE run_id = ? AND strategy = ? ORDER BY position").map { m in
            var r = try ModelResult(
                name: m.column("name"), tier: m.column("tier"), requests: m.column("requests"), completed: m.column("completed"), rejected: m.column("rejected"),
                ttft: LatencySummary(
                    count: m.column("ttft_count"), mean: m.column("ttft_mean_s"), p50: m.column("ttft_p50_s"), p90: m.column("ttft_p90_s"), p95: m.column("ttft_p95_s"),
                    p99: m.column("ttft_p99_s"), max: m.column("ttft_max_s")),
                ttftTarget: SimDuration(nanoseconds: m.column("ttft_target_ns")), sloAttainment: m.column("slo_attainment"), meetsOwnSLO: m.column("meets_own_slo"),
                swapIns: m.column("swap_ins"), coldStarts: m.column("cold_starts"), requestsPayingSwapIn: m.column("requests_paying_swap_in"),
                requestsPayingColdStart: m.column("requests_paying_cold_start"), residentTime: SimDuration(nanoseconds: m.column("resident_ns")),
                missReason: (try m.column("miss_reason") as String?).flatMap(MissReason.init(rawValue:)), counters: modelCounters[try m.column("position")] ?? [])
            r.kvCacheTokens = (m["kv_cache_tokens"] as Int64?) ?? 0
            return r
        }
        let counters = try rows("strategy_counters", "SELECT * FROM strategy_counters WHERE run_id = ? AND strategy = ? ORDER BY position").map { c in
            try StrategyCounter(spec: CounterSpec(key: c.column("key"), label: c.column("label")), value: c.column("value"))
        }
        let startup = try rows("startup_stages", "SELECT * FROM startup_stages WHERE run_id = ? AND strategy = ? ORDER BY position").compactMap { t in
            let stage: String = try t.column("stage")
            return try StartupStage(rawValue: stage).map { try StartupStageTime(stage: $0, count: t.column("count"), meanSeconds: t.column("mean_s")) }
        }
        var result = try StrategyResult(
            strategy: kind, requests: row.column("requests"), completed: row.column("completed"), rejected: row.column("rejected"),
            ttft: try summary("ttft"), tpot: try summary("tpot"), e2e: try summary("e2e"),
            ttftTarget: SimDuration(nanoseconds: row.column("ttft_target_ns")), sloAttainment: row.column("slo_attainment"),
            percentileTargets: targets, requiredAttainment: row.column("required_attainment"), gpus: row.column("gpus"),
            gpuHours: row.column("gpu_hours"), hostGiBHours: row.column("host_gib_hours"), cost: Dollars(row.column("cost_usd")),
            usdPerMillionOutputTokens: row.column("usd_per_million_output_tokens"), gpuUtilization: row.column("gpu_utilization"),
            coldStarts: row.column("cold_starts"), swapIns: row.column("swap_ins"), swapOuts: row.column("swap_outs"), evictions: row.column("evictions"),
            teardowns: row.column("teardowns"), requestsPayingColdStart: row.column("requests_paying_cold_start"),
            requestsPayingSwapIn: row.column("requests_paying_swap_in"), bytesHostToGPU: row.column("bytes_host_to_gpu"),
            bytesGPUToHost: row.column("bytes_gpu_to_host"), inputTokens: row.column("input_tokens"), outputTokens: row.column("output_tokens"),
            breakdown: TTFTBreakdown(
                queueing: row.column("breakdown_queueing_s"), swapWait: row.column("breakdown_swap_wait_s"),
                coldStartWait: row.column("breakdown_cold_start_wait_s"), prefill: row.column("breakdown_prefill_s")),
            horizon: SimInstant(nanoseconds: row.column("horizon_ns")), events: row.column("events"), lifecycle: lifecycle,
            requestLog: requestLog, ttftCDF: LatencyCDF(quantiles: quantiles, seconds: seconds, completedShare: row.column("cdf_completed_share")),
            timeline: timeline, models: models, counters: counters)
        result.startup = startup
        result.timedOut = (row["timed_out"] as Int?) ?? 0
        result.preemptions = (row["preemptions"] as Int?) ?? 0
        result.lifecycleRecorded = (row["lifecycle_recorded"] as Int?) ?? lifecycle.count
        return result
    }
}
