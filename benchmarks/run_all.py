"""The whole benchmark suite in one command: each benchmark's table, then a summary against the targets, then JSON.

    python benchmarks/run_all.py                   # full sizes (an hour or more on two shared cores)
    python benchmarks/run_all.py --quick           # smaller sizes where a benchmark has them, for a smoke run
    python benchmarks/run_all.py --only check,slack --json suite.json

Each benchmark runs as its own process (bench_check, bench_reuse, bench_digest, bench_slack, bench_memory), so one
cannot warm another's caches or memory; `--quick` is passed to those that accept it. Their progress lines go to
the terminal; their tables and JSON are collected from stdout. The summary says, per target, whether it is met;
figures from --quick runs are smaller sizes than the targets name, so they show the suite works, not that it
meets them. Exits 1 when a benchmark fails or a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE = ("check", "reuse", "digest", "slack", "memory")


def supports_quick(script: Path) -> bool:
    """Whether the script's argparse has --quick (read from its source: cheaper than importing it for --help)."""
    return '"--quick"' in script.read_text(encoding="utf-8")


def last_json(stdout: str) -> tuple[dict | None, str]:
    """The last JSON object a benchmark printed (one line, or indented over several as bench_slack and bench_digest
    print it), and the text before it (the benchmark's table)."""
    lines = stdout.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("{"):
            try:
                return json.loads("\n".join(lines[i:])), "\n".join(lines[:i])
            except json.JSONDecodeError:
                continue
    return None, stdout


def run(name: str, quick: bool, position: str) -> dict:
    script = HERE / f"bench_{name}.py"
    cmd = [sys.executable, str(script)] + (["--quick"] if quick and supports_quick(script) else [])
    if sys.stderr.isatty():
        sys.stderr.write(f"{position} {' '.join([Path(cmd[1]).name, *cmd[2:]])} …\n")
        sys.stderr.flush()
    start = time.monotonic()
    # stderr is inherited: the benchmark's progress line shows on the terminal, and its warnings stay visible.
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
    seconds = time.monotonic() - start
    result, table = last_json(done.stdout)
    return {"command": " ".join(["python", f"benchmarks/{script.name}", *cmd[2:]]), "exit_code": done.returncode,
            "seconds": round(seconds, 1), "table": table.rstrip(), "result": result}  # fmt: skip


