"""50 concurrent signed slash commands against the real app on loopback.

Measures, per command, the ack (HTTP response time: Slack gives up after 3 s) and the time until the answer
reaches the response_url on a stand-in Slack. Everything runs on 127.0.0.1; the engine's models load once first.

    python benchmarks/bench_slack.py [--n 50] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from loopback import FakeSlack, serve_on_loopback  # noqa: E402

DRAFTS = [
    "Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined. Save yours now!",
    "Comment YES if you agree! Like and share with everyone! #growth #hustle #mindset #success #viral",
    "Last spring our support team cut first-reply time from 9 hours to 40 minutes. How do you organise support?",
    "Our spring collection is here: 12 new bags made from recycled sails, each one numbered. Pre-orders Monday.",
    "We're hiring a community manager in Lyon. You'll run our Discord and meet our customers every month.",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="concurrent slash commands (default 50)")
    parser.add_argument("--json", help="also write the JSON result to this file")
    args = parser.parse_args()

    fake = FakeSlack().start()
    loop = serve_on_loopback(fake, tempfile.mkdtemp(prefix="bench-slack-"))
    server, slack = loop.server, loop.slack

    def send(i: int) -> tuple[float, float]:
        start = time.monotonic()
        resp = slack.command("/draft-check", f"{DRAFTS[i % len(DRAFTS)]} (#{i})", user=f"U{i}", response=f"r{i}")
        assert resp.status == 200, resp
        return start, resp.elapsed

    send(-1)  # warm-up: first-use costs (spaCy pipelines, SQLite, the index) are not what we measure
    fake.wait_for("response_url", 1, timeout=120)
    fake.reset()

    with ThreadPoolExecutor(args.n) as pool:
        sent = list(pool.map(send, range(args.n)))
    answers = {c.path.rsplit("/", 1)[1][1:]: c.at for c in fake.wait_for("response_url", args.n, timeout=600)}
    acks = [elapsed for _, elapsed in sent]
    to_answer = [answers[str(i)] - start for i, (start, _) in enumerate(sent)]
    server.shutdown()
    fake.stop()

    result = {"commands": args.n, "acks_under_1s": sum(a < 1 for a in acks),
              "ack_s": {"p50": statistics.median(acks), "p95": percentile(acks, 95), "max": max(acks)},
              "answer_s": {"p50": statistics.median(to_answer), "p95": percentile(to_answer, 95),
                           "max": max(to_answer)},
              "cpus": os.cpu_count()}  # fmt: skip
    print(f"{args.n} concurrent signed /draft-check commands on loopback ({os.cpu_count()} CPUs)\n")
    print(f"{'':<22}{'p50':>8}{'p95':>8}{'max':>8}")
    for label, key in (("ack (HTTP response)", "ack_s"), ("answer (response_url)", "answer_s")):
        row = result[key]
        print(f"{label:<22}{row['p50']:>7.2f}s{row['p95']:>7.2f}s{row['max']:>7.2f}s")
    print(f"\nacks under 1 s: {result['acks_under_1s']}/{args.n}")
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["acks_under_1s"] == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
