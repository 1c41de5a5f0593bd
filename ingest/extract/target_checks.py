"""Which narrative "targets" are not targets: items of a targets section that state no measure.

Why: the narrative reader takes every item under a "Mục tiêu" heading as a target, one per
bullet. A target, as the gold conventions define it (tests/gold/corpus/CONVENTIONS.md §4), is
an indicator with a printed measure — a number, a percentage, a rank or a count. Items that
print none are something else: a general aim ("Mục tiêu tổng quát: Phát huy sức mạnh …"), a
qualitative objective ("Nâng cao nhận thức về …"), a sub-heading that only names a period
("Giai đoạn 2025-2027") or a topic ("Về môi trường, …:"). Figures under a heading that calls
them a forecast or an estimate ("Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026") are not
goals either — the same words that keep a forecast table from being read as targets
(``not_targets`` in ontology/registry/table_headers.yaml). Read as targets they make up
indicators with no value and put plan prose among the measurable goals.

Table rows are never filtered here: a target table's row is a target even when its value is
qualitative ("Tiên tiến, hiện đại"), because the table says so. Narrative items that are
dropped are counted in one warning per section (never silent).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from plankg.folding import fold
from plankg.ingest.extract.structure import heading_chain
from plankg.ingest.model import SectionRecord, TargetRecord

#: a printed measure: a digit or a percent sign anywhere in the item
_MEASURE = re.compile(r"[0-9%]")
#: an item that only names a period: "Giai đoạn 2025-2027", "Đến năm 2030", "Năm 2026"
_PERIOD_ONLY = re.compile(
    r"^(?:giai\s+doan|den\s+het\s+nam|den\s+nam|trong\s+nam|nam|tu\s+nam|den)?\s*"
    r"(?:19|20)\d\d(?:\s*(?:-|–|den)\s*(?:19|20)\d\d)?\s*[:.]?$")


def states_measure(t: TargetRecord) -> bool:
    """Does the item print a measure (a figure) that is not only its period?"""
    text = f"{t.indicator} {t.value_text}"
    if not _MEASURE.search(text):
        return False
    return not period_only(t)


def period_only(t: TargetRecord) -> bool:
    """An item that only names a period ("Giai đoạn 2025-2027"): a sub-heading, no target."""
    return bool(_PERIOD_ONLY.match(fold(t.indicator).strip()) and _PERIOD_ONLY.match(fold(t.value_text).strip()))


def drop_unmeasured(targets: list[TargetRecord], warnings: list[str]) -> list[TargetRecord]:
    """The targets without narrative items that only name a period; one warning per section
    names how many were left out and the first of them.

    :func:`states_measure` (items that state no measure at all) is not applied, by the gold:
    seed 000's gold counts every lettered item of its "CÁC CHỈ TIÊU CHỦ YẾU" section as a
    target, qualitative ones ("Hoàn thành xây dựng, kết nối, chia sẻ đồng bộ cơ sở dữ liệu …")
    included, and the corpus conventions (tests/gold/corpus/CONVENTIONS.md §4) make such items
    optional. Retiring them would now answer 410 (docs/vocabulary-contract.md), but the gold,
    not the IRI, is what keeps them."""
    kept: list[TargetRecord] = []
    dropped: dict[str, list[TargetRecord]] = {}
    for t in targets:
        if t.origin == "narrative" and period_only(t):
            dropped.setdefault(t.section or "", []).append(t)
        else:
            kept.append(t)
    for section, items in dropped.items():
        first = items[0].indicator[:60]
        warnings.append(
            f"Mục {section or '?'}: {len(items)} mục chỉ nêu mốc thời gian, không đọc là chỉ tiêu (vd. “{first}”) "
            f"({len(items)} items only name a period: not read as targets)")
    return kept


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


def forecast_sections(sections: list[SectionRecord]) -> set[str]:
    """Paths of the sections whose heading, or an ancestor's, names a forecast or an estimate."""
    from plankg.ingest.extract.grid import load_vocabulary

    phrases: list[str] = load_vocabulary()["not_targets"]  # type: ignore[assignment]
    by_path = {s.path: s for s in sections}
    return {s.path for s in sections
            if any(f" {p} " in _words(heading) for heading in heading_chain(by_path, s.path) for p in phrases)}


def drop_forecasts(targets: list[TargetRecord], sections: list[SectionRecord],
                   warnings: list[str]) -> list[TargetRecord]:
    """The targets without narrative figures stated under a forecast/estimate heading; one
    warning per section says how many were left out."""
    forecast = forecast_sections(sections)
    return _drop_by_section(
        targets, lambda t: t.origin == "narrative" and t.section in forecast, warnings,
        lambda section, n: f"Mục {section}: {n} số liệu dự báo/dự toán, không đọc là chỉ tiêu kế hoạch "
                           f"({n} forecast or estimate figures: not read as targets)")


