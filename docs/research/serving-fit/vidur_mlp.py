"""Per-layer non-attention op times (ms, median) from microsoft/vidur@7d47513 data/profiling/compute/h100/<model>/mlp.csv,
summed over the layers, vs num_tokens. Analysis helper."""
import csv, io, subprocess, sys
GIT="/work/.mirror/microsoft+vidur/repo"
OPS=["input_layernorm","attn_pre_proj","attn_rope","attn_post_proj","post_attention_layernorm","mlp_up_proj","mlp_act","mlp_down_proj","add"]
def load(model):
    t=subprocess.run(["git","-C",GIT,"show",f"HEAD:data/profiling/compute/h100/{model}/mlp.csv"],capture_output=True,text=True,check=True).stdout
    return list(csv.DictReader(io.StringIO(t)))
for model,L,tp in [("meta-llama/Llama-2-7b-hf",32,1),("meta-llama/Llama-2-70b-hf",80,4)]:
    rows=[r for r in load(model) if int(r["num_tensor_parallel_workers"])==tp]
    rows.sort(key=lambda r:int(r["num_tokens"]))
    print(model,"TP",tp,"rows",len(rows))
    print(" tokens  per-layer(ms)  x%d layers(ms)  [pre_proj post_proj up act down]"%L)
    for r in rows:
        n=int(r["num_tokens"])
        if n in (1,2,4,8,16,24,32,48,64,96,128,192,256,384,512,1024,2048,4096):
            s=sum(float(r[f"time_stats.{o}.median"]) for o in OPS)
            add=float(r["time_stats.add.median"])
            s+=add  # 'add' occurs twice per layer (two residuals)
            print(f" {n:5d}  {s:8.4f}  {s*L:8.3f}   "+" ".join(f"{float(r[f'time_stats.{o}.median']):.4f}" for o in ["attn_pre_proj","attn_post_proj","mlp_up_proj","mlp_act","mlp_down_proj"]))
