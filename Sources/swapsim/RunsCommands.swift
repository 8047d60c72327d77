import ArgumentParser
import Foundation
import SwapSimCore
import SwapSimIO

/// `swapsim runs list|show|delete`: the runs in a results database.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show or delete the runs stored in a results database.",
        discussion: """
            A run is one invocation of `simulate` or `compare` with --db: every strategy it ran, \
            stored together. Runs are numbered in the order they were stored.

            Examples:
              swapsim runs list --db results.db
              swapsim runs show 1 --db results.db
            """,
        subcommands: [RunsList.self, RunsShow.self, RunsDelete.self]
    )
}

/// How `runs list` prints.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The `--db FILE` every command reading a store takes.
struct StoreOption: ParsableArguments {
    @Option(help: "The SQLite results database (see `compare --db`).")
    var db: String

    /// Opens the store, which must exist already: read-only (never migrated, never switched to
    /// WAL; a read-only file or folder will do) unless `access` says the command writes.
    func open(_ access: ResultsStore.Access = .readOnly) throws -> ResultsStore {
        let store = try ResultsStore(path: db, access: access)
        if !store.unknownMigrations.isEmpty {
            Terminal.note("note: \(db) was written by a newer swapsim (migrations \(store.unknownMigrations.joined(separator: ", "))); showing what this version reads")
        }
        return store
    }
}

struct RunsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored runs, oldest first.", discussion: examples("swapsim runs list --db results.db", "swapsim runs list --db results.db --format json"))

    @OptionGroup var store: StoreOption

    @Option(help: "Output format: table or json.")
    var format: ListFormat = .table

    func run() throws {
        let runs = try reportingErrors { try store.open().listRuns() }
        Terminal.out(format == .json ? RunListing.json(runs) : RunListing.table(runs))
    }
}

struct RunsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a stored run: its identity and the comparison, as at run time.",
        discussion: examples("swapsim runs show 1 --db results.db", "swapsim runs show 2 --db results.db --format markdown"))

    @OptionGroup var store: StoreOption

    @Argument(help: "The run's id (see `runs list`).")
    var id: Int64

    @Option(help: "Output format: table, json (the summary JSON stored with the run), csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        let text: String = try reportingErrors {
            let s = try store.open()
            if format == .json { return try s.summaryJSON(id: id) }
            let run = try s.loadRun(id: id)
            guard format == .table else { return run.report.summary.render(format) }
            let r = run.report
            var head = "run \(run.id) · stored \(run.createdAt) · swapsim \(r.toolVersion)\n"
            head += "scenario \(r.scenarioPath) (sha256 \(r.scenarioHash))\n"
            head += "trace \(r.summary.trace) (sha256 \(r.traceHash))\n"
            head += "command: \(r.command)\n\n"
            return head + r.summary.table()
        }
        Terminal.out(text)
    }
}

struct RunsDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete stored runs and everything stored under them.", discussion: examples("swapsim runs delete 1 --db results.db", "swapsim runs delete 2 3 --db results.db"))

    @OptionGroup var store: StoreOption

    @Argument(help: "Ids of the runs to delete.")
    var ids: [Int64]

    func validate() throws {
        if ids.isEmpty { throw ValidationError("name at least one run id to delete") }
    }

    func run() throws {
        try reportingErrors {
            let s = try store.open(.readWrite)
            for id in ids {
                try s.deleteRun(id: id)
                Terminal.out("deleted run \(id)\n")
            }
        }
    }
}
