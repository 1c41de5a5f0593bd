"""Document-level metadata: what a plan *is* (kind, symbol, date, issuer, place, title,
signer), read from its header, title block, preamble and signature block.

Why several sources per field: the seeds show every degradation of the formal header.
A clean header gives "Số: 57/KH-UBND" and "Bình Phước, ngày 23 tháng 02 năm 2025"; a
draft leaves the number blank ("Số: /KH-UBND" → no symbol); some renderings drop the
header entirely (seed 000, where only the digital-signature stamps carry the date) or the
whole title block (seed 003, where only the preamble says who issues which plan). Each
fallback that *guesses* rather than reads is named in ``DocumentRecord.inferred``.

All matching runs on an accent-folded copy (see ``structure.fold``) so that the OCR copy
without diacritics (seed 001: "KE HOACH", "ngdy 23 thang 02 ndm 2025") reads the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date

from plankg.ingest.extract.agencies import clean_name, looks_like_agency, lowest_body, starts_body, without_title
from plankg.ingest.extract.structure import (
    Line,
    body_bounds,
    clean_letters,
    fold,
    join,
    text_lines,
)
from plankg.ingest.model import DocumentRecord, SourceText
from plankg.ontology.kinds import load_kinds

# Kinds come from the one table (ontology/registry/document_kinds.yaml).
KIND_TABLE = load_kinds()

# Provinces (before and after the 2025 merger): to find "tỉnh X" and to put the
# diacritics back on a name the OCR copy prints bare ("Binh Phuoc").
PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_PROVINCE_BY_FOLD = {fold(p).lower(): p for p in PROVINCES}

# Administrative level words, folded → (printed form, level).
LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "tinh": ("tỉnh", "province"), "thanh pho": ("thành phố", "province"),
    "huyen": ("huyện", "district"), "thi xa": ("thị xã", "district"),
    "quan": ("quận", "district"), "xa": ("xã", "commune"), "thi tran": ("thị trấn", "commune"),
    "phuong": ("phường", "ward"),
}
_CENTRAL = ("bo chinh tri", "ban chap hanh trung uong", "chinh phu", "thu tuong", "quoc hoi",
            "ban bi thu", "trung uong")

_RE_HEADER_SYMBOL = re.compile(
    r"^\s*S\S{0,2}\s*:?\s*(?P<num>\d*)(?:\s*/\s*(?P<year>(?:19|20)\d\d))?\s*(?P<s1>[/-])\s*(?P<a>[A-Z][A-Za-z]*)\s*(?P<s2>[/-])\s*"
    r"(?P<b>[A-Z][A-Za-z0-9-]*)")
#: "ngày 01 tháng 12 năm 2025"; a print that runs the number on ("tháng12", "ngày01") reads the
#: same — the words end at their first digit, so "tháng12" is month 12, never month 2.
_RE_DATE_WORDS = re.compile(
    r"ng[^\s\d]{1,3}\s*(?P<d>\d{1,2}|[.…_\s]*)\s*th[^\s\d]{2,4}\s*(?P<m>\d{1,2}|[.…_\s]*)\s*n[^\s\d]{1,3}\s*(?P<y>\d{4})",
    re.IGNORECASE)
_RE_OPENER = re.compile(r"^(Th\S{1,3}c\s+hi\S{1,3}n|Tri\S{1,3}n\s+khai|C\S{1,2}n\s+c\S{1,2}\b|Theo\s+\S{1,3}\s+ngh|X\S{1,2}t\s)")
_RE_BAN_HANH = re.compile(r"\bban\s+hanh\s+(?P<kind>\S+\s+\S+)", re.IGNORECASE)
_RE_SELF_REF = re.compile(r"\(\s*(?:ban\s+hanh\s+)?K\S{1,3}m\s+theo\s+(?P<kind>[^\d/(]{2,30}?)\s*s\S{0,2}\s*:?\s*(?P<num>\d*)\s*[/I]\s*(?P<code>[A-Z]+)-(?P<iss>[A-Z]+\d*)(?P<rest>[^)]{0,80})\)", re.IGNORECASE)
#: The closing line of a resolution or law: "Nghị quyết này được Quốc hội … thông qua ngày 19
#: tháng 02 năm 2025." (folded) — the day the body adopted the document itself.
_RE_ADOPTED = re.compile(r"\bnay\s+(?:da\s+)?duoc\b.{0,200}?\bthong\s+qua\s+ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})",
                         re.IGNORECASE)
_SIGN_ROLES = re.compile(r"\b(CHU TICH|TRUONG BAN|BI THU|GIAM DOC|THU TRUONG|TONG GIAM DOC|BO TRUONG|THU TUONG|CHANH VAN PHONG)\b")


def parse_vn_date(d: str, m: str, y: str) -> date | None:
    """A date from its printed day, month, year; None for blanks or impossible dates."""
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _kind_line(lines: list[Line]) -> int | None:
    """Index of the upper-case kind line that opens the title block ("KẾ HOẠCH").

    Only header material may precede it (issuer, motto, number, place and date): after a
    question or a paragraph of prose with no national or party motto between it and the
    title, an upper-case "KẾ HOẠCH" is a title quoted inside an article or a Q&A page
    (a template, an excerpt), not this document's own title. (A motto after the prose is
    a document that starts there, e.g. below a publisher's notice.)"""
    seen_header = False  # a run-on title ("QUYẾT ĐỊNH CÔNG BỐ …") only under a motto or a number
    for i, ln in enumerate(lines):
        if _kind_words(ln.text, run_on=seen_header):
            return i if _only_header_before(lines[:i]) else None
        seen_header = seen_header or bool(_MOTTO.search(fold(ln.text)) or _RE_SO.search(fold(_unmark(ln.text))))
    return None


_RE_SUBJECT_OPENER = re.compile(r"\s+(?=(?:V[ềeÊỀ]|V/[vV])\s)")


def _kind_words(line: str, run_on: bool = True) -> str | None:
    """The upper-case kind name a title line prints ("KẾ HOẠCH"), alone or run into its
    subject when a reader joined the two lines ("NGHỊ QUYẾT Về việc sắp xếp …")."""
    text = _unmark(line)
    if text and KIND_TABLE.from_name(text) and text.upper() == text:
        return text
    head = _RE_SUBJECT_OPENER.split(text, maxsplit=1)[0]
    if head != text and head.upper() == head and KIND_TABLE.from_name(head):
        return head
    # the subject glued to the kind where a scrape lost the line break ("NGHỊ ĐỊNHVề hợp đồng
    # …"): only a subject in sentence case ("Về") shows where the capitals end (stop 21)
    glued = re.match(r"(\S.*?)(?=V[ềe]\s)", text)
    if glued and glued[1].upper() == glued[1] and KIND_TABLE.from_name(glued[1]):
        return glued[1]
    # an all-capitals title whose lines a reader joined into one paragraph (DOCX, PDF):
    # "QUYẾT ĐỊNH CÔNG BỐ DANH MỤC …", "CÔNG ĐIỆN TẬP TRUNG …" — the longest kind name it opens with
    words = text.split()
    if run_on and len(words) > 2 and " ".join(words[:6]).upper() == " ".join(words[:6]) and not (text.endswith(":") and len(words) <= 3):
        for n in range(min(4, len(words) - 1), 0, -1):
            kind = KIND_TABLE.from_name(" ".join(words[:n]))
            if kind and kind.name != _GENERIC_KIND and not words[n].startswith(("SỐ", "SO")):
                return " ".join(words[:n])
    return None


