"""Citations of other documents ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị").

Why per occurrence: the same document is cited many times with different roles — in the
title (what this plan implements), after "Căn cứ" (its legal basis), in passing. The
graph builder merges occurrences by identity (symbol + date, or symbol + issuer + year),
so each record keeps its own span and the role of *that* occurrence; an occurrence
without a date ("sau đây viết tắt là Nghị quyết số 57-NQ/TW") takes the date of an
earlier occurrence of the same symbol in the file so that it lands on the same identity.

Symbols are recognised by shape, not by a list: state documents ``57/KH-UBND``,
``107/2021/NĐ-CP``, ``163/STTTT-BCVTCNTT``; party documents ``57-NQ/TW``. Line breaks and
stray spaces inside a symbol ("57- NQ/TW", "346/TTr-\\nSKHCN") are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from plankg.folding import fold_cased as fold
from plankg.ingest.extract.document_meta import _fix_code, parse_vn_date
from plankg.ingest.extract.structure import body_bounds, text_lines, text_offset
from plankg.ingest.model import CitationRecord, DocumentRecord, SourceText
from plankg.ingest.readers.normalize import join_lines
from plankg.ontology.kinds import load_kinds

#: The one table of document kinds (ontology/registry/document_kinds.yaml): type codes
#: in symbols ("NQ", "CTr", "QĐ") and the words printed before a number ("Kế hoạch số …").
KINDS = load_kinds()

_WS = r"[ \t]*(?:\n[ \t]*){0,4}"  # a symbol may wrap onto the next line(s)
_SEG = r"[A-ZĐ][A-ZĐ0-9&]*[a-z]?(?![\wÀ-ỹ])"
_RE_STATE = re.compile(
    rf"(?<![\w/.\-])(?P<num>\d{{1,5}}){_WS}/{_WS}(?:(?P<year>(?:19|20)\d{{2}}){_WS}/{_WS})?"
    rf"(?P<a>[A-ZĐ][A-ZĐ]*[a-z]?){_WS}-{_WS}(?P<b>{_SEG}(?:-{_SEG})*)")
_RE_PARTY = re.compile(
    rf"(?<![\w/.\-])(?P<num>\d{{1,5}}){_WS}-{_WS}(?P<a>[A-ZĐ][A-ZĐ]*[a-z]?){_WS}/{_WS}(?P<b>{_SEG})")
_RE_KIND_BEFORE = re.compile(
    r"(?P<kind>" + KINDS.names_pattern()
    + r")(?:\s+hanh\s+dong)?\s*(?:s\S{0,2}\s*:?\s*)?$", re.IGNORECASE)
_RE_DATE_AFTER = re.compile(
    r"^\s*,?\s*ng\S{1,3}\s*(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+th\S{2,4}\s+(?P<m2>\d{1,2})\s+n\S{1,3}\s+(?P<y2>\d{4}))", re.IGNORECASE)
_RE_ISSUER_AFTER = re.compile(r"^\s*,?\s*c\S{1,3}\s+(?=\S)", re.IGNORECASE)
_ISSUER_STOP = re.compile(
    r"\s(?:ve|ban\s+hanh|trien\s+khai|thuc\s+hien|phe\s+duyet|theo|tai|va|quy\s+dinh|huong\s+dan|"
    r"sua\s+doi|so|nghi\s+quyet|ke\s+hoach|quyet\s+dinh|nghi\s+dinh|chuong\s+trinh|"
    r"trong|tren|de|nham|kem\s+theo)\b|[,;.:()\"“”]|\s\d", re.IGNORECASE)
_COMPLETE = re.compile(r"(chinh phu|chinh tri|quoc hoi|tinh uy|thanh uy|ubnd tinh|nhan dan tinh)$", re.IGNORECASE)
_RE_OPENER = re.compile(
    r"(?P<basis>c\S{1,2}n\s+c\S{1,2}\b)|(?P<impl>(?:tri\S{1,3}n\s+khai\s+)?th\S{1,3}c\s+hi\S{1,3}n\b)|"
    r"(?P<proposal>theo\s+\S{1,3}\s+ngh\S{1,2}\b)", re.IGNORECASE)
_RE_AMENDS = re.compile(r"s\S{1,2}a\s+\S{1,3}i\s*,\s*b\S{1,2}\s+sung", re.IGNORECASE)


@dataclass
class _Hit:
    start: int
    end: int  # end of the whole phrase (symbol, date, issuer)
    sym_start: int
    sym_end: int
    symbol: str
    kind: str | None
    date: date | None
    issuer: str | None


def _symbol(m: re.Match[str], party: bool) -> str:
    a, b = _fix_code(m.group("a")), "-".join(_fix_code(x) for x in m.group("b").split("-"))
    if party:
        return f"{m.group('num')}-{a}/{b}"
    year = f"{m.group('year')}/" if m.group("year") else ""
    return f"{m.group('num')}/{year}{a}-{b}"


def _collapse(s: str) -> str:
    s = re.sub(r"\n[ \t]*\d{1,3}[ \t]*(?=\n)", "\n", s)  # page numbers inside a phrase
    return re.sub(r"\s+", " ", s).strip()


def _printed(s: str) -> str:
    """The cited phrase on one line: "346/TTr-⏎SKHCN" joined back, page numbers dropped."""
    return join_lines(re.sub(r"\n[ \t]*\d{1,3}[ \t]*(?=\n)", "\n", s))


def _find(text: str) -> list[_Hit]:
    """Every symbol in ``text`` with the kind, date and issuer printed around it."""
    matches: list[tuple[re.Match[str], bool]] = [(m, False) for m in _RE_STATE.finditer(text)]
    matches += [(m, True) for m in _RE_PARTY.finditer(text)]
    matches.sort(key=lambda x: x[0].start())
    hits: list[_Hit] = []
    last_end = -1
    for m, party in matches:
        if m.start() < last_end:
            continue
        last_end = m.end()
        symbol = _symbol(m, party)
        start, end = m.start(), m.end()
        a = _fix_code(m.group("a"))
        coded = KINDS.from_code(a)
        kind = coded.name if coded else None
        before = fold(text[max(0, start - 40): start])
        kb = _RE_KIND_BEFORE.search(before)
        if kb:
            start -= len(before) - kb.start()
            worded = KINDS.from_name(kb.group("kind"))
            kind = kind or (worded.name if worded else None)
        after = text[end: end + 160]
        dm = _RE_DATE_AFTER.match(fold(after))
        d = None
        if dm:
            d = parse_vn_date(dm.group("d") or dm.group("d2"), dm.group("m") or dm.group("m2"),
                              dm.group("y") or dm.group("y2"))
            end += dm.end()
        issuer, iend = _issuer_after(text, end)
        if issuer:
            end = iend
        else:
            issuer = _issuer_before(text, start)
        if kind is None and hits and re.fullmatch(r"\s*(?:,|va|và)\s*", text[hits[-1].end: start]):
            kind = hits[-1].kind  # "văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT"
        hits.append(_Hit(start, end, m.start(), m.end(), symbol, kind, d, issuer))
    return hits


def parse_reference(text: str) -> tuple[str | None, str, date | None, str | None] | None:
    """(kind, symbol, date, issuer) when ``text`` is one whole reference phrase and nothing
    else ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"); None otherwise — a
    sentence that goes on after the phrase ("… được Chính phủ ban hành nhằm mục đích gì?")
    is not a reference but prose about one."""
    hits = _find(text)
    if len(hits) != 1:
        return None
    h = hits[0]
    if text[: h.start].strip() or text[h.end:].strip(" .") or h.kind is None or h.date is None:
        return None
    return h.kind, h.symbol, h.date, h.issuer


def _issuer_after(text: str, pos: int) -> tuple[str | None, int]:
    """"của Bộ Chính trị" after a symbol or date, up to the first word that starts the subject."""
    window = re.sub(r"\n[ \t]*\d{1,3}[ \t]*\n", lambda m: " " * len(m.group(0)), text[pos: pos + 160])
    fw = fold(window)
    m = _RE_ISSUER_AFTER.match(fw)
    if not m:
        return None, pos
    stop = _ISSUER_STOP.search(fw, m.end())
    stop_at = stop.start() if stop else len(fw)
    for nl in re.finditer(r"\n", fw[m.end(): stop_at]):  # a table cell ends at a complete name
        if _COMPLETE.search(fw[m.end(): m.end() + nl.start()].rstrip()):
            stop_at = m.end() + nl.start()
            break
    issuer = _collapse(window[m.end(): stop_at])
    words = issuer.split()
    if not words or len(words) > 10 or not words[0][0].isupper():
        return None, pos
    return issuer, pos + m.end() + len(window[m.end(): stop_at].rstrip())


def _issuer_before(text: str, start: int) -> str | None:
    """"của Sở Khoa học và Công nghệ tại Tờ trình số …": the issuer printed before the kind."""
    before = text[max(0, start - 120): start]
    m = re.search(r"\bc\S{1,3}\s+(?P<who>[A-ZĐÀ-Ỹ][^,;()]{2,80}?)\s+t\S{1,2}i\s*$", before)
    if m and fold(m.group(0)).lower().startswith(("cua ", "ctia ", "ciia ", "cta ")):
        return _collapse(m.group("who"))
    return None


def _clauses(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Clauses of the preamble: (start, end, mode) — mode set by the clause's opener.

    A clause without its own opener continues the list of the previous one
    ("Thực hiện Kế hoạch A …; Kế hoạch B …").
    """
    seg = text[lo:hi]
    cuts = {0, len(seg)}
    cuts.update(m.end() for m in re.finditer(r";", seg))
    cuts.update(m.start() for m in re.finditer(r"(?m)^[ \t]*\S", seg) if _opens(seg[m.start(): m.start() + 30]))
    bounds = sorted(cuts)
    out: list[tuple[int, int, str]] = []
    mode = "mention"
    for a, b in pairwise(bounds):
        head = fold(seg[a:b]).lstrip(" \n\t;,")
        m = _RE_OPENER.match(head) if _opens(head) else None
        if m:
            mode = "basis" if m.group("basis") else "implements" if m.group("impl") else "proposal"
        out.append((lo + a, lo + b, mode))
    return out


