"""Paragraphs of one list item, and the wording that tells whether a paragraph opens work of its own.

Why a module of its own: a notice or telegram often answers one numbered point with several
paragraphs, each a sentence that assigns ("1. Về kiến nghị …:" then "Giao Bộ Tài chính …"
then "Sau khi …, Bộ Tài chính khẩn trương …"). Each such paragraph is a task of its own
(CONVENTIONS §1: one task per assigning sentence); a paragraph that assigns nothing goes on
with the task above it. This module knows only the layout (where paragraphs break) and the
wording of a topic label and of an opening clause; which agency a paragraph names is the
narrative extractor's job (``narrative._agencies``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from plankg.folding import fold, fold_aligned
from plankg.ingest.extract.assignments import CUES_PATH, agency_heading, duty_article, is_agency_start
from plankg.ingest.extract.structure import Line

#: "Về <topic>:" printed as a paragraph of its own above the answer: a label, not work.
_TOPIC = re.compile(r"^ve\s", re.IGNORECASE)
#: A clause that opens a sentence before its subject ("Sau khi phương án … được thông qua,
#: Bộ Tài chính …", "Để nâng cao hiệu lực, hiệu quả …, các Sở, ngành … triển khai …"): its
#: opening words; it ends at the first comma after which an agency's name begins.
_OPENER = re.compile(r"^(?:sau\s+khi|de|tren\s+co\s+so|can\s+cu|truoc\s+khi|trong\s+khi|khi"
                     # a rhythm or a time limit before the subject ("Hằng năm, Ủy ban nhân dân cấp xã
                     # có trách nhiệm rà soát …", "Định kỳ (trước ngày 31 tháng 10 hằng năm), Ủy ban
                     # nhân dân …", "Trong thời hạn 5 năm, cơ quan, tổ chức đảng …")
                     # "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp …, các sở, ban, ngành có …"
                     r"|hang\s+(?:nam|quy|thang)|dinh\s+ky|trong\s+thoi\s+han|cham\s+nhat)\b", re.IGNORECASE)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """The item's lines grouped into paragraphs.

    A paragraph ends a sentence (".", ":", ";", "…") and the next starts with a capital; where
    the text keeps blank lines between paragraphs (scraped Markdown, hard-wrapped) there must
    also be a blank line between them, without any (DOCX, Markdown with one line per
    paragraph) the line break is enough. A hard-wrapped text without blank lines may break inside a paragraph there; the
    caller joins a piece that names no agency back to the one above, so nothing is lost."""
    if not lines:
        return []
    gaps = any(b.index > a.index + 1 for a, b in zip(lines, lines[1:]))
    out = [[lines[0]]]
    for a, b in zip(lines, lines[1:]):
        # a paragraph ends a sentence and the next begins one, also across a blank line (a
        # PDF's text keeps blank lines inside a sentence: seed 004)
        brk = a.text.rstrip(" *_").endswith((".", ":", ";", "…")) and b.text.lstrip(" *_")[:1].isupper()
        if gaps:
            brk = brk and b.index > a.index + 1
        if brk and subjects_run_on(a.text, b.text):
            brk = False
        if brk:
            out.append([b])
        else:
            out[-1].append(b)
    return out


#: a list marker at the start of a line ("3.", "a)", "-")
_MARKER = re.compile(r"^[*_\s]*(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[-–+•])\s*")


def subjects_run_on(a: str, b: str) -> bool:
    """Does a line that only names agencies and ends with ";" run on into more agencies on the
    next line ("3. Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;" / "Ủy ban nhân dân các
    tỉnh, … khẩn trương triển khai …")? The ";" separates the sentence's subjects, it ends no
    paragraph (round 4: fa0dcc139cec05de item 3 was cut in two)."""
    head = _MARKER.sub("", a).strip(" *_")
    if not head.endswith(";"):
        return False
    nxt = b.lstrip(" *_")
    return is_agency_start(nxt) and agency_heading(head.rstrip(";")) is not None


def is_topic_label(text: str) -> bool:
    """Is a paragraph only the topic a reply answers ("Về kiến nghị bổ sung …:")?"""
    t = text.strip(" *_")
    return bool(_TOPIC.match(fold(t[:4]))) and t.endswith(":")


def after_opener(text: str, within: int = 250) -> int:
    """Where the subject of a sentence starts after an opening clause ("Sau khi …, "), at the
    first comma (within ``within`` characters, before any ".", ";" or ":") that an agency's
    name follows; 0 without one. A section's lead-in paragraph, one long sentence that ends
    in "… sau:", is read with a wider window by its caller."""
    from plankg.ingest.extract.assignments import is_agency_start, locality_subject

    if not _OPENER.match(fold_aligned(text)):
        return 0
    for m in re.finditer(r"[,.;:]\s*", text[:within]):
        if m.group()[0] != ",":
            return 0
        rest = text[m.end():]
        # a subject opens with a capital or "các" ("các Sở, ngành …"); a lower-case head after
        # a comma continues a list inside the clause ("… của các sở, ban, ngành chuyên môn")
        if (rest[:1].isupper() or fold(rest[:4]) == "cac " or locality_subject(rest)) and is_agency_start(rest):
            return m.end()
    return 0


@lru_cache(maxsize=8)
def _cue(key: str) -> re.Pattern[str]:
    """The folded alternation of one word list of ``assignment_cues.yaml``."""
    with open(CUES_PATH, encoding="utf-8") as fh:
        words = yaml.safe_load(fh).get(key) or []
    keys = sorted({fold(w) for w in words}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(re.escape(t) for t in k.split()) for k in keys) + r")\b")


def non_duty_article(title: str) -> bool:
    """Is an article's title one that says what a regulation covers, defines or empowers ("Đối
    tượng áp dụng", "Giải thích từ ngữ", "Thẩm quyền quyết định …";
    ``non_duty_article_headings``)? Its clauses task nobody. A title that names duties beside
    the powers ("Thẩm quyền, trách nhiệm quản lý nhà nước của các cơ quan, đơn vị liên quan")
    is a duty article and hands out work (round 6 dev: 475126f38cb26cc2 Điều 6), as a lead-in
    that names both does (``articles._grants_powers``): that rule has one home,
    :func:`~plankg.ingest.extract.assignments.duty_article`."""
    folded = fold(title.strip(" *_")).lower()
    return bool(_cue("non_duty_article_headings").match(folded)) and not duty_article(title)


def states_composition(text: str) -> bool:
    """Does a clause state what a body is made of ("Hội đồng Quản lý gồm có: Chủ tịch, …";
    ``composition_words``)? Only in its first sentence."""
    return bool(_cue("composition_words").search(fold(re.split(r"[.;]\s", text, maxsplit=1)[0]).lower()))


def opens_with_composition(text: str) -> bool:
    """Does a clause open with a body's make-up ("Thành phần Hội đồng … gồm:";
    ``composition_openings``)? Its items name members, not work."""
    return bool(_cue("composition_openings").match(fold(text.strip(" *_")).lower()))


def names_a_document(subject: str) -> bool:
    """Does a sentence's subject name a paper, not a body ("Các Báo cáo trên", "Kết quả rà
    soát"; ``document_nouns``)? Such a sentence says where the task's output goes."""
    words = re.sub(r"^cac\s+", "", fold(subject.strip(" *_")).lower())
    return bool(_cue("document_nouns").match(words))