def _kind_rest(line: str) -> str | None:
    """The subject a title line runs on after its kind name ("NGHỊ QUYẾT Về việc …" → "Về
    việc …"): the first line of the title."""
    text, kind = _unmark(line), _kind_words(line)
    rest = text[len(kind):].strip() if kind and text.startswith(kind) else ""
    return rest or None


#: How far into a header cell a motto is the cell's own (a motto cell prints it first, after
#: at most an issuer name run into it).
_MOTTO_REACH = 120


def _title_cells(head: list[Line]) -> list[Line]:
    """``head`` with a title that a DOCX table put in a later cell of a header row ("Số: 388/NQ-CP
    ⇥ Hà Nội ngày … ⇥ NGHỊ QUYẾT VỀ VIỆC …") on a line of its own after that row: the kind line
    opens the title block, the row's number and date stay in the header. A cell that opens with
    the motto is not a title; a title cell that runs on into the body may quote the motto
    further on ("… Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam …")."""
    out: list[Line] = []
    for ln in head:
        cells = ln.text.split("\t")
        j = next((j for j, c in enumerate(cells[1:], 1)
                  if re.match(r"\W*so\b", fold(_unmark(cells[0])), re.IGNORECASE) and _kind_words(c)
                  and not _MOTTO.search(fold(c)[:_MOTTO_REACH])), None)
        if j is None:
            out.append(ln)
            continue
        cut = len("\t".join(cells[:j])) + 1
        left, right = ln.text[: cut - 1], ln.text[cut:]
        out.append(replace(ln, end=ln.start + len(left), text=left, folded=fold(left)))
        out.append(replace(ln, start=ln.start + cut, text=right, folded=fold(right)))
    return out


def _split_kind(head: list[Line]) -> list[Line]:
    """``head`` with a kind name that the page broke over two lines ("**QUYẾT" then "ĐỊNH**")
    on one line: neither half names a kind, the two together do, so the title block opens there."""
    out: list[Line] = []
    i = 0
    while i < len(head):
        ln = head[i]
        nxt = head[i + 1] if i + 1 < len(head) else None
        if (nxt is not None and "\t" not in ln.text + nxt.text and len(_unmark(ln.text).split()) <= 2
                and len(_unmark(nxt.text).split()) <= 2 and not _kind_words(ln.text, run_on=False)
                and not _kind_words(nxt.text, run_on=False)):
            joined = f"{ln.text} {nxt.text}"
            words = _kind_words(joined, run_on=False)
            if words and words == _unmark(joined):
                out.append(replace(ln, end=nxt.end, text=joined, folded=fold(joined)))
                i += 2
                continue
        out.append(ln)
        i += 1
    return out


def _only_header_before(before: list[Line]) -> bool:
    prose_open = False
    for ln in before:
        text = _unmark(ln.text)
        long = "\t" not in ln.text and len(text.split()) >= 25
        motto = _MOTTO.search(fold(text))
        if motto and not long:
            prose_open = False  # a document's header starts here
        elif motto and "?" not in text and text[motto.start():motto.end()].isupper():
            # a whole header row that a reader ran into one line ("CHÍNH PHỦ___ Số: 172/2025/NĐ-CP
            # | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM … Hà Nội, ngày …"): the motto in capitals, as
            # headers print it — prose names "nước Cộng hòa xã hội chủ nghĩa Việt Nam"
            prose_open = False
        elif "?" in text or long:
            prose_open = True  # a question or a paragraph of prose: an article or Q&A page so far
    return not prose_open


def _asks_first(head: list[Line]) -> bool:
    """A question before any motto: a Q&A page, whose "… ban hành Kế hoạch …" sentences quote
    other documents (a document below a publisher's notice has its motto first)."""
    for ln in head:
        text = _unmark(ln.text)
        if _MOTTO.search(fold(text)):
            return False
        if "?" in text:
            return True
    return False


#: The national and the party motto (folded); a PDF's letter spacing may split a word
#: ("CHỦ NGHĨ A"), so a single space may stand between any two letters of a word.
_MOTTO = re.compile("|".join(r"\s+".join(" ?".join(word) for word in motto.split())
                             for motto in ("cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam")),
                    re.IGNORECASE)


def _unmark(text: str) -> str:
    """A line without Markdown emphasis and table bars ("**KẾ HOẠCH**" → "KẾ HOẠCH")."""
    return re.sub(r"\s+", " ", re.sub(r"[*_|`#]", " ", text)).strip()


def _opens_prose(text: str) -> bool:
    """Does a line open a paragraph of prose: a capital, then words in lower case (three of its
    first ten words), as a notice's first sentence does after its title ("Ngày 14 tháng 11 năm
    2025, Phó Thủ tướng …") or a note in brackets ("(Thực hiện điểm a khoản 2 …)")?"""
    words = _unmark(text).split()[:10]
    return len(" ".join(words)) >= 30 and words[0].lstrip("(")[:1].isupper() and sum(w[:1].islower() for w in words) >= 3


def _title_lines(lines: list[Line], k: int, stop: int) -> list[Line]:
    """The lines after the kind line that belong to the title, up to the preamble."""
    out: list[Line] = []
    for j, ln in enumerate(lines[k + 1:stop], k + 1):
        t = ln.text
        # "*Căn cứ Luật …*", "- Căn cứ …", "*Căn" / "cứ Luật …" (a break inside the words): the preamble
        following = lines[j + 1].text if j + 1 < stop else ""
        opener = fold(_unmark(f"{t} {following}")).lstrip("-–+ ")
        if re.fullmatch(r"[-–_*.=\s]+", t) or (out and _RE_OPENER.match(opener)):
            break
        if re.match(r"^(Can cu|Thuc hien|Theo de nghi)\b", opener) and not out:
            break
        if out and all(not any(c.islower() for c in o.text) for o in out) and _opens_prose(t):
            break  # an all-capitals title, then a paragraph: "Ngày 14 tháng 11 năm 2025, Phó Thủ tướng …"
        out.append(ln)
        if len(out) >= 8:
            break
    return out


def _after_rule(lines: list[Line], k: int, title_lines: list[Line]) -> list[Line]:
    """The line after the rule that ends a title ("**------------**" / "**ỦY BAN THƯỜNG VỤ QUỐC
    HỘI**"): where the enacting body is printed when a rule sets the title apart — a candidate
    for :func:`_issuer_line`, never part of the title."""
    j = k + 1 + len(title_lines)
    if j + 1 < len(lines) and re.fullmatch(r"[-–_*.=\s]+", lines[j].text):
        return [lines[j + 1]]
    return []


