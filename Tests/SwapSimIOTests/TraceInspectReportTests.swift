import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The report of `swapsim trace inspect`: goldens of both formats over a hand-made trace, the
/// JSON contract, the span wording, and byte-stable output.
@Suite struct TraceInspectReportTests {
    static func request(_ seconds: Double, _ model: Int, input: Int32, output: Int32) -> TraceRequest {
        TraceRequest(arrival: SimInstant(nanoseconds: Int64((seconds * 1e9).rounded())), model: model, inputTokens: input, outputTokens: output)
    }

    /// Seven requests from 3 s to 203 s: "chat" at 3, 13, 23, 103 s; "code" at 8, 68, 203 s;
    /// "sql" never. Two prompts are above the exact token limit (2,500 and 12,000).
    static func fixture() -> TraceInspectReport {
        let requests = [
            request(3, 1, input: 100, output: 1),
            request(8, 0, input: 2_500, output: 20),
            request(13, 1, input: 300, output: 3),
            request(23, 1, input: 400, output: 4),
            request(68, 0, input: 500, output: 50),
            request(103, 1, input: 600, output: 6),
            request(203, 0, input: 12_000, output: 700),
        ]
        var stats = TraceStatistics(modelCount: 3)
        for r in requests { stats.add(r) }
        return TraceInspectReport(trace: "traces/tiny.csv", summary: stats.summary(modelNames: ["code", "chat", "sql"]))
    }

    /// Reports where the first differing line is, so a failure is readable.
    func expectSame(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard actual != expected else { return }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        Issue.record(
            """
            output differs from the golden at line \(i + 1):
              golden: \(i < e.count ? String(e[i]) : "<end>")
              actual: \(i < a.count ? String(a[i]) : "<end>")
            """, sourceLocation: sourceLocation)
    }

    // MARK: Goldens

    @Test func tableGolden() {
        let expected = """
        swapsim trace inspect · traces/tiny.csv
        7 requests over 3 min 20 s

        span              3 min 20 s (200.000 s)
        first arrival     3.000 s
        last arrival      203.000 s
        mean rate         2.1 per minute
        peak rate         4 per minute (the minute from +0.000 s)
        inter-arrival CV  1.005

        token lengths (quantiles exact below 2,048, else within 0.05%)
                min     mean  p50     p90     p99     max
        -------------------------------------------------
        input   100  2,342.9  500  12,000  12,000  12,000
        output    1    112.0    6     700     700     700

        models
        model  requests  share  per minute    first       last
        ------------------------------------------------------
        chat          4  57.1%         1.2  3.000 s  103.000 s
        code          3  42.9%         0.9  8.000 s  203.000 s
        sql           0   0.0%         0.0        —          —

        gaps between consecutive requests (quantiles within 0.78%)
        model         gaps        mean     CV         p50         p90         p99         max  > 30 s  > 1 min  > 5 min  > 15 min
        -------------------------------------------------------------------------------------------------------------------------
        (all models)     6    33.333 s  1.005     9.999 s  1 min 40 s  1 min 40 s  1 min 40 s   50.0%    16.7%     0.0%      0.0%
        chat             3    33.333 s  0.990    10.033 s  1 min 20 s  1 min 20 s  1 min 20 s   33.3%    33.3%     0.0%      0.0%
        code             2  1 min 38 s  0.385  1 min 00 s  2 min 15 s  2 min 15 s  2 min 15 s  100.0%    50.0%     0.0%      0.0%
        sql              0           —      —           —           —           —           —       —        —        —         —

        """
        expectSame(Self.fixture().table(), expected)
        expectSame(Self.fixture().render(.table), expected)
    }

