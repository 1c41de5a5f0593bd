"""The Atom change feed at ``/feed.atom``: documents ingested, changed or removed, newest first.

Built from the ingest change log (``ingest/changelog.py``): one entry per document per
event, so a portal that mirrors the graph can poll the feed and re-fetch only the
documents that changed. Entry ids are ``tag:`` URIs built from the log's line number,
which never changes because the log is append-only.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from plankg.api.http.deps import Service, get_service
from plankg.api.http.service_config import ServiceConfig
from plankg.config import Settings
from plankg.ingest.changelog import read_events
from plankg.store.read.labels import document_label

VERBS = {"ingested": ("Đã nạp", "ingested"), "changed": ("Đã cập nhật", "changed"), "removed": ("Đã xóa", "removed")}


def atom(settings: Settings, config: ServiceConfig, limit: int = 100) -> bytes:
    base = settings.base_iri
    host = urlsplit(base).hostname or "plankg"
    events = list(enumerate(read_events(settings)))
    entries = []
    for line, e in reversed(events):
        vi, en = VERBS.get(e.get("event", ""), (e.get("event", ""), e.get("event", "")))
        docs = e.get("documents") or [{"iri": None, "identifier": None, "title": None}]
        day = (e.get("time") or "1970-01-01")[:10]
        for i, d in enumerate(docs):
            # never the raw IRI: a document printed without a number is named by its title or
            # kind and date, then the source file it came from
            name = d.get("identifier") or d.get("title") or (
                f"{document_label(d)} — {e.get('source')}" if d.get("iri") else e.get("source"))
            title = f"{vi} ({en}): {name}"
            link = f'<link rel="alternate" href={quoteattr(d["iri"])}/>' if d.get("iri") else ""
            summary = (f"{vi} tệp nguồn {e.get('source')} — {d.get('title') or ''} "
                       f"({en} source file {e.get('source')})")
            entries.append(
                f"<entry><id>tag:{host},{day}:plankg/change/{line}/{i}</id><title>{escape(title)}</title>"
                f"<updated>{escape(e.get('time', ''))}</updated>{link}"
                f'<category term={quoteattr(e.get("event", ""))}/><summary>{escape(summary)}</summary></entry>')
            if len(entries) >= limit:
                break
        if len(entries) >= limit:
            break
    updated = str(events[-1][1].get("time") or "") if events else "1970-01-01T00:00:00+00:00"
    author = f"<author><name>{escape(config.publisher)}</name></author>"
    xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">'
           f"<id>{escape(base)}feed.atom</id><title>plankg — thay đổi văn bản (document changes)</title>"
           f"<updated>{escape(updated)}</updated>{author}"
           f'<link rel="self" href={quoteattr(base + "feed.atom")}/><link rel="alternate" href={quoteattr(base)}/>'
           + "".join(entries) + "</feed>\n")
    return xml.encode("utf-8")


router = APIRouter(tags=["linked data"])


@router.get("/feed.atom", summary="Atom: văn bản được nạp, cập nhật, xóa (ingested, changed, removed documents)",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def feed(limit: int = Query(100, ge=1, le=1000), svc: Service = Depends(get_service)) -> Response:
    return Response(atom(svc.settings, svc.config, limit), media_type="application/atom+xml; charset=utf-8")
