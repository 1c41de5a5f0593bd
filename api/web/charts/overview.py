"""The charts of the overview pages: one document, one agency, everything (the home page).

Numbers come from the read model (``plankg.store.read.overview``: SPARQL aggregates), names
from the pages' display names (two "Sở Y tế" get their province), links from the filtered
lists of ``api/web/lists.py`` — so a bar's count is what its list shows (tested).
"""

from __future__ import annotations

from typing import Any

from plankg.api.web.charts.draw import Mark, Node, bar_chart, network
from plankg.api.web.charts.model import Chart, Row
from plankg.api.web.render import query_string
from plankg.store.read.overview import COOPERATING, LEAD, Count, Overview

ROLE_VI = {LEAD: "chủ trì", COOPERATING: "phối hợp"}
ROLE_PARAM = {LEAD: "chu-tri", COOPERATING: "phoi-hop"}
TOP_AGENCIES = 15
PARTNERS = 10
PAIR_EDGES = 8  # links between two partners drawn (the strongest), so the picture stays readable


def quarter_vi(key: str) -> str:
    """``2025-Q4`` → ``Q4/2025`` (how a Vietnamese reader writes it: quý IV/2025)."""
    year, q = key.split("-Q")
    return f"Q{q}/{year}"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list(path: str, **params: Any) -> str:
    return path + query_string(params)


