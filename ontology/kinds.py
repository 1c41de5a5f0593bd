"""Document kinds: the one table (``registry/document_kinds.yaml``) and lookups on it.

Why one table: ingest decides a kind from a title line ("KẾ HOẠCH", "ĐỀ ÁN"), a citation
("Kế hoạch số 57/KH-UBND") or a symbol's type code; the graph maps it to a class and a
notation; search understands "kế hoạch" in a question. When each kept its own list they
disagreed (an "ĐỀ ÁN" had no kind, "Đ" was lost from codes). Lookups here are by folded
key (see :func:`plankg.folding.fold`); what is shown keeps its printed form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from plankg.folding import fold, fold_cased, slugify

KINDS_PATH = Path(__file__).resolve().parent / "registry" / "document_kinds.yaml"


@dataclass(frozen=True)
class DocumentKind:
    name: str  # "Kế hoạch"
    codes: tuple[str, ...]  # ("KH",) as printed in symbols
    english: str
    plan: bool  # its body assigns tasks (plans, programmes, schemes)
    notation: str  # ASCII local name of pk:kind-*
    cls: str | None  # local name of the pk: class, if any
    aliases: tuple[str, ...] = ()
    iri: str | None = None  # segment of document IRIs (store/iris.py); None: the slug of the name

    @property
    def iri_segment(self) -> str:
        """The type segment of a document IRI built from this kind ("kh", "thong-bao").

        Why a field and not the code: IRIs were published before this table existed, with
        code segments for some kinds and name slugs for the rest; a segment never changes."""
        return self.iri or slugify(self.name)

    @property
    def key(self) -> str:
        """Folded lower-case name: "ke hoach"."""
        return key_of(self.name)


def key_of(text: str) -> str:
    """The folded, lower-case, single-spaced form used to look a kind up."""
    return re.sub(r"\s+", " ", fold(text).lower()).strip()


def _code_key(code: str) -> str:
    """A type code's lookup key: folded but case kept ("QĐ" → "QD", "CTr" → "CTr")."""
    return fold_cased(code)


class KindTable:
    """All kinds, by folded name and by type code."""

    def __init__(self, kinds: list[DocumentKind]) -> None:
        self.kinds = kinds
        self.by_key: dict[str, DocumentKind] = {}
        self.by_code: dict[str, DocumentKind] = {}
        for k in kinds:
            for n in (k.name, *k.aliases):
                self.by_key.setdefault(key_of(n), k)
        # printed codes first, folded forms after: "DA" as printed is Dự án, only a
        # folded "ĐA" that lost its stroke falls back to Đề án's "DA" if nothing else has it
        coded = [(code, kind) for kind in kinds for code in kind.codes]
        for form in (str, _code_key, lambda c: _code_key(c).lower()):
            for code, kind in coded:
                self.by_code.setdefault(form(code), kind)
        #: The type codes (slug form) that store/iris.py recognises in a state symbol
        #: "57/KH-UBND"; frozen with the IRIs built from it (see document_kinds.yaml).
        self.iri_type_codes: frozenset[str] = frozenset()
        #: Folded verbs by which a title issues or approves a plan ("ban hanh", "phe duyet").
        self.issuing_verbs: tuple[str, ...] = ()
        #: Folded verbs a dispatch prints after its issuer line ("THỦ TƯỚNG CHÍNH PHỦ điện:").
        self.issuer_verbs: tuple[str, ...] = ()

    def from_name(self, text: str) -> DocumentKind | None:
        """The kind a printed name means ("KẾ HOẠCH", "ke hoach", "Đề án"), else None."""
        return self.by_key.get(key_of(text))

    def from_code(self, code: str) -> DocumentKind | None:
        """The kind a symbol's type code means ("KH", "QĐ", "QD", "qd"), else None."""
        return self.by_code.get(code) or self.by_code.get(_code_key(code)) or self.by_code.get(_code_key(code).lower())

    def names_pattern(self) -> str:
        """A regex alternation of the folded lower-case names, longest first (spaces as \\s+)."""
        keys = sorted(self.by_key, key=len, reverse=True)
        return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)


@lru_cache(maxsize=2)
def load_kinds(path: str | None = None) -> KindTable:
    """The kinds of ``registry/document_kinds.yaml`` (or ``path``); cached."""
    with open(path or KINDS_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    kinds = []
    for e in data["kinds"]:
        codes = tuple(str(c) for c in e.get("codes") or ())
        notation = str(e.get("notation") or (fold_cased(codes[0]) if codes else re.sub(r"[^A-Za-z]", "", fold_cased(e["name"]))))
        kinds.append(DocumentKind(name=str(e["name"]), codes=codes, english=str(e.get("english", "")),
                                  plan=bool(e.get("plan", False)), notation=notation, cls=e.get("class"),
                                  aliases=tuple(str(a) for a in e.get("aliases") or ()),
                                  iri=str(e["iri"]) if e.get("iri") else None))
    table = KindTable(kinds)
    table.iri_type_codes = frozenset(slugify(str(c)) for c in data.get("iri_type_codes") or ())
    table.issuing_verbs = tuple(key_of(str(v)) for v in data.get("issuing_verbs") or ())
    table.issuer_verbs = tuple(key_of(str(v)) for v in data.get("issuer_verbs") or ())
    return table
