"""Small learned parts shared by the detectors, and their on-disk cache.

Detectors are logistic regressions over [sentence embedding | character n-grams | extra features]. Training takes
seconds; restoring takes milliseconds, so trained weights are cached next to the embeddings, keyed by the
knowledge-base content hash, the embedding model and this code's version. The cache holds only arrays (npz) and
a vocabulary (JSON): nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack

log = logging.getLogger(__name__)
CACHE_VERSION = "6"
NGRAMS = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "lowercase": True}
MAX_NGRAMS = 12000


def new_vectorizer(vocabulary=None):
    """Character n-grams within word boundaries: robust to inflection, work in both languages."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if vocabulary is None:
        return TfidfVectorizer(max_features=MAX_NGRAMS, **NGRAMS)
    return TfidfVectorizer(vocabulary=vocabulary, **NGRAMS)


def features(vectorizer, texts: list[str], emb: np.ndarray, extra: np.ndarray | None = None):
    blocks = [csr_matrix(emb), vectorizer.transform(texts)]
    if extra is not None:
        blocks.append(csr_matrix(extra))
    return hstack(blocks).tocsr()


class Linear:
    """Weights of one or several logistic regressions; probabilities computed with numpy."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, multiclass: bool):
        self.coef, self.intercept, self.multiclass = coef, intercept, multiclass

    @classmethod
    def from_sklearn(cls, models: list, multiclass: bool = False) -> Linear:
        coef = np.vstack([m.coef_ for m in models]).astype(np.float32)
        intercept = np.concatenate([m.intercept_ for m in models]).astype(np.float32)
        return cls(coef, intercept, multiclass)

    def proba_of(self, vectorizer, texts: list[str], emb: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """Probabilities for the rows `features(vectorizer, texts, emb, extra)` would build, without building that
        sparse block matrix: the dense blocks are plain matrix products (a third of the cost per draft)."""
        d, v = emb.shape[1], len(vectorizer.vocabulary_)
        z = emb @ self.coef[:, :d].T + np.asarray(vectorizer.transform(texts) @ self.coef[:, d : d + v].T)
        if extra is not None:
            z += extra @ self.coef[:, d + v :].T
        return self._link(z + self.intercept)

    def _link(self, z: np.ndarray) -> np.ndarray:
        if self.multiclass:
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))


def cache_key(*parts: str) -> str:
    return hashlib.sha256("\0".join((CACHE_VERSION, *parts)).encode()).hexdigest()[:20]


def save(path: Path, arrays: dict[str, np.ndarray], vocabulary: dict[str, int], meta: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        vocab = json.dumps({"vocabulary": {k: int(v) for k, v in vocabulary.items()}, "meta": meta})
        np.savez(tmp, __vocab__=np.frombuffer(vocab.encode("utf-8"), dtype=np.uint8), **arrays)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only cache only costs start-up time
        log.warning("cannot write model cache %s: %s", path, exc)


def load(path: Path) -> tuple[dict[str, np.ndarray], dict[str, int], dict] | None:
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files if k != "__vocab__"}
            blob = json.loads(bytes(data["__vocab__"]).decode("utf-8"))
        return arrays, blob["vocabulary"], blob["meta"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("model cache %s unreadable (%s); retraining", path, exc)
        return None


def restore_vectorizer(vocabulary: dict[str, int], idf: np.ndarray):
    vec = new_vectorizer(vocabulary)
    vec.idf_ = idf
    return vec


def cached_model(cache_dir: Path | None, name: str, kb_hash: str, model_name: str):
    """(cache path or None, arrays, restored vectorizer) — arrays and vectorizer are None on a cache miss."""
    path = cache_dir / f"{name}-{cache_key(kb_hash, model_name)}.npz" if cache_dir else None
    cached = load(path) if path else None
    if not cached:
        return path, None, None
    arrays, vocabulary, _ = cached
    return path, arrays, restore_vectorizer(vocabulary, arrays["idf"])
