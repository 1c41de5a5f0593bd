"""SVG charts from Vega-Lite (bars, lines) and Vega (a force-laid network), rendered on the server.

Why this way: the pages run under a Content-Security-Policy without inline scripts or
styles (``api/http/hardening.py``) and must work offline and without JavaScript. Altair
writes the Vega-Lite specification, vl-convert (Vega and Vega-Lite compiled into a Rust
wheel with its own JavaScript engine) renders it to SVG on the server, and the page embeds
the SVG inline — Vega's SVG carries presentation *attributes* (``fill=``, ``font-size=``),
never ``style=`` attributes or scripts, so the policy holds (``tests/test_web_charts.py``
checks every chart). Marks link to the filtered list they summarise through Vega's ``href``
channel; an inline SVG ``<a>`` navigates like any link.

Links: Vega's loader prefixes a relative URL with its base URL (the Vega datasets site in
vl-convert 1.x, which has no setting for it), so marks carry ``https://plankg.invalid/…``
(a reserved name that can never resolve) and the rendered SVG gets back the site's own
``/…`` path. External data is refused (``allowed_base_urls=[]``): every chart's data is inline.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

LINK_ORIGIN = "https://plankg.invalid"
WIDTH = 560
BAR_STEP = 22  # px per bar of a horizontal bar chart
LABEL_CHARS = 44  # a category label longer than this is cut (with "…") before rendering: Vega's own
# pixel limit measures every label over and over (seconds for 100 long labels); the table has the full text
LABELLED = 16  # a network with more nodes names only its most connected ones (all are in the table)
COLORS = {"lead": "#1f5fa8", "cooperating": "#e08a1e", None: "#1f5fa8"}
_lock = threading.Lock()  # one conversion at a time: the converter's engine is a single worker anyway


@dataclass(frozen=True)
class Mark:
    """One bar or point: its category, value, optional group (colour), link and spoken description."""

    label: str
    value: float
    href: str | None = None
    group: str | None = None


def _link(href: str | None) -> str | None:
    """A site path as the sentinel absolute URL (see the module docstring); other URLs unchanged."""
    if not href:
        return None
    return LINK_ORIGIN + href if href.startswith("/") else href


def _unique(label: str, seen: set[str]) -> str:
    out, n = label, 1
    while out in seen:
        n += 1
        out = f"{label} ({n})"
    seen.add(out)
    return out


def _values(marks: list[Mark], unit: str, groups: dict[str, str] | None) -> list[dict[str, Any]]:
    out = []
    seen: set[str] = set()
    for i, m in enumerate(marks):
        group = (groups or {}).get(m.group or "", m.group)
        number = int(m.value) if float(m.value).is_integer() else m.value
        desc = f"{m.label}{' — ' + group if group else ''}: {number} {unit}".strip()
        label = m.label if len(m.label) <= LABEL_CHARS else m.label[: LABEL_CHARS - 1].rstrip() + "…"
        if m.group is None:  # bars of one category stack only when grouped; otherwise two rows stay two bars
            label = _unique(label, seen)
        out.append({"label": label, "value": m.value, "href": _link(m.href), "group": group, "desc": desc, "order": i})
    return out


def to_svg(spec: dict[str, Any], vega: bool = False) -> Markup:
    """Render a Vega-Lite (or, with ``vega``, a Vega) specification; the SVG as safe markup."""
    with _lock:
        svg = (vlc.vega_to_svg(spec, allowed_base_urls=[]) if vega
               else vlc.vegalite_to_svg(spec, allowed_base_urls=[]))
    svg = svg.replace(f'xlink:href="{LINK_ORIGIN}/', 'xlink:href="/')
    # The SVG of an inline chart speaks through the table beside it; the image itself is one picture.
    svg = svg.replace('<svg ', '<svg role="img" focusable="false" ', 1)
    return Markup(svg)


def _config() -> dict[str, Any]:
    return {"view": {"stroke": None}, "font": "sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top"}}


def bar_chart(marks: list[Mark], *, category: str, unit: str, horizontal: bool = True,
              groups: dict[str, str] | None = None, group_title: str = "", value_title: str | None = None) -> Markup:
    """Bars in the order given (horizontal: long agency names read well); groups stack, coloured."""
    values = _values(marks, unit, groups)
    data = alt.Data(values=values)
    cat = alt.X if not horizontal else alt.Y
    num = alt.Y if not horizontal else alt.X
    order = list(dict.fromkeys(v["label"] for v in values))
    enc: dict[str, Any] = {
        ("y" if horizontal else "x"): cat("label:N", title=category, sort=order,
                                          axis=alt.Axis(labelAngle=0) if not horizontal else alt.Axis()),
        ("x" if horizontal else "y"): num("value:Q", title=value_title or f"Số {unit}", axis=alt.Axis(tickMinStep=1, format="d")),
        "href": alt.Href("href:N"), "description": alt.Description("desc:N"),
        "order": alt.Order("order:Q"),
    }
    if groups:
        names = list(groups.values())
        enc["color"] = alt.Color("group:N", title=group_title, sort=names,
                                 scale=alt.Scale(domain=names, range=[COLORS.get(k, "#777") for k in groups]))
    else:
        enc["color"] = alt.value(COLORS[None])
    size: dict[str, Any] = {"width": 340 if horizontal else max(160, min(WIDTH, 56 * len(order)))}
    if horizontal:
        size["height"] = {"step": BAR_STEP}
    chart = alt.Chart(data).mark_bar(cursor="pointer").encode(**enc).properties(**size)
    return to_svg(chart.to_dict() | {"config": _config()})


def line_chart(marks: list[Mark], *, category: str, unit: str) -> Markup:
    """A line through the values in the order given, with a linked point on each."""
    values = _values(marks, unit, None)
    data = alt.Data(values=values)
    order = [v["label"] for v in values]
    base = alt.Chart(data).encode(
        x=alt.X("label:N", title=category, sort=order, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("value:Q", title=unit or "giá trị"))
    line = base.mark_line(color=COLORS[None])
    points = base.mark_point(filled=True, size=70, color=COLORS[None], cursor="pointer").encode(
        href=alt.Href("href:N"), description=alt.Description("desc:N"))
    return to_svg((line + points).properties(width=WIDTH).to_dict() | {"config": _config()})


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    weight: int
    href: str | None = None
    centre: bool = False


def network(nodes: list[Node], edges: list[tuple[str, str, int]], *, unit: str, size: int = 460) -> Markup:
    """A small network drawn by Vega's force layout: node area ∝ weight, edge width ∝ shared count.

    Vega (not Vega-Lite) because Vega-Lite has no graph layout; the simulation runs to its
    end on the server (``static``), so the SVG is a finished picture with linked nodes."""
    index = {n.id: i for i, n in enumerate(nodes)}
    ranked = sorted((n.weight for n in nodes), reverse=True)
    hub = ranked[min(len(ranked), LABELLED) - 1] if ranked else 0
    node_values = [{"index": i, "name": n.label if len(nodes) <= LABELLED or n.weight >= max(hub, 2) else "", "weight": n.weight, "href": _link(n.href), "centre": n.centre,
                    "desc": f"{n.label}: {n.weight} {unit}", "cx": size / 2, "cy": size / 2, **({"fx": size / 2, "fy": size / 2} if n.centre else {})}
                   for i, n in enumerate(nodes)]
    centre = next((n.id for n in nodes if n.centre), None)
    link_values = [{"source": index[a], "target": index[b], "value": w, "ego": centre in (a, b)}
                   for a, b, w in edges if a in index and b in index]
    small = len(nodes) <= 12
    forces = [{"force": "center", "x": size / 2, "y": size / 2}, {"force": "collide", "radius": 34 if small else 20},
              {"force": "nbody", "strength": -420 if small else -140},
              {"force": "link", "links": "link-data", "distance": size / (3.2 if small else 6)}]
    pad = 70  # room for the labels around the outermost nodes
    spec = {
        "$schema": "https://vega.github.io/schema/vega/v5.json", "width": size, "height": size, "padding": 10,
        "autosize": "none",
        # The simulation runs to its end as a data transform; the scales then fit the picture into the frame.
        "data": [{"name": "link-data", "values": link_values},
                 {"name": "node-data", "values": node_values,
                  "transform": [{"type": "force", "static": True, "iterations": 400, "forces": forces}]}],
        "scales": [
            {"name": "xs", "type": "linear", "domain": {"data": "node-data", "field": "x"}, "range": [pad, size - pad],
             "zero": False, "nice": False},
            {"name": "ys", "type": "linear", "domain": {"data": "node-data", "field": "y"}, "range": [pad / 2, size - pad],
             "zero": False, "nice": False},
            {"name": "area", "type": "sqrt", "domain": {"data": "node-data", "field": "weight"},
             "range": [80, 1400] if small else [40, 360],
             "zero": True},
            {"name": "stroke", "type": "linear", "domain": [0, max([4, *(w for _, _, w in edges)])], "range": [0.6, 6]}],
        "marks": [
            {"type": "path", "from": {"data": "link-data"}, "interactive": False,
             "encode": {"update": {"stroke": [{"test": "datum.ego", "value": "#5b6b7c"}, {"value": "#c3ccd6"}],
                                   "strokeOpacity": {"value": 0.8},
                                   "strokeWidth": {"scale": "stroke", "field": "value"}}},
             "transform": [{"type": "linkpath", "shape": "line",
                            "sourceX": {"expr": "scale('xs', datum.datum.source.x)"},
                            "sourceY": {"expr": "scale('ys', datum.datum.source.y)"},
                            "targetX": {"expr": "scale('xs', datum.datum.target.x)"},
                            "targetY": {"expr": "scale('ys', datum.datum.target.y)"}}]},
            {"name": "nodes", "type": "symbol", "zindex": 1, "from": {"data": "node-data"},
             "encode": {"enter": {
                 "x": {"scale": "xs", "field": "x"}, "y": {"scale": "ys", "field": "y"},
                 "fill": [{"test": "datum.centre", "value": COLORS["cooperating"]}, {"value": COLORS["lead"]}],
                 "stroke": {"value": "white"}, "size": {"scale": "area", "field": "weight"},
                 "href": {"field": "href"}, "description": {"field": "desc"}, "cursor": {"value": "pointer"}}}},
            {"type": "text", "from": {"data": "nodes"}, "interactive": False, "zindex": 2,
             "encode": {"update": {"x": {"field": "x"}, "y": {"signal": "datum.y + sqrt(datum.size) / 2 + 12"},
                                   "align": {"value": "center"}, "text": {"field": "datum.name"},
                                   "fontSize": {"value": 11}, "limit": {"value": 150}, "fill": {"value": "#1b1f24"}}}}],
    }
    return to_svg(spec, vega=True)
