"""Facts a rewrite must keep: numbers, prices, dates, times, URLs, @mentions, #hashtags and names.

A rewrite may move a fact (a URL into "link in bio"), but then its `changes` must say where it went.
"""

from __future__ import annotations

import re

from bot.text import HASHTAG_RE, MENTION_RE, URL_RE

NUMBER_RE = re.compile(
    # Spaces inside a number ("36 000 €") but never a line break: "50/30/20" ending a line is not one number with
    # the "03:12" that starts the next.
    # A clock time keeps its "pm" ("6pm", "9 a.m.") and a count its "k" or "M" ("10k followers"): without them the
    # fact was not seen at all, and a rewrite could drop "closes Friday at 6pm" unnoticed.
    # A comma or full stop continues a number only before a digit ("12,50", not "18h30, 36 000 €").
    r"(?<![\w/])(?:[$€£][^\S\n]?)?\d(?:[\d:h/%-]|[.,](?=\d)|[^\S\n](?=[\d$€£%]))*"
    r"(?:[^\S\n]?[$€£%]|[^\S\n]?(?i:[ap]\.?m\.?)|[kKM]|bn)?(?!\w)"
    r"|(?<!\w)\d+(?:st|nd|rd|th|er|e)\b"
)
# Capitalised words not at the start of a sentence are likely names of people, places, brands or events.
NAME_RE = re.compile(r"(?<=[\w,;:’'\)] )([A-ZÀ-Ý][\w’'-]*(?:\s[A-ZÀ-Ý][\w’'-]*)*)")


def _norm_number(s: str) -> str:
    return re.sub(r"[\s,.]", "", s).strip("-/:").lower()  # "6 PM" is "6pm"


def extract_facts(text: str) -> dict[str, set[str]]:
    body = URL_RE.sub(" ", text)
    numbers = {_norm_number(m.group(0)) for m in NUMBER_RE.finditer(body)}
    return {
        "urls": {m.group(0).rstrip(".,;!?") for m in URL_RE.finditer(text)},
        "mentions": {m.group(0).lower() for m in MENTION_RE.finditer(text)},
        "numbers": {n for n in numbers if any(c.isdigit() for c in n)},
        "names": {m.group(1) for m in NAME_RE.finditer(HASHTAG_RE.sub(" ", body))
                  if len(m.group(1)) > 2 and not m.group(1).isupper()},  # fmt: skip
    }


def lost_facts(original: str, rewrite: str, notes: str = "") -> dict[str, set[str]]:
    """Facts of `original` found neither in `rewrite` nor in the change notes (`notes`)."""
    before, after = extract_facts(original), extract_facts(rewrite + "\n" + notes)
    haystack = _norm_number(rewrite + " " + notes)
    lost = {}
    for kind in ("urls", "mentions", "numbers"):
        missing = {f for f in before[kind] if f not in after[kind] and (kind != "numbers" or f not in haystack)}
        if missing:
            lost[kind] = missing
    low = (rewrite + " " + notes).lower()
    names = {n for n in before["names"] if n.lower() not in low}
    if names:
        lost["names"] = names
    return lost
