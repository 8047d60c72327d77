"""Analysis: can batch-size fluctuations explain row 6's TTFT tail (p99 987 ms)? Slow multiplicative step-time noise
(one factor per window, seeded) lets the running batch hit max_num_seqs=128. Uses minisim.py."""
import json, minisim
rows = {r["row"]: r for r in json.load(open("rows.json"))}
for sig, win in ((0.0, 1.0), (0.05, 1.0), (0.10, 5.0), (0.15, 5.0)):
    P = minisim.default_params("70B"); P["slow_noise"] = sig; P["noise_window"] = win
    res = minisim.run("70b-general", P)
    for row, m in res.items():
        if str(row).startswith("_"): continue
        g = rows[row]
        print(f"noise sd={sig} window={win}s row {row}: per-token {m['per_token']:.2f} (real {(g['e2e_mean']-g['ttft_mean'])/247*1e3:.2f})  "
              f"E2E p99 {m['e2e_p99']:.2f} (real {g['e2e_p99']:.2f})  TTFT mean {m['ttft_mean']:.1f} (real {g['ttft_mean']*1e3:.1f})  p99 {m['ttft_p99']:.1f} (real {g['ttft_p99']*1e3:.1f})")
