"""A deterministic stand-in embedder for tests that build indexes without loading a model."""

from __future__ import annotations

import hashlib

import numpy as np

from plankg.folding import fold
from plankg.search.index.embedders import Embedder


class HashEmbedder(Embedder):
    """Bag of folded words hashed into ``dim`` dimensions: deterministic, some lexical sense."""

    def __init__(self, name: str, dim: int = 64) -> None:
        self.name, self.dim = name, dim
        self.calls = 0

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            for w in fold(t).lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
            out[i, 0] += 1e-3
        return out