class OverviewCharts:
    """Builds the charts for one request from the read model, display names and local paths."""

    def __init__(self, overview: Overview, names: dict[str, str], local: Any) -> None:
        self.ov = overview
        self.names = names
        self.local = local  # IRI → this server's path

    def name(self, iri: str) -> str:
        return self.names.get(iri) or iri.rsplit("/", 1)[-1]

    # -- building blocks --------------------------------------------------------------------
    def _quarters(self, chart_id: str, title: str, counts: list[Count], link: dict[str, Any], undated: int) -> Chart:
        marks = [Mark(quarter_vi(c.key), c.count, _list("/nhiem-vu", **link, quy=c.key)) for c in counts]
        svg = bar_chart(marks, category="Quý đến hạn", unit="nhiệm vụ", horizontal=False)
        rows = [Row((quarter_vi(c.key), c.count), m.href) for c, m in zip(counts, marks, strict=True)]
        note = f"{undated} nhiệm vụ không có ngày hạn (thường xuyên, hằng năm hoặc không ghi thời hạn) không có trong biểu đồ."
        return Chart(chart_id, title, svg, ["Quý", "Số nhiệm vụ"], rows, note)

    def _agencies(self, chart_id: str, title: str, counts: list[Count], link: dict[str, Any]) -> Chart:
        marks = [Mark(self.name(c.key), c.count, _list("/nhiem-vu", **link, co_quan=self.local(c.key), vai_tro="chu-tri"))
                 for c in counts]
        svg = bar_chart(marks, category="Cơ quan chủ trì", unit="nhiệm vụ")
        rows = [Row((m.label, c.count), m.href) for c, m in zip(counts, marks, strict=True)]
        return Chart(chart_id, title, svg, ["Cơ quan chủ trì", "Số nhiệm vụ"], rows)

    # -- pages ------------------------------------------------------------------------------
    def home(self) -> list[Chart]:
        charts = [self._quarters("han-theo-quy", "Nhiệm vụ theo quý đến hạn, mọi văn bản", self.ov.deadlines_by_quarter(),
                                 {}, self.ov.undated())]
        top = self.ov.tasks_by_lead()[:TOP_AGENCIES]
        charts.append(self._agencies("co-quan-chu-tri", f"{len(top)} cơ quan chủ trì nhiều nhiệm vụ nhất", top, {}))
        return [c for c in charts if c.rows]  # an empty store draws nothing

    def document(self, iri: str) -> list[Chart]:
        doc = {"van_ban": self.local(iri)}
        charts = [self._agencies("co-quan-chu-tri", "Nhiệm vụ theo cơ quan chủ trì", self.ov.tasks_by_lead(iri), doc)]
        charts[0].note = f"{self.ov.without_lead(iri)} nhiệm vụ không ghi cơ quan chủ trì."
        pillars = self.ov.tasks_by_pillar(iri)
        if pillars:
            marks = [Mark(c.label or self.name(c.key), c.count, _list("/nhiem-vu", **doc, tru_cot=c.key.rsplit("#", 1)[-1]))
                     for c in pillars]
            charts.append(Chart("tru-cot", "Nhiệm vụ theo trụ cột", bar_chart(marks, category="Trụ cột", unit="nhiệm vụ"),
                                ["Trụ cột", "Số nhiệm vụ"], [Row((m.label, m.value), m.href) for m in marks]))
        sections = self.ov.tasks_by_section(iri)
        if sections:
            marks = [Mark(c.key, c.count, _list("/nhiem-vu", **doc, muc=c.key)) for c in sections]
            charts.append(Chart("muc", "Nhiệm vụ theo mục của văn bản",
                                bar_chart(marks, category="Mục", unit="nhiệm vụ"), ["Mục", "Tiêu đề", "Số nhiệm vụ"],
                                [Row((c.key, _short(c.label or ""), c.count), m.href) for c, m in zip(sections, marks, strict=True)]))
        charts.append(self._quarters("han-theo-quy", "Nhiệm vụ theo quý đến hạn", self.ov.deadlines_by_quarter(iri), doc,
                                     self.ov.undated(iri)))
        horizons = self.ov.targets_by_horizon(iri)
        if horizons:
            marks = [Mark(c.key, c.count, _list("/chi-tieu", **doc, nam=c.key)) for c in horizons]
            charts.append(Chart("chi-tieu-theo-moc", "Chỉ tiêu theo mốc thời gian",
                                bar_chart(marks, category="Năm của mốc", unit="chỉ tiêu", horizontal=False),
                                ["Năm", "Số chỉ tiêu"], [Row((m.label, m.value), m.href) for m in marks]))
        return [c for c in charts if c.rows]  # a document only cited has nothing to draw

    def agency(self, iri: str) -> list[Chart]:
        path = self.local(iri)
        counts = self.ov.deadlines_by_quarter(agency=iri)
        marks = [Mark(quarter_vi(c.key), c.count, _list("/nhiem-vu", co_quan=path, vai_tro=ROLE_PARAM[c.group or LEAD],
                                                         quy=c.key), c.group) for c in counts]
        svg = bar_chart(marks, category="Quý đến hạn", unit="nhiệm vụ", horizontal=False, groups=ROLE_VI,
                        group_title="Vai trò")
        undated = {r: self.ov.undated(agency=iri, role=r) for r in (LEAD, COOPERATING)}
        charts = [Chart("han-theo-quy", "Nhiệm vụ theo quý đến hạn, theo vai trò", svg, ["Quý", "Vai trò", "Số nhiệm vụ"],
                        [Row((m.label, ROLE_VI[c.group or LEAD], c.count), m.href) for c, m in zip(counts, marks, strict=True)],
                        f"Không có ngày hạn: {undated[LEAD]} nhiệm vụ chủ trì, {undated[COOPERATING]} nhiệm vụ phối hợp.")]
        partners, edges = self.ov.partners(iri, PARTNERS)
        if partners:
            nodes = [Node(iri, self.name(iri), self.ov.count_tasks(agency=iri), _list("/nhiem-vu", co_quan=path), centre=True)]
            nodes += [Node(c.key, self.name(c.key), c.count, _list("/nhiem-vu", co_quan=path, cung=self.local(c.key)))
                      for c in partners]
            links = [(iri, c.key, c.count) for c in partners] + [(e.source, e.target, e.count) for e in edges[:PAIR_EDGES]]
            charts.append(Chart("phoi-hop-nhieu-nhat", "Cơ quan cùng được giao việc nhiều nhất",
                                network(nodes, links, unit="nhiệm vụ chung"), ["Cơ quan", "Số nhiệm vụ chung"],
                                [Row((n.label, n.weight), n.href) for n in nodes[1:]],
                                "Mỗi nút là một cơ quan cùng có tên trong nhiệm vụ (chủ trì hoặc phối hợp); nút càng lớn, "
                                "nét nối càng đậm thì càng nhiều nhiệm vụ chung. Nút giữa (màu cam) là cơ quan đang xem."))
        return [c for c in charts if c.rows]
