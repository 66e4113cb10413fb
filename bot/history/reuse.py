"""Copy-paste detection: is a draft a post the team already published, and how much was it changed?

Verdicts (DESIGN.md, `reuse[].kind`):
- `copy`: the same text up to punctuation, emoji, hashtags, mentions, links and casing. Decided on character
  5-gram shingles of the normalised texts, so it needs no model.
- `light_edit`: the same message, sentence for sentence, in other words and in the same form. Decided by
  aligning sentences (embedding similarity or shared words) at a similar length.
- `adapted`: the same message rebuilt for a platform: sentences merged, dropped or added, the length changed.
  When the structure changed only partly, the draft must also fit its target platform clearly better than the
  original does.
A post is "the same message" only on strong evidence: half its content words shared, plus paraphrase-level
embedding similarity, or shared facts (numbers, names, links) in more than one sentence, or sentences that align
one for one; never when the numbers changed (next week's quiz, another score, another price). Anything else is
unrelated and never listed: missing an adaptation (reported for information only) is preferred to flagging an
unrelated post. The thresholds are round values with the reason next to each; `crowdculture eval --reuse
benchmarks/data/reuse_cases.jsonl` measures them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from bot.analysis.report import Report, ReuseMatch
from bot.history.index import PostIndex
from bot.history.location import store_exists
from bot.history.similarity import PostText, jaccard, overlap
from bot.history.store import PostStore, Scope, StoredPost, content_hash

log = logging.getLogger(__name__)

COPY_SHINGLES = 0.8  # trivial edits keep > 90% of 5-gram shingles; a sentence-by-sentence rewording keeps < 65%
PARAPHRASE_COS = 0.8  # sentence-transformers similarity of paraphrases
TOPIC_COS = 0.65  # same subject; the same message only with shared words and facts as well
MIN_WORDS = 0.5  # at least half the content words of the shorter post appear in the other
MIN_SHARED_WORDS = 5
MIN_SHARED_FACTS = 2  # numbers, names, links found in both…
FACT_SENTENCES = 2  # …in at least two sentences of the longer post: an address or opening-hours line is boilerplate
NUMBERS_AGREE = 0.75  # a rewrite may drop or add numbers, or change one in four; more is another announcement
SENTENCE_COS = 0.8  # two sentences say the same thing…
SENTENCE_WORDS = 0.5  # …or share half their content words (Dice)
ALIGNED = 0.5  # light edit: at least half of all sentences have a counterpart in the other post
REALIGNED = 0.75  # between ALIGNED and this, a clear fit gain for the target platform makes it an adaptation
LENGTH_RATIO = 1.5  # light edit: within ×1.5 of the original's length
FIT_GAIN = 10  # points of platform fit (0-100)
NEIGHBOURS = 20  # candidates from the embedding index per draft
LSH_ABOVE = 2000  # posts compared pairwise: above this, MinHash LSH adds near-verbatim candidates to the neighbours
LSH_THRESHOLD = 0.5  # well below COPY_SHINGLES, so that no copy is missed
LSH_PERMUTATIONS = 64


@dataclass
class HistoryPost:
    """A post the team already used, as reuse detection sees it."""

    post_id: str
    platform: str
    text: PostText
    vector: np.ndarray
    created_at: str | None = None
    permalink: str | None = None
    fits: dict[str, int] | None = None  # platform id → fit, when the post was analysed

    @classmethod
    def from_stored(cls, post: StoredPost) -> HistoryPost:
        fits = None
        if post.report and isinstance(post.report.get("platforms"), list):
            fits = {p["id"]: p["fit"] for p in post.report["platforms"] if "id" in p and "fit" in p}
        return cls(post.external_id, post.platform, PostText(post.text), post.embedding,
                   post.created_at.isoformat(), post.permalink, fits)  # fmt: skip


@dataclass
class Evidence:
    """What a verdict rests on (kept for tests and for explaining a verdict)."""

    cosine: float
    shingles: float
    words: float
    shared_words: int
    shared_facts: int
    fact_sentences: int  # sentences of the longer post that hold a shared fact
    numbers_agree: bool
    aligned: float | None = None  # share of all sentences with a counterpart (computed only when needed)
    length_ratio: float = 1.0
    fit_gain: int | None = None

    def same_message(self, aligned: Callable[[], float]) -> bool:
        """Strong evidence only: shared words, plus paraphrase-level similarity, or shared facts, or sentences
        that align one for one. Changed numbers rule it out whatever the rest says."""
        if not self.numbers_agree:
            return False
        if self.shingles >= COPY_SHINGLES:
            return True
        if self.words < MIN_WORDS or self.shared_words < MIN_SHARED_WORDS or self.cosine < TOPIC_COS:
            return False
        if self.cosine >= PARAPHRASE_COS:
            return True
        if self.shared_facts >= MIN_SHARED_FACTS and self.fact_sentences >= FACT_SENTENCES:
            return True
        self.aligned = aligned()
        return self.aligned >= REALIGNED


def surface_evidence(a: PostText, b: PostText, cosine: float) -> Evidence:
    """The model-free part of the evidence (everything but sentence alignment and fit)."""
    na, nb = a.numbers, b.numbers
    agree = not na or not nb or na <= nb or nb <= na or jaccard(na, nb) >= NUMBERS_AGREE
    shared = (na & nb) | (a.names & b.names) | (a.links & b.links)
    longer = a if a.form.chars >= b.form.chars else b
    spread = sum(1 for facts in longer.facts_by_sentence if facts & shared)
    ratio = max(b.form.chars, 1) / max(a.form.chars, 1)
    return Evidence(float(cosine), jaccard(a.shingles, b.shingles), overlap(a.stems, b.stems),
                    len(a.stems & b.stems), len(shared), spread, agree, length_ratio=ratio)  # fmt: skip


def aligned_share(a: PostText, b: PostText, sims: np.ndarray) -> float:
    """Share of the sentences of both posts that have a counterpart in the other (sims: a × b cosine)."""
    words = np.array([[_dice(x, y) for y in b.sentence_stems] for x in a.sentence_stems]).reshape(sims.shape)
    match = (sims >= SENTENCE_COS) | (words >= SENTENCE_WORDS)
    return float((match.any(axis=1).sum() + match.any(axis=0).sum()) / (match.shape[0] + match.shape[1]))


def _dice(x: set, y: set) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def decide(ev: Evidence, aligned: Callable[[], float], fit_gain: Callable[[], int | None]) -> str | None:
    """copy / light_edit / adapted, or None for an unrelated post. The costly measures are computed on demand;
    `fit_gain` returns None when the draft targets the original's own platform (nothing to adapt to)."""
    if not ev.same_message(aligned):
        return None
    if ev.shingles >= COPY_SHINGLES:
        return "copy"
    if ev.aligned is None:
        ev.aligned = aligned()
    similar_length = 1 / LENGTH_RATIO <= ev.length_ratio <= LENGTH_RATIO
    if ev.aligned < ALIGNED or not similar_length:
        return "adapted"
    if ev.aligned < REALIGNED:
        ev.fit_gain = fit_gain()
        if ev.fit_gain is not None and ev.fit_gain >= FIT_GAIN:
            return "adapted"
    return "light_edit"


