@testable import SwapSimCore
import Testing

/// Copies over a node's host topology: full-duplex links and uplinks, switches shared by their
/// GPUs, the node-wide DMA shorthand per direction, and the wake mechanisms' host-side costs.
@Suite struct HostTopologyTests {
    static func cluster(gpu: String, gpus: Int, dma: Bandwidth? = nil, platform: String? = nil) -> ClusterSpec {
        ClusterSpec(
            nodes: 1, gpusPerNode: gpus, gpu: GPUCatalog.named(gpu)!, hostMemory: .gibibytes(1024), swapSpace: .gibibytes(512),
            dmaBandwidth: dma, storageReadBandwidth: nil, platform: platform.flatMap(PlatformCatalog.named))
    }

    /// The duplex bug: on a one-GPU node with default settings a copy-in during a copy-out ran
    /// at half speed. Each direction now keeps its own budget; only the link's measured
    /// both-ways rate (Gen4 18.5 GB/s) slows them.
    @Test func aFullDuplexLinkCopiesBothWaysAtOnce() {
        var link = TestScenarios.gpu.link
        link.bidirectional = nil
        var gpu = TestScenarios.gpu
        gpu.link = link
        let c = ClusterSpec(
            nodes: 1, gpusPerNode: 1, gpu: gpu, hostMemory: .gibibytes(64), swapSpace: .gibibytes(32), dmaBandwidth: nil,
            storageReadBandwidth: nil, platform: TestScenarios.platform)
        let alone = Interconnect.aloneRates(cluster: c, kinds: [.swapIn])[0]
        let both = Interconnect.aloneRates(cluster: c, kinds: [.swapIn, .swapOut])
        #expect(abs(alone - 20e9) < 1e3)
        #expect(abs(both[0] - 20e9) < 1e3 && abs(both[1] - 25e9) < 1e3)
        let a100 = Interconnect.aloneRates(cluster: Self.cluster(gpu: "A100-80GB", gpus: 1), kinds: [.swapIn, .swapOut])
        #expect(abs(a100[0] - 18.5e9) < 1e3 && abs(a100[1] - 18.5e9) < 1e3)
    }

    /// `host.dma_bandwidth` is one cap per direction: a copy each way both get it.
    @Test func theDMAShorthandCapsEachDirection() {
        let c = Self.cluster(gpu: "H100-SXM", gpus: 1, dma: .gigabytesPerSecond(20))
        let r = Interconnect.aloneRates(cluster: c, kinds: [.swapIn, .swapOut])
        #expect(abs(r[0] - 20e9) < 1e3 && abs(r[1] - 20e9) < 1e3)
    }

