"""The form of a post as numbers: platform cultures show as much in form (length, line breaks, hashtag blocks,
emoji, title lines, links) as in words."""

from __future__ import annotations

import math
import re

import numpy as np

from bot.text import Draft

_TIMESTAMP = re.compile(r"(?m)^\s*\(?\d{1,2}:\d{2}")
_COMMAND = re.compile(r"(?<!\w)![a-z]{2,}\b", re.I)
_BOLD_STAR = re.compile(r"(?<!\*)\*[^*\n]{2,60}\*(?!\*)")
_BOLD_MD = re.compile(r"\*\*[^*\n]{2,80}\*\*")
_THREAD = re.compile(r"(?m)(^|\s)\d{1,2}/(\d{1,2})?(\s|$)|🧵")
_CHANNEL = re.compile(r"(?<!\w)#[a-z]+-[a-z-]+|<#|@everyone|@here", re.I)
_CW = re.compile(r"^\s*(cw|tw)\s*:", re.I)
_QUESTION_END = re.compile(r"\?\s*$")
# First letter of each sentence or line: a relaxed all-lowercase voice is a culture of its own (Threads above all)
# that lowercasing n-grams and a whole-text capitals ratio cannot see.
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n)\s*([^\W\d_])")


def style_vector(text: str) -> np.ndarray:
    """About 30 numbers describing a post's form; scaled to similar ranges."""
    d = Draft(text)
    n = max(d.length, 1)
    lines = [ln.text for ln in d.lines]
    nonempty = [ln for ln in lines if ln.strip()]
    first = d.first_line.text.strip()
    tags = d.hashtags
    tail_tags = sum(1 for t in tags if t.start >= n - 200) if tags else 0
    camel = sum(1 for t in tags if re.search(r"[a-z][A-Z]", t.text)) if tags else 0
    lower_tags = sum(1 for t in tags if t.text[1:].islower()) if tags else 0
    words = d.words
    sentences = max(1, len(re.findall(r"[.!?…](\s|$)", text)))
    starts = _SENTENCE_START.findall(text)
    feats = [
        math.log1p(n) / 8,
        min(n, 300) / 300,
        min(n, 3000) / 3000,
        math.log1p(len(nonempty)) / 3,
        math.log1p(len(d.paragraphs)) / 3,
        math.log1p(len(tags)) / 3,
        tail_tags / max(len(tags), 1),
        camel / max(len(tags), 1),
        lower_tags / max(len(tags), 1),
        math.log1p(len(d.emoji)) / 3,
        min(len(d.emoji) / (n / 100), 5) / 5,
        min(len(d.links), 3) / 3,
        min(len(d.mentions), 3) / 3,
        min(text.count("?"), 5) / 5,
        min(text.count("!"), 5) / 5,
        1.0 if _QUESTION_END.search(text) else 0.0,
        min(len(_TIMESTAMP.findall(text)), 5) / 5,
        min(len(_COMMAND.findall(text)), 3) / 3,
        min(len(_BOLD_STAR.findall(text)), 3) / 3,
        min(len(_BOLD_MD.findall(text)), 3) / 3,
        1.0 if _THREAD.search(text) else 0.0,
        min(len(_CHANNEL.findall(text)), 3) / 3,
        1.0 if _CW.search(text) else 0.0,
        min(len(first), 200) / 200,
        1.0 if first and first[-1] not in ".!?…:)" and len(nonempty) > 1 else 0.0,
        len(first) / n,
        sum(1 for ln in nonempty if ln.lstrip()[:1] in "-•*–✅👉▶️🔹") / max(len(nonempty), 1),
        d.caps_ratio(),
        min(len(words) / sentences, 40) / 40,
        sum(1 for w in words if w.lower() in ("i", "je", "j", "my", "mon", "ma", "me")) / max(len(words), 1) * 5,
        sum(1 for c in starts if c.islower()) / max(len(starts), 1),
    ]
    return np.asarray(feats, dtype=np.float32)


def style_matrix(texts: list[str]) -> np.ndarray:
    return np.vstack([style_vector(t) for t in texts]) if texts else np.zeros((0, 31), dtype=np.float32)
