/// Turns a finished simulation's metrics, lifecycle log, timeline and bill into its result.
enum ResultBuilder {
    static func build(_ sim: Simulation) -> StrategyResult {
        let scenario = sim.scenario
        let horizon = sim.horizon
        let total = sim.metrics.completed + sim.metrics.rejected
        let completed = sim.metrics.ttft.count
        let cdfRanks = LatencyCDF.ranks(count: completed)
        let ttftTargetRanks = targetRanks(scenario.slo, count: completed, total: total)
        let (ttftSummary, ttftAt) = sim.metrics.ttft.withUnsafeBufferPointer {
            LatencySummary.summarizing(nanoseconds: $0, extraRanks: cdfRanks + ttftTargetRanks.compactMap { $0 })
        }
        let tpotSummary = sim.metrics.tpot.withUnsafeBufferPointer { LatencySummary.summarizing(nanoseconds: $0).summary }
        let e2eSummary = sim.metrics.e2e.withUnsafeBufferPointer { LatencySummary.summarizing(nanoseconds: $0).summary }
        sim.dropTPOTAndE2ESamples()
        let targets = percentileOutcomes(scenario.slo, ranks: ttftTargetRanks, values: ttftAt[cdfRanks.count...], total: total)
        let gpuNs: Int128
        switch sim.kind.descriptor.billing(scenario) {
        case .pool: gpuNs = Int128(sim.poolSize) * Int128(horizon.nanoseconds)
        case .occupied: gpuNs = sim.ledger.occupiedGPUNanoseconds(horizon: horizon)
        }
        let gpuHours = Double(gpuNs) / 3.6e12
        let hostGiBHours = sim.strategy.billedHostMemory.gibibytes * horizon.seconds / 3600
        let cost = gpuHours * scenario.costs.gpuHour.amount + hostGiBHours * scenario.costs.hostGiBHour.amount
        let busyGPUNs = sim.busyGPUNanoseconds
        let log = sim.lifecycle
        let modelSwapIns = log.swapIns
        let modelColdStarts = log.coldStarts
        let specs = sim.kind.descriptor.counters
        var models: [ModelResult] = []
        sim.metrics.withModelSamples { m, samples in
            let d = scenario.models[m]
            let mm = sim.metrics.models[m]
            let n = mm.completed + mm.rejected
            let ranks = d.slo.map { targetRanks($0, count: samples.count, total: n) } ?? []
            let (summary, at) = LatencySummary.summarizing(nanoseconds: samples, extraRanks: ranks.compactMap { $0 })
            let attainment = n == 0 ? 1 : Double(mm.withinTarget) / Double(n)
            var own: Bool? = nil
            if let slo = d.slo {
                own = attainment >= slo.attainment && percentileOutcomes(slo, ranks: ranks, values: at[...], total: n).allSatisfy(\.met)
            }
            models.append(ModelResult(
                name: d.name, tier: sim.strategy.tierName(of: m), requests: mm.arrived, completed: mm.completed, rejected: mm.rejected,
                ttft: summary, ttftTarget: mm.ttftTarget, sloAttainment: attainment, meetsOwnSLO: own,
                swapIns: modelSwapIns[m], coldStarts: modelColdStarts[m], requestsPayingSwapIn: mm.paidSwapIn,
                requestsPayingColdStart: mm.paidColdStart, residentTime: sim.ledger.residentTime(of: m, horizon: horizon),
                missReason: mm.missReason,
                counters: (0..<specs.count).map { sim.modelCounters[m * specs.count + $0] }))
        }
        let n = Double(max(1, sim.metrics.completed))
        let link = scenario.cluster.gpu.link
        var result = StrategyResult(
            strategy: sim.kind, requests: sim.metrics.arrived, completed: sim.metrics.completed, rejected: sim.metrics.rejected,
            ttft: ttftSummary, tpot: tpotSummary, e2e: e2eSummary,
            ttftTarget: scenario.slo.ttft,
            sloAttainment: total == 0 ? 1 : Double(sim.metrics.withinTTFTTarget) / Double(total),
            percentileTargets: targets, requiredAttainment: scenario.slo.attainment, gpus: sim.poolSize, gpuHours: gpuHours, hostGiBHours: hostGiBHours,
            cost: Dollars(cost),
            usdPerMillionOutputTokens: sim.metrics.outputTokens == 0 ? 0 : cost / (Double(sim.metrics.outputTokens) / 1e6),
            gpuUtilization: gpuNs == 0 ? 0 : Double(busyGPUNs) / Double(gpuNs),
            coldStarts: log.count(.coldStart), swapIns: log.count(.swapIn), swapOuts: log.count(.swapOut),
            evictions: log.count(.eviction), teardowns: log.count(.teardown),
            requestsPayingColdStart: sim.metrics.paidColdStart, requestsPayingSwapIn: sim.metrics.paidSwapIn,
            bytesHostToGPU: sim.bytesHostToGPU, bytesGPUToHost: sim.bytesGPUToHost,
            inputTokens: sim.metrics.inputTokens, outputTokens: sim.metrics.outputTokens,
            breakdown: TTFTBreakdown(
                queueing: Double(sim.metrics.queueingNs) / n / 1e9, swapWait: Double(sim.metrics.swapWaitNs) / n / 1e9,
                coldStartWait: Double(sim.metrics.coldStartWaitNs) / n / 1e9, prefill: Double(sim.metrics.prefillNs) / n / 1e9),
            horizon: horizon, events: sim.eventCount, lifecycle: log.kept, requestLog: sim.requestLog ?? [],
            ttftCDF: LatencyCDF(valuesAtRanks: Array(ttftAt[..<cdfRanks.count]), count: completed, total: total),
            timeline: Timeline(
                interval: sim.timeline.interval, hostToDeviceCapacity: link.hostToDevice.bytesPerSecond,
                deviceToHostCapacity: link.duplex == .full ? link.deviceToHost.bytesPerSecond : link.hostToDevice.bytesPerSecond,
                gpus: sim.poolSize, samples: sim.timeline.samples),
            models: models,
            counters: zip(specs, sim.counters.array).map { StrategyCounter(spec: $0, value: $1) })
        result.lifecycleRecorded = log.recorded
        result.startup = StartupStage.allCases.indices.compactMap { i in
            let k = sim.startupStageCounts[i]
            return k == 0 ? nil : StartupStageTime(stage: StartupStage.allCases[i], count: k, meanSeconds: Double(sim.startupStageNs[i]) / Double(k) / 1e9)
        }
        return result
    }

