"""Evaluate knowledge-base rules (limits, counts, patterns, word lists) against a draft → findings.

Each check kind is one small function registered by name, so a new kind is one function, not a branch in a
long if/elif.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from bot.analysis.report import Finding
from bot.knowledge.model import Rule, pick
from bot.text import Draft, Span

Check = Callable[[Rule, Draft, str], list[tuple[int | None, int | None, str]]]
CHECKS: dict[str, Check] = {}


def check(kind: str):
    def register(fn: Check) -> Check:
        CHECKS[kind] = fn
        return fn

    return register


def _over(count: int, limit, spans: list[Span]):
    """One finding when `count` exceeds `limit`, pointing from the first extra item to the last."""
    if count <= limit:
        return []
    extra = spans[int(limit):] if spans else []
    if extra:
        return [(extra[0].start, extra[-1].end, str(count))]
    return [(None, None, str(count))]


@check("max_chars")
def _max_chars(rule, d, lang):
    # The finding points at the part past the limit: what would be cut.
    return [(int(rule.value), d.length, str(d.length))] if d.length > rule.value else []


@check("min_chars")
def _min_chars(rule, d, lang):
    return [(None, None, str(d.length))] if d.length < rule.value else []


@check("max_hashtags")
def _max_hashtags(rule, d, lang):
    return _over(len(d.hashtags), rule.value, d.hashtags)


@check("min_hashtags")
def _min_hashtags(rule, d, lang):
    return [(None, None, str(len(d.hashtags)))] if len(d.hashtags) < rule.value else []


@check("max_mentions")
def _max_mentions(rule, d, lang):
    return _over(len(d.mentions), rule.value, d.mentions)


@check("max_links")
def _max_links(rule, d, lang):
    return _over(len(d.links), rule.value, d.links)


@check("max_emoji")
def _max_emoji(rule, d, lang):
    return _over(len(d.emoji), rule.value, d.emoji)


@check("min_emoji")
def _min_emoji(rule, d, lang):
    return [(None, None, str(len(d.emoji)))] if len(d.emoji) < rule.value else []


@check("first_line_max_chars")
def _first_line(rule, d, lang):
    line = d.first_line
    if len(line.text.strip()) > rule.value:
        return [(line.start, line.end, line.text.strip()[:60])]
    return []


@check("max_paragraph_chars")
def _paragraphs(rule, d, lang):
    return [(p.start, p.end, str(len(p.text))) for p in d.paragraphs if len(p.text) > rule.value][:3]


@check("max_caps_ratio")
def _caps(rule, d, lang):
    ratio = d.caps_ratio()
    return [(None, None, f"{ratio:.0%}")] if ratio > rule.value else []


@check("max_exclamations")
def _exclamations(rule, d, lang):
    marks = [Span("!", m.start(), m.end()) for m in re.finditer("!", d.text)]
    return _over(len(marks), rule.value, marks)


@lru_cache(maxsize=4096)
def _compiled(pattern: str, flags: str) -> re.Pattern:
    return re.compile(pattern, re.I if "i" in flags else 0)


@check("pattern")
def _pattern(rule, d, lang):
    value = rule.value
    pat = value.get(lang) or value.get("*") if isinstance(value, dict) else value
    if not pat:
        return []
    rx = _compiled(pat, rule.flags)
    if rule.expect == "present":
        return [] if rx.search(d.text) else [(None, None, "")]
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(d.text) if m.end() > m.start()][:5]


def token_regex(words: list[str]) -> re.Pattern | None:
    words = [w for w in words if w and w.strip()]
    if not words:
        return None
    alts = sorted((re.escape(w.strip()).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w#])(?:" + "|".join(alts) + r")(?!\w)", re.I)


@check("tokens")
def _tokens(rule, d, lang):
    words = rule.value.get(lang, []) + rule.value.get("*", [])
    rx = _token_rx(rule.id, lang, tuple(words))
    if rx is None:
        return []
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(d.text)][:5]


@lru_cache(maxsize=1024)
def _token_rx(rule_id: str, lang: str, words: tuple[str, ...]):
    return token_regex(list(words))


def evaluate(rule: Rule, draft: Draft, lang: str) -> list[Finding]:
    """Findings of one rule; the message is in the draft's language with %s filled from the match."""
    out = []
    for start, end, matched in CHECKS[rule.kind](rule, draft, lang):
        message = pick(rule.message, lang)
        if "%s" in message:
            message = message.replace("%s", matched or "")
        out.append(Finding(rule.id, rule.level, message, start, end))
    return out


def evaluate_all(rules: list[Rule], draft: Draft, lang: str) -> list[Finding]:
    return [f for rule in rules for f in evaluate(rule, draft, lang)]


def trips_a_pattern(rules: list[Rule], text: str, lang: str) -> bool:
    """Whether a piece of text (a hashtag a rewrite considers) matches one of the platform's "must be absent"
    patterns, e.g. TikTok's reach-bait tags (#fyp, #pourtoi)."""
    d = Draft(text)
    return any(_pattern(r, d, lang) for r in rules if r.kind == "pattern" and r.expect == "absent")
