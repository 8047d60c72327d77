// Tied embeddings (`tie_word_embeddings: true`) and vision encoders are marked per entry with
// `tied(…)` and `withVision(layers, …)`: sleep mode's cost follows the count of large tensors
// (`ModelArchitecture.largeTensors`).
//
// Catalogue of open models with architecture figures from their published Hugging Face
// config.json files and parameter counts from their model cards.
//
// Per entry: layers = num_hidden_layers; kvHeads = num_key_value_heads (num_kv_heads for
// Falcon); headDimension = head_dim where the config states it, else
// hidden_size / num_attention_heads. All entries are bf16 weights and bf16 KV cache
// (bytesPerParameter 2, kvBytesPerElement 2), the dtype the checkpoints are published in.
//
// Parameter counts: the exact safetensors total where it is known, else the model card's
// rounded figure (e.g. "7.61B" -> 7_610_000_000); each entry says which.
//
// Where no safetensors total was read, the parameter count is COMPUTED from the config.json
// figures (embeddings + per-layer attention, MLP or experts, norms; tied embeddings counted once)
// and the entry says so; the computed totals agree with the rounded figure on the model card.
// Computed entries were cross-checked by summing the same formula for models whose totals are
// published (Llama-3-8B 8,030,261,248; Llama-3-70B 70,553,706,496), which it reproduces exactly.
//
// A quantised checkpoint sets `weightBytesOverride` (see `withWeightBytes`): its bytes are not
// parameters × one width, because embeddings, norms and routers stay in bf16 and block scales add
// a little. KV bytes stay bf16 (kvBytesPerElement 2) unless the source ran an fp8 KV cache.