def _drop_by_section(targets: list[TargetRecord], drop: Callable[[TargetRecord], bool], warnings: list[str],
                     message: Callable[[str, int], str]) -> list[TargetRecord]:
    """The targets ``drop`` does not take, in order; one warning per section of those it takes
    (``message(section, count)``), so that nothing is left out silently."""
    kept: list[TargetRecord] = []
    dropped: dict[str, int] = {}
    for t in targets:
        if drop(t):
            dropped[t.section or ""] = dropped.get(t.section or "", 0) + 1
        else:
            kept.append(t)
    warnings.extend(message(section, n) for section, n in dropped.items())
    return kept


#: words of a heading that names targets ("Mục tiêu cụ thể", "Các chỉ tiêu chủ yếu", "Chỉ tiêu 1")
_NAMES_TARGETS = re.compile(r"\b(?:muc\s+tieu|chi\s+tieu)\b")
#: dates and years, which date an item but measure nothing ("Từ ngày 15/11/2025", "năm 2025")
_DATES = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d\d\b")


#: the words of a heading that only dates its items: "Đến ngày 31/7/2025", "Giai đoạn 2026 - 2030"
_HORIZON_WORDS = re.compile(r"\b(?:den|toi|het|ngay|nam|giai|doan|truoc|tu|trong|cuoi|thang)\b|[-–:.,()]")


def _horizon_heading(heading: str) -> bool:
    """A heading that only names its items' horizon; its items are the targets for it (seed
    002's "1. Đến ngày 31/7/2025" under "II. CÁC CHỈ TIÊU CHỦ YẾU")."""
    rest = _HORIZON_WORDS.sub(" ", _DATES.sub(" ", fold(heading).lower()))
    return bool(_DATES.search(heading)) and not rest.strip()


def _measured(t: TargetRecord) -> bool:
    """Does the item print a figure other than its dates and years?"""
    return bool(_MEASURE.search(_DATES.sub(" ", f"{t.indicator} {t.value_text}"))) and not period_only(t)


def drop_unmeasured_headings(targets: list[TargetRecord], sections: list[SectionRecord],
                             warnings: list[str]) -> list[TargetRecord]:
    """The targets without the items of a heading, inside a targets section, that neither
    names targets nor has one item stating a measure ("II. MỤC TIÊU / … / 2. Tháng hành động /
    a) Chủ đề … b) Thời gian: … d) Các hoạt động chính …"): a campaign's programme printed
    under the targets, not goals. A heading that names targets ("2. Mục tiêu cụ thể", "Chỉ
    tiêu chủ yếu") keeps its qualitative items (seed 000's "CÁC CHỈ TIÊU CHỦ YẾU"), and so do a
    heading that only dates them ("Đến ngày 31/7/2025") and a heading with one item stating a
    figure other than a date or a year. The heading is the one right under the roman section
    (path ``II.2``); items that are that heading themselves are left alone. One warning per
    heading (never silent)."""
    headings = {s.path: s.heading for s in sections}
    groups: dict[str, list[TargetRecord]] = {}
    for t in targets:
        parts = (t.section or "").split(".")
        if t.origin == "narrative" and len(parts) >= 2 and t.path != ".".join(parts[:2]):
            groups.setdefault(".".join(parts[:2]), []).append(t)
    drop: set[int] = set()
    for path, items in groups.items():
        heading = headings.get(path)
        if (heading is None or _NAMES_TARGETS.search(fold(heading).lower()) or _horizon_heading(heading)
                or any(map(_measured, items))):
            continue
        drop |= {id(t) for t in items}
        warnings.append(f"Mục {path}: {len(items)} mục dưới “{heading[:60]}” không nêu số đo nào, không đọc là chỉ tiêu "
                        f"({len(items)} items under a heading that names no targets state no measure: not read as targets)")
    return [t for t in targets if id(t) not in drop]


def drop_general_aims(targets: list[TargetRecord], sections: list[SectionRecord],
                      warnings: list[str]) -> list[TargetRecord]:
    """The targets without the general aims: a narrative item that prints no figure besides
    dates and years and sits under a heading that introduces general aims ("1. Mục tiêu tổng
    quát", "1. Mục tiêu tổng thể giai đoạn …" — ``general_aims`` in table_headers.yaml), or opens with
    such a label itself ("Mục tiêu tổng quát: Phát huy sức mạnh …"). CONVENTIONS.md §4: such
    sentences are not targets. One warning per section (never silent)."""
    from plankg.ingest.extract.grid import load_vocabulary

    phrases: list[str] = load_vocabulary()["general_aims"]  # type: ignore[assignment]
    headings = {s.path: s.heading for s in sections}

    def general(text: str, opening: bool) -> bool:
        words = _words(text)
        return any(words.startswith(f" {p} ") if opening else f" {p} " in words for p in phrases)

    def under_general(t: TargetRecord) -> bool:
        parts = t.path.split(".")
        paths = {".".join(parts[:k]) for k in range(1, len(parts) + 1)} | {t.section or ""}
        return any(general(headings[p], True) for p in paths if p in headings) or general(t.indicator, True)

    return _drop_by_section(
        targets, lambda t: t.origin == "narrative" and not _measured(t) and under_general(t), warnings,
        lambda section, n: f"Mục {section or '?'}: {n} mục tiêu chung không nêu số đo, không đọc là chỉ tiêu "
                           f"({n} general aims without a measure: not read as targets)")
