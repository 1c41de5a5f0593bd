"""Is a file a plan, and is it a document at all? Decided from its own header block.

Why: a folder of real pages holds plans, the decisions that issue them, letters, notices
and — on a legal portal — articles and Q&A pages that quote a plan ("IV. TỔ CHỨC THỰC
HIỆN" of Resolution 57 inside an answer). Whether a file *is* a plan must come from what
the file says of itself — the kind on its title line and the title after it — never from
what it quotes or from whether some list in it reads like tasks: a notice of conclusions
with a task appendix assigns tasks but is not a plan.

* A plan is a document whose kind is plan-like (``plan: true`` in the one table of kinds,
  ontology/registry/document_kinds.yaml: Kế hoạch, Chương trình, Đề án, …), or whose
  title issues or approves such a kind ("BAN HÀNH KẾ HOẠCH …", "VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN …";
  the verbs are the table's ``issuing_verbs``): the decision carries the plan it issues.
* A file whose header names nothing of its own — no kind, symbol, issuer or date — is not
  a document; the tasks and targets it quotes are not its own (see :func:`own_header`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from plankg.ingest.model import DocumentRecord
from plankg.ontology.kinds import key_of, load_kinds


@lru_cache(maxsize=1)
def _issuing_title() -> re.Pattern[str]:
    """Up to two words ("về việc"), an issuing verb, then the name of a plan-like kind."""
    kinds = load_kinds()
    names = sorted({key_of(n) for k in kinds.kinds if k.plan for n in (k.name, *k.aliases)}, key=len, reverse=True)
    verbs = sorted(kinds.issuing_verbs, key=len, reverse=True)
    alt = lambda words: "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)  # noqa: E731
    return re.compile(rf"^(?:\S+\s+){{0,2}}?(?:{alt(verbs)})\s+(?:{alt(names)})\b")


def is_plan(document: DocumentRecord) -> bool:
    """A plan-like kind, or a title that issues or approves one (module docstring)."""
    kind = load_kinds().from_name(document.kind) if document.kind else None
    if kind is not None and kind.plan:
        return True
    if not document.title or not load_kinds().issuing_verbs:
        return False
    return bool(_issuing_title().match(key_of(document.title)))


def own_header(document: DocumentRecord) -> bool:
    """Does the file name anything of its own: a kind, symbol, issuer or date?"""
    return bool(document.kind or document.symbol or document.issuer or document.date)
