"""The interpretation of a query in words, for the CLI's "Hiểu câu hỏi" line.

Why: the interpretation object lists every agency entry (namesakes in other provinces,
successors), the period as typed ("nam 2025") and no documents or places, so printing it
as is repeats names and shows unnormalised text. Here each part is named once, agencies
with their place, the period by its normalised label ("năm 2025"), recognised documents
and places included, and the question's intent said first.
"""

from __future__ import annotations

from typing import Any

__all__ = ["INTENT_VI", "TYPE_VI", "describe"]

TYPE_VI = {"Task": "Nhiệm vụ", "Target": "Chỉ tiêu", "Document": "Văn bản", "Section": "Đoạn văn bản"}
INTENT_VI = {"who": "hỏi cơ quan (ai)", "when": "hỏi thời hạn (khi nào)", "value": "hỏi giá trị (bao nhiêu)",
             "tasks": "hỏi nhiệm vụ (làm gì)", "document": "hỏi văn bản (văn bản nào)"}
_ROLE_VI = {"lead": "chủ trì", "cooperating": "phối hợp"}


def _agency(a: dict[str, Any]) -> str:
    place = a.get("locality")
    return f"{a['name']} ({place})" if place else str(a["name"])


def describe(interp: dict[str, Any]) -> list[tuple[str, str]]:
    """``(kind, text)`` pairs, de-duplicated, in reading order (Vietnamese kinds)."""
    parts: list[tuple[str, str]] = []
    if interp.get("intent") in INTENT_VI:
        parts.append(("Câu hỏi", INTENT_VI[interp["intent"]]))
    asked = [a for a in interp.get("agencies", []) if not a.get("relation")]
    role = _ROLE_VI.get(interp.get("role") or "")
    parts += [("Cơ quan" + (f" {role}" if role else ""), _agency(a)) for a in asked]
    for d in interp.get("documents", []):
        parts.append(("Văn bản", str(d.get("identifier") or d.get("title") or d.get("matched") or "")))
    parts += [("Địa phương", str(x.get("name") or x.get("matched") or "")) for x in interp.get("localities", [])]
    period = interp.get("period")
    if period:
        label = str(period.get("label") or period.get("text") or "")
        parts.append(("Chủ đề" if period.get("mode") == "subject" else "Thời gian", label))
    if interp.get("types"):
        parts.append(("Loại", ", ".join(TYPE_VI.get(t, t) for t in interp["types"])))
    if interp.get("remaining"):
        parts.append(("Từ khóa", str(interp["remaining"])))
    return list(dict.fromkeys(p for p in parts if p[1]))
