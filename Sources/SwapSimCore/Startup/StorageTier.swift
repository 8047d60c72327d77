/// Where a node reads model weights from, and how fast each loader reads it.
///
/// Figures are the rates measured in the training cases (validation/cases/, derived in
/// validation/fit/derive_presets.py); each says where it comes from.
public struct StorageTier: Hashable, Sendable {
    /// Catalogue name, as scenarios write it (`cluster.storage.tier`).
    public var name: String
    /// The node's read bandwidth from it, shared by every load on the node.
    public var bandwidth: Bandwidth
    /// The most one process streams from it with a parallel loader (an object store serves
    /// each client's streams at a bounded rate); nil: the tier's bandwidth.
    public var perProcess: Bandwidth?
    /// What vLLM's default safetensors loader reads per process: it maps the files and
    /// faults their pages in, so on block storage it is bound by fault latency, not bandwidth.
    public var safetensorsRate: Bandwidth

    public init(name: String, bandwidth: Bandwidth, perProcess: Bandwidth? = nil, safetensorsRate: Bandwidth) {
        self.name = name
        self.bandwidth = bandwidth
        self.perProcess = perProcess
        self.safetensorsRate = safetensorsRate
    }
}

/// The storage tiers swapsim knows by name.
public enum StorageCatalog {
    public static let all: [StorageTier] = [
        // Weights already in the host's page cache (a model loaded before on this node).
        // safetensors copies them out at 8.3 GB/s per process on an EPYC 9354 host, the same with
        // an H100 NVL and an L40S, so CPU-bound ([PROF]: upb-cn/vllm-startup-profiler,
        // figures/figure-13/case0, Llama-2-13B 26.0 GB in 3.16 s). Host memory bandwidth
        // (≥ 200 GB/s per socket) is not the limit; 100 GB/s is taken for the node.
        StorageTier(name: "page-cache", bandwidth: .gigabytesPerSecond(100), safetensorsRate: .gigabytesPerSecond(8.3)),
        // A local NVMe SSD: PCIe Gen4 x4, ~7 GB/s sequential (vendor class figure). safetensors
        // after `drop_caches` reads 0.54 GB/s ([PROF] figure-13/case1, 13.5 GB in 24.8 s).
        StorageTier(name: "local-nvme", bandwidth: .gigabytesPerSecond(7), safetensorsRate: .gigabytesPerSecond(0.54)),
        // AWS EBS gp3 provisioned at 1,000 MiB/s (= 1.05 GB/s): the Run:ai streamer reads 16.06 GB
        // in 14.34 s = 1.12 GB/s, safetensors in 47.99 s = 0.335 GB/s (run-ai/runai-model-streamer
        // docs/src/benchmarks.md, g5.12xlarge).
        StorageTier(name: "gp3", bandwidth: .gigabytesPerSecond(1.12), safetensorsRate: .gigabytesPerSecond(0.335)),
        // AWS EBS io2 (up to 4,000 MiB/s, but the g5.12xlarge's EBS link is 16 Gbit/s = 2 GB/s):
        // the streamer reads 2.13 GB/s (7.53 s), safetensors 0.342 GB/s (47 s), same document.
        StorageTier(name: "io2", bandwidth: .gigabytesPerSecond(2.13), safetensorsRate: .gigabytesPerSecond(0.342)),
        // Amazon S3 in the same region. One process streams 3.3-3.9 GB/s (streamer on a g5.12xlarge:
        // 16.06 GB in 4.88 s = 3.29 GB/s; Ray Serve on 8×H100: 4.07 s = 3.95 GB/s): 3.6 GB/s per
        // process. Eight processes of one 8×H100 node stream 6.2 GB/s together (Ray Serve, Qwen3-235B
        // sharded, 470 GB in 75.8 s) and four 5.6 GB/s (Llama-3-70B, 141 GB in 25.0 s): 6 GB/s per
        // node (ray-project/ray doc/source/serve/llm/user-guides/model-loading.md).
        StorageTier(name: "s3", bandwidth: .gigabytesPerSecond(6), perProcess: .gigabytesPerSecond(3.6), safetensorsRate: .gigabytesPerSecond(3.6)),
        // Downloading from the Hugging Face Hub inside vLLM's load: 0.83, 0.66 and 0.62 GB/s for
        // Llama-3-8B, Llama-3-70B and Qwen3-235B (Ray Serve baselines, same document); 0.7 GB/s.
        StorageTier(name: "hf-download", bandwidth: .gigabytesPerSecond(0.7), safetensorsRate: .gigabytesPerSecond(0.7)),
        // Four Intel Optane P5800X through SPDK, read at ~20 GB/s by Medusa's loader (thustorage/Medusa
        // README; weight-load stages of 1.24-28.3 GB at 17.7-20.8 GB/s).
        StorageTier(name: "spdk-optane-raid", bandwidth: .gigabytesPerSecond(20), safetensorsRate: .gigabytesPerSecond(20)),
        // A model registry download at first start (NVIDIA NIM pulls from NGC into its cache):
        // 0.234 GB/s, the one free constant of the Run:ai scale-from-zero figures (> 140 s for 7-8B,
        // > 200 s for 11B, 50-66x and 44-61x the swap TTFT; Run:ai/NVIDIA blogs), chosen to minimise
        // the worst miss over those seven figures (validation/fit/derive_presets.py, "NIM under Run:ai").
        StorageTier(name: "registry-download", bandwidth: .gigabytesPerSecond(0.234), safetensorsRate: .gigabytesPerSecond(0.234)),
    ]

    /// The tier named `name`, as `CatalogName.key` compares names.
    public static func named(_ name: String) -> StorageTier? {
        let key = CatalogName.key(name)
        return all.first { CatalogName.key($0.name) == key }
    }

    /// The tier scenarios get when they name none: weights in the page cache (a node that has
    /// served the model before).
    public static var defaultTier: StorageTier { named("page-cache")! }
}

/// How a server reads its weights from storage.
public enum WeightLoader: String, Hashable, Sendable, CaseIterable {
    /// vLLM's default: safetensors files mapped into memory; each tensor-parallel rank reads
    /// the tensors of its shard, at the tier's safetensors rate.
    case safetensors
    /// Run:ai Model Streamer (`load_format: runai_streamer`): many concurrent reads, at the
    /// tier's rate; without sharded files every rank streams the whole checkpoint.
    case runaiStreamer = "runai-streamer"
    /// Run:ai Model Streamer over files sharded per rank (`runai_streamer_sharded`).
    case runaiStreamerSharded = "runai-streamer-sharded"
    /// ServerlessLLM's loader: its own format, O_DIRECT reads into a pinned pool, at the
    /// tier's rate per process (20.5 GB/s from NVMe on 8×H100 against 3.2 GB/s for safetensors,
    /// ServerlessLLM sllm_store benchmark, Qwen3-32B).
    case serverlessllm

    /// Bytes one rank of a replica of `weights` on `tp` GPUs reads.
    public func bytesPerRank(_ weights: ByteCount, tensorParallel tp: Int) -> ByteCount {
        self == .runaiStreamer ? weights : weights.divided(into: tp)
    }

    /// The rate one process reads at from `tier`.
    public func rate(from tier: StorageTier) -> Bandwidth {
        switch self {
        case .safetensors: return tier.safetensorsRate
        case .runaiStreamer, .runaiStreamerSharded, .serverlessllm: return tier.perProcess ?? tier.bandwidth
        }
    }
}
