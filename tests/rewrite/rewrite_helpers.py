"""The reuse detector's model-free verdict over one draft's rewrites, shared by the rewrite shape tests."""

import itertools

import numpy as np

from bot.history.reuse import COPY_SHINGLES, LENGTH_RATIO, aligned_share, surface_evidence
from bot.history.similarity import PostText


def similar_pairs(texts: dict[str, str], aligned: float, whole_story=frozenset()) -> list[tuple[str, str]]:
    """The model-free part of the reuse verdict over one draft's rewrites ({platform: text}): pairs that are a copy,
    or that keep the same sentences (word overlap alone, `aligned` share or more) at about the same length.
    Platforms in `whole_story` all tell the full story, so among themselves only a copy counts."""
    out = []
    for a, b in itertools.combinations(texts, 2):
        pa, pb = PostText(texts[a]), PostText(texts[b])
        ev = surface_evidence(pa, pb, 0.9)
        if ev.shingles >= COPY_SHINGLES:
            out.append((a, b))
        elif not {a, b} <= whole_story:
            words_only = aligned_share(pa, pb, np.zeros((len(pa.sentences), len(pb.sentences))))
            if words_only >= aligned and 1 / LENGTH_RATIO <= ev.length_ratio <= LENGTH_RATIO:
                out.append((a, b))
    return out