def _opens(s: str) -> bool:
    """A clause opener ("Căn cứ", "Thực hiện", "Theo đề nghị") starts with a capital."""
    s = s.lstrip(" \n\t;,")
    return bool(s) and s[0].isupper() and bool(_RE_OPENER.match(fold(s)))


def _subject_start(text: str, lo: int, hi: int) -> int | None:
    """Where "<issuer> ban hành <Kế hoạch> …" begins: what follows is this plan's subject."""
    f = fold(text[lo:hi])
    found = list(re.finditer(r"\bban\s+hanh\s+\S{1,4}\s+h\S{1,3}ch|\bban\s+hanh\s+ch\S{1,3}ng\s+tr", f, re.IGNORECASE))
    return lo + found[-1].start() if found else None


def _direct(text: str, prev_end: int, start: int) -> bool:
    """True when only list punctuation separates a citation from the previous one."""
    gap = fold(text[prev_end:start]).lower()
    return re.sub(r"\bva\b|[\s,;.]", "", gap) == ""


def _amended(text: str, hit: _Hit, hits: list[_Hit]) -> str | None:
    """The symbol a cited document amends ("… về sửa đổi, bổ sung …")."""
    tail = text[hit.end: hit.end + 240]
    clause = re.split(r";|\n[ \t]*\n[ \t]*(?=[A-ZĐ])|\)\.", tail)[0]
    m = _RE_AMENDS.search(fold(clause))
    if not m or m.start() > 40:
        return None
    rest_start = hit.end + m.end()
    nxt = next((h for h in hits if h.sym_start >= rest_start and h.sym_start < hit.end + len(clause)), None)
    if nxt is None:
        return None
    between = fold(text[rest_start: nxt.start]).lower()
    if not re.search(r"thuc hien|trien khai", between):
        return nxt.symbol
    # "sửa đổi, bổ sung Chương trình hành động … thực hiện Nghị quyết 57": the amended
    # document is the one cited elsewhere as issuing that programme.
    described = re.sub(r"[^a-z ]", "", between)
    km = re.search(KINDS.names_pattern(), described)
    if km is None:
        return None
    head = " ".join(described[km.start():].split()[:4])
    for other in hits:
        if other.symbol in (hit.symbol, nxt.symbol) or other.sym_start > hit.sym_start:
            continue
        ctx = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/ -]", "", fold(text[other.end: other.end + 300]).lower()))
        if "ban hanh " + head in ctx and nxt.symbol.lower() in ctx.replace(" ", ""):
            return other.symbol
    return None


