"""Analysis (continued): prefill share with a marginal prefill cost per token, and a free-fit variant.
Mean step s satisfies  s = base(N, ctx) + s * lam * P * c_pf   (prefill tokens per step = lam * s * P),
i.e. prefill chunks ride in decode steps and add c_pf per prefill token above the decode step's memory floor.
c_pf anchored on Vidur's H100 linear-op profile (vidur_mlp.py): 7B: (12.1-5.9) ms/512 tok = 12 us/token;
70B TP4: (30.6-15.4) ms/512 tok = 30 us/token (no all-reduce, no attention) -- both lower bounds."""
import json, numpy as np
R = json.load(open("fit_results.json"))
def rep(tab, pred): return " ".join(f"r{t['row']}:{(p/t['s']-1)*100:+.1f}" for t, p in zip(tab, pred))
res = {}
for name, cpf_list in [("7B", [0, 12e-6, 16e-6, 20e-6]), ("70B", [0, 30e-6, 36e-6, 42e-6])]:
    tab = R[name]["rows"]; Wt = R[name]["Wt"]; kvt = R[name]["kvt"]
    s = np.array([t["s"] for t in tab]); N = np.array([t["N"] for t in tab]); ctx = np.array([t["ctx"] for t in tab])
    lam = np.array([t["lam"] for t in tab]); P = np.array([t["P"] for t in tab])
    print(f"\n=== {name}: weight stream at 100% BW = {Wt*1e3:.2f} ms, KV token read = {kvt*1e9:.1f} ns ===")
    for cpf in cpf_list:
        f = 1 - lam*P*cpf
        X = np.c_[np.ones_like(s), N*ctx*kvt]
        c, *_ = np.linalg.lstsq(X, s*f, rcond=None); pred = (X@c)/f
        print(f" c_pf={cpf*1e6:4.0f}us  prefill share={np.round(1-f,3)}  o_total={c[0]*1e3:6.2f} ms  KV eff={1/c[1] if c[1]>0 else float('nan'):6.2f}  res%: {rep(tab,pred)}")
    # per-request term instead of KV: s*f = o + b*N   (BLIS beta6-like)
    for cpf in cpf_list[1:2]:
        f = 1 - lam*P*cpf
        X = np.c_[np.ones_like(s), N]
        c, *_ = np.linalg.lstsq(X, s*f, rcond=None); pred = (X@c)/f
        print(f" per-request form (c_pf={cpf*1e6:.0f}us): s*f = {c[0]*1e3:.2f} ms + {c[1]*1e6:.1f} us * N   res%: {rep(tab,pred)}")
    # free c_pf: s = o + k*N*ctx*kvt + c*(s*lam*P)
    X = np.c_[np.ones_like(s), N*ctx*kvt, s*lam*P]
    c, *_ = np.linalg.lstsq(X, s, rcond=None); pred = X@c
    print(f" free fit: o={c[0]*1e3:.2f} ms, KV eff={1/c[1]:.2f}, c_pf={c[2]*1e6:.1f} us/token  res%: {rep(tab,pred)}")
