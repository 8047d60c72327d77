import SwapSimCore
import SwapSimIO
import Testing

@Suite struct ScenarioLoaderTests {
    struct Shipped: CustomTestStringConvertible, Sendable {
        var file: String
        var name: String
        var models: Int
        var gpu: String
        var gpusPerNode: Int
        var trace: String
        var testDescription: String { file }
    }

    static let shipped = [
        Shipped(file: "scenarios/demo.yaml", name: "demo", models: 7, gpu: "H100-SXM", gpusPerNode: 3, trace: "traces/demo.csv"),
        Shipped(file: "scenarios/l40s-4x-sharing.yaml", name: "l40s-4x-sharing", models: 10, gpu: "L40S", gpusPerNode: 4, trace: "traces/l40s-sharing.csv"),
        Shipped(file: "scenarios/h100-8x-many-models.yaml", name: "h100-8x-many-models", models: 24, gpu: "H100-SXM", gpusPerNode: 8, trace: "traces/many-models.csv"),
    ]

    @Test(arguments: shipped)
    func shippedScenarioLoads(_ c: Shipped) throws {
        let s = try ScenarioLoader.load(path: Fixtures.path(c.file))
        #expect(s.name == c.name)
        #expect(s.models.count == c.models)
        #expect(s.cluster.gpu == GPUCatalog.named(c.gpu))
        #expect(s.cluster.nodes == 1)
        #expect(s.cluster.gpusPerNode == c.gpusPerNode)
        #expect(Set(s.models.map(\.name)).count == c.models)
    }

    /// Every shipped trace reads to the end against its scenario's models.
    @Test(arguments: shipped)
    func shippedTraceReadsAgainstItsScenario(_ c: Shipped) throws {
        let s = try ScenarioLoader.load(path: Fixtures.path(c.file))
        let reader = try TraceInput(path: Fixtures.path(c.trace), options: TraceInputOptions(), models: s.models.map(\.name))
        var n = 0
        while try reader.next() != nil { n += 1 }
        #expect(n > 1000)
        #expect(reader.report.rows == n)
    }

    @Test func demoHoldsWhatItsFileSays() throws {
        let s = try ScenarioLoader.load(path: Fixtures.demoScenario)
        #expect(s.models.map(\.name) == ["llama-8b-chat", "mistral-7b", "qwen-14b", "llama-8b-code", "qwen-7b", "gemma-9b", "llama-8b-sql"])
        #expect(s.models[2].architecture == ModelCatalog.named("qwen2.5-14b"))
        #expect(s.models.allSatisfy { $0.kvCache == .gibibytes(8) && !$0.kvCacheAuto && $0.maxBatch == 128 && $0.tensorParallel == 1 })
        #expect(s.cluster.hostMemory == .gibibytes(1024))
        #expect(s.cluster.swapSpace == .gibibytes(512))
        #expect(s.cluster.dmaBandwidth == nil)
        #expect(s.cluster.topology.name == "hgx-h100-8gpu")
        #expect(s.storageTier.name == "page-cache")
        // vLLM 0.15's engine with the step times fitted on H100 (issue 17).
        #expect(s.serving == ServingConfig.vllmDefaults(for: s.cluster.gpu))
        #expect(s.serving.maxBatchedTokens == 8192 && s.serving.asyncScheduling && s.serving.incrementalKV && s.serving.iterationOverhead == nil)
        #expect(s.alwaysWarm == AlwaysWarmConfig(replicas: 1))
        #expect(s.scaleToZero == ScaleToZeroConfig(keepAlive: .minutes(2)))
        #expect(s.hotSwap == HotSwapConfig(idleTimeout: .seconds(60), eviction: .lru, swapOverhead: nil, gpus: 2, mechanism: .vllmSleepL1, warmupRequest: true))
        #expect(s.costs == CostConfig(gpuHour: Dollars(3.78)))
        #expect(s.slo == SLOConfig(ttft: .seconds(2), ttftPercentiles: [.init(percentile: 99, target: .seconds(10))], attainment: 0.95))
        #expect(s.poolSize(for: .hotSwap) == 2)
        #expect(s.poolSize(for: .alwaysWarm) == 3)
    }

