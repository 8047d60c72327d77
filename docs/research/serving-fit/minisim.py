"""Analysis: a minimal step-level simulator of the vLLM V1 scheduler (v0.11-0.15 semantics, see ../serving.md §1)
for the serving.md experiments, used to check which modelling decisions reproduce the rows.
Not production code; a reference for swapsim's implementation and tests.

Modelled: fixed-rate arrivals per stage (stages back to back on one server), inference-perf shared_prefix prompts
(10 groups x 10 prompts, the 100 prompts cycled in a fixed shuffled order), block-level prefix cache (16-token
blocks, hash chain = (group, block) for system-prompt blocks, (prompt, block) after; LRU reuse of free cached
blocks; hit capped at prompt_len-1 tokens), incremental KV block allocation, token budget with chunked prefill,
max_num_seqs, preemption of the last running request (recompute), async-scheduling lag (a request that reaches the
engine during step k is first scheduled into step k+2), client timeout (300 s, aiohttp default).
"""
import math, random, collections, json, sys
import numpy as np

BLOCK = 16
MODELS = {  # per-GPU bytes; GPU KV capacity in tokens from vllm.log (sim-to-real-accuracy-validation design doc)
 "7B":  dict(TP=1, L=32, H=32, dh=128, params=6.74e9, W=6.74e9*2, kv=2*32*32*128*2, kv_tokens=119408),
 "70B": dict(TP=4, L=80, H=64, dh=128, params=68.98e9, W=68.98e9*2, kv=2*80*8*128*2, kv_tokens=501712),
}
EXPS = {  # rows of serving.md: (row, rate, duration)
 "7b-codegen":   dict(model="7B", sys=100, q=466, out=247, plen=(580,604), stages=[(1,5,600),(2,10,600)]),
 "7b-roleplay":  dict(model="7B", sys=150, q=600, out=251, plen=(770,806), stages=[(3,6,1200)]),
 "7b-reasoning": dict(model="7B", sys=100, q=934, out=1448, plen=(1055,1108), stages=[(4,4,1200)]),
 "70b-general":  dict(model="70B", sys=100, q=447, out=248, plen=(559,589), stages=[(5,8,600),(6,20,600)]),
 "70b-codegen":  dict(model="70B", sys=100, q=466, out=247, plen=(577,609), stages=[(7,5,600),(8,10,600)]),
 "7b-general":   dict(model="7B", sys=100, q=447, out=248, plen=(559,592), stages=[(9,8,600),(10,20,600)]),
 "70b-reasoning":dict(model="70B", sys=100, q=934, out=1448, plen=(1056,1117), stages=[(11,4,1200)]),
 "70b-roleplay": dict(model="70B", sys=150, q=600, out=251, plen=(769,808), stages=[(12,6,1200)]),
}
BW, PEAK = 3.35e12, 989.5e12

class Req:
    __slots__=("rid","arr","vis","pid","grp","plen","out","gen","computed","blocks","hashed","first","done","stage","preempt","failed")

def default_params(model):
    # decode constants from fit3.py (J5): c_model = o + W/(TP*BW*e_m), e_m = 0.85 for weights and KV; see ../serving.md §5
    # alpha = API-side delay (half before the engine queue, half after the token); jitter = exponential spread of the
    # inbound half (mean-preserving); e_c (prefill GEMM efficiency) only shows in cold-start TTFT p99 (weakly identified)
    if model == "7B":  return dict(o=1.36e-3, e_m=0.85, e_c=0.6, b=0.0,   alpha=7.0e-3, jitter=4e-3, async_lag=True, max_seqs=128, budget=2048, timeout=300.0, prefix=True)
    else:              return dict(o=4.4e-3,  e_m=0.85, e_c=0.4, b=32e-6, alpha=9.0e-3, jitter=4e-3, async_lag=True, max_seqs=128, budget=2048, timeout=300.0, prefix=True)

