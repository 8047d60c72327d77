import Testing
@testable import SwapSimCore

/// Catalogue entries added for the published validation cases, checked against figures worked
/// out by hand from each model's config.json (weight bytes = parameters × 2 for bf16, or the
/// quantised checkpoint's bytes; KV bytes per token = 2 × layers × KV heads × head dim × 2).
@Suite struct ModelCatalogTests {
    struct Expected: CustomTestStringConvertible, Sendable {
        var name: String
        var weightBytes: Int64
        var kvBytesPerToken: Int64
        var testDescription: String { name }
    }

    static let expected: [Expected] = [
        // 6,738,415,616 × 2; 32 layers × 32 KV heads × 128 × 2 × 2.
        Expected(name: "llama-2-7b", weightBytes: 13_476_831_232, kvBytesPerToken: 524_288),
        Expected(name: "open-llama-7b", weightBytes: 13_476_831_232, kvBytesPerToken: 524_288),
        // 68,976,648,192 × 2; 2 × 80 × 8 × 128 × 2.
        Expected(name: "llama-2-70b", weightBytes: 137_953_296_384, kvBytesPerToken: 327_680),
        // 8,030,261,248 × 2 (the Run:ai benchmark's "15 GB" file); 2 × 32 × 8 × 128 × 2.
        Expected(name: "llama-3-8b", weightBytes: 16_060_522_496, kvBytesPerToken: 131_072),
        Expected(name: "llama-3-70b", weightBytes: 141_107_412_992, kvBytesPerToken: 327_680),
        // 596,049,920 × 2; 2 × 28 × 8 × 128 × 2.
        Expected(name: "qwen3-0.6b", weightBytes: 1_192_099_840, kvBytesPerToken: 114_688),
        Expected(name: "qwen3-8b", weightBytes: 16_381_470_720, kvBytesPerToken: 147_456),
        Expected(name: "qwen3-32b", weightBytes: 65_524_246_528, kvBytesPerToken: 262_144),
        // 30,532,122,624 × 2 = 61.06 GB; 2 × 48 × 4 × 128 × 2.
        Expected(name: "qwen3-coder-30b-a3b", weightBytes: 61_064_245_248, kvBytesPerToken: 98_304),
        // 235,093,634,560 × 2; 2 × 94 × 4 × 128 × 2.
        Expected(name: "qwen3-235b-a22b", weightBytes: 470_187_269_120, kvBytesPerToken: 192_512),
        // Block-FP8 checkpoint: 59.1 GB per GPU at TP=4, as the sleep-mode blog's "≈59 GB".
        Expected(name: "qwen3-235b-a22b-fp8", weightBytes: 236_445_455_360, kvBytesPerToken: 192_512),
        // 4,146,621,440 × 2 = 8.29 GB (the two shards, 4.94 + 3.35 GB); 2 × 32 × 32 × 96 × 2.
        Expected(name: "phi-3-vision-128k-instruct", weightBytes: 8_293_242_880, kvBytesPerToken: 393_216),
        Expected(name: "smolvlm2-2.2b-instruct", weightBytes: 4_495_000_000, kvBytesPerToken: 196_608),
        // 619,570,176 × 2; 2 × 24 × 16 × 64 × 2.
        Expected(name: "qwen1.5-0.5b", weightBytes: 1_239_140_352, kvBytesPerToken: 98_304),
        // 14,167,290,880 × 2; 2 × 40 × 40 × 128 × 2.
        Expected(name: "qwen1.5-14b", weightBytes: 28_334_581_760, kvBytesPerToken: 819_200),
        Expected(name: "granite-3.1-8b-instruct", weightBytes: 16_341_696_512, kvBytesPerToken: 163_840),
        Expected(name: "granite-3.3-8b-instruct", weightBytes: 16_341_696_512, kvBytesPerToken: 163_840),
        Expected(name: "deepseek-r1-distill-qwen-7b", weightBytes: 15_231_233_024, kvBytesPerToken: 57_344),
        Expected(name: "deepseek-r1-distill-qwen-32b", weightBytes: 65_527_752_704, kvBytesPerToken: 262_144),
    ]

    @Test(arguments: expected)
    func entryMatchesHandComputedFigures(_ e: Expected) throws {
        let model = try #require(ModelCatalog.named(e.name), "\(e.name) is not in the catalogue")
        #expect(model.weightBytes.bytes == e.weightBytes)
        #expect(model.kvBytesPerToken.bytes == e.kvBytesPerToken)
    }

    @Test func coderShapesEqualQwen3MoE() throws {
        let coder = try #require(ModelCatalog.named("qwen3-coder-30b-a3b"))
        let base = try #require(ModelCatalog.named("qwen3-30b-a3b"))
        #expect(coder.kvBytesPerToken == base.kvBytesPerToken)
        #expect(coder.activeParameters == base.activeParameters)
        // The base entry uses the card's rounded 30.5B; the coder entry the computed count.
        let gap = Double(coder.weightBytes.bytes - base.weightBytes.bytes) / Double(base.weightBytes.bytes)
        #expect(abs(gap) < 0.002)
    }

    @Test func fp8CheckpointIsAboutHalfTheBF16Bytes() throws {
        let bf16 = try #require(ModelCatalog.named("qwen3-235b-a22b"))
        let fp8 = try #require(ModelCatalog.named("qwen3-235b-a22b-fp8"))
        let ratio = Double(fp8.weightBytes.bytes) / Double(bf16.weightBytes.bytes)
        #expect(ratio > 0.50 && ratio < 0.51)
        #expect(fp8.flopsPerToken == bf16.flopsPerToken)
    }

    @Test func catalogueNamesAreUniqueUnderMatching() {
        let keys = ModelCatalog.all.map { CatalogName.key($0.name) }
        #expect(Set(keys).count == keys.count)
        let gpuKeys = GPUCatalog.all.map { CatalogName.key($0.name) }
        #expect(Set(gpuKeys).count == gpuKeys.count)
    }

    @Test(arguments: ["H100-NVL", "H200-NVL", "A100-PCIe-80GB", "A10", "RTX-A4000"])
    func addedGPUsAreFoundByName(_ name: String) throws {
        let gpu = try #require(GPUCatalog.named(name))
        #expect(gpu.link.hostToDevice.gigabytesPerSecond > 20)
        #expect(gpu.memory.bytes > 0)
    }

    /// The link figures the training set's nvbandwidth rows check (±5% copy-rate tolerance).
    @Test func linkFiguresMatchTrainingCopyRates() throws {
        func within(_ value: Double, _ measured: Double) -> Bool { abs(value / measured - 1) <= 0.05 }
        let a100 = try #require(GPUCatalog.named("A100-80GB")).link
        for m in [25.2, 26.2] { #expect(within(a100.hostToDevice.gigabytesPerSecond, m)) }
        let h100 = try #require(GPUCatalog.named("H100-SXM")).link
        for m in [55.36, 55.6] { #expect(within(h100.hostToDevice.gigabytesPerSecond, m)) }
        for m in [55.2, 57.3] { #expect(within(h100.deviceToHost.gigabytesPerSecond, m)) }
        let gh200 = try #require(GPUCatalog.named("GH200")).link
        let mean = (299.5 + 337.6 + 346) / 3
        #expect(within(gh200.hostToDevice.gigabytesPerSecond, mean))
    }
}
