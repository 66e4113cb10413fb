"""Accuracy of reuse verdicts on labelled cases (`crowdculture eval --reuse FILE`).

A case: {"id", "lang", "history": [{"id", "platform", "text"}], "draft": {"platform", "text"},
"expected": {history id: "copy" | "light_edit" | "adapted" | "none"}}. Every (case, history post) pair is one
verdict; a history post missing from "expected" counts as "none". `unrelated_flagged` counts posts labelled
"none" that were reported anyway: the product promises zero.
"""

from __future__ import annotations

from bot.errors import UsageError
from bot.history.reuse import ReuseFinder

LABELS = ("copy", "light_edit", "adapted", "none")


def evaluate_reuse(service, cases: list[dict], progress=None) -> dict:
    confusion = {e: dict.fromkeys(LABELS, 0) for e in LABELS}
    errors, by_lang = [], {}
    for n, case in enumerate(cases, 1):
        name = case.get("id") or f"case {n}"
        try:
            history, draft, expected = case["history"], case["draft"], case.get("expected", {})
            finder = ReuseFinder.from_posts(service, history)
            report = service.check(draft["text"], None, case.get("lang", "auto"), [draft["platform"]])
        except (KeyError, TypeError) as exc:
            raise UsageError(f"reuse case {name}: missing or malformed field ({exc})") from None
        found = {m.post_id: m.kind for m in finder.find(report)}
        for post in history:
            want = expected.get(str(post["id"]), "none")
            if want not in LABELS:
                raise UsageError(f"reuse case {name}: unknown label {want!r} for {post['id']}; use {', '.join(LABELS)}")
            got = found.get(str(post["id"]), "none")
            confusion[want][got] += 1
            lang = by_lang.setdefault(case.get("lang", "?"), [0, 0])
            lang[0] += want == got
            lang[1] += 1
            if want != got:
                errors.append({"case": name, "post": str(post["id"]), "expected": want, "got": got})
        if progress is not None:
            progress.advance()
    total = sum(sum(row.values()) for row in confusion.values())
    correct = sum(confusion[e][e] for e in LABELS)
    return {
        "cases": len(cases),
        "verdicts": total,
        "accuracy": round(correct / total, 4) if total else None,
        "by_language": {k: round(c / t, 4) for k, (c, t) in sorted(by_lang.items())},
        "unrelated_flagged": sum(v for k, v in confusion["none"].items() if k != "none"),
        "confusion": confusion,  # expected → predicted → count
        "errors": errors,
    }
