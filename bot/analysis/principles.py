"""Influence-principle detection: which of Cialdini's seven a draft uses, with the words that carry them.

Three kinds of evidence, all from the knowledge base:
- cue phrases (spaCy Matcher over words and lemmas, per language) and regex patterns (e.g. countdown timers);
- a one-vs-rest logistic regression per principle over sentence embeddings and character n-grams, learned from
  the principle's exemplars against its near-misses and the other principles' exemplars;
- nearest neighbours among the exemplars and near-misses (inner product of normalised vectors): a draft closer to
  a near-miss than to any exemplar has its score lowered, never raised.
The whole draft decides; its sentences only locate the evidence of a hit without cue phrases. A principle whose
only evidence is one cue phrase shared with a stronger principle's frame (the knowledge base's `cues_yield_to`, e.g.
liking's "we've been there" in a unity post) keeps its classifier score alone.
Scores are calibrated so that 0.5 is each principle's own threshold (found by cross-validation on the
knowledge base, never on evaluation data); a principle is reported when its score reaches 0.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.analysis import learned
from bot.analysis.report import Evidence, PrincipleHit
from bot.knowledge.model import PRINCIPLE_IDS, KnowledgeBase, pick

CUE_WEIGHT = 0.8  # one cue phrase alone is strong evidence (a multi-word pattern written by experts); two, more
NEAR_MISS_DAMPING = 0.6
CV_REPEATS = 3  # fold splits averaged when calibrating thresholds
F1_TOLERANCE = 0.02  # held-out F1 differences this small are one or two texts out of a hundred


@dataclass
class Candidate:
    """A principle found in a draft, before its evidence is complete."""

    id: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Unit:
    """A piece of the draft that gets scored: the whole text or one sentence, with its offsets."""

    start: int
    end: int


def _classifier():
    from sklearn.linear_model import LogisticRegression

    # Strong regularisation: a few hundred exemplars, tens of thousands of features.
    return LogisticRegression(C=0.5, solver="liblinear", class_weight="balanced")


def combine(clf, n_cues):
    """Noisy-OR of the classifier and the cue evidence: one cue phrase is strong evidence, two stronger."""
    n = np.asarray(n_cues)
    strength = np.where(n == 0, 0.0, np.where(n == 1, CUE_WEIGHT, (1 + CUE_WEIGHT) / 2))
    return 1 - (1 - np.asarray(clf)) * (1 - strength)


def plateau_threshold(score: np.ndarray, y: np.ndarray) -> float:
    """The middle of the thresholds whose held-out F1 is within F1_TOLERANCE of the best. The F1 curve is flat
    near its top, so its argmax was noise: adding a few texts of another principle moved a threshold by 0.12."""
    ts = np.arange(0.2, 0.95, 0.02)
    f1 = np.array([2 * float(((score >= t) & (y == 1)).sum()) / max(int((score >= t).sum() + y.sum()), 1)
                   for t in ts])  # fmt: skip
    return float(np.median(ts[f1 >= f1.max() - F1_TOLERANCE]))


def _calibrate(score: np.ndarray | float, threshold: float):
    """Piecewise-linear map that sends the principle's threshold to 0.5, keeping 0 and 1 fixed."""
    s = np.asarray(score, dtype=np.float64)
    t = min(max(threshold, 0.05), 0.95)
    return np.where(s < t, 0.5 * s / t, 0.5 + 0.5 * (s - t) / (1 - t))


def training_texts(kb: KnowledgeBase) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """What the principle model learns from: every exemplar and near-miss of the knowledge base, with its owner
    (index in PRINCIPLE_IDS), whether it is an exemplar (else a near-miss) and its language."""
    texts, owner, is_example, langs = [], [], [], []
    for j, pid in enumerate(PRINCIPLE_IDS):
        p = kb.principles[pid]
        for lang in ("en", "fr"):
            for group, flag in ((p.exemplars[lang], True), (p.near_misses[lang], False)):
                texts += group
                owner += [j] * len(group)
                is_example += [flag] * len(group)
                langs += [lang] * len(group)
    return texts, np.asarray(owner), np.asarray(is_example), langs