def _enacting_cut(title_lines: list[Line]) -> list[Line]:
    """``title_lines`` up to the line of the official who enacts ("CHỦ TỊCH ỦY BAN NHÂN DÂN
    TỈNH", "GIÁM ĐỐC TRUNG TÂM …", "BỘ TRƯỞNG BỘ TƯ PHÁP"), which Decree 30/2020/NĐ-CP prints
    between a decision's title and its preamble: no part of the title. The line opens with a
    signing role, is all capitals, and the title line before it does not end on a word that
    needs one more ("… CỦA")."""
    verbs = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in KIND_TABLE.issuer_verbs)
    for i in range(1, len(title_lines)):
        text = _unmark(title_lines[i].text)
        if i + 1 < len(title_lines) and len(text.split()) <= 2:  # "THỦ" / "TƯỚNG CHÍNH PHỦ điện:"
            text = f"{text} {_unmark(title_lines[i + 1].text)}"
        verb = re.search(rf"\s+(?:{verbs})\s*:", fold(text).lower()) if verbs else None
        dispatch = verb is not None  # "THỦ TƯỚNG CHÍNH PHỦ điện: - Bộ trưởng …"
        text = text[: verb.start()] if verb else text
        letters = [c for c in text if c.isalpha()]
        before = fold(_unmark(title_lines[i - 1].text)).lower().split()
        # one official, on the title's last line or the one before it (a long name wraps):
        # "… PHÂN CÔNG NHIỆM VỤ" / "CHỦ TỊCH, CÁC PHÓ CHỦ TỊCH …" is the title going on
        role = _SIGN_ROLES.match(fold(text).upper())
        official = (role is not None and (i >= len(title_lines) - 2 or dispatch)
                    and not fold(text).upper()[role.end():].lstrip().startswith(",") and " CAC " not in f" {fold(text).upper()} ")
        enacts = official or (
            # the enacting body itself ("ỦY BAN NHÂN DÂN TỈNH BẮC NINH"), the title's last line
            i == len(title_lines) - 1 and len(text.split()) <= 10 and looks_like_agency(text)
            and (_RE_LOCAL_GOVERNMENT.match(fold(text)) is not None or _level_and_place(text)[0] == "central"))
        if (letters and not any(c.islower() for c in letters) and enacts
                and before and before[-1] not in ("cua", "va", "voi", "cho", "doi")):
            return title_lines[:i]
    return title_lines


def _header_symbol(lines: list[Line]) -> tuple[str | None, str | None, bool]:
    """(number, symbol, found) from a "Số: 57/KH-UBND" header line."""
    for ln in lines:
        m = _RE_HEADER_SYMBOL.match(ln.text) or _RE_HEADER_SYMBOL.match(ln.folded)
        if not m:
            continue
        a, b = _fix_code(m.group("a")), _fix_code(m.group("b").rstrip("-"))
        num = m.group("num") or None
        if not num:
            return None, None, True
        year = f"/{m.group('year')}" if m.group("year") else ""
        sym = f"{num}{year}{m.group('s1')}{a}{m.group('s2')}{b}"
        return num, sym, True
    return None, None, False


def _fix_code(code: str) -> str:
    """Put back the Đ that OCR prints as D in type/issuer codes (NĐ, QĐ, BCĐTW)."""
    return {"ND": "NĐ", "QD": "QĐ", "BCDTW": "BCĐTW", "BCD": "BCĐ"}.get(code, code)


def _header_date(lines: list[Line]) -> tuple[date | None, int | None]:
    """The "<place>, ngày dd tháng mm năm yyyy" line: (date, year) — a draft has only a year."""
    for ln in lines:
        # "năm 202**5", "ng**ày 01 tháng 12": emphasis a scrape left inside the date's words
        folded = re.sub(r"(?<=\d)[*_]+(?=\d)", "", ln.folded).replace("*", "")
        for m in _RE_DATE_WORDS.finditer(folded):
            if _after_place(folded[: m.start()]):
                return parse_vn_date(m.group("d"), m.group("m"), m.group("y")), int(m.group("y"))
    return None, None


def _after_place(before: str) -> bool:
    """Does a date that follows ``before`` close a place-date phrase ("Hà Nội, ngày …"): the
    comma right before it? "… số 202/2025/QH15 ngày 12 tháng 6 …" and "Căn cứ Luật Cán bộ,
    công chức ngày 24 tháng 6 …" date cited documents, not this one."""
    comma = before.rfind(",")
    if comma >= 0 and not re.search(r"\w", before[comma + 1:]):
        return True
    # "Hà Nội ngày 01 tháng 12 năm 2025": the comma left out, a known province alone in its cell
    # ("Sáng ngày 14 …" opens a news story; a list's cells name people before their dates)
    return _unmark(before.split("\t")[-1]).lower() in _PROVINCE_BY_FOLD


_MOTTOS = ("cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam", "doc lap - tu do - hanh phuc")
_RE_SO = re.compile(r"(?<![a-z])so\s*:", re.IGNORECASE)
_RE_SYMBOL_PRINTED = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})?(?:\s*/\s*(?P<year>(?:19|20)\d\d))?\s*(?P<s1>[/-])\s*(?P<a>[A-ZĐ](?: ?[A-Za-zĐđ]){0,5})\s*(?P<s2>[/-])\s*"
    r"(?P<b>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*|\.[A-ZĐ]{1,4}(?![A-Za-zĐđ]))*)")  # "VPCP-V.I"


def _joined_header(header: list[Line]) -> str:
    """The header lines as one string: a place/date or symbol that wraps reads whole."""
    # markup inside a number ("năm 202**5") joins it, not splits it
    texts = _rows_rejoined([ln.text for ln in header])
    return " ".join(t for t in (_unmark(re.sub(r"(?<=\d)[*_]+(?=\d)", "", x.replace("\t", " "))) for x in texts) if t)


def _rows_rejoined(texts: list[str]) -> list[str]:
    """The number-and-date row put back together when a reader wrapped its cells onto the next
    line (a PDF table: "Số: 4508/QĐ-⇥Hà Nội, ngày 28" / "BVHTTDL⇥tháng 11 năm 2025"): the next
    line with as many cells continues each cell, so the symbol and the date each read whole."""
    out: list[str] = []
    i = 0
    while i < len(texts):
        cells = texts[i].split("\t")
        nxt = texts[i + 1].split("\t") if i + 1 < len(texts) else []
        if (len(cells) >= 2 and len(nxt) == len(cells) and _RE_SO.match(fold(_unmark(cells[0])).lstrip())
                and not _RE_SO.search(fold(texts[i + 1]))):
            out.append("\t".join(f"{a.rstrip()} {b.lstrip()}".strip() for a, b in zip(cells, nxt)))
            i += 2
            continue
        out.append(texts[i])
        i += 1
    return out


