import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// Where the real public traces live: `../shared/traces/` beside the checkout (not part of the
/// project; a user's checkout lacks them, and the tests that need them are skipped then).
enum SharedTraces {
    static let folder = Fixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/traces")
    static let azureFolder = folder.appendingPathComponent("azure-llm-inference-2023")
    static let azureCode = azureFolder.appendingPathComponent("AzureLLMInferenceTrace_code.csv").path
    static let azureConv = azureFolder.appendingPathComponent("AzureLLMInferenceTrace_conv.csv").path

    /// Whether both Azure files are there.
    static var azureAvailable: Bool {
        FileManager.default.isReadableFile(atPath: azureCode) && FileManager.default.isReadableFile(atPath: azureConv)
    }
}

/// Summary figures of a read trace, for comparing with the published ones.
struct TraceFigures {
    var count: Int
    var span: Int64
    var contextMin: Int32, contextMax: Int32, contextMean: Double
    var generatedMin: Int32, generatedMax: Int32, generatedMean: Double

    init(_ t: ReadTrace) {
        count = t.requests.count
        span = (t.arrivals.last ?? 0) - (t.arrivals.first ?? 0)
        contextMin = t.inputs.min() ?? 0
        contextMax = t.inputs.max() ?? 0
        contextMean = Double(t.inputs.reduce(0) { $0 + Int($1) }) / Double(max(1, count))
        generatedMin = t.outputs.min() ?? 0
        generatedMax = t.outputs.max() ?? 0
        generatedMean = Double(t.outputs.reduce(0) { $0 + Int($1) }) / Double(max(1, count))
    }
}

/// The Azure LLM inference trace 2023 reader: on fixtures written here (always run) and on the
/// real files in ../shared/traces/azure-llm-inference-2023 (run when that folder is present).
@Suite struct AzureTraceTests {
    typealias R = TraceReading
    static let header = "TIMESTAMP,ContextTokens,GeneratedTokens"

    // MARK: Fixtures

