"""Plain, valid HTML for browsers: an entity's triples as a table, the ontology, small notices.

Deliberately minimal (the rich pages for documents, tasks, targets, agencies, sections and
renditions are the web UI's, ``api/web_entities.py``; these serve every other IRI and show
the raw property tables under the rich pages): every page is HTML5 with
``lang="vi"``, escapes every value, and links IRIs under the data base to this server's own
paths, so a locally running service can be browsed entity by entity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape

import rdflib

from plankg.store.result_writers import PREFIX_MAP

NAV = (("/", "Trang chủ"), ("/han-hoan-thanh", "Hạn hoàn thành"), ("/truy-van", "Truy vấn"), ("/sparql", "SPARQL"),
       ("/docs", "API"), ("/ontology", "Ontology"), ("/.well-known/void", "VoID"), ("/feed.atom", "Thay đổi"))


def page(title: str, body: str, *, alternates: Iterable[tuple[str, str]] = ()) -> str:
    links = "".join(f'<link rel="alternate" type="{escape(t)}" href="{escape(h)}">' for t, h in alternates)
    nav = "".join(f'<a href="{h}">{escape(t)}</a>' for h, t in NAV)
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title>{links}<link rel="stylesheet" href="/static/raw.css">'
            '<script src="/static/plankg.js" defer></script></head>'
            f"<body><nav>{nav}</nav>\n{body}\n</body></html>\n")


def local_href(iri: str, base: str, page_iri: str | None = None) -> str:
    """This server's path for an IRI under ``base``; a fragment of the page itself stays a fragment."""
    if page_iri and iri.startswith(page_iri + "#"):
        return iri[len(page_iri):]
    if iri.startswith(base):
        return "/" + iri[len(base):]
    return iri


def curie(iri: str) -> str:
    for pfx, ns in PREFIX_MAP.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{pfx}:{iri[len(ns):]}"
    return iri


def _term(node: rdflib.term.Node, base: str, page_iri: str, labels: dict[str, str]) -> str:
    if isinstance(node, rdflib.Literal):
        extra = f"@{node.language}" if node.language else (f"^^{curie(str(node.datatype))}" if node.datatype else "")
        return f'<span class="lit">{escape(str(node))}{f" <small>{escape(extra)}</small>" if extra else ""}</span>'
    iri = str(node)
    label = labels.get(iri)
    text = escape(label) if label else f'<span class="iri">{escape(curie(iri))}</span>'
    return f'<a href="{escape(local_href(iri, base, page_iri))}">{text}</a>'


def entity_page(iri: str, graph: rdflib.Graph, labels: dict[str, str], base: str,
                alternates: list[tuple[str, str]]) -> str:
    """One table for the entity, then one per dependent resource (anchored by its fragment)."""
    title = labels.get(iri) or iri
    parts = [f"<h1>{escape(title)}</h1>", f'<p><code>{escape(iri)}</code></p>',
             "<p>Định dạng khác (other formats): "
             + " · ".join(f'<a href="{escape(h)}">{escape(t.split("/")[-1])}</a>' for t, h in alternates) + "</p>",
             entity_tables(iri, graph, labels, base)]
    return page(title, "\n".join(parts), alternates=alternates)


def entity_tables(iri: str, graph: rdflib.Graph, labels: dict[str, str], base: str) -> str:
    """The property tables of ``entity_page`` (also shown under the web UI's rich pages)."""
    by_subject: dict[str, list[tuple[rdflib.term.Node, rdflib.term.Node]]] = defaultdict(list)
    for s, p, o in graph:
        by_subject[str(s)].append((p, o))
    parts = []
    order = [iri] + sorted(k for k in by_subject if k != iri)
    for subj in order:
        rows = sorted(by_subject.get(subj, []), key=lambda po: (curie(str(po[0])), str(po[1])))
        if not rows:
            continue
        if subj != iri:
            anchor = subj.split("#", 1)[1] if subj.startswith(iri + "#") else ""
            id_attr = f' id="{escape(anchor)}"' if anchor else ""
            parts.append(f'<h2{id_attr}>{escape(labels.get(subj) or curie(subj))}</h2><p><code>{escape(subj)}</code></p>')
        body = "".join(
            f"<tr><td>{_term(p, base, iri, labels)}</td><td>{_term(o, base, iri, labels)}</td></tr>" for p, o in rows)
        parts.append(f"<table><thead><tr><th>Thuộc tính (property)</th><th>Giá trị (value)</th></tr></thead>"
                     f"<tbody>{body}</tbody></table>")
    return "\n".join(parts)


def notice(title: str, message: str, items: Iterable[tuple[str, str]] = ()) -> str:
    lis = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in items)
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>" + (f"<ul>{lis}</ul>" if lis else ""))
