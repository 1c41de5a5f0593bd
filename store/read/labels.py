"""How a document is named to people when it has no number.

Why one home: search results, the web lists, CSV rows and the Atom feed all name documents
by their symbol ("57/KH-UBND"); a document printed without a number (a ward's plan, a
steering committee's plan) then fell back to its IRI. Users never see IRIs: the fallback is
the title, else the kind with the date or year ("Kế hoạch ngày 5/3/2023"), else
"Văn bản không số".
"""

from __future__ import annotations

from typing import Any

__all__ = ["document_label", "shorten"]

TITLE_CHARS = 100


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters (with an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def document_label(doc: dict[str, Any] | None) -> str:
    """``identifier`` → ``title`` → kind + date/year → "Văn bản không số"; never the IRI.

    ``doc`` is a document brief or record (keys ``identifier``/``id``, ``title``, ``kind``,
    ``date``, ``year``; others ignored)."""
    doc = doc or {}
    ident = doc.get("identifier") or doc.get("id")
    if ident:
        return str(ident)
    if doc.get("title"):
        return shorten(str(doc["title"]))
    kind = str(doc.get("kind") or "Văn bản")
    when = doc.get("date")
    if when:
        text = str(when)[:10]
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return f"{kind} ngày {int(parts[2])}/{int(parts[1])}/{parts[0]}"
    if doc.get("year"):
        return f"{kind} năm {doc['year']}"
    return f"{kind} không số"
