import SwapSimCore
import SwapSimIO
import Testing

/// Same inputs ⇒ byte-identical output, on any thread count; and a pinned fingerprint of the
/// reference run (scenarios/demo.yaml over traces/demo.csv, every strategy).
@Suite struct DeterminismTests {
    @Test func oneAndTwoThreadsGiveByteIdenticalOutput() throws {
        let one = try Fixtures.runDemo(threads: 1)
        let two = try Fixtures.runDemo(threads: 2)
        for format in OutputFormat.allCases {
            #expect(one.render(format) == two.render(format), "\(format.rawValue) differs between 1 and 2 threads")
        }
    }

    @Test func repeatedRunsGiveByteIdenticalOutput() throws {
        let first = try Fixtures.runDemo(threads: 2)
        let second = try Fixtures.runDemo(threads: 2)
        for format in OutputFormat.allCases {
            #expect(first.render(format) == second.render(format), "\(format.rawValue) differs between runs")
        }
    }

    @Test func moreThreadsThanStrategies() throws {
        let one = try Fixtures.runDemo(threads: 1)
        let many = try Fixtures.runDemo(threads: 8)
        #expect(one.json() == many.json())
    }

    /// 64-bit FNV-1a of the demo's summary JSON.
    ///
    /// This pins the whole simulator's behaviour on the reference run. It is updated
    /// deliberately, in the same change as the behaviour change that moves it (a new cost
    /// model, a scheduling fix…), never to make a test pass: when it moves, say why in that
    /// change. The Golden/ files of RunSummaryRenderingTests move with it.
    ///
    /// Last moved with two changes that landed together. Serving that matches vLLM (issue 17):
    /// the demo's engine now follows vLLM 0.15's scheduler (an 8,192-token step budget with
    /// chunked prefill, incremental KV with preemption, async scheduling, 7 ms of API latency
    /// with its spread) and its step times come from the preset fitted on real H100 runs (0.4 ms
    /// + 30 µs per layer, weights and KV at 0.85 of HBM bandwidth, operator-additive) instead of
    /// the guessed 3 ms + max(compute 0.5, memory 0.8), and the JSON gained `timed_out`,
    /// `preemptions` and per-model `kv_cache_tokens`. And always-warm spreading its replicas
    /// over the pool (each on the GPUs with the most free memory) instead of packing them
    /// first-fit onto the first GPUs. Before that: the serving-stack start-up and wake
    /// mechanisms (issue 11).
    static let demoFingerprint = "ed6f1f15d0d4b998"

    @Test func demoFingerprintIsPinned() throws {
        let json = try Fixtures.runDemo(threads: 2).json()
        let fingerprint = fnv1a64(json)
        #expect(fingerprint == Self.demoFingerprint, "demo JSON fingerprint is \(fingerprint); pinned \(Self.demoFingerprint)")
    }

    @Test func fingerprintFunctionIsFNV1a() {
        // Reference values of 64-bit FNV-1a.
        #expect(fnv1a64("") == "cbf29ce484222325")
        #expect(fnv1a64("a") == "af63dc4c8601ec8c")
        #expect(fnv1a64("foobar") == "85944171f73967e8")
    }
}