def run(exp_name, P=None, seed=1, kv_tokens=None, stage_scale=1.0):
    E = EXPS[exp_name]; M = MODELS[E["model"]]; P = P or default_params(E["model"])
    rng = random.Random(seed)
    TP = M["TP"]; kvt = M["kv"]/TP/BW/P["e_m"]; Wt = M["W"]/TP/BW/P["e_m"]
    flop_tok = 2*M["params"]/TP/(PEAK*P["e_c"])
    attn_c = 4*M["L"]*(M["H"]/TP)*M["dh"]/(PEAK*P["e_c"])
    nblocks = (kv_tokens or M["kv_tokens"])//BLOCK
    # prompts: 100 (group, prompt) with fixed lengths, shuffled order cycled
    prompts = [(g, g*10+p, rng.randint(*E["plen"])) for g in range(10) for p in range(10)]
    rng.shuffle(prompts)
    sys_blocks = (E["sys"]+1)//BLOCK            # BOS + system prompt: whole blocks shared by the group
    # block pool
    ref = {}                                     # hash -> refcount (cached blocks only)
    lru = collections.OrderedDict()              # free cached blocks (hash -> None), oldest first
    free_plain = nblocks                         # free blocks holding no reusable content
    def n_free(): return free_plain + len(lru)
    def take_block():
        nonlocal free_plain
        if free_plain > 0: free_plain -= 1
        else:
            h,_ = lru.popitem(last=False); del ref[h]
    uq = P.get("unique_questions", False)   # analysis: True = no repeat of whole prompts (only the system prompt is shared)
    def bhash(r, i): return ("S", r.grp, i) if i < sys_blocks else ("P", r.rid if uq else r.pid, i)
    # arrivals
    arrivals = []; t0 = 0.0; idx = 0
    for (row, rate, dur) in E["stages"]:
        dur *= stage_scale; n = int(round(rate*dur))
        for k in range(n):
            g, pid, plen = prompts[idx % 100]; idx += 1
            r = Req(); r.rid=idx; r.arr=t0+k/rate; r.vis=r.arr+P["alpha"]/2+(rng.expovariate(1/P["jitter"]) - P["jitter"] if P.get("jitter") else 0.0); r.pid=pid; r.grp=g; r.plen=plen
            r.out=E["out"]; r.gen=0; r.computed=0; r.blocks=0; r.hashed=0; r.first=None; r.done=None; r.stage=row; r.preempt=0; r.failed=False
            arrivals.append(r)
        t0 += dur
    waiting = collections.deque(); running = []; ai = 0; t = 0.0; prev_start = 0.0
    steps = 0; preemptions = 0; finished = []
    nrng = random.Random(seed + 7); noise_w = [-1, 1.0]
    def free_req(r):
        nonlocal free_plain
        # hashed prompt blocks go back to the LRU tail-first (tail evicted first); others are plain free blocks
        for i in reversed(range(r.hashed)):
            h = bhash(r, i); ref[h] -= 1
            if ref[h] == 0: lru[h] = None
        free_plain += r.blocks - r.hashed
        r.blocks = 0; r.hashed = 0
    while ai < len(arrivals) or waiting or running:
        if not running and not waiting:
            t = max(t, arrivals[ai].vis); prev_start = t
        while ai < len(arrivals) and arrivals[ai].vis <= t:
            waiting.append(arrivals[ai]); ai += 1
        # client timeouts (request aborted: freed, counted failed)
        for q in (waiting,):
            while q and t - q[0].arr > P["timeout"]:
                r = q.popleft(); r.failed = True; finished.append(r)
        for r in [r for r in running if t - r.arr > P["timeout"]]:
            running.remove(r); free_req(r); r.failed = True; finished.append(r)
        budget = P["budget"]; sched = []; preempted = False
        # 1) running requests, in order
        i = 0
        while i < len(running) and budget > 0:
            r = running[i]
            total = r.plen + r.gen
            new = min(total - r.computed, budget) if r.computed < total else 1
            need = math.ceil((r.computed + new)/BLOCK) - r.blocks
            while need > n_free():
                victim = running.pop(); free_req(victim); victim.computed = 0; victim.preempt += 1
                preemptions += 1; preempted = True; waiting.appendleft(victim)
                if victim is r: break
            if r not in running: break
            for _ in range(max(0, need)): take_block()
            r.blocks += max(0, need); sched.append((r, new)); budget -= new; i += 1
        # 2) waiting requests (FCFS), only if nothing was preempted
        lag_t = prev_start if P["async_lag"] else t
        if not preempted:
            while waiting and budget > 0 and len(running) < P["max_seqs"]:
                r = waiting[0]
                if r.vis > lag_t: break
                total = r.plen + r.gen
                hit = 0
                if P["prefix"]:
                    maxhit = (total - 1)//BLOCK
                    while hit < maxhit and bhash(r, hit) in ref: hit += 1
                # hits on free cached blocks do not consume free blocks but leave the LRU
                lru_hits = sum(1 for k in range(hit) if bhash(r, k) in lru)
                new = min(total - hit*BLOCK, budget)
                need = math.ceil((hit*BLOCK + new)/BLOCK) - hit
                if need > n_free() - lru_hits: break
                waiting.popleft()
                for k in range(hit):
                    h = bhash(r, k)
                    if h in lru: del lru[h]
                    ref[h] += 1
                for _ in range(need): take_block()
                r.blocks = hit + need; r.hashed = hit; r.computed = hit*BLOCK
                running.append(r); sched.append((r, new)); budget -= new
        if not sched:
            # nothing runnable: wait for next arrival
            if ai < len(arrivals): t = max(t, arrivals[ai].vis); prev_start = t; continue
            else: break
        # step time
        ntok = 0; ctx_read = 0; attn = 0.0
        for r, new in sched:
            ntok += new; ctx_read += r.computed + new
            if new > 1: attn += new*(r.computed + new/2)
        if P.get("roofline_max", False):      # swapsim's current form: overhead + max(compute, weights + KV)
            dt = P["o"] + max(Wt + kvt*ctx_read, flop_tok*ntok + attn_c*attn) + P["b"]*len(sched)
        else:                                 # operator-additive: GEMMs = max(weights, FLOPs); attention KV read and prefill attention add
            dt = P["o"] + max(Wt, flop_tok*ntok) + kvt*ctx_read + attn_c*attn + P["b"]*len(sched)
        if P.get("slow_noise"):   # optional: step-time factor drawn per window (analysis of row 6 only)
            w = int(t / P.get("noise_window", 1.0))
            if w != noise_w[0]: noise_w[0] = w; noise_w[1] = max(0.5, nrng.gauss(1.0, P["slow_noise"]))
            dt *= noise_w[1]
        prev_start = t; t += dt; steps += 1
        # step end: advance
        done_now = []
        for r, new in sched:
            total = r.plen + r.gen
            r.computed += new
            # hash newly completed prompt blocks so later requests can hit them
            full = min(r.computed, r.plen)//BLOCK
            while r.hashed < full and r.hashed < r.blocks:
                h = bhash(r, r.hashed)
                if h in ref:   # duplicate content already cached: keep ours private (vLLM keeps first copy)
                    break
                ref[h] = 1; r.hashed += 1
            if r.computed >= total:
                r.gen += 1
                if r.first is None: r.first = t
                if r.gen >= r.out: done_now.append(r)
        for r in done_now:
            running.remove(r); free_req(r); r.done = t; finished.append(r)
    # metrics per stage
    out = {}
    for (row, rate, dur) in E["stages"]:
        ok = [r for r in finished if r.stage == row and not r.failed]
        fail = [r for r in finished if r.stage == row and r.failed]
        if not ok: out[row] = dict(ok=0, fail=len(fail)); continue
        a = P["alpha"]
        ttft = np.array([r.first - r.arr + a/2 for r in ok])  # a/2 = output-side delay (detokenize+stream)
        e2e = np.array([r.done - r.arr + a/2 for r in ok])
        o = ok[0].out
        out[row] = dict(ok=len(ok), fail=len(fail), ttft_mean=ttft.mean()*1e3, ttft_p99=np.percentile(ttft,99)*1e3,
                        e2e_mean=e2e.mean(), e2e_p99=np.percentile(e2e,99),
                        per_token=((e2e-ttft).mean()/(o-1))*1e3, preempt=sum(r.preempt for r in ok+fail))
    out["_steps"] = steps; out["_preemptions"] = preemptions
    return out

