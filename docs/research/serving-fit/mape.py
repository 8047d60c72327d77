"""Analysis: error table of minisim (minisim_results.json, from `python3 minisim.py`) against the non-overloaded rows."""
import json
rows = {r["row"]: r for r in json.load(open("rows.json"))}
sim = json.load(open("minisim_results.json"))
OUT = {1:247,2:247,3:251,5:248,6:248,7:247,8:247,9:248,10:248,12:251}
errs = []
print("| row | E2E mean | per-token | TTFT mean | TTFT p99 |\n|---|---|---|---|---|")
for row in (1,2,3,5,6,7,8,9,10,12):
    g = rows[row]; m = sim[str(row)]; o = OUT[row]
    e = [m["e2e_mean"]/g["e2e_mean"]-1, m["per_token"]/((g["e2e_mean"]-g["ttft_mean"])/(o-1)*1e3)-1,
         m["ttft_mean"]/(g["ttft_mean"]*1e3)-1, m["ttft_p99"]/(g["ttft_p99"]*1e3)-1]
    errs += [abs(x) for x in e]
    print(f"| {row} | " + " | ".join(f"{x*100:+.1f} %" for x in e) + " |")
print(f"\nMAPE over {len(errs)} cells: {sum(errs)/len(errs)*100:.1f} %;  without row 6: {(sum(errs)-sum(errs[16:20]))/(len(errs)-4)*100:.1f} %")
