import Foundation
import GRDB
import SwapSimCore
@testable import SwapSimIO
import Testing

/// Issue 13's results-store items on the exact inputs it describes: a store made by a newer
/// swapsim, `merge` and a newer column, read-only opening that never migrates, another
/// program's SQLite file, `/dev/null`, and an incompatible schema.
@Suite struct StoreHardeningTests {
    func report() throws -> RunReport { try ReportFixtures.shared.get() }

    /// A store at `name` in `dir` holding one run.
    func storeWithOneRun(_ dir: TemporaryDirectory, _ name: String = "r.db") throws -> String {
        let path = dir.url.appendingPathComponent(name).path
        try ResultsStore(path: path).save(try report(), createdAt: "2026-01-02T03:04:05Z", uid: "run-\(name)")
        return path
    }

    /// What a newer swapsim would do: a migration this version does not know, adding a column.
    func makeNewer(_ path: String) throws {
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN reviewer TEXT")
            try db.execute(sql: "UPDATE runs SET reviewer = 'alice'")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v3-run-reviewer')")
        }
    }

    /// The file's bytes, with the `-wal` file's when there is one.
    func contents(_ path: String) -> Data {
        (FileManager.default.contents(atPath: path) ?? Data()) + (FileManager.default.contents(atPath: path + "-wal") ?? Data())
    }

    // MARK: A newer swapsim's store

    @Test func writersRefuseAStoreWithAnUnknownMigration() throws {
        let dir = try TemporaryDirectory()
        let path = try storeWithOneRun(dir)
        try makeNewer(path)
        #expect(throws: StoreError.newerSchema(path: path, migrations: ["v3-run-reviewer"])) { try ResultsStore(path: path) }
        #expect(StoreError.newerSchema(path: path, migrations: ["v3-run-reviewer"]).description.hasPrefix(
            "\(path): written by a newer swapsim (migration v3-run-reviewer unknown to this version); this version does not write to it"))
        // Readers still read what they know.
        let reader = try ResultsStore(path: path, access: .readOnly)
        #expect(reader.unknownMigrations == ["v3-run-reviewer"])
        #expect(try reader.listRuns().count == 1)
    }

    /// Merge refuses an input with a migration it does not know (the lost column's data would
    /// otherwise be dropped silently) and writes nothing to the target.
    @Test func mergeRefusesAnInputWithANewerColumnRatherThanDropIt() throws {
        let dir = try TemporaryDirectory()
        let input = try storeWithOneRun(dir, "newer.db")
        try makeNewer(input)
        let target = try ResultsStore(path: dir.url.appendingPathComponent("all.db").path)
        let source = try ResultsStore(path: input, access: .readOnly)
        #expect(throws: StoreError.newerMergeInput(path: input, migrations: ["v3-run-reviewer"])) { try target.merge(from: source) }
        #expect(try target.listRuns().isEmpty)
        #expect(try DatabaseQueue(path: input).read { try String.fetchOne($0, sql: "SELECT reviewer FROM runs") } == "alice")
    }

    // MARK: Read-only opening

    /// A store of the first schema only (`v1-runs`), in rollback-journal mode: what an older
    /// swapsim left. Opening it read-only, listing, loading and merging from it change no byte.
    @Test func readOnlyOpeningNeverMigratesOrSwitchesToWAL() throws {
        let dir = try TemporaryDirectory()
        let full = try storeWithOneRun(dir, "full.db")
        let old = dir.url.appendingPathComponent("old.db").path
        let q = try DatabaseQueue(path: old)
        try q.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS full", arguments: [full])
            for table in try String.fetchAll(db, sql: "SELECT name FROM full.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('plan_evaluations', 'model_results', 'model_counters', 'strategy_counters', 'startup_stages')") {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM full.sqlite_master WHERE name = ?", arguments: [table])!
                try db.execute(sql: sql)
                try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM full.\(table)")
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier != 'v1-runs'")
        }
        try q.inDatabase { try $0.execute(sql: "DETACH DATABASE full") }
        try q.close()
        let before = contents(old)
        #expect(before.count > 100 && before[18] == 1 && before[19] == 1, "a rollback-journal database (header bytes 18-19)")

        let store = try ResultsStore(path: old, access: .readOnly)
        #expect(try store.appliedMigrations() == ["v1-runs"])
        #expect(try store.listRuns().count == 1)
        _ = try store.loadRun(id: try store.latestRunID())
        let target = try ResultsStore(path: dir.url.appendingPathComponent("all.db").path)
        let n = try target.merge(from: store)
        #expect(n.runsAdded == 1 && n.evaluationsAdded == 0)
        #expect(contents(old) == before)
        #expect(!FileManager.default.fileExists(atPath: old + "-wal"))
        #expect(try DatabaseQueue(path: old).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == ["v1-runs"])
    }

    @Test func readersRefuseAFileThatIsNotThere() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("absent.db").path
        #expect(throws: StoreError.noSuchStore(path: path)) { try ResultsStore(path: path, access: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    // MARK: Files that are not stores

    /// Another program's SQLite file: refused, and left without a grdb_migrations table.
    @Test func aForeignSQLiteFileIsRefusedAndLeftAsItWas() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("other.sqlite").path
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('x')") }
        try q.close()
        let before = contents(path)
        for access in [ResultsStore.Access.readWrite, .readOnly] {
            #expect(throws: StoreError.self) { try ResultsStore(path: path, access: access) }
        }
        do {
            _ = try ResultsStore(path: path)
        } catch {
            #expect("\(error)" == "\(path): not a swapsim results store: it is an SQLite database without swapsim's migration table (grdb_migrations), holding tables customers; name a new file or a swapsim results store")
        }
        #expect(contents(path) == before)
        #expect(try DatabaseQueue(path: path).read { try $0.tableExists("grdb_migrations") } == false)
    }

    @Test func aFileThatIsNotSQLiteIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("notes.db", "these are my notes, not a database\n")
        #expect(throws: StoreError.notAStore(path: path, reason: "it is not an SQLite database")) { try ResultsStore(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "these are my notes, not a database\n")
    }

    /// `--db /dev/null` made SQLite create `/dev/null-journal`; a device is refused first.
    @Test func devNullIsRefusedWithoutAJournalBesideIt() throws {
        try? FileManager.default.removeItem(atPath: "/dev/null-journal")
        for access in [ResultsStore.Access.readWrite, .readOnly] {
            #expect(throws: StoreError.cannotOpen(path: "/dev/null", reason: "it is a character device, not a regular file; a results store is an SQLite database file")) {
                try ResultsStore(path: "/dev/null", access: access)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-wal"))
    }

    @Test(arguments: ["", ":memory:"]) func aNameForATemporaryDatabaseIsRefused(_ name: String) throws {
        #expect(throws: StoreError.self) { try ResultsStore(path: name) }
    }

    @Test func aFolderIsRefused() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: StoreError.cannotOpen(path: dir.url.path, reason: "it is a folder, not a regular file; a results store is an SQLite database file")) {
            try ResultsStore(path: dir.url.path)
        }
    }

    // MARK: An incompatible schema

    /// A store whose table has a NOT NULL column without a default (another schema's) gave
    /// writers a raw "NOT NULL constraint failed"; now they refuse it on opening, in a sentence.
    @Test func aStoreWithAnUnknownNotNullColumnIsRefusedByWriters() throws {
        let dir = try TemporaryDirectory()
        let path = try storeWithOneRun(dir)
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: "DROP TABLE plan_evaluations")
            try db.execute(sql: ResultsStore.v2PlanEvaluations.replacingOccurrences(of: "evaluation TEXT NOT NULL,", with: "evaluation TEXT NOT NULL, owner TEXT NOT NULL,"))
        }
        try q.close()
        #expect(throws: StoreError.incompatibleSchema(
            path: path, reason: "table plan_evaluations has a column owner that must not be NULL and has no default, which this swapsim does not write")) {
            try ResultsStore(path: path)
        }
        #expect(try ResultsStore(path: path, access: .readOnly).listRuns().count == 1)
    }

    @Test func aStoreMissingAColumnIsRefusedByReaders() throws {
        let dir = try TemporaryDirectory()
        let path = try storeWithOneRun(dir)
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "ALTER TABLE runs DROP COLUMN trace_sorted_moved") }
        try q.close()
        #expect(throws: StoreError.incompatibleSchema(path: path, reason: "table runs lacks column trace_sorted_moved")) {
            try ResultsStore(path: path, access: .readOnly)
        }
    }

    /// A value of the wrong type in a column (a hand-edited store) is an error, not a crash.
    @Test func aStoredValueOfTheWrongTypeIsAnErrorNotACrash() throws {
        let dir = try TemporaryDirectory()
        let path = try storeWithOneRun(dir)
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "UPDATE runs SET seed = 'abc'") }
        try q.close()
        let store = try ResultsStore(path: path, access: .readOnly)
        #expect(throws: StoreError.self) { try store.listRuns() }
        #expect(throws: StoreError.self) { try store.loadRun(id: 1) }
    }
}
