"""Surface features of a post that need no model: hashtags, mentions, links, emoji, paragraphs, language.

Everything here is pure Python and fast, so the rule checks and the CLI's input validation never wait for
spaCy or torch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+|\b[a-z0-9-]+\.(?:com|fr|io|org|net|co|app|ly|gl|me)/\S*",
                    re.I)  # fmt: skip
HASHTAG_RE = re.compile(r"(?<![\w&#/])#(\w[\w'-]*)", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@.])@(\w[\w.-]*\w|\w)", re.UNICODE)
EMOJI_RE = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U0001f900-\U0001f9ff\u2b50\u2b06\u2934"
    "\u2935\u3030\u303d\u3297\u3299\u2190-\u21ff\u2300-\u23ff]"
)
PARAGRAPH_RE = re.compile(r"\n\s*\n")
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

# Function words that tell English from French apart; shared words such as "a", "on", "est" are left out.
_EN = set(
    "the and of to is are you your we our with for this that it in on at be have has was were will can "
    "just what how why who when not do does don't it's i'm they their from by about all more get new now "
    "here there today thanks check out join into than then these those would could should been being "
    "which only".split()
)
_FR = set(
    "le la les des du de et est sont vous votre vos nous notre nos avec pour ce cette ces qui que quoi "
    "dans sur un une au aux pas plus ne je tu il elle on ils c'est j'ai très mais aussi chez en où sans "
    "tout tous dès aujourd'hui merci bonjour nouveau nouvelle nouveaux bientôt encore avant après leur "
    "leurs entre".split()
)


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


class Draft:
    """A draft as given, with cached surface features. Offsets are into `text` unchanged."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def hashtags(self) -> list[Span]:
        return [Span(m.group(0), m.start(), m.end()) for m in HASHTAG_RE.finditer(self.text)
                if not m.group(1).isdigit()]  # fmt: skip

    @cached_property
    def mentions(self) -> list[Span]:
        return [Span(m.group(0), m.start(), m.end()) for m in MENTION_RE.finditer(self.text)]

    @cached_property
    def links(self) -> list[Span]:
        return [Span(m.group(0), m.start(), m.end()) for m in URL_RE.finditer(self.text)]

    @cached_property
    def emoji(self) -> list[Span]:
        return [Span(m.group(0), m.start(), m.end()) for m in EMOJI_RE.finditer(self.text)]

    @cached_property
    def lines(self) -> list[Span]:
        out, pos = [], 0
        for line in self.text.split("\n"):
            out.append(Span(line, pos, pos + len(line)))
            pos += len(line) + 1
        return out

    @cached_property
    def first_line(self) -> Span:
        for line in self.lines:
            if line.text.strip():
                return line
        return Span("", 0, 0)

    @cached_property
    def paragraphs(self) -> list[Span]:
        out, pos = [], 0
        for part in PARAGRAPH_RE.split(self.text):
            start = self.text.find(part, pos) if part else pos
            if part.strip():
                out.append(Span(part, start, start + len(part)))
            pos = start + len(part)
        return out

    @cached_property
    def words(self) -> list[str]:
        return WORD_RE.findall(self.text)

    @property
    def length(self) -> int:
        return len(self.text)

    def caps_ratio(self) -> float:
        return self._caps_ratio

    @cached_property
    def _caps_ratio(self) -> float:  # asked by several platforms' rules for one draft: computed once
        letters = [c for c in self.text if c.isalpha()]
        return sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 20 else 0.0


def detect_language(text: str) -> str:
    """'en' or 'fr' from function words and accents; English when there is no evidence either way."""
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words)
    fr += 0.5 * sum(1 for c in text if c in "éèêàùçôîâûëïœ")
    fr += 0.5 * sum(1 for w in words if len(w) > 3 and w.endswith(("ez", "eux", "ée", "ées", "ais", "ait")))
    if fr > en:
        return "fr"
    return "en"


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def normalise_for_copy(text: str) -> str:
    """Text with the trivial edits of a copy-paste removed: case, accents, punctuation, emoji, hashtags, links."""
    t = URL_RE.sub(" ", text)
    t = HASHTAG_RE.sub(" ", t)
    t = MENTION_RE.sub(" ", t)
    t = strip_accents(t.lower())
    t = re.sub(r"[^\w\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()
