"""Jinja2 rendering for the web pages: one environment, Vietnamese formatting helpers.

Why a module of its own: every page module (search, deadlines, entities, source view,
SPARQL) renders through the same environment, so escaping (autoescape on), date format
(dd/mm/yyyy, as Vietnamese documents print dates) and links to this server's own paths
(``local``) are the same everywhere.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from plankg.api.http.html_pages import curie, local_href
from plankg.store.read.labels import document_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

TYPE_VI = {"Task": "Nhiệm vụ", "Target": "Chỉ tiêu", "Document": "Văn bản", "Section": "Mục"}
RECURRENCE_VI = {"continuous": "thường xuyên", "annual": "hằng năm", "none": ""}
COMPARATOR_VI = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "range": "khoảng", "text": ""}


LOCALITY_KEY = "locality:"  # display_names also holds "locality:<agency IRI>" → the agency's locality


def distinct(iris: list[str], names: dict[str, str]) -> dict[str, str]:
    """Names for ``iris`` shown together: where two agencies share a name ("Sở Y tế" of Bình
    Phước and of Đồng Nai), each gets its locality — elsewhere the name stays short."""
    plain = {i: names.get(i, i) for i in iris}
    seen: dict[str, int] = {}
    for name in plain.values():
        seen[name] = seen.get(name, 0) + 1
    return {i: f"{n} ({names[LOCALITY_KEY + i]})" if seen[n] > 1 and LOCALITY_KEY + i in names else n
            for i, n in plain.items()}


def vi_date(value: Any) -> str:
    """``2025-12-31`` → ``31/12/2025``; anything else unchanged (empty for None)."""
    if value is None:
        return ""
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


def vi_number(value: Any) -> str:
    """Numbers as Vietnamese print them: 1.234,5 (dot thousands, comma decimals)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        whole, _, frac = f"{value:,.4f}".rstrip("0").rstrip(".").partition(".")
        return whole.replace(",", ".") + ("," + frac if frac else "")
    return str(value)


def marked(snippet: str | None) -> Markup:
    """A search snippet (escaped text with ``<mark>``) as safe HTML: every other byte re-escaped."""
    parts = re.split(r"(</?mark>)", snippet or "")
    return Markup("".join(p if p in ("<mark>", "</mark>") else str(escape(html.unescape(p))) for p in parts))


def query_string(params: dict[str, Any] | list[tuple[str, Any]]) -> str:
    """``?a=1&b=2`` from a dict or pairs; None and "" values are left out, lists repeat."""
    pairs: list[tuple[str, str]] = []
    items = params.items() if isinstance(params, dict) else params
    for key, value in items:
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v is not None and v != "":
                pairs.append((key, str(v)))
    return "?" + urlencode(pairs) if pairs else ""


class Renderer:
    """The template environment for one application (the data base IRI is per app)."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True)
        env.filters.update(vi_date=vi_date, vi_number=vi_number, local=self.local, curie=curie, marked=marked,
                           short=self.short, doc_label=document_label)
        env.globals.update(TYPE_VI=TYPE_VI, RECURRENCE_VI=RECURRENCE_VI, COMPARATOR_VI=COMPARATOR_VI,
                           qs=query_string, base_iri=base_iri)
        self.env = env

    def local(self, iri: Any) -> str:
        """This server's path for an IRI under the data base (other IRIs unchanged)."""
        return local_href(str(iri), self.base) if iri else ""

    def short(self, iri: Any) -> str:
        """An IRI for display: ``pk:Task`` for vocabulary terms, this server's path for data."""
        text = curie(str(iri))
        return self.local(iri) if text == str(iri) else text

    def html(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def response(self, template: str, status: int = 200, headers: dict[str, str] | None = None,
                 **context: Any) -> HTMLResponse:
        return HTMLResponse(self.html(template, **context), status, headers=headers)
