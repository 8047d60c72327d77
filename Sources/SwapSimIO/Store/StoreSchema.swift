import GRDB

/// A store's schema as found: the migrations applied and the columns of its tables, checked
/// against the tables this swapsim's migrations make.
struct StoreSchema {
    /// Migrations applied, in the order applied (empty without a migration table).
    var applied: [String]
    /// Whether the database has the migration table.
    var hasMigrationTable: Bool
    /// Tables besides SQLite's own and the migration table, sorted by name.
    var tables: [String]
    /// Columns of each of ``tables``.
    var columns: [String: [ColumnInfo]]

    /// Reads the schema of `db`.
    init(_ db: Database) throws {
        hasMigrationTable = try db.tableExists("grdb_migrations")
        applied = hasMigrationTable ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
        tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name")
        var columns: [String: [ColumnInfo]] = [:]
        for t in tables { columns[t] = try db.columns(in: t) }
        self.columns = columns
    }

    /// Migrations applied that this swapsim does not know, in the order applied.
    var unknownMigrations: [String] {
        let known = ResultsStore.migrator.migrations
        return applied.filter { !known.contains($0) }
    }

    /// Another program's database: tables, but no migration table.
    var isForeign: Bool { !hasMigrationTable && !tables.isEmpty }

    /// Why a foreign database is not a store, in words.
    var foreignReason: String {
        "it is an SQLite database without swapsim's migration table (grdb_migrations), holding tables \(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : ""); name a new file or a swapsim results store"
    }

    /// Checks the store can be read (or, `forWriting`, written) by this swapsim: a swapsim store
    /// (or, for a writer, an empty database), every table of its known migrations present with
    /// every column this version reads and writes, and (for a writer) no other column that an
    /// insert would leave NULL against a NOT NULL constraint.
    /// - Throws: ``StoreError/notAStore(path:reason:)`` or ``StoreError/incompatibleSchema(path:reason:)``.
    func check(path: String, forWriting: Bool) throws {
        if !hasMigrationTable {
            if tables.isEmpty && forWriting { return }
            throw StoreError.notAStore(path: path, reason: tables.isEmpty ? "it is an empty database, with no runs or plan evaluations" : foreignReason)
        }
        for expected in Self.expected where applied.contains(expected.migration) {
            guard let found = columns[expected.table] else {
                throw StoreError.incompatibleSchema(path: path, reason: "migration \(expected.migration) is recorded as applied but its table \(expected.table) is missing")
            }
            let names = Set(found.map { $0.name.lowercased() })
            let missing = expected.columns.map(\.name).filter { !names.contains($0.lowercased()) }
            if !missing.isEmpty {
                throw StoreError.incompatibleSchema(path: path, reason: "table \(expected.table) lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
            }
            guard forWriting else { continue }
            let known = Set(expected.columns.map { $0.name.lowercased() })
            if let extra = found.first(where: { !known.contains($0.name.lowercased()) && $0.isNotNull && $0.defaultValueSQL == nil }) {
                throw StoreError.incompatibleSchema(
                    path: path,
                    reason: "table \(expected.table) has a column \(extra.name) that must not be NULL and has no default, which this swapsim does not write")
            }
        }
    }

    /// The tables each migration makes, with their columns: read from the migrations
    /// themselves, applied one by one to an in-memory database.
    static let expected: [(migration: String, table: String, columns: [ColumnInfo])] = {
        do {
            let queue = try DatabaseQueue()
            var seen: Set<String> = []
            var out: [(String, String, [ColumnInfo])] = []
            for migration in ResultsStore.migrator.migrations {
                try ResultsStore.migrator.migrate(queue, upTo: migration)
                let schema = try queue.read { try StoreSchema($0) }
                for t in schema.tables where !seen.contains(t) {
                    seen.insert(t)
                    out.append((migration, t, schema.columns[t] ?? []))
                }
            }
            return out
        } catch {
            preconditionFailure("the store's own migrations do not apply to an empty in-memory database: \(error)")
        }
    }()
}
