"""`crowdculture eval`: measure the engine on labelled data it never learned from.

- drafts (JSONL: id, lang, platform, principles, text): precision / recall / F1 per principle, micro-F1,
  platform top-1 accuracy, overall and per language;
- shopping-site strings (CSV: text, expected_principle): precision and recall for scarcity and social proof;
- reuse cases (JSONL): verdict accuracy (bot.history.evaluate);
- rewrites (--rewrites): fit, error findings, lost facts, rewrites that look like copies of each other.
Texts that also appear among the knowledge-base exemplars are refused: training and evaluation never overlap.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from bot.cli import read_file, read_jsonl
from bot.errors import UsageError
from bot.knowledge.model import PRINCIPLE_IDS, KnowledgeBase
from bot.progress import Progress

DEFAULT_DATASET = Path(__file__).resolve().parent.parent / "tests" / "data" / "dev_drafts.jsonl"
BATCH = 32


def kb_texts(kb: KnowledgeBase) -> set[str]:
    out = set()
    for p in kb.platforms.values():
        for lang in ("en", "fr"):
            out |= {t.strip().lower() for t in p.fit[lang] + p.clash[lang]}
    for pr in kb.principles.values():
        for lang in ("en", "fr"):
            out |= {t.strip().lower() for t in pr.exemplars[lang] + pr.near_misses[lang]}
    for ap in kb.antipatterns.values():
        for lang in ("en", "fr"):
            out |= {t.strip().lower() for t in ap.exemplars[lang]}
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def analyse_all(service, texts: list[str], langs: list[str | None], label: str):
    reports = []
    with Progress(len(texts), label) as bar:
        for i in range(0, len(texts), BATCH):
            prepared = [service.prepare(t, None, lang or "auto") for t, lang in
                        zip(texts[i : i + BATCH], langs[i : i + BATCH])]  # fmt: skip
            reports += service.analyzer.analyse_many(prepared)
            bar.advance(len(prepared))
    return reports


def evaluate_drafts(service, items: list[dict]) -> dict:
    reports = analyse_all(service, [x["text"] for x in items], [x.get("lang") for x in items], "drafts")
    counts = {lang: {p: Counter() for p in PRINCIPLE_IDS} for lang in ("all", "en", "fr")}
    top1 = {lang: Counter() for lang in ("all", "en", "fr")}
    errors = []
    for item, report in zip(items, reports):
        lang = item.get("lang") or report.language
        gold = set(item.get("principles", []))
        pred = {h.id for h in report.principles}
        for key in ("all", lang):
            for p in PRINCIPLE_IDS:
                c = counts[key][p]
                c["tp"] += p in gold and p in pred
                c["fp"] += p not in gold and p in pred
                c["fn"] += p in gold and p not in pred
            if item.get("platform"):
                top1[key]["n"] += 1
                top1[key]["ok"] += report.best_platform == item["platform"]
        if gold != pred or (item.get("platform") and report.best_platform != item["platform"]):
            errors.append({"id": item.get("id"), "gold": sorted(gold), "pred": sorted(pred),
                           "platform": item.get("platform"), "best": report.best_platform})  # fmt: skip
    out = {}
    for key in ("all", "en", "fr"):
        per = {p: _prf(c["tp"], c["fp"], c["fn"]) for p, c in counts[key].items()}
        tot = Counter()
        for c in counts[key].values():
            tot.update(c)
        out[key] = {
            "drafts": sum(1 for x in items if key == "all" or x.get("lang") == key),
            "principles": per,
            "micro": _prf(tot["tp"], tot["fp"], tot["fn"]),
            "platform_top1": round(top1[key]["ok"] / top1[key]["n"], 3) if top1[key]["n"] else None,
        }
    out["errors"] = errors
    return out


def evaluate_dark_patterns(service, path: str) -> dict:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if not rows or "text" not in rows[0] or "expected_principle" not in rows[0]:
        raise UsageError(f"{path}: expected columns text and expected_principle")
    rows = [r for r in rows if r["text"].strip()]
    reports = analyse_all(service, [r["text"][:20000] for r in rows], ["en"] * len(rows), "shopping strings")
    out = {}
    for target in ("scarcity", "social_proof"):
        tp = fp = fn = 0
        for row, report in zip(rows, reports):
            gold = row["expected_principle"] == target
            pred = any(h.id == target for h in report.principles)
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
        out[target] = _prf(tp, fp, fn)
    out["strings"] = len(rows)
    return out


def _table(results: dict) -> str:
    lines = []
    if "drafts" in results:
        d = results["drafts"]
        lines.append("Principles (precision / recall / F1)        all                 en                  fr")
        for p in PRINCIPLE_IDS:
            cells = [d[k]["principles"][p] for k in ("all", "en", "fr")]
            lines.append(f"  {p:<14}" + "".join(f"   {c['precision']:.2f} {c['recall']:.2f} {c['f1']:.2f}     "
                                                 for c in cells))  # fmt: skip
        cells = [d[k]["micro"] for k in ("all", "en", "fr")]
        lines.append(f"  {'micro':<14}" + "".join(f"   {c['precision']:.2f} {c['recall']:.2f} {c['f1']:.2f}     "
                                                   for c in cells))  # fmt: skip
        lines.append("Platform top-1 accuracy: " + ", ".join(
            f"{k} {d[k]['platform_top1']:.2f} (n={d[k]['drafts']})" for k in ("all", "en", "fr")
            if d[k]["platform_top1"] is not None))  # fmt: skip
    if "dark_patterns" in results:
        dp = results["dark_patterns"]
        lines.append(f"Shopping-site strings (n={dp['strings']}):")
        for t in ("scarcity", "social_proof"):
            lines.append(f"  {t:<14} precision {dp[t]['precision']:.3f}  recall {dp[t]['recall']:.3f}  "
                         f"F1 {dp[t]['f1']:.3f}")  # fmt: skip
    if "reuse" in results:
        r = results["reuse"]
        lines.append(f"Reuse verdicts: accuracy {r['accuracy']:.3f} over {r['verdicts']} verdicts; "
                     f"unrelated posts flagged: {r['unrelated_flagged']}")  # fmt: skip
    if "rewrites" in results:
        rw = results["rewrites"]
        lines.append("Rewrites: " + ", ".join(f"{k} {v}" for k, v in rw.items() if not isinstance(v, (dict, list))))
    lines.append(f"({results['seconds']:.1f} s)")
    return "\n".join(lines)


def cmd_eval(args) -> int:
    from bot.cli import _service

    svc = _service(args)
    start = time.monotonic()
    results: dict = {}
    dataset = args.dataset or (str(DEFAULT_DATASET) if not (args.dark_patterns or args.reuse) else None)
    if dataset:
        items = read_jsonl(read_file(dataset).splitlines(), dataset)
        seen = kb_texts(svc.kb)
        overlap = [x.get("id") for x in items if x["text"].strip().lower() in seen]
        if overlap:
            raise UsageError(f"{dataset}: {len(overlap)} drafts are also knowledge-base exemplars "
                             f"(e.g. {overlap[0]}); evaluation data must be unseen")  # fmt: skip
        results["drafts"] = evaluate_drafts(svc, items)
        if args.rewrites:
            from bot.rewrite.evaluate import evaluate_rewrites

            results["rewrites"] = evaluate_rewrites(svc, items)
    if args.dark_patterns:
        results["dark_patterns"] = evaluate_dark_patterns(svc, args.dark_patterns)
    if args.reuse:
        from bot.history.evaluate import evaluate_reuse

        cases = read_jsonl(read_file(args.reuse).splitlines(), args.reuse, required=())
        results["reuse"] = evaluate_reuse(svc, cases)
    results["seconds"] = round(time.monotonic() - start, 1)
    if args.format == "json":
        sys.stdout.write(json.dumps({"schema": 1, **results}, ensure_ascii=False, indent=2) + "\n")
    else:
        print(_table(results))
        print(json.dumps({"schema": 1, **{k: v for k, v in results.items() if k != "drafts"},
                          "drafts": {k: v for k, v in results.get("drafts", {}).items() if k != "errors"}},
                         ensure_ascii=False))  # fmt: skip
    return 0
