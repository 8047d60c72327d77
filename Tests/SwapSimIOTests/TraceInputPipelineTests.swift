import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// Everything one read of a trace produced: the requests, the report and the model names the
/// request indices refer to.
struct ReadTrace {
    var requests: [TraceRequest]
    var report: TraceInputReport
    var modelNames: [String]

    /// Model name of every request, in order.
    var models: [String] { requests.map { modelNames[$0.model] } }
    /// Arrival of every request in nanoseconds, in order.
    var arrivals: [Int64] { requests.map(\.arrival.nanoseconds) }
    var inputs: [Int32] { requests.map(\.inputTokens) }
    var outputs: [Int32] { requests.map(\.outputTokens) }

    /// Share of requests assigned to `name`.
    func share(of name: String) -> Double {
        Double(models.filter { $0 == name }.count) / Double(max(1, requests.count))
    }
}

/// Helpers for the trace input tests: read a whole trace through ``TraceInput``, build options.
enum TraceReading {
    /// Reads every request of `path`.
    static func read(_ path: String, _ options: TraceInputOptions = TraceInputOptions(), models: [String]? = nil) throws -> ReadTrace {
        let input = try TraceInput(path: path, options: options, models: models)
        var out: [TraceRequest] = []
        while let r = try input.nextRequest() { out.append(r) }
        return ReadTrace(requests: out, report: input.report, modelNames: input.modelNames)
    }

    /// Options built by `configure` from the defaults.
    static func options(_ configure: (inout TraceInputOptions) -> Void) -> TraceInputOptions {
        var o = TraceInputOptions()
        configure(&o)
        return o
    }

    /// Options for `--trace-format csv` with the given `--map` flags.
    static func csv(_ maps: String..., configure: (inout TraceInputOptions) -> Void = { _ in }) -> TraceInputOptions {
        options {
            $0.format = .csv
            $0.maps = maps
            configure(&$0)
        }
    }

    /// Options for `--trace-format jsonl` with the given `--map` flags.
    static func jsonl(_ maps: String..., configure: (inout TraceInputOptions) -> Void = { _ in }) -> TraceInputOptions {
        options {
            $0.format = .jsonl
            $0.maps = maps
            configure(&$0)
        }
    }

    /// `n` lines `i,...` of a CSV with arrivals 0, 1, 2, … s, one column per entry of `row`.
    static func rows(_ n: Int, _ row: (Int) -> String) -> String {
        (0..<n).map(row).joined(separator: "\n") + "\n"
    }
}

/// The trace input pipeline (``TraceInput``) on small fixture files: native and generic
/// formats, arrival units, filling missing fields, model resolution, bad rows and ordering.
@Suite struct TraceInputPipelineTests {
    typealias R = TraceReading
    static let nativeHeader = "arrival_s,model,input_tokens,output_tokens"
    static let epochMs: Int64 = 1_700_000_000_123  // 2023-11-14 22:13:20.123 UTC

    // MARK: Native formats, detected