    /// vLLM's KV sizing reproduces the capacities the serving.md runs logged (119,408 tokens for
    /// Llama-2-7B at TP1, 501,712 for Llama-2-70B at TP4 on H100-80GB at 0.9), and engines
    /// sharing a GPU each size from their share of the utilisation.
    @Test func kvCacheAutoMatchesVLLMLogs() throws {
        let h100 = try #require(GPUCatalog.named("H100-SXM"))
        let l7 = try #require(ModelCatalog.named("llama-2-7b"))
        let l70 = try #require(ModelCatalog.named("llama-2-70b"))
        let kv7 = try #require(KVCacheSizing.auto(model: l7, gpu: h100, tensorParallel: 1, utilization: 0.9, enginesPerGPU: 1))
        let kv70 = try #require(KVCacheSizing.auto(model: l70, gpu: h100, tensorParallel: 4, utilization: 0.9, enginesPerGPU: 1))
        #expect(kv7.bytes / l7.kvBytesPerToken.bytes == 119_408)
        #expect(kv70.bytes / l70.kvBytesPerToken.bytes == 501_712)
        let half = try #require(KVCacheSizing.auto(model: l7, gpu: h100, tensorParallel: 1, utilization: 0.9, enginesPerGPU: 2))
        #expect(half.bytes / l7.kvBytesPerToken.bytes == 45_680)
        #expect(KVCacheSizing.auto(model: l70, gpu: h100, tensorParallel: 1, utilization: 0.9, enginesPerGPU: 1) == nil)
        let yaml = Self.minimal.replacingOccurrences(of: "slo:", with: "serving: {engines_per_gpu: 2, kv_cache: auto}\nslo:")
        let s = try ScenarioLoader.parse(yaml, file: "shared.yaml")
        #expect(s.models[0].kvCacheAuto && s.models[0].kvCache == KVCacheSizing.auto(model: s.models[0].architecture, gpu: h100, tensorParallel: 1, utilization: 0.9, enginesPerGPU: 2))
    }

    /// The smallest scenario the loader accepts: everything else takes its documented default.
    static let minimal = """
        version: 1
        name: minimal
        cluster:
          gpus_per_node: 2
          gpu: H100-SXM
          host: {memory: 256GiB}
        models:
          - {name: llama, arch: llama-3.1-8b}
        slo: {ttft: 2s}
        """

    @Test func defaultsHold() throws {
        let s = try ScenarioLoader.parse(Self.minimal, file: "minimal.yaml")
        let h100 = try #require(GPUCatalog.named("H100-SXM"))
        #expect(s.cluster.nodes == 1)
        #expect(s.cluster.gpu == h100)
        // Swap space defaults to half the host memory; no node-wide DMA cap (the platform's
        // topology bounds copies); weights from the page cache; vLLM 0.11 with sleep level 1.
        #expect(s.cluster.swapSpace == .gibibytes(128))
        #expect(s.cluster.dmaBandwidth == nil)
        #expect(s.cluster.topology == PlatformCatalog.named("hgx-h100-8gpu")!.topology(gpus: 2))
        #expect(s.storageTier == StorageCatalog.defaultTier)
        #expect(s.loader == .safetensors)
        #expect(s.serving.stack.name == "vllm-0.11")
        #expect(s.serving == ServingConfig.vllmDefaults(for: h100))
        #expect(s.serving.gpuMemoryUtilization == 0.9 && s.serving.enginesPerGPU == 1 && s.serving.prefixCaching && s.serving.requestTimeout == nil)
        let m = s.models[0]
        // kv_cache auto: 0.9 × 80 GiB − 16.06 GB of weights − 1,170 MiB, in 16-token blocks.
        #expect(m.kvCacheAuto)
        #expect(m.kvCache == KVCacheSizing.auto(model: m.architecture, gpu: h100, tensorParallel: 1, utilization: 0.9, enginesPerGPU: 1))
        #expect(m.kvCapacityTokens == 457_920)
        #expect(m.maxBatch == 256)
        #expect(m.tensorParallel == 1)
        #expect(m.architecture == ModelCatalog.named("llama-3.1-8b"))
        #expect(s.alwaysWarm == AlwaysWarmConfig(replicas: 1, gpus: nil))
        #expect(s.scaleToZero == ScaleToZeroConfig(keepAlive: .minutes(5), targetConcurrency: nil, maxReplicas: 1, gpus: nil))
        #expect(s.hotSwap == HotSwapConfig(idleTimeout: .seconds(60), eviction: .lru, swapOverhead: nil, keepHostCopy: false, gpus: nil, mechanism: .vllmSleepL1))
        #expect(s.costs == CostConfig(gpuHour: h100.pricePerHour, hostGiBHour: Dollars(0)))
        #expect(s.slo == SLOConfig(ttft: .seconds(2), ttftPercentiles: [], attainment: 0.95))
    }

