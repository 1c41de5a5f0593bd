"""Vietnamese analysis for search: normalisation, segmentation, folding, abbreviations,
highlighting and paragraph splitting, on seed text where it matters."""

from __future__ import annotations

import re
import unicodedata

import pytest

from plankg.folding import fold
from plankg.search.text import (
    AccentAwareSegmenter,
    DictionarySegmenter,
    abbreviations,
    analyze,
    analyzer_fingerprint,
    has_diacritics,
    highlight,
    is_poorly_accented,
    paragraphs,
    segment,
    segment_words,
)
from tests.conftest import seed_path


def test_tone_mark_styles_and_composition_analyze_alike() -> None:
    new = analyze("Hòa bình, khỏe mạnh, thủy lợi")
    old = analyze("Hoà bình, khoẻ mạnh, thuỷ lợi")
    decomposed = analyze(unicodedata.normalize("NFD", "Hoà bình, khoẻ mạnh, thuỷ lợi"))
    assert new == old == decomposed
    assert "hòa_bình" in new.exact_tokens


def test_exact_and_folded_tokens_are_parallel() -> None:
    a = analyze("Triển khai chuyển đổi số trên địa bàn tỉnh")
    assert "chuyển_đổi" in a.exact_tokens and "số" in a.exact_tokens
    assert "chuyen_doi" in a.folded_tokens and "dia_ban" in a.folded_tokens
    assert a.folded_tokens == [fold(t) for t in a.exact_tokens]
    assert all(t == t.lower() for t in a.exact_tokens)
    assert not any(re.fullmatch(r"\W+", t) for t in a.exact_tokens)  # punctuation dropped


def test_has_diacritics() -> None:
    assert has_diacritics("chuyển đổi số")
    assert has_diacritics("đ")  # đ is a mark for the user's intent
    assert not has_diacritics("chuyen doi so")
    assert not has_diacritics("UBND 57-NQ/TW")


def test_document_symbols_stay_whole_and_keep_parts() -> None:
    toks = analyze("Nghị quyết số 57-NQ/TW ngày 22/12/2024 và Tờ trình số 346/TTr-SKHCN").exact_tokens
    for t in ("57-nq/tw", "57", "nq", "tw", "22/12/2024", "2024", "346/ttr-skhcn", "skhcn"):
        assert t in toks


REQUIRED = ["UBND", "HĐND", "KH&CN", "KHCN", "TT&TT", "CĐS", "ĐMST", "DVCTT", "CNTT", "CSDL",
            "AI", "IOC", "TTHC", "BHXH", "GD&ĐT", "NN&PTNT", "TN&MT", "LĐTBXH", "KH&ĐT", "DTI",
            "PII", "GRDP"]


@pytest.mark.parametrize("abbr", REQUIRED)
def test_every_required_abbreviation_expands(abbr: str) -> None:
    entry = next(a for a in abbreviations() if abbr in a.forms)
    toks = analyze(f"Báo cáo {abbr} năm 2025").exact_tokens
    expansion = analyze(entry.expansions[0]).exact_tokens
    assert entry.token in toks
    assert set(expansion) - {entry.token} <= set(toks)  # abbreviation → expansion words
    assert entry.token in expansion  # expansion phrase → abbreviation token


def test_abbreviations_both_directions() -> None:
    assert {"ủy_ban", "nhân_dân"} <= set(analyze("UBND tỉnh").exact_tokens)
    assert "ubnd" in analyze("Ủy ban nhân dân tỉnh").exact_tokens
    assert "ubnd" in analyze("Uỷ ban nhân dân tỉnh").exact_tokens  # old tone style
    assert "ai" in analyze("ứng dụng trí tuệ nhân tạo").exact_tokens
    assert {"trí_tuệ", "nhân_tạo"} <= set(analyze("ứng dụng AI").exact_tokens)
    # spelling variants of one abbreviation share its token
    assert analyze("KH & CN").exact_tokens[0] == analyze("KHCN").exact_tokens[0] == "kh&cn"
    # folded / lower-case forms typed by users
    assert "cđs" in analyze("cds").exact_tokens
    assert "ubnd" in analyze("ubnd").exact_tokens


def test_a_query_spelling_an_expansion_out_gets_no_abbreviation_token() -> None:
    """Ranking tokens of a query (#13): the spelled-out phrase is not counted twice (its
    abbreviation token on top of its words), so "doanh nghiệp vừa và nhỏ" is not put behind
    the same phrase in the table's order; the abbreviation typed keeps token and words."""
    spelled = analyze("chuyển đổi số cho doanh nghiệp nhỏ và vừa", query=True).exact_tokens
    assert "dnnvv" not in spelled and "ubnd" not in analyze("Ủy ban nhân dân tỉnh", query=True).exact_tokens
    typed = analyze("chuyển đổi số cho DNNVV", query=True).exact_tokens
    assert "dnnvv" in typed and {"doanh_nghiệp", "nhỏ", "vừa"} <= set(typed)
    # passages (and highlighting) still carry the token both ways
    assert "dnnvv" in analyze("hỗ trợ doanh nghiệp nhỏ và vừa").exact_tokens