# Sources of history: a list of posts (a JSONL file) or the post store --------------------------------------------

class _Memory:
    """Posts held in memory, searched with an exact index (files of history are small). For large sets compared
    pairwise, a MinHash LSH over character shingles also proposes near-verbatim copies, which the embedding
    neighbours alone can miss when many posts of one template crowd the top k."""

    def __init__(self, posts: list[HistoryPost], lsh: bool | None = None):
        self.posts = posts
        self.index = PostIndex(dim=posts[0].vector.shape[0] if posts else 384, approximate=False)
        if posts:
            self.index.add(np.arange(len(posts)), np.vstack([p.vector for p in posts]),
                           [("", None, False)] * len(posts))  # fmt: skip
        self.by_hash: dict[str, list[int]] = {}
        for i, p in enumerate(posts):
            self.by_hash.setdefault(content_hash(p.text.text), []).append(i)
        self.lsh, self.signatures = None, {}
        if lsh if lsh is not None else len(posts) > LSH_ABOVE:
            self._build_lsh()

    def _build_lsh(self) -> None:
        from datasketch import MinHash, MinHashLSH

        rows = [i for i, p in enumerate(self.posts) if p.text.shingles]
        signatures = MinHash.bulk([[s.encode() for s in self.posts[i].text.shingles] for i in rows],
                                  num_perm=LSH_PERMUTATIONS)  # fmt: skip
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=LSH_PERMUTATIONS)
        with self.lsh.insertion_session() as session:
            for i, signature in zip(rows, signatures):
                session.insert(i, signature)
                self.signatures.setdefault(content_hash(self.posts[i].text.text), signature)

    def candidates(self, vector, digest: str, k: int) -> dict[int, HistoryPost]:
        hits = [i for i, _ in self.index.search(vector, k)] + self.by_hash.get(digest, [])
        if self.lsh is not None and digest in self.signatures:  # the draft is one of the posts (pairwise mode)
            hits += self.lsh.query(self.signatures[digest])
        return {i: self.posts[i] for i in hits}


