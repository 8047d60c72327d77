"""Analysis: fit a per-step time model to the non-overloaded rows of shared/validation/serving.md
(vLLM 0.15.1, H100-SXM, data from inference-sim/training@ed5c1d2, extracted by extract.py into rows.json).

Little's law: mean running batch N = achieved rate x (E2E - TTFT) (decode residence);
mean context per running request ctx = prompt (inference-perf's measured prompt_len mean) + out/2;
per-token step s = (E2E - TTFT)/(out - 1) with out = configured (ignore_eos) output length.
"""
import json, numpy as np
rows = {r["row"]: r for r in json.load(open("rows.json"))}
OUT = {1:247,2:247,3:251,5:248,6:248,7:247,8:247,9:248,10:248,12:251}   # configured output_len (ignore_eos)
SYS = 100                                                            # shared system prompt tokens
BW = 3.35e12; PEAK = 989.5e12
M = {
 "7B":  dict(rows=[1,2,3,9,10], TP=1, W=6.74e9*2, kv=2*32*32*128*2, P=6.74e9, L=32),
 "70B": dict(rows=[5,6,7,8,12], TP=4, W=68.98e9*2, kv=2*80*8*128*2, P=68.98e9, L=80),
}
def lsq(X, y):
    c, *_ = np.linalg.lstsq(X, y, rcond=None); return c, X @ c
out = {}
for name, m in M.items():
    print(f"\n=== Llama-2-{name} TP{m['TP']} ===")
    tab = []
    for n in m["rows"]:
        r = rows[n]; o = OUT[n]
        dec = r["e2e_mean"] - r["ttft_mean"]
        s = dec / (o - 1)
        N = r["achieved"] * dec
        ctx = r["prompt_mean"] + o / 2
        # uncached prompt tokens: prefix cache hits whole 16-token blocks of the 100-token system prompt (+BOS) -> 96 (6 blocks) [assumption]
        P = r["prompt_mean"] - 96
        tab.append(dict(row=n, s=s, N=N, ctx=ctx, P=P, lam=r["achieved"], out=o,
                        ttft=r["ttft_mean"], ttft_p99=r["ttft_p99"], e2e=r["e2e_mean"]))
    Wt = m["W"] / m["TP"] / BW                       # weight stream time at 100% BW (s)
    kvt = m["kv"] / m["TP"] / BW                     # per-context-token KV read time at 100% BW (s)
    s = np.array([t["s"] for t in tab]); N = np.array([t["N"] for t in tab]); ctx = np.array([t["ctx"] for t in tab])
    lam = np.array([t["lam"] for t in tab]); P = np.array([t["P"] for t in tab])
    print(" row   lam    N(run)  ctx    N*ctx    step(ms)  ")
    for t in tab: print(f" {t['row']:3d} {t['lam']:6.2f} {t['N']:7.2f} {t['ctx']:6.1f} {t['N']*t['ctx']:8.0f}  {t['s']*1e3:7.3f}")
    # (A) s = o + k*N*ctx
    X = np.c_[np.ones_like(s), N*ctx]; c, pred = lsq(X, s)
    print(f"(A) s = o + k*N*ctx: o = {c[0]*1e3:.3f} ms, k = {c[1]*1e9:.3f} ns/token -> KV-read efficiency {kvt/c[1]:.2f} of 3.35 TB/s;"
          f" weights at that efficiency {Wt/(kvt/c[1])*1e3:.2f} ms -> residual overhead {(c[0]-Wt/(kvt/c[1]))*1e3:.2f} ms")
    print("     residuals %: " + " ".join(f"r{t['row']}:{(p/t['s']-1)*100:+.1f}" for t, p in zip(tab, pred)))
    # (B) s = o + (W + N*ctx*kv)/(BW*e): one efficiency for weights and KV
    X = np.c_[np.ones_like(s), Wt + N*ctx*kvt]; cB, predB = lsq(X, s)
    print(f"(B) s = o + (W + N*ctx*kv)/(BW*e): o = {cB[0]*1e3:.3f} ms, e = {1/cB[1]:.3f}")
    print("     residuals %: " + " ".join(f"r{t['row']}:{(p/t['s']-1)*100:+.1f}" for t, p in zip(tab, predB)))
    # (C) prefill inflation: s*(1 - lam*P*cpf) = o + (W + N ctx kv)/(BW e), cpf = 2*params/(TP*peak*0.6) (+ attention ignored)
    cpf = 2*m["P"]/(m["TP"]*PEAK*0.6)
    f = 1 - lam*P*cpf*1.0
    X = np.c_[np.ones_like(s), Wt + N*ctx*kvt]; cC, predC = lsq(X, s*f)
    predC = predC / f
    print(f"(C) with prefill share (cpf={cpf*1e6:.2f} us/token, share lam*P*cpf = {', '.join(f'{x:.3f}' for x in 1-f)}): o = {cC[0]*1e3:.3f} ms, e = {1/cC[1]:.3f}")
    print("     residuals %: " + " ".join(f"r{t['row']}:{(p/t['s']-1)*100:+.1f}" for t, p in zip(tab, predC)))
    # (D) Fixed weight efficiency from Vidur's H100 linear-op profile (per-forward linear+norm time at <=64 tokens)
    vid = {"7B": 5.9e-3, "70B": 15.4e-3}[name]
    X = np.c_[np.ones_like(s), N*ctx*kvt]; cD, predD = lsq(X, s*f - vid)
    predD = (predD + vid)/f
    print(f"(D) weights+linear = Vidur H100 profile {vid*1e3:.1f} ms (=> {Wt/vid:.2f} of BW), prefill share as (C): o = {cD[0]*1e3:.3f} ms, KV-read eff = {1/cD[1]:.3f}")
    print("     residuals %: " + " ".join(f"r{t['row']}:{(p/t['s']-1)*100:+.1f}" for t, p in zip(tab, predD)))
    out[name] = dict(rows=tab, A=c.tolist(), B=cB.tolist(), C=cC.tolist(), D=cD.tolist(), Wt=Wt, kvt=kvt)
json.dump(out, open("fit_results.json", "w"), indent=1, default=float)
