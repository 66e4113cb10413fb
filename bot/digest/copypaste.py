"""Copy-paste among a period's posts and the ones before: which later post reuses which earlier one, and how.

Three sources, cheapest first, never a comparison of every pair:
1. Content hashes (stored with each post): the same normalised text on two platforms is a copy, found by grouping.
2. Verdicts stored in the reports of drafts checked in Slack or with `check --record`: the engine compared the
   draft with the history when it was checked, with sentence embeddings, which is more accurate than anything a
   digest over 10,000 posts can afford, and it would give the same answer again.
3. Posts without a stored report (imported ones): their nearest earlier posts by stored embedding (FAISS),
   kept above `CANDIDATE_COS`, then judged by bot.history.reuse's own rules (`surface_evidence` + `decide`),
   with sentences aligned on shared words (no model at digest time). The fit gain that tells a light edit from
   an adaptation in the grey zone comes from stored reports, else from the engine when the caller has one
   (`fit_of`; rare pairs only), else decide()'s own default (a light edit).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from bot.history.reuse import TOPIC_COS, aligned_share, decide, surface_evidence
from bot.history.similarity import PostText

COPY_KINDS = ("copy", "light_edit")
CANDIDATE_COS = TOPIC_COS  # below it two posts are never the same message (bot.history.reuse), unless the text is
NEIGHBOURS = 16  # nearest posts per query: room for later and same-platform ones, which are skipped
EXACT_WORK = 20_000_000  # queries × posts up to which an exact search is cheaper than training an IVF index
NPROBE = 8  # IVF cells visited per query; near-duplicates (cosine ≥ 0.65) share a cell or a neighbouring one


@dataclass
class Pair:
    """`b` (later) reuses `a` (earlier): copy, light_edit or adapted; `stored` when the verdict came from a report."""

    a: object  # bot.digest.aggregate.Item
    b: object
    kind: str
    similarity: float
    stored: bool = False
    adapted_later: bool = False  # a copy that was followed by an adapted version for the same platform


# Candidates --------------------------------------------------------------------------------------------------------

def neighbours(base: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest rows of `base` for each query (cosine of normalised vectors): (similarities, row numbers).

    Exact while small; above EXACT_WORK an inverted-file index (IVF) trained on a sample answers in a fraction
    of the time, visiting NPROBE of √n cells, which keeps the near-duplicates a digest looks for."""
    import faiss

    base = np.ascontiguousarray(base, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    dim, n = base.shape[1], len(base)
    k = min(k, n)
    if len(queries) * n <= EXACT_WORK:
        index = faiss.IndexFlatIP(dim)
    else:
        cells = max(16, min(1024, int(math.sqrt(n))))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = 10
        sample = np.random.default_rng(0).choice(n, size=min(n, 40 * cells), replace=False)
        index.train(base[np.sort(sample)])
        index.nprobe = NPROBE
    index.add(base)
    return index.search(queries, k)


# Verdicts ------------------------------------------------------------------------------------------------------------

class PairFinder:
    """All cross-platform reuse pairs whose later post is in the period. `items` are every loaded post (earlier
    ones and the period's), `period` the ids of the period's posts."""

    def __init__(self, items: list, period: set[int], add_detail=None, fit_of=None):
        self.items = sorted(items, key=lambda it: (it.created_at, it.id))
        self.add_detail = add_detail  # reads text, embedding and report of items loaded without them
        self.fit_of = fit_of  # (text, platform) → fit by the engine, for posts without a stored one
        self._fits: dict[tuple[int, str], int | None] = {}
        self.rank = {it.id: r for r, it in enumerate(self.items)}
        self.period = period
        self._texts: dict[int, PostText] = {}
        self.recomputed = 0  # pairs judged here rather than read from a report (for the benchmark)

    def pairs(self) -> list[Pair]:
        found: dict[tuple[int, int], Pair] = {}
        queries = []
        by_ext = {(it.workspace, it.external_id): it for it in self.items}
        for b in self.items:
            if b.id not in self.period:
                continue
            verdicts = b.verdicts()
            if verdicts is None:
                queries.append(b)
                continue
            for v in verdicts:
                a = by_ext.get((b.workspace, str(v.get("post_id"))))
                if a is not None and self._before(a, b) and v.get("kind") in ("copy", "light_edit", "adapted"):
                    found[(a.id, b.id)] = Pair(a, b, v["kind"], float(v.get("similarity") or 0.0), stored=True)
        self._same_text(found)
        self._compare(queries, found)
        pairs = sorted(found.values(), key=lambda p: (self.rank[p.b.id], self.rank[p.a.id]))
        self._mark_adapted(pairs)
        return pairs

    def _before(self, a, b) -> bool:
        return a.platform != b.platform and self.rank[a.id] < self.rank[b.id]

    def _same_text(self, found: dict) -> None:
        """Posts with the same content hash: copies by definition (only cross-platform, earlier → later)."""
        groups: dict[str, list] = defaultdict(list)
        for it in self.items:
            groups[it.content_hash].append(it)
        for group in groups.values():
            if len(group) < 2:
                continue
            for j, b in enumerate(group):
                if b.id not in self.period:
                    continue
                for a in group[max(0, j - NEIGHBOURS) : j]:  # the most recent ones: enough to show the habit
                    if a.platform != b.platform and (a.id, b.id) not in found:
                        found[(a.id, b.id)] = Pair(a, b, "copy", 1.0)

    def _compare(self, queries: list, found: dict) -> None:
        """Posts without stored verdicts: nearest earlier posts by embedding, judged by the reuse rules."""
        queries = [q for q in queries if q.vector is not None]
        if not queries:
            return
        if self.add_detail is not None:
            self.add_detail([it for it in self.items if not it.detailed])
        dim = Counter(len(q.vector) for q in queries).most_common(1)[0][0]  # one model's vectors (a model change)
        queries = [q for q in queries if len(q.vector) == dim]
        base = [it for it in self.items if it.vector is not None and len(it.vector) == dim]
        if len(base) < 2:
            return
        sims, rows = neighbours(np.vstack([it.vector for it in base]), np.vstack([q.vector for q in queries]),
                                NEIGHBOURS + 1)  # fmt: skip
        for b, row_sims, row_ids in zip(queries, sims, rows):
            for cos, r in zip(row_sims, row_ids):
                if r < 0 or cos < CANDIDATE_COS:
                    break  # results come best first
                a = base[r]
                if not self._before(a, b) or (a.id, b.id) in found:
                    continue
                kind = self.judge(a, b, float(cos))
                if kind:
                    found[(a.id, b.id)] = Pair(a, b, kind, float(cos))

    def judge(self, a, b, cosine: float) -> str | None:
        """bot.history.reuse's verdict for b reusing a, without a model: sentences align on shared words."""
        self.recomputed += 1
        ta, tb = self._text(a), self._text(b)
        ev = surface_evidence(ta, tb, cosine)
        no_sentence_vectors = np.zeros((len(ta.sentences), len(tb.sentences)), dtype=np.float32)
        return decide(ev, lambda: aligned_share(ta, tb, no_sentence_vectors), lambda: self._fit_gain(a, b))

    def _fit_gain(self, a, b) -> int | None:
        """How much better b fits its own platform than a would have (None if unknown)."""
        mine, theirs = self._fit(b, b.platform), self._fit(a, b.platform)
        return None if mine is None or theirs is None else mine - theirs

    def _fit(self, item, platform: str) -> int | None:
        key = (item.id, platform)
        if key not in self._fits:
            fit = item.fit_for(platform)
            if fit is None and self.fit_of is not None:
                fit = self.fit_of(item.text, platform)
            self._fits[key] = fit
        return self._fits[key]

    def _text(self, item) -> PostText:
        text = self._texts.get(item.id)
        if text is None:
            text = self._texts[item.id] = PostText(item.text)
        return text

    def _mark_adapted(self, pairs: list[Pair]) -> None:
        """A copy is "then adapted" when a later post on the copy's platform is an adaptation of the same original."""
        adapted: dict[int, list] = defaultdict(list)  # original id → adapted versions
        for p in pairs:
            if p.kind == "adapted":
                adapted[p.a.id].append(p.b)
        for p in pairs:
            if p.kind in COPY_KINDS:
                p.adapted_later = any(c.platform == p.b.platform and self.rank[c.id] > self.rank[p.b.id]
                                      for c in adapted.get(p.a.id, ()))  # fmt: skip