if __name__ == "__main__":
    rows = {r["row"]: r for r in json.load(open("rows.json"))}
    OUT = {1:247,2:247,3:251,4:1448,5:248,6:248,7:247,8:247,9:248,10:248,11:1448,12:251}
    args = sys.argv[1:]
    jit = None
    if args and args[0].startswith("--jitter="): jit = float(args[0].split("=")[1]); args = args[1:]
    names = args or list(EXPS)
    allres = {}
    for name in names:
        Pm = default_params(EXPS[name]["model"])
        if jit is not None: Pm["jitter"] = jit
        res = run(name, Pm)
        for row, m in res.items():
            if str(row).startswith("_"): continue
            allres[row] = m
            g = rows[row]; o = OUT[row]
            meas = dict(e2e=g["e2e_mean"], pt=(g["e2e_mean"]-g["ttft_mean"])/(o-1)*1e3, ttft=g["ttft_mean"]*1e3, p99=g["ttft_p99"]*1e3)
            if m["ok"] == 0: print(f"row {row}: no successes, {m['fail']} failed"); continue
            print(f"row {row:2d} {name:14s} ok/fail {m['ok']}/{m['fail']} (real {g['ok']}/{g['fail']})  "
                  f"E2E {m['e2e_mean']:.3f}s ({(m['e2e_mean']/meas['e2e']-1)*100:+.1f}%)  per-token {m['per_token']:.2f}ms ({(m['per_token']/meas['pt']-1)*100:+.1f}%)  "
                  f"TTFT {m['ttft_mean']:.1f}ms ({(m['ttft_mean']/meas['ttft']-1)*100:+.1f}%)  p99 {m['ttft_p99']:.1f}ms ({(m['ttft_p99']/meas['p99']-1)*100:+.1f}%)  E2E p99 {m['e2e_p99']:.2f}s (real {g['e2e_p99']:.2f})  preempt {m['preempt']}")
        print(f"   [{name}: {res['_steps']} steps, {res['_preemptions']} preemptions]")
    json.dump({str(k): v for k, v in allres.items()}, open("minisim_results.json", "w"), indent=1)