_RE_TITLE_AMENDS = re.compile(r"^\W*(?:(?:" + KINDS.names_pattern() + r")\W+)?(?:ve\s+viec\s+)?s\S{1,2}a\s+\S{1,3}i\s*,\s*b\S{1,2}\s+sung\b", re.IGNORECASE)
_RE_CARRIES = re.compile(r"\b(?:thuc\s+hien|trien\s+khai|thi\s+hanh)\b", re.IGNORECASE)


def _title_amends(text: str, title: tuple[int, int] | None, hit: _Hit) -> bool:
    """The document's own title amends the cited one ("NGHỊ QUYẾT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU
    CỦA QUY ĐỊNH KÈM THEO NGHỊ QUYẾT SỐ 09/2022/NQ-HĐND"): the title opens with the amending
    words and nothing between them and the citation says the document carries it out (a plan
    "TRIỂN KHAI THI HÀNH LUẬT SỬA ĐỔI, BỔ SUNG …" implements an amending law, it amends nothing)."""
    if title is None or not title[0] <= hit.sym_start < title[1]:
        return False
    before = fold(text[title[0]:hit.start]).lower()
    m = _RE_TITLE_AMENDS.search(before)
    return m is not None and _RE_CARRIES.search(before[m.end():]) is None


def extract_citations(source: SourceText, document: DocumentRecord) -> list[CitationRecord]:
    """Every citation of another document, one record per occurrence, in reading order."""
    text = source.text
    lines = text_lines(source)
    first, _ = body_bounds(lines)
    body_start = lines[first].start if lines and first else len(text)
    title = (text_offset(source, document.span.start), text_offset(source, document.span.end)) if document.span else None
    pre_lo = title[1] if title else 0
    clauses = _clauses(text, pre_lo, body_start)
    subject = _subject_start(text, pre_lo, body_start)
    closing = re.search(r"^[ \t]*Tr\S{1,2}n\s+\S{1,3}y\s+\S{1,2}\s", text[body_start:], re.MULTILINE | re.IGNORECASE)
    closing_at = body_start + closing.start() if closing else None

    hits = _find(text)
    out: list[CitationRecord] = []
    dates: dict[str, list[tuple[int, date]]] = {}
    prev: _Hit | None = None
    prev_direct = False
    for h in hits:
        if document.symbol and h.symbol == document.symbol and (h.date is None or h.date == document.date):
            continue
        relation = "mention"
        if title and title[0] <= h.sym_start < title[1] or subject is not None and subject <= h.sym_start < body_start or closing_at is not None and h.sym_start >= closing_at and h.sym_start - closing_at < 400:
            relation = "implements"
        elif pre_lo <= h.sym_start < body_start:
            clause = next((c for c in clauses if c[0] <= h.sym_start < c[1]), None)
            if clause and clause[2] in ("basis", "implements"):
                first_in_clause = prev is None or prev.end <= clause[0]
                if first_in_clause or (prev_direct and _direct(text, prev.end, h.start)):  # type: ignore[union-attr]
                    relation = clause[2]
            prev_direct = relation != "mention"
        amends = _amended(text, h, hits)
        if amends and relation != "implements":
            relation = "amends"  # the graph builder links the amended document only for "amends"
        elif amends is None and _title_amends(text, title, h):
            relation = "amends"  # no amended symbol: this document amends the cited one
        d = h.date
        if d is None:
            earlier = [x for x in dates.get(h.symbol, []) if x[0] < h.start]
            d = earlier[-1][1] if earlier else None
        if h.date is not None:
            dates.setdefault(h.symbol, []).append((h.start, h.date))
        out.append(CitationRecord(
            kind=h.kind, symbol=h.symbol, date=d, issuer=h.issuer, relation=relation,  # type: ignore[arg-type]
            amends_symbol=amends, span=source.span(h.start, h.end), text=_printed(text[h.start:h.end]),
        ))
        prev = h
    _inherit_later_dates(out)
    return out


def _inherit_later_dates(records: list[CitationRecord]) -> None:
    """A symbol cited first without a date takes the one date the file prints for it."""
    known: dict[str, set[date]] = {}
    for r in records:
        if r.date:
            known.setdefault(r.symbol, set()).add(r.date)
    for r in records:
        if r.date is None and len(known.get(r.symbol, ())) == 1:
            r.date = next(iter(known[r.symbol]))
