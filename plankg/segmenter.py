"""pyvi's word segmenter and part-of-speech tagger, loaded once per process, leaving nothing behind.

Why a module of its own: pyvi unpickles each CRF model through sklearn-crfsuite, which writes
the model (4 MB for the segmenter, 0.6 MB for the tagger) to a fresh file in the temp folder
and deletes it only when the model object is garbage-collected. A process that ends without
running finalisers — every worker of the ingest's process pool, any process killed by a
timeout — leaves the file behind, so a long parallel ingest filled ``/tmp`` with thousands
of ``model*.crfsuite`` files. Here the CRF tagger is opened at once (CRFsuite reads the model
file into memory when it opens it) and the temp file deleted right after, so no process, however
it ends, leaves one. Ingest (agency names) and search (query and passage segmentation) both
get pyvi from here: one place that knows this.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def _release_model_file(model: Any) -> None:
    """Open ``model``'s CRF tagger (read into memory) and delete its temp file."""
    model.tagger_  # noqa: B018 - the property opens pycrfsuite's Tagger on the temp file
    model.modelfile.cleanup()


@lru_cache(maxsize=1)
def vi_tokenizer() -> Any:
    """pyvi's ``ViTokenizer`` module (untyped: ``tokenize``), its model file already released.
    The first call costs about 2.7 s (unpickling the CRF model): callers get it lazily."""
    from pyvi import ViTokenizer

    _release_model_file(ViTokenizer.ViTokenizer.model)  # the module's class holds the model
    return ViTokenizer


@lru_cache(maxsize=1)
def vi_pos_tagger() -> Any:
    """pyvi's ``ViPosTagger`` module (untyped: ``postagging``), its model file already released."""
    from pyvi import ViPosTagger

    _release_model_file(ViPosTagger.ViPosTagger.model)
    return ViPosTagger
