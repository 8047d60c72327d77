import ArgumentParser
import Foundation
import SwapSimIO

/// `swapsim report`: regenerates reports from the results store alone.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the report of stored runs (Markdown, CSV, JSON, HTML) from the results database alone.",
        discussion: """
            The files are byte-identical to those `compare --report` wrote when the run was made. \
            With one run (default: the latest), they go straight into --out; with several, each \
            run's go into --out/run-ID.

            Examples:
              swapsim report --db results.db --out out/
              swapsim report --db results.db --run 1 --run 2 --out out/
            """
    )

    @OptionGroup var store: StoreOption

    @Option(name: .customLong("run"), help: "A run id to report (repeatable). Default: the latest run.")
    var runs: [Int64] = []

    @Option(help: "Folder to write the report files into (created if missing).")
    var out: String

    func run() throws {
        try reportingErrors {
            let s = try store.open()
            try ReportFiles.checkWritable(directory: out, names: runs.count > 1 ? [] : ReportFiles.names)
            let ids = runs.isEmpty ? [try s.latestRunID()] : runs
            for id in ids {
                let dir = ids.count == 1 ? out : URL(fileURLWithPath: out).appendingPathComponent("run-\(id)").path
                try ReportFiles.write(try s.loadRun(id: id).report, to: dir)
                Terminal.out("run \(id): wrote \(ReportFiles.names.joined(separator: ", ")) to \(dir)\n")
            }
        }
    }
}
