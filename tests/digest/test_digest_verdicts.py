"""The digest judges posts imported without a stored verdict with bot.history.reuse's rules but no sentence
model: on the labelled reuse cases it must still agree with the labels, and never call an adaptation copy-paste."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
from digest_helpers import utc

from bot.digest.aggregate import Item
from bot.digest.copypaste import CANDIDATE_COS, COPY_KINDS, PairFinder

CASES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "reuse_cases.jsonl"


def item(i: int, post: dict, vector) -> Item:
    row = (i, post["id"], "T1", post["platform"], "published", utc(2024, 6, 3) + timedelta(hours=i), f"h{i}", None,
           post["text"], np.asarray(vector, np.float32).tobytes(), None, None)  # fmt: skip
    return Item(row)


def test_digest_verdicts_agree_with_the_labelled_reuse_cases(service):
    agree = total = caught = wrongly_caught = missed = 0
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        posts = [*case["history"], {**case["draft"], "id": "draft"}]
        items = [item(i, p, v) for i, (p, v) in enumerate(zip(posts, service.analyzer.embedder.encode(
            [p["text"] for p in posts])))]  # fmt: skip
        draft = items[-1]
        finder = PairFinder(items, {draft.id})
        for original in items[:-1]:
            if original.platform == draft.platform:
                continue  # the digest only counts copy-paste across platforms
            cosine = float(original.vector @ draft.vector)
            got = (finder.judge(original, draft, cosine) if cosine >= CANDIDATE_COS else None) or "none"
            expected = case["expected"].get(original.external_id, "none")
            total += 1
            agree += got == expected
            caught += got in COPY_KINDS and expected in COPY_KINDS
            wrongly_caught += got in COPY_KINDS and expected not in COPY_KINDS
            missed += expected in COPY_KINDS and got not in COPY_KINDS
    assert total >= 50
    assert agree / total >= 0.9, f"{agree}/{total} verdicts agree with the labels"
    assert wrongly_caught == 0 and missed <= 0.1 * (caught + missed)


MENU = ("Our spring menu is here! Wild garlic risotto, rhubarb tart and a new elderflower spritz. Open Tuesday to "
        "Sunday, 12pm to 10pm. Book at greenhouse.example")  # fmt: skip
MENU_FOR_X = ("Spring menu is live: wild garlic risotto + rhubarb tart + elderflower spritz 🌿 Tue–Sun, 12–10pm. "
              "Book 👉 greenhouse.example")  # fmt: skip


def test_the_fit_gain_of_an_imported_post_comes_from_the_engine_when_there_is_one():
    """Half the sentences align and the length is similar: only a clear fit gain on X makes it an adaptation.
    Imported posts carry no fit, so without an engine reuse.decide's default (a light edit) applies."""
    original = item(0, {"id": "fb", "platform": "facebook", "text": MENU}, np.zeros(4))
    for_x = item(1, {"id": "x", "platform": "x", "text": MENU_FOR_X}, np.zeros(4))
    assert PairFinder([original, for_x], {1}).judge(original, for_x, 0.87) == "light_edit"
    rated = []

    def fit_of(text: str, platform: str) -> int:
        rated.append((text[:5], platform))
        return 80 if text == MENU_FOR_X else 55

    assert PairFinder([original, for_x], {1}, fit_of=fit_of).judge(original, for_x, 0.87) == "adapted"
    assert sorted(rated) == [("Our s", "x"), ("Sprin", "x")]  # both rated for the target platform only