def _printed_symbol(header: list[Line]) -> tuple[str | None, str | None, bool, tuple[int, int] | None]:
    """(number, symbol as printed — Đ kept, found, its span in the joined header) after "Số:"."""
    text = _joined_header(header)
    so = _RE_SO.search(fold(text))
    if not so:
        return None, None, False, None
    m = _RE_SYMBOL_PRINTED.search(text, so.end())
    if not m:
        return None, None, False, None
    num = m.group("num")
    if not num:
        return None, None, True, m.span()
    year = f"/{m.group('year')}" if m.group("year") else ""  # legal documents: "33/2025/NQ-HĐND"
    # a PDF's letter spacing split the kind's code ("20/2025/N Q-HĐND"): the code is one word
    code = m.group("a").replace(" ", "")
    b = m.group("b").rstrip("-")
    if b.endswith("V") and re.match(r"/[vV]\b", text[m.end():]):
        b = b[:-1]  # a PDF line that glued the subject to the number ("Số:10988/BNV-CQĐPV/v tuyên …")
    sym = f"{num}{year}{m.group('s1')}{code}{m.group('s2')}{b}"
    return num, sym, True, m.span()


def _header_symbol_and_date(header: list[Line]) -> tuple[str | None, str | None, date | None, int | None]:
    """Symbol as printed and date, read from the header joined whole; line by line (folded,
    OCR copies) as a fallback."""
    number, symbol, found, sym_span = _printed_symbol(header)
    if not found:
        number, symbol, _ = _header_symbol(header)  # OCR copies: folded, "D" for "Đ"
    doc_date, year = _joined_date(header, sym_span)
    if doc_date is None and year is None:
        doc_date, year = _header_date(header)
    return number, symbol, doc_date, year


def _joined_date(header: list[Line], skip: tuple[int, int] | None) -> tuple[date | None, int | None]:
    """The "<place>, ngày … tháng … năm …" phrase of a header whose lines wrap anywhere."""
    text = _joined_header(header)
    if skip:
        text = text[: skip[0]] + " " + text[skip[1]:]
    folded = fold(text).replace("*", "")  # "Hà Nội, ng**ày 01 tháng 12 năm 2025"
    for m in _RE_DATE_WORDS.finditer(folded):
        if "," in folded[max(0, m.start() - 3): m.start() + 1]:
            return parse_vn_date(m.group("d"), m.group("m"), m.group("y")), int(m.group("y"))
    return None, None


def _motto_cut(folded: str) -> tuple[int, str | None]:
    """Where a motto starts in a header line, and the motto words the line break left for the next."""
    low = folded.lower()
    best: tuple[int, str | None] = (len(folded), None)
    for motto in _MOTTOS:
        words = motto.split()
        for n in range(len(words), 1, -1):
            part = " ".join(words[:n])
            i = low.find(part)
            if i >= 0 and (i == 0 or low[i - 1] == " ") and i < best[0]:
                rest = " ".join(words[n:]) if low[i:].strip() == part else None
                best = (i, rest or None)
                break
    return best


def _left_column(header: list[Line]) -> list[str]:
    """The issuing body's lines: the header's left column, mottos and rules cut away."""
    pieces: list[str] = []
    pending: str | None = None
    for ln in header:
        text = _unmark(ln.text.split("\t")[0])
        if not text:  # a Markdown cell boundary
            if pieces:
                break
            continue
        if pending and fold(text).lower().endswith(pending):
            text = text[: len(text) - len(pending)].strip()
        number, when = _RE_SO.search(fold(text)), _RE_DATE_WORDS.search(fold(text))
        if when and (number is None or when.start() < number.start()) or (number and number.start() == 0):
            break
        cut, pending = _motto_cut(fold(text))
        if number:  # a header row run into one line: "CHÍNH PHỦ___ Số: 172/2025/NĐ-CP | CỘNG HÒA …"
            text = text[: min(cut, number.start())].strip(" -")
            pieces += [text] if text and looks_like_agency(text) else []
            break
        text = text[:cut]
        rule = re.search(r"[-_=]{3,}", text)
        if rule:
            text = text[: rule.start()]
        if text.strip(" -"):
            pieces.append(text.strip(" -"))
        if rule and pieces:
            break
    return pieces


def _self_reference(lines: list[Line]) -> dict[str, object] | None:
    """An appendix's "(Kèm theo Kế hoạch số 57/KH-UBND ngày 23/02/2025 của UBND tỉnh X)"."""
    for ln in lines:
        m = _RE_SELF_REF.search(ln.folded)
        if not m:
            continue
        rest = m.group("rest")
        # the codes as printed (the match ran on the folded line, which has the same length)
        code, iss = ln.text[m.start("code"): m.end("code")], ln.text[m.start("iss"): m.end("iss")]
        out: dict[str, object] = {"num": m.group("num") or None, "kind": m.group("kind").strip(),
                                  "code": f"{_fix_code(code)}-{_fix_code(iss)}"}
        dm = (re.search(r"ng\S{1,3}\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", rest)
              or re.search(r"ng\S{1,3}\s+(\d{1,2})\s+th\S{2,4}\s+(\d{1,2})\s+n\S{1,3}\s+(\d{4})", rest))
        ym = re.search(r"(\d{4})", rest)
        out["date"] = parse_vn_date(*dm.groups()) if dm else None
        out["year"] = int(ym.group(1)) if ym else None
        cm = re.search(r"\bc\S{1,3}\s+(.+)$", rest)
        start = m.start("rest") + (cm.start(1) if cm else len(rest))
        out["issuer"] = ln.text[start: m.end("rest")].strip() if cm else None
        return out
    return None


def _issuer_line(title_lines: list[Line]) -> tuple[int, Line] | None:
    """(position in ``title_lines``, line) of the issuing body printed on a line of its own
    under the title, before the preamble — the layout of a page that starts at its kind line,
    with no header block ("NGHỊ QUYẾT / <title> / QUỐC HỘI / Căn cứ …"; Decree 30/2020/NĐ-CP
    prints the issuer there for resolutions of the National Assembly, its Standing Committee and
    the Government, and for dispatches). The title ends there. It is the first line after the
    title's first that is all capitals, an agency name of at most ten words, and set apart from
    the title: a blank line before it (Markdown wraps a title over lines) or a title line in
    sentence case before it (DOCX and PDF print each paragraph on one line), or a dispatch's verb
    after it ("THỦ TƯỚNG CHÍNH PHỦ điện:", ``issuer_verbs`` in document_kinds.yaml), which is no
    part of it. An all-capitals title wrapped onto a line that begins with an agency name is not taken
    for it."""
    verbs = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in KIND_TABLE.issuer_verbs)
    for i in range(1, len(title_lines)):
        ln, before = title_lines[i], title_lines[i - 1]
        verb = re.search(rf"\s+(?:{verbs})\s*:\s*$", ln.folded.lower()) if verbs else None
        if verb is not None:  # "THỦ TƯỚNG CHÍNH PHỦ điện:" (a dispatch)
            ln = replace(ln, text=ln.text[: verb.start()], folded=ln.folded[: verb.start()])
        letters = [c for c in ln.text if c.isalpha()]
        apart = verb is not None or ln.index - before.index >= 2 or any(c.islower() for c in before.text)
        if (apart and letters and not any(c.islower() for c in letters)
                and len(ln.text.split()) <= 10 and looks_like_agency(ln.text)):
            return i, ln
    return None