    @Test func jsonGolden() {
        let expected = """
        {
          "schema": "swapsim.trace-inspect/1",
          "trace": "traces/tiny.csv",
          "rows": 7,
          "first_arrival_s": 3.0,
          "last_arrival_s": 203.0,
          "span_s": 200.0,
          "span": "3 min 20 s",
          "rate_per_minute": {
            "mean": 2.1,
            "peak": 4,
            "peak_minute_start_s": 0.0
          },
          "inter_arrival_s": {
            "count": 6,
            "mean": 33.333333333,
            "cv": 1.0049875621120892,
            "min": 5.0,
            "p50": 9.999220736,
            "p90": 100.0,
            "p99": 100.0,
            "max": 100.0,
            "longer_than": [
              {
                "threshold_s": 30.0,
                "count": 3,
                "share": 0.5
              },
              {
                "threshold_s": 60.0,
                "count": 1,
                "share": 0.16666666666666666
              },
              {
                "threshold_s": 300.0,
                "count": 0,
                "share": 0.0
              },
              {
                "threshold_s": 900.0,
                "count": 0,
                "share": 0.0
              }
            ]
          },
          "input_tokens": {
            "min": 100,
            "mean": 2342.8571428571427,
            "p50": 500,
            "p90": 12000,
            "p99": 12000,
            "max": 12000,
            "total": 16400
          },
          "output_tokens": {
            "min": 1,
            "mean": 112.0,
            "p50": 6,
            "p90": 700,
            "p99": 700,
            "max": 700,
            "total": 784
          },
          "model_column": true,
          "models": [
            {
              "model": "chat",
              "index": 1,
              "requests": 4,
              "share": 0.5714285714285714,
              "first_arrival_s": 3.0,
              "last_arrival_s": 103.0,
              "rate_per_minute": 1.2,
              "idle_gaps_s": {
                "count": 3,
                "mean": 33.333333333,
                "cv": 0.9899494936611665,
                "min": 10.0,
                "p50": 10.0331648,
                "p90": 80.0,
                "p99": 80.0,
                "max": 80.0,
                "longer_than": [
                  {
                    "threshold_s": 30.0,
                    "count": 1,
                    "share": 0.3333333333333333
                  },
                  {
                    "threshold_s": 60.0,
                    "count": 1,
                    "share": 0.3333333333333333
                  },
                  {
                    "threshold_s": 300.0,
                    "count": 0,
                    "share": 0.0
                  },
                  {
                    "threshold_s": 900.0,
                    "count": 0,
                    "share": 0.0
                  }
                ]
              }
            },
            {
              "model": "code",
              "index": 0,
              "requests": 3,
              "share": 0.42857142857142855,
              "first_arrival_s": 8.0,
              "last_arrival_s": 203.0,
              "rate_per_minute": 0.9,
              "idle_gaps_s": {
                "count": 2,
                "mean": 97.5,
                "cv": 0.38461538461538464,
                "min": 60.0,
                "p50": 60.0,
                "p90": 135.0,
                "p99": 135.0,
                "max": 135.0,
                "longer_than": [
                  {
                    "threshold_s": 30.0,
                    "count": 2,
                    "share": 1.0
                  },
                  {
                    "threshold_s": 60.0,
                    "count": 1,
                    "share": 0.5
                  },
                  {
                    "threshold_s": 300.0,
                    "count": 0,
                    "share": 0.0
                  },
                  {
                    "threshold_s": 900.0,
                    "count": 0,
                    "share": 0.0
                  }
                ]
              }
            },
            {
              "model": "sql",
              "index": 2,
              "requests": 0,
              "share": 0.0,
              "first_arrival_s": null,
              "last_arrival_s": null,
              "rate_per_minute": 0.0,
              "idle_gaps_s": null
            }
          ],
          "quantiles": {
            "definition": "nearest rank: the value of rank ceil(p*n/100)",
            "token_exact_below": 2048,
            "token_relative_error": 0.00048828125,
            "gap_relative_error": 0.0078125
          }
        }

        """
        expectSame(Self.fixture().json(), expected)
        expectSame(Self.fixture().render(.json), expected)
    }

    @Test func emptyTraceTableGolden() {
        let report = TraceInspectReport(trace: "empty.csv", summary: TraceStatistics(modelCount: 1).summary(modelNames: ["m"]))
        let expected = """
            swapsim trace inspect · empty.csv
            0 requests over 0.000 s

            span              —
            first arrival     —
            last arrival      —
            mean rate         —
            peak rate         —
            inter-arrival CV  —

            token lengths (quantiles exact below 2,048, else within 0.05%)
                    min  mean  p50  p90  p99  max
            -------------------------------------
            input     —     —    —    —    —    —
            output    —     —    —    —    —    —

            models
            model  requests  share  per minute  first  last
            -----------------------------------------------
            m             0   0.0%           —      —     —

            gaps between consecutive requests (quantiles within 0.78%)
            model         gaps  mean  CV  p50  p90  p99  max  > 30 s  > 1 min  > 5 min  > 15 min
            ------------------------------------------------------------------------------------
            (all models)     0     —   —    —    —    —    —       —        —        —         —
            m                0     —   —    —    —    —    —       —        —        —         —

            """
        expectSame(report.table(), expected)
    }

