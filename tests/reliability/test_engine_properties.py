"""Property-based tests (hypothesis) of the engine: whatever Unicode text it is given, up to the size limit, a
check either returns a report or refuses the input with a UsageError, and every offset in the report points
inside the text, at the words it quotes.

Each example is a small batch of drafts analysed in one call (one embedding batch), as `check --format jsonl`
does: the embedding model is the cost, and this keeps the suite fast on a shared 2-core machine.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UsageError

PRINCIPLES = {"reciprocity", "commitment", "social_proof", "authority", "liking", "scarcity", "unity"}
SEVERITIES = {"error", "warning", "suggestion"}
FAST = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip

# Pieces of real drafts in several scripts and languages, so that cues, rules and sentence splitting fire.
WORDS = [
    "Only", "50", "seats", "left", "free", "workshop", "join", "2,000", "founders", "already", "save", "yours",
    "now!", "Plus", "que", "places", "rejoignez", "nos", "clients", "déjà", "offert", "aujourd'hui", "C'est",
    "gratuit.", "مرحبا", "بالعالم", "عرض", "محدود", "שלום", "עולם", "מבצע", "רק", "היום", "限定", "今日だけ",
    "Привет", "мир", "#growth", "#Été2024", "@crowdculture", "https://example.com/a?b=1", "www.site.fr",
    "😀", "🔥🔥", "👩‍👩‍👧", "🇫🇷", "1/3", "…", "—", "’", "\n", "\n\n", "\t", "\u200f", "\u202e", "\u200b", "\x1b[31m",
    "\r\n", "\u0301", "İ", "ß", "ﷺ",
]  # fmt: skip
RTL = st.sampled_from(["مرحبا", "بالعالم", "عرض محدود!", "שלום", "עולם.", "מבצע רק היום", "٣٠٪", "\u200f", " ", "\n"])
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF) | st.sampled_from(["👩‍👩‍👧", "🇫🇷", "❤️", "\u200d"])
CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"], exclude_characters="\x00")
ANY_CHAR = st.characters(codec="utf-8", exclude_characters="\x00")
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])  # only JSON makes them


def joined(pieces, max_size: int = 60):
    return st.lists(pieces, min_size=1, max_size=max_size).map(" ".join)


DRAFT = st.one_of(
    st.text(ANY_CHAR, min_size=1, max_size=300),  # any Unicode (no NUL: refused by design, tested below)
    st.lists(EMOJI, min_size=1, max_size=40).map("".join),  # emoji only (sequences included)
    joined(RTL),  # Arabic / Hebrew
    st.text(st.one_of(CONTROL, st.sampled_from("abc .!?#@\n")), min_size=1, max_size=120),  # control characters
    joined(st.sampled_from(WORDS), 120),  # English, French and other scripts mixed
    st.tuples(st.text(max_size=30), SURROGATE, st.text(max_size=30)).map("".join),  # refused, never a crash
)


def checked(service, drafts: list[str]) -> list[tuple[str, dict]]:
    """(text, report JSON) for the drafts the service accepts; the others must be refused with a UsageError."""
    accepted = []
    for text in drafts:
        try:
            accepted.append(service.prepare(text))
        except UsageError as exc:
            assert str(exc)  # refused with a message (empty, NUL, lone surrogate…), never a crash
    reports = service.check_many(accepted) if accepted else []
    return [(p.text, r.to_dict()) for p, r in zip(accepted, reports)]


def assert_sound(text: str, report: dict) -> None:
    json.dumps(report)  # the fixed contract is JSON
    n = len(text)
    assert report["language"] in ("en", "fr")
    assert report["platforms"] and report["best_platform"] == report["platforms"][0]["id"]
    fits = [p["fit"] for p in report["platforms"]]
    assert fits == sorted(fits, reverse=True) and all(0 <= f <= 100 for f in fits)
    for platform in report["platforms"]:
        for finding in platform["findings"]:
            assert_offsets(text, finding)
    for finding in report["antipatterns"]:
        assert_offsets(text, finding)
    for hit in report["principles"]:
        assert hit["id"] in PRINCIPLES and 0.0 <= hit["score"] <= 1.0
        for ev in hit["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= n, (ev, n)
            assert text[ev["start"] : ev["end"]] == ev["text"], ev


def assert_offsets(text: str, finding: dict) -> None:
    assert finding["severity"] in SEVERITIES and finding["message"]
    start, end = finding["start"], finding["end"]
    assert (start is None) == (end is None), finding
    if start is not None:
        assert 0 <= start <= end <= len(text), (finding, len(text))


@FAST
@given(st.lists(DRAFT, min_size=1, max_size=6))
def test_any_text_gives_a_sound_report_or_a_clear_refusal(service, drafts):
    for text, report in checked(service, drafts):
        assert_sound(text, report)


def test_evidence_quotes_the_draft(service):
    """The property above must see evidence to mean anything: known drafts in both languages quote their cues."""
    drafts = ["Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined. Save yours!",
              "Plus que 3 places ! Déjà 2 000 clients nous font confiance. Offre valable aujourd'hui seulement.",
              "🔥 Only 50 seats left 🔥 مرحبا 2,000 founders already joined ✨\u200f"]  # fmt: skip
    quoted = 0
    for text, report in checked(service, drafts):
        assert_sound(text, report)
        quoted += sum(len(h["evidence"]) for h in report["principles"])
    assert quoted >= 3


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), (" \n\t ", "empty"), ("hello\x00world", "NUL"), ("half an emoji \ud83d here", r"surrogate U\+D83D"),
    ("é" * 20_001, "limit is 20,000"),
])  # fmt: skip
def test_unusable_input_is_refused_with_a_reason(service, text, reason):
    with pytest.raises(UsageError, match=reason):
        service.check(text)


def at_limit(service, unit: str) -> str:
    limit = service.settings.analysis.max_draft_chars
    return (unit * (limit // len(unit) + 1))[:limit]


def test_a_draft_at_the_size_limit_is_checked(service):
    """The fast variant: long words and few sentences, so spaCy's matcher and the model have little to do."""
    text = at_limit(service, "https://example.com/launch/2024?ref=newsletter #SpringCollection2024 مرحبابالعالم "
                             "😀😀😀 @crowdculture_team anticonstitutionnellement ")
    ((checked_text, report),) = checked(service, [text])
    assert len(checked_text) == service.settings.analysis.max_draft_chars
    assert_sound(checked_text, report)


@pytest.mark.slow
def test_a_draft_at_the_size_limit_with_many_sentences_is_checked(service):
    text = at_limit(service, "Only 5 left! 😀 مرحبا. Rejoignez 2 000 fondateurs.\n")
    ((checked_text, report),) = checked(service, [text])
    assert_sound(checked_text, report)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(WORDS) | st.text(ANY_CHAR, max_size=8), min_size=1, max_size=400), st.integers(1, 60))
def test_long_drafts_up_to_the_limit(service, pieces, repeat):
    text = (" ".join(pieces) * repeat)[: service.settings.analysis.max_draft_chars]
    for checked_text, report in checked(service, [text]):
        assert_sound(checked_text, report)
