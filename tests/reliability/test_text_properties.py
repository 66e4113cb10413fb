"""Property-based tests of the model-free text helpers (bot/text.py, bot/nlp.py) and of the cue matcher, under
arbitrary Unicode: spans point at what they quote, sentence splitting loses nothing but whitespace, and the
copy-paste normalisation ignores exactly the trivial edits it promises to ignore."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.nlp import split_sentences, trim_span
from bot.text import Draft, detect_language, normalise_for_copy

MANY = settings(max_examples=200, deadline=None, derandomize=True)  # pure Python: cheap
MODEL = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(st.characters(codec="utf-8"), max_size=400) | st.lists(st.sampled_from(
    ["Only", "5", "left!", "Déjà", "2 000", "clients.", "#Été", "@team", "https://x.fr/a", "😀", "مرحبا", "שלום",
     "\n", "\n\n", " ", "…", "?", "’", "\u200f", "\x1b", "\t"]), max_size=80).map(" ".join)  # fmt: skip
PRINCIPLES = {"reciprocity", "commitment", "social_proof", "authority", "liking", "scarcity", "unity"}


@MANY
@given(TEXT)
def test_draft_spans_quote_the_text(text):
    d = Draft(text)
    for span in [*d.hashtags, *d.mentions, *d.links, *d.emoji, *d.lines, *d.paragraphs, d.first_line]:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    assert "\n".join(line.text for line in d.lines) == text
    assert detect_language(text) in ("en", "fr") and 0.0 <= d.caps_ratio() <= 1.0


@MANY
@given(TEXT)
def test_split_sentences_keeps_every_visible_character(text):
    spans = split_sentences(text)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)  # ordered, not overlapping, not empty
        chunk = text[start:end]
        assert chunk == chunk.strip() and chunk
        covered.update(range(start, end))
        previous_end = end
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@MANY
@given(TEXT, st.integers(0, 400), st.integers(0, 400))
def test_trim_span_stays_inside_and_strips(text, a, b):
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    start, end = trim_span(text, a, b)
    assert a <= start <= end <= b
    assert text[start:end] == text[a:b].strip()


@MANY
@given(TEXT)
def test_normalised_text_is_plain_words(text):
    out = normalise_for_copy(text)
    assert out == out.strip() and "  " not in out and not re.search(r"[^\w ]", out)
    assert normalise_for_copy(out) == out  # normalising twice changes nothing


WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=10)
DECORATION = st.sampled_from(["", "!", "?", ",", ".", "…", " 😀", " #launch", " @team", " https://example.com/x",
                              "\n", "  ", " — "])  # fmt: skip


@MANY
@given(st.lists(st.tuples(WORD, st.booleans(), st.sampled_from(["", "é"]), DECORATION), min_size=1, max_size=30))
def test_copy_normalisation_ignores_trivial_edits(words):
    """Case, accents, punctuation, emoji, hashtags, mentions and links: the same post for copy-paste detection."""
    plain = " ".join(w for w, _, _, _ in words)
    decorated = " ".join((w.upper() if up else w) + accent + deco for w, up, accent, deco in words)
    unaccented = " ".join(w + ("e" if accent else "") for w, _, accent, _ in words)
    assert normalise_for_copy(decorated) == normalise_for_copy(unaccented)
    assert normalise_for_copy(" ".join((w.upper() if up else w) + deco for w, up, _, deco in words)) == plain


@MODEL
@given(TEXT, st.sampled_from(["en", "fr"]))
def test_cue_matches_stay_inside_the_text(service, text, lang):
    analyzer = service.analyzer
    prepared = text.replace("’", "'")  # what the engine gives spaCy: the same length, so offsets carry over
    matches = analyzer.matcher(lang).find(analyzer.nlp(lang)(prepared))
    for m in matches:
        assert m.key in PRINCIPLES and 0 <= m.start < m.end <= len(text)
    by_key: dict[str, list] = {}
    for m in matches:
        by_key.setdefault(m.key, []).append(m)
    for found in by_key.values():  # per principle, the longest of overlapping matches only
        for a, b in zip(found, found[1:]):
            assert a.end <= b.start


def test_cue_matcher_finds_known_cues(service):
    analyzer = service.analyzer
    for lang, text in (("en", "Only 50 seats left! 2,000 founders have already joined."),
                       ("fr", "Plus que 3 places ! Déjà 2 000 clients nous font confiance.")):  # fmt: skip
        keys = {m.key for m in analyzer.matcher(lang).find(analyzer.nlp(lang)(text))}
        assert {"scarcity", "social_proof"} <= keys, (lang, keys)