    // MARK: JSON contract

    @Test func jsonParsesWithEveryContractField() throws {
        let json = Self.fixture().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "swapsim.trace-inspect/1")
        #expect(object["trace"] as? String == "traces/tiny.csv")
        #expect((object["rows"] as? NSNumber)?.intValue == 7)
        #expect((object["span_s"] as? NSNumber)?.doubleValue == 200)
        #expect(object["span"] as? String == "3 min 20 s")
        let rate = try #require(object["rate_per_minute"] as? [String: Any])
        #expect((rate["peak"] as? NSNumber)?.intValue == 4)
        #expect((rate["mean"] as? NSNumber)?.doubleValue == 2.1)
        let gapKeys: Set = ["count", "mean", "cv", "min", "p50", "p90", "p99", "max", "longer_than"]
        let inter = try #require(object["inter_arrival_s"] as? [String: Any])
        #expect(Set(inter.keys) == gapKeys)
        let tokenKeys: Set = ["min", "mean", "p50", "p90", "p99", "max", "total"]
        for key in ["input_tokens", "output_tokens"] {
            let tokens = try #require(object[key] as? [String: Any])
            #expect(Set(tokens.keys) == tokenKeys, "\(key)")
        }
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["chat", "code", "sql"])
        #expect(models.map { ($0["requests"] as? NSNumber)?.intValue } == [4, 3, 0])
        let chatGaps = try #require(models[0]["idle_gaps_s"] as? [String: Any])
        #expect(Set(chatGaps.keys) == gapKeys)
        let longer = try #require(chatGaps["longer_than"] as? [[String: Any]])
        #expect(longer.map { ($0["threshold_s"] as? NSNumber)?.doubleValue } == [30, 60, 300, 900])
        #expect(longer.map { ($0["count"] as? NSNumber)?.intValue } == [1, 1, 0, 0])
        // Missing figures are null, not absent.
        #expect(models[2]["idle_gaps_s"] is NSNull)
        #expect(models[2]["first_arrival_s"] is NSNull)
        let quantiles = try #require(object["quantiles"] as? [String: Any])
        #expect((quantiles["token_exact_below"] as? NSNumber)?.intValue == 2_048)
    }

    @Test func emptyTraceJSONParsesWithNulls() throws {
        let report = TraceInspectReport(trace: "empty.csv", summary: TraceStatistics(modelCount: 0).summary(modelNames: []))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect((object["rows"] as? NSNumber)?.intValue == 0)
        for key in ["first_arrival_s", "last_arrival_s", "inter_arrival_s", "input_tokens", "output_tokens"] {
            #expect(object[key] is NSNull, "\(key)")
        }
        let rate = try #require(object["rate_per_minute"] as? [String: Any])
        #expect(rate["mean"] is NSNull && rate["peak_minute_start_s"] is NSNull)
        #expect((object["models"] as? [Any])?.isEmpty == true)
    }

    // MARK: Wording

    static let spans: [(seconds: Double, text: String)] = [
        (0, "0.000 s"),
        (42.25, "42.250 s"),
        (59.4999, "59.500 s"),
        (59.5, "1 min 00 s"),
        (200, "3 min 20 s"),
        (3_435.948056, "57 min 16 s"),  // the Azure 2023 code trace
        (3_501.721937, "58 min 22 s"),  // the Azure 2023 conversation trace
        (3_599.4, "59 min 59 s"),
        (3_599.5, "1 h 00 min 00 s"),
        (3_725, "1 h 02 min 05 s"),
        (86_399.4, "23 h 59 min 59 s"),
        (86_399.5, "1 d 0 h"),
        (3 * 86_400 + 4 * 3_600 + 1_000, "3 d 4 h"),
        (14 * 86_400 + 23 * 3_600 + 1_800, "15 d 0 h"),
    ]

    @Test(arguments: spans) func spanText(_ span: (seconds: Double, text: String)) {
        #expect(TraceInspectReport.spanText(SimDuration(seconds: span.seconds)) == span.text)
    }

    // MARK: Determinism

    @Test func renderingIsByteStable() {
        let a = Self.fixture()
        let b = Self.fixture()
        #expect(a.summary == b.summary)
        for format in TraceInspectReport.Format.allCases {
            #expect(a.render(format) == b.render(format), "\(format)")
        }
    }
}