    /// On an HGX A100 board two GPUs share each Gen4 switch uplink: a four-GPU tensor-parallel
    /// wake (GPUs 0-3 on two switches) copies at half the one-GPU rate per GPU, as the sleep
    /// blog's Qwen3-235B at TP 4 measured (≈10.5-11.2 GB/s per GPU against ≈21.4 alone).
    @Test func gpusBelowOneSwitchShareItsUplink() throws {
        var s = StartupStageTests.scenario("qwen3-235b-a22b-fp8", tp: 4, gpus: 8)
        s.cluster.gpu = GPUCatalog.named("A100-80GB")!
        #expect(s.cluster.topology.name == "hgx-a100-8gpu")
        s.hotSwap = HotSwapConfig(idleTimeout: .seconds(10), swapOverhead: .zero, gpus: 4, mechanism: .custom)
        let bytes = Double(s.models[0].architecture.weightBytes.bytes)
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource([
            TraceRequest(arrival: SimInstant(nanoseconds: 600_000_000_000), model: 0, inputTokens: 8, outputTokens: 1)]))
        let perGPU = bytes / 4 / r.breakdown.swapWait
        #expect(abs(perGPU - 25.7e9 / 2) / 12.85e9 < 0.01, "\(perGPU / 1e9) GB/s per GPU")
    }

    /// Run:ai pins its swap space when the servers start (≈ 0.1 s per GB): a sleep asked for
    /// before then waits for it. 64 GiB at 9.95 GB/s is 6.9 s; the model idles out at 1 s, and a
    /// request at 2 s waits for the sleep (so for the pinning), then for the wake.
    @Test func runaiSwapPinsSwapSpaceAtStart() throws {
        var s = StartupStageTests.scenario("llama-3.1-8b")
        s.cluster.swapSpace = .gibibytes(64)
        s.hotSwap = HotSwapConfig(idleTimeout: .seconds(1), swapOverhead: nil, mechanism: .runaiSwap, warmupRequest: true)
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource([
            TraceRequest(arrival: SimInstant(nanoseconds: 2_000_000_000), model: 0, inputTokens: 8, outputTokens: 1)]))
        let out = try #require(r.lifecycle.first { $0.kind == .swapOut })
        #expect(out.time == SimInstant(nanoseconds: 1_000_000_000))
        let pinned = Double(ByteCount.gibibytes(64).bytes) / 9.95e9
        let wake = WakeMechanism.runaiSwap.wakeCosts(s.models[0].architecture, lora: false, stack: s.serving.stack, swapOverhead: nil).before.seconds
        #expect(r.ttft.max > pinned - 2 + wake, "TTFT \(r.ttft.max) s")
        // vLLM's sleep mode pins nothing up front.
        #expect(WakeMechanism.runaiSwap.pinsSwapSpaceAtStart && !WakeMechanism.vllmSleepL1.pinsSwapSpaceAtStart)
    }

    /// vLLM level 1 sleeps slower than it wakes the first time (its pinned backup is allocated
    /// then, 1.44 × the weights at 2.46 GB/s), and about as fast afterwards.
    @Test func levelOneSleepIsSlowTheFirstTime() {
        let qwen = ModelCatalog.named("qwen3-8b")!
        let stack = StackCatalog.named("vllm-main")!
        let first = WakeMechanism.vllmSleepL1.sleepCosts(qwen, lora: true, stack: stack, firstSleep: true)
        let later = WakeMechanism.vllmSleepL1.sleepCosts(qwen, lora: true, stack: stack, firstSleep: false)
        let wake = WakeMechanism.vllmSleepL1.wakeCosts(qwen, lora: true, stack: stack, swapOverhead: nil)
        #expect(first.before.seconds > 9)
        #expect(later.before.seconds < 0.5)
        #expect(wake.before.seconds < 1.5 && wake.efficiency == 0.949)
        // Level 2 keeps nothing in host memory; its sleep is a free.
        #expect(!WakeMechanism.vllmSleepL2.keepsWeightsInHost)
        #expect(WakeMechanism.vllmSleepL2.sleepCosts(qwen, lora: true, stack: stack, firstSleep: true).efficiency == nil)
    }

    /// `overlap_evictions`: the incoming model is copied in while the evicted one is copied out
    /// (chunk by chunk into the memory it frees), so on a full-duplex link a swap that needs an
    /// eviction takes the longer of the two copies, not their sum. Two 20 GB models on one 40 GiB
    /// GPU, 20 GB/s in and 25 GB/s out: 0.8 s out then 1.3 s in (with 0.3 s overhead) sequentially,
    /// against 1.3 s overlapped.
    @Test(arguments: [false, true])
    func overlappedEvictionsHideTheCopyOut(overlap: Bool) throws {
        let models = [TestScenarios.model("a", parameters: 10_000_000_000), TestScenarios.model("b", parameters: 10_000_000_000)]
        let s = TestScenarios.scenario(
            models: models, hotSwap: HotSwapConfig(idleTimeout: nil, swapOverhead: .milliseconds(300), overlapEvictions: overlap))
        let r = try simulate(scenario: s, strategy: .hotSwap, requests: ArrayRequestSource([
            TraceRequest(arrival: SimInstant(nanoseconds: 1_000_000_000), model: 1, inputTokens: 8, outputTokens: 1)]))
        let wait = r.breakdown.swapWait
        if overlap {
            #expect(abs(wait - 1.30002) < 0.001, "\(wait)")
        } else {
            #expect(abs(wait - 2.10003) < 0.001, "\(wait)")
        }
    }
}