def test_case_sensitive_abbreviation_is_not_an_ordinary_word() -> None:
    toks = analyze("ai là người chịu trách nhiệm").exact_tokens  # "ai" = who
    assert "trí_tuệ" not in toks


def test_registry_abbreviations_are_merged() -> None:
    agencies = pytest.importorskip("plankg.ingest.extract.agencies")
    registry = agencies.load_registry().abbreviations()
    table = {fold(f): a for a in abbreviations() for f in a.forms}
    assert registry, "registry has no abbreviations"
    for printed in registry:
        assert fold(printed) in table, f"{printed} from the registry is not used"


def test_fingerprint_is_stable() -> None:
    assert analyzer_fingerprint() == analyzer_fingerprint()
    assert len(analyzer_fingerprint()) == 16


def test_segment_for_segmented_models() -> None:
    assert segment("Chuyển đổi số quốc gia") == "Chuyển_đổi số quốc_gia"


def test_dictionary_segmenter_prefers_frequent_words() -> None:
    seg = DictionarySegmenter.from_document_frequencies({"chuyen_doi": 50, "doi_so": 2, "quoc_gia": 40})
    assert seg("chuyển đổi số quốc gia") == ["chuyển_đổi", "số", "quốc_gia"]
    assert seg("chuyen doi so, quoc gia") == ["chuyen_doi", "so", ",", "quoc_gia"]
    assert DictionarySegmenter({})("a b") == ["a", "b"]


def test_dictionary_segmenter_keeps_a_rarer_longer_word() -> None:
    """A three-syllable word is not cut into a more frequent pair plus a syllable (the
    weights of a real index: "công dân số" 4 passages, "dân số" 20). Checked on another
    triple than the one that showed the fault: "an toàn thông tin" vs "toàn thông"."""
    seg = DictionarySegmenter.from_document_frequencies({"cong_dan": 1, "dan_so": 20, "cong_dan_so": 4})
    assert seg("cong dan so") == ["cong_dan_so"]
    seg = DictionarySegmenter.from_document_frequencies({"an_toan_thong_tin": 5, "toan_thong": 60})
    assert seg("an toan thong tin") == ["an_toan_thong_tin"]
    both = DictionarySegmenter.from_document_frequencies({"an_toan": 30, "thong_tin": 40, "an_toan_thong_tin": 5})
    assert both("an toan thong tin") == ["an_toan", "thong_tin"]  # two frequent words still beat one rare


def test_query_segmenter_follows_the_passage_rule() -> None:
    """One rule for passages and queries: marked text goes to pyvi (as the passages did),
    unmarked text — even a short query — to the dictionary."""
    dictionary = DictionarySegmenter.from_document_frequencies({"y_te": 9, "chuyen_doi": 9})
    query = AccentAwareSegmenter(dictionary, query=True)
    passage = AccentAwareSegmenter(dictionary)
    marked = "Phát triển công dân số"
    assert query(marked) == passage(marked) == segment_words(marked)
    assert query("so y te") == ["so", "y_te"]
    assert passage("so y te") == segment_words("so y te")  # short passage sentences keep pyvi


def test_poorly_accented_sentences_use_the_dictionary() -> None:
    ocr = "Trién khai thuc hién Chwong trinh hanh ddng ciia Chinh phu ve chuyen doi so"
    good = "Triển khai thực hiện Chương trình hành động của Chính phủ về chuyển đổi số"
    assert is_poorly_accented(ocr) and not is_poorly_accented(good)
    seg = AccentAwareSegmenter(DictionarySegmenter.from_document_frequencies({"chuyen_doi": 9, "trien_khai": 9}))
    folded = analyze(ocr, seg).folded_tokens
    assert "chuyen_doi" in folded and "trien_khai" in folded


def test_highlight_marks_matches_accent_insensitively_and_escapes() -> None:
    out = highlight("<Kế hoạch> & chuyển đổi số quốc gia", analyze("chuyen doi so").folded_tokens)
    assert out.startswith("&lt;Kế hoạch&gt; &amp; ")
    assert "<mark>chuyển đổi số</mark>" in out  # adjacent matches merged
    assert "<b>" not in out and "<Kế" not in out


def test_highlight_window_on_seed_text() -> None:
    text = seed_path("000").read_text("utf-8")
    out = highlight(text, analyze("trí tuệ nhân tạo").folded_tokens)
    visible = re.sub(r"</?mark>", "", out)
    assert len(visible) <= 202  # ~200 characters plus the ellipses
    assert visible.startswith("…") and visible.endswith("…")
    assert "<mark>trí tuệ nhân tạo</mark>" in out
    assert "<mark>AI</mark>" in out  # the abbreviation is marked too


def test_highlight_without_match_returns_the_start() -> None:
    out = highlight("Kế hoạch chuyển đổi số " * 30, ["khong_co"])
    assert "<mark>" not in out and out.startswith("Kế hoạch") and out.endswith("…")


def test_paragraphs_of_a_seed() -> None:
    paras = paragraphs(seed_path("000").read_text("utf-8"))
    assert len(paras) > 100
    assert all(len(p) <= 1200 for p in paras)
    assert all("\n" not in p for p in paras)
    assert any(p.startswith("i) Ứng dụng trí tuệ nhân tạo (AI)") for p in paras)
