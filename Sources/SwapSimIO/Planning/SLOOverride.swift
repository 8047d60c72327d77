import SwapSimCore

/// SLO values given on the command line (`plan --slo-ttft 5s --slo-attainment 0.99 --slo-p99 5s`)
/// in place of the scenario's `slo:` section.
///
/// Each value replaces the scenario's and every model's own (`models[i].slo`), so "p99 TTFT ≤ 5 s"
/// holds for the whole plan without editing YAML. The overrides change what an evaluation
/// counts as meeting the SLO, so their ``canonical`` text joins the scenario's hash in the
/// planner's cache key.
public struct SLOOverride: Sendable, Equatable {
    /// The TTFT target (`slo.ttft`).
    public var ttft: SimDuration?
    /// The share of requests that must meet it (`slo.attainment`), in (0, 1].
    public var attainment: Double?
    /// The p99 TTFT target (`slo.ttft_percentiles.p99`); other percentile targets are kept.
    public var p99: SimDuration?

    public init(ttft: SimDuration? = nil, attainment: Double? = nil, p99: SimDuration? = nil) {
        self.ttft = ttft
        self.attainment = attainment
        self.p99 = p99
    }

    /// Parses the flags' texts; the error names the flag.
    public static func parse(ttft: String?, attainment: String?, p99: String?) throws(PlanValueError) -> SLOOverride {
        var o = SLOOverride()
        o.ttft = try ttft.map { t throws(PlanValueError) in try target(t, field: "slo_ttft") }
        o.p99 = try p99.map { t throws(PlanValueError) in try target(t, field: "slo_p99") }
        if let a = attainment {
            guard let v = Double(a.trimmingWhitespace()), v > 0, v <= 1 else {
                throw PlanValueError(field: "slo_attainment", reason: "expected a share of requests in (0, 1], like 0.99; got '\(a)'")
            }
            o.attainment = v
        }
        return o
    }

    private static func target(_ text: String, field: String) throws(PlanValueError) -> SimDuration {
        let d = try PlanSection.duration(text, field: field)
        guard d > .zero else { throw PlanValueError(field: field, reason: "must be a positive duration, like 5s; got '\(text)'") }
        guard d <= SimDuration.longestSetting else { throw PlanValueError(field: field, reason: "at most 10 years is supported; got '\(text)'") }
        return d
    }

    /// True when no value is given.
    public var isEmpty: Bool { ttft == nil && attainment == nil && p99 == nil }

    /// `slo` with the given values in place of its own.
    public func applied(to slo: SLOConfig) -> SLOConfig {
        var s = slo
        if let ttft { s.ttft = ttft }
        if let attainment { s.attainment = attainment }
        if let p99 {
            s.ttftPercentiles.removeAll { $0.percentile == 99 }
            s.ttftPercentiles.append(.init(percentile: 99, target: p99))
            s.ttftPercentiles.sort { $0.percentile < $1.percentile }
        }
        return s
    }

    /// `scenario` with the overrides applied to its SLO and to every model's own SLO.
    public func applied(to scenario: Scenario) -> Scenario {
        guard !isEmpty else { return scenario }
        var s = scenario
        s.slo = applied(to: s.slo)
        for i in s.models.indices { s.models[i].slo = s.models[i].slo.map { applied(to: $0) } }
        return s
    }

    /// The overrides as text, for the cache key: empty when none is given, so a plan without
    /// them keys its evaluations by the scenario file's hash alone, as before.
    public var canonical: String {
        guard !isEmpty else { return "" }
        return [
            "slo_ttft_ns=\(ttft.map { String($0.nanoseconds) } ?? "")",
            "slo_attainment=\(attainment.map { "\($0)" } ?? "")",
            "slo_p99_ns=\(p99.map { String($0.nanoseconds) } ?? "")",
        ].joined(separator: "\n")
    }
}
