"""Lexical (BM25) search on the seeds' paragraphs: accent-insensitive ranking, the exact-mark
bonus, abbreviations, filters, persistence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plankg.search.index.lexical import LexicalIndex, StaleIndexError
from plankg.search.text import paragraphs
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    ids: list[str] = []
    texts: list[str] = []
    for path in sorted(SEEDS.glob("00[0-4]_*.txt")):
        for i, p in enumerate(paragraphs(path.read_text("utf-8"))):
            ids.append(f"urn:seed:{path.name[:3]}#p{i}")
            texts.append(p)
    if len(ids) < 300:
        pytest.skip("seed corpus not found")
    return ids, texts


@pytest.fixture(scope="module")
def index(corpus: tuple[list[str], list[str]]) -> LexicalIndex:
    return LexicalIndex.build(*corpus)


def _rows(hits: list[tuple[int, float]]) -> list[int]:
    return [r for r, _ in hits]


@pytest.mark.parametrize(("marked", "plain"), [
    ("chuyển đổi số", "chuyen doi so"),
    ("cơ sở dữ liệu dân cư", "co so du lieu dan cu"),
    ("Trung tâm điều hành thông minh", "trung tam dieu hanh thong minh"),
    ("dịch vụ công trực tuyến", "dich vu cong truc tuyen"),
])
def test_queries_with_and_without_marks_rank_alike(index: LexicalIndex, marked: str, plain: str) -> None:
    a, b = _rows(index.search(marked, 10)), _rows(index.search(plain, 10))
    # the same best hit and the same top three; two passages within 1 % of each other may
    # swap, since the exact-mark bonus (marked query only) is meant to reorder near ties
    assert a[0] == b[0] and set(a[:3]) == set(b[:3])
    assert len(set(a) & set(b)) >= 8
    # without marks, case and spacing do not matter at all
    assert index.search(plain.upper(), 10) == index.search(f"  {plain} ", 10)


def test_query_without_marks_is_pure_folded_ranking(index: LexicalIndex) -> None:
    q = index.analyze_query("chuyen doi so")
    assert q.folded_tokens[:2] == ["chuyen_doi", "so"]  # segmented like the passages
    assert index.analyze_query("chuyển đổi số").folded_tokens == q.folded_tokens


def test_ai_and_its_expansion_find_each_other(index: LexicalIndex, corpus: tuple[list[str], list[str]]) -> None:
    _, texts = corpus
    says_ai = {i for i, t in enumerate(texts) if re.search(r"\bAI\b", t) and "trí tuệ nhân tạo" not in t}
    says_full = {i for i, t in enumerate(texts) if "trí tuệ nhân tạo" in t and not re.search(r"\bAI\b", t)}
    assert says_ai and says_full
    assert says_ai & set(_rows(index.search("trí tuệ nhân tạo", 20)))
    assert says_full & set(_rows(index.search("AI", 20)))


def test_abbreviation_query_finds_expanded_text(index: LexicalIndex, corpus: tuple[list[str], list[str]]) -> None:
    _, texts = corpus
    top = index.search("TTHC", 5)
    assert top and all("thủ tục hành chính" in texts[r] or "TTHC" in texts[r] for r, _ in top)


def test_exact_marks_outrank_folded_only_matches() -> None:
    ids = ["a", "b", "c", "d"]
    texts = ["Nâng cấp tuyến đường ven biển", "Nâng cấp tuyến dương ven biển",
             "Kế hoạch chuyển đổi số", "Phát triển nguồn nhân lực"]
    idx = LexicalIndex.build(ids, texts)
    folded = idx.search("duong", 5)
    assert _rows(folded) == [0, 1] and folded[0][1] == pytest.approx(folded[1][1])
    assert _rows(idx.search("đường", 5)) == [0, 1]
    assert _rows(idx.search("dương", 5)) == [1, 0]
    assert idx.search("đường", 5)[0][1] > folded[0][1]


def test_ocr_rendition_without_marks_is_searchable(index: LexicalIndex, corpus: tuple[list[str], list[str]]) -> None:
    ids, _ = corpus
    ocr = {i for i, x in enumerate(ids) if x.startswith("urn:seed:001")}
    hits = index.search("chuyển đổi số", 10, allowed=ocr)
    assert len(hits) == 10 and {r for r, _ in hits} <= ocr


def test_allowed_rows_filter(index: LexicalIndex) -> None:
    allowed = set(range(0, len(index), 7))
    hits = index.search("chuyển đổi số", 15, allowed=allowed)
    assert hits and {r for r, _ in hits} <= allowed
    assert index.search("chuyển đổi số", 5, allowed=set()) == []


def test_scores_sorted_and_unmatched_query_empty(index: LexicalIndex) -> None:
    hits = index.search("đổi mới sáng tạo", 20)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert index.search("xyzzy qwerty", 5) == []
    assert index.search("", 5) == []


def test_save_load_round_trip(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lex")
    again = LexicalIndex.load(tmp_path / "lex")
    assert again.ids == index.ids
    for q in ("chuyển đổi số", "chuyen doi so", "AI", "57-NQ/TW"):
        assert again.search(q, 10) == index.search(q, 10)


def test_main_tokens_share_one_string_per_word_and_read_back_shared(index: LexicalIndex, tmp_path: Path) -> None:
    """The main index keeps every item's tokens (what a merge re-indexes): one string object
    per distinct word, not one per occurrence (#11: ~370 MB at 3,000 documents). Saved row
    by row, ``tokens.json`` is one JSON array that reads back equal, and shared again."""
    def assert_shared(tokens: list[tuple[list[str], list[str]]]) -> None:
        seen: dict[str, str] = {}
        repeats = 0
        for folded, exact in tokens:
            for word in folded + exact:
                repeats += word in seen
                assert seen.setdefault(word, word) is word
        assert repeats > 1000  # the seeds repeat their words: the check has something to check

    built = index._main_tokens()
    assert_shared(built)
    index.save(tmp_path / "lex")
    on_disk = json.loads((tmp_path / "lex" / "tokens.json").read_text("utf-8"))
    assert [(f, e) for f, e in on_disk] == built
    again = LexicalIndex.load(tmp_path / "lex", lazy=True)
    assert again._main_tokens() == built
    assert_shared(again._main_tokens())


def test_load_refuses_an_index_built_with_other_analysis(tmp_path: Path) -> None:
    LexicalIndex.build(["a"], ["Kế hoạch chuyển đổi số"]).save(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["analyzer"] = "0" * 16
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(StaleIndexError, match="rebuild"):
        LexicalIndex.load(tmp_path)
    with pytest.warns(UserWarning):
        assert LexicalIndex.load(tmp_path, strict=False).search("chuyen doi so", 1)


def test_build_validates_input() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        LexicalIndex.build(["a", "a"], ["x", "y"])
    with pytest.raises(ValueError):
        LexicalIndex.build(["a"], ["x", "y"])
    assert LexicalIndex.build([], []).search("x", 3) == []
