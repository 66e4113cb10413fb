"""Model-free measures of how two posts relate: verbatim overlap, shared words and facts, sentences, form.

- Character 5-gram shingles of `normalise_for_copy` text: a copy keeps nearly all of them, whatever was done to
  punctuation, emoji, hashtags or casing; a rewording keeps far fewer.
- Content words, cut to a 5-letter stem so that "launch/launching" or "lève/levée" meet, in both languages.
- Facts: numbers (prices, dates, scores, times), names and links. A rewrite for another platform keeps them;
  two posts whose numbers differ announce different things, however alike their wording.
- Form: length, lines, hashtags, emoji and links, the things a platform's culture changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bot.nlp import split_sentences
from bot.text import HASHTAG_RE, MENTION_RE, URL_RE, Draft, normalise_for_copy

SHINGLE = 5
STEM = 5
_NUMBER_RE = re.compile(r"\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?")
# "3–1", "8am–7pm", "20h30", "5/10": numbers joined into one fact (a score, a range, a time, a date)
_COMPOUND_RE = re.compile(r"\d+(?:\s?(?:am|pm|h))?\s?[–—\-:/h]\s?\d+")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_WORD_RE = re.compile(r"[a-z][a-z'-]*")
# Words that say nothing about a post's message, in English and French (accents stripped, as compared).
STOPWORDS = frozenset(
    "the and for you your yours our ours are was were will with this that these those from have has had not but "
    "all any can just its it's into out about more most very also than then them they their there here what when "
    "who why how which would could should been being get got one two new now today come see let lets make us "
    "les des une est sont vous votre vos nous notre nos avec pour dans sur par pas plus que qui quoi ces cette "
    "son ses leur leurs tout tous toute toutes mais aussi tres bien fait faire etre avoir ete aux chez sans "
    "entre apres avant encore deja comme elle elles ils lui meme peu peut".split()
)


def shingles(normalised: str, n: int = SHINGLE) -> set[str]:
    s = normalised
    if len(s) <= n:
        return {s} if s else set()
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def overlap(a: set, b: set) -> float:
    """Share of the smaller set found in the other: a condensed version of a long post scores high."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def stems(text: str) -> set[str]:
    return {w[:STEM] for w in _WORD_RE.findall(normalise_for_copy(text)) if len(w) >= 3 and w not in STOPWORDS}


def _number(m: str) -> str:
    digits = re.sub(r"[.,\u202f\u00a0 ](?=\d{3}\b)", "", m).replace(",", ".")
    return digits.rstrip("0").rstrip(".") if "." in digits else digits.lstrip("0") or "0"


def numbers(text: str) -> set[str]:
    """Numbers as values ('1,400' = '1 400' = '1400'), plus compounds such as scores and ranges as wholes, so
    that '3–1' and '2–2' differ while '8am–7pm' still shares 8 and 7 with '8am to 7pm'."""
    text = URL_RE.sub(" ", _EMAIL_RE.sub(" ", text))
    out = {_number(m) for m in _NUMBER_RE.findall(text)}
    for m in _COMPOUND_RE.findall(text):
        out.add("-".join(_number(n) for n in re.findall(r"\d+", m)))
    return out


def names(sentence: str) -> set[str]:
    """Capitalised words that do not open the sentence: brands, people, places, titles (stemmed like words).
    Hashtags and mentions are left out: adding them is a trivial edit, not a fact."""
    clean = MENTION_RE.sub(" ", HASHTAG_RE.sub(" ", URL_RE.sub(" ", _EMAIL_RE.sub(" ", sentence))))
    out = set()
    for w in re.findall(r"[^\W\d_][\w'’-]*", clean)[1:]:
        stem = normalise_for_copy(w)[:STEM]
        if w[0].isupper() and len(stem) >= 3 and stem not in STOPWORDS:
            out.add(stem)
    return out


def facts_by_sentence(text: str) -> list[set[str]]:
    """Per sentence (or line): its numbers, names and links."""
    return [numbers(s) | names(s) | links(s) for s in (text[a:b] for a, b in split_sentences(text))]


def links(text: str) -> set[str]:
    found = URL_RE.findall(text) + _EMAIL_RE.findall(text)
    return {re.sub(r"^(https?://)?(www\.)?", "", u.lower()).rstrip("/.") for u in found}


@dataclass
class Form:
    """The shape of a post, as a platform's culture changes it."""

    chars: int
    lines: int
    hashtags: int
    emoji: int
    links: int


class PostText:
    """One post's text with its measures computed once (a stored post is compared with many drafts)."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def normalised(self) -> str:
        return normalise_for_copy(self.text)

    @cached_property
    def shingles(self) -> set[str]:
        return shingles(self.normalised)

    @cached_property
    def stems(self) -> set[str]:
        return stems(self.text)

    @cached_property
    def numbers(self) -> set[str]:
        return numbers(self.text)

    @cached_property
    def facts_by_sentence(self) -> list[set[str]]:
        return facts_by_sentence(self.text)

    @cached_property
    def names(self) -> set[str]:
        return set().union(*self.facts_by_sentence) - self.numbers - self.links if self.facts_by_sentence else set()

    @cached_property
    def links(self) -> set[str]:
        return links(self.text)

    @cached_property
    def sentences(self) -> list[str]:
        """Sentences with some words in them (a line of hashtags or emoji is not a sentence)."""
        out = []
        for start, end in split_sentences(self.text):
            s = self.text[start:end]
            if len(stems(s)) >= 2:
                out.append(s)
        return out or [self.text]

    @cached_property
    def sentence_stems(self) -> list[set[str]]:
        return [stems(s) for s in self.sentences]

    @cached_property
    def form(self) -> Form:
        d = Draft(self.text)
        return Form(len(self.normalised), sum(1 for ln in d.lines if ln.text.strip()), len(d.hashtags),
                    len(d.emoji), len(d.links))  # fmt: skip
