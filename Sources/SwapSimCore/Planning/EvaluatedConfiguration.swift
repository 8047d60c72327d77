/// A configuration with its evaluations over every replication, and what they add up to.
///
/// Feasibility rule: a configuration is feasible when **every** replication ran and met the
/// SLO (attainment at or above the level and every percentile target), and its worst
/// replication's $/month is within the budget, if any.
public struct EvaluatedConfiguration: Sendable, Hashable {
    public var configuration: PlanConfiguration
    /// Index of its chain in ``PlanSpace/chains``.
    public var chainIndex: Int
    /// One evaluation per replication, in seed order.
    public var evaluations: [PlanEvaluation]

    public init(configuration: PlanConfiguration, chainIndex: Int, evaluations: [PlanEvaluation]) {
        self.configuration = configuration
        self.chainIndex = chainIndex
        self.evaluations = evaluations
    }

    /// The metrics of every replication, or nil if any could not run.
    public var metrics: [PlanMetrics]? {
        let m = evaluations.compactMap(\.metrics)
        return m.count == evaluations.count && !m.isEmpty ? m : nil
    }

    /// Why it could not run, if it could not.
    public var unrunnableReason: String? {
        for e in evaluations { if case let .unrunnable(reason, _) = e.outcome { return reason } }
        return nil
    }

    /// Every replication ran and met the SLO (the budget is not considered).
    public var meetsSLO: Bool { metrics?.allSatisfy(\.meetsSLO) ?? false }

    /// p99 TTFT over the replications, in seconds.
    public var ttftP99: Spread { Spread(metrics?.map(\.ttftP99) ?? []) }
    /// SLO attainment over the replications.
    public var attainment: Spread { Spread(metrics?.map(\.attainment) ?? []) }
    /// $ per month over the replications.
    public var costPerMonth: Spread { Spread(metrics?.map(\.costPerMonth) ?? []) }

    /// Each constraint with its limit, the worst replication's value and the relative slack.
    public func checks(slo: SLOConfig, budgetPerMonth: Dollars?, maxGPUs: Int) -> [ConstraintCheck] {
        guard let m = metrics else { return [] }
        var out: [ConstraintCheck] = []
        let worstAttainment = m.map(\.attainment).min() ?? 0
        out.append(ConstraintCheck(
            constraint: "attainment ≥ \(PlanText.number(slo.attainment)) within \(PlanText.duration(slo.ttft))",
            limit: slo.attainment, achieved: worstAttainment, atMost: false))
        for (i, p) in slo.ttftPercentiles.enumerated() {
            let worst = m.map { i < $0.percentilesAchieved.count ? $0.percentilesAchieved[i] : .infinity }.max() ?? 0
            out.append(ConstraintCheck(
                constraint: "p\(PlanText.number(p.percentile)) TTFT ≤ \(PlanText.duration(p.target))", limit: p.target.seconds,
                achieved: worst, atMost: true))
        }
        if let b = budgetPerMonth {
            out.append(ConstraintCheck(constraint: "budget $/month", limit: b.amount, achieved: costPerMonth.max, atMost: true))
        }
        out.append(ConstraintCheck(constraint: "max GPUs", limit: Double(maxGPUs), achieved: Double(configuration.gpus), atMost: true))
        return out
    }

    /// Feasible under the rule above.
    public func isFeasible(slo: SLOConfig, budgetPerMonth: Dollars?, maxGPUs: Int) -> Bool {
        meetsSLO && configuration.gpus <= maxGPUs && (budgetPerMonth.map { costPerMonth.max <= $0.amount } ?? true)
    }

    /// How far it is from feasible: the largest relative violation of any constraint (0 when
    /// feasible, infinity when it could not run).
    public func miss(slo: SLOConfig, budgetPerMonth: Dollars?, maxGPUs: Int) -> Double {
        guard metrics != nil else { return .infinity }
        if isFeasible(slo: slo, budgetPerMonth: budgetPerMonth, maxGPUs: maxGPUs) { return 0 }
        let worst = checks(slo: slo, budgetPerMonth: budgetPerMonth, maxGPUs: maxGPUs).map { -$0.slack }.max() ?? 0
        // The simulator's own SLO verdict is authoritative: a miss it reports is never 0.
        return max(worst, Double.leastNonzeroMagnitude)
    }

    /// Why it is not feasible, in words: the violated constraints, or why it could not run.
    public func shortfall(slo: SLOConfig, budgetPerMonth: Dollars?, maxGPUs: Int) -> String {
        if let r = unrunnableReason { return r }
        let violated = checks(slo: slo, budgetPerMonth: budgetPerMonth, maxGPUs: maxGPUs).filter { $0.slack < 0 }
        return violated.isEmpty ? "meets every constraint" : violated.map(\.description).joined(separator: "; ")
    }
}

/// Mean, least and greatest of a figure over replications.
public struct Spread: Sendable, Hashable {
    public var mean: Double
    public var min: Double
    public var max: Double

    /// The spread of `values`, summed in order (all zero for none); the mean is kept within [min, max].
    public init(_ values: [Double]) {
        guard !values.isEmpty else { mean = 0; min = 0; max = 0; return }
        var total = 0.0
        for v in values { total += v }
        min = values.min()!
        max = values.max()!
        // Rounding can put the sum's quotient an ulp outside the range (three equal values).
        mean = Swift.min(Swift.max(total / Double(values.count), min), max)
    }
}

/// One constraint at one configuration: its limit, the worst replication's value and how much
/// room is left.
public struct ConstraintCheck: Sendable, Hashable, CustomStringConvertible {
    /// The constraint in words (`p99 TTFT ≤ 10s`).
    public var constraint: String
    public var limit: Double
    public var achieved: Double
    /// Whether the value must stay at or under the limit (else at or above it).
    public var atMost: Bool

    /// Room left relative to the limit: positive inside, negative when violated by that share.
    public var slack: Double {
        guard limit != 0 else { return achieved == 0 ? 0 : (atMost ? -.infinity : .infinity) }
        return atMost ? (limit - achieved) / limit : (achieved - limit) / limit
    }

    /// `p99 TTFT ≤ 10s: 11.2 (12.0% over)`.
    public var description: String {
        let pct = PlanText.number(abs(slack) * 100, decimals: 1)
        let word = slack < 0 ? (atMost ? "over" : "short") : "room"
        return "\(constraint): \(PlanText.number(achieved)) (\(pct)% \(word))"
    }
}

extension PlanText {
    /// A figure with up to `decimals` digits after the point, trailing zeros dropped.
    public static func number(_ v: Double, decimals: Int = 4) -> String {
        var s = Fixed.format(v, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