def _issuer_of_line(printed: str) -> str:
    """An issuer printed in capitals, as the registry names it ("QUỐC HỘI" → "Quốc hội"), else
    in sentence case ("ỦY BAN THƯỜNG VỤ QUỐC HỘI" → "Ủy ban thường vụ quốc hội")."""
    from plankg.ingest.extract.agencies import load_registry

    printed = without_title(printed)  # "BỘ TRƯỞNG BỘ TÀI CHÍNH" enacts: the body is "Bộ Tài chính"
    m = load_registry().resolve(printed)
    if m is not None and m.known and m.score >= 100:
        return m.name
    text = printed.lower()
    return text[:1].upper() + text[1:]


def _closing_issuer(lines: list[Line]) -> str | None:
    """The body that a notice's closing formula names as the one notifying ("Văn phòng Chính phủ
    thông báo để Ủy ban nhân dân tỉnh … biết, thực hiện./."; ``closing_verbs`` in
    assignment_cues.yaml): who issues a page whose header block was lost."""
    from plankg.ingest.extract.paragraphs import closing_formula

    for ln in reversed(lines):
        m = closing_formula().search(ln.folded)
        name = ln.text[: m.start()].strip(" ,;:*_") if m else ""
        if name and name[0].isupper() and len(name.split()) <= 10 and looks_like_agency(name):
            return name
    return None


def _adopted_on(lines: list[Line]) -> date | None:
    """The date a closing line says the document itself was adopted ("Nghị quyết này được
    Quốc hội … thông qua ngày 19 tháng 02 năm 2025.")."""
    for ln in reversed(lines):
        m = _RE_ADOPTED.search(ln.folded)
        if m:
            return parse_vn_date(*m.groups())
    return None


def _preamble_end(lines: list[Line]) -> int:
    """Where the text read for a preamble's "… ban hành <kind>" ends: at the recipients
    ("Nơi nhận:"), after which come the signature and the appendices — a DOCX without body
    bounds reads 40 lines, into an appendix whose procedures say who "ban hành quyết định …"
    ("cơ quan có thẩm quyền công nhận xem xét ban hành quyết định công nhận")."""
    for i, ln in enumerate(lines[1:], 1):
        if re.match(r"^\W*noi\s+nhan\b", ln.folded, re.IGNORECASE):
            return i
    return len(lines)


def _preamble_issuer(lines: list[Line], stop: int) -> tuple[str | None, str | None, str | None]:
    """(issuer, kind, subject) from "…, UBND tỉnh ban hành Kế hoạch <subject>, cụ thể như sau"."""
    chunk = join([ln.text for ln in lines[:stop]])
    folded = fold(chunk)
    m = None
    for cand in _RE_BAN_HANH.finditer(folded):
        # "… ban hành văn bản hướng dẫn": the generic word names no document, least of all this
        # one;
        if _kind_of(cand.group("kind")) not in (None, _GENERIC_KIND) \
                and not re.match(r"\s*(so\b|\d)", folded[cand.end():], re.IGNORECASE):
            m = cand  # not "… ban hành Chỉ thị số 13/CT-TTg": a numbered kind is a cited document
    if m is None:
        return None, None, None
    before = chunk[: m.start()]
    cut = max(before.rfind(", "), before.rfind("; "), before.rfind(": "))
    issuer: str | None
    issuer = before[cut + 2:] if cut >= 0 else before
    # a subject never runs over a sentence's end: "… để thực hiện. d) Ban hành Thông báo …" is an
    # item's verb without one, read past the preamble (stop 21, 9d0926aa62bf16bd)
    # (a lower-case word ends the sentence: "TP. Hồ Chí Minh" is an abbreviation)
    ended = bool(re.search(r"[a-z]{2,}[.!?]\s+\S", fold(issuer)))
    # "Ủy ban nhân dân tỉnh ban hành Quyết định ban hành Quy định …": the one who issues is the
    # subject of the first "ban hành", not everything before the last
    first = re.search(r"\s+ban\s+hanh\b", fold(issuer), re.IGNORECASE)
    # "… bổ sung một số điều của Quy định ban hành kèm theo Quyết định số 42/2018/QĐ-UBND …":
    # "ban hành kèm theo" (issued with) follows a document, never who issues (stop 21,
    # 606d5f203dec293b)
    attached = bool(first and re.match(r"\s+ban\s+hanh\s+kem\s+theo\b", fold(issuer)[first.start():], re.IGNORECASE))
    issuer = issuer[: first.start()] if first else issuer
    # "Chủ tịch Ủy ban nhân dân Quyết định ban hành …": the verb "quyết định" ends the subject
    verb = re.search(r"\s+quyet\s+dinh\W*$", fold(issuer), re.IGNORECASE)
    issuer = issuer[: verb.start()] if verb else issuer
    # "Căn cứ các Quyết định của UBND tỉnh: Số 44/2022/QĐ-UBND ngày … ban hành Quy chế …":
    # a cited document by its number and date, not who issues this one
    cited = re.search(r"\d\s*/|\bngay\s+\d", fold(issuer), re.IGNORECASE)
    issuer = without_title(re.sub(r"\s*\([^)]*\)\s*", " ", issuer).strip(" ,;"))  # "Bộ trưởng Bộ X" → "Bộ X"
    if not issuer or cited or attached or ended or len(issuer.split()) > 12:
        issuer = None
    kind = _kind_of(m.group("kind"))
    after = chunk[m.start("kind"):]
    end = re.search(r",?\s*(c\S{1,2}\s+th\S{1,2}\s+nh\S{1,3}\s+sau|nh\S{1,3}\s+sau)\s*:", fold(after), re.IGNORECASE)
    subject = after[: end.start()].strip() if end else None
    return issuer, kind, subject


_LETTER_KIND = "Công văn"
_GENERIC_KIND = "Văn bản"
#: A letter's subject ("V/v hướng dẫn …", "V/v: động lực …"), or a subject in "Về …" printed
#: in the number's cell ("Số: 5155/SGDĐT-GDTXNNĐH Về hướng dẫn …": no kind line between them);
#: also glued to the number by a PDF line ("Số:10988/BNV-CQĐPV/v tuyên truyền …", stop 21).
_RE_SUBJECT = re.compile(r"(?:^|\t|\s|(?<=[A-ZĐ0-9]))V/v\s*:?\s*\S|^\W*S\S{0,2}\s*:\s*\d+\S*/\S+\s+V[ềỀeE]\s+[^\W\d_]",
                         re.IGNORECASE)


def _subject_line(header: list[Line]) -> bool:
    """Does the header print a letter's subject line ("V/v hướng dẫn …") by its number?"""
    return any(_RE_SUBJECT.search(_unmark(ln.text)) for ln in header[:40])


_RE_NUMBER_LINE = re.compile(r"^\W*so\s*:?\s*\d", re.IGNORECASE)


def _numbered_subject(header: list[Line]) -> bool:
    """Does a letter's subject line ("V/v tiền thuê đất") stand on its "Số:" line or the two
    lines after it? Then the page is that letter, whatever its text says it "ban hành": a
    letter answering a query quotes the decisions and circulars it explains."""
    for i, ln in enumerate(header[:40]):
        if _RE_SO.search(fold(_unmark(ln.text))):
            return any(_RE_SUBJECT.search(_unmark(x.text)) for x in header[i:i + 3])
    return False


