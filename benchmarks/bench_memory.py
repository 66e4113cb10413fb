"""Resident memory of the Slack server: after 1,000 checks, then over the next 10,000.

The real app serves HTTP on loopback (built as in bench_slack.py) with the stand-in Slack, and records every check
in a SQLite post store in a temporary directory, as in production. Signed /draft-check commands go 8 at a time
(each waits for its answer at the response_url); drafts are the dev set's texts with their sentences shuffled and
an id appended, so no two are identical. RSS (VmRSS) and its peak (VmHWM) are read from /proc/self/status after
every answer has arrived and a full garbage collection, at each checkpoint.

Every check adds a post, so the reuse index (FAISS, 384 float32 per post) and SQLite's page cache grow by design:
the table puts the bytes of the stored vectors and SQLite's own heap (sqlite3_memory_used) next to the RSS, and
"growth beyond data" is the RSS growth minus both. Python object counts show whether objects pile up.

    python benchmarks/bench_memory.py [--first 1000] [--more 10000] [--every 1000] [--concurrency 8] [--json out.json]
    python benchmarks/bench_memory.py --quick      # 200 + 1,000 checks, checkpoints every 200

Prints a table, then one JSON line; exits 1 if the growth beyond data exceeds the tolerance (--tolerance-mb).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from loopback import FakeSlack, serve_on_loopback  # noqa: E402

DEV = ROOT / "tests" / "data" / "dev_drafts.jsonl"
VECTOR_BYTES = 384 * 4  # one stored embedding: 384 float32
MB = 2**20
FAILURE = "something went wrong on my side"  # bot/slack/blocks.py: the answer to an unexpected error


def proc_status() -> dict[str, float]:
    """VmRSS, its peak VmHWM, and its anonymous and file-backed parts, of this process, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            fields[key] = int(value.split()[0]) / 1024  # kB
    return fields


def sqlite_heap() -> callable:
    """A function giving SQLite's heap in this process (page caches included), in MB; None if unavailable."""
    name = ctypes.util.find_library("sqlite3")
    try:
        lib = ctypes.CDLL(name or "libsqlite3.so.0")  # the library _sqlite3 already loaded: same heap counters
        lib.sqlite3_memory_used.restype = ctypes.c_int64
    except (OSError, AttributeError):
        return lambda: None
    return lambda: lib.sqlite3_memory_used() / MB


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                      "fsmblks", "uordblks", "fordblks", "keepcost")]  # fmt: skip