    /// The start-up, topology and mechanism keys: each lands where the core reads it.
    @Test func stackTopologyStorageAndStartupKeysApply() throws {
        let yaml = """
            version: 1
            name: keys
            cluster:
              gpus_per_node: 4
              gpu: A100-80GB
              platform: a100-pcie-4x
              link: {bidirectional: 18GB/s}
              topology:
                switches: [[0, 1], [2, 3]]
                uplink: {h2d: 24GB/s, d2h: 23GB/s, bidirectional: 17GB/s}
                sockets: 1
                pin_rate: 5GB/s
              host: {memory: 512GiB, dma_bandwidth: 40GB/s}
              storage: {tier: s3, loader: runai-streamer-sharded}
            serving: {stack: vllm-main}
            models:
              - name: q
                arch: qwen3-8b
                lora: true
                startup: {compile: 12s, weight_load: 3s, first_request: 500ms}
            strategies:
              hot-swap: {mechanism: runai-swap, warmup_request: true, overlap_evictions: true}
              scale-to-zero: {warmup_request: true, cold_start: {container: 4s}}
            slo: {ttft: 2s}
            """
        let s = try ScenarioLoader.parse(yaml, file: "keys.yaml")
        #expect(s.serving.stack.name == "vllm-main")
        #expect(s.cluster.platform?.name == "a100-pcie-4x")
        #expect(s.cluster.gpu.link.bidirectional == .gigabytesPerSecond(18))
        let t = s.cluster.topology
        #expect(t.name == "custom")
        #expect(t.switches.map(\.gpus) == [[0, 1], [2, 3]])
        #expect(t.uplinkH2D == .gigabytesPerSecond(24) && t.uplinkD2H == .gigabytesPerSecond(23) && t.uplinkBidirectional == .gigabytesPerSecond(17))
        #expect(t.sockets == 1 && t.pinRate == .gigabytesPerSecond(5))
        #expect(s.cluster.dmaBandwidth == .gigabytesPerSecond(40))
        #expect(s.storageTier.name == "s3" && s.loader == .runaiStreamerSharded)
        #expect(s.models[0].lora)
        #expect(s.models[0].startup == [.compile: .seconds(12), .weightLoad: .seconds(3), .firstRequest: .milliseconds(500)])
        #expect(s.hotSwap.mechanism == .runaiSwap && s.hotSwap.warmupRequest && s.hotSwap.overlapEvictions)
        #expect(s.scaleToZero.warmupRequest && s.scaleToZero.containerStart == .seconds(4) && s.scaleToZero.warmup == nil)
    }

    /// A stack with a storage of its own (NIM pulls from its registry) uses it unless the
    /// scenario names a tier.
    @Test func aStacksOwnStorageAppliesUnlessATierIsNamed() throws {
        let nim = try ScenarioLoader.parse(Self.minimal.replacingOccurrences(of: "slo:", with: "serving: {stack: runai-nim}\nslo:"), file: "s.yaml")
        #expect(nim.storageTier.name == "registry-download")
        let stated = try ScenarioLoader.parse(
            Self.minimal.replacingOccurrences(of: "slo:", with: "serving: {stack: runai-nim}\nslo:")
                .replacingOccurrences(of: "host: {memory: 256GiB}", with: "host: {memory: 256GiB}\n  storage: {tier: local-nvme}"),
            file: "s.yaml")
        #expect(stated.storageTier.name == "local-nvme")
    }

    @Test func servingDefaultsApplyToEveryModelUnlessOverridden() throws {
        let yaml = Self.minimal
            .replacingOccurrences(of: "models:\n  - {name: llama, arch: llama-3.1-8b}", with: """
                serving: {kv_cache: 4GiB, max_batch: 32}
                models:
                  - {name: llama, arch: llama-3.1-8b}
                  - {name: mistral, arch: mistral-7b, kv_cache: 2GiB, max_batch: 8}
                """)
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        #expect(s.models.map(\.kvCache) == [.gibibytes(4), .gibibytes(2)])
        #expect(s.models.map(\.maxBatch) == [32, 8])
    }

