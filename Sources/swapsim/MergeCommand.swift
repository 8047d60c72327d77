import ArgumentParser
import Foundation
import SwapSimIO

/// `swapsim merge`: combines results databases.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the runs and plan evaluations of several results databases into one.",
        discussion: """
            OUT is created if missing. Idempotent: a run already in OUT (the same run, merged \
            before) and a plan evaluation under a key OUT already holds are skipped, so merging \
            the same input twice adds nothing. Runs are renumbered in OUT. The inputs are only \
            read: never migrated or changed. An input written by a newer swapsim is refused, \
            since this version would drop what it stores beyond what this version knows.

            Examples:
              swapsim merge --out all.db shard-1.db shard-2.db
            """
    )

    @Option(help: "The database to merge into.")
    var out: String

    @Argument(help: "Databases to merge from.")
    var inputs: [String]

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one database to merge from") }
    }

    func run() throws {
        try reportingErrors {
            // Inputs are opened read-only and checked before OUT is touched: merge never changes
            // them (no migration, no WAL switch), and a bad input stops it before it writes.
            let sources = try inputs.map { input in
                let store = try ResultsStore(path: input, access: .readOnly)
                if !store.unknownMigrations.isEmpty { throw StoreError.newerMergeInput(path: input, migrations: store.unknownMigrations) }
                return store
            }
            let target = try ResultsStore(path: out)
            for (input, source) in zip(inputs, sources) {
                let n = try target.merge(from: source)
                Terminal.out(
                    "\(input): \(n.runsAdded) run\(n.runsAdded == 1 ? "" : "s") added, \(n.runsAlreadyPresent) already present; "
                        + "\(n.evaluationsAdded) plan evaluation\(n.evaluationsAdded == 1 ? "" : "s") added, \(n.evaluationsAlreadyPresent) already present\n")
            }
        }
    }
}
