"""Platform-culture fit: how much a draft already reads like each platform's own posts, minus what breaks.

A multinomial logistic regression learns each platform's culture from the knowledge base's `fit` exemplars
(sentence embedding + form of the post + character n-grams). Its probabilities, relative to the best platform,
give the culture part of the fit; the knowledge-base rules (hard limits, norms) turn into findings that lower
it. `best_platform` is therefore the platform whose culture the text already matches, unless it breaks there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.analysis import learned
from bot.analysis.features import style_matrix
from bot.analysis.report import Finding, PlatformFit, sort_findings
from bot.analysis.rules import evaluate_all
from bot.knowledge.model import KnowledgeBase, Platform, pick
from bot.text import Draft

PENALTY = {"error": 30, "warning": 9, "suggestion": 3}
MAX_PENALTY = {"error": 60, "warning": 27, "suggestion": 9}
STYLE_WEIGHT = 3.0  # style features are few; weight them against hundreds of embedding dimensions


class PlatformModel:
    """Learned from the knowledge base's exemplars once (then restored from the on-disk cache)."""

    def __init__(self, kb: KnowledgeBase, embed, cache_dir: Path | None = None, model_name: str = ""):
        self.kb = kb
        self.ids = list(kb.platforms)
        texts, labels, clash_texts, clash_labels = [], [], [], []
        for i, p in enumerate(kb.platforms.values()):
            for lang in ("en", "fr"):
                texts += p.fit[lang]
                labels += [i] * len(p.fit[lang])
                clash_texts += p.clash[lang]
                clash_labels += [i] * len(p.clash[lang])
        self.train_emb = embed(texts, "platform-fit")
        self.train_labels = np.asarray(labels)
        self.clash_emb = embed(clash_texts, "platform-clash")
        self.clash_labels = np.asarray(clash_labels)
        path, arrays, vectorizer = learned.cached_model(cache_dir, "platform", kb.content_hash, model_name)
        if arrays is not None:
            self.vectorizer = vectorizer
            self.linear = learned.Linear(arrays["coef"], arrays["intercept"], multiclass=True)
            return
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = learned.new_vectorizer().fit(texts)
        x = learned.features(self.vectorizer, texts, self.train_emb, self._style(texts))
        clf = LogisticRegression(C=4.0, max_iter=2000).fit(x, labels)
        self.linear = learned.Linear.from_sklearn([clf], multiclass=True)
        if path:
            learned.save(path, {"idf": self.vectorizer.idf_, "coef": self.linear.coef,
                                "intercept": self.linear.intercept}, self.vectorizer.vocabulary_, {"ids": self.ids})

    @staticmethod
    def _style(texts: list[str]) -> np.ndarray:
        """The form-of-post block of the features, weighted as in training."""
        return style_matrix(texts) * STYLE_WEIGHT

    def culture(self, texts: list[str], emb: np.ndarray) -> np.ndarray:
        """Per text, per platform: a 0-1 culture score (1 for the platform it reads most like)."""
        proba = self.linear.proba_of(self.vectorizer, texts, emb, self._style(texts))
        # Distance from clash exemplars: a draft closer to a platform's clash examples than to its fitting ones
        # loses some culture there.
        fit_sims, clash_sims = emb @ self.train_emb.T, emb @ self.clash_emb.T
        for j in range(len(self.ids)):
            mask = self.clash_labels == j
            if mask.any():
                clash_sim = clash_sims[:, mask].max(axis=1)
                fit_sim = fit_sims[:, self.train_labels == j].max(axis=1)
                proba[:, j] *= np.where(clash_sim > fit_sim + 0.05, 0.6, 1.0)
        return proba / proba.max(axis=1, keepdims=True)

    def nearest_fit_exemplar(self, emb: np.ndarray, pid: str) -> tuple[float, int]:
        j = self.ids.index(pid)
        idx = np.flatnonzero(self.train_labels == j)
        sims = self.train_emb[idx] @ emb
        k = int(np.argmax(sims))
        return float(sims[k]), int(idx[k])


def platform_findings(platform: Platform, draft: Draft, lang: str) -> list[Finding]:
    findings = evaluate_all(platform.rules, draft, lang)
    limit = platform.max_chars
    if limit and draft.length > limit and not any(r.kind == "max_chars" for r in platform.rules):
        findings.append(Finding(f"{platform.id}.max-chars", "error",
                                f"{platform.name} cuts posts at {limit} characters; this one has {draft.length}.",
                                limit, draft.length))  # fmt: skip
    return sort_findings(findings)


def fit_score(culture: float, findings: list[Finding]) -> int:
    """0-100: culture sets the ceiling, each finding takes off points by severity (capped per severity)."""
    base = 35 + 65 * culture**0.6
    for level, step in PENALTY.items():
        n = sum(1 for f in findings if f.severity == level)
        base -= min(n * step, MAX_PENALTY[level])
    return int(round(max(0, min(100, base))))


def strengths(platform: Platform, draft: Draft, lang: str, culture: float) -> list[str]:
    """What already works on this platform, in plain words, for the text report and Slack."""
    out = []
    if culture >= 0.8:
        out.append({"en": f"Reads like {platform.name} posts.", "fr": f"Se lit comme un post {platform.name}."}[lang])
    limit = platform.max_chars
    if limit and draft.length <= min(limit, platform.rewrite.target_chars * 1.3):
        out.append({"en": "Length suits the platform.", "fr": "Longueur adaptée à la plateforme."}[lang])
    tone = pick(platform.norms.get("tone"), lang)
    if tone and culture >= 0.8:
        out.append(tone.split(".")[0] + ".")
    return out


def rank_platforms(kb: KnowledgeBase, draft: Draft, lang: str, culture_row: np.ndarray, ids: list[str]):
    fits = []
    for j, pid in enumerate(ids):
        platform = kb.platforms[pid]
        findings = platform_findings(platform, draft, lang)
        c = float(culture_row[j])
        fits.append(PlatformFit(pid, platform.name, fit_score(c, findings), findings, c,
                                strengths(platform, draft, lang, c)))  # fmt: skip
    fits.sort(key=lambda f: (-f.fit, -f.culture, f.id))
    return fits