def person_post(name: str) -> bool:
    """Does a duty article's owner name persons or a post, not an agency ("văn thư cơ quan",
    "thủ trưởng, cán bộ, công chức, viên chức …", "thuê bao"; ``person_posts``)?"""
    posts = _cue("person_posts")
    for part in re.split(r"[,/]|\bvà\b", name):
        words = fold(part.strip(" *_")).lower()
        words = re.sub(r"^cac\s+", "", words)
        if posts.match(words):
            return True
    return False


def _closing() -> re.Pattern[str]:
    return _cue("closing_verbs")


def closing_formula() -> re.Pattern[str]:
    """The closing verbs of a notice ("thông báo để", "trân trọng thông báo"), folded: the
    pattern the task reader skips such paragraphs by, and the document reader finds a lost
    header's issuer by."""
    return _closing()


def assigns_nothing(predicate: str) -> bool:
    """Does the text after a subject state no new work ("đã họp …", "chịu trách nhiệm toàn
    diện trước Chính phủ …", "chịu trách nhiệm thi hành Quyết định này")?"""
    return bool(_cue("non_assigning_predicates").match(fold(predicate).strip()))


def is_closing(text: str) -> bool:
    """Is a paragraph the closing sentence of a notice ("Văn phòng Chính phủ thông báo để …
    biết, thực hiện./.")? Its verb is a closing verb within its first 12 words."""
    head = " ".join(fold(text).split()[:12])
    return bool(_closing().search(head))


#: Where a sentence or a ";" clause ends before one that starts with a capital letter.
_BREAK = re.compile(r"(?<=[.;])\s+(?=\S)")


def clause_starts(text: str) -> list[int]:
    """Offsets in ``text`` where a sentence or a ";" clause that starts with a capital letter
    begins, after the first ("… Luật Đầu tư công. Bộ Nông nghiệp và Môi trường khẩn trương …";
    "… hoàn thành trong tháng 12 năm 2025; Bộ Khoa học và Công nghệ hướng dẫn …"). Which of
    them opens work of its own is the caller's question (a subject of its own)."""
    return [m.end() for m in _BREAK.finditer(text) if text[m.end()].isupper() and m.end() < len(text)]


def locate(source_text: str, start: int, end: int, clause: str) -> int:
    """Where ``clause`` (joined text, whitespace collapsed) starts in ``source_text[start:end]``:
    its first words matched across line breaks; ``start`` when they are not found."""
    words = clause.split()[:6]
    if not words:
        return start
    m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(source_text, start, end)
    return m.start() if m else start


_ENUM = {
    "digit": re.compile(r"(?:^|(?<=[\s:;.,]))\((\d{1,2})\)\s+"),
    "roman": re.compile(r"(?:^|(?<=[\s:;.,]))\(([ivx]{1,4})\)\s+"),
}
_ROMAN_ORDER = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def inline_items(text: str, kind: str = "digit") -> list[tuple[int, int]]:
    """(marker start, item text start) of an enumeration written inside a paragraph ("Bộ Khoa
    học và Công nghệ: (1) trình …; (2) chủ trì, phối hợp …; (3) …"): markers counted from one
    ("(1)", "(2)" … or "(i)", "(ii)" …) in order; fewer than two → none. A marker out of order
    ends the run (a citation "(2)" inside an item's text does not start an item)."""
    found: list[tuple[int, int]] = []
    for m in _ENUM[kind].finditer(text):
        label = m.group(1)
        index = int(label) if kind == "digit" else (_ROMAN_ORDER.index(label) + 1 if label in _ROMAN_ORDER else 0)
        if index == len(found) + 1:
            found.append((m.start(), m.end()))
    return found if len(found) >= 2 else []
