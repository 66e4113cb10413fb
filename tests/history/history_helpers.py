"""Helpers shared by the history tests."""

import numpy as np


def unit(seed: int, dim: int = 384) -> np.ndarray:
    """A deterministic random unit vector (a stand-in embedding)."""
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)
