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
from plankg.ontology.kinds import load_kinds

# Issuer codes whose documents are national ("vn"), not local.
CENTRAL_ISSUERS = {
    "tw", "cp", "ttg", "qh", "bcdtw", "ubtvqh",
    # ministries issuing letters and circulars
    "btttt", "bkhcn", "btc", "bnv", "bkhdt", "byt", "bgddt", "bca", "bqp",
}

#: The one table of document kinds (ontology/registry/document_kinds.yaml): a kind's IRI
#: segment (``iri``) and the type codes read in state symbols (``iri_type_codes``).
KINDS = load_kinds()


def type_segment(kind: str | None) -> str:
    """The type segment of a document IRI for a kind name: "Kế hoạch" → "kh", "Thông báo" →
    "thong-bao"; a name outside the table → its slug; no kind → "doc"."""
    known = KINDS.from_name(kind) if kind else None
    if known is not None:
        return known.iri_segment
    return slugify(kind or "doc") or "doc"


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


def kind_from_symbol(symbol: str) -> str | None:
    """The kind a symbol's type code names ("57-NQ/TW" → "Nghị quyết"); letters are "Công văn"."""
    parsed = parse_symbol(symbol)
    known = KINDS.from_code(parsed[1]) if parsed and parsed[1] else None
    return known.name if known else None


def parse_symbol(symbol: str) -> tuple[str, str | None, str, str | None] | None:
    """Split a symbol into (number, type code, issuer code, year-in-symbol); None if unparseable."""
    s = re.sub(r"\s+", "", symbol)
    m = _SYMBOL_STATE.match(s)
    if m and slugify(m["type"]) in KINDS.iri_type_codes:
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
    type_code = type_segment(kind)
    known = KINDS.from_name(kind) if kind else None
    parsed = parse_symbol(symbol) if symbol else None
    if parsed:
        number, tcode, issuer, sym_year = parsed
        if tcode == "cv" and known is not None and known.iri is not None:
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


def alignment_graph_iri(base: str) -> str:
    """Links from tasks to the higher-level tasks they carry out (ingest/build/alignment.py)."""
    return f"{base}graph/alignment"


def section_alignment_graph_iri(base: str) -> str:
    """Links from tasks to the policy-document items they serve (pk:servesSection,
    ingest/build/section_alignment.py); part of the default dataset."""
    return f"{base}graph/section-alignment"


def inferred_graph_iri(base: str) -> str:
    """The entailments of the ontology's axioms over the data (ingest/build/inference.py);
    part of the default dataset, left out by ``infer=false``."""
    return f"{base}graph/inferred"
