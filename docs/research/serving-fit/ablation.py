"""Analysis: which modelling decisions matter for the general-profile rows (5, 6, 9, 10). Uses minisim.py."""
import json, minisim
rows = {r["row"]: r for r in json.load(open("rows.json"))}
OUT = {5:248, 6:248, 9:248, 10:248}
def show(tag, name, P, kv_tokens=None):
    res = minisim.run(name, P, kv_tokens=kv_tokens)
    for row, m in res.items():
        if str(row).startswith("_"): continue
        g = rows[row]; pt = (g['e2e_mean']-g['ttft_mean'])/(OUT[row]-1)*1e3
        if m["ok"] == 0: print(f"{tag:44s} row {row:2d}: no successes"); continue
        print(f"{tag:44s} row {row:2d}: E2E {(m['e2e_mean']/g['e2e_mean']-1)*100:+7.1f}%  per-token {(m['per_token']/pt-1)*100:+6.1f}%  "
              f"TTFT {(m['ttft_mean']/(g['ttft_mean']*1e3)-1)*100:+8.1f}%  TTFT p99 {(m['ttft_p99']/(g['ttft_p99']*1e3)-1)*100:+8.1f}%  fail {m['fail']}  preempt {m['preempt']}")
for name, model in (("7b-general", "7B"), ("70b-general", "70B")):
    base = minisim.default_params(model)
    show("baseline (notes §5 model)", name, dict(base))
    show("whole prompts never repeat (system only)", name, dict(base, unique_questions=True))
    show("no prefix caching", name, dict(base, prefix=False))
    show("no async-scheduling lag", name, dict(base, async_lag=False))
    show("max(compute, W+KV) form, prompts never repeat", name, dict(base, roofline_max=True, unique_questions=True))
    show("max_num_seqs 256 instead of 128", name, dict(base, max_seqs=256))
    show("KV = 8 GiB per replica (swapsim default)", name, dict(base), kv_tokens=int(8*2**30 / minisim.MODELS[model]["kv"]))
