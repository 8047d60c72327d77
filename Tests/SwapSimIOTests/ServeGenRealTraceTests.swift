import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The ServeGen data beside the project (`../shared/traces/alibaba-servegen/data`), which a
/// user's checkout does not have; the tests that need it are skipped without it.
enum ServeGenData {
    static let root = Fixtures.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/traces/alibaba-servegen/data")

    static func folder(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static var available: Bool {
        ["language/m-large", "reason/deepseek-r1"].allSatisfy { FileManager.default.fileExists(atPath: folder($0)) }
    }

    /// Each client's rows of a folder with window start below `seconds`: (start, rate), read
    /// here with a plain split, independently of the reader under test.
    static func rates(_ relative: String, below seconds: Int) throws -> [String: [(start: Int, rate: Double)]] {
        let dir = folder(relative)
        var out: [String: [(start: Int, rate: Double)]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix("-trace.csv") {
            // The files end lines with CRLF; only the first rows are split.
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            var rows: [(start: Int, rate: Double)] = []
            for raw in bytes.split(separator: 10, maxSplits: seconds / 600 + 1) {
                let f = String(decoding: raw, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                guard let start = Int(f[0]), start < seconds else { break }
                rows.append((start, Double(f[1])!))
            }
            out[String(name.dropFirst("chunk-".count).dropLast("-trace.csv".count))] = rows
        }
        return out
    }
}

/// ServeGen replay on the real files of `../shared/traces/alibaba-servegen` (language/m-large and
/// reason/deepseek-r1).
@Suite(.enabled(if: ServeGenData.available, "needs ../shared/traces/alibaba-servegen (not in a user's checkout)"))
struct ServeGenRealTraceTests {
    /// m-large's first hour: 162 clients, 248 non-empty client-windows, Σ rate × 600 = 739,275
    /// requests. With each window's count variance about CV² × its mean, the total's standard
    /// deviation is about 3,700 (0.5%); tolerance 2%.
    @Test func mLargeFirstHourCountMatchesTheRates() throws {
        let expected = try ServeGenData.rates("language/m-large", below: 3600).values
            .reduce(0.0) { total, rows in rows.reduce(total) { $0 + $1.rate * 600 } }
        let source = try ServeGenSource(
            paths: [ServeGenData.folder("language/m-large")], options: .init(duration: .seconds(3600), seed: 1))
        #expect(source.modelNames == ["m-large"])
        #expect(source.clients.count == 162)
        #expect(abs(source.expectedRequests - expected) < 1e-6 * expected)
        // m-large has no dataset files: token counts are left for the pipeline to fill.
        #expect(!source.hasInputTokens && !source.hasOutputTokens)
        var count = 0
        var previous: Int64 = 0
        var sorted = true
        var inSpan = true
        while let row = try source.nextRow() {
            count += 1
            sorted = sorted && row.arrival >= previous
            inSpan = inSpan && row.arrival < 3_600_000_000_000 && row.model == 0 && row.inputTokens == 0
            previous = row.arrival
        }
        #expect(sorted && inSpan)
        #expect(abs(Double(count) - expected) <= 0.02 * expected, "\(count) requests, Σ rate × 600 = \(expected)")
    }

    /// deepseek-r1's first hour (about 69,500 requests): every request's lengths come from its
    /// client's dataset window 0. Each client is mapped to a model of its own, so the rows tell
    /// how many requests each client drew; the mean prompt length must match the clients'
    /// distribution means weighted by those counts. Prompt lengths have a standard deviation of
    /// about 1,600 tokens around a mean near 1,000, so the sample mean's is about 0.6%;
    /// tolerance 3%.
    @Test func deepseekR1TokenLengthsComeFromTheDatasets() throws {
        let dir = ServeGenData.folder("reason/deepseek-r1")
        var meanInput: [String: Double] = [:]
        for (client, rows) in try ServeGenData.rates("reason/deepseek-r1", below: 3600) where rows.contains(where: { $0.rate > 0 }) {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/chunk-\(client)-dataset.json"))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: String]])
            let literal = try #require(json["0"]?["input_tokens"])
            var sum = 0.0
            var total = 0.0
            for item in Array(literal.utf8.dropFirst().dropLast()).split(separator: UInt8(ascii: ",")) {
                let kv = item.split(separator: UInt8(ascii: ":")).map { Double(String(decoding: $0.filter { $0 != 32 }, as: UTF8.self))! }
                sum += kv[0] * kv[1]
                total += kv[1]
            }
            #expect(total > 0, "client \(client) has requests but no prompt lengths in window 0")
            meanInput["r1-\(client)"] = sum / total
        }
        let mapping = Dictionary(uniqueKeysWithValues: meanInput.keys.map { ("deepseek-r1/\($0.dropFirst(3))", $0) })

        let source = try ServeGenSource(paths: [dir], options: .init(duration: .seconds(3600), mapping: .byClient(mapping), seed: 1))
        #expect(source.hasInputTokens && source.hasOutputTokens)
        var perModel = [Int](repeating: 0, count: source.modelNames.count)
        var sum = 0.0
        var filled = true
        while let row = try source.nextRow() {
            perModel[Int(row.model)] += 1
            sum += Double(row.inputTokens)
            filled = filled && row.inputTokens > 0 && row.outputTokens > 0
        }
        #expect(filled)
        let count = perModel.reduce(0, +)
        #expect(abs(Double(count) - source.expectedRequests) <= 0.02 * source.expectedRequests, "\(count) requests")
        let expectedMean = zip(source.modelNames, perModel).reduce(0.0) { $0 + meanInput[$1.0]! * Double($1.1) } / Double(count)
        let mean = sum / Double(count)
        #expect(abs(mean - expectedMean) <= 0.03 * expectedMean, "mean prompt \(mean) tokens, datasets say \(expectedMean)")
    }
}
