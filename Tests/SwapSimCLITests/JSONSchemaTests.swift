import Foundation
import Testing

/// Every JSON output validates against its schema in `docs/schemas/`: outputs made here by the
/// built binary, and the shipped ones (the stand-in driver's calibration profile, the benchmark
/// results).
/// Serialized: each test starts the binary, and the CLI suites already run side by side.
@Suite(.serialized, .timeLimit(.minutes(5))) struct JSONSchemaTests {
    static let root = SwapSimExecutable.repositoryRoot

    static func schema(_ name: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(path: root.appendingPathComponent("docs/schemas/\(name).schema.json").path)
    }

    /// Runs swapsim and returns its stdout, expecting success.
    static func output(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try SwapSimExecutable.run(arguments)
        #expect(r.status == 0, "\(arguments): \(r)", sourceLocation: sourceLocation)
        return r.stdout
    }

    static func expectValid(_ json: String, _ schema: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let v = try Self.schema(schema).violations(of: json)
        #expect(v.isEmpty, "\(what) against \(schema): \(v.prefix(10).joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    @Test func everySchemaIsJSONWithItsVersionedName() throws {
        let dir = Self.root.appendingPathComponent("docs/schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".schema.json") }.sorted()
        #expect(files == [
            "bench-1.schema.json", "calibration-1.schema.json", "calibration-fit-1.schema.json", "plan-1.schema.json",
            "report-1.schema.json", "runs-1.schema.json", "summary-1.schema.json", "trace-inspect-1.schema.json",
        ])
        for f in files {
            let s = try Self.schema(String(f.dropLast(".schema.json".count))).schema
            let name = f.dropLast(".schema.json".count)
            let version = name.split(separator: "-").last!
            let kind = name.dropLast(version.count + 1)
            let constant = (s["properties"] as? [String: Any])?["schema"] as? [String: Any]
            #expect(constant?["const"] as? String == "swapsim.\(kind)/\(version)", "\(f)")
            #expect((s["required"] as? [String])?.contains("schema") == true, "\(f)")
        }
    }

    @Test func summaries() throws {
        for args in [
            ["compare", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv"],
            ["compare", "--scenario", "scenarios/l40s-4x-sharing.yaml", "--trace", "traces/l40s-sharing.csv"],
            ["simulate", "--scenario", "scenarios/h100-8x-many-models.yaml", "--trace", "traces/many-models.csv", "--strategy", "hot-swap"],
        ] {
            try Self.expectValid(try Self.output(args + ["--format", "json"]), "summary-1", args.joined(separator: " "))
        }
    }

    @Test func reportStoreAndRuns() throws {
        let dir = try TemporaryDirectory()
        _ = try Self.output(["compare", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--report", dir.path("out"), "--db", dir.path("r.db")])
        let report = try String(contentsOfFile: dir.path("out/report.json"), encoding: .utf8)
        try Self.expectValid(report, "report-1", "report.json")
        try Self.expectValid(try Self.output(["runs", "list", "--db", dir.path("r.db"), "--format", "json"]), "runs-1", "runs list")
    }

    @Test func plans() throws {
        let base = ["plan", "--scenario", "scenarios/demo.yaml", "--trace", "traces/demo.csv", "--format", "json"]
        let dir = try TemporaryDirectory()
        try Self.expectValid(try Self.output(base + ["--report", dir.path("p")]), "plan-1", "plan")
        try Self.expectValid(try String(contentsOfFile: dir.path("p/plan.json"), encoding: .utf8), "plan-1", "plan.json")
        // Nothing feasible: the closest configuration and why it misses.
        try Self.expectValid(try Self.output(base + ["--max-gpus", "1", "--slo-p99", "0.1s"]), "plan-1", "infeasible plan")
    }

    @Test func traceInspection() throws {
        try Self.expectValid(try Self.output(["trace", "inspect", "traces/demo.csv", "--format", "json"]), "trace-inspect-1", "inspect demo")
        let seeds = "Tests/FuzzCorpus/seeds/"
        try Self.expectValid(try Self.output(["trace", "inspect", seeds + "synthetic.azure.csv", "--format", "json"]), "trace-inspect-1", "inspect azure")
    }

    @Test func calibrationProfileAndFit() throws {
        let profile = "Tests/FuzzCorpus/seeds/standin.profile.json"
        try Self.expectValid(try String(contentsOf: Self.root.appendingPathComponent(profile), encoding: .utf8), "calibration-1", profile)
        try Self.expectValid(try Self.output(["calibrate", "fit", profile, "--format", "json"]), "calibration-fit-1", "calibrate fit")
    }

    @Test func shippedBenchmarkResults() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("benchmarks/results.json"), encoding: .utf8)
        try Self.expectValid(text, "bench-1", "benchmarks/results.json")
    }

    @Test func validatorRejectsWhatTheSchemaForbids() throws {
        let summary = try Self.schema("summary-1")
        #expect(try summary.violations(of: #"{"schema": "swapsim.summary/2"}"#).contains("$.schema: expected swapsim.summary/1, got swapsim.summary/2"))
        let wrongType = try summary.violations(of: #"{"schema": "swapsim.summary/1", "scenario": 3, "trace": "t", "seed": 1.5, "requests": 1, "strategies": []}"#)
        #expect(wrongType.contains("$.scenario: expected string, got integer"), "\(wrongType)")
        #expect(wrongType.contains("$.seed: expected integer, got number"), "\(wrongType)")
        #expect(wrongType.contains { $0.hasPrefix("$: missing required") }, "\(wrongType)")
    }
}
