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
            the same input twice adds nothing. Runs are renumbered in OUT.
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
            let target = try ResultsStore(path: out)
            for input in inputs {
                guard FileManager.default.fileExists(atPath: input) else { throw CLIError("\(input): no such results database") }
                let n = try target.merge(from: try ResultsStore(path: input))
                print(
                    "\(input): \(n.runsAdded) run\(n.runsAdded == 1 ? "" : "s") added, \(n.runsAlreadyPresent) already present; "
                        + "\(n.evaluationsAdded) plan evaluation\(n.evaluationsAdded == 1 ? "" : "s") added, \(n.evaluationsAlreadyPresent) already present")
            }
        }
    }
}