def _issuer_of_record(preamble: str, printed: str | None) -> str:
    """The header block says who issues; the preamble ("…, Ủy ban nhân dân tỉnh ban hành Kế
    hoạch …") restates it — misspelt at times ("Ủy ban nhân tỉnh"), or more precisely: the
    standing committee of the party committee the header prints ("TỈNH ỦY X" / "Ban Thường vụ
    Tỉnh ủy X"). The header's name wins when the preamble's words are a part of it, in
    order, and it adds no more than a place and a lost word ("Ủy ban nhân tỉnh" / "ỦY BAN NHÂN
    DÂN TỈNH HÀ TĨNH"); an OCR header that runs into the motto adds more and does not win."""
    if not printed or not looks_like_agency(printed):
        return preamble
    short, full = re.findall(r"\w+", fold(preamble).lower()), re.findall(r"\w+", fold(printed).lower())
    rest = iter(full)
    inside = all(w in rest for w in short)  # a subsequence: each word found after the last
    return printed if inside and 0 < len(full) - len(short) <= 4 else preamble


_RE_LOCAL_GOVERNMENT = re.compile(r"^(?:ubnd|hdnd|uy\s+ban\s+nhan\s+dan|hoi\s+dong\s+nhan\s+dan)\s", re.IGNORECASE)


def _local_place(superior: str) -> str:
    """The level and place a local government prints ("UBND THÀNH PHỐ HÀ NỘI" → "THÀNH PHỐ HÀ
    NỘI", as printed); empty when ``superior`` is no local government or names no known place."""
    superior = superior.strip()
    level, place = _level_and_place(superior)
    if not place or level == "central" or not _RE_LOCAL_GOVERNMENT.match(fold(superior)):
        return ""
    words = superior.split()
    for j in range(len(words)):
        if fold(" ".join(words[j:j + 2])).lower() in LEVEL_WORDS or fold(words[j]).lower() in LEVEL_WORDS:
            return " ".join(words[j:])
    return ""


def _same_body(one: str, other: str) -> bool:
    """Do two names of an issuer name the same body ("UBND tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh
    Lạng Sơn")?"""
    def key(name: str) -> str:
        return re.sub(r"\W+", " ", fold(_normalise_issuer(name, None)).lower()).strip()
    return key(one) == key(other)


def _under_superior(name: str) -> str:
    """The body a header prints under its superior, both run into one line ("BỘ TÀI CHÍNH CỤC
    THUẾ" → "CỤC THUẾ"; "BAN CHẤP HÀNH TRUNG ƯƠNG VĂN PHÒNG" → "Văn phòng Trung ương Đảng"):
    the lower body issues (Decree 30/2020/NĐ-CP, Appendix I).

    :func:`lowest_body` cuts where the grammar sees a second body; it leaves a head word at
    the end whole ("BỘ NỘI VỤ"), so a lower body named by its head alone ("VĂN PHÒNG") is cut
    here only when the words before it are a whole agency the registry knows, and it is two
    words or more. The lower body takes its superior's qualifier when the registry knows the
    name so formed (the party's central offices are "<body> Trung ương Đảng")."""
    from plankg.ingest.extract.agencies import load_registry

    registry = load_registry()
    low, superior = lowest_body(name), None
    if low != name:
        # a cut inside a known name ("TRUNG TÂM PHỤC | VỤ HÀNH CHÍNH CÔNG": "vụ" is a head word)
        # gives way to the longest known name that ends the line
        words = name.split()
        for j in range(1, len(words) - len(low.split())):
            m = registry.resolve(" ".join(words[j:]))
            if m is not None and m.known and m.score >= 100:
                low = " ".join(words[j:])
                break
        superior = registry.resolve(name[: len(name) - len(low)].strip())
    else:
        words = name.split()
        for j in range(2, len(words) - 1):
            if starts_body(" ".join(words[j:])):
                m = registry.resolve(" ".join(words[:j]))
                if m is not None and m.known and m.score >= 100:
                    low, superior = " ".join(words[j:]), m
                    break
    if superior is None or not superior.known or superior.score < 100 or _level_and_place(superior.name)[0] != "central":
        # a ministry's unit keeps its own name ("CỤC THUẾ"); a local government's unit whose
        # name has no place takes the place its superior prints ("UBND THÀNH PHỐ HÀ NỘI" /
        # "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" → "… CÔNG THÀNH PHỐ HÀ NỘI")
        place = _local_place(name[: len(name) - len(low)]) if low != name and _level_and_place(low)[1] is None else ""
        return f"{low} {place}" if place else low
    tail = superior.name.split()
    for i in range(1, len(tail)):
        m = registry.resolve(f"{low} {' '.join(tail[i:])}")
        if m is not None and m.known and m.score >= 100:
            return m.name
    # not registered: the lower body takes the qualifier its superior prints after the body
    # word ("BAN CHẤP HÀNH TRUNG ƯƠNG" / "BAN TỔ CHỨC" → "Ban Tổ chức Trung ương")
    printed = name[: len(name) - len(low)].split()
    head = re.match(r"\s*ban\s+chap\s+hanh\s+", fold(" ".join(printed)), re.IGNORECASE)
    if head:
        qualifier = " ".join(printed)[head.end():].strip()
        return f"{low} {qualifier}" if qualifier else low
    return low


def _registry_spelling(printed: str) -> str | None:
    """The registry's name of a body printed in capitals, when it is that very name (only the
    case differs): its proper nouns keep their capitals ("Thủ tướng Chính phủ")."""
    from plankg.ingest.extract.agencies import load_registry

    m = load_registry().resolve(printed)
    if m is not None and m.known and m.score >= 100 and fold(m.name).lower() == fold(printed).lower():
        return m.name
    return None


