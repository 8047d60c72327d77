"""Extract per-stage statistics from inference-sim/training@ed5c1d2 (mirror at /work/.mirror).
Analysis helper; reads the bare git dir with `git show`."""
import json, subprocess, sys
GIT = "/work/.mirror/inference-sim+training/repo"
ROWS = [
 (1,"20260217-155451-llama-2-7b-tp1-codegen",0),(2,"20260217-155451-llama-2-7b-tp1-codegen",1),
 (3,"20260217-162547-llama-2-7b-tp1-roleplay",0),(4,"20260217-170634-llama-2-7b-tp1-reasoning",0),
 (5,"20260217-202857-llama-2-70b-tp4-general",0),(6,"20260217-202857-llama-2-70b-tp4-general",1),
 (7,"20260217-203421-llama-2-70b-hf-tp4-codegen",0),(8,"20260217-203421-llama-2-70b-hf-tp4-codegen",1),
 (9,"20260217-231439-llama-2-7b-tp1-general",0),(10,"20260217-231439-llama-2-7b-tp1-general",1),
 (11,"20260218-065057-llama-2-70b-hf-tp4-reasoning",0),(12,"20260218-084319-llama-2-70b-tp4-roleplay",0)]
def show(p): return subprocess.run(["git","-C",GIT,"show","HEAD:"+p],capture_output=True,text=True,check=True).stdout
out=[]
for n,d,s in ROWS:
    j=json.loads(show(f"default_args/{d}/results/stage_{s}_lifecycle_metrics.json"))
    S=j["successes"]; L=S["latency"]
    r=dict(row=n,exp=d,stage=s,ok=S["count"],fail=j["failures"]["count"],
      rate=j["load_summary"]["requested_rate"],achieved=S["throughput"]["requests_per_sec"],
      prompt_mean=S["prompt_len"]["mean"],prompt_min=S["prompt_len"]["min"],prompt_max=S["prompt_len"]["max"],
      out_mean=S["output_len"]["mean"],out_median=S["output_len"]["median"],out_max=S["output_len"]["max"],
      ttft_mean=L["time_to_first_token"]["mean"],ttft_med=L["time_to_first_token"]["median"],ttft_p99=L["time_to_first_token"]["p99"],ttft_min=L["time_to_first_token"]["min"],
      e2e_mean=L["request_latency"]["mean"],e2e_p99=L["request_latency"]["p99"],e2e_min=L["request_latency"]["min"],
      tpot_mean=L["time_per_output_token"]["mean"],itl_p75=L["inter_token_latency"]["p75"],itl_med=L["inter_token_latency"]["median"],
      sched_delay_mean=j["load_summary"]["schedule_delay"]["mean"])
    out.append(r)
json.dump(out,open("/work/notes/serving-fit/rows.json","w"),indent=1)
hdr=["row","ok","fail","rate","achieved","prompt_mean","prompt_min","prompt_max","out_mean","out_median","out_max","ttft_min","ttft_mean","ttft_med","ttft_p99","e2e_min","e2e_mean","e2e_p99","tpot_mean","itl_med","itl_p75","sched_delay_mean"]
print("\t".join(hdr))
for r in out: print("\t".join(f"{r[h]:.4g}" if isinstance(r[h],float) else str(r[h]) for h in hdr))