/// Open models swapsim knows by name, with architecture figures from their published configs.
public enum ModelCatalog {
    public static let all: [ModelArchitecture] = [
        // meta-llama/Llama-3.2-1B — config.json: num_hidden_layers 16, num_key_value_heads 8,
        // head_dim 64 (hidden_size 2048 / num_attention_heads 32). Parameters: 1,235,814,400
        // (safetensors total, shown as "1.24B" on the HF page).
        tied(ModelArchitecture(
            name: "llama-3.2-1b", parameters: 1_235_814_400, layers: 16, kvHeads: 8,
            headDimension: 64)),

        // meta-llama/Llama-3.2-3B — config.json: num_hidden_layers 28, num_key_value_heads 8,
        // head_dim 128 (hidden_size 3072 / num_attention_heads 24). Parameters: 3,212,749,824
        // (safetensors total, "3.21B" on the HF page).
        tied(ModelArchitecture(
            name: "llama-3.2-3b", parameters: 3_212_749_824, layers: 28, kvHeads: 8,
            headDimension: 128)),

        // Qwen/Qwen2.5-1.5B — config.json: num_hidden_layers 28, num_key_value_heads 2,
        // hidden_size 1536 / num_attention_heads 12 = 128. Model card: "Number of Parameters:
        // 1.54B", "Number of Attention Heads (GQA): 12 for Q and 2 for KV".
        tied(ModelArchitecture(
            name: "qwen2.5-1.5b", parameters: 1_540_000_000, layers: 28, kvHeads: 2,
            headDimension: 128)),

        // Qwen/Qwen2.5-3B — config.json: num_hidden_layers 36, num_key_value_heads 2,
        // hidden_size 2048 / num_attention_heads 16 = 128. Model card: "Number of Parameters:
        // 3.09B", "Number of Attention Heads (GQA): 16 for Q and 2 for KV".
        tied(ModelArchitecture(
            name: "qwen2.5-3b", parameters: 3_090_000_000, layers: 36, kvHeads: 2,
            headDimension: 128)),

        // meta-llama/Llama-3.1-8B — config.json: num_hidden_layers 32, num_key_value_heads 8,
        // hidden_size 4096 / num_attention_heads 32 = head 128 (also listed for
        // meta-llama/Llama-3.1-8B in public tooling, e.g. "num_layers": 32, "num_kv_heads": 8,
        // "head_dim": 128). Parameters: 8,030,261,248 (safetensors total shown on the HF page).
        ModelArchitecture(
            name: "llama-3.1-8b", parameters: 8_030_261_248, layers: 32, kvHeads: 8,
            headDimension: 128),

        // meta-llama/Llama-3.1-70B — config.json: num_hidden_layers 80, num_key_value_heads 8,
        // hidden_size 8192 / num_attention_heads 64 = 128. Parameters: 70,553,706,496
        // (safetensors total, shown rounded as "70.6B" on the HF page).
        ModelArchitecture(
            name: "llama-3.1-70b", parameters: 70_553_706_496, layers: 80, kvHeads: 8,
            headDimension: 128),

        // mistralai/Mistral-7B-v0.3 — config.json: num_hidden_layers 32,
        // num_key_value_heads 8, hidden_size 4096 / num_attention_heads 32 = 128.
        // Parameters: HF page "7.25B" (rounded; v0.3 has the extended 32768-token vocabulary).
        ModelArchitecture(
            name: "mistral-7b", parameters: 7_250_000_000, layers: 32, kvHeads: 8,
            headDimension: 128),

        // tiiuae/falcon-11B (Falcon2-11B) — model card "Technical Specifications": Layers 60,
        // d_model 4096, head_dim 128; config.json: num_attention_heads 32, num_kv_heads 8 with
        // new_decoder_architecture (grouped KV). NOTE: the card's prose says "multiquery";
        // the 8 KV heads are from config.json and the Falcon2 report (arXiv 2407.14885) and
        // were not re-read in this session — verify if KV size matters. Parameters: card
        // "11B", HF page "11.1B" (rounded).
        ModelArchitecture(
            name: "falcon-11b", parameters: 11_100_000_000, layers: 60, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen2.5-7B — config.json: num_hidden_layers 28, num_key_value_heads 4,
        // hidden_size 3584 / num_attention_heads 28 = 128
        // (https://huggingface.co/osllmai-community/Qwen2.5-7B-Instruct/blob/main/config.json,
        // a copy of the Qwen config). Parameters: model card "Number of Parameters: 7.61B".
        ModelArchitecture(
            name: "qwen2.5-7b", parameters: 7_610_000_000, layers: 28, kvHeads: 4,
            headDimension: 128),

        // Qwen/Qwen2.5-14B — config.json: num_hidden_layers 48, num_key_value_heads 8,
        // hidden_size 5120 / num_attention_heads 40 = 128. Model card: "Number of Parameters:
        // 14.7B", "Number of Attention Heads (GQA): 40 for Q and 8 for KV".
        ModelArchitecture(
            name: "qwen2.5-14b", parameters: 14_700_000_000, layers: 48, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen2.5-32B — config.json: num_hidden_layers 64, num_key_value_heads 8,
        // hidden_size 5120 / num_attention_heads 40 = 128. Model card: "Number of Parameters:
        // 32.5B", "40 for Q and 8 for KV".
        ModelArchitecture(
            name: "qwen2.5-32b", parameters: 32_500_000_000, layers: 64, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen2.5-72B — config.json: num_hidden_layers 80, num_key_value_heads 8,
        // hidden_size 8192 / num_attention_heads 64 = 128. Model card: "Number of Parameters:
        // 72.7B", "64 for Q and 8 for KV".
        ModelArchitecture(
            name: "qwen2.5-72b", parameters: 72_700_000_000, layers: 80, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen3-30B-A3B (MoE, 128 experts, 8 active) — config.json: num_hidden_layers 48,
        // num_key_value_heads 4, head_dim 128 (stated explicitly; hidden_size 2048 with 32 query
        // heads, so hidden_size / heads would wrongly give 64). Model card: "Number of
        // Parameters: 30.5B in total and 3.3B activated", "32 for Q and 4 for KV".
        ModelArchitecture(
            name: "qwen3-30b-a3b", parameters: 30_500_000_000, activeParameters: 3_300_000_000,
            layers: 48, kvHeads: 4, headDimension: 128),

        // mistralai/Mixtral-8x7B-v0.1 (MoE, 8 experts, 2 active) — config.json:
        // num_hidden_layers 32, num_key_value_heads 8, hidden_size 4096 /
        // num_attention_heads 32 = 128. Parameters: 46.7B total, 12.9B used per token
        // (Mistral AI "Mixtral of experts" announcement and the Mixtral paper, arXiv 2401.04088).
        ModelArchitecture(
            name: "mixtral-8x7b", parameters: 46_700_000_000, activeParameters: 12_900_000_000,
            layers: 32, kvHeads: 8, headDimension: 128),

        // google/gemma-2-9b — config.json: num_hidden_layers 42, num_key_value_heads 8,
        // head_dim 256 (stated explicitly; 16 query heads, hidden_size 3584). Parameters: HF
        // page "9.24B" (rounded). Gemma 2 alternates 4096-token sliding-window and global
        // layers; the KV figure here is the full (all-layers-global) upper bound.
        ModelArchitecture(
            name: "gemma-2-9b", parameters: 9_240_000_000, layers: 42, kvHeads: 8,
            headDimension: 256),

        // google/gemma-2-27b — config.json: num_hidden_layers 46, num_key_value_heads 16,
        // head_dim 128 (stated explicitly; 32 query heads, hidden_size 4608). Parameters: HF
        // page "27.2B" (rounded). Same sliding-window caveat as gemma-2-9b.
        ModelArchitecture(
            name: "gemma-2-27b", parameters: 27_200_000_000, layers: 46, kvHeads: 16,
            headDimension: 128),

        // ---- Qwen3 family (vLLM sleep-mode blog, 2025-10-26; Ray Serve model-loading guide) ----

        // Qwen/Qwen3-0.6B — config.json: num_hidden_layers 28, num_attention_heads 16,
        // num_key_value_heads 8, head_dim 128 (stated; hidden_size 1024), intermediate_size 3072,
        // vocab_size 151936, tie_word_embeddings true (config copy at
        // https://huggingface.co/TensorStack/TextEncoder/blob/main/Qwen-3-06B/config.json).
        // Parameters: 596,049,920 COMPUTED from those figures with the embedding counted once
        // (model card: "Number of Parameters: 0.6B", "Non-Embedding: 0.44B" = 440,466,432 computed).
        // NOTE (unverified): the published safetensors file is reported as ~1.5 GB, i.e. the tied
        // lm_head stored twice; vLLM keeps one copy on the GPU, which is what this entry counts.
        tied(ModelArchitecture(
            name: "qwen3-0.6b", parameters: 596_049_920, layers: 28, kvHeads: 8,
            headDimension: 128)),

        // Qwen/Qwen3-8B — config.json: num_hidden_layers 36, num_attention_heads 32,
        // num_key_value_heads 8, head_dim 128, hidden_size 4096, intermediate_size 12288,
        // vocab_size 151936, tie_word_embeddings false (verbatim copy committed as "Copy config.json
        // from Qwen/Qwen3-8B", https://huggingface.co/thejaminator/qwen-hook-layer-9/commit/478fb720f1f3ced834fce0275b55b2732d438edc).
        // Parameters: 8,190,735,360 COMPUTED from the config (model card "8.2B").
        ModelArchitecture(
            name: "qwen3-8b", parameters: 8_190_735_360, layers: 36, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen3-32B — config.json: num_hidden_layers 64, num_attention_heads 64,
        // num_key_value_heads 8, head_dim 128, hidden_size 5120, intermediate_size 25600,
        // vocab_size 151936, untied embeddings (Qwen3 technical report, arXiv 2505.09388, Table 1:
        // 64 layers, 64/8 heads). Parameters: 32,762,123,264 COMPUTED (model card "32.8B").
        // Figures recalled from the model card, not re-read in this session.
        ModelArchitecture(
            name: "qwen3-32b", parameters: 32_762_123_264, layers: 64, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen3-Coder-30B-A3B-Instruct — same architecture as Qwen3-30B-A3B: model card
        // "30.5B in total and 3.3B activated", "Number of Layers: 48", "32 for Q and 4 for KV",
        // "128 experts, 8 activated"; config.json head_dim 128, hidden_size 2048,
        // moe_intermediate_size 768. The configs differ only in context length (262,144 native
        // vs 40,960) and rope_theta, which do not change bytes. A separate entry (not an alias)
        // because the catalogue has no alias mechanism. Parameters: 30,532,122,624 COMPUTED from
        // the config (the qwen3-30b-a3b entry above uses the card's rounded 30.5B; 0.1% apart).
        ModelArchitecture(
            name: "qwen3-coder-30b-a3b", parameters: 30_532_122_624,
            activeParameters: 3_300_000_000, layers: 48, kvHeads: 4, headDimension: 128),

        // Qwen/Qwen3-235B-A22B (MoE, 128 experts, 8 active) — config.json: num_hidden_layers 94,
        // num_attention_heads 64, num_key_value_heads 4, head_dim 128, hidden_size 4096,
        // moe_intermediate_size 1536, vocab_size 151936, untied embeddings (the same figures in
        // THUDM/slime scripts/models/qwen3-235B-A22B.sh: --num-layers 94, --num-query-groups 4,
        // --kv-channels 128, --moe-ffn-hidden-size 1536, --num-experts 128). Model card: "235B in
        // total and 22B activated". Parameters: 235,093,634,560 COMPUTED from the config.
        ModelArchitecture(
            name: "qwen3-235b-a22b", parameters: 235_093_634_560,
            activeParameters: 22_000_000_000, layers: 94, kvHeads: 4, headDimension: 128),

        // Qwen/Qwen3-235B-A22B-Instruct-2507-FP8 (the checkpoint the vLLM sleep-mode blog ran at
        // TP=4) — same architecture as above, block-wise FP8 (e4m3, 128×128 blocks, fp32 scales)
        // for the attention and expert projections; embeddings, lm_head, routers and norms bf16.
        // Weight bytes: 236,445,455,360 ESTIMATED from the config on that layout
        // (233,798,893,568 B of fp8 weights + 57,079,808 B of scales + 2,589,481,984 B of bf16
        // tensors). Check: /4 = 59.1 GB per GPU, the "≈59 GB per GPU" of the blog's TP=4 case.
        withWeightBytes(
            236_445_455_360,
            ModelArchitecture(
                name: "qwen3-235b-a22b-fp8", parameters: 235_093_634_560,
                activeParameters: 22_000_000_000, layers: 94, kvHeads: 4, headDimension: 128,
                bytesPerParameter: 1)),

        // microsoft/Phi-3-vision-128k-instruct — config.json: num_hidden_layers 32,
        // num_attention_heads 32, num_key_value_heads 32 (no GQA), hidden_size 3072
        // (head 3072 / 32 = 96), intermediate_size 8192, img_processor
        // openai/clip-vit-large-patch14-336 (config copy at
        // https://huggingface.co/tejeshbhalla/phi-3-vision/blob/main/config.json). Parameters:
        // 4,146,621,440 (HF page "4.15B", recalled); consistent with the two safetensors shards,
        // 4.94 GB + 3.35 GB = 8.29 GB in bf16 (file list at
        // https://huggingface.co/microsoft/Phi-3-vision-128k-instruct/tree/11cb03c6af0a4d85e27f8a5b8e174b87e627c9e7).
        // KV figure is the text decoder's; the CLIP encoder keeps no KV cache.
        // Vision encoder: CLIP ViT-L/14-336, 24 transformer layers (openai/clip-vit-large-patch14-336
        // config.json, vision_config.num_hidden_layers 24).
        withVision(24, ModelArchitecture(
            name: "phi-3-vision-128k-instruct", parameters: 4_146_621_440, layers: 32, kvHeads: 32,
            headDimension: 96)),

        // HuggingFaceTB/SmolVLM2-2.2B-Instruct (second model of the vLLM sleep-mode post of
        // 2025-10-02) — text decoder is SmolLM2-1.7B (transformers SmolVLM docs: "uses SmolLM2 as
        // text model"; SmolLM2-1.7B config.json: num_hidden_layers 24, num_attention_heads 32,
        // num_key_value_heads 32, head_dim 64, hidden_size 2048) plus a SigLIP vision encoder.
        // Parameters: 2,247,500,000 ESTIMATED from the shards, 4.96 GB + 4.03 GB = 8.99 GB stored
        // as fp32 (https://huggingface.co/HuggingFaceTB/SmolVLM2-2.2B-Instruct/tree/refs%2Fpr%2F10);
        // vLLM's --dtype auto serves it in bf16 (2 bytes), so GPU weights ≈ 4.5 GB.
        // Vision encoder: SigLIP so400m, 27 transformer layers (google/siglip-so400m-patch14-384
        // config.json, vision_config.num_hidden_layers 27, the encoder SmolVLM2 builds on).
        withVision(27, ModelArchitecture(
            name: "smolvlm2-2.2b-instruct", parameters: 2_247_500_000, layers: 24, kvHeads: 32,
            headDimension: 64)),

        // ---- Llama 3.0 and Llama 2 (Ray Serve guide; Run:ai streamer benchmark; serving set) ----

        // meta-llama/Meta-Llama-3-8B — config.json: num_hidden_layers 32, num_key_value_heads 8,
        // hidden_size 4096 / num_attention_heads 32 = 128, intermediate_size 14336, vocab 128256;
        // the same shapes as Llama-3.1-8B. Parameters: 8,030,261,248 (safetensors total; the
        // Run:ai streamer benchmark calls the bf16 file "15 GB" = 16.06 GB = 14.96 GiB).
        ModelArchitecture(
            name: "llama-3-8b", parameters: 8_030_261_248, layers: 32, kvHeads: 8,
            headDimension: 128),

        // meta-llama/Meta-Llama-3-70B — config.json: num_hidden_layers 80, num_key_value_heads 8,
        // hidden_size 8192 / num_attention_heads 64 = 128, intermediate_size 28672, vocab 128256.
        // Parameters: 70,553,706,496 (safetensors total, as Llama-3.1-70B).
        ModelArchitecture(
            name: "llama-3-70b", parameters: 70_553_706_496, layers: 80, kvHeads: 8,
            headDimension: 128),

        // meta-llama/Llama-2-7b-hf — config.json: num_hidden_layers 32, num_attention_heads 32,
        // num_key_value_heads 32 (multi-head, no GQA), hidden_size 4096 (head 128),
        // intermediate_size 11008, vocab 32000. Parameters: 6,738,415,616 (safetensors total,
        // "6.74B"; the same formula reproduces it). KV: 32 × 32 × 128 × 2 × 2 = 524,288 B/token.
        ModelArchitecture(
            name: "llama-2-7b", parameters: 6_738_415_616, layers: 32, kvHeads: 32,
            headDimension: 128),

        // meta-llama/Llama-2-70b-hf — config.json: num_hidden_layers 80, num_attention_heads 64,
        // num_key_value_heads 8 (GQA), hidden_size 8192 (head 128), intermediate_size 28672,
        // vocab 32000. Parameters: 68,976,648,192 COMPUTED from the config (model card "70B",
        // HF page "69B").
        ModelArchitecture(
            name: "llama-2-70b", parameters: 68_976_648_192, layers: 80, kvHeads: 8,
            headDimension: 128),

        // openlm-research/open_llama_7b — the "Llama-7B" of the Medusa (ASPLOS'25) start-up
        // breakdowns (thustorage/Medusa examples/llm_engine_example.py maps "Llama-7B" to
        // openlm-research/open_llama_7b @6fb184ff). Same shapes as LLaMA-7B / Llama-2-7b:
        // 32 layers, 32 heads, 32 KV heads, hidden 4096, intermediate 11008, vocab 32000.
        // Parameters: 6,738,415,616 COMPUTED (equal to llama-2-7b).
        ModelArchitecture(
            name: "open-llama-7b", parameters: 6_738_415_616, layers: 32, kvHeads: 32,
            headDimension: 128),

        // ---- Qwen1.5 (Medusa start-up profiles; vllm-startup-profiler data set) ----

        // Qwen/Qwen1.5-0.5B — the "Qwen-0.5B" of the Medusa profiles (same file maps it to
        // Qwen/Qwen1.5-0.5B @8f445e36; upb-cn/vllm-startup-profiler download_models.py uses the
        // same checkpoint under the same label). config.json: num_hidden_layers 24,
        // num_attention_heads 16, num_key_value_heads 16, hidden_size 1024 (head 64),
        // intermediate_size 2816, vocab 151936, untied embeddings, qkv bias. Parameters:
        // 619,570,176 COMPUTED (HF page "620M"; card "0.5B"). Figures recalled from the config,
        // not re-read in this session.
        ModelArchitecture(
            name: "qwen1.5-0.5b", parameters: 619_570_176, layers: 24, kvHeads: 16,
            headDimension: 64),

        // Qwen/Qwen1.5-14B — the "Qwen-14B" of the Medusa profiles (Qwen/Qwen1.5-14B @dce4b190,
        // run with max_model_len 4096). config.json: num_hidden_layers 40, num_attention_heads 40,
        // num_key_value_heads 40 (no GQA), hidden_size 5120 (head 128), intermediate_size 13696,
        // vocab 152064, untied, qkv bias. Parameters: 14,167,290,880 COMPUTED (HF page "14.2B").
        // Figures recalled from the config, not re-read in this session.
        ModelArchitecture(
            name: "qwen1.5-14b", parameters: 14_167_290_880, layers: 40, kvHeads: 40,
            headDimension: 128),

        // ---- IBM Granite (granite-8b models appear in vLLM sleep-mode reports, e.g.
        // vllm-project/vllm#36753, and in upb-cn/vllm-startup-profiler's model list) ----

        // ibm-granite/granite-3.1-8b-instruct — config.json: num_hidden_layers 40,
        // num_attention_heads 32, num_key_value_heads 8, hidden_size 4096 (head 128),
        // intermediate_size 12800, vocab 49155, tie_word_embeddings true. Parameters:
        // 8,170,848,256 COMPUTED (HF page "8.17B"). Recalled, not re-read in this session.
        tied(ModelArchitecture(
            name: "granite-3.1-8b-instruct", parameters: 8_170_848_256, layers: 40, kvHeads: 8,
            headDimension: 128)),

        // ibm-granite/granite-3.3-8b-instruct — same architecture as granite-3.1-8b (40 layers,
        // 32/8 heads, hidden 4096, intermediate 12800, vocab 49155, tied); HF page "8.17B".
        // Granite-3.2-8B shares it too. Recalled, not re-read in this session.
        tied(ModelArchitecture(
            name: "granite-3.3-8b-instruct", parameters: 8_170_848_256, layers: 40, kvHeads: 8,
            headDimension: 128)),

        // ---- DeepSeek-R1 distills (ServerlessLLM Store benchmark, Dec 2025) ----

        // deepseek-ai/DeepSeek-R1-Distill-Qwen-7B — Qwen2.5-Math-7B shapes: num_hidden_layers 28,
        // num_attention_heads 28, num_key_value_heads 4, hidden_size 3584 (head 128),
        // intermediate_size 18944, vocab 152064, untied. Parameters: 7,615,616,512 COMPUTED
        // (HF page "7.62B"). Recalled, not re-read in this session.
        ModelArchitecture(
            name: "deepseek-r1-distill-qwen-7b", parameters: 7_615_616_512, layers: 28, kvHeads: 4,
            headDimension: 128),

        // deepseek-ai/DeepSeek-R1-Distill-Qwen-32B — Qwen2.5-32B shapes: num_hidden_layers 64,
        // num_attention_heads 40, num_key_value_heads 8, hidden_size 5120 (head 128),
        // intermediate_size 27648, vocab 152064. Parameters: 32,763,876,352 COMPUTED (HF page
        // "32.8B"). Recalled, not re-read in this session.
        ModelArchitecture(
            name: "deepseek-r1-distill-qwen-32b", parameters: 32_763_876_352, layers: 64,
            kvHeads: 8, headDimension: 128),
    ]

    /// `model` with its weight bytes given directly (a quantised checkpoint's size), instead of
    /// parameters × bytes per parameter.
    /// `model` with tied input and output embeddings (`tie_word_embeddings: true` in its config).
    private static func tied(_ model: ModelArchitecture) -> ModelArchitecture {
        var m = model
        m.tiedEmbeddings = true
        return m
    }

    /// `model` with a vision encoder of `layers` transformer layers.
    private static func withVision(_ layers: Int, _ model: ModelArchitecture) -> ModelArchitecture {
        var m = model
        m.visionLayers = layers
        return m
    }

    private static func withWeightBytes(_ bytes: Int64, _ model: ModelArchitecture) -> ModelArchitecture {
        var m = model
        m.weightBytesOverride = ByteCount(bytes: bytes)
        return m
    }

    /// The model whose name matches `name` as `CatalogName.key` compares them ("Qwen2.5-7B" matches "qwen2.5-7b").
    public static func named(_ name: String) -> ModelArchitecture? {
        let key = CatalogName.key(name)
        for model in all where CatalogName.key(model.name) == key { return model }
        return nil
    }
}
