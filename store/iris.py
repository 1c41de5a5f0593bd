"""Stable IRIs for documents, their parts, renditions and agencies.

Document IRIs follow ELI's shape — jurisdiction / issuer / type / year / number — so they
are computed from what the document *is*, never from file names or ingest order:
``eli/vn/tw/nq/2024/57`` (57-NQ/TW), ``eli/binh-phuoc/ubnd/kh/2025/57`` (57/KH-UBND of
Bình Phước). A document without a printed number (drafts, seed 003) gets a number-free
key derived from its kind, issuer and title, marked ``_`` so it never collides.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from plankg.folding import slugify

# Issuer codes whose documents are national ("vn"), not local.
CENTRAL_ISSUERS = {
    "tw", "cp", "ttg", "qh", "bcdtw", "ubtvqh",
    # ministries issuing letters and circulars
    "btttt", "bkhcn", "btc", "bnv", "bkhdt", "byt", "bgddt", "bca", "bqp",
}

TYPE_CODES = {
    "nghị quyết": "nq", "kế hoạch": "kh", "chương trình": "ctr", "quyết định": "qd",
    "nghị định": "nd", "tờ trình": "ttr", "kết luận": "kl", "chỉ thị": "ct", "công văn": "cv",
    "thông tư": "tt", "luật": "luat", "kế hoạch hành động": "kh", "chương trình hành động": "ctr",
}


@dataclass(frozen=True)
class DocumentKey:
    """What identifies a document: symbol + year (+ jurisdiction), or kind + issuer + title."""

    jurisdiction: str  # "vn" or a locality slug
    issuer: str  # issuer code slug: "tw", "ubnd", "tu", "bcd-cds"
    type_code: str  # "nq", "kh", …
    year: int | None
    number: str | None  # "57", "107-2021" for 107/2021/NĐ-CP
    fallback: str | None = None  # hash for number-free documents

    def path(self) -> str:
        year = str(self.year) if self.year else "_"
        num = self.number if self.number else f"_{self.fallback}"
        return f"eli/{self.jurisdiction}/{self.issuer}/{self.type_code}/{year}/{num}"


_SYMBOL_STATE = re.compile(r"^(?P<num>\d+)(?:/(?P<year>\d{4}))?/(?P<type>[^-/\s]+)-(?P<issuer>\S+)$")
_SYMBOL_PARTY = re.compile(r"^(?P<num>\d+)-(?P<type>[^/\s]+)/(?P<issuer>\S+)$")
_SYMBOL_LETTER = re.compile(r"^(?P<num>\d+)/(?P<issuer>[^-/\s]+)(?:-\S+)?$")


# Type codes of the reference (docs: shared/reference); a symbol whose first code is not
# one of these is an official letter "{number}/{ISSUER}-{UNIT}" (163/STTTT-BCVTCNTT).
KNOWN_TYPE_CODES = {"nq", "kh", "ctr", "qd", "nd", "ttr", "kl", "ct", "tt", "tb", "bc", "hd", "ttlt", "qc", "da", "l"}
KIND_BY_CODE = {
    "nq": "Nghị quyết", "kh": "Kế hoạch", "ctr": "Chương trình", "qd": "Quyết định", "nd": "Nghị định",
    "ttr": "Tờ trình", "kl": "Kết luận", "ct": "Chỉ thị", "cv": "Công văn",
}


def kind_from_symbol(symbol: str) -> str | None:
    parsed = parse_symbol(symbol)
    return KIND_BY_CODE.get(parsed[1] or "") if parsed else None


def parse_symbol(symbol: str) -> tuple[str, str | None, str, str | None] | None:
    """Split a symbol into (number, type code, issuer code, year-in-symbol); None if unparseable."""
    s = re.sub(r"\s+", "", symbol)
    m = _SYMBOL_STATE.match(s)
    if m and slugify(m["type"]) in KNOWN_TYPE_CODES:
        return m["num"], slugify(m["type"]), slugify(m["issuer"]), m["year"]
    if m and not m["year"]:  # an official letter: the first code is the issuing body
        return m["num"], "cv", slugify(m["type"]), None
    m = _SYMBOL_PARTY.match(s)
    if m:
        return m["num"], slugify(m["type"]), slugify(m["issuer"]), None
    m = _SYMBOL_LETTER.match(s)
    if m:
        return m["num"], "cv", slugify(m["issuer"]), None
    return None


def document_key(
    *, symbol: str | None, kind: str | None, year: int | None, locality_slug: str | None,
    issuer_slug: str | None = None, title: str | None = None,
) -> DocumentKey:
    type_code = TYPE_CODES.get((kind or "").lower(), slugify(kind or "doc") or "doc")
    parsed = parse_symbol(symbol) if symbol else None
    if parsed:
        number, tcode, issuer, sym_year = parsed
        if tcode == "cv" and (kind or "").lower() in TYPE_CODES:
            tcode = type_code
        if sym_year:
            number = f"{number}-{sym_year}"
            year = year or int(sym_year)
        jurisdiction = "vn" if issuer in CENTRAL_ISSUERS else (locality_slug or "vn")
        return DocumentKey(jurisdiction, issuer, tcode or type_code, year, number.lstrip("0") or "0")
    digest = hashlib.sha1(slugify(f"{kind}|{issuer_slug}|{title}").encode()).hexdigest()[:8]
    return DocumentKey(locality_slug or "vn", issuer_slug or "unknown", type_code, year, None, digest)


def document_iri(base: str, key: DocumentKey) -> str:
    return base + key.path()


def part_iri(doc_iri: str, kind: str, path: str) -> str:
    """Task, target and section IRIs sit under their document: ``{doc}/task/pl2-56``.

    "đ" is a letter of its own in item lists (a, b, c, d, đ, e…): it becomes "dd" so that
    items d) and đ) never share an IRI."""
    path = path.replace("đ", "dd").replace("Đ", "DD")
    return f"{doc_iri}/{kind}/{slugify(path.replace('.', '-')) or '_'}"


def source_iri(base: str, file_name: str) -> str:
    return f"{base}source/{slugify(file_name)}"


def source_graph_iri(base: str, file_name: str) -> str:
    return f"{base}graph/source/{slugify(file_name)}"


def agency_iri(base: str, agency_id: str, collective: bool = False) -> str:
    return f"{base}{'group' if collective else 'agency'}/{agency_id}"


def merged_graph_iri(base: str) -> str:
    return f"{base}graph/merged"


def registry_graph_iri(base: str) -> str:
    return f"{base}graph/registry"


def ontology_graph_iri(base: str) -> str:
    return f"{base}graph/ontology"