class _Store:
    """The post store and its FAISS index; the scope is applied in the index and again in SQL."""

    def __init__(self, store: PostStore, index: PostIndex, scope: Scope | None):
        self.store, self.index, self.scope = store, index, scope

    def candidates(self, vector, digest: str, k: int) -> dict[int, HistoryPost]:
        self.index.sync(self.store)  # posts stored by another process since the last look
        ids = [i for i, _ in self.index.search(vector, k, self.scope)]
        rows = self.store.get_posts(ids, self.scope)
        rows.update({p.id: p for p in self.store.posts_with_hash(digest, self.scope)})
        return {i: HistoryPost.from_stored(p) for i, p in rows.items() if p.embedding is not None}


class ReuseFinder:
    """Finds, for a checked draft, the history posts it reuses. Build with `from_posts` or `from_store`."""

    def __init__(self, service, source):
        self.service = service
        self.source = source
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._fits: dict[tuple[str, str], int | None] = {}

    @classmethod
    def from_posts(cls, service, items: list[dict]) -> ReuseFinder:
        """History from dicts {"id", "platform", "text", "created_at"?} (a --history file), embedded in one batch."""
        vectors = service.analyzer.embedder.encode([str(it["text"]) for it in items]) if items else []
        posts = [HistoryPost(str(it["id"]), str(it["platform"]).lower(), PostText(str(it["text"])), vectors[i],
                             it.get("created_at"), it.get("permalink"))  # fmt: skip
                 for i, it in enumerate(items)]
        return cls(service, _Memory(posts))

    @classmethod
    def from_store(cls, service, scope: Scope | None = None, create: bool = False,
                   approximate: bool | None = None) -> ReuseFinder | None:
        """History from the configured post store; None when it does not exist and `create` is False.

        `scope` limits what may be matched (always pass one in Slack; None is the operator's view, for the CLI).
        `approximate=False` skips building an HNSW graph for a one-off check."""
        url = service.settings.db_url
        if not create and not store_exists(url):
            return None
        store = PostStore(url)
        return cls(service, _Store(store, PostIndex.from_store(store, approximate=approximate), scope))

    def close(self) -> None:
        if isinstance(self.source, _Store):
            self.source.store.close()

    # Matching -----------------------------------------------------------------------------------------------------
    def find(self, report: Report, allow: Callable[[HistoryPost], bool] | None = None) -> list[ReuseMatch]:
        """The history posts the draft reuses, most similar first; `allow` can restrict which posts count."""
        if report.embedding is None:
            return []
        draft = PostText(report.text)
        vector = np.asarray(report.embedding, dtype=np.float32)
        targets = list(report.targets) or ([report.best_platform] if report.best_platform else [])
        matches = []
        for post in self.source.candidates(vector, content_hash(report.text), NEIGHBOURS).values():
            if (report.id is not None and post.post_id == str(report.id)) or (allow and not allow(post)):
                continue
            cosine = float(np.clip(post.vector @ vector, 0.0, 1.0))
            target = next((t for t in targets if t != post.platform), post.platform)
            ev = surface_evidence(post.text, draft, cosine)
            kind = decide(ev, lambda post=post: self._aligned(post.text, draft),
                          lambda post=post, target=target: self._fit_gain(report, post, target))  # fmt: skip
            if kind:
                matches.append(ReuseMatch(post.post_id, post.platform, cosine, kind, post.platform in targets,
                                          post.permalink, post.created_at))  # fmt: skip
        matches.sort(key=lambda m: (-m.similarity, m.post_id))
        return matches

    def _sentences(self, text: PostText) -> np.ndarray:
        missing = [s for s in text.sentences if s not in self._sentence_vectors]
        if missing:
            for s, v in zip(missing, self.service.analyzer.embedder.encode(missing)):
                self._sentence_vectors[s] = v
        return np.vstack([self._sentence_vectors[s] for s in text.sentences])

    def _aligned(self, original: PostText, draft: PostText) -> float:
        return aligned_share(original, draft, self._sentences(original) @ self._sentences(draft).T)

    def _fit_gain(self, report: Report, post: HistoryPost, target: str) -> int | None:
        """How much better the draft fits `target` than the original post would (analysed once, on demand)."""
        mine = report.platform(target)
        if mine is None or target == post.platform:
            return None
        key = (post.post_id, target)
        if key not in self._fits:
            if post.fits and target in post.fits:
                self._fits[key] = post.fits[target]
            else:
                try:
                    analysed = self.service.analyzer.analyse(post.text.text, targets=[target])
                    self._fits[key] = analysed.platform(target).fit if analysed.platform(target) else None
                except Exception as exc:  # a post the engine cannot read: decide without the fit
                    log.warning("cannot analyse history post %s: %s", post.post_id, exc)
                    self._fits[key] = None
        theirs = self._fits[key]
        return None if theirs is None else mine.fit - theirs


