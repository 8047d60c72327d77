import Foundation
import SwapSimCore
@testable import SwapSimIO
import Testing

/// Issue 13's trace inputs, each on the exact input the issue describes: datetimes outside
/// 1677–2262, a span over 292 years, arrivals of `1e18` and `-0`, the CSV field `"""x"`, and a
/// ServeGen replay scaled a million times.
@Suite struct TraceHardeningTests {
    typealias R = TraceReading
    static let azureHeader = "TIMESTAMP,ContextTokens,GeneratedTokens"

    /// The malformed-row error reading `path` with `options` throws, as (line, column, reason).
    func malformedRow(_ path: String, _ options: TraceInputOptions, models: [String]? = ["a"]) -> (line: Int, column: String, reason: String)? {
        do {
            _ = try R.read(path, options, models: models)
            Issue.record("expected an error reading \(path)")
        } catch let TraceError.malformed(file, line, column, _, reason) {
            #expect(file == path)
            return (line, column, reason)
        } catch {
            Issue.record("expected a malformed-row error, got \(error)")
        }
        return nil
    }

    @Test(arguments: ["1600-01-01 00:00:00.0000000", "1677-09-21 00:00:00", "2262-04-12 00:00:00", "9999-12-31 23:59:59.9999999", "0000-01-01 00:00:00"])
    func anAzureDateOutsideThe64BitRangeNamesFileLineAndColumn(_ date: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.azureHeader)\n2023-11-16 18:17:03.9799600,10,10\n\(date),10,10\n")
        let options = R.options { $0.format = .azureLLM; $0.models = ["a"] }
        let e = malformedRow(path, options, models: nil)
        #expect(e?.line == 3)
        #expect(e?.column == "TIMESTAMP")
        #expect(e?.reason == "the date \(date) is outside the range swapsim represents, 1677-09-21 00:12:44 to 2262-04-11 23:47:16 UTC (nanoseconds since 1970 in 64 bits)")
    }

    @Test func aMappedDatetimeOutsideTheRangeNamesItsColumn() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "when,m\n2300-01-01 00:00:00,a\n")
        let options = R.csv("arrival=when:datetime", "model=m") { $0.inputTokens = "fixed:1"; $0.outputTokens = "fixed:1" }
        let e = malformedRow(path, options)
        #expect(e?.line == 2)
        #expect(e?.column == "when")
        #expect(e?.reason.hasPrefix("the date 2300-01-01 00:00:00 is outside the range swapsim represents") == true)
    }

    @Test func datesAtTheEdgesOfTheRangeStillRead() throws {
        #expect(ArrivalParser.datetime(ArraySlice("1677-09-21 00:12:44".utf8)) != nil)
        #expect(ArrivalParser.datetime(ArraySlice("2262-04-11 23:47:16".utf8)) == 9_223_372_036_000_000_000)
        #expect(ArrivalParser.datetime(ArraySlice("2262-04-11 23:47:17".utf8)) == nil)
    }

    /// Rebasing subtracts the first arrival: 1700 to 2260 is 560 years, beyond 64-bit nanoseconds.
    @Test func aTraceSpanningMoreThan292YearsIsAnErrorNotAnOverflow() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("azure.csv", "\(Self.azureHeader)\n1700-01-01 00:00:00.0000000,10,10\n2260-01-01 00:00:00.0000000,10,10\n")
        let options = R.options { $0.format = .azureLLM; $0.models = ["a"] }
        let e = malformedRow(path, options, models: nil)
        #expect(e?.line == 3)
        #expect(e?.reason.hasPrefix("this arrival is more than 292 years from the first request's -8520336000.000000 s; arrivals must lie within ") == true)
    }

    @Test func arrivalsPastTheCoresLimitNameTheLimitWhateverItIs() throws {
        let dir = try TemporaryDirectory()
        let latest = TraceLimits.latestArrival.nanoseconds
        let past = NativeTraceWriter.seconds(latest + 1_000_000_000)
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n0,a,1,1\n\(past),a,1,1\n")
        let e = malformedRow(path, TraceInputOptions())
        #expect(e?.line == 3)
        #expect(e?.reason == "the arrival exceeds the latest arrival allowed, \(TraceLimits.latestArrivalText) from the trace start")
        // The text is derived from the core's declared limit, not written down here.
        #expect(TraceLimits.latestArrivalText.hasSuffix(" s)"))
        #expect(TraceLimits.latestArrivalText.contains("\(latest / 1_000_000_000) s"))
    }

    @Test func anArrivalOf1e18NamesTheLatestArrivalAllowed() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n0,a,1,1\n1e18,a,1,1\n")
        let e = malformedRow(path, TraceInputOptions())
        #expect(e?.line == 3)
        #expect(e?.column == "arrival_s")
        #expect(e?.reason == "1e18 s exceeds the latest arrival allowed, \(TraceLimits.latestArrivalText) from the trace start")
    }

    @Test(arguments: ["-1", "-0.5", "-1e3", "nan", "inf"])
    func negativeAndNonFiniteArrivalsSayWhatIsWrong(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n\(value),a,1,1\n")
        let e = malformedRow(path, TraceInputOptions())
        #expect(e?.reason == (value.hasPrefix("-") ? "arrivals cannot be negative" : "expected a finite number"))
    }

    @Test(arguments: ["-0", "-0.0", "-0.000000000", " -0 ", "\"-0\"", "-0e0"])
    func negativeZeroIsAnArrivalAtZero(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n\(value),a,1,1\n0.5,a,1,1\n")
        let t = try R.read(path, models: ["a"])
        #expect(t.arrivals == [0, 500_000_000])
    }

    @Test func negativeZeroIsZeroInJSONLinesToo() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", "{\"arrival_s\":-0,\"model\":\"a\",\"input_tokens\":1,\"output_tokens\":1}\n")
        #expect(try R.read(path, models: ["a"]).arrivals == [0])
    }

    /// A ServeGen model folder `name` in `dir` with one client whose window file is `windows`.
    func serveGenFolder(in dir: TemporaryDirectory, _ name: String, windows: String) throws -> String {
        let folder = dir.url.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(windows.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent("chunk-0-trace.csv"))
        return folder
    }

    // MARK: RFC 4180 quoting

    /// `"""x"` is a quoted field holding a doubled quote then x: the name `"x`.
    @Test func aDoubledQuoteOpeningAQuotedFieldIsKept() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n0,\"\"\"x\",1,1\n1,\"a\"\"b\",1,1\n2,\"plain\",1,1\n")
        let t = try R.read(path)
        #expect(t.models == ["\"x", "a\"b", "plain"])
    }

    @Test func theMappedReaderUnquotesTheSameWay() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\"t\",\"\"\"m\"\"\"\n\"0\",\"\"\"x\"\n")
        let t = try R.read(path, R.csv("arrival=t", "model=\"m\"") { $0.inputTokens = "fixed:1"; $0.outputTokens = "fixed:1" })
        #expect(t.models == ["\"x"])
        #expect(t.arrivals == [0])
    }

    /// A quote is not silently dropped from a number: `"1""2"` is the text `1"2`, not 12.
    @Test func aQuoteInsideANumberIsAnError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(TraceInputPipelineTests.nativeHeader)\n0,a,\"1\"\"2\",1\n")
        let e = malformedRow(path, TraceInputOptions())
        #expect(e?.column == "input_tokens")
    }

    @Test func anEmpiricalTokenFileIsReadAsCSVToo() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("tokens.csv", "count,weight\n\"5\",\"1\"\n")
        let d = try WorkloadSpec.tokens("empirical:\(path)")
        var rng = RandomStream(seed: 1, stream: "t")
        #expect((0..<20).allSatisfy { _ in d.sample(&rng) == 5 })
    }

    @Test func servegenRowsAreReadAsCSVToo() throws {
        let dir = try TemporaryDirectory()
        let folder = try serveGenFolder(in: dir, "m-q", windows: "0,\"2\",1,\"Gamma\",\"1.0\",0.5\n")
        let source = try ServeGenSource(paths: [folder], options: .init(duration: .seconds(600)))
        #expect(source.expectedRequests == 1200)
    }

    // MARK: ServeGen scale

    /// Found by the fuzzer (a hang of six minutes): a replay whose folder is not a scenario model
    /// was generated to its end (600 million requests) to count the rows of the unknown model.
    @Test func anUnknownModelInAReplayIsNamedWithoutGeneratingIt() throws {
        let dir = try TemporaryDirectory()
        let folder = try serveGenFolder(in: dir, "m-fuzz", windows: "0,1e6,1.1,Gamma,0.8,2.5\n600,0,0,,0,0\n")
        var o = TraceInputOptions()
        o.format = .servegen
        o.inputTokens = "fixed:1"
        o.outputTokens = "fixed:1"
        let started = Date()
        #expect(throws: TraceError.unknownModels(file: folder, models: [UnknownModel(name: "m-fuzz", firstLine: 0, rows: 0)], known: ["a", "b"])) {
            _ = try R.read(folder, o, models: ["a", "b"])
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(TraceError.unknownModels(file: folder, models: [UnknownModel(name: "m-fuzz", firstLine: 0, rows: 0)], known: ["a", "b"]).description
            == "\(folder): column 'model': model 'm-fuzz' not in the scenario (scenario models: a, b; map names with --model-map TRACE=SCENARIO)")
    }

    /// Found by the fuzzer: `--sort` read a whole ServeGen replay into memory (here 600 million
    /// requests) before yielding one. A replay is in arrival order by construction.
    @Test func sortingAServeGenReplayHoldsNothingInMemory() throws {
        let dir = try TemporaryDirectory()
        let folder = try serveGenFolder(in: dir, "m-sorted", windows: "0,1.5,1.1,Gamma,0.8,2.5\n600,0,0,,0,0\n1200,1e6,0.95,Weibull,1.2,3.8\n")
        var o = TraceInputOptions()
        o.format = .servegen
        o.sort = true
        o.inputTokens = "fixed:1"
        o.outputTokens = "fixed:1"
        let started = Date()
        let input = try TraceInput(path: folder, options: o, models: nil)
        for _ in 0..<1000 { _ = try input.nextRequest() }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(input.report.sortedMoved == 0)
    }

    @Test func aServeGenReplayScaledAMillionTimesIsRefusedUpFront() throws {
        let dir = try TemporaryDirectory()
        let folder = try serveGenFolder(in: dir, "m-big", windows: "0,5,1.41,Gamma,0.5,1.0\n600,5,1.41,Gamma,0.5,1.0\n")
        let started = Date()
        #expect(throws: TraceError.badOption(
            option: folder,
            reason: "replaying 1200 s at --servegen-rate-scale 1000000.0 would make about 6000000000 requests (each window's rate × the rate scale × its time in the span), more than the limit of 1e9 requests; shorten --servegen-duration or lower --servegen-rate-scale"
        )) {
            try ServeGenSource(paths: [folder], options: .init(duration: .seconds(1200), rateScale: 1e6))
        }
        #expect(Date().timeIntervalSince(started) < 5)
        // A thousand times the rate is 6 million requests: within the limit.
        #expect(try ServeGenSource(paths: [folder], options: .init(duration: .seconds(1200), rateScale: 1e3)).expectedRequests == 6e6)
    }
}