    /// For each percentile target of `slo`, the 0-based rank of its TTFT among `count` completed
    /// requests out of `total`, or nil when the rank falls among the rejected ones (which never
    /// got a first token, so they rank after every completed one) or there were no requests.
    static func targetRanks(_ slo: SLOConfig, count: Int, total: Int) -> [Int?] {
        slo.ttftPercentiles.map { p in
            guard total > 0 else { return nil }
            let rank = LatencySummary.rank(p.percentile, count: total)
            return rank < count ? rank : nil
        }
    }

    /// Each percentile target of `slo` against the TTFTs (nanoseconds) at its ``targetRanks(_:count:total:)``:
    /// `values` holds one TTFT per non-nil rank, in order.
    static func percentileOutcomes(_ slo: SLOConfig, ranks: [Int?], values: ArraySlice<Int64>, total: Int) -> [PercentileOutcome] {
        var next = values.startIndex
        return zip(slo.ttftPercentiles, ranks).map { p, rank in
            let achieved: Double
            if total == 0 {
                achieved = 0
            } else if rank == nil {
                achieved = .infinity
            } else {
                achieved = Double(values[next]) / 1e9
                next += 1
            }
            return PercentileOutcome(percentile: p.percentile, target: p.target, achieved: achieved, met: achieved <= p.target.seconds)
        }
    }
}
