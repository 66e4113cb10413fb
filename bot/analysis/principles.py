"""Influence-principle detection: which of Cialdini's seven a draft uses, with the words that carry them.

Three kinds of evidence, all from the knowledge base:
- cue phrases (spaCy Matcher over words and lemmas, per language) and regex patterns (e.g. countdown timers);
- a one-vs-rest logistic regression per principle over sentence embeddings and character n-grams, learned from
  the principle's exemplars against its near-misses and the other principles' exemplars;
- nearest neighbours in a FAISS inner-product index of exemplars and near-misses: a sentence closer to a
  near-miss than to any exemplar has its score lowered, never raised.
Scores are calibrated so that 0.5 is each principle's own threshold (found by cross-validation on the
knowledge base, never on evaluation data); a principle is reported when its score reaches 0.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.analysis.features import char_vectorizer
from bot.analysis.report import Evidence, PrincipleHit
from bot.knowledge.model import PRINCIPLE_IDS, KnowledgeBase, pick

CUE_WEIGHT = 0.8  # one cue phrase alone is strong evidence (a multi-word pattern written by experts); two, more
NEAR_MISS_DAMPING = 0.6


@dataclass
class Unit:
    """A piece of the draft that gets scored: the whole text or one sentence, with its offsets."""

    start: int
    end: int


def _calibrate(score: np.ndarray | float, threshold: float):
    """Piecewise-linear map that sends the principle's threshold to 0.5, keeping 0 and 1 fixed."""
    s = np.asarray(score, dtype=np.float64)
    t = min(max(threshold, 0.05), 0.95)
    return np.where(s < t, 0.5 * s / t, 0.5 + 0.5 * (s - t) / (1 - t))


class PrincipleModel:
    def __init__(self, kb: KnowledgeBase, embed, cv_folds: int = 5):
        from sklearn.linear_model import LogisticRegression

        self.kb = kb
        self.ids = list(PRINCIPLE_IDS)
        texts, owner, is_example = [], [], []
        for j, pid in enumerate(self.ids):
            p = kb.principles[pid]
            for lang in ("en", "fr"):
                texts += p.exemplars[lang]
                owner += [j] * len(p.exemplars[lang])
                is_example += [True] * len(p.exemplars[lang])
                texts += p.near_misses[lang]
                owner += [j] * len(p.near_misses[lang])
                is_example += [False] * len(p.near_misses[lang])
        self.texts = texts
        self.owner = np.asarray(owner)
        self.is_example = np.asarray(is_example)
        self.emb = embed(texts, "principles")
        self.vectorizer = char_vectorizer().fit(texts)
        x = self._features(texts, self.emb)
        self._lr = lambda: LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
        self.models = []
        for j in range(len(self.ids)):
            y, w = self._targets(j)
            self.models.append(self._lr().fit(x, y, sample_weight=w))
        self.thresholds = self._cross_validated_thresholds(x, cv_folds)
        self.patterns = {
            pid: {lang: [re.compile(rx, re.I) for rx in rxs] for lang, rxs in kb.principles[pid].patterns.items()}
            for pid in self.ids
        }

    def _targets(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        y = ((self.owner == j) & self.is_example).astype(int)
        # The principle's own near-misses weigh double: they are the confusions that matter.
        w = np.where((self.owner == j) & ~self.is_example, 2.0, 1.0)
        return y, w

    def _features(self, texts, emb):
        from scipy.sparse import csr_matrix, hstack

        return hstack([csr_matrix(emb), self.vectorizer.transform(texts)]).tocsr()

    def _cross_validated_thresholds(self, x, folds: int) -> np.ndarray:
        """Per principle, the score threshold with the best F1 on held-out folds of the knowledge base."""
        n = x.shape[0]
        rng = np.random.default_rng(7)
        fold = rng.integers(0, folds, size=n)
        thresholds = np.full(len(self.ids), 0.5)
        for j in range(len(self.ids)):
            y, w = self._targets(j)
            held = np.zeros(n)
            for k in range(folds):
                train, test = fold != k, fold == k
                if y[train].sum() == 0:
                    continue
                held[test] = self._lr().fit(x[train], y[train], sample_weight=w[train]).predict_proba(x[test])[:, 1]
            best, best_f1 = 0.5, -1.0
            for t in np.arange(0.2, 0.9, 0.02):
                pred = held >= t
                tp = float((pred & (y == 1)).sum())
                f1 = 2 * tp / max(pred.sum() + y.sum(), 1)
                if f1 > best_f1 + 1e-9:
                    best, best_f1 = float(t), f1
            thresholds[j] = best
        return thresholds

    # Inference ---------------------------------------------------------------------------------------------
    def score_units(self, texts: list[str], emb: np.ndarray) -> np.ndarray:
        """Raw classifier probability per unit and principle."""
        x = self._features(texts, emb)
        return np.column_stack([m.predict_proba(x)[:, 1] for m in self.models])

    def near_miss_ratio(self, emb: np.ndarray) -> np.ndarray:
        """Per unit and principle: True where the closest labelled text of that principle is a near-miss."""
        sims = emb @ self.emb.T
        out = np.zeros((emb.shape[0], len(self.ids)), dtype=bool)
        for j in range(len(self.ids)):
            ex = sims[:, (self.owner == j) & self.is_example].max(axis=1)
            nm = sims[:, (self.owner == j) & ~self.is_example].max(axis=1)
            out[:, j] = nm > ex + 0.02
        return out

    def detect(self, text: str, lang: str, units: list[Unit], unit_emb: np.ndarray, cue_matches) -> list[PrincipleHit]:
        """Principles found in `text`; `units[0]` is the whole text, the rest its sentences."""
        unit_texts = [text[u.start : u.end] for u in units]
        raw = self.score_units(unit_texts, unit_emb)
        damp = self.near_miss_ratio(unit_emb)
        raw = np.where(damp, raw * NEAR_MISS_DAMPING, raw)
        hits = []
        for j, pid in enumerate(self.ids):
            cues = [m for m in cue_matches if m.key == pid]
            cues += self._pattern_matches(pid, lang, text)
            clf = float(raw[:, j].max())
            cue_strength = 0.0 if not cues else CUE_WEIGHT if len(cues) == 1 else (1 + CUE_WEIGHT) / 2
            score = float(_calibrate(1 - (1 - clf) * (1 - cue_strength), self.thresholds[j]))
            if score < 0.5:
                continue
            if cues:
                cues.sort(key=lambda m: m.start)
                evidence = [Evidence(text[m.start : m.end], m.start, m.end) for m in cues]
            else:
                k = int(np.argmax(raw[1:, j])) + 1 if len(units) > 1 else 0
                u = units[k]
                evidence = [Evidence(text[u.start : u.end], u.start, u.end)]
            hits.append(PrincipleHit(pid, pick(self.kb.principles[pid].name, lang), score, evidence[:4]))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits

    def _pattern_matches(self, pid: str, lang: str, text: str):
        from bot.nlp import CueMatch

        out = []
        rx_by_lang = self.patterns.get(pid, {})
        for rx in rx_by_lang.get(lang, []) + rx_by_lang.get("*", []):
            for m in rx.finditer(text):
                if m.end() > m.start():
                    out.append(CueMatch(pid, rx.pattern, m.start(), m.end()))
        return out
