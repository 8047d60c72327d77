// The serving-stack presets. Every constant is derived in validation/fit/derive_presets.py from
// the training cases (validation/cases/, from ../shared/validation/published.md); the numbers
// the script prints are copied here with the rule that produced them. Sources, shortened as in
// that script:
// - [BLOG] vLLM blog "Zero-Reload Model Switching with vLLM Sleep Mode", 2025-10-26, figure data
//   in vllm-project/vllm-project.github.io assets/figures/2025-vllm-sleep-mode/.
// - [PROF] upb-cn/vllm-startup-profiler (MLSys 2026 "Breaking the Ice"), vLLM 0.10.1.1 on an
//   H100 NVL and an L40S.
// - [RAY] ray-project/ray doc/source/serve/llm/user-guides/model-loading.md (8×H100).
// - [STREAMER] run-ai/runai-model-streamer docs/src/benchmarks.md (A10G, vLLM 0.5.5).
// - [MEDUSA] thustorage/Medusa (ASPLOS'25) start-up breakdowns, vLLM ~0.4.
// - vllm#48337: vllm-project/vllm pull request 48337, sleep/wake of Qwen3-0.6B/8B with LoRA.

/// The serving stacks swapsim knows by name.
public enum StackCatalog {
    /// vLLM ≥ 0.10 sleep mode, fitted on [BLOG]'s one-GPU A100 runs (Gen4 link):
    /// - level-1 wake = 1.868 ms × large tensors + bytes / (0.949 × H2D): the two-point solve
    ///   through Qwen3-0.6B (0.26 s) and Qwen3-Coder-30B (2.87 s); Phi-3-vision −7.4%,
    ///   Qwen3-235B-FP8 at TP 4 +2.7%, Qwen3-8B with LoRA (vllm#48337) −13.9%;
    /// - level-1 sleep = 0.358 ms × large tensors + bytes / (0.901 × D2H), the same solve over
    ///   their sleeps (0.093 s, 2.78 s); the first sleep of a process also allocates its pinned
    ///   backup, 1/ln 2 = 1.4427 × the bytes (the mean power-of-two rounding; vllm#48337: 22 GiB
    ///   for 15.3 GiB, 1.442), at 2.46 GB/s (from vllm#48337's 10.57 s; vllm-project/vime#444
    ///   measures 2.41 GiB/s = 2.59 GB/s for the same path);
    /// - level-2 wake reloads at 3.924 ms × large tensors + bytes at the loader's rate (from
    ///   [BLOG]'s Qwen3-0.6B, whose "level 2" slept at level 1 then reloaded; Phi-3-vision +4.9%);
    /// - level-2 sleep frees at 0.213 ms × large tensors + bytes / 95.5 GB/s (vllm#48337's two
    ///   models, 0.12 s and 0.31 s).
    static let sleep010 = SleepModeTimings(
        mapPerTensor: 0.001868, wakeEfficiency: 0.949, unmapPerTensor: 0.000358, sleepEfficiency: 0.901,
        pinAllocation: .gigabytesPerSecond(2.46), backupRounding: 1.4427, reloadPerTensor: 0.003924, reloadRate: nil,
        freePerTensor: 0.000213, unmapRate: .gigabytesPerSecond(95.5))

    /// vLLM ≥ 0.10 start-up on one rank, fitted as derive_presets.py prints:
    /// - runtime 8.7 s: [PROF]'s bootstrap (detect platform 0.03 + imports 1.48 + model info 5.41
    ///   + worker init 1.77), constant across eleven models on both GPUs;
    /// - KV profiling 1.0 + 0.04 × layers, graph capture 0.4 + 0.023 × layers ([PROF] §2.2 fits);
    /// - compile from cache 0.2181 s × layers ([RAY]'s three "all optimisations" rows: 6.63, 15.65,
    ///   22.65 s; least squares through the origin, +5.3/+11.5/−9.5%); cold 3.02 + 0.7221 × layers
    ///   ([RAY] baselines, Llama-3-8B 26.13 s and Llama-3-70B 60.79 s);
    /// - each further tensor-parallel rank 10.94 s ([RAY]'s residual TTFT − load − compile over
    ///   eight rows, 45.5 + 10.94 × TP; [BLOG]'s Qwen3-235B-FP8 at TP 4 is then −7.8%);
    /// - container 16.47 s: [BLOG]'s Qwen3-Coder-30B cold start (47.42 s, weights from the page
    ///   cache at 8.3 GB/s, compile from cache) less the stages above. It includes what the blog
    ///   timed beside the engine: the server's process and imports, a separate `import vllm`
    ///   check, and /health polled every 5 s;
    /// - first request: 2.57 s of lazy initialisation for a text model (mean of [BLOG]'s first
    ///   prompts after a cold start less those after a wake: Coder-30B 2.2, Qwen3-235B 2.27,
    ///   Qwen3-0.6B 3.24 s), 1.78 s more with a vision encoder (Phi-3-vision 5.54 s, SmolVLM2 on
    ///   an RTX A4000 3.16 s, the 2025-10-02 sleep post).
    static func vllm(_ name: String, _ summary: String, compile: CompileCost, loader: WeightLoader = .safetensors, sleep: SleepModeTimings = sleep010) -> ServingStack {
        ServingStack(
            name: name, summary: summary, container: 16.47, runtimeInit: 8.7,
            runtimeParts: ["imports": 1.48, "model info": 5.41, "worker init": 1.77, "platform": 0.03],
            perExtraRank: 10.94, compile: compile, kvProfiling: (1.0, 0.04, 0), graphCapture: (0.4, 0.023, 0),
            firstRequest: 2.57, firstRequestMultimodal: 1.78, loader: loader, storage: nil, sleep: sleep)
    }