def malloc_heap() -> callable:
    """A function giving glibc malloc's (in use, free but kept) MB over all arenas, or (None, None): native memory
    (torch, FAISS, SQLite) that is live versus memory freed but not returned to the system (fragmentation)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):  # not glibc, or glibc < 2.33
        return lambda: (None, None)

    def read():
        info = libc.mallinfo2()
        return round((info.uordblks + info.hblkhd) / MB, 1), round(info.fordblks / MB, 1)

    return read


class Inbox(list):
    """Replaces FakeSlack.calls: keeps only when each response_url answer arrived and whether it was a failure,
    so the stand-in's own record of payloads does not count as the server's memory."""

    def __init__(self):
        super().__init__()
        self.answers: dict[str, str] = {}  # response name → "report", "usage" (the person's mistake) or "apology"
        self.other_calls = 0

    def append(self, call) -> None:
        if call.method == "response_url":
            text = json.dumps(call.payload, ensure_ascii=False)
            kind = "report" if "report_actions" in text else "apology" if FAILURE in text.lower() else "usage"
            self.answers[call.path.rsplit("/", 1)[1]] = kind
        else:
            self.other_calls += 1


def drafts(n: int, offset: int) -> list[str]:
    """n distinct drafts: dev-set texts, sentences after the first shuffled (seeded by the draft's number), its
    number appended. The first sentence stays first: a shuffled one may start like a platform name, which
    /draft-check reads as a target."""
    base = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for i in range(offset, offset + n):
        first, *rest = re.split(r"(?<=[.!?])\s+", base[i % len(base)])
        random.Random(i).shuffle(rest)
        out.append(" ".join([first, *rest]) + f" (#{i})")
    return out


def python_objects() -> tuple[int, int]:
    """(objects tracked by the garbage collector, memory blocks allocated by Python)."""
    return len(gc.get_objects()), sys.getallocatedblocks()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=1000, help="checks before the reference reading (default 1000)")
    ap.add_argument("--more", type=int, default=10_000, help="checks after it (default 10000)")
    ap.add_argument("--every", type=int, default=1000, help="checks between readings (default 1000)")
    ap.add_argument("--concurrency", type=int, default=8, help="commands in flight (default 8)")
    ap.add_argument("--tolerance-mb", type=float, default=32.0,
                    help="allowed RSS growth beyond the stored data (allocator slack, caches that fill once; "
                         "default 32 MB)")  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="200 + 1,000 checks, readings every 200")
    ap.add_argument("--json", help="also write the JSON result to this file")
    args = ap.parse_args()
    if args.quick:
        args.first, args.more, args.every = 200, 1000, 200

    from bot.history.index import PostIndex

    fake = FakeSlack()
    inbox = fake.calls = Inbox()
    fake.start()
    tmp = tempfile.TemporaryDirectory(prefix="bench-memory-")
    # As `crowdculture serve` does: one store, opened here so the bench can count the posts.
    loop = serve_on_loopback(fake, tmp.name, with_store=True)
    store, server, slack = loop.store, loop.server, loop.slack
    sqlite_mb = sqlite_heap()
    malloc_mb = malloc_heap()
    failures = {"ack": 0, "apology": 0, "usage": 0}
    counting = threading.Lock()

    def check(i: int, text: str) -> None:
        """One command, then its answer: the pool's size is the number of checks in flight."""
        name = f"m{i}"
        resp = slack.command("/draft-check", text, user=f"U{i % 40}", channel=f"C{i % 5}", response=name)
        if resp.status != 200:
            with counting:
                failures["ack"] += 1
            return
        deadline = time.monotonic() + 300
        with fake.cond:
            while name not in inbox.answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no answer to check {i} within 300 s")
                fake.cond.wait(left)
            kind = inbox.answers.pop(name)
        if kind != "report":
            with counting:
                failures[kind] += 1

    def reading(done: int, start: float) -> dict:
        gc.collect()
        status = proc_status()
        objects, blocks = python_objects()
        in_use, kept = malloc_mb()
        # type() rather than isinstance(): isinstance reads __class__, which wakes torch's deprecation warnings
        index = [o for o in gc.get_objects() if type(o) is PostIndex]
        posts = store.count()
        return {"checks": done, "seconds": round(time.monotonic() - start, 1), "rss_mb": round(status["VmRSS"], 1),
                "hwm_mb": round(status["VmHWM"], 1), "anon_mb": round(status["RssAnon"], 1),
                "file_mb": round(status["RssFile"], 1), "malloc_in_use_mb": in_use, "malloc_free_kept_mb": kept,
                "posts": posts,
                "index_vectors": sum(len(x) for x in index), "vectors_mb": round(posts * VECTOR_BYTES / MB, 1),
                "sqlite_heap_mb": None if sqlite_mb() is None else round(sqlite_mb(), 1),
                "gc_objects": objects, "python_blocks": blocks, "threads": threading.active_count()}  # fmt: skip

    tty = sys.stderr.isatty()
    total = args.first + args.more
    start = time.monotonic()
    readings = [reading(0, start)]  # models loaded, nothing checked yet
    marks = [args.first] + list(range(args.first + args.every, total, args.every)) + [total]
    marks = sorted(set(m for m in marks if m > 0))
    done = 0
    with ThreadPoolExecutor(args.concurrency) as pool:
        for mark in marks:
            for chunk in range(done, mark, 50):  # chunks keep the queue short and the progress line moving
                texts = drafts(min(50, mark - chunk), chunk)
                list(pool.map(check, range(chunk, chunk + len(texts)), texts))
                if tty:
                    rate = (chunk + len(texts)) / max(time.monotonic() - start, 1e-9)
                    sys.stderr.write(f"\rchecks {chunk + len(texts)}/{total} ({rate:.1f}/s)   ")
                    sys.stderr.flush()
            done = mark
            readings.append(reading(done, start))
    if tty:
        sys.stderr.write("\n")
    server.shutdown()
    fake.stop()
    store.close()
    tmp.cleanup()

    ref = next(r for r in readings if r["checks"] == args.first)
    end = readings[-1]
    rss_growth = end["rss_mb"] - ref["rss_mb"]
    data_growth = end["vectors_mb"] - ref["vectors_mb"]
    sqlite_growth = (end["sqlite_heap_mb"] or 0) - (ref["sqlite_heap_mb"] or 0)
    beyond = rss_growth - data_growth - sqlite_growth
    result = {
        "benchmark": "memory", "checks_first": args.first, "checks_more": args.more,
        "concurrency": args.concurrency, "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "rss_after_first_mb": ref["rss_mb"], "rss_end_mb": end["rss_mb"], "peak_rss_mb": end["hwm_mb"],
        "rss_growth_mb": round(rss_growth, 1), "stored_vectors_growth_mb": round(data_growth, 1),
        "sqlite_heap_growth_mb": round(sqlite_growth, 1), "growth_beyond_data_mb": round(beyond, 1),
        "tolerance_mb": args.tolerance_mb, "no_growth_beyond_data": beyond <= args.tolerance_mb,
        "gc_objects_growth": end["gc_objects"] - ref["gc_objects"],
        "malloc_in_use_growth_mb": None if ref["malloc_in_use_mb"] is None
        else round(end["malloc_in_use_mb"] - ref["malloc_in_use_mb"], 1),
        "malloc_free_kept_growth_mb": None if ref["malloc_free_kept_mb"] is None
        else round(end["malloc_free_kept_mb"] - ref["malloc_free_kept_mb"], 1),
        "python_blocks_growth": end["python_blocks"] - ref["python_blocks"],
        "failed_acks": failures["ack"], "apologies": failures["apology"], "usage_answers": failures["usage"],
        "other_slack_calls": inbox.other_calls,
        "checks_per_s": round(total / max(end["seconds"] - readings[0]["seconds"], 1e-9), 2),
        "readings": readings,
    }  # fmt: skip

    print(f"Resident memory of the Slack server, {total:,} signed /draft-check commands, {args.concurrency} in "
          f"flight, every check recorded (SQLite), {os.cpu_count()} CPUs, load {result['load_average_1m']}\n")
    head = ("checks", "RSS MB", "peak MB", "anon MB", "file MB", "malloc used", "malloc free", "posts",
            "vectors MB", "SQLite MB", "GC objects", "threads", "time s")  # fmt: skip
    print("".join(f"{h:>12}" for h in head))
    for r in readings:
        row = (f"{r['checks']:,}", r["rss_mb"], r["hwm_mb"], r["anon_mb"], r["file_mb"], r["malloc_in_use_mb"],
               r["malloc_free_kept_mb"], f"{r['posts']:,}", r["vectors_mb"], r["sqlite_heap_mb"],
               f"{r['gc_objects']:,}", r["threads"], r["seconds"])  # fmt: skip
        print("".join(f"{'-' if v is None else str(v):>12}" for v in row))
    print(f"\nRSS after {args.first:,} checks: {ref['rss_mb']} MB; over the next {args.more:,}: "
          f"{rss_growth:+.1f} MB, of which stored vectors {data_growth:+.1f} MB and SQLite heap "
          f"{sqlite_growth:+.1f} MB; "
          f"beyond the data {beyond:+.1f} MB (tolerance {args.tolerance_mb:g} MB): "
          f"{'no growth' if result['no_growth_beyond_data'] else 'GROWS'}")  # fmt: skip
    if ref["malloc_in_use_mb"] is not None:
        print(f"glibc malloc over the same span: in use {result['malloc_in_use_growth_mb']:+.1f} MB, freed but kept "
              f"{result['malloc_free_kept_growth_mb']:+.1f} MB; Python objects {result['gc_objects_growth']:+,}")
    print(f"failed acks {failures['ack']}, apologies {failures['apology']}, usage answers {failures['usage']}")
    print(json.dumps(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["no_growth_beyond_data"] and not any(failures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
