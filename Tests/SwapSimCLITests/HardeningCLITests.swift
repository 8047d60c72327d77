import Foundation
import SwapSimIO
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `swapsim` as an unprivileged user: root ignores file permissions, so a read-only store
/// tested as root proves nothing. As root the command goes through `setpriv` to `nobody`;
/// otherwise it runs as the current user. Nil when running as root without `setpriv`.
enum Unprivileged {
    static let setpriv = "/usr/bin/setpriv"

    static var available: Bool { geteuid() != 0 || FileManager.default.isExecutableFile(atPath: setpriv) }

    static func run(_ arguments: [String]) throws -> SwapSimExecutable.Execution? {
        guard geteuid() == 0 else { return try SwapSimExecutable.run(arguments) }
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { return nil }
        let exe = try SwapSimExecutable.location.get().path
        return try StandInCalibration.run(
            URL(fileURLWithPath: setpriv), ["--reuid=65534", "--regid=65534", "--clear-groups", "--", exe] + arguments)
    }
}

/// Issue 13 end to end, through the built binary: read-only stores, `merge` leaving its inputs
/// alone, output paths checked before the run, control characters and HTML in names, negative
/// flags and vague messages.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HardeningCLITests {
    /// A store holding one run of the demo, made by the CLI.
    func demoStore(_ dir: TemporaryDirectory, _ name: String = "results.db") throws -> String {
        let db = dir.path(name)
        let r = try SwapSimExecutable.run(["compare", "--db", db, "--format", "csv"])
        #expect(r.status == 0, "\(r)")
        return db
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    // MARK: Read commands on a read-only store (item 5)

    @Test(.enabled(if: Unprivileged.available, "running as root without setpriv: permissions cannot be tested"))
    func readCommandsWorkOnAReadOnlyFileAndFolder() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.url.appendingPathComponent("store").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let db = try demoStore(dir, "store/results.db")
        let out = dir.url.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        chmod(out, 0o777)
        chmod(db, 0o444)
        defer { chmod(folder, 0o755) }
        for (label, folderMode) in [("read-only file", mode_t(0o777)), ("read-only folder", mode_t(0o555))] {
            chmod(folder, folderMode)
            let before = bytes(db)
            for args in [["runs", "list", "--db", db], ["runs", "show", "1", "--db", db], ["report", "--db", db, "--out", out + "/\(folderMode)"]] {
                let r = try #require(try Unprivileged.run(args))
                #expect(r.status == 0, "\(label): \(args): \(r)")
            }
            let merged = try #require(try Unprivileged.run(["merge", "--out", out + "/all-\(folderMode).db", db]))
            #expect(merged.status == 0, "\(label): merge: \(merged)")
            #expect(bytes(db) == before, "\(label): the store changed")
        }
        // Writers still say why they cannot write, in one sentence.
        let delete = try #require(try Unprivileged.run(["runs", "delete", "1", "--db", db]))
        #expect(delete.status == 1 && delete.stderrLines.count == 1 && delete.stderr.hasPrefix("error: \(db): "), "\(delete)")
    }

    /// `merge` only reads its inputs: byte for byte the same after, no WAL or journal switch.
    @Test func mergeNeverModifiesItsInputs() throws {
        let dir = try TemporaryDirectory()
        let a = try demoStore(dir, "a.db")
        let b = try demoStore(dir, "b.db")
        let before = [a, b].map { (bytes($0), FileManager.default.fileExists(atPath: $0 + "-wal")) }
        let r = try SwapSimExecutable.run(["merge", "--out", dir.path("all.db"), a, b])
        #expect(r.status == 0, "\(r)")
        let after = [a, b].map { (bytes($0), FileManager.default.fileExists(atPath: $0 + "-wal")) }
        #expect(before.map(\.0) == after.map(\.0))
        #expect(try ResultsStore(path: a, access: .readOnly).appliedMigrations() == ["v1-runs", "v2-plan-evaluations", "v3-model-results", "v4-startup-stages", "v5-serving-counters", "v6-lifecycle-recorded"])
    }

    // MARK: Files that are not stores (item 5)

    @Test func devNullIsRefusedBeforeTheRunAndMakesNoJournal() throws {
        try? FileManager.default.removeItem(atPath: "/dev/null-journal")
        for args in [["compare", "--db", "/dev/null"], ["runs", "list", "--db", "/dev/null"], ["merge", "--out", "/dev/null", "x.db"]] {
            let r = try SwapSimExecutable.run(args)
            #expect(r.status == 1 && r.stdout.isEmpty, "\(args): \(r)")
            #expect(r.stderrLines.count == 1, "\(args): \(r)")
        }
        let r = try SwapSimExecutable.run(["compare", "--db", "/dev/null"])
        #expect(r.stderr == "error: /dev/null: cannot open as a swapsim results store: it is a character device, not a regular file; a results store is an SQLite database file\n")
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
    }

    // MARK: Output paths checked first (item 8)

    @Test func aBadDbOrReportPathFailsBeforeTheTable() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("report-here", "not a folder\n")
        let cases: [([String], String)] = [
            (["compare", "--report", file], "error: \(file): the report goes into a folder, but this is an existing file; name a folder (it is created if missing)"),
            (["compare", "--report", file + "/sub"], "error: \(file)/sub: cannot create the report folder: \(file) is a file, not a folder"),
            (["compare", "--db", dir.path("no/such/folder/r.db")], "error: \(dir.path("no/such/folder/r.db")): cannot open as a swapsim results store: its folder \(dir.path("no/such/folder")) does not exist"),
            (["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--report", file],
             "error: \(file): the report goes into a folder, but this is an existing file; name a folder (it is created if missing)"),
            (["report", "--db", try demoStore(dir), "--out", file], "error: \(file): the report goes into a folder, but this is an existing file; name a folder (it is created if missing)"),
        ]
        for (args, message) in cases {
            let started = Date()
            let r = try SwapSimExecutable.run(args)
            #expect(r.status == 1, "\(args): \(r)")
            #expect(r.stdout.isEmpty, "\(args): the table was printed before the error")
            #expect(r.stderr == message + "\n", "\(args)")
            if args[0] == "plan" { #expect(Date().timeIntervalSince(started) < 10, "plan searched before checking --report") }
        }
    }

    /// gpu-calibrate checks `-o` before it loads the driver or measures anything.
    @Test func gpuCalibrateChecksItsOutputBeforeMeasuring() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path("no/such/folder/profile.json")
        let noDriver = dir.path("no-driver.so")
        let bad = try StandInCalibration.run(try StandInCalibration.tool(), ["--driver", noDriver, "-o", missing])
        #expect(bad.status == 1)
        #expect(bad.stderr == "gpu-calibrate: error: cannot write the profile to '\(missing)': No such file or directory\n")
        let folder = try StandInCalibration.run(try StandInCalibration.tool(), ["--driver", noDriver, "-o", dir.url.path])
        #expect(folder.stderr == "gpu-calibrate: error: cannot write the profile to '\(dir.url.path)': it is a folder; name a file\n")
        // A run that fails later (here: no driver) leaves neither the profile nor its temporary file.
        let later = try StandInCalibration.run(try StandInCalibration.tool(), ["--driver", noDriver, "-o", dir.path("p.json")])
        #expect(later.status == 1 && later.stderr.contains("cannot load the CUDA driver library"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix("p.json") }.isEmpty)
    }

    // MARK: Names reaching the terminal and Markdown (items 6, 7)

    static let hostile = "<img src=x onerror=alert(1)>"

    /// The demo scenario renamed (`scenarioYAML`, `modelYAML`: the names as YAML scalars), with
    /// its first model renamed, and a trace of requests for that model (`modelName`).
    func hostileInputs(_ dir: TemporaryDirectory, scenarioYAML: String, modelYAML: String, modelName: String) throws -> (scenario: String, trace: String) {
        var yaml = try String(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "name: demo\n", with: "name: \(scenarioYAML)\n")
        yaml = yaml.replacingOccurrences(of: "name: llama-8b-chat", with: "name: \(modelYAML)")
        let scenario = try dir.write("s.yaml", yaml)
        let rows = (0..<40).map { "\(Double($0) * 0.5),\(Self.csvField(modelName)),100,20" }.joined(separator: "\n")
        let trace = try dir.write("t.csv", "arrival_s,model,input_tokens,output_tokens\n\(rows)\n")
        return (scenario, trace)
    }

    static func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test func htmlInNamesNeverLandsRawInReportOrPlanMarkdown() throws {
        let dir = try TemporaryDirectory()
        let (scenario, trace) = try hostileInputs(dir, scenarioYAML: "'\(Self.hostile)'", modelYAML: "'\(Self.hostile)'", modelName: Self.hostile)
        let run = try SwapSimExecutable.run(["compare", "--scenario", scenario, "--trace", trace, "--report", dir.path("out"), "--format", "markdown"])
        #expect(run.status == 0, "\(run)")
        let plan = try SwapSimExecutable.run(["plan", "--scenario", scenario, "--trace", trace, "--max-gpus", "4", "--strategies", "hot-swap", "--report", dir.path("plan"), "--format", "markdown"])
        #expect(plan.status == 0, "\(plan)")
        for (label, text) in [
            ("report.md", String(decoding: bytes(dir.path("out/report.md")) ?? Data(), as: UTF8.self)),
            ("plan.md", String(decoding: bytes(dir.path("plan/plan.md")) ?? Data(), as: UTF8.self)),
            ("--format markdown", run.stdout), ("plan --format markdown", plan.stdout),
        ] {
            #expect(text.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(label) lacks the escaped name")
            #expect(!text.contains("<img"), "\(label) holds raw HTML")
        }
    }

    @Test func escapeSequencesInNamesReachTheTerminalEscaped() throws {
        let dir = try TemporaryDirectory()
        // YAML's "\e" is ESC: a scenario name that would retitle the terminal and clear it.
        let (scenario, trace) = try hostileInputs(
            dir, scenarioYAML: "\"demo\\e]0;pwned\\a\\e[2J\"", modelYAML: "\"m\\e[31mred\"", modelName: "m\u{1B}[31mred")
        let db = dir.path("r.db")
        let run = try SwapSimExecutable.run(["compare", "--scenario", scenario, "--trace", trace, "--db", db])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("scenario demo\\u{1B}]0;pwned\\u{7}\\u{1B}[2J · trace"))
        let list = try SwapSimExecutable.run(["runs", "list", "--db", db])
        let inspect = try SwapSimExecutable.run(["trace", "inspect", trace])
        #expect(inspect.stdout.contains("m\\u{1B}[31mred"))
        // A model the scenario lacks reaches the error message escaped.
        let unknown = try SwapSimExecutable.run(["compare", "--trace", trace, "--scenario", "scenarios/demo.yaml"])
        #expect(unknown.status == 1 && unknown.stderr.contains("model 'm\\u{1B}[31mred'"), "\(unknown)")
        for (label, out) in [("compare", run.stdout + run.stderr), ("runs list", list.stdout), ("inspect", inspect.stdout), ("error", unknown.stderr)] {
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(label) wrote a raw control character")
        }
    }

    // MARK: Messages (item 9)

    @Test(arguments: [
        (["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--budget", "-1"], "error: --budget: must be a positive number of dollars, got -1.0"),
        (["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--max-gpus", "-2"], "error: --max-gpus: must be between 1 and 4096, got -2"),
        (["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--replications", "-1"], "error: --replications: must be between 1 and 1000, got -1"),
        (["compare", "--servegen-rate-scale", "-1"], "error: --servegen-rate-scale must be positive"),
    ])
    func aNegativeFlagSaysWhatIsWrongWithWhichFlag(_ args: [String], _ message: String) throws {
        let r = try SwapSimExecutable.run(args)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr == message + "\n")
    }

    @Test func yamlWithANulByteOrInvalidUTF8NamesTheLine() throws {
        let dir = try TemporaryDirectory()
        var demo = try Data(contentsOf: SwapSimExecutable.repositoryRoot.appendingPathComponent("scenarios/demo.yaml"))
        let lineFour = demo.enumerated().filter { $0.element == 10 }.map(\.offset)[2] + 1
        for (name, byte, reason) in [("nul", UInt8(0), "a NUL byte at column 1 is not allowed in YAML"), ("utf8", UInt8(0xFF), "the file is not UTF-8 text: byte 0xFF at column 1 is not valid UTF-8")] {
            var bytes = demo
            bytes.insert(byte, at: lineFour)
            let path = dir.path("\(name).yaml")
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try SwapSimExecutable.run(["compare", "--scenario", path, "--trace", "traces/demo.csv"])
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("error: \(path):4: not valid YAML: \(reason)"), "\(r)")
        }
        demo.removeAll()
    }
}
