"""Measure rewrites over a set of drafts: fit on the target platform, errors, lost facts, rewrites too alike."""

from __future__ import annotations

import itertools
import time

from bot.progress import Progress
from bot.rewrite.facts import lost_facts

TARGETS = ("linkedin", "instagram", "x", "tiktok", "facebook")


def pair_verdict(service, text_a: str, platform_a: str, report_b) -> str:
    """What the reuse detector says of a rewrite (its checked report) given another one already on platform_a."""
    from bot.history.reuse import ReuseFinder

    finder = ReuseFinder.from_posts(service, [{"id": "a", "platform": platform_a, "text": text_a}])
    matches = finder.find(report_b)
    return matches[0].kind if matches else "none"


def evaluate_rewrites(service, items: list[dict], targets=TARGETS) -> dict:
    n = fit_ok = with_error = lost_num_url = 0
    similar_pairs = 0
    pairs = 0
    examples: list[dict] = []
    seconds = 0.0
    with Progress(len(items), "rewrites") as bar:
        for item in items:
            report = service.check(item["text"], item.get("id"), item.get("lang") or "auto")
            start = time.perf_counter()
            rewrites = service.rewriter.rewrite_many(report, list(targets))  # as `check --rewrite all` asks
            seconds += time.perf_counter() - start
            for pid, rw in rewrites.items():
                n += 1
                fit, errors = service.analyzer.platform_fit(rw.text, report.language, pid)
                fit_ok += fit >= 75
                with_error += errors
                lost = lost_facts(report.text, rw.text, " ".join(rw.changes))
                if lost.get("numbers") or lost.get("urls"):
                    lost_num_url += 1
                    if len(examples) < 5:
                        examples.append({"id": item.get("id"), "platform": pid, "lost": sorted(
                            lost.get("numbers", set()) | lost.get("urls", set()))})  # fmt: skip
            checked = {pid: service.check(rw.text, lang=report.language, targets=[pid]) for pid, rw in rewrites.items()}
            for a, b in itertools.combinations(targets, 2):
                pairs += 1
                kind = pair_verdict(service, rewrites[a].text, a, checked[b])
                similar_pairs += kind in ("copy", "light_edit")
            bar.advance()
    return {
        "rewrites": n,
        "fit_at_least_75": round(fit_ok / n, 3) if n else None,
        "with_error_finding": with_error,
        "lost_number_or_url": lost_num_url,
        "pairs_copy_or_light_edit": similar_pairs,
        "pairs": pairs,
        "ms_per_rewrite": round(1000 * seconds / n, 1) if n else None,
        "lost_examples": examples,
    }
