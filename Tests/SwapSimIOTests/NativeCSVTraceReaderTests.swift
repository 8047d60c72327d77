import SwapSimCore
import SwapSimIO
import Testing

@Suite struct NativeCSVTraceReaderTests {
    static let models = ["llama", "mistral"]
    static let header = "arrival_s,model,input_tokens,output_tokens"

    /// Writes `text` to a trace file in a fresh folder and reads every request from it.
    func read(_ text: String) throws -> (requests: [TraceRequest], rows: Int) {
        let dir = try TemporaryDirectory()
        let path = try dir.write("trace.csv", text)
        let reader = try TraceInput(path: path, options: TraceInputOptions(), models: Self.models)
        var out: [TraceRequest] = []
        while let r = try reader.next() { out.append(r) }
        return (out, reader.report.rows)
    }

    func request(_ ns: Int64, _ model: Int, _ input: Int32, _ output: Int32) -> TraceRequest {
        TraceRequest(arrival: SimInstant(nanoseconds: ns), model: model, inputTokens: input, outputTokens: output)
    }

    @Test func readsRowsInOrderWithExactNanosecondArrivals() throws {
        let (requests, rows) = try read("""
            \(Self.header)
            0.000000001,llama,10,20
            3,mistral,1,1
            12.5,llama,300,4000
            12.5,mistral,7,8
            4000.123456789,llama,1,2

            """)
        #expect(requests == [
            request(1, 0, 10, 20),
            request(3_000_000_000, 1, 1, 1),
            request(12_500_000_000, 0, 300, 4000),
            request(12_500_000_000, 1, 7, 8),
            request(4_000_123_456_789, 0, 1, 2),
        ])
        #expect(rows == 5)
    }

    @Test func digitsPastTheNanosecondRoundHalfUp() throws {
        let (requests, _) = try read("\(Self.header)\n0.0000000014,llama,1,1\n0.0000000015,llama,1,1\n")
        #expect(requests.map(\.arrival.nanoseconds) == [1, 2])
    }

    @Test func columnsInAnyOrderAndExtraColumnsIgnored() throws {
        let (requests, _) = try read("""
            user,output_tokens,model,note,arrival_s,input_tokens
            alice,20,mistral,hello,0.5,10
            bob,2,llama,,1.25,1

            """)
        #expect(requests == [request(500_000_000, 1, 10, 20), request(1_250_000_000, 0, 1, 2)])
    }

    @Test func crlfLineEndings() throws {
        let (requests, _) = try read("\(Self.header)\r\n1,llama,10,20\r\n2,mistral,3,4\r\n")
        #expect(requests == [request(1_000_000_000, 0, 10, 20), request(2_000_000_000, 1, 3, 4)])
    }

    @Test func noTrailingNewline() throws {
        let (requests, _) = try read("\(Self.header)\n1,llama,10,20\n2,mistral,3,4")
        #expect(requests == [request(1_000_000_000, 0, 10, 20), request(2_000_000_000, 1, 3, 4)])
    }

    @Test func noTrailingNewlineWithCRLF() throws {
        let (requests, _) = try read("\(Self.header)\r\n1,llama,10,20\r\n2,mistral,3,4\r")
        #expect(requests == [request(1_000_000_000, 0, 10, 20), request(2_000_000_000, 1, 3, 4)])
    }

    @Test func blankLinesSkipped() throws {
        let (requests, rows) = try read("\(Self.header)\n\n1,llama,10,20\n   \n\t\n\r\n2,mistral,3,4\n\n")
        #expect(requests == [request(1_000_000_000, 0, 10, 20), request(2_000_000_000, 1, 3, 4)])
        #expect(rows == 2)
    }

    @Test func byteOrderMarkBeforeHeader() throws {
        let (requests, _) = try read("\u{FEFF}\(Self.header)\n1,llama,10,20\n")
        #expect(requests == [request(1_000_000_000, 0, 10, 20)])
    }

    @Test func headerOnlyIsAnEmptyTrace() throws {
        let (requests, _) = try read("\(Self.header)\n")
        #expect(requests.isEmpty)
    }

    /// A line longer than the reader's buffer still reads whole.
    @Test func longLines() throws {
        let pad = String(repeating: "x", count: 3 << 20)
        let (requests, _) = try read("\(Self.header),note\n1,llama,10,20,\(pad)\n2,mistral,3,4,y\n")
        #expect(requests == [request(1_000_000_000, 0, 10, 20), request(2_000_000_000, 1, 3, 4)])
    }

    // MARK: Errors

    struct BadRow: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        /// The message after "<file>:".
        var message: String
        var testDescription: String { name }
    }

    static let badRows: [BadRow] = [
        BadRow(name: "missing column in header",
               text: "arrival_s,model,input_tokens\n1,llama,10\n",
               message: "1: header lacks column(s) output_tokens (found: arrival_s, model, input_tokens)"),
        BadRow(name: "non-numeric arrival",
               text: "\(header)\n1,llama,10,20\nsoon,llama,10,20\n",
               message: "3: column 'arrival_s': expected seconds, a non-negative decimal number (value 'soon')"),
        BadRow(name: "negative arrival",
               text: "\(header)\n-1,llama,10,20\n",
               message: "2: column 'arrival_s': arrivals cannot be negative (value '-1')"),
        BadRow(name: "empty arrival",
               text: "\(header)\n,llama,10,20\n",
               message: "2: column 'arrival_s': missing arrival (value '')"),
        BadRow(name: "non-numeric input tokens",
               text: "\(header)\n1,llama,12x,20\n",
               message: "2: column 'input_tokens': expected a whole number of tokens (value '12x')"),
        BadRow(name: "fractional output tokens",
               text: "\(header)\n1,llama,12,2.5\n",
               message: "2: column 'output_tokens': expected a whole number of tokens (value '2.5')"),
        BadRow(name: "empty output tokens",
               text: "\(header)\n1,llama,12,\n",
               message: "2: column 'output_tokens': missing token count (value '')"),
        BadRow(name: "negative tokens",
               text: "\(header)\n1,llama,10,-5\n",
               message: "2: column 'output_tokens': token counts cannot be negative (value '-5')"),
        BadRow(name: "zero tokens",
               text: "\(header)\n1,llama,0,5\n",
               message: "2: column 'input_tokens': a request needs at least one token (value '0')"),
        BadRow(name: "token count too large",
               text: "\(header)\n1,llama,99999999999,5\n",
               message: "2: column 'input_tokens': token count too large (value '99999999999')"),
        BadRow(name: "too few fields",
               text: "\(header)\n1,llama,10,20\n2,llama,10\n",
               message: "3: column '(row)': expected 4 comma-separated fields, found 3 (value '2,llama,10')"),
        BadRow(name: "too many fields",
               text: "\(header)\n1,llama,10,20,extra\n",
               message: "2: column '(row)': expected 4 comma-separated fields, found 5 (value '1,llama,10,20,extra')"),
        BadRow(name: "unsorted arrivals",
               text: "\(header)\n2,llama,10,20\n1.5,mistral,10,20\n",
               message: "3: arrival 1.500000 s is before the previous row's 2.000000 s; traces must be sorted by arrival (--sort sorts them in memory)"),
        BadRow(name: "unknown model",
               text: "\(header)\n1,llama,10,20\n2,gpt-5,10,20\n",
               message: "3: column 'model': model 'gpt-5' (1 row, first at line 3) not in the scenario (scenario models: llama, mistral; map names with --model-map TRACE=SCENARIO)"),
        BadRow(name: "line numbers count blank lines",
               text: "\(header)\n\n1,llama,10,20\n\n2,llama,x,20\n",
               message: "5: column 'input_tokens': expected a whole number of tokens (value 'x')"),
        BadRow(name: "line numbers with CRLF",
               text: "\(header)\r\n1,llama,10,20\r\n2,llama,10,0\r\n",
               message: "3: column 'output_tokens': a request needs at least one token (value '0')"),
    ]

    @Test(arguments: badRows)
    func badRowNamesFileLineAndColumn(_ c: BadRow) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("trace.csv", c.text)
        let error = #expect(throws: TraceError.self) {
            let reader = try TraceInput(path: path, options: TraceInputOptions(), models: Self.models)
            while try reader.next() != nil {}
        }
        #expect(error?.description == "\(path):\(c.message)")
    }

    @Test func rowsBeforeABadRowAreDelivered() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("trace.csv", "\(Self.header)\n1,llama,10,20\n2,llama,x,20\n")
        let reader = try TraceInput(path: path, options: TraceInputOptions(), models: Self.models)
        #expect(try reader.next() == request(1_000_000_000, 0, 10, 20))
        #expect(throws: TraceError.self) { try reader.next() }
    }

    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("empty.csv", "")
        let error = #expect(throws: TraceError.self) { try TraceInput(path: path, options: TraceInputOptions(), models: Self.models) }
        #expect(error == .empty(file: path))
        #expect(error?.description == "\(path): the trace is empty")
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("absent.csv").path
        let error = #expect(throws: TraceError.self) { try TraceInput(path: path, options: TraceInputOptions(), models: Self.models) }
        #expect(error?.description.hasPrefix("\(path): cannot read trace: ") == true)
    }

    /// A folder is not a trace: the error must say it cannot be read, not that it lacks a header.
    @Test func directoryIsUnreadable() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: TraceError.self) { try TraceInput(path: dir.url.path, options: TraceInputOptions(), models: Self.models) }
        #expect(error?.description.hasPrefix("\(dir.url.path): cannot read trace: ") == true, "\(error?.description ?? "")")
    }
}
