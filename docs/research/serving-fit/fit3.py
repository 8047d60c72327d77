"""Analysis: joint decode-step fit over both models (steady state: full-prompt prefix hits make prefill
negligible, see notes). s = const_model + (N*ctx*kv_per_gpu/BW)/e_kv + b*N  (b shared per-request cost)."""
import json, numpy as np
R = json.load(open("fit_results.json"))
rows=[]; 
for name in ("7B","70B"):
    for t in R[name]["rows"]:
        rows.append((name, t["row"], t["s"], t["N"], t["ctx"], R[name]["kvt"]))
s=np.array([r[2] for r in rows]); N=np.array([r[3] for r in rows]); ctx=np.array([r[4] for r in rows]); kvt=np.array([r[5] for r in rows])
is7=np.array([r[0]=="7B" for r in rows],float)
def show(X, names, label):
    c,*_=np.linalg.lstsq(X,s,rcond=None); p=X@c
    print(label); print("  "+", ".join(f"{n}={v*1e3:.3f}ms" if n.startswith("c") else f"{n}={v:.4g}" for n,v in zip(names,c)))
    print("  res%: "+" ".join(f"r{r[1]}:{(pp/r[2]-1)*100:+.1f}" for r,pp in zip(rows,p)))
    return c
c=show(np.c_[is7,1-is7,N*ctx*kvt,N],["c7B","c70B","1/e_kv","b_s_per_req"],"(J1) const per model + KV/e + b*N")
print(f"  -> e_kv={1/c[2]:.2f}, b={c[3]*1e6:.1f} us/request")
c=show(np.c_[is7,1-is7,N*ctx*kvt],["c7B","c70B","1/e_kv"],"(J2) const per model + KV/e (no per-request term)")
c=show(np.c_[is7,1-is7,N*ctx*kvt*is7,N*ctx*kvt*(1-is7)],["c7B","c70B","1/e_kv7","1/e_kv70"],"(J3) per-model KV slope")
c=show(np.c_[is7,1-is7,N*is7,N*(1-is7)],["c7B","c70B","b7","b70"],"(J4) per-model per-request slope")
c=show(np.c_[is7,1-is7,N*ctx*kvt, N*(1-is7)],["c7B","c70B","1/e_kv","b_TP4"],"(J5) KV/e shared + per-request term only for TP4 (e.g. TP sync/all-reduce per token)")
print(f"  -> e_kv={1/c[2]:.2f}, b_TP4={c[3]*1e6:.1f} us/request")