def _header_issuer(header: list[Line]) -> str | None:
    """The issuing body printed top-left ("ỦY BAN NHÂN DÂN" / "TỈNH BÌNH PHƯỚC", on one line or
    wrapped anywhere, beside the motto or in its own Markdown cell). Under a superior body
    ("BỘ X" / "CỤC Y", "ĐẢNG BỘ TỈNH X" / "BAN THƯỜNG VỤ") the issuer is the lower one."""
    # the row that prints the motto in a later cell holds the issuer in its first cell: start
    # there (a portal page prints its own metadata table above the document's header)
    row = next((i for i, ln in enumerate(header)
                if "\t" in ln.text and _MOTTO.search(fold(ln.text.split("\t", 1)[1]))), 0)
    block = header[row: row + 12]
    if block:  # a summary run into the row before the header ("… ngày 25/11/2025.\tVĂN PHÒNG …\tCỘNG HÒA …")
        cells = block[0].text.split("\t")
        j = next((j for j, c in enumerate(cells[1:], 1) if _MOTTO.match(fold(_unmark(c)))), 1)
        block = [replace(block[0], text="\t".join(cells[j - 1:])), *block[1:]]
    pieces = _left_column(block)
    # the number line ("Số 07-KL/VPTW", party documents print it under the issuer, no colon)
    # ends the issuer
    pieces = pieces[: next((i for i, p in enumerate(pieces) if _RE_NUMBER_LINE.match(fold(p))), len(pieces))]
    if not pieces:
        return None
    start = 0
    for i, piece in enumerate(pieces[1:], 1):
        if starts_body(piece):
            start = i
    text = _under_superior(re.sub(r"\s+", " ", " ".join(pieces[start:])).strip())
    if not re.search(r"[^\W\d_]", text) or KIND_TABLE.from_name(text):
        return None
    if text.isupper() and (known := _registry_spelling(text)):
        return known  # "THỦ TƯỚNG CHÍNH PHỦ" → "Thủ tướng Chính phủ", as the registry writes it
    if text.isupper():  # "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC" → "Ủy ban nhân dân tỉnh Bình Phước"
        words = text.lower().split()
        levels = {"tỉnh", "phường", "xã", "huyện", "thị", "phố", "quận"}
        cut = next((j + 1 for j, w in enumerate(words) if w in levels), len(words))
        words = [w.upper() if w in ("ubnd", "hđnd") else w for w in words[:cut]] + [w.capitalize() for w in words[cut:]]
        text = " ".join(words)
        text = text[0].upper() + text[1:]
    return text


def _has_header_row(head: list[Line]) -> bool:
    """Does ``head`` open with a document header: a row with the issuer's cell and the motto
    in a later cell, or (text without cells) the motto's line under a few issuer lines?"""
    for i, ln in enumerate(head):
        if "\t" in ln.text and _MOTTO.search(fold(ln.text.split("\t", 1)[1])):
            return True
        if _MOTTO.match(fold(_unmark(ln.text))):
            return 0 < i <= 4
    return False


def _letter_issuer(head: list[Line], preamble: str | None, inferred: list[str]) -> str | None:
    """The issuer of a document without a kind line (a letter: "Số: …  V/v …"): the body its
    header row prints wins over a preamble's guess — a letter is not enacted, and its first
    sentence ("… do Bộ X chuyển đến …") names others. ``inferred`` loses "issuer" then."""
    printed = _header_issuer(head) if _has_header_row(head) else None
    if not printed or not looks_like_agency(printed):
        return preamble
    if "issuer" in inferred:
        inferred.remove("issuer")
    return printed


def _kind_of(words: str) -> str | None:
    """Canonical kind for two printed words, OCR noise ("K¢é hoach") ignored."""
    kind = KIND_TABLE.from_name(re.sub(r"[^A-Za-z ]", "", fold(words)))
    return kind.name if kind else None


def _province_prefix(folded_tail: str) -> str | None:
    """The known province the (folded) words start with: "Binh Phuoc Doc lap" → "Bình Phước"."""
    words = re.sub(r"[^\w\s-]", " ", folded_tail).split()
    for n in range(min(5, len(words)), 0, -1):
        p = _PROVINCE_BY_FOLD.get(" ".join(words[:n]).lower())
        if p:
            return p
    return None


def _restore_place(name: str) -> str:
    """"Binh Phuoc" → "Bình Phước" when the name is a known province."""
    return _PROVINCE_BY_FOLD.get(fold(name).lower().strip(), name)


def _normalise_issuer(issuer: str, locality: str | None) -> str:
    """Short form "UBND"; add the place when the issuer names only the level ("UBND tỉnh")."""
    s = re.sub(r"^(Ủy|Uỷ|Uy|ỦY|UỶ|UY)\s+(ban|BAN)\s+(nhân|nhan|NHÂN|NHAN)\s+(dân|dan|DÂN|DAN)\b", "UBND", issuer)
    f = fold(s).lower()
    m = re.match(r"^ubnd\s+(tinh|thanh pho|huyen|thi xa|quan|xa|thi tran|phuong)\b\s*(.*)$", f)
    if m:
        level = LEVEL_WORDS[m.group(1)][0]
        rest = s[len(s) - len(m.group(2)):] if m.group(2) else ""
        place = _restore_place(rest) if rest else (locality or "")
        return f"UBND {level} {place}".strip()
    if re.search(r"\btinh uy$", f) and locality:
        return f"{s} {locality}"
    return s


def _level_and_place(issuer: str | None) -> tuple[str | None, str | None]:
    """(level, locality) named by an issuer string, either may be None."""
    if not issuer:
        return None, None
    f = fold(issuer).lower()
    if any(f.startswith(c) or f == c for c in _CENTRAL):
        return "central", None
    m = re.search(r"\btinh uy\b\s*(.*)$", f)
    if m:
        return "province", _place_from(issuer, m.group(1))
    issuer = unicodedata.normalize("NFC", issuer)
    # the level word as printed: folded, "Cục Hải quan" would name a district ("quan" = "quận");
    # a header printed without accents is read folded
    printed = issuer.lower() if fold(issuer) != issuer else f
    for word in sorted(LEVEL_WORDS, key=len, reverse=True):
        form = LEVEL_WORDS[word][0] if printed is not f else word
        m = re.search(rf"(?<!\w){re.escape(form)}(?!\w)\s*(.*)$", printed)
        if m:
            level = LEVEL_WORDS[word][1]
            place = _place_from(issuer, m.group(1))
            if word == "thanh pho" and place and place not in PROVINCES:
                level = "district"
            return level, place
    return None, None


def _place_from(issuer: str, folded_tail: str) -> str | None:
    tail = issuer[len(issuer) - len(folded_tail):].strip() if folded_tail else ""
    return _restore_place(tail) if tail else None


def _frequent_province(lines: list[Line]) -> str | None:
    """The province the text names most often ("tỉnh Bình Phước")."""
    counts: Counter[str] = Counter()
    folded = fold(" ".join(ln.text for ln in lines))
    for m in re.finditer(r"\btinh\s+((?:[A-Z]\w*\s*){1,4})", folded):
        p = _province_prefix(m.group(1))
        if p:
            counts[p] += 1
    return counts.most_common(1)[0][0] if counts else None


def _signer(lines: list[Line]) -> str | None:
    """The person's name under the signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name")."""
    seen_role = False
    for ln in lines:
        if _SIGN_ROLES.search(ln.folded.upper()) and ln.text.upper() == ln.text:
            seen_role = True
            continue
        if not seen_role:
            continue
        words = ln.text.split()
        if 2 <= len(words) <= 5 and all(w[0].isupper() and w[1:].islower() for w in words if w.isalpha()) \
                and all(w.isalpha() for w in words) and ln.text.upper() != ln.text:
            return ln.text
        if re.match(r"^\s*phu\s+luc\b", ln.folded, re.IGNORECASE):
            break
    return None


