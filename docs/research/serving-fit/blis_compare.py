"""Analysis: decode-step time predicted by published coefficient sets for the steady state of each row
(N running requests, mean context ctx, no prefill), vs the measured per-token time.
- BLIS trained-physics defaults: inference-sim/inference-sim@f90a1e3 defaults.yaml trained_physics_coefficients
  (beta = [b1a, b2a, b3, b4, b5, b6, b7, b8, b1b, b2b, bEP]); basis functions of sim/latency/trained_physics_model.go.
- inference-sim/training@ed5c1d2 output/fit/coefficients.json (7-beta crossmodel fit on these very experiments).
- swapsim's current defaults: 3 ms + max(compute at 0.5, (weights + KV) at 0.8)."""
import json
R = json.load(open("fit_results.json"))
ARCH = {"7B": dict(L=32, d=4096, H=32, kvh=32, dff=11008, TP=1, P=6.74e9),
        "70B": dict(L=80, d=8192, H=64, kvh=8, dff=28672, TP=4, P=68.98e9)}
BW = 3.35e6  # bytes/us
def basis(a, N, ctx):
    L, d, TP = a["L"], a["d"], a["TP"]; dh = d // a["H"]; dkv = a["kvh"]*dh
    t_w = (L*d*(2*d+2*dkv)*2/TP + L*3*d*a["dff"]*2/TP)/BW
    t_kv = L*2*(dkv/TP)*2*(N*ctx + N)/BW
    t_tp = 0 if TP == 1 else 2 * L*N*d*2*2*(TP-1)/TP/BW          # attention + dense-FFN all-reduce basis
    return t_w, t_kv, t_tp
for name in ("7B", "70B"):
    a = ARCH[name]
    for t in R[name]["rows"]:
        N, ctx, s = t["N"], t["ctx"], t["s"]*1e6
        t_w, t_kv, t_tp = basis(a, N, ctx)
        blis = 1.36252915*t_w + 1.94710771*t_kv + 0.752037*t_tp + 32.09546717*a["L"] + 4.41684444*N + 126.024825
        train = 1.0559901872766853*t_w + 1.127489556719325*t_kv + 0.0*t_tp + 43.500541908701074*a["L"] + 48.80613214319187*N
        kvb = 2*a["L"]*a["kvh"]*(a["d"]//a["H"])*2
        sw = 3000 + max(N*2*a["P"]/(989.5e6*0.5*a["TP"]), (a["P"]*2 + N*ctx*kvb)/(BW*0.8*a["TP"]))
        print(f"{name} row {t['row']:2d}: measured {s/1e3:6.2f} ms | BLIS defaults {blis/1e3:6.2f} ({(blis/s-1)*100:+5.1f}%) | training-repo fit {train/1e3:6.2f} ({(train/s-1)*100:+5.1f}%) | swapsim now {sw/1e3:6.2f} ({(sw/s-1)*100:+5.1f}%)")
