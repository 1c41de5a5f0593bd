"""Lend the search index's embedder to the alignment score (:mod:`plankg.ingest.build.alignment_vectors`).

The alignment across levels runs in the ingest layer, which may not import search; it
imports this module by name and receives, through its registry, a factory that turns the
configured embedder spec (``PLANKG_EMBEDDER``) into an ``embed(texts)`` function. So the
alignment compares tasks with the very model the search index uses, loaded once per process
(:func:`plankg.search.index.embedders.get_embedder`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from plankg.ingest.build.alignment_vectors import Embed, register_embedder
from plankg.search.index.embedders import get_embedder


def embedder_for(spec: str) -> Embed:
    """``embed(texts)``: passage vectors (both sides of a pair are passages, not queries)."""
    emb = get_embedder(spec)

    def embed(texts: Sequence[str]) -> np.ndarray:
        return emb.embed_documents(list(texts))

    return embed


register_embedder(embedder_for)
