import Foundation
import GRDB
import SwapSimCore

/// The SQLite results database: runs (every strategy of one `simulate`/`compare`, with its
/// timelines, lifecycle events, TTFT CDF and optionally every request) and the planner's
/// cached evaluations.
///
/// The only type in the project that knows GRDB. Guarantees:
/// - **Frozen, named migrations.** `v1-runs` and `v2-plan-evaluations` are never edited once
///   shipped; a schema change is a new migration appended after them.
/// - **Readers change nothing.** A store opened ``Access/readOnly`` (`runs list`, `runs show`,
///   `report`, the inputs of `merge`) is opened with SQLite's read-only flag: it is never
///   migrated, never switched to WAL, and works on a read-only file or folder.
/// - **Writers refuse what they do not understand.** A store opened ``Access/readWrite`` must be
///   a new file, an empty database or a swapsim store whose migrations this version knows and
///   whose tables have the columns it writes; anything else (a newer swapsim's store, another
///   program's SQLite file, a device such as `/dev/null`) is refused before anything is written.
/// - **One transaction per run.** ``save(_:createdAt:uid:duringTransaction:)`` writes a run and
///   everything under it in one transaction: a process killed mid-write leaves no trace of it.
/// - **Several writers.** A written store is in WAL mode with a busy timeout, so processes
///   writing at once wait for each other instead of failing. An instance is safe to use from
///   any thread.
public final class ResultsStore: Sendable {
    /// How a command uses the store.
    public enum Access: Sendable {
        /// Read and never change it.
        case readOnly
        /// Create it if missing, migrate it to this version's schema, and write to it.
        case readWrite
    }

    /// The database file as given.
    public let path: String
    public let access: Access
    /// Migrations the store has that this swapsim does not know (a newer swapsim's), in the
    /// order they were applied. Only a read-only store can have any: writers refuse them.
    public let unknownMigrations: [String]
    /// Whether the store has the planner's table (`v2-plan-evaluations`); a read-only store made
    /// before it may lack it.
    let hasPlanEvaluations: Bool
    private let database: any DatabaseWriter

    /// How long a write waits for another process's write before failing.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path` for `access`.
    ///
    /// Read-only: the file must exist and be a swapsim results store. Read-write: it is created
    /// if missing and brought up to date, after checking that it is a file swapsim may write.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``, ``StoreError/notAStore(path:reason:)``,
    ///   ``StoreError/newerSchema(path:migrations:)`` (writers only) or
    ///   ``StoreError/incompatibleSchema(path:reason:)``.
    public init(path: String, access: Access = .readWrite) throws {
        self.path = path
        self.access = access
        let exists = try StoreFile.check(path, access: access)
        switch access {
        case .readOnly:
            let opened = try Self.openReadOnly(path)
            database = opened.queue
            unknownMigrations = opened.schema.unknownMigrations
            hasPlanEvaluations = opened.schema.applied.contains("v2-plan-evaluations")
            try opened.schema.check(path: path, forWriting: false)
        case .readWrite:
            if exists {
                // Inspected read-only first, so a file swapsim must not write is left as it was
                // (no migration table, no WAL switch).
                let schema = try Self.openReadOnly(path).schema
                guard !schema.isForeign else { throw StoreError.notAStore(path: path, reason: schema.foreignReason) }
                guard schema.unknownMigrations.isEmpty else { throw StoreError.newerSchema(path: path, migrations: schema.unknownMigrations) }
                try schema.check(path: path, forWriting: true)
            }
            database = try Self.openForWriting(path)
            unknownMigrations = []
            hasPlanEvaluations = true
            let schema = try Self.read(database, path: path) { db in try StoreSchema(db) }
            try schema.check(path: path, forWriting: true)
        }
    }

