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

from plankg.folding import fold

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

    @property
    def key(self) -> str:
        """Folded lower-case name: "ke hoach"."""
        return key_of(self.name)


def key_of(text: str) -> str:
    """The folded, lower-case, single-spaced form used to look a kind up."""
    return re.sub(r"\s+", " ", fold(text).lower()).strip()


def _code_key(code: str) -> str:
    """A type code's lookup key: folded but case kept ("QĐ" → "QD", "CTr" → "CTr")."""
    return fold(code)


class KindTable:
    """All kinds, by folded name and by type code."""

    def __init__(self, kinds: list[DocumentKind]) -> None:
        self.kinds = kinds
        self.by_key: dict[str, DocumentKind] = {}
        self.by_code: dict[str, DocumentKind] = {}
        for k in kinds:
            for n in (k.name, *k.aliases):
                self.by_key.setdefault(key_of(n), k)
            for c in k.codes:
                self.by_code.setdefault(c, k)
                self.by_code.setdefault(_code_key(c), k)
                self.by_code.setdefault(_code_key(c).lower(), k)

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
        notation = str(e.get("notation") or (fold(codes[0]) if codes else re.sub(r"[^A-Za-z]", "", fold(e["name"]))))
        kinds.append(DocumentKind(name=str(e["name"]), codes=codes, english=str(e.get("english", "")),
                                  plan=bool(e.get("plan", False)), notation=notation, cls=e.get("class"),
                                  aliases=tuple(str(a) for a in e.get("aliases") or ())))
    return KindTable(kinds)