    static let coldCompile = CompileCost.cold(fixed: 3.02, perLayer: 0.7221)
    static let cachedCompile = CompileCost.cached(perLayer: 0.2181, downloadPerLayer: 0)

    public static let all: [ServingStack] = {
        var out: [ServingStack] = [
            vllm("vllm-0.11", "vLLM 0.11 with its defaults in a fresh container: torch.compile from scratch, safetensors", compile: coldCompile),
            vllm("vllm-0.11-compile-cache", "vLLM 0.11 on a node that ran the model before: torch.compile from its cache", compile: cachedCompile),
            vllm("runai-streamer", "vLLM 0.11 reading weights with the Run:ai Model Streamer", compile: coldCompile, loader: .runaiStreamer),
            vllm("serverlessllm", "vLLM 0.11 reading weights with ServerlessLLM's loader", compile: coldCompile, loader: .serverlessllm),
            vllm("vllm-0.10", "vLLM 0.10: start-up and sleep mode as vLLM 0.11", compile: coldCompile),
        ]
        // vLLM's main branch in 2026 (vllm#48337): start-up as 0.11; its reload_weights path is
        // slower per byte. A level-2 wake remaps every large tensor at level 1's cost and reloads
        // the checkpoint's: from vllm#48337's level-2 wakes (Qwen3-0.6B 1.80 s, Qwen3-8B 6.53 s,
        // both with LoRA) less their remap, 4.588 ms × checkpoint tensors + bytes / 3.53 GB/s.
        var main = sleep010
        main.reloadPerTensor = 0.004588
        main.reloadRate = .gigabytesPerSecond(3.53)
        out.append(vllm("vllm-main", "vLLM's main branch of 2026: start-up as 0.11, its own level-2 reload", compile: cachedCompile, sleep: main))
        // Ray Serve LLM over vLLM: [RAY]'s residual (autoscaler, actor, vLLM start-up besides
        // load and compile, first request) is 45.5 + 10.94 × TP s; it is the container stage
        // here less the runtime stage, with no separate profiling, capture or first request.
        var ray = vllm("ray-serve-vllm", "Ray Serve LLM scaling a vLLM replica from zero", compile: coldCompile)
        ray.container = 45.5 + 10.94 - ray.runtimeInit
        ray.kvProfiling = (0, 0, 0)
        ray.graphCapture = (0, 0, 0)
        ray.firstRequest = 0
        ray.firstRequestMultimodal = 0
        out.append(ray)
        // With the compile cache fetched from object storage ([RAY]'s CloudDownloader): 1.187 s for
        // Llama-3-8B, 4.58 s for Llama-3-70B, 15 s for Qwen3-235B. 0.047 s per layer is the mean of
        // the two dense models' 0.037 and 0.057 (+27%, −18%); the 128-expert MoE's cache is larger
        // (−71%). A small stage either way: the rows' TTFTs are within 8%.
        var rayCache = ray
        rayCache.name = "ray-serve-vllm-compile-cache"
        rayCache.summary = "Ray Serve LLM with the torch.compile cache fetched from S3"
        rayCache.compile = .cached(perLayer: 0.2181, downloadPerLayer: 0.047)
        out.append(rayCache)
        // vLLM 0.5 ([STREAMER], A10G, Llama-3-8B): the engine is ready 18.72 s after its weights
        // are loaded (mean of five runs, 15.7-20.8 s); no torch.compile; the whole 18.72 s is
        // taken as the runtime stage, the one figure the source gives.
        var v05 = vllm("vllm-0.5", "vLLM 0.5: no torch.compile", compile: .none)
        v05.container = 0
        v05.runtimeInit = 18.72
        v05.runtimeParts = [:]
        v05.kvProfiling = (0, 0, 0)
        v05.graphCapture = (0, 0, 0)
        v05.firstRequest = 0
        v05.firstRequestMultimodal = 0
        out.append(v05)
        // vLLM ~0.4 engine stages ([MEDUSA], three models, engine only: no container or imports):
        // worker init 0.65, CUDA init 0.14, model structure 0.82, tokenizer 0.22 s (means);
        // KV profiling 0.41 + 0.028 s per billion parameters and graph capture 0.53 + 0.069 s per
        // billion (lines through Qwen1.5-0.5B and Qwen1.5-14B; OpenLLaMA-7B +18% and +5%).
        var v04 = vllm("vllm-0.4", "vLLM ~0.4 engine start-up (Medusa's breakdown)", compile: .none)
        v04.container = 0
        v04.runtimeInit = 0.65 + 0.14 + 0.82 + 0.22
        v04.runtimeParts = ["worker-init": 0.65, "cuda-init": 0.14, "model-init": 0.82, "tokenizer": 0.22]
        v04.perExtraRank = 0
        v04.kvProfiling = (0.41, 0, 0.028)
        v04.graphCapture = (0.53, 0, 0.069)
        v04.firstRequest = 0
        v04.firstRequestMultimodal = 0
        v04.storage = "spdk-optane-raid"
        out.append(v04)
        // NVIDIA NIM under Run:ai: vLLM 0.11's start-up, weights pulled from the model registry at
        // first start (NIM's cache is empty in a new pod).
        var nim = vllm("runai-nim", "NVIDIA NIM pods under Run:ai: vLLM 0.11 with weights pulled from the registry", compile: coldCompile)
        nim.storage = "registry-download"
        out.append(nim)
        return out
    }()

    /// The stack named `name`, as `CatalogName.key` compares names.
    public static func named(_ name: String) -> ServingStack? {
        let key = CatalogName.key(name)
        return all.first { CatalogName.key($0.name) == key }
    }

    /// The stack a scenario gets when it names none: vLLM 0.11 with its defaults.
    public static var defaultStack: ServingStack { named("vllm-0.11")! }
}
