import Foundation
import SwapSimCore
import SwapSimIO
import Testing

/// The results store: exact round trips, the schema's migrations, deleting, the planner's
/// cache and merging.
@Suite struct StoreTests {
    func report() throws -> RunReport { try ReportFixtures.shared.get() }

    @Test func freshStoreAppliesTheNamedMigrations() throws {
        let dir = try TemporaryDirectory()
        let store = try ResultsStore(path: dir.url.appendingPathComponent("r.db").path)
        #expect(try store.appliedMigrations() == ["v1-runs", "v2-plan-evaluations", "v3-model-results", "v4-startup-stages", "v5-serving-counters", "v6-lifecycle-recorded"])
        #expect(try store.listRuns().isEmpty)
        #expect(throws: StoreError.self) { try store.latestRunID() }
    }

    @Test func aRunReadBackIsTheRunStored() throws {
        let dir = try TemporaryDirectory()
        let store = try ResultsStore(path: dir.url.appendingPathComponent("r.db").path)
        let original = try report()
        #expect(original.summary.results.allSatisfy { !$0.requestLog.isEmpty && !$0.timeline.samples.isEmpty })
        let id = try store.save(original, createdAt: "2026-01-02T03:04:05Z")
        let loaded = try store.loadRun(id: id)
        #expect(loaded.createdAt == "2026-01-02T03:04:05Z")
        // Every result, field by field: doubles, timelines, events, CDFs, requests and per-model
        // results exactly; lifecycle reasons come back as the words they were stored as.
        #expect(loaded.report.summary.results == original.summary.results.map { $0.reasonsAsRecorded(original.modelNames) })
        #expect(original.summary.results.contains { !$0.models.isEmpty })
        #expect(loaded.report.summary.traceInput == original.summary.traceInput)
        #expect(loaded.report.modelNames == original.modelNames)
        #expect(loaded.report.markdown() == original.markdown())
        #expect(loaded.report.csv() == original.csv())
        #expect(loaded.report.json() == original.json())
        #expect(loaded.report.html() == original.html())
        #expect(try store.summaryJSON(id: id) == original.summary.json())
    }

    @Test func listingAndDeleting() throws {
        let dir = try TemporaryDirectory()
        let store = try ResultsStore(path: dir.url.appendingPathComponent("r.db").path)
        let a = try store.save(try report())
        let b = try store.save(try report())
        let runs = try store.listRuns()
        #expect(runs.map(\.id) == [a, b])
        #expect(runs[0].strategies == ["always-warm", "scale-to-zero", "hot-swap"])
        #expect(runs[0].cheapestMeetingSLO == "hot-swap")
        #expect(runs[0].storedRequests)
        #expect(try store.latestRunID() == b)
        try store.deleteRun(id: a)
        #expect(try store.listRuns().map(\.id) == [b])
        #expect(throws: StoreError.noSuchRun(path: store.path, id: a)) { try store.deleteRun(id: a) }
        #expect(throws: StoreError.noSuchRun(path: store.path, id: a)) { try store.loadRun(id: a) }
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func planEvaluationsAreCachedByKey() throws {
        let dir = try TemporaryDirectory()
        let store = try ResultsStore(path: dir.url.appendingPathComponent("r.db").path)
        let cache: any PlanEvaluationCache = store
        let key = PlanEvaluationKey(scenarioHash: "s", traceHash: "t", configuration: "gpu=H100 count=2", seed: .max)
        #expect(try cache.evaluation(forKey: key) == nil)
        try cache.storeEvaluation("{\"a\":1}", forKey: key)
        #expect(try cache.evaluation(forKey: key) == "{\"a\":1}")
        try cache.storeEvaluation("{\"a\":2}", forKey: key)
        #expect(try cache.evaluation(forKey: key) == "{\"a\":2}")
        var other = key
        other.seed = 1
        #expect(try cache.evaluation(forKey: other) == nil)
    }

    @Test func planCacheIsSafeFromManyThreads() throws {
        let dir = try TemporaryDirectory()
        let store = try ResultsStore(path: dir.url.appendingPathComponent("r.db").path)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let key = PlanEvaluationKey(scenarioHash: "s", traceHash: "t", configuration: "c\(i % 4)", seed: UInt64(i))
            try? store.storeEvaluation("{\"i\":\(i)}", forKey: key)
            _ = try? store.evaluation(forKey: key)
        }
        #expect(try store.planEvaluationCount() == 16)
    }

    @Test func mergingIsIdempotent() throws {
        let dir = try TemporaryDirectory()
        let a = try ResultsStore(path: dir.url.appendingPathComponent("a.db").path)
        let b = try ResultsStore(path: dir.url.appendingPathComponent("b.db").path)
        let out = try ResultsStore(path: dir.url.appendingPathComponent("out.db").path)
        try a.save(try report(), createdAt: "2026-01-01T00:00:00Z")
        try b.save(try report(), createdAt: "2026-01-02T00:00:00Z")
        let shared = PlanEvaluationKey(scenarioHash: "s", traceHash: "t", configuration: "c", seed: 1)
        try a.storeEvaluation("from a", forKey: shared)
        try b.storeEvaluation("from b", forKey: shared)
        try b.storeEvaluation("only b", forKey: PlanEvaluationKey(scenarioHash: "s", traceHash: "t", configuration: "d", seed: 1))

        let first = try out.merge(from: a)
        #expect(first.runsAdded == 1 && first.evaluationsAdded == 1)
        let second = try out.merge(from: b)
        #expect(second.runsAdded == 1 && second.evaluationsAdded == 1 && second.evaluationsAlreadyPresent == 1)
        let again = try out.merge(from: a)
        #expect(again.runsAdded == 0 && again.runsAlreadyPresent == 1 && again.evaluationsAdded == 0)

        let runs = try out.listRuns()
        #expect(runs.map(\.createdAt) == ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"])
        #expect(try out.planEvaluationCount() == 2)
        #expect(try out.evaluation(forKey: shared) == "from a")
        #expect(try out.loadRun(id: runs[1].id).report.markdown() == (try report()).markdown())
    }
}

extension StrategyResult {
    /// The result with every lifecycle reason replaced by its words, as the store keeps them.
    func reasonsAsRecorded(_ names: [String]) -> StrategyResult {
        var r = self
        for i in r.lifecycle.indices { r.lifecycle[i].reason = .recorded(r.lifecycle[i].reasonText(names)) }
        return r
    }
}
