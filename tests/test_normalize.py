"""Normalisation: exact offsets, tone style, legacy letters, fold and join_lines."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from plankg.folding import fold
from plankg.ingest.readers.normalize import TONE_MARKS, join_lines, normalize, retone_word

try:  # works both with and without a tests/__init__.py
    from tests.conftest import seed_path
except ModuleNotFoundError:
    from conftest import seed_path  # type: ignore[no-redef]

SEEDS = ["000", "001", "002", "003", "004"]


def word_boundaries(text: str) -> list[int]:
    """Positions where a span may start/end without cutting a word (round-trip contract)."""
    return [0, len(text)] + [i for i in range(1, len(text)) if text[i].isspace() or text[i - 1].isspace()]


def assert_round_trip(original: str, n: int = 300, seed: int = 7) -> None:
    text, offsets = normalize(original)
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(original)
    assert all(a <= b for a, b in zip(offsets, offsets[1:])), "offsets must be monotone"
    assert original.count("\n") == text.count("\n"), "same line structure"
    cuts = word_boundaries(text)
    rnd = random.Random(seed)
    spans = [(0, len(text))]
    for _ in range(n):  # short spans (what extractors cite), cheap enough to test many
        k = rnd.randrange(len(cuts))
        a, b = sorted((cuts[k], cuts[min(len(cuts) - 1, k + rnd.randint(1, 200))]))
        spans.append((a, b))
    for a, b in spans:
        assert normalize(original[offsets[a]:offsets[b]])[0] == text[a:b], (a, b)


# --- NFC, legacy letters, invisible characters, line structure -----------------------------


def test_decomposed_letters_compose_and_map_to_first_code_point():
    original = "Vie\u0323\u0302t Nam"  # "Việt" as e + dot below + circumflex
    text, offsets = normalize(original)
    assert text == "Việt Nam"
    assert offsets[:5] == [0, 1, 2, 5, 6]  # "ệ" ← offset of its base "e"
    assert original[offsets[2]:offsets[4]] == "e\u0323\u0302t"


def test_tone_before_modifier_still_composes():
    # some converters put the tone mark before the circumflex: NFC alone gives "é" + U+0302
    assert normalize("Ke\u0301\u0302 hoa\u0323ch")[0] == "Kế hoạch"


def test_legacy_font_letters():
    assert normalize("TỈNH ỦY BÌNH PHƢỚC, đổi mới tƣ duy")[0] == "TỈNH ỦY BÌNH PHƯỚC, đổi mới tư duy"
    assert normalize("Ðảng ðoàn")[0] == "Đảng đoàn"


def test_invisible_characters_and_spaces():
    text, offsets = normalize("a\u00a0b\u200bc\u00add\ufeffe\u202ff")
    assert text == "a bcde f"
    assert offsets == [0, 1, 2, 4, 6, 8, 9, 10, 11]


def test_crlf_and_page_breaks_keep_lines():
    original = "dòng 1\r\ndòng 2\r\n\fdòng 3\n"
    text, offsets = normalize(original)
    assert text == "dòng 1\ndòng 2\ndòng 3\n"
    assert text.count("\n") == original.count("\n")
    assert original[offsets[text.index("dòng 3")]:].startswith("dòng 3")


def test_ligatures_expand_to_the_same_offset():
    text, offsets = normalize("ﬁle")
    assert text == "file" and offsets == [0, 0, 1, 2, 3]


def test_output_is_nfc():
    text, _ = normalize("Nghi\u0323 quye\u0302\u0301t hoa\u0300")
    assert text == unicodedata.normalize("NFC", text) == "Nghị quyết hòa"


# --- tone style --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("hoá", "hóa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("xoá", "xóa"), ("loè", "lòe"),
     ("Uỷ", "Ủy"), ("uỷ", "ủy"), ("HOÀ", "HÒA"), ("TUỲ", "TÙY"), ("Thuỵ", "Thụy"), ("oà", "òa")],
)
def test_old_tone_style_becomes_new(old: str, new: str):
    assert retone_word(old) == new
    assert normalize(f"({old} x)")[0] == f"({new} x)"


@pytest.mark.parametrize("word", ["hòa", "thủy", "hoàn", "toán", "quý", "quả", "quỳ", "thuyết", "khuỷu",
                                  "huệ", "hoài", "khoảng", "xoáy", "hoa", "Huy"])
def test_words_outside_the_rule_are_unchanged(word: str):
    assert retone_word(word) == word
    assert normalize(word)[0] == word


def _has_tone(ch: str) -> bool:
    return any(m in TONE_MARKS for m in unicodedata.normalize("NFD", ch))


def _styles(text: str) -> tuple[int, int]:
    """(old-style, new-style) open oa/oe/uy syllables with a tone mark in ``text``."""
    old = new = 0
    for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text)):
        if retone_word(w) != w:
            old += 1
        elif (len(w) >= 2 and fold(w[-2:]) in ("oa", "oe", "uy") and not fold(w[:-2]).endswith("q")
              and _has_tone(w[-2]) and not _has_tone(w[-1])):
            new += 1
    return old, new


def test_seed_majority_uses_new_tone_style():
    """The decision: new style ("hòa", "thủy", "khỏe") — what the seeds overwhelmingly use."""
    old = new = 0
    for prefix in SEEDS:
        o, n = _styles(seed_path(prefix).read_text(encoding="utf-8"))
        old, new = old + o, new + n
    assert new > 5 * old, (old, new)
    for prefix in SEEDS:  # and after normalisation nothing is left in the old style
        text, _ = normalize(seed_path(prefix).read_text(encoding="utf-8"))
        assert _styles(text)[0] == 0


# --- offsets round-trip ----------------------------------------------------------------------


def test_round_trip_synthetic():
    original = ("Uỷ ban nhân dân tỉnh Bình PHƢỚC\r\n"
                "Vie\u0323\u0302t\u00a0Nam hoà bình, sức khoẻ\u200b và thuỷ lợi\r\n"
                "\fﬁle ﬂoor Ðồng Nai\t2025 \u00ad\n") * 5
    assert_round_trip(original, n=500)


@pytest.mark.parametrize("prefix", SEEDS)
def test_round_trip_seeds(prefix: str):
    assert_round_trip(seed_path(prefix).read_text(encoding="utf-8"), n=300)


# --- fold / join_lines -----------------------------------------------------------------------


def test_fold():
    assert fold("Đường Hòa Bình") == "duong hoa binh"
    assert fold("ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC") == "uy ban nhan dan tinh binh phuoc"
    assert fold("Nghị quyết 57-NQ/TW") == "nghi quyet 57-nq/tw"
    assert fold("PHƢỚC") == "phuoc"


def test_fold_preserves_length_on_nfc_text():
    text, _ = normalize(seed_path("000").read_text(encoding="utf-8"))
    folded = fold(text)
    assert len(folded) == len(text)
    i = folded.index("so khoa hoc va cong nghe")
    assert text[i:i + 24] == "Sở Khoa học và Công nghệ"


def test_join_lines():
    assert join_lines("Tờ trình số 346/TTr-\nSKHCN ngày 19/02/2025") == "Tờ trình số 346/TTr-SKHCN ngày 19/02/2025"
    assert join_lines("phát triển kinh tế -\nxã hội") == "phát triển kinh tế - xã hội"
    assert join_lines("  Sở Khoa học và \n\n Công nghệ,\r\n Sở Nội vụ  ") == "Sở Khoa học và Công nghệ, Sở Nội vụ"
    assert join_lines("Nghị quyết số\n57-NQ/TW") == "Nghị quyết số 57-NQ/TW"
    assert join_lines("a\u00a0\tb") == "a b"