class PrincipleModel:
    def __init__(self, kb: KnowledgeBase, embed, count_cues, cache_dir: Path | None = None, model_name: str = "",
                 cv_folds: int = 5):  # fmt: skip
        """`count_cues(texts, langs)` → per text, {principle id: number of cue and pattern matches}."""
        self.kb = kb
        self.ids = list(PRINCIPLE_IDS)
        texts, self.owner, self.is_example, langs = training_texts(kb)
        self.emb = embed(texts, "principles")
        path, arrays, vectorizer = learned.cached_model(cache_dir, "principles", kb.content_hash, model_name)
        if arrays is not None:
            self.vectorizer = vectorizer
            self.linear = learned.Linear(arrays["coef"], arrays["intercept"], multiclass=False)
            self.thresholds = arrays["thresholds"]
            return
        cues = count_cues(texts, langs)
        self._fit(texts, np.array([[c.get(pid, 0) for pid in self.ids] for c in cues]), cv_folds)
        if path:
            learned.save(path, {"idf": self.vectorizer.idf_, "coef": self.linear.coef,
                                "intercept": self.linear.intercept, "thresholds": self.thresholds},
                         self.vectorizer.vocabulary_, {"ids": self.ids})  # fmt: skip

    @classmethod
    def trained_on(cls, texts: list[str], owner, is_example, emb: np.ndarray, counts: np.ndarray,
                   cv_folds: int = 5) -> PrincipleModel:  # fmt: skip
        """A model trained on given labelled texts, without a knowledge base or cache (to cross-validate the
        knowledge base itself: benchmarks/kb_cv.py)."""
        model = cls.__new__(cls)
        model.kb, model.ids = None, list(PRINCIPLE_IDS)
        model.owner, model.is_example, model.emb = np.asarray(owner), np.asarray(is_example), emb
        model._fit(list(texts), counts, cv_folds)
        return model

    def _fit(self, texts: list[str], counts: np.ndarray, cv_folds: int) -> None:
        self.vectorizer = learned.new_vectorizer().fit(texts)
        x = learned.features(self.vectorizer, texts, self.emb)
        models = []
        for j in range(len(self.ids)):
            y, w = self._targets(j)
            models.append(_classifier().fit(x, y, sample_weight=w))
        self.linear = learned.Linear.from_sklearn(models)
        self.thresholds = self._cross_validated_thresholds(x, counts, cv_folds)

    def _targets(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        y = ((self.owner == j) & self.is_example).astype(int)
        # The principle's own near-misses weigh double: they are the confusions that matter.
        w = np.where((self.owner == j) & ~self.is_example, 2.0, 1.0)
        return y, w

    def _cross_validated_thresholds(self, x, counts: np.ndarray, folds: int) -> np.ndarray:
        """Per principle, the threshold of the combined score (classifier + cues) in the middle of the near-best
        F1 on held-out folds of the knowledge base: calibration never looks at evaluation data."""
        n = x.shape[0]
        # Several random fold splits, averaged: with one split, adding a handful of exemplars moved a threshold
        # by up to 0.25 (which texts share a fold mattered more than the texts themselves).
        splits = [np.random.default_rng(seed).integers(0, folds, size=n) for seed in range(7, 7 + CV_REPEATS)]
        thresholds = np.full(len(self.ids), 0.5)
        for j in range(len(self.ids)):
            y, w = self._targets(j)
            held = np.zeros(n)
            for fold in splits:
                for k in range(folds):
                    train, test = fold != k, fold == k
                    model = _classifier().fit(x[train], y[train], sample_weight=w[train])
                    held[test] += model.predict_proba(x[test])[:, 1] / len(splits)
            thresholds[j] = plateau_threshold(combine(held, counts[:, j]), y)
        return thresholds

    # Inference ---------------------------------------------------------------------------------------------
    def score_units(self, texts: list[str], emb: np.ndarray) -> np.ndarray:
        """Raw classifier probability per unit and principle."""
        return self.linear.proba_of(self.vectorizer, texts, emb)

    def near_miss_ratio(self, emb: np.ndarray) -> np.ndarray:
        """Per unit and principle: True where the closest labelled text of that principle is a near-miss."""
        sims = emb @ self.emb.T
        out = np.zeros((emb.shape[0], len(self.ids)), dtype=bool)
        for j in range(len(self.ids)):
            ex = sims[:, (self.owner == j) & self.is_example].max(axis=1)
            nm = sims[:, (self.owner == j) & ~self.is_example].max(axis=1)
            out[:, j] = nm > ex + 0.02
        return out

    def detect_many(self, texts: list[str], langs: list[str], emb: np.ndarray, cue_matches: list) -> list:
        """Per draft, the principles it uses, decided on the whole draft (a single neutral sentence scored alone
        misleads the classifier); the classifier and the nearest neighbours run once over the batch. Hits carried by
        cue phrases have their evidence; the others need `locate`."""
        raw = self._damped(texts, emb)
        return [self._decide(t, lang, r, cues) for t, lang, r, cues in zip(texts, langs, raw, cue_matches)]

    def _damped(self, texts: list[str], emb: np.ndarray) -> np.ndarray:
        raw = self.score_units(texts, emb)
        # A text closer to one of the principle's near-misses than to any of its exemplars is damped.
        return np.where(self.near_miss_ratio(emb), raw * NEAR_MISS_DAMPING, raw)

    def scores(self, texts: list[str], emb: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Calibrated scores per text and principle for given cue counts (no cues_yield_to): what cross-validating
        the knowledge base measures."""
        raw = self._damped(texts, emb)
        return np.stack([_calibrate(combine(raw[:, j], counts[:, j]), self.thresholds[j])
                         for j in range(len(self.ids))], axis=1)  # fmt: skip

    def _decide(self, text: str, lang: str, raw: np.ndarray, cue_matches) -> list[Candidate]:
        cues = [[m for m in cue_matches if m.key == pid] + pattern_matches(self.kb.principles[pid], lang, text)
                for pid in self.ids]  # fmt: skip
        n = [len(c) for c in cues]
        scores = [float(_calibrate(combine(raw[j], n[j]), self.thresholds[j])) for j in range(len(self.ids))]
        without = [float(_calibrate(raw[j], self.thresholds[j])) for j in range(len(self.ids))]
        yields = {pid: self.kb.principles[pid].cues_yield_to for pid in self.ids}
        scores = yield_lone_cues(self.ids, yields, n, scores, without)
        out = []
        for j, pid in enumerate(self.ids):
            if scores[j] >= 0.5:
                found = sorted(cues[j], key=lambda m: m.start)
                out.append(Candidate(pid, scores[j], [Evidence(text[m.start : m.end], m.start, m.end) for m in found]))
        return out

    def locate(self, text: str, candidate: Candidate, units: list[Unit]) -> None:
        """Evidence for a hit without cue phrases: the sentence whose words the classifier finds most typical of
        the principle. Its character n-gram half suffices to rank sentences, so they are not embedded (embedding
        them would cost as much again as the draft itself)."""
        j = self.ids.index(candidate.id)
        texts = [text[u.start : u.end] for u in units]
        raw = self.score_units(texts, np.zeros((len(texts), self.emb.shape[1]), dtype=np.float32))[:, j]
        u = units[int(np.argmax(raw))]
        candidate.evidence = [Evidence(text[u.start : u.end], u.start, u.end)]

    def hits(self, lang: str, candidates: list[Candidate]) -> list[PrincipleHit]:
        out = [PrincipleHit(c.id, pick(self.kb.principles[c.id].name, lang), c.score, c.evidence[:4])
               for c in candidates]  # fmt: skip
        out.sort(key=lambda h: (-h.score, h.id))
        return out


def yield_lone_cues(ids: list[str], yields: dict[str, list[str]], n_cues: list[int], scores: list[float],
                    without_cues: list[float]) -> list[float]:
    """Scores after lone cue phrases that belong to a stronger principle's frame are discounted.

    Some principles share phrases: liking's similarity and empathy phrases ("we've been there", "we see you",
    "proud of you") are also how unity speaks of "us". When a principle's only cue evidence is one such phrase and
    a principle its cues yield to (the knowledge base's `cues_yield_to`) is found with a higher score, the phrase
    is read as part of that stronger frame: the principle keeps its classifier score alone, without the cue. Two
    cue phrases, or a classifier that finds the principle by itself, still count. Scores are compared before any
    discount, so the order of principles does not matter."""
    out = list(scores)
    for j, pid in enumerate(ids):
        if n_cues[j] != 1:
            continue
        stronger = [scores[ids.index(o)] for o in yields.get(pid, ()) if scores[ids.index(o)] >= 0.5]
        if any(s > scores[j] for s in stronger):
            out[j] = without_cues[j]
    return out


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def pattern_matches(principle, lang: str, text: str):
    """Matches of the principle's regex patterns (e.g. countdown timers), as cue matches."""
    from bot.nlp import CueMatch

    out = []
    for rx in principle.patterns.get(lang, []) + principle.patterns.get("*", []):
        for m in _regex(rx).finditer(text):
            if m.end() > m.start():
                out.append(CueMatch(principle.id, rx, m.start(), m.end()))
    return out