    @Test func sevenDigitFractionsAreReadExactly() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", """
            \(Self.header)
            2023-11-16 18:17:03.9799601,4808,10
            2023-11-16 18:17:03.9799602,3180,8
            2023-11-16 18:17:04.0000009,110,27
            2023-11-16 18:17:04.1206440,7433,14
            """)
        let t = try R.read(path, models: ["code"])
        #expect(t.report.format == "azure-llm")
        #expect(t.report.rebasedFrom == 1_700_158_623_979_960_100)
        // 100 ns ticks: a parser keeping 6 digits would read the first two as equal.
        #expect(t.arrivals == [0, 100, 20_040_800, 140_683_900])
        #expect(t.inputs == [4808, 3180, 110, 7433])
        #expect(t.outputs == [10, 8, 27, 14])
    }

    @Test func lastLineWithoutNewlineIsRead() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.header)\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17:04.0319600,3180,8")
        let t = try R.read(path, models: ["code"])
        #expect(t.requests.count == 2)
        #expect(t.requests.last == TraceRequest(arrival: SimInstant(nanoseconds: 52_000_000), model: 0, inputTokens: 3180, outputTokens: 8))
    }

    @Test func crlfAndTrailingBlankLines() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.header)\r\n2023-11-16 18:17:03.9799600,4808,10\r\n2023-11-16 18:17:04.0319600,3180,8\r\n\r\n")
        let t = try R.read(path, models: ["code"])
        #expect(t.arrivals == [0, 52_000_000])
        #expect(t.outputs == [10, 8])
    }

    @Test func rebasedReportSaysFromWhere() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.header)\n2023-11-16 18:17:03.9799600,4808,10\n")
        let t = try R.read(path, models: ["code"])
        #expect(t.report.lines.first?.hasPrefix("trace format: azure-llm; 1 request") == true)
        #expect(Array(t.report.lines.dropFirst()) == [
            "arrivals rebased: the first request (1700158623.979960 s) is at 0",
            "every request assigned to the only model, code",
        ])
    }

    @Test func withoutAModelOrMixItAsksForOne() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.header)\n2023-11-16 18:17:03.9799600,4808,10\n")
        #expect(throws: TraceError.badOption(option: "--model-mix", reason: "\(path) has no model column; give --model-mix zipf:S or weights:NAME=W,…")) {
            try R.read(path, models: ["a", "b"])
        }
    }

    @Test func badTimestampNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.header)\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17,1,1\n")
        #expect(throws: TraceError.malformed(file: path, line: 3, column: "TIMESTAMP", value: "2023-11-16 18:17",
                                             reason: "expected a date and time like 2023-11-16 18:17:03.9799600")) {
            try R.read(path, models: ["code"])
        }
    }

    @Test func skipInvalidOnAnAzureFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", """
            \(Self.header)
            2023-11-16 18:17:03.0000000,10,0
            2023-11-16 18:17:04.0000000,10,1
            2023-11-16 18:17:05.0000000,-4,1
            2023-11-16 18:17:06.0000000,10,2
            """)
        let t = try R.read(path, R.options { $0.skipInvalid = true }, models: ["code"])
        // The first row is skipped, so the trace is rebased on the second.
        #expect(t.report.rebasedFrom == 1_700_158_624_000_000_000)
        #expect(t.arrivals == [0, 2_000_000_000])
        #expect(t.report.skipped.map(\.rows) == [1, 1])
        #expect(Set(t.report.skipped.map(\.reason)) == [
            "GeneratedTokens: a request needs at least one token", "ContextTokens: token counts cannot be negative",
        ])
    }

    @Test func modelMixOverAFixture() throws {
        let dir = try TemporaryDirectory()
        var text = Self.header
        for i in 0..<3000 { text += "\n2023-11-16 18:\(String(format: "%02d:%02d", 17 + i / 600, (i / 10) % 60)).\(String(format: "%07d", (i % 10) * 1_000_000)),100,10" }
        let path = try dir.write("azure.csv", text)
        let t = try R.read(path, R.options { $0.modelMix = "zipf:1" }, models: ["a", "b"])
        #expect(t.requests.count == 3000)
        #expect(t.arrivals.first == 0 && t.arrivals.last == 299_900_000_000)
        // zipf:1 over two models: 2/3 and 1/3, within 0.03 (standard error 0.009).
        #expect(abs(t.share(of: "a") - 2.0 / 3) < 0.03, "share of a: \(t.share(of: "a"))")
        #expect(t.report.filled == ["models assigned by zipf:1 over 2 models, popularity ranked in list order (zipf:S,shuffle:SEED ranks in a seeded random order): 1 a, 2 b (seed 1)"])
    }

    // MARK: The real files (need ../shared/traces/azure-llm-inference-2023)

    @Test("Azure code trace in ../shared/traces: 8,819 requests over 57 min 16 s", .enabled(if: SharedTraces.azureAvailable, "needs ../shared/traces/azure-llm-inference-2023"))
    func realCodeTrace() throws {
        let t = try R.read(SharedTraces.azureCode, models: ["code"])
        #expect(t.report.format == "azure-llm")
        #expect(t.report.rows == 8819)
        let f = TraceFigures(t)
        #expect(f.count == 8819)
        // 2023-11-16 18:17:03.9799600 to 19:14:19.9280160: 3435.948056 s, i.e. 57 min 16 s.
        #expect(f.span == 3_435_948_056_000)
        #expect((f.span + 500_000_000) / 1_000_000_000 == 57 * 60 + 16)
        #expect(f.contextMin == 3 && f.contextMax == 7437)
        #expect(abs(f.contextMean - 2048) < 1, "mean context \(f.contextMean)")
        #expect(f.generatedMin == 6 && f.generatedMax == 1899)
        #expect(abs(f.generatedMean - 28) < 0.5, "mean generated \(f.generatedMean)")
        // Rebased exactly: the first request at 0, the second 52 ms later.
        #expect(t.report.rebasedFrom == 1_700_158_623_979_960_000)
        #expect(Array(t.arrivals.prefix(3)) == [0, 52_000_000, 98_189_000])
        #expect(zip(t.arrivals, t.arrivals.dropFirst()).allSatisfy { $0 < $1 }, "sorted with no duplicate timestamps")
        // The file has no trailing newline: its last line is 19:14:19.9280160,549,173.
        #expect(t.requests.last == TraceRequest(arrival: SimInstant(nanoseconds: 3_435_948_056_000), model: 0, inputTokens: 549, outputTokens: 173))
        #expect(t.report.filled == ["every request assigned to the only model, code"])
    }

    @Test("Azure conv trace in ../shared/traces: 19,366 requests over 58 min 22 s", .enabled(if: SharedTraces.azureAvailable, "needs ../shared/traces/azure-llm-inference-2023"))
    func realConvTrace() throws {
        let t = try R.read(SharedTraces.azureConv, models: ["conv"])
        #expect(t.report.format == "azure-llm")
        let f = TraceFigures(t)
        #expect(f.count == 19_366)
        #expect(f.span == 3_501_721_937_000)
        #expect((f.span + 500_000_000) / 1_000_000_000 == 58 * 60 + 22)
        #expect(f.contextMin == 2 && f.contextMax == 14_050)
        #expect(abs(f.contextMean - 1155) < 1, "mean context \(f.contextMean)")
        #expect(f.generatedMin == 7 && f.generatedMax == 1000)
        #expect(abs(f.generatedMean - 211) < 0.5, "mean generated \(f.generatedMean)")
        #expect(t.report.rebasedFrom == 1_700_158_546_680_590_000)
        #expect(t.arrivals.first == 0)
        #expect(zip(t.arrivals, t.arrivals.dropFirst()).allSatisfy { $0 < $1 })
        #expect(t.requests.last == TraceRequest(arrival: SimInstant(nanoseconds: 3_501_721_937_000), model: 0, inputTokens: 197, outputTokens: 183))
    }

    @Test("Azure code trace in ../shared/traces named explicitly as azure-llm reads the same", .enabled(if: SharedTraces.azureAvailable, "needs ../shared/traces/azure-llm-inference-2023"))
    func realTraceExplicitFormatMatchesAuto() throws {
        let auto = try R.read(SharedTraces.azureCode, models: ["code"])
        let named = try R.read(SharedTraces.azureCode, R.options { $0.format = .azureLLM }, models: ["code"])
        #expect(auto.requests == named.requests)
        #expect(auto.report == named.report)
    }

    @Test("Azure code trace in ../shared/traces through csv --map reads the same as azure-llm", .enabled(if: SharedTraces.azureAvailable, "needs ../shared/traces/azure-llm-inference-2023"))
    func realTraceThroughGenericMapping() throws {
        let auto = try R.read(SharedTraces.azureCode, models: ["code"])
        let mapped = try R.read(SharedTraces.azureCode, R.csv("arrival=TIMESTAMP:datetime", "input=ContextTokens", "output=GeneratedTokens"), models: ["code"])
        #expect(mapped.report.format == "csv (--map)")
        #expect(auto.requests == mapped.requests)
        #expect(auto.report.rebasedFrom == mapped.report.rebasedFrom)
    }

    @Test("Azure code trace in ../shared/traces with a seeded zipf model mix", .enabled(if: SharedTraces.azureAvailable, "needs ../shared/traces/azure-llm-inference-2023"))
    func realTraceWithModelMix() throws {
        func read(seed: UInt64) throws -> ReadTrace {
            try R.read(SharedTraces.azureCode, R.options {
                $0.modelMix = "zipf:1"
                $0.seed = seed
            }, models: Self.mixModels)
        }
        let a = try read(seed: 7)
        #expect(try read(seed: 7).requests == a.requests, "same seed, same requests")
        // zipf:1 over four models: 12/25, 6/25, 4/25, 3/25, each within 0.02 over 8,819 requests
        // (standard errors ≤ 0.0054).
        for (name, expected) in zip(Self.mixModels, [12.0 / 25, 6.0 / 25, 4.0 / 25, 3.0 / 25]) {
            #expect(abs(a.share(of: name) - expected) < 0.02, "share of \(name): \(a.share(of: name)), expected \(expected)")
        }
        #expect(a.report.filled == ["models assigned by zipf:1 over 4 models, popularity ranked in list order (zipf:S,shuffle:SEED ranks in a seeded random order): 1 m1, 2 m2, 3 m3, 4 m4 (seed 7)"])
        let other = try read(seed: 8)
        #expect(other.models != a.models)
        #expect(other.arrivals == a.arrivals && other.inputs == a.inputs && other.outputs == a.outputs)
    }

    static let mixModels = ["m1", "m2", "m3", "m4"]
}