def extract_document(source: SourceText) -> DocumentRecord:  # noqa: C901, PLR0915 - one fallback chain per field; split by field is the next step of #10
    """Kind, symbol, date, issuer, place, title and signer of one plan."""
    lines = text_lines(source)
    first, last = body_bounds(lines)
    head = lines[:first] if first else lines[: min(len(lines), 40)]
    tail = lines[last:] if last else []
    inferred: list[str] = []

    head = _split_kind(_title_cells(head))
    k = _kind_line(head)
    title_lines = _title_lines(head, k, len(head)) if k is not None else []
    # the enacting body on its own line under the title: read when nothing above the kind line
    # names an issuer — no header at all, or a header row whose issuer cell the scrape lost
    # ("--------- | CỘNG HÒA … | Số: 1663/NQ-UBTVQH15" / "NGHỊ QUYẾT" / … / "ỦY BAN THƯỜNG VỤ QUỐC HỘI")
    found_line = (_issuer_line(title_lines + _after_rule(head, k, title_lines))
                  if k == 0 or (k and _header_issuer(head[:k]) is None) else None)
    issuer_line = found_line[1] if found_line else None
    if found_line is not None:
        title_lines = title_lines[: found_line[0]]
    else:
        title_lines = _enacting_cut(title_lines)
    found = KIND_TABLE.from_name(_kind_words(head[k].text) or "") if k is not None else None
    kind = found.name if found else None
    run_on = _kind_rest(head[k].text) if k is not None else None
    title = join(([run_on] if run_on else []) + [ln.text for ln in title_lines]) or None
    span = source.span(head[k].start, (title_lines[-1] if title_lines else head[k]).end) if k is not None else None

    header = head[:k] if k is not None else head
    number, symbol, doc_date, year = _header_symbol_and_date(header or head)
    selfref = _self_reference(tail)
    if selfref is None and not tail and k == 0:
        # a page with no header block and no body bounds (a resolution in articles): its
        # appendix's note names the document it belongs to — when it names this kind
        found_ref = _self_reference(lines[len(title_lines) + 1:])
        if found_ref and kind and KIND_TABLE.from_name(str(found_ref["kind"])) is found:
            selfref = found_ref
    if symbol is None and selfref and selfref.get("num") and not _header_symbol(header or head)[2]:
        # no header at all, but the appendix says "Kèm theo Kế hoạch số 57/KH-UBND …"
        number = str(selfref["num"])
        symbol = f"{number}/{selfref['code']}"
    if doc_date is None and selfref and selfref.get("date"):
        doc_date = selfref["date"]  # type: ignore[assignment]
    # The signature stamps (seed 000) date the *release of the file*, not the document:
    # they are not used for ``date`` (the gold agrees).
    if year is None and doc_date is None and selfref and selfref.get("year"):
        year = selfref["year"]  # type: ignore[assignment]
        inferred.append("year")
    if doc_date is None and k is not None and not (header and _header_date(header)[1]):
        # no place-date line (none printed, or the header row lost it): a resolution's closing
        # line dates its adoption ("Nghị quyết này được … thông qua ngày 16 tháng 6 năm 2025")
        doc_date = _adopted_on(lines[-12:])
        if doc_date:
            inferred.append("date")
    if doc_date:
        year = doc_date.year

    pre = head[(k or 0):] if k is not None else head
    issuer, pre_kind, subject = _preamble_issuer(pre, _preamble_end(pre))
    if k is None:
        if pre_kind and not _asks_first(head) and not (symbol and _numbered_subject(head)):
            # a Q&A page's "ban hành Kế hoạch…" is no kind, nor is a letter's (below)
            kind = pre_kind
            inferred.append("kind")
        if issuer:
            inferred.append("issuer")
        if year is None and subject:
            ym = re.search(r"\bn\S{1,3}m\s+(\d{4})\b", fold(subject))
            if ym:
                year = int(ym.group(1))
                inferred.append("year")
    if (kind is None or kind == _GENERIC_KIND) and symbol and _subject_line(header or head):
        # an official letter prints no kind name: its number is followed by "V/v <subject>"
        # (Decree 30/2020/NĐ-CP, Appendix I: công văn)
        kind = _LETTER_KIND
        inferred.append("kind")
    if issuer and (KIND_TABLE.from_name(issuer) or not looks_like_agency(issuer)):
        issuer = None  # "QUYẾT ĐỊNH ban hành Kế hoạch …": the title, not who issues
    if k is not None and issuer is not None:
        printed = _header_issuer(header)
        body = without_title(printed) if printed else None
        cleaned = clean_name(printed) if printed else ""
        title_word = cleaned[: len(cleaned) - len(body)].strip() if body and body != cleaned and cleaned.endswith(body) else ""
        issuer = _issuer_of_record(issuer, body if title_word else printed)
        if title_word and not fold(issuer).lower().startswith(fold(title_word).lower()):
            # the header prints the official ("CHỦ TỊCH … THÀNH PHỐ HUẾ"): the decision is his,
            # also when the preamble's body wins over a misprinted header
            issuer = f"{title_word} {issuer[:1].upper()}{issuer[1:]}"
    if issuer is None and issuer_line is not None:
        issuer = _issuer_of_line(issuer_line.text)
    if issuer is None and selfref and selfref.get("issuer"):
        issuer = str(selfref["issuer"])
        printed = _header_issuer(header) if k is not None else None
        if printed and without_title(issuer) != issuer and _same_body(without_title(issuer), printed):
            # an appendix's note ("Kèm theo Quyết định số … của Chủ tịch UBND tỉnh Lạng Sơn")
            # names the official who signs for the body the header prints: the body issues
            issuer = printed
    if issuer is None and k is not None:
        issuer = _header_issuer(header)
    if k is None:
        issuer = _letter_issuer(head, issuer, inferred)
    if issuer is None and k == 0 and not header:
        issuer = _closing_issuer(lines[-40:])
        if issuer:
            inferred.append("issuer")

    level, locality = _level_and_place(issuer)
    if locality is None:
        candidates = [str(selfref["issuer"])] if selfref and selfref.get("issuer") else []
        header_issuer = _header_issuer(header) if k is not None else None
        candidates += [header_issuer] if header_issuer else []
        candidates += [ln.text for ln in header[:4]] if k is not None else []
        for candidate in candidates:
            m = re.search(r"\b(tinh|thanh pho|phuong|xa|huyen|thi xa)\s+(.+)$", fold(candidate), re.IGNORECASE)
            loc = _province_prefix(m.group(2)) if m else None
            if loc:
                locality = loc
                level = level or LEVEL_WORDS[m.group(1).lower()][1]  # type: ignore[union-attr]
                break
    if locality is None:
        locality = _frequent_province(lines)
        if locality:
            inferred.append("locality")
    if issuer:
        issuer = _normalise_issuer(clean_letters(issuer), locality)
        if (locality and re.search(r"\b(tinh|phuong|xa|huyen|thanh pho)$", fold(issuer).lower())
                and not fold(issuer).lower().endswith(fold(locality).lower())):
            issuer = f"{issuer} {locality}"  # "Ban Chỉ đạo về chuyển đổi số tỉnh" + where

    if issuer and not re.search(r"[^\W\d_]", issuer):
        issuer = None  # "-": no issuer printed
    return DocumentRecord(
        kind=kind, number=number, symbol=symbol, date=doc_date, issuer=issuer,
        locality=locality, locality_level=level, title=clean_letters(title) if title else None,
        signer=_signer(tail), year=year, inferred=inferred, span=span,
    )