# Pairs inside one set of posts (`crowdculture reuse FILE.jsonl`, the digest) -------------------------------------

@dataclass
class ReusePair:
    a: str  # the earlier post
    b: str  # the later one, which reuses a
    similarity: float
    kind: str
    same_platform: bool = False

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "similarity": round(self.similarity, 3), "kind": self.kind}


def _order_key(item: dict, position: int):
    created = item.get("created_at")
    try:
        stamp = datetime.fromisoformat(str(created).replace("Z", "+00:00")).timestamp() if created else None
    except ValueError:
        stamp = None
    return (stamp is None, stamp or 0.0, position)


def reuse_pairs(service, items: list[dict], reports: Iterable[Report] | None = None, progress=None) -> list[ReusePair]:
    """Every pair of posts where the later one reuses the earlier one (copy, light_edit or adapted).

    items: {"id", "platform", "text", "created_at"?}; "later" is by created_at when both have one, else file
    order. Candidates come from the embedding index (the nearest posts of each), so the cost grows with
    n·k, not n². `reports` (one per item, same order) saves analysing the posts again."""
    if reports is None:
        prepared = [service.prepare(str(it["text"]), str(it["id"]), "auto", [str(it["platform"]).lower()])
                    for it in items]  # fmt: skip
        reports = service.analyzer.analyse_many(prepared) if prepared else []
    reports = list(reports)
    rank = {str(items[i]["id"]): r for r, i in enumerate(sorted(range(len(items)),
                                                                key=lambda i: _order_key(items[i], i)))}  # fmt: skip
    posts = [HistoryPost(str(it["id"]), str(it["platform"]).lower(), PostText(str(it["text"])),
                         np.asarray(r.embedding, dtype=np.float32), it.get("created_at"),
                         fits={p.id: p.fit for p in r.platforms})  # fmt: skip
             for it, r in zip(items, reports)]
    finder = ReuseFinder(service, _Memory(posts))
    pairs = []
    for it, report in zip(items, reports):
        me = rank[str(it["id"])]
        for m in finder.find(report, allow=lambda p, me=me: rank[p.post_id] < me):
            pairs.append(ReusePair(m.post_id, str(it["id"]), m.similarity, m.kind, m.same_platform))
        if progress is not None:
            progress.advance()
    pairs.sort(key=lambda p: (rank[p.a], rank[p.b]))
    return pairs
