import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// ServeGen replay on small folders the tests write: two clients with known rates and fits.
@Suite struct ServeGenSourceTests {
    /// Client 0: window 0 a bursty Gamma whose fit (mean gap 0.5 s) disagrees with its rate (5/s),
    /// window 600 empty, window 1200 a Weibull. Client 1: a Weibull, a Gamma, then empty.
    static let client0 = """
        0,5,1.41,Gamma,0.5,1.0
        600,0,0,,0,0
        1200,2,1.46,Weibull,0.7,0.4

        """
    static let client1 = """
        0,1,0.68,Weibull,1.5,0.9
        600,3,0.71,Gamma,2.0,0.2
        1200,0,0,,0,0

        """
    /// Rates by client and window, as the files state them.
    static let rates: [[Double]] = [[5, 0, 2], [1, 3, 0]]

    /// A fresh folder `m-test` holding the two clients (and `extra` files), and its path.
    func folder(_ extra: [String: String] = [:], client0: String = client0) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("m-test").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var files = ["chunk-0-trace.csv": client0, "chunk-1-trace.csv": Self.client1]
        files.merge(extra) { _, new in new }
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name)) }
        return (dir, path)
    }

    /// Every row of `source`.
    func drain(_ source: ServeGenSource) throws -> [TraceRow] {
        var rows: [TraceRow] = []
        while let r = try source.nextRow() { rows.append(r) }
        return rows
    }

    static let byClient = ServeGenSource.Mapping.byClient(["m-test/0": "a", "m-test/1": "b"])

    @Test func meanRatePerWindowMatchesTheRateColumn() throws {
        let (dir, path) = try folder()
        _ = dir
        // Mean over 20 seeds of each client-window's count. A renewal count's variance is about
        // CV² × its mean; the gaps' CV² is at most 2.4 (the Weibull of shape 0.7), so the mean
        // count's standard deviation is at most 12 (client 0's third window, 1200 expected):
        // tolerance 4% of the expected count, at least 4 sd everywhere.
        let seeds: [UInt64] = Array(1...20)
        var counts = [[Double]](repeating: [0, 0, 0], count: 2)
        for seed in seeds {
            let source = try ServeGenSource(
                paths: [path], options: .init(duration: .seconds(1800), mapping: Self.byClient, seed: seed))
            #expect(source.modelNames == ["a", "b"])
            for r in try drain(source) { counts[Int(r.model)][Int(r.arrival / 600_000_000_000)] += 1 }
        }
        for c in 0..<2 {
            for w in 0..<3 {
                let mean = counts[c][w] / Double(seeds.count)
                let expected = Self.rates[c][w] * 600
                #expect(abs(mean - expected) <= 0.04 * expected, "client \(c) window \(w): mean count \(mean), expected \(expected)")
            }
        }
    }

    @Test func expectedRequestsIsTheSumOfRatesOverTheSpan() throws {
        let (dir, path) = try folder()
        _ = dir
        let whole = try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800)))
        #expect(whole.expectedRequests == (5 + 2 + 1 + 3) * 600)
        // A span from the middle of window 0 to the middle of window 600, at twice the rate.
        let half = try ServeGenSource(paths: [path], options: .init(start: .seconds(300), duration: .seconds(600), rateScale: 2))
        #expect(half.expectedRequests == 2 * ((5 + 1) * 300 + 3 * 300))
        let rows = try drain(half)
        #expect(rows.allSatisfy { $0.arrival >= 0 && $0.arrival < 600_000_000_000 })
        #expect(abs(Double(rows.count) - half.expectedRequests) <= 0.05 * half.expectedRequests, "\(rows.count) rows")
    }

    @Test func emptyWindowsYieldNothing() throws {
        let (dir, path) = try folder()
        _ = dir
        for seed: UInt64 in 1...5 {
            let rows = try drain(try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800), mapping: Self.byClient, seed: seed)))
            #expect(!rows.contains { $0.model == 0 && $0.arrival >= 600_000_000_000 && $0.arrival < 1_200_000_000_000 }, "seed \(seed)")
            #expect(!rows.contains { $0.model == 1 && $0.arrival >= 1_200_000_000_000 }, "seed \(seed)")
        }
        // A span inside windows that are empty for every selected client gives no rows at all.
        let quiet = try ServeGenSource(
            paths: [path], options: .init(start: .seconds(700), duration: .seconds(100), clients: ["0"]))
        #expect(try quiet.nextRow() == nil)
        #expect(quiet.expectedRequests == 0)
        #expect(!quiet.hasInputTokens && !quiet.hasOutputTokens)
    }

    @Test func rowsAreMergedInArrivalOrderWithinTheSpan() throws {
        let (dir, path) = try folder()
        _ = dir
        let source = try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800), mapping: Self.byClient, seed: 7))
        let rows = try drain(source)
        #expect(rows.count > 5000)
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.arrival <= $1.arrival })
        #expect(rows.allSatisfy { $0.arrival >= 0 && $0.arrival < 1_800_000_000_000 && $0.line == 0 })
        #expect(Set(rows.map(\.model)) == [0, 1])
        #expect(source.rows == rows.count)
        #expect(source.hasModel && !source.absoluteArrivals)
        #expect(source.clients == ["m-test/0", "m-test/1"])
        // Without a dataset, token counts are missing.
        #expect(!source.hasInputTokens && !source.hasOutputTokens)
        #expect(rows.allSatisfy { $0.inputTokens == 0 && $0.outputTokens == 0 })
    }

    @Test func theSameSeedGivesTheSameRowsAndClientsDoNotShiftEachOther() throws {
        let (dir, path) = try folder()
        _ = dir
        let options = ServeGenSource.Options(duration: .seconds(1800), mapping: Self.byClient, seed: 42)
        let a = try drain(try ServeGenSource(paths: [path], options: options))
        let b = try drain(try ServeGenSource(paths: [path], options: options))
        #expect(a == b)
        var other = options
        other.seed = 43
        #expect(try drain(try ServeGenSource(paths: [path], options: other)) != a)
        // Client 0 alone draws exactly the requests it draws beside client 1.
        var alone = options
        alone.clients = ["m-test/0"]
        let solo = try drain(try ServeGenSource(paths: [path], options: alone))
        #expect(solo == a.filter { $0.model == 0 })
    }

    @Test func datasetDistributionsGiveTokenCounts() throws {
        // Window 0: inputs 100 or 200 (1:3), outputs 10. Window 600 leaves inputs empty (carried
        // from 0) and sets outputs to 20. Window 1200: inputs 300. An unused field is skipped.
        let dataset = #"""
            {
              "0": {"input_tokens": "{100: 0.25, 200: 0.75}", "output_tokens": "{10: 1.0}", "reason_ratio": "{0.0: 1.0}"},
              "600": {"input_tokens": "{}", "output_tokens": "{20: 1.0}"},
              "1200": {"input_tokens": "{300: 1.0}", "output_tokens": "{30: 0.5, 40: 0.5}"}
            }
            """#
        let client0 = """
            0,5,1.41,Gamma,0.5,1.0
            600,1,1,Gamma,1,1
            1200,2,1.46,Weibull,0.7,0.4

            """
        let (dir, path) = try folder(["chunk-0-dataset.json": dataset], client0: client0)
        _ = dir
        let source = try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800), seed: 3, clients: ["0"]))
        #expect(source.hasInputTokens && source.hasOutputTokens)
        let rows = try drain(source)
        let w0: [TraceRow] = rows.filter { $0.arrival < 600_000_000_000 }
        let w1: [TraceRow] = rows.filter { $0.arrival >= 600_000_000_000 && $0.arrival < 1_200_000_000_000 }
        let w2: [TraceRow] = rows.filter { $0.arrival >= 1_200_000_000_000 }
        let inputs0: Set<Int32> = Set(w0.map(\TraceRow.inputTokens))
        let outputs0: Set<Int32> = Set(w0.map(\TraceRow.outputTokens))
        #expect(inputs0 == [100, 200] && outputs0 == [10])
        let long: Int = w0.filter { $0.inputTokens == 200 }.count
        let share200: Double = Double(long) / Double(w0.count)
        #expect(abs(share200 - 0.75) < 0.03, "share of 200-token prompts \(share200) over \(w0.count) rows")
        let inputs1: Set<Int32> = Set(w1.map(\TraceRow.inputTokens))
        let outputs1: Set<Int32> = Set(w1.map(\TraceRow.outputTokens))
        #expect(inputs1 == [100, 200] && outputs1 == [20])
        let inputs2: Set<Int32> = Set(w2.map(\TraceRow.inputTokens))
        let outputs2: Set<Int32> = Set(w2.map(\TraceRow.outputTokens))
        #expect(inputs2 == [300] && outputs2 == [30, 40])

        // Beside a client without a dataset, rows are not all filled: the flags say so.
        let both = try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800), seed: 3))
        #expect(!both.hasInputTokens && !both.hasOutputTokens)
        let mixed = try drain(both)
        #expect(mixed.contains { $0.inputTokens == 0 } && mixed.contains { $0.inputTokens > 0 })
    }

    @Test func multimodalDatasetsSumTheirModalities() throws {
        let dataset = #"""
            {"0": {"text_tokens": "{100: 1.0}", "image_tokens": "{1000: 0.5, 2000: 0.5}", "audio_tokens": "{0: 1.0}",
                   "video_tokens": "{0: 1.0}", "image_count": "{1: 1.0}", "output_tokens": "{25: 1.0}"}}
            """#
        let (dir, path) = try folder(["chunk-0-dataset.json": dataset])
        _ = dir
        let rows = try drain(try ServeGenSource(paths: [path], options: .init(duration: .seconds(600), clients: ["0"])))
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { ($0.inputTokens == 1100 || $0.inputTokens == 2100) && $0.outputTokens == 25 })
    }

    @Test func aRateWithoutAFitIsReplayedAsPoisson() throws {
        let (dir, path) = try folder(client0: "0,2,1,,0,0\n")
        _ = dir
        let source = try ServeGenSource(paths: [path], options: .init(duration: .seconds(600), clients: ["0"]))
        let n = try drain(source).count
        // Poisson: sd √1200 ≈ 35; tolerance 5 sd.
        #expect(abs(n - 1200) <= 175, "\(n) rows")
    }

    @Test func foldersMapToModels() throws {
        let (dir, path) = try folder()
        _ = dir
        let renamed = try ServeGenSource(paths: [path], options: .init(duration: .seconds(60), mapping: .byFolder(["m-test": "llama"])))
        #expect(renamed.modelNames == ["llama"])
        #expect(renamed.path == path)
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path], options: .init(duration: .seconds(60), mapping: .byFolder(["other": "x"]))) }
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path], options: .init(duration: .seconds(60), mapping: .byClient(["m-test/9": "x"]))) }
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path], options: .init(duration: .seconds(60), clients: ["9"])) }
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path], options: .init(duration: .zero)) }
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path, path], options: .init(duration: .seconds(60))) }
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [dir.url.appendingPathComponent("missing").path], options: .init(duration: .seconds(60))) }
    }

    /// A bad row on line 2 of client 0's trace, and the column its error must name.
    static let badRows: [(row: String, column: String)] = [
        ("600,1,1,Gamma,0.5", "(row)"),
        ("ten,1,1,Gamma,0.5,1", "timestamp"),
        ("600,-1,1,Gamma,0.5,1", "rate"),
        ("600,1,nan,Gamma,0.5,1", "cv"),
        ("600,1,1,Lognormal,0.5,1", "pat_name"),
        ("600,1,1,Gamma,0,1", "pat_arg1"),
        ("600,1,1,Weibull,0.5,x", "pat_arg2"),
        ("300,1,1,Gamma,0.5,1", "timestamp"),
        ("600,1,1,Weibull,0.001,1", "pat_arg1"),
    ]

    @Test(arguments: badRows)
    func malformedTraceRowsNameFileLineAndColumn(_ bad: (row: String, column: String)) throws {
        let (dir, path) = try folder(client0: "0,1,1,Gamma,0.5,1\n\(bad.row)\n1200,1,1,Gamma,0.5,1\n")
        _ = dir
        let file = URL(fileURLWithPath: path).appendingPathComponent("chunk-0-trace.csv").path
        do {
            _ = try ServeGenSource(paths: [path], options: .init(duration: .seconds(1800)))
            Issue.record("no error for \(bad.row)")
        } catch {
            guard case let .malformed(f, line, column, _, _) = error else { Issue.record("\(error)"); return }
            #expect(f == file && line == 2 && column == bad.column, "\(error)")
            #expect(error.description.hasPrefix("\(file):2: column '\(bad.column)'"), "\(error)")
        }
    }

    /// A bad dataset file, the line its error must name, and the column (key path).
    static let badDatasets: [(json: String, line: Int, column: String)] = [
        ("{\n\"0\": {\n\"input_tokens\": \"{1: 0.5, x: 0.5}\"}\n}", 3, "0.input_tokens"),
        ("{\n\"0\": {\n\"output_tokens\": \"{1: -0.5}\"}\n}", 3, "0.output_tokens"),
        ("{\n\"0\": {\n\"input_tokens\": \"[1, 2]\"}\n}", 3, "0.input_tokens"),
        ("{\n\"0\": {\n\"input_tokens\": \"{1: 1.0}\"\n\"output_tokens\": \"{}\"}}", 4, "0"),
        ("{\n\n\"six\": {}}", 3, "(window key)"),
        ("{\"0\": {\"input_tokens\": 5}}", 1, "0.input_tokens"),
    ]

    @Test(arguments: badDatasets)
    func malformedDatasetsNameFileLineAndKey(_ bad: (json: String, line: Int, column: String)) throws {
        let (dir, path) = try folder(["chunk-0-dataset.json": bad.json])
        _ = dir
        let file = URL(fileURLWithPath: path).appendingPathComponent("chunk-0-dataset.json").path
        #expect(throws: TraceError.self) { try ServeGenSource(paths: [path], options: .init(duration: .seconds(600))) }
        do {
            _ = try ServeGenSource(paths: [path], options: .init(duration: .seconds(600)))
        } catch {
            guard case let .malformed(f, line, column, _, _) = error else { Issue.record("\(error)"); return }
            #expect(f == file && line == bad.line && column == bad.column, "\(error)")
        }
    }
}