    /// Opens and migrates a store for writing.
    private static func openForWriting(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "swapsim-results"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.reason(error))
        }
        // Two processes opening a new file at once may both try the first migration; the loser
        // finds the tables made and succeeds on the next attempt, which sees them applied.
        var attempt = 0
        while true {
            do {
                try Self.migrator.migrate(pool)
                return pool
            } catch {
                attempt += 1
                if attempt >= 5 { throw StoreError.cannotOpen(path: path, reason: Self.reason(error)) }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    /// Opens a store with SQLite's read-only flag and reads its schema.
    ///
    /// A store in WAL mode needs a shared-memory file beside it to be read; in a folder that
    /// may not be written SQLite cannot make one. When the write-ahead log holds nothing (no
    /// `-wal` file, or an empty one: every write is in the database file), the store is then
    /// opened as immutable, which needs none.
    private static func openReadOnly(_ path: String) throws -> (queue: DatabaseQueue, schema: StoreSchema) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "swapsim-results-readonly"
        func open(_ location: String) throws -> (DatabaseQueue, StoreSchema) {
            let queue = try DatabaseQueue(path: location, configuration: config)
            return (queue, try queue.read { db in try StoreSchema(db) })
        }
        do {
            return try open(path)
        } catch {
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
            if wal == 0, let uri = StoreFile.immutableURI(path), let opened = try? open(uri) { return opened }
            throw StoreError.cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// A GRDB or SQLite error in words, without the SQL.
    static func reason(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        if let e = error as? RowDecodingError { return "a stored value has the wrong type (\(e))" }
        return String(describing: error)
    }

    /// Runs `body` on `database`'s read access, turning database errors into ``StoreError``.
    private static func read<T>(_ database: any DatabaseWriter, path: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.failed(path: path, reason: Self.reason(error))
        }
    }

    /// Runs `body` in a write transaction, turning database errors into ``StoreError``.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        precondition(access == .readWrite, "a store opened read-only is never written")
        do {
            return try database.write(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.failed(path: path, reason: Self.reason(error))
        }
    }

    /// Runs `body` on a read snapshot, turning database errors into ``StoreError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.read(database, path: path, body)
    }

    // MARK: - Schema

    /// The schema's history. Frozen: append new migrations, never edit these.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-runs") { db in
            try db.execute(sql: v1Runs)
        }
        m.registerMigration("v2-plan-evaluations") { db in
            try db.execute(sql: v2PlanEvaluations)
        }
        m.registerMigration("v3-model-results") { db in
            try db.execute(sql: v3ModelResults)
        }
        m.registerMigration("v4-startup-stages") { db in
            try db.execute(sql: v4StartupStages)
        }
        m.registerMigration("v5-serving-counters") { db in
            try db.execute(sql: v5ServingCounters)
        }
        m.registerMigration("v6-lifecycle-recorded") { db in
            try db.execute(sql: v6LifecycleRecorded)
        }
        return m
    }()

    /// vLLM serving (issue 17): requests that timed out and preemptions per strategy, and each
    /// model's KV-cache capacity in tokens. Runs stored before read back as zero.
    static let v5ServingCounters = """
        ALTER TABLE strategy_results ADD COLUMN timed_out INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE strategy_results ADD COLUMN preemptions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE model_results ADD COLUMN kv_cache_tokens INTEGER NOT NULL DEFAULT 0;
        """

    /// A bounded lifecycle log (issue 16): how many lifecycle steps the run recorded, when the
    /// stored steps are a sample of them. Runs stored before kept every step (NULL: as many as stored).
    static let v6LifecycleRecorded = """
        ALTER TABLE strategy_results ADD COLUMN lifecycle_recorded INTEGER;
        """

    /// The cold starts' stages of each strategy: how many start-ups ran each and its mean time.
    static let v4StartupStages = """
        CREATE TABLE startup_stages (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            stage TEXT NOT NULL,
            count INTEGER NOT NULL,
            mean_s REAL NOT NULL,
            PRIMARY KEY (run_id, strategy, position)
        );
        """

    /// Per-model results of each strategy (by model name), and the counters a strategy keeps
    /// beyond the engine's own, overall and per model.
    static let v3ModelResults = """
        CREATE TABLE model_results (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            tier TEXT NOT NULL,
            requests INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            ttft_count INTEGER NOT NULL,
            ttft_mean_s REAL NOT NULL,
            ttft_p50_s REAL NOT NULL,
            ttft_p90_s REAL NOT NULL,
            ttft_p95_s REAL NOT NULL,
            ttft_p99_s REAL NOT NULL,
            ttft_max_s REAL NOT NULL,
            ttft_target_ns INTEGER NOT NULL,
            slo_attainment REAL NOT NULL,
            meets_own_slo INTEGER,
            swap_ins INTEGER NOT NULL,
            cold_starts INTEGER NOT NULL,
            requests_paying_swap_in INTEGER NOT NULL,
            requests_paying_cold_start INTEGER NOT NULL,
            resident_ns INTEGER NOT NULL,
            miss_reason TEXT,
            PRIMARY KEY (run_id, strategy, position)
        );
        CREATE INDEX model_results_name ON model_results(name);
        CREATE TABLE strategy_counters (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (run_id, strategy, position)
        );
        CREATE TABLE model_counters (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            model_position INTEGER NOT NULL,
            counter_position INTEGER NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (run_id, strategy, model_position, counter_position)
        );
        """

    /// Runs, their strategies and everything measured: one row per run, per strategy, per event,
    /// per CDF point, per timeline sample (and per GPU and resident model in it), per request.
    static let v1Runs = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            command TEXT NOT NULL,
            scenario_name TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_text TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            trace TEXT NOT NULL,
            trace_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            gpu_name TEXT NOT NULL,
            gpu_memory_bytes INTEGER NOT NULL,
            trace_format TEXT,
            trace_rows INTEGER,
            trace_rebased_from_ns INTEGER,
            trace_sorted_moved INTEGER,
            cheapest_meeting_slo TEXT,
            stored_requests INTEGER NOT NULL,
            summary_json TEXT NOT NULL
        );
        CREATE INDEX runs_scenario_hash ON runs(scenario_hash);
        CREATE TABLE run_models (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE run_trace_notes (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('filled', 'skipped')),
            text TEXT NOT NULL,
            rows INTEGER,
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE run_failures (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            strategy TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE strategy_results (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            requests INTEGER NOT NULL, completed INTEGER NOT NULL, rejected INTEGER NOT NULL,
            ttft_count INTEGER NOT NULL, ttft_mean_s REAL NOT NULL, ttft_p50_s REAL NOT NULL, ttft_p90_s REAL NOT NULL,
            ttft_p95_s REAL NOT NULL, ttft_p99_s REAL NOT NULL, ttft_max_s REAL NOT NULL,
            tpot_count INTEGER NOT NULL, tpot_mean_s REAL NOT NULL, tpot_p50_s REAL NOT NULL, tpot_p90_s REAL NOT NULL,
            tpot_p95_s REAL NOT NULL, tpot_p99_s REAL NOT NULL, tpot_max_s REAL NOT NULL,
            e2e_count INTEGER NOT NULL, e2e_mean_s REAL NOT NULL, e2e_p50_s REAL NOT NULL, e2e_p90_s REAL NOT NULL,
            e2e_p95_s REAL NOT NULL, e2e_p99_s REAL NOT NULL, e2e_max_s REAL NOT NULL,
            ttft_target_ns INTEGER NOT NULL, slo_attainment REAL NOT NULL, required_attainment REAL NOT NULL,
            meets_slo INTEGER NOT NULL,
            gpus INTEGER NOT NULL, gpu_hours REAL NOT NULL, host_gib_hours REAL NOT NULL, cost_usd REAL NOT NULL,
            usd_per_million_output_tokens REAL NOT NULL, gpu_utilization REAL NOT NULL,
            cold_starts INTEGER NOT NULL, swap_ins INTEGER NOT NULL, swap_outs INTEGER NOT NULL,
            evictions INTEGER NOT NULL, teardowns INTEGER NOT NULL,
            requests_paying_cold_start INTEGER NOT NULL, requests_paying_swap_in INTEGER NOT NULL,
            bytes_host_to_gpu INTEGER NOT NULL, bytes_gpu_to_host INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
            breakdown_queueing_s REAL NOT NULL, breakdown_swap_wait_s REAL NOT NULL,
            breakdown_cold_start_wait_s REAL NOT NULL, breakdown_prefill_s REAL NOT NULL,
            horizon_ns INTEGER NOT NULL, events INTEGER NOT NULL,
            cdf_completed_share REAL NOT NULL,
            timeline_interval_ns INTEGER NOT NULL, timeline_gpus INTEGER NOT NULL,
            timeline_h2d_capacity REAL NOT NULL, timeline_d2h_capacity REAL NOT NULL,
            PRIMARY KEY (run_id, strategy)
        );
        CREATE TABLE percentile_targets (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            percentile REAL NOT NULL, target_ns INTEGER NOT NULL, achieved_s REAL NOT NULL, met INTEGER NOT NULL,
            PRIMARY KEY (run_id, strategy, position)
        );
        CREATE TABLE ttft_cdf (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            position INTEGER NOT NULL,
            quantile REAL NOT NULL, seconds REAL NOT NULL,
            PRIMARY KEY (run_id, strategy, position)
        );
        CREATE TABLE lifecycle_events (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            seq INTEGER NOT NULL,
            time_ns INTEGER NOT NULL,
            kind TEXT NOT NULL,
            model INTEGER NOT NULL,
            gpus TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (run_id, strategy, seq)
        );
        CREATE TABLE timeline_samples (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            sample INTEGER NOT NULL,
            time_ns INTEGER NOT NULL,
            queued INTEGER NOT NULL,
            running INTEGER NOT NULL,
            PRIMARY KEY (run_id, strategy, sample)
        );
        CREATE TABLE timeline_gpus (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            sample INTEGER NOT NULL,
            gpu INTEGER NOT NULL,
            memory_used_bytes INTEGER NOT NULL,
            h2d_bytes INTEGER NOT NULL,
            d2h_bytes INTEGER NOT NULL,
            h2d_utilization REAL NOT NULL,
            d2h_utilization REAL NOT NULL,
            PRIMARY KEY (run_id, strategy, sample, gpu)
        );
        CREATE TABLE timeline_residents (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            sample INTEGER NOT NULL,
            gpu INTEGER NOT NULL,
            position INTEGER NOT NULL,
            model INTEGER,
            bytes INTEGER NOT NULL,
            PRIMARY KEY (run_id, strategy, sample, gpu, position)
        );
        CREATE TABLE requests (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            strategy TEXT NOT NULL,
            seq INTEGER NOT NULL,
            arrival_ns INTEGER NOT NULL,
            model INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            ttft_ns INTEGER,
            e2e_ns INTEGER,
            wait_cause TEXT NOT NULL,
            PRIMARY KEY (run_id, strategy, seq)
        );
        """

    /// The planner's evaluation cache: one JSON evaluation per (scenario, trace, configuration, seed).
    static let v2PlanEvaluations = """
        CREATE TABLE plan_evaluations (
            scenario_hash TEXT NOT NULL,
            trace_hash TEXT NOT NULL,
            configuration TEXT NOT NULL,
            seed INTEGER NOT NULL,
            evaluation TEXT NOT NULL,
            PRIMARY KEY (scenario_hash, trace_hash, configuration, seed)
        );
        """

    /// Names of the migrations applied to this store, in order.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// Whether SQLite finds the file sound (`PRAGMA integrity_check`).
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    // MARK: - Listing and deleting

    /// Every run, oldest first.
    public func listRuns() throws -> [RunListing] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, uid, created_at, scenario_name, scenario_hash, trace, trace_hash, seed, tool_version,
                           requests, cheapest_meeting_slo, stored_requests,
                           (SELECT group_concat(strategy, ',') FROM
                               (SELECT strategy FROM strategy_results s WHERE s.run_id = runs.id ORDER BY position)) AS strategies
                    FROM runs ORDER BY id
                    """)
            return try rows.map { r in
                let strategies: String = try r.column("strategies") as String? ?? ""
                return try RunListing(
                    id: r.column("id"), uid: r.column("uid"), createdAt: r.column("created_at"), scenario: r.column("scenario_name"),
                    scenarioHash: r.column("scenario_hash"), trace: r.column("trace"), traceHash: r.column("trace_hash"),
                    seed: UInt64(bitPattern: r.column("seed") as Int64), toolVersion: r.column("tool_version"), requests: r.column("requests"),
                    strategies: strategies.isEmpty ? [] : strategies.split(separator: ",").map(String.init),
                    cheapestMeetingSLO: r.column("cheapest_meeting_slo"), storedRequests: r.column("stored_requests") as Bool)
            }
        }
    }

    /// The id of the most recently stored run.
    /// - Throws: ``StoreError/empty(path:)`` when there is none.
    public func latestRunID() throws -> Int64 {
        guard let id = try read({ db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM runs") }) else {
            throw StoreError.empty(path: path)
        }
        return id
    }

    /// Deletes run `id` and everything stored under it, in one transaction.
    /// - Throws: ``StoreError/noSuchRun(path:id:)``.
    public func deleteRun(id: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.noSuchRun(path: path, id: id) }
        }
    }

    // MARK: - Merging

    /// What a merge added.
    public struct MergeCount: Sendable, Equatable {
        public var runsAdded = 0
        public var runsAlreadyPresent = 0
        public var evaluationsAdded = 0
        public var evaluationsAlreadyPresent = 0
        public init() {}
    }

    /// Copies into this store every run and plan evaluation of `other` that it lacks.
    ///
    /// Idempotent: a run is known by its ``StoredRun/uid`` and an evaluation by its key, so
    /// merging the same store twice adds nothing the second time; where both stores hold an
    /// evaluation under one key, this store's is kept. Runs are added in `other`'s order, each
    /// in its own transaction, and get new ids. `other` is only read (open it ``Access/readOnly``).
    ///
    /// A store made by a newer swapsim is refused rather than merged: its newer migrations may
    /// hold data (a column, a table) this version would not copy.
    /// - Throws: ``StoreError/newerMergeInput(path:migrations:)``.
    public func merge(from other: ResultsStore) throws -> MergeCount {
        guard other.unknownMigrations.isEmpty else { throw StoreError.newerMergeInput(path: other.path, migrations: other.unknownMigrations) }
        var count = MergeCount()
        let known = Set(try listRuns().map(\.uid))
        for listing in try other.listRuns() {
            if known.contains(listing.uid) {
                count.runsAlreadyPresent += 1
                continue
            }
            let run = try other.loadRun(id: listing.id)
            _ = try save(run.report, createdAt: run.createdAt, uid: run.uid)
            count.runsAdded += 1
        }
        let evaluations = !other.hasPlanEvaluations ? [] : try other.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT scenario_hash, trace_hash, configuration, seed, evaluation FROM plan_evaluations ORDER BY scenario_hash, trace_hash, configuration, seed")
        }
        try write { db in
            let insert = try db.makeStatement(
                sql: "INSERT OR IGNORE INTO plan_evaluations (scenario_hash, trace_hash, configuration, seed, evaluation) VALUES (?, ?, ?, ?, ?)")
            for r in evaluations {
                try insert.execute(arguments: [
                    try r.column("scenario_hash") as String, r.column("trace_hash") as String,
                    try r.column("configuration") as String, r.column("seed") as Int64,
                    try r.column("evaluation") as String,
                ])
                if db.changesCount > 0 { count.evaluationsAdded += 1 } else { count.evaluationsAlreadyPresent += 1 }
            }
        }
        return count
    }

    /// Plan evaluations held.
    public func planEvaluationCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM plan_evaluations") ?? 0 }
    }
}

// MARK: - The planner's cache

extension ResultsStore: PlanEvaluationCache {
    public func evaluation(forKey key: PlanEvaluationKey) throws -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT evaluation FROM plan_evaluations WHERE scenario_hash = ? AND trace_hash = ? AND configuration = ? AND seed = ?",
                arguments: [key.scenarioHash, key.traceHash, key.configuration, Int64(bitPattern: key.seed)])
        }
    }

    public func storeEvaluation(_ json: String, forKey key: PlanEvaluationKey) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO plan_evaluations (scenario_hash, trace_hash, configuration, seed, evaluation) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.scenarioHash, key.traceHash, key.configuration, Int64(bitPattern: key.seed), json])
        }
    }
}

extension Row {
    /// The value of column `name`, decoded as the context asks. A value of another type or a
    /// NULL where none may be (a hand-edited store) throws, where the subscript would trap.
    func column<Value: DatabaseValueConvertible>(_ name: String) throws -> Value { try decode(Value.self, forColumn: name) }
}
