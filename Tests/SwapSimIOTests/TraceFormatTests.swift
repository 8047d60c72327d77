import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// `--trace-format` names, `--map` parsing (``ColumnMapping/parse(_:)``) and format detection
/// under `--trace-format auto`.
@Suite struct TraceFormatTests {
    typealias R = TraceReading

    // MARK: Format names

    @Test func formatNamesAreTheCLINames() {
        #expect(TraceFormat.allCases.map(\.rawValue) == ["auto", "native", "azure-llm", "servegen", "csv", "jsonl"])
        #expect(TraceFormat(rawValue: "azure-llm") == .azureLLM)
        #expect(TraceFormat(rawValue: "azureLLM") == nil)
        #expect(TraceInputOptions().format == .auto)
    }

    // MARK: ColumnMapping.parse

    @Test func parsesEveryKey() throws {
        let m = try ColumnMapping.parse(["arrival=ts:ms", "model=svc", "input=prompt", "output=gen"])
        #expect(m == ColumnMapping(arrival: "ts", arrivalUnit: .ms, model: "svc", input: "prompt", output: "gen"))
    }

    @Test func keysInAnyOrderAndOnlyArrivalRequired() throws {
        #expect(try ColumnMapping.parse(["output=o", "arrival=t"]) == ColumnMapping(arrival: "t", arrivalUnit: .s, model: nil, input: nil, output: "o"))
        #expect(try ColumnMapping.parse(["arrival=t"]) == ColumnMapping(arrival: "t", arrivalUnit: .s, model: nil, input: nil, output: nil))
    }

    @Test(arguments: ColumnMapping.ArrivalUnit.allCases) func everyArrivalUnit(_ unit: ColumnMapping.ArrivalUnit) throws {
        let m = try ColumnMapping.parse(["arrival=when:\(unit.rawValue)"])
        #expect(m.arrival == "when" && m.arrivalUnit == unit)
    }

    @Test func arrivalUnitsAreTheDocumentedOnes() {
        #expect(ColumnMapping.ArrivalUnit.allCases.map(\.rawValue) == ["s", "ms", "us", "ns", "datetime"])
    }

    @Test func columnNamesMayHoldSpacesAndEqualsSigns() throws {
        let m = try ColumnMapping.parse(["arrival=Time Stamp:datetime", "input=a=b"])
        #expect(m.arrival == "Time Stamp" && m.arrivalUnit == .datetime)
        #expect(m.input == "a=b")
    }

    @Test func nativeAndAzureMappings() {
        #expect(ColumnMapping.native == ColumnMapping(arrival: "arrival_s", arrivalUnit: .s, model: "model", input: "input_tokens", output: "output_tokens"))
        #expect(ColumnMapping.azureLLM == ColumnMapping(arrival: "TIMESTAMP", arrivalUnit: .datetime, model: nil, input: "ContextTokens", output: "GeneratedTokens"))
    }