def rows_for(name: str, r: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, figure, target, met) for one benchmark's JSON; met is None when there is no target."""
    if name == "check":
        cold, steady = r["cold_start_s"], r["steady_state_s"]
        threads = r.get("torch_threads", {})
        rows = [("cold start vs bare model (torch default threads, float32)",
                 f"{r['cold_start_ratio']}× ({cold['crowdculture']} s vs {cold['bare_model']} s)", "≤ 1.3×",
                 r["cold_start_ratio"] <= 1.3),
                ("steady state vs bare model (torch default threads, float32)",
                 f"{r['steady_state_ratio']}× ({steady['crowdculture']} s vs {steady['bare_model']} s, "
                 f"{steady['drafts']} drafts)", "≤ 1.5×", r["steady_state_ratio"] <= 1.5)]  # fmt: skip
        if "cold_start_ratio_same_settings" in r:
            arith = r.get("arithmetic", {}).get("crowdculture", "float32")
            same = f"{threads.get('crowdculture')} torch threads, {arith} in both"
            rows += [(f"cold start vs bare model ({same})",
                      f"{r['cold_start_ratio_same_settings']}× ({cold['crowdculture']} s vs "
                      f"{cold['bare_model_same_settings']} s)", "≤ 1.3×", r["cold_start_ratio_same_settings"] <= 1.3),
                     (f"steady state vs bare model ({same})",
                      f"{r['steady_state_ratio_same_settings']}× ({steady['crowdculture']} s vs "
                      f"{steady['bare_model_same_settings']} s)", "≤ 1.5×",
                      r["steady_state_ratio_same_settings"] <= 1.5)]  # fmt: skip
        rows.append(("rewrite on top of a check", f"{r['rewrite_ms']} ms", "-", None))
        return rows
    if name == "slack":
        ack, answer = r["ack_s"], r["answer_s"]
        return [(f"{r['commands']} concurrent slash commands: every ack < 1 s",
                 f"{r['acks_under_1s']}/{r['commands']} (p95 {ack['p95']:.2f} s, max {ack['max']:.2f} s)",
                 "all < 1 s", r["acks_under_1s"] == r["commands"]),
                (f"{r['commands']} concurrent slash commands: answer p95",
                 f"{answer['p95']:.2f} s (p50 {answer['p50']:.2f} s)", "< 2 s", answer["p95"] < 2.0)]  # fmt: skip
    if name == "reuse":
        rows = []
        if "search_stored" in r:
            s = r["search_stored"]
            rows.append((f"search, {s['posts']:,} stored posts (median)",
                         f"{s['ms_median']} ms (p95 {s['ms_p95']} ms, recall@10 {s['recall_at_10']})", "< 5 ms",
                         s["ms_median"] < 5))  # fmt: skip
        if "search_million" in r:
            m, q = r["search_million"], r["search_million"]["ef128"]  # efSearch 128: bot/history/index.py default
            rows.append((f"search, {m['vectors']:,} vectors (median, efSearch 128)",
                         f"{q['ms_median']} ms (p95 {q['ms_p95']} ms), recall@10 {q['recall_at_10']}",
                         "< 20 ms, ≥ 0.95", q["ms_median"] < 20 and q["recall_at_10"] >= 0.95))  # fmt: skip
        for imp in r.get("import", []):
            rows.append((f"history import, {imp['posts']:,} posts (torch threads: {imp['torch_threads']})",
                         f"{imp['seconds']} s, exit {imp['exit_code']}", "< 60 s",
                         imp["seconds"] < 60 and imp["exit_code"] == 0 and imp["stored"] == imp["posts"]))  # fmt: skip
        return rows
    if name == "digest":
        sc = r["scenarios"][0]
        return [(f"digest over {sc['posts_in_period']:,} posts (median of {r['runs']})",
                 f"{sc['seconds']['median']:.2f} s", f"< {r.get('limit_s', 2.0):g} s",
                 sc["seconds"]["median"] < r.get("limit_s", 2.0))]  # fmt: skip
    if name == "memory":
        return [(f"server RSS after {r['checks_first']:,} checks (peak)",
                 f"{r['rss_after_first_mb']:.0f} MB ({r['peak_rss_mb']:.0f} MB)", "stated", None),
                (f"RSS growth over the next {r['checks_more']:,} checks",
                 f"{r['rss_growth_mb']:+.1f} MB; stored vectors {r['stored_vectors_growth_mb']:+.1f} MB, "
                 f"SQLite {r['sqlite_heap_growth_mb']:+.1f} MB; beyond data {r['growth_beyond_data_mb']:+.1f} MB",
                 f"beyond data ≤ {r['tolerance_mb']:g} MB", r["no_growth_beyond_data"])]  # fmt: skip
    return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="pass --quick to the benchmarks that have it")
    ap.add_argument("--only", default=",".join(SUITE), help="comma-separated benchmarks (default: %(default)s)")
    ap.add_argument("--json", help="also write the combined JSON to this file")
    args = ap.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(SUITE))
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(SUITE)}")

    load_start = round(os.getloadavg()[0], 2)
    runs = {}
    for i, name in enumerate(names, 1):
        runs[name] = run(name, args.quick, f"[{i}/{len(names)}]")
        out = runs[name]
        print(f"== {out['command']}  ({out['seconds']} s, exit {out['exit_code']})\n{out['table']}\n", flush=True)

    summary = []
    for name in names:
        out = runs[name]
        if out["result"] is None:
            summary.append((f"bench_{name}", f"failed (exit {out['exit_code']}, no JSON)", "-", False))
            continue
        try:
            summary += rows_for(name, out["result"])
        except (KeyError, TypeError, IndexError) as exc:  # a benchmark's JSON changed shape: say so, go on
            summary.append((f"bench_{name}", f"unreadable result ({type(exc).__name__}: {exc})", "-", False))
    load_end = round(os.getloadavg()[0], 2)

    title = "Summary" + (" (--quick: smaller sizes than the targets name)" if args.quick else "")
    print(f"{title}, {os.cpu_count()} CPUs, load average {load_start} → {load_end}\n")
    rows = [("measure", "figure", "target", "met?")]
    rows += [(m, f, t, "-" if ok is None else "yes" if ok else "NO") for m, f, t, ok in summary]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")

    all_met = all(ok is not False for *_, ok in summary) and all(r["result"] is not None for r in runs.values())
    combined = {"schema": 1, "benchmark": "suite", "quick": args.quick, "all_met": all_met,
                "machine": {"cpus": os.cpu_count(), "load_average_1m_start": load_start,
                            "load_average_1m_end": load_end},
                "summary": [{"measure": m, "figure": f, "target": t, "met": ok} for m, f, t, ok in summary],
                "benchmarks": {name: {k: v for k, v in out.items() if k != "table"} for name, out in runs.items()}}
    print(json.dumps(combined, ensure_ascii=False))  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(combined, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
