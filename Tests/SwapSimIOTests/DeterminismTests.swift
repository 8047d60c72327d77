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
    /// Last moved with the serving-stack start-up and the wake mechanisms (issue 11): the demo
    /// names no stack, mechanism or topology, so it now gets the defaults (vLLM 0.11's start-up
    /// stages instead of a fixed 33 s plus 2 GB/s, vLLM sleep level 1's wake and sleep costs and
    /// first-sleep pinning, the HGX H100 topology instead of a node DMA cap), hot-swap sends a
    /// warm-up request, and the JSON gained `startup_stage_mean_s`.
    static let demoFingerprint = "0b4996c8f8d63dca"

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