    @Test func nativeCSVDetectedUnderAuto() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0.5,a,10,20\n1.25,b,3,4\n")
        let t = try R.read(path, models: ["a", "b"])
        #expect(t.report.format == "native CSV")
        #expect(t.arrivals == [500_000_000, 1_250_000_000])
        #expect(t.models == ["a", "b"])
        #expect(t.inputs == [10, 3] && t.outputs == [20, 4])
        #expect(t.report.rebasedFrom == nil, "native arrivals are relative: no rebasing")
        #expect(t.report.filled.isEmpty)
        #expect(t.report.lines == ["trace format: native CSV; 2 requests"])
    }

    @Test func nativeJSONLDetectedUnderAuto() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":0.5,"model":"a","input_tokens":10,"output_tokens":20}
            {"arrival_s":1.25,"model":"b","input_tokens":3,"output_tokens":4}

            """)
        let t = try R.read(path, models: ["a", "b"])
        #expect(t.report.format == "native JSONL")
        #expect(t.arrivals == [500_000_000, 1_250_000_000])
        #expect(t.models == ["a", "b"])
        #expect(t.inputs == [10, 3] && t.outputs == [20, 4])
        #expect(t.report.rebasedFrom == nil)
    }

    @Test func nativeJSONLWithoutAScenarioNamesModelsInOrderOfFirstAppearance() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":0,"model":"zeta","input_tokens":1,"output_tokens":1}
            {"arrival_s":1,"model":"alpha","input_tokens":1,"output_tokens":1}
            {"arrival_s":2,"model":"zeta","input_tokens":1,"output_tokens":1}
            """)
        let t = try R.read(path)
        #expect(t.modelNames == ["zeta", "alpha"])
        #expect(t.requests.map(\.model) == [0, 1, 0])
    }

    @Test func jsonlStringValuesEscapesExtraKeysAndNestedValues() throws {
        let dir = try TemporaryDirectory()
        // Keys in any order, string-typed numbers, escaped names, extra scalar keys, nested
        // objects and arrays (holding braces, brackets and quotes inside strings), spaces.
        let path = try dir.write("t.jsonl", #"""
            {"user":"u1","arrival_s":"0.25","model":"caf\u00e9 \"v2\"","input_tokens":"10","output_tokens":"20"}
            { "meta" : {"tags":["x","}",{"y":"]\"{"}],"n":null} , "output_tokens" : 4 , "input_tokens" : 3 , "model" : "tab\there" , "arrival_s" : 1.5 , "ok" : true }
            {"arrival_s":2,"extra":[1,[2,[3]]],"model":"slash\/path","input_tokens":5,"output_tokens":6,"last":{}}
            {"arrival_s":3,"model":"\ud83d\ude00","input_tokens":7,"output_tokens":8}
            """#)
        let t = try R.read(path)
        #expect(t.report.format == "native JSONL")
        #expect(t.arrivals == [250_000_000, 1_500_000_000, 2_000_000_000, 3_000_000_000])
        #expect(t.models == ["café \"v2\"", "tab\there", "slash/path", "😀"])
        #expect(t.inputs == [10, 3, 5, 7])
        #expect(t.outputs == [20, 4, 6, 8])
    }

    @Test func jsonlMalformedLineNamesFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":0,"model":"a","input_tokens":1,"output_tokens":1}
            {"arrival_s":1,"model":"a","input_tokens":1,"output_tokens":1
            """)
        let e = #expect(throws: TraceError.self) { try R.read(path) }
        guard case let .malformed(file, line, column, _, reason) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(file == path && line == 2 && column == "(row)")
        #expect(reason.hasPrefix("not a JSON object"))
    }

    @Test func jsonlMissingKeyNamesTheKey() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":0,"model":"a","input_tokens":1,"output_tokens":1}
            {"arrival_s":1,"model":"a","output_tokens":1}
            """)
        #expect(throws: TraceError.malformed(file: path, line: 2, column: "input_tokens", value: "", reason: "missing key 'input_tokens'")) {
            try R.read(path)
        }
    }

    /// JSON numbers may be written with an exponent (Python's json.dumps writes 1e-05 for
    /// 0.00001); a JSON Lines reader should accept any JSON number.
    @Test func jsonlArrivalWithExponentIsAJSONNumber() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":1e-05,"model":"a","input_tokens":1,"output_tokens":1}
            {"arrival_s":1.5E2,"model":"a","input_tokens":1,"output_tokens":1}
            """)
        let t = try R.read(path)
        #expect(t.arrivals == [10_000, 150_000_000_000])
    }

    /// Text after the object's closing brace (here a second object, a lost newline) must not be
    /// silently dropped.
    @Test func jsonlTextAfterTheObjectIsAnError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"arrival_s":0,"model":"a","input_tokens":1,"output_tokens":1}{"arrival_s":1,"model":"a","input_tokens":1,"output_tokens":1}
            {"arrival_s":2,"model":"a","input_tokens":1,"output_tokens":1}
            """)
        let e = #expect(throws: TraceError.self) { try R.read(path, models: ["a"]) }
        guard let e else { return }  // #expect has recorded the missing error
        guard case let .malformed(_, line, column, _, _) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(line == 1 && column == "(row)")
    }

    @Test func genericJSONLThroughMap() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", """
            {"ts":1700000000123,"svc":"a","p":{"len":9},"prompt":10,"gen":20}
            {"gen":"4","prompt":"3","svc":"b","ts":"1700000000623.5"}
            """)
        let t = try R.read(path, R.jsonl("arrival=ts:ms", "model=svc", "input=prompt", "output=gen"), models: ["a", "b"])
        #expect(t.report.format == "jsonl (--map)")
        #expect(t.report.rebasedFrom == Self.epochMs * 1_000_000)
        #expect(t.arrivals == [0, 500_500_000])
        #expect(t.models == ["a", "b"])
        #expect(t.inputs == [10, 3] && t.outputs == [20, 4])
    }

    // MARK: Generic CSV through --map: arrival units

    struct UnitCase: CustomTestStringConvertible, Sendable {
        var unit: String
        var values: [String]
        var testDescription: String { unit }
    }

    /// The same three epoch instants (…000.123 s, …000.623 s, …001.373 s) in every unit.
    static let unitCases: [UnitCase] = [
        UnitCase(unit: "s", values: ["1700000000.123", "1700000000.623", "1700000001.373"]),
        UnitCase(unit: "ms", values: ["1700000000123", "1700000000623", "1700000001373"]),
        UnitCase(unit: "us", values: ["1700000000123000", "1700000000623000", "1700000001373000"]),
        UnitCase(unit: "ns", values: ["1700000000123000000", "1700000000623000000", "1700000001373000000"]),
    ]

    @Test(arguments: unitCases) func epochArrivalsInEveryUnitAreRebased(_ c: UnitCase) throws {
        let dir = try TemporaryDirectory()
        let text = "ts,model,in,out\n" + c.values.enumerated().map { "\($1),m,\($0 + 1),\($0 + 2)" }.joined(separator: "\n") + "\n"
        let path = try dir.write("t.csv", text)
        let t = try R.read(path, R.csv("arrival=ts:\(c.unit)", "model=model", "input=in", "output=out"), models: ["m"])
        #expect(t.report.format == "csv (--map)")
        #expect(t.report.rebasedFrom == Self.epochMs * 1_000_000)
        #expect(t.arrivals == [0, 500_000_000, 1_250_000_000])
        #expect(t.inputs == [1, 2, 3] && t.outputs == [2, 3, 4])
        #expect(t.report.lines.contains("arrivals rebased: the first request (1700000000.123000 s) is at 0"))
    }

    @Test func defaultArrivalUnitIsSeconds() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,m,i,o\n10,x,1,1\n12.5,x,1,1\n")
        let t = try R.read(path, R.csv("arrival=t", "model=m", "input=i", "output=o"), models: ["x"])
        #expect(t.arrivals == [0, 2_500_000_000])
        #expect(t.report.rebasedFrom == 10_000_000_000)
    }

    @Test func fractionalMillisecondsAndMicrosecondsAreExact() throws {
        let dir = try TemporaryDirectory()
        let ms = try dir.write("ms.csv", "t,m,i,o\n1700000000123,x,1,1\n1700000000123.4567,x,1,1\n1700000000124.000001,x,1,1\n")
        #expect(try R.read(ms, R.csv("arrival=t:ms", "model=m", "input=i", "output=o"), models: ["x"]).arrivals == [0, 456_700, 1_000_001])
        let us = try dir.write("us.csv", "t,m,i,o\n5,x,1,1\n5.001,x,1,1\n7.5,x,1,1\n")
        #expect(try R.read(us, R.csv("arrival=t:us", "model=m", "input=i", "output=o"), models: ["x"]).arrivals == [0, 1, 2_500])
    }

    struct DatetimeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var first: String
        var second: String
        /// Nanoseconds since the epoch of `first`, and `second` after `first`.
        var firstNs: Int64
        var gapNs: Int64
        var testDescription: String { name }
    }

    static let datetimeCases: [DatetimeCase] = [
        DatetimeCase(name: "space, no fraction", first: "2023-11-16 18:17:03", second: "2023-11-16 18:17:05",
                     firstNs: 1_700_158_623_000_000_000, gapNs: 2_000_000_000),
        DatetimeCase(name: "T, no fraction", first: "2023-11-16T18:17:03", second: "2023-11-16T18:18:03",
                     firstNs: 1_700_158_623_000_000_000, gapNs: 60_000_000_000),
        DatetimeCase(name: "space, fraction", first: "2023-11-16 18:17:03.5", second: "2023-11-16 18:17:03.75",
                     firstNs: 1_700_158_623_500_000_000, gapNs: 250_000_000),
        DatetimeCase(name: "T, fraction, Z", first: "2023-11-16T18:17:03.123456Z", second: "2023-11-16T19:17:03.123457Z",
                     firstNs: 1_700_158_623_123_456_000, gapNs: 3_600_000_001_000),
        DatetimeCase(name: "T, no fraction, Z", first: "2023-11-16T18:17:03Z", second: "2023-11-17T18:17:03Z",
                     firstNs: 1_700_158_623_000_000_000, gapNs: 86_400_000_000_000),
        DatetimeCase(name: "space, 7 digits (Azure)", first: "2023-11-16 18:17:03.9799601", second: "2023-11-16 18:17:04.0319609",
                     firstNs: 1_700_158_623_979_960_100, gapNs: 52_000_800),
        DatetimeCase(name: "space, 9 digits", first: "2023-11-16 18:17:03.000000001", second: "2023-11-16 18:17:03.000000002",
                     firstNs: 1_700_158_623_000_000_001, gapNs: 1),
        DatetimeCase(name: "leap day across midnight", first: "2024-02-29 23:59:59", second: "2024-03-01 00:00:01",
                     firstNs: 1_709_251_199_000_000_000, gapNs: 2_000_000_000),
        DatetimeCase(name: "century leap year", first: "2000-03-01 00:00:00", second: "2000-03-01 00:00:00.5",
                     firstNs: 951_868_800_000_000_000, gapNs: 500_000_000),
    ]

    @Test(arguments: datetimeCases) func datetimeArrivalsAreReadAsUTCExactly(_ c: DatetimeCase) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "when,tokens\n\(c.first),5\n\"\(c.second)\",6\n")
        let t = try R.read(path, R.csv("arrival=when:datetime", "input=tokens") { $0.outputTokens = "fixed:1" }, models: ["x"])
        #expect(t.report.rebasedFrom == c.firstNs)
        #expect(t.arrivals == [0, c.gapNs])
    }

    @Test(arguments: ["2023-11-16", "2023/11/16 18:17:03", "2023-13-01 00:00:00", "2023-11-16 24:00:00", "2023-11-16 18:17:03.", "1700000000", "2023-11-16 18:17:03.5x"])
    func badDatetimeIsAMalformedRow(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "when,tokens\n2023-11-16 18:17:00,5\n\(value),6\n")
        #expect(throws: TraceError.malformed(file: path, line: 3, column: "when", value: value,
                                             reason: "expected a date and time like 2023-11-16 18:17:03.9799600")) {
            try R.read(path, R.csv("arrival=when:datetime", "input=tokens") { $0.outputTokens = "fixed:1" }, models: ["x"])
        }
    }

    /// A day the month does not have is not a date: it must not roll over into the next month.
    @Test(arguments: ["2023-02-31 00:00:00", "2023-02-29 12:00:00", "2023-04-31 00:00:00"])
    func impossibleCalendarDateIsAMalformedRow(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "when,tokens\n2023-02-01 00:00:00,5\n\(value),6\n")
        let e = #expect(throws: TraceError.self) {
            try R.read(path, R.csv("arrival=when:datetime", "input=tokens") { $0.outputTokens = "fixed:1" }, models: ["x"])
        }
        guard let e else { return }  // #expect has recorded the missing error
        guard case let .malformed(_, line, column, _, _) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(line == 3 && column == "when")
    }

    // MARK: Generic CSV: header, columns, quoting

    @Test func noHeaderWithOneBasedColumnNumbers() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "ignored,20,b,1000,10\nignored,4,a,1500,3\n")
        let t = try R.read(path, R.csv("arrival=4:ms", "model=3", "input=5", "output=2") { $0.noHeader = true }, models: ["a", "b"])
        #expect(t.arrivals == [0, 500_000_000])
        #expect(t.models == ["b", "a"])
        #expect(t.inputs == [10, 3] && t.outputs == [20, 4])
        #expect(t.report.rebasedFrom == 1_000_000_000)
    }

    @Test(arguments: ["0", "x", "-1"]) func noHeaderRejectsColumnsThatAreNotOneBasedNumbers(_ column: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "1,a,1,1\n")
        let e = #expect(throws: TraceError.self) {
            try R.read(path, R.csv("arrival=1", "model=\(column)", "input=3", "output=4") { $0.noHeader = true })
        }
        guard case let .badMapping(mapping, reason) = e else {
            Issue.record("expected a mapping error, got \(String(describing: e))")
            return
        }
        #expect(mapping == column)
        #expect(reason.contains("1-based number"))
    }

    @Test func noHeaderRowWithTooFewFields() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "1,a,1,1\n2,a,1\n")
        let e = #expect(throws: TraceError.self) {
            try R.read(path, R.csv("arrival=1", "model=2", "input=3", "output=4") { $0.noHeader = true })
        }
        guard case let .malformed(file, line, column, _, reason) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(file == path && line == 2 && column == "(row)")
        #expect(reason == "expected 4 comma-separated fields, found 3")
    }

    @Test func columnsInAnyOrderWithExtraColumns() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "gen,note,svc,prompt,user,ts\n20,hi,b,10,u1,100\n4,,a,3,u2,101.5\n")
        let t = try R.read(path, R.csv("output=gen", "arrival=ts", "input=prompt", "model=svc"), models: ["a", "b"])
        #expect(t.arrivals == [0, 1_500_000_000])
        #expect(t.models == ["b", "a"])
        #expect(t.inputs == [10, 3] && t.outputs == [20, 4])
    }

    @Test func quotedFieldsWithCommas() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", #"""
            "ts","note, with comma","model","in","out"
            "2023-11-16 18:17:03","a, b, and ""c""","llama, 8b","10",20
            2023-11-16 18:17:04,plain,"llama, 8b",3,"4"
            2023-11-16 18:17:05,"x,y",mistral,5,6

            """#)
        let t = try R.read(path, R.csv("arrival=ts:datetime", "model=model", "input=in", "output=out"))
        #expect(t.modelNames == ["llama, 8b", "mistral"])
        #expect(t.models == ["llama, 8b", "llama, 8b", "mistral"])
        #expect(t.arrivals == [0, 1_000_000_000, 2_000_000_000])
        #expect(t.inputs == [10, 3, 5] && t.outputs == [20, 4, 6])
    }

    /// RFC 4180: a quote inside a quoted field is doubled; the reader must undo the doubling,
    /// or a name swapsim itself writes (NativeTraceWriter quotes `say "hi"` as `"say ""hi"""`)
    /// does not read back as written.
    @Test func quotedModelNameWithDoubledQuotesReadsBackAsWritten() throws {
        let dir = try TemporaryDirectory()
        let request = TraceRequest(arrival: SimInstant(nanoseconds: 0), model: 0, inputTokens: 1, outputTokens: 2)
        let line = NativeTraceWriter.line(request, modelName: "say \"hi\"", format: .csv)
        #expect(line == "0.000000,\"say \"\"hi\"\"\",1,2")
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n\(line)\n")
        let t = try R.read(path)
        #expect(t.modelNames == ["say \"hi\""])
    }

    @Test func mappedColumnMissingFromHeader() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "ts,prompt,gen\n1,2,3\n")
        #expect(throws: TraceError.missingColumns(file: path, missing: ["svc", "out"], header: ["ts", "prompt", "gen"])) {
            try R.read(path, R.csv("arrival=ts", "model=svc", "input=prompt", "output=out"))
        }
        let e = TraceError.missingColumns(file: path, missing: ["svc", "out"], header: ["ts", "prompt", "gen"])
        #expect(e.description == "\(path):1: header lacks column(s) svc, out (found: ts, prompt, gen)")
    }

    @Test func nativeCSVLackingAColumnNamesIt() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "arrival_s,model,input_tokens\n1,a,2\n")
        #expect(throws: TraceError.missingColumns(file: path, missing: ["output_tokens"], header: ["arrival_s", "model", "input_tokens"])) {
            try R.read(path, models: ["a"])
        }
    }

    @Test func emptyFileAndHeaderOnly() throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("empty.csv", "")
        #expect(throws: TraceError.empty(file: empty)) { try R.read(empty) }
        let headerOnly = try dir.write("h.csv", "\(Self.nativeHeader)\n")
        let t = try R.read(headerOnly, models: ["a"])
        #expect(t.requests.isEmpty && t.report.rows == 0)
    }

    @Test func missingFileAndDirectory() throws {
        let dir = try TemporaryDirectory()
        let absent = dir.url.appendingPathComponent("absent.csv").path
        #expect(throws: TraceError.unreadable(file: absent, reason: "no such file")) { try R.read(absent) }
        #expect(throws: TraceError.unreadable(file: absent, reason: "no such file")) { try R.read(absent, R.csv("arrival=t")) }
    }

    // MARK: Filling missing token columns

    /// A trace of `n` rows with arrivals only (1 ms apart), read with a single model `m`.
    func arrivalsOnly(_ n: Int, in dir: TemporaryDirectory, _ configure: (inout TraceInputOptions) -> Void) throws -> ReadTrace {
        let path = try dir.write("arrivals-\(n).csv", "t\n" + R.rows(n) { "\($0)" })
        return try R.read(path, R.csv("arrival=t:ms", configure: configure), models: ["m"])
    }

    @Test func fixedFill() throws {
        let dir = try TemporaryDirectory()
        let t = try arrivalsOnly(100, in: dir) {
            $0.inputTokens = "fixed:512"
            $0.outputTokens = "fixed:1"
        }
        #expect(t.requests.count == 100)
        #expect(Set(t.inputs) == [512] && Set(t.outputs) == [1])
        #expect(t.report.filled == [
            "input tokens drawn from fixed:512 (seed 1)",
            "output tokens drawn from fixed:1 (seed 1)",
            "every request assigned to the only model, m",
        ])
    }

    /// Uniform over [100, 300], 5,000 draws: every draw in range, both ends drawn, mean within
    /// 2% of 200 (its standard error is 0.8 tokens, 0.4%).
    @Test func uniformFill() throws {
        let dir = try TemporaryDirectory()
        let t = try arrivalsOnly(5000, in: dir) {
            $0.inputTokens = "uniform:100-300"
            $0.outputTokens = "uniform:1-2"
        }
        #expect(t.inputs.allSatisfy { (100...300).contains($0) })
        #expect(t.inputs.contains(100) && t.inputs.contains(300))
        let mean = Double(t.inputs.reduce(0) { $0 + Int($1) }) / 5000
        #expect(abs(mean - 200) / 200 < 0.02, "mean \(mean)")
        #expect(Set(t.outputs) == [1, 2])
        let ones = Double(t.outputs.filter { $0 == 1 }.count) / 5000
        #expect(abs(ones - 0.5) < 0.03, "share of 1s \(ones)")
    }

    /// Lognormal with mean 500 and sigma 0.5, 5,000 draws: sample mean within 4% of 500 (its
    /// standard error is 0.75%), median within 5% of exp(mu) = 500·e^(−0.125) ≈ 441.
    @Test func lognormalFill() throws {
        let dir = try TemporaryDirectory()
        let t = try arrivalsOnly(5000, in: dir) {
            $0.inputTokens = "lognormal:500,0.5"
            $0.outputTokens = "fixed:7"
        }
        let xs = t.inputs.map(Double.init)
        let mean = xs.reduce(0, +) / Double(xs.count)
        #expect(abs(mean - 500) / 500 < 0.04, "mean \(mean)")
        let median = xs.sorted()[xs.count / 2]
        let expectedMedian = 500 * Foundation.exp(-0.125)
        #expect(abs(median - expectedMedian) / expectedMedian < 0.05, "median \(median)")
        #expect(xs.allSatisfy { $0 >= 1 })
        #expect(Set(xs).count > 100, "a lognormal should give many distinct lengths")
    }

    /// Empirical with weights 1:3 over {100, 200}: only those values, share of 200 within 0.03
    /// of 0.75 over 5,000 draws (standard error 0.006).
    @Test func empiricalFillWithWeights() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("lengths.csv", "count,weight\n100,1\n200,3\n")
        let t = try arrivalsOnly(5000, in: dir) {
            $0.inputTokens = "fixed:1"
            $0.outputTokens = "empirical:\(file)"
        }
        #expect(Set(t.outputs) == [100, 200])
        let share = Double(t.outputs.filter { $0 == 200 }.count) / 5000
        #expect(abs(share - 0.75) < 0.03, "share of 200: \(share)")
        #expect(t.report.filled.contains("output tokens drawn from empirical:\(file) (seed 1)"))
    }

    /// Empirical with one value per line (equal weights): the mean is the values' mean.
    @Test func empiricalFillOneValuePerLine() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("lengths.txt", "10\n20\n30\n40\n")
        let t = try arrivalsOnly(4000, in: dir) {
            $0.inputTokens = "empirical:\(file)"
            $0.outputTokens = "fixed:1"
        }
        #expect(Set(t.inputs) == [10, 20, 30, 40])
        let mean = Double(t.inputs.reduce(0) { $0 + Int($1) }) / 4000
        #expect(abs(mean - 25) < 0.75, "mean \(mean)")
    }

    @Test func fillingIsDeterministicBySeed() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t\n" + R.rows(500) { "\($0)" })
        func read(seed: UInt64) throws -> ReadTrace {
            try R.read(path, R.csv("arrival=t:ms") {
                $0.inputTokens = "lognormal:300,1"
                $0.outputTokens = "uniform:1-1000"
                $0.modelMix = "zipf:1"
                $0.seed = seed
            }, models: ["a", "b", "c"])
        }
        for seed: UInt64 in [1, 2, 42] {
            let x = try read(seed: seed)
            let y = try read(seed: seed)
            #expect(x.requests == y.requests, "seed \(seed) gave two different traces")
            #expect(x.report.filled.allSatisfy { $0.hasSuffix("(seed \(seed))") })
        }
        let one = try read(seed: 1)
        let two = try read(seed: 2)
        #expect(one.inputs != two.inputs)
        #expect(one.outputs != two.outputs)
        #expect(one.models != two.models)
        #expect(one.arrivals == two.arrivals, "the seed must not move arrivals read from the file")
    }

    @Test func inputAndOutputFillsAreIndependentStreams() throws {
        let dir = try TemporaryDirectory()
        let t = try arrivalsOnly(200, in: dir) {
            $0.inputTokens = "uniform:1-1000"
            $0.outputTokens = "uniform:1-1000"
        }
        #expect(t.inputs != t.outputs)
    }

    @Test func presentColumnsAreNotOverwrittenByFillFlags() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,10,20\n1,a,30,40\n")
        let t = try R.read(path, R.options {
            $0.inputTokens = "fixed:999"
            $0.outputTokens = "fixed:999"
        }, models: ["a"])
        #expect(t.inputs == [10, 30] && t.outputs == [20, 40])
        #expect(t.report.filled.isEmpty)
    }

    @Test(arguments: [
        ("input", "--input-tokens", "prompt-length"),
        ("output", "--output-tokens", "output-length"),
    ])
    func missingTokenColumnWithoutAFillFlagNamesTheFlag(_ missing: String, _ flag: String, _ what: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,m,n\n0,a,5\n")
        // Map the one token column to the other side, so exactly `flag`'s column is missing.
        let other = missing == "input" ? "output=n" : "input=n"
        let e = #expect(throws: TraceError.self) { try R.read(path, R.csv("arrival=t", "model=m", other), models: ["a"]) }
        guard case let .badOption(option, reason) = e else {
            Issue.record("expected an option error, got \(String(describing: e))")
            return
        }
        #expect(option == flag)
        #expect(reason.contains(path) && reason.contains("no \(what) column"), "\(reason)")
        #expect(reason.contains("fixed:N") && reason.contains("empirical:FILE"))
    }

    @Test(arguments: ["fixed:0", "fixed:x", "uniform:5-2", "uniform:0-3", "lognormal:0,1", "lognormal:100,-1", "normal:5", "5"])
    func badTokenDistributionIsAnOptionError(_ spec: String) throws {
        let dir = try TemporaryDirectory()
        let e = #expect(throws: TraceError.self) {
            try arrivalsOnly(1, in: dir) {
                $0.inputTokens = spec
                $0.outputTokens = "fixed:1"
            }
        }
        guard case let .badOption(option, reason) = e else {
            Issue.record("expected an option error, got \(String(describing: e))")
            return
        }
        #expect(option == "--input-tokens")
        #expect(reason.contains(spec), "\(reason)")
    }

    /// `uniform:A-B` needs 1 ≤ A: a negative lower bound must not be read as its absolute value.
    @Test func uniformWithNegativeLowerBoundIsRejected() throws {
        #expect(throws: WorkloadSpec.Failure.self) { try WorkloadSpec.tokens("uniform:-5-10") }
    }

    @Test func empiricalFileErrors() throws {
        let dir = try TemporaryDirectory()
        let absent = dir.url.appendingPathComponent("absent.txt").path
        #expect((#expect(throws: WorkloadSpec.Failure.self) { try WorkloadSpec.tokens("empirical:\(absent)") })?.message == "\(absent): cannot read the empirical token distribution")
        let bad = try dir.write("bad.txt", "10\nlots\n")
        #expect((#expect(throws: WorkloadSpec.Failure.self) { try WorkloadSpec.tokens("empirical:\(bad)") })?.message == "\(bad):2: expected a token count, got 'lots'")
        let zero = try dir.write("zero.txt", "10,0\n20,0\n")
        #expect((#expect(throws: WorkloadSpec.Failure.self) { try WorkloadSpec.tokens("empirical:\(zero)") })?.message == "\(zero): no token counts with positive weight")
    }

    // MARK: Filling the model column

    /// Zipf with exponent 1 over three models: shares 6/11, 3/11, 2/11, each within 0.02
    /// over 6,000 requests (standard errors ≤ 0.007).
    @Test func zipfModelMix() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t\n" + R.rows(6000) { "\($0)" })
        let t = try R.read(path, R.csv("arrival=t:ms") {
            $0.inputTokens = "fixed:1"
            $0.outputTokens = "fixed:1"
            $0.modelMix = "zipf:1"
        }, models: ["a", "b", "c"])
        #expect(t.modelNames == ["a", "b", "c"])
        for (name, expected) in [("a", 6.0 / 11), ("b", 3.0 / 11), ("c", 2.0 / 11)] {
            #expect(abs(t.share(of: name) - expected) < 0.02, "share of \(name): \(t.share(of: name)), expected \(expected)")
        }
        #expect(t.report.filled.last == "models assigned by zipf:1 over 3 models, popularity ranked in list order (zipf:S,shuffle:SEED ranks in a seeded random order): 1 a, 2 b, 3 c (seed 1)")
    }

    @Test func zipfZeroIsUniform() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t\n" + R.rows(4000) { "\($0)" })
        let t = try R.read(path, R.csv("arrival=t:ms") {
            $0.inputTokens = "fixed:1"
            $0.outputTokens = "fixed:1"
            $0.modelMix = "zipf:0"
        }, models: ["a", "b", "c", "d"])
        for name in ["a", "b", "c", "d"] { #expect(abs(t.share(of: name) - 0.25) < 0.025, "share of \(name): \(t.share(of: name))") }
    }

    /// Weights 3:1 (and 0 for a third model): shares 0.75 and 0.25 within 0.02 over 6,000 requests.
    @Test func weightsModelMix() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n" + R.rows(6000) { "\($0),1,1" })
        let t = try R.read(path, R.csv("arrival=t:ms", "input=i", "output=o") { $0.modelMix = "weights:a=3,b=1,c=0" }, models: ["a", "b", "c"])
        #expect(abs(t.share(of: "a") - 0.75) < 0.02, "share of a: \(t.share(of: "a"))")
        #expect(abs(t.share(of: "b") - 0.25) < 0.02, "share of b: \(t.share(of: "b"))")
        #expect(t.share(of: "c") == 0)
        #expect(t.report.filled == ["models assigned by weights:a=3,b=1,c=0 over 3 models (seed 1)"])
    }

    @Test func weightsOmittingAModelGiveItNoRequests() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n" + R.rows(300) { "\($0),1,1" })
        let t = try R.read(path, R.csv("arrival=t:ms", "input=i", "output=o") { $0.modelMix = "weights:b=1" }, models: ["a", "b"])
        #expect(Set(t.models) == ["b"])
    }

    @Test func weightsNamingUnknownModelsAreRejected() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n0,1,1\n")
        #expect(throws: TraceError.badOption(option: "--model-mix", reason: "weights name model(s) x, y not among a, b")) {
            try R.read(path, R.csv("arrival=t", "input=i", "output=o") { $0.modelMix = "weights:a=1,y=2,x=1" }, models: ["a", "b"])
        }
    }

    @Test func modelMixUsesTheModelsOptionWithoutAScenario() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n" + R.rows(50) { "\($0),1,1" })
        let t = try R.read(path, R.csv("arrival=t", "input=i", "output=o") {
            $0.modelMix = "weights:x=1,y=1"
            $0.models = ["x", "y"]
        })
        #expect(t.modelNames == ["x", "y"])
        #expect(Set(t.models) == ["x", "y"])
    }

    @Test func singleModelScenarioIsAssignedWithoutAMix() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n0,1,1\n5,2,2\n")
        let t = try R.read(path, R.csv("arrival=t", "input=i", "output=o"), models: ["only"])
        #expect(t.models == ["only", "only"])
        #expect(t.report.filled == ["every request assigned to the only model, only"])
        #expect(t.report.lines.contains("every request assigned to the only model, only"))
    }

    @Test func missingModelColumnWithoutAMixNamesTheFlag() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n0,1,1\n")
        #expect(throws: TraceError.badOption(option: "--model-mix", reason: "\(path) has no model column; give --model-mix zipf:S or weights:NAME=W,…")) {
            try R.read(path, R.csv("arrival=t", "input=i", "output=o"), models: ["a", "b"])
        }
        #expect(throws: TraceError.badOption(option: "--model-mix", reason: "\(path) has no model column; give --model-mix zipf:S or weights:NAME=W,…")) {
            try R.read(path, R.csv("arrival=t", "input=i", "output=o"))
        }
    }

    @Test func modelMixWithoutModelNames() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n0,1,1\n")
        #expect(throws: TraceError.badOption(option: "--model-mix", reason: "give the model names to assign it over with --models a,b,c")) {
            try R.read(path, R.csv("arrival=t", "input=i", "output=o") { $0.modelMix = "zipf:1" })
        }
    }

    @Test(arguments: ["zipf:x", "zipf:-1", "weights:a", "weights:a=-1", "weights:a=0", "weights:a=1,a=2", "popular"])
    func badModelMixIsAnOptionError(_ spec: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n0,1,1\n")
        let e = #expect(throws: TraceError.self) {
            try R.read(path, R.csv("arrival=t", "input=i", "output=o") { $0.modelMix = spec }, models: ["a", "b"])
        }
        guard case let .badOption(option, _) = e else {
            Issue.record("expected an option error, got \(String(describing: e))")
            return
        }
        #expect(option == "--model-mix")
    }

    // MARK: Model names

    @Test func modelMapRenamesTraceNames() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,llama,1,1\n1,mistral,1,1\n2,qwen,1,1\n")
        let t = try R.read(path, R.options { $0.modelMap = ["llama=llama-8b", " mistral = mistral-7b "] }, models: ["mistral-7b", "llama-8b", "qwen"])
        #expect(t.models == ["llama-8b", "mistral-7b", "qwen"])
        #expect(t.requests.map(\.model) == [1, 0, 2])
    }

    @Test func modelMapWithoutAScenarioRenamesToo() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,llama,1,1\n1,mistral,1,1\n2,llama,1,1\n")
        let t = try R.read(path, R.options { $0.modelMap = ["llama=mistral"] })
        #expect(t.modelNames == ["mistral"])
        #expect(t.models == ["mistral", "mistral", "mistral"])
    }

    @Test(arguments: ["llama", "=x", "x=", "="]) func badModelMap(_ map: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,llama,1,1\n")
        #expect(throws: TraceError.badOption(option: "--model-map \(map)", reason: "expected TRACE=SCENARIO")) {
            try R.read(path, R.options { $0.modelMap = [map] }, models: ["llama"])
        }
    }

    @Test func unknownModelsAreOneErrorListingEveryNameWithRowCountsAndFirstLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", """
            \(Self.nativeHeader)
            0,a,1,1
            1,gpt-9,1,1
            2,a,1,1
            3,foo,1,1
            4,gpt-9,1,1
            5,gpt-9,1,1

            6,bar,1,1
            """)
        let e = #expect(throws: TraceError.self) { try R.read(path, models: ["a", "b"]) }
        #expect(e == .unknownModels(file: path, models: [
            UnknownModel(name: "gpt-9", firstLine: 3, rows: 3),
            UnknownModel(name: "foo", firstLine: 5, rows: 1),
            UnknownModel(name: "bar", firstLine: 9, rows: 1),
        ], known: ["a", "b"]))
        #expect(e?.description == "\(path):3: column 'model': models 'gpt-9' (3 rows, first at line 3), 'foo' (1 row, first at line 5), 'bar' (1 row, first at line 9) not in the scenario (scenario models: a, b; map names with --model-map TRACE=SCENARIO)")
    }

    @Test func unknownModelsAfterModelMapAreNamedAsMapped() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n1,b,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.options { $0.modelMap = ["b=zz"] }, models: ["a", "b"]) }
        #expect(e == .unknownModels(file: path, models: [UnknownModel(name: "zz", firstLine: 3, rows: 1)], known: ["a", "b"]))
    }

    /// With `sort`, an unknown model's first line is still its first line in the file.
    @Test func unknownModelsWithSortNameTheirFirstLineInTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n5,zz,1,1\n1,zz,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.options { $0.sort = true }, models: ["a"]) }
        #expect(e == .unknownModels(file: path, models: [UnknownModel(name: "zz", firstLine: 3, rows: 2)], known: ["a"]))
    }

    // MARK: Bad rows

    @Test func firstBadRowIsAnErrorWithFileLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "ts,svc,in,out\n1000,a,1,1\nsoon,a,1,1\n1002,a,x,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.csv("arrival=ts:ms", "model=svc", "input=in", "output=out"), models: ["a"]) }
        #expect(e == .malformed(file: path, line: 3, column: "ts", value: "soon", reason: "expected milliseconds, a non-negative decimal number"))
        #expect(e?.description == "\(path):3: column 'ts': expected milliseconds, a non-negative decimal number (value 'soon')")
    }

    struct BadRowCase: CustomTestStringConvertible, Sendable {
        var name: String
        var row: String
        var column: String
        var reason: String
        var testDescription: String { name }
    }

    static let badRows: [BadRowCase] = [
        BadRowCase(name: "negative arrival", row: "-1,a,1,1", column: "arrival_s", reason: "arrivals cannot be negative"),
        BadRowCase(name: "empty arrival", row: ",a,1,1", column: "arrival_s", reason: "missing arrival"),
        BadRowCase(name: "empty model", row: "1,,1,1", column: "model", reason: "missing model name"),
        BadRowCase(name: "zero tokens", row: "1,a,0,1", column: "input_tokens", reason: "a request needs at least one token"),
        BadRowCase(name: "negative tokens", row: "1,a,1,-3", column: "output_tokens", reason: "token counts cannot be negative"),
        BadRowCase(name: "fractional tokens", row: "1,a,1.5,1", column: "input_tokens", reason: "expected a whole number of tokens"),
        BadRowCase(name: "empty tokens", row: "1,a,1,", column: "output_tokens", reason: "missing token count"),
        BadRowCase(name: "huge tokens", row: "1,a,99999999999,1", column: "input_tokens", reason: "token count too large"),
        BadRowCase(name: "too few fields", row: "1,a,1", column: "(row)", reason: "expected 4 comma-separated fields, found 3"),
        BadRowCase(name: "too many fields", row: "1,a,1,1,1", column: "(row)", reason: "expected 4 comma-separated fields, found 5"),
    ]

    @Test(arguments: badRows) func badNativeRow(_ c: BadRowCase) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n\(c.row)\n2,a,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, models: ["a"]) }
        guard case let .malformed(file, line, column, _, reason) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(file == path && line == 3)
        #expect(column == c.column)
        #expect(reason == c.reason)
    }

    @Test func arrivalsBeyondOneHundredYearsAreRejected() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n1700000000,1,1\n4855760001,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.csv("arrival=t", "input=i", "output=o"), models: ["a"]) }
        guard case let .malformed(_, line, column, _, reason) = e else {
            Issue.record("expected a malformed-row error, got \(String(describing: e))")
            return
        }
        #expect(line == 3 && column == "arrival")
        #expect(reason.contains("100 years"))
    }

    @Test func skipInvalidCountsSkippedRowsByReason() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", """
            \(Self.nativeHeader)
            0,a,1,1
            soon,a,1,1
            1,a,0,1
            2,a,1,1
            later,a,1,1
            3,a,1
            4,a,1,1
            never,a,1,1
            """)
        let t = try R.read(path, R.options { $0.skipInvalid = true }, models: ["a"])
        #expect(t.arrivals == [0, 2_000_000_000, 4_000_000_000])
        #expect(t.report.rows == 3)
        #expect(t.report.skipped.map(\.reason) == [
            "arrival_s: expected seconds, a non-negative decimal number",
            "(row): expected 4 comma-separated fields, found 3",
            "input_tokens: a request needs at least one token",
        ])
        #expect(t.report.skipped.map(\.rows) == [3, 1, 1])
        #expect(t.report.lines.contains("skipped 3 invalid rows: arrival_s: expected seconds, a non-negative decimal number"))
        #expect(t.report.lines.contains("skipped 1 invalid row: input_tokens: a request needs at least one token"))
    }

    @Test func skipInvalidStillRejectsUnknownModelsAndUnsortedRows() throws {
        let dir = try TemporaryDirectory()
        let unknown = try dir.write("u.csv", "\(Self.nativeHeader)\n0,a,1,1\n1,zz,1,1\n")
        #expect(throws: TraceError.unknownModels(file: unknown, models: [UnknownModel(name: "zz", firstLine: 3, rows: 1)], known: ["a"])) {
            try R.read(unknown, R.options { $0.skipInvalid = true }, models: ["a"])
        }
        let unsorted = try dir.write("s.csv", "\(Self.nativeHeader)\n5,a,1,1\n1,a,1,1\n")
        #expect(throws: TraceError.unsorted(file: unsorted, line: 3, arrival: "1.000000", previous: "5.000000")) {
            try R.read(unsorted, R.options { $0.skipInvalid = true }, models: ["a"])
        }
    }

    // MARK: Order

    @Test func unsortedArrivalsAreAnErrorNamingTheLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n3,a,1,1\n3,a,1,1\n2.5,a,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, models: ["a"]) }
        #expect(e == .unsorted(file: path, line: 5, arrival: "2.500000", previous: "3.000000"))
        #expect(e?.description == "\(path):5: arrival 2.500000 s is before the previous row's 3.000000 s; traces must be sorted by arrival (--sort sorts them in memory)")
    }

    @Test func sortReportsRowsMovedAndYieldsSortedRequests() throws {
        let dir = try TemporaryDirectory()
        // File order 0, 3, 1, 2 (inputs tag the rows); ties keep file order.
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,10,1\n3,a,11,1\n1,a,12,1\n2,a,13,1\n3,a,14,1\n")
        let t = try R.read(path, R.options { $0.sort = true }, models: ["a"])
        #expect(t.arrivals == [0, 1_000_000_000, 2_000_000_000, 3_000_000_000, 3_000_000_000])
        #expect(t.inputs == [10, 12, 13, 11, 14])
        #expect(t.report.sortedMoved == 3)
        #expect(t.report.lines.contains("sorted by arrival: 3 rows moved"))
    }

    @Test func sortOfASortedTraceMovesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "\(Self.nativeHeader)\n0,a,1,1\n1,a,1,1\n")
        let t = try R.read(path, R.options { $0.sort = true }, models: ["a"])
        #expect(t.report.sortedMoved == 0)
        #expect(t.requests.count == 2)
    }

    @Test func sortRebasesAbsoluteArrivalsOnTheEarliest() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n1700000002000,1,1\n1700000000123,2,2\n1700000001000,3,3\n")
        let t = try R.read(path, R.csv("arrival=t:ms", "input=i", "output=o") { $0.sort = true }, models: ["a"])
        #expect(t.report.rebasedFrom == Self.epochMs * 1_000_000)
        #expect(t.arrivals == [0, 877_000_000, 1_877_000_000])
        #expect(t.inputs == [2, 3, 1])
        #expect(t.report.sortedMoved == 3)
    }

    /// An absolute trace whose first row is not its earliest: the row before the origin is
    /// reported as unsorted, and its (negative, rebased) arrival must read as a number.
    @Test func unsortedAbsoluteTraceNamesTheLineWithAReadableArrival() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i,o\n1700000000623,1,1\n1700000000123,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.csv("arrival=t:ms", "input=i", "output=o"), models: ["a"]) }
        guard case let .unsorted(file, line, arrival, previous) = e else {
            Issue.record("expected an unsorted error, got \(String(describing: e))")
            return
        }
        #expect(file == path && line == 3)
        #expect(previous == "0.000000")
        #expect(arrival.wholeMatch(of: /-?[0-9]+\.[0-9]{6,9}/) != nil, "arrival reads '\(arrival)': \(e!.description)")
    }

    // MARK: Report

    @Test func reportLinesStateEverythingDone() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "t,i\n1700000001000,5\n1700000000123,6\nbad,7\n")
        let t = try R.read(path, R.csv("arrival=t:ms", "input=i") {
            $0.outputTokens = "fixed:3"
            $0.modelMix = "weights:a=1"
            $0.sort = true
            $0.skipInvalid = true
            $0.seed = 9
        }, models: ["a", "b"])
        #expect(t.report.lines == [
            "trace format: csv (--map); 2 requests",
            "arrivals rebased: the first request (1700000000.123000 s) is at 0",
            "output tokens drawn from fixed:3 (seed 9)",
            "models assigned by weights:a=1 over 2 models (seed 9)",
            "sorted by arrival: 2 rows moved",
            "skipped 1 invalid row: t: expected milliseconds, a non-negative decimal number",
        ])
    }
}