    struct MappingErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var maps: [String]
        var mapping: String
        var reason: String
        var testDescription: String { name }
    }

    static let mappingErrorCases: [MappingErrorCase] = [
        MappingErrorCase(name: "unknown key", maps: ["arrival=t", "tokens=n"], mapping: "tokens=n",
                         reason: "unknown key 'tokens' (keys: arrival, model, input, output)"),
        MappingErrorCase(name: "key case matters", maps: ["Arrival=t"], mapping: "Arrival=t",
                         reason: "unknown key 'Arrival' (keys: arrival, model, input, output)"),
        MappingErrorCase(name: "no equals sign", maps: ["arrival"], mapping: "arrival",
                         reason: "expected KEY=COLUMN[:UNIT] with KEY one of arrival, model, input, output"),
        MappingErrorCase(name: "missing arrival", maps: ["model=m", "input=i"], mapping: "model=m input=i",
                         reason: "--map arrival=COLUMN[:UNIT] is required"),
        MappingErrorCase(name: "no maps at all", maps: [], mapping: "", reason: "--map arrival=COLUMN[:UNIT] is required"),
        MappingErrorCase(name: "unit on model", maps: ["arrival=t", "model=m:ms"], mapping: "model=m:ms",
                         reason: "only arrival takes a unit; give the column name alone"),
        MappingErrorCase(name: "unit on input", maps: ["arrival=t", "input=i:s"], mapping: "input=i:s",
                         reason: "only arrival takes a unit; give the column name alone"),
        MappingErrorCase(name: "unknown unit", maps: ["arrival=t:minutes"], mapping: "arrival=t:minutes",
                         reason: "unknown arrival unit 'minutes' (units: s, ms, us, ns, datetime)"),
        MappingErrorCase(name: "empty unit", maps: ["arrival=t:"], mapping: "arrival=t:",
                         reason: "unknown arrival unit '' (units: s, ms, us, ns, datetime)"),
        MappingErrorCase(name: "duplicate arrival", maps: ["arrival=a", "arrival=b:ms"], mapping: "arrival=b:ms",
                         reason: "'arrival' is mapped twice"),
        MappingErrorCase(name: "duplicate model", maps: ["model=a", "arrival=t", "model=b"], mapping: "model=b",
                         reason: "'model' is mapped twice"),
        MappingErrorCase(name: "duplicate output", maps: ["arrival=t", "output=a", "output=a"], mapping: "output=a",
                         reason: "'output' is mapped twice"),
        MappingErrorCase(name: "arrival without a column", maps: ["arrival="], mapping: "arrival=", reason: "no column named"),
        MappingErrorCase(name: "arrival with a unit but no column", maps: ["arrival=:ms"], mapping: "arrival=:ms", reason: "no column named"),
    ]

    @Test(arguments: mappingErrorCases) func mappingErrors(_ c: MappingErrorCase) {
        #expect(throws: TraceError.badMapping(mapping: c.mapping, reason: c.reason)) { try ColumnMapping.parse(c.maps) }
    }

    @Test func mappingErrorMessageNamesTheFlag() {
        let e = #expect(throws: TraceError.self) { try ColumnMapping.parse(["arrival=t", "tokens=n"]) }
        #expect(e?.description == "--map tokens=n: unknown key 'tokens' (keys: arrival, model, input, output)")
    }

    /// `--map model=` names no column; saying "only arrival takes a unit" would mislead.
    @Test(arguments: ["model=", "input=", "output="]) func nonArrivalKeyWithoutAColumnSaysSo(_ map: String) {
        #expect(throws: TraceError.badMapping(mapping: map, reason: "no column named")) { try ColumnMapping.parse(["arrival=t", map]) }
    }

    /// A bad `--map` surfaces through the pipeline as the same error, for csv and jsonl alike.
    @Test(arguments: [TraceFormat.csv, .jsonl]) func badMappingThroughTheReader(_ format: TraceFormat) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.txt", "t\n1\n")
        #expect(throws: TraceError.badMapping(mapping: "arrival=t:hours", reason: "unknown arrival unit 'hours' (units: s, ms, us, ns, datetime)")) {
            try R.read(path, R.options {
                $0.format = format
                $0.maps = ["arrival=t:hours"]
            })
        }
    }

    // MARK: Detection under --trace-format auto

    struct DetectionCase: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        var format: String
        var testDescription: String { name }
    }

    static let detectionCases: [DetectionCase] = [
        DetectionCase(name: "native CSV", file: "t.csv", text: "arrival_s,model,input_tokens,output_tokens\n0,a,1,1\n", format: "native CSV"),
        DetectionCase(name: "native CSV, columns reordered and extra", file: "t.csv",
                      text: "model,note,output_tokens,input_tokens,arrival_s\na,x,1,1,0\n", format: "native CSV"),
        DetectionCase(name: "native CSV, quoted header, BOM, CRLF", file: "t.csv",
                      text: "\u{FEFF}\"arrival_s\",\"model\",\"input_tokens\",\"output_tokens\"\r\n0,a,1,1\r\n", format: "native CSV"),
        DetectionCase(name: "native JSONL", file: "t.jsonl",
                      text: "{\"arrival_s\":0,\"model\":\"a\",\"input_tokens\":1,\"output_tokens\":1}\n", format: "native JSONL"),
        DetectionCase(name: "native JSONL, keys reordered", file: "t.json",
                      text: "{ \"output_tokens\": 1, \"model\": \"a\", \"arrival_s\": 0, \"input_tokens\": 1 }\n", format: "native JSONL"),
        DetectionCase(name: "native content, odd extension", file: "trace.txt",
                      text: "arrival_s,model,input_tokens,output_tokens\n0,a,1,1\n", format: "native CSV"),
        DetectionCase(name: "azure-llm", file: "azure.csv",
                      text: "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n", format: "azure-llm"),
        DetectionCase(name: "azure-llm, columns reordered", file: "azure.csv",
                      text: "GeneratedTokens,TIMESTAMP,ContextTokens\n10,2023-11-16 18:17:03.9799600,4808\n", format: "azure-llm"),
    ]

    @Test(arguments: detectionCases) func detects(_ c: DetectionCase) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(c.file, c.text)
        let t = try R.read(path, models: ["a"])
        #expect(t.report.format == c.format)
        #expect(t.requests.count == 1)
        #expect(t.arrivals == [0])
    }

    @Test func nativeFormatNamedExplicitlyReadsCSVAndJSONL() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("t.csv", "arrival_s,model,input_tokens,output_tokens\n1,a,2,3\n")
        let jsonl = try dir.write("t.jsonl", "{\"arrival_s\":1,\"model\":\"a\",\"input_tokens\":2,\"output_tokens\":3}\n")
        let native = R.options { $0.format = .native }
        #expect(try R.read(csv, native, models: ["a"]).report.format == "native CSV")
        #expect(try R.read(jsonl, native, models: ["a"]).report.format == "native JSONL")
        #expect(try R.read(csv, native, models: ["a"]).requests == R.read(jsonl, native, models: ["a"]).requests)
    }

    @Test func azureFormatNamedExplicitly() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17:04.0319600,3180,8")
        let t = try R.read(path, R.options { $0.format = .azureLLM }, models: ["a"])
        #expect(t.report.format == "azure-llm")
        #expect(t.arrivals == [0, 52_000_000])
    }

    @Test func azureFormatNamedOnAFileLackingItsColumns() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.csv", "TIMESTAMP,ContextTokens\n2023-11-16 18:17:03,1\n")
        #expect(throws: TraceError.missingColumns(file: path, missing: ["GeneratedTokens"], header: ["TIMESTAMP", "ContextTokens"])) {
            try R.read(path, R.options { $0.format = .azureLLM }, models: ["a"])
        }
    }

    @Test func nativeFormatNamedOnAnAzureFileNamesTheMissingColumns() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,1,1\n")
        let e = #expect(throws: TraceError.self) { try R.read(path, R.options { $0.format = .native }, models: ["a"]) }
        #expect(e == .missingColumns(file: path, missing: ["arrival_s", "model", "input_tokens", "output_tokens"],
                                     header: ["TIMESTAMP", "ContextTokens", "GeneratedTokens"]))
    }

    @Test func undetectableCSVSaysWhichFlagsAreNeeded() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.csv", "time,prompt_len,out_len\n1,2,3\n")
        let e = #expect(throws: TraceError.self) { try R.read(path) }
        guard case let .undetectable(file, header, hint) = e else {
            Issue.record("expected an undetectable-format error, got \(String(describing: e))")
            return
        }
        #expect(file == path && header == "time,prompt_len,out_len")
        #expect(hint.contains("--trace-format csv"))
        #expect(hint.contains("--map arrival=COLUMN[:s|ms|us|ns|datetime]"))
        for flag in ["--model-mix", "--input-tokens", "--output-tokens"] { #expect(hint.contains(flag), "hint lacks \(flag): \(hint)") }
        #expect(e!.description.hasPrefix("\(path): cannot tell the trace format from its first line 'time,prompt_len,out_len'; "))
    }

    @Test func undetectableJSONLSaysWhichFlagsAreNeeded() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", "{\"ts\":1,\"model\":\"a\",\"input_tokens\":1,\"output_tokens\":1}\n")
        let e = #expect(throws: TraceError.self) { try R.read(path) }
        guard case let .undetectable(file, _, hint) = e else {
            Issue.record("expected an undetectable-format error, got \(String(describing: e))")
            return
        }
        #expect(file == path)
        #expect(hint.contains("--trace-format jsonl"))
        #expect(hint.contains("--map arrival=KEY[:UNIT]"))
    }

    @Test func undetectableHeaderIsShortenedInTheMessage() throws {
        let dir = try TemporaryDirectory()
        let long = (0..<100).map { "column_\($0)" }.joined(separator: ",")
        let path = try dir.write("t.csv", long + "\n")
        let e = #expect(throws: TraceError.self) { try R.read(path) }
        guard case let .undetectable(_, header, _) = e else {
            Issue.record("expected an undetectable-format error, got \(String(describing: e))")
            return
        }
        #expect(header == String(long.prefix(120)))
    }

    @Test func nonNativeJSONLNamedNativeIsReadAsNative() throws {
        // --trace-format native on JSON Lines goes to the native reader, whose error names the missing key.
        let dir = try TemporaryDirectory()
        let path = try dir.write("t.jsonl", "{\"ts\":1,\"model\":\"a\",\"input_tokens\":1,\"output_tokens\":1}\n")
        #expect(throws: TraceError.malformed(file: path, line: 1, column: "arrival_s", value: "", reason: "missing key 'arrival_s'")) {
            try R.read(path, R.options { $0.format = .native }, models: ["a"])
        }
    }
}
