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

/// Open models swapsim knows by name, with architecture figures from their published configs.
public enum ModelCatalog {
    public static let all: [ModelArchitecture] = [
        // meta-llama/Llama-3.2-1B — config.json: num_hidden_layers 16, num_key_value_heads 8,
        // head_dim 64 (hidden_size 2048 / num_attention_heads 32). Parameters: 1,235,814,400
        // (safetensors total, shown as "1.24B" on the HF page).
        ModelArchitecture(
            name: "llama-3.2-1b", parameters: 1_235_814_400, layers: 16, kvHeads: 8,
            headDimension: 64),

        // meta-llama/Llama-3.2-3B — config.json: num_hidden_layers 28, num_key_value_heads 8,
        // head_dim 128 (hidden_size 3072 / num_attention_heads 24). Parameters: 3,212,749,824
        // (safetensors total, "3.21B" on the HF page).
        ModelArchitecture(
            name: "llama-3.2-3b", parameters: 3_212_749_824, layers: 28, kvHeads: 8,
            headDimension: 128),

        // Qwen/Qwen2.5-1.5B — config.json: num_hidden_layers 28, num_key_value_heads 2,
        // hidden_size 1536 / num_attention_heads 12 = 128. Model card: "Number of Parameters:
        // 1.54B", "Number of Attention Heads (GQA): 12 for Q and 2 for KV".
        ModelArchitecture(
            name: "qwen2.5-1.5b", parameters: 1_540_000_000, layers: 28, kvHeads: 2,
            headDimension: 128),

        // Qwen/Qwen2.5-3B — config.json: num_hidden_layers 36, num_key_value_heads 2,
        // hidden_size 2048 / num_attention_heads 16 = 128. Model card: "Number of Parameters:
        // 3.09B", "Number of Attention Heads (GQA): 16 for Q and 2 for KV".
        ModelArchitecture(
            name: "qwen2.5-3b", parameters: 3_090_000_000, layers: 36, kvHeads: 2,
            headDimension: 128),

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
    ]

    /// The model whose name matches `name` as `CatalogName.key` compares them ("Qwen2.5-7B" matches "qwen2.5-7b").
    public static func named(_ name: String) -> ModelArchitecture? {
        let key = CatalogName.key(name)
        for model in all where CatalogName.key(model.name) == key { return model }
        return nil
    }
}