    @Test func inlineGPUOverrideAppliesOnTopOfTheCatalogue() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "gpu: H100-SXM", with: "gpu: {base: H100-SXM, name: H100-NVL, memory: 94GiB, price_per_hour_usd: 4.5}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        var expected = try #require(GPUCatalog.named("H100-SXM"))
        expected.name = "H100-NVL"
        expected.memory = .gibibytes(94)
        expected.pricePerHour = Dollars(4.5)
        #expect(s.cluster.gpu == expected)
        // The GPU's price is the cost default when costs.gpu_hour_usd is not given.
        #expect(s.costs.gpuHour == Dollars(4.5))
    }

    @Test func inlineGPUOverrideOfMemoryOnly() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "gpu: H100-SXM", with: "gpu: {base: H100-SXM, memory: 94GiB}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        let base = try #require(GPUCatalog.named("H100-SXM"))
        #expect(s.cluster.gpu.memory == .gibibytes(94))
        #expect(s.cluster.gpu.name == "H100-SXM")
        #expect(s.cluster.gpu.memoryBandwidth == base.memoryBandwidth)
        #expect(s.cluster.gpu.bf16 == base.bf16)
        #expect(s.cluster.gpu.link == base.link)
    }

    @Test func clusterLinkOverridesApply() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "gpu: H100-SXM", with: "gpu: H100-SXM\n  link: {h2d: 30GB/s, d2h: 28GB/s, latency: 5us, duplex: half}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        let link = s.cluster.gpu.link
        #expect(link.hostToDevice == .gigabytesPerSecond(30))
        #expect(link.deviceToHost == .gigabytesPerSecond(28))
        #expect(link.latency == .microseconds(5))
        #expect(link.duplex == .half)
        // Without pageable_h2d, pageable copies run at a third of the pinned rate.
        #expect(link.pageableHostToDevice == .gigabytesPerSecond(10))
        // No DMA cap unless one is stated.
        #expect(s.cluster.dmaBandwidth == nil)
    }

    @Test func pageableLinkRateCanBeGiven() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "gpu: H100-SXM", with: "gpu: H100-SXM\n  link: {h2d: 30GB/s, pageable_h2d: 6GB/s}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        #expect(s.cluster.gpu.link.pageableHostToDevice == .gigabytesPerSecond(6))
    }

    @Test func inlineArchitectureOverrideApplies() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "- {name: llama, arch: llama-3.1-8b}", with: "- {name: llama-awq, arch: {base: llama-3.1-8b, weights: 5GiB}}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        let base = try #require(ModelCatalog.named("llama-3.1-8b"))
        let arch = s.models[0].architecture
        #expect(s.models[0].name == "llama-awq")
        #expect(arch.weightBytes == .gibibytes(5))
        #expect(arch.parameters == base.parameters)
        #expect(arch.kvBytesPerToken == base.kvBytesPerToken)
        #expect(arch.flopsPerToken == base.flopsPerToken)
    }

    @Test func fullyInlineArchitecture() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "- {name: llama, arch: llama-3.1-8b}",
            with: "- {name: custom, arch: {parameters: 3.2B, layers: 28, kv_heads: 8, head_dim: 128}}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        let arch = s.models[0].architecture
        #expect(arch.parameters == 3_200_000_000)
        #expect(arch.activeParameters == 3_200_000_000)
        #expect(arch.weightBytes == ByteCount(bytes: 6_400_000_000))
        #expect(arch.kvBytesPerToken == ByteCount(bytes: 2 * 28 * 8 * 128 * 2))
    }

    @Test func hotSwapIdleTimeoutNeverMeansNoProactiveSwapOut() throws {
        let yaml = Self.minimal + "\nstrategies: {hot-swap: {idle_timeout: never, eviction: lfu, keep_host_copy: true}}"
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        #expect(s.hotSwap.idleTimeout == nil)
        #expect(s.hotSwap.eviction == .lfu)
        #expect(s.hotSwap.keepHostCopy)
    }

    @Test func percentileTargetsKeepTheirOrder() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "slo: {ttft: 2s}", with: "slo: {ttft: 2s, ttft_percentiles: {p50: 1s, p99.9: 20s}}")
        let s = try ScenarioLoader.parse(yaml, file: "s.yaml")
        #expect(s.slo.ttftPercentiles == [.init(percentile: 50, target: .seconds(1)), .init(percentile: 99.9, target: .seconds(20))])
    }
}
