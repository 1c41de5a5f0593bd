"""The JSON API under ``/api``: the export objects with filters and paging, entities, stats, search.

The lists are computed once per store version (``VersionedCache``) with the same
``Records`` code as ``plankg export``, then filtered and paged in Python: on the seed corpus
all four lists take about 0.25 s to build and microseconds to page.

``router`` is module-level; the handlers get the service through ``Depends(get_service)``
(``plankg.api.http.deps``) and the SPARQL pool through ``Depends(get_pool)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional
from urllib.parse import urlencode

import rdflib
from fastapi import APIRouter, Depends, HTTPException, Query, Request

from plankg.api.http.deps import Service, get_service
from plankg.api.http.json_api import filters
from plankg.api.http.json_api.models import (
    Agency,
    Document,
    Entity,
    EntityTriple,
    Page,
    Problem,
    ServiceInfo,
    Stats,
    Target,
    Task,
    Term,
)
from plankg.api.http.linked_data.describe import describe, labels, safe_iri
from plankg.api.http.linked_data.retired import gone_message
from plankg.api.http.linked_data.retired import lookup as lookup_retired
from plankg.api.http.sparql.endpoint import get_pool
from plankg.api.http.sparql.user_query import RestrictionFailed, client_of, restriction_runner
from plankg.api.http.sparql.worker import QueryPool
from plankg.api.stats import collect_info
from plankg.search.index.builder import IndexMissing, IndexModelMismatch
from plankg.search.service import SearchError
from plankg.search.service import search as run_search
from plankg.store.read.records import Records

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
#: an entity whose IRI was retired (docs/linked-data.md): moved (301, ``Location``) or gone (410)
RETIRED: dict[int | str, dict[str, Any]] = {301: {"model": Problem}, 410: {"model": Problem}}


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset: offset + limit]}


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d else None


def _term(node: rdflib.term.Node) -> Term:
    if isinstance(node, rdflib.Literal):
        return Term(type="literal", value=str(node), lang=node.language,
                    datatype=str(node.datatype) if node.datatype else None)
    if isinstance(node, rdflib.BNode):
        return Term(type="bnode", value=str(node))
    return Term(type="uri", value=str(node))


def records(svc: Service, what: str) -> list[dict[str, Any]]:
    return svc.cache.get(f"records:{what}", lambda store: getattr(Records(store, svc.settings), what)())


router = APIRouter(prefix="/api", tags=["json"])

Limit = Query(50, ge=1, le=1000, description="số mục mỗi trang (page size)")
Offset = Query(0, ge=0, description="bỏ qua bao nhiêu mục (items to skip)")
AgencyQ = Query(None, description="IRI hoặc tên cơ quan, không phân biệt dấu (agency IRI or name, accent-insensitive)")
DocumentQ = Query(None, description="IRI hoặc ký hiệu văn bản, ví dụ 57/KH-UBND (document IRI or symbol)")


@router.get("/tasks", response_model=Page[Task], summary="Nhiệm vụ (tasks)")
def tasks(agency: Optional[str] = AgencyQ,
          role: Literal["any", "lead", "cooperating"] = Query("any", description="vai trò của cơ quan (agency role)"),
          year: Optional[int] = Query(None, description="năm đến hạn (year the task is due)"),
          document: Optional[str] = DocumentQ,
          due_before: Optional[dt.date] = Query(None, description="hạn chót không muộn hơn (due on or before)"),
          due_after: Optional[dt.date] = Query(None, description="hạn chót không sớm hơn (due on or after)"),
          limit: int = Limit, offset: int = Offset, svc: Service = Depends(get_service)) -> dict[str, Any]:
    items = filters.tasks(records(svc, "tasks"), svc.settings.base_iri, agency=agency, role=role, year=year,
                          document=document, due_before=_iso(due_before), due_after=_iso(due_after))
    return _page(items, limit, offset)


@router.get("/targets", response_model=Page[Target], summary="Chỉ tiêu (targets)")
def targets(agency: Optional[str] = AgencyQ,
            year: Optional[int] = Query(None, description="năm của mốc chỉ tiêu (horizon year)"),
            document: Optional[str] = DocumentQ,
            due_before: Optional[dt.date] = Query(None, description="mốc không muộn hơn (horizon on or before)"),
            due_after: Optional[dt.date] = Query(None, description="mốc không sớm hơn (horizon on or after)"),
            limit: int = Limit, offset: int = Offset, svc: Service = Depends(get_service)) -> dict[str, Any]:
    items = filters.targets(records(svc, "targets"), svc.settings.base_iri, agency=agency, year=year, document=document,
                            due_before=_iso(due_before), due_after=_iso(due_after))
    return _page(items, limit, offset)


@router.get("/documents", response_model=Page[Document], summary="Văn bản (documents)")
def documents(agency: Optional[str] = Query(None, description="cơ quan ban hành (issuer name)"),
              year: Optional[int] = Query(None, description="năm ban hành (year of the document)"),
              document: Optional[str] = DocumentQ,
              limit: int = Limit, offset: int = Offset, svc: Service = Depends(get_service)) -> dict[str, Any]:
    items = filters.documents(records(svc, "documents"), svc.settings.base_iri, agency=agency, year=year, document=document)
    return _page(items, limit, offset)


@router.get("/agencies", response_model=Page[Agency], summary="Cơ quan (agencies)")
def agencies(agency: Optional[str] = AgencyQ,
             locality: Optional[str] = Query(None, description="địa phương (locality name)"),
             document: Optional[str] = Query(None, description="chỉ cơ quan có nhiệm vụ trong văn bản này "
                                                               "(only agencies with tasks in this document)"),
             limit: int = Limit, offset: int = Offset, svc: Service = Depends(get_service)) -> dict[str, Any]:
    base = svc.settings.base_iri
    involved = None
    if document:
        involved = {a["iri"] for t in filters.tasks(records(svc, "tasks"), base, document=document)
                    for a in t["lead"] + t["cooperating"]}
    items = filters.agencies(records(svc, "agencies"), base, agency=agency, locality=locality, involved_in=involved)
    return _page(items, limit, offset)


@router.get("/entities", response_model=Entity, responses={**NOT_FOUND, **RETIRED}, summary="Một thực thể bất kỳ (any entity, by IRI)")
def entities(iri: str = Query(..., description="IRI đầy đủ hoặc đường dẫn trên máy chủ này (full IRI or this server's path)"),
             svc: Service = Depends(get_service)) -> Entity:
    settings = svc.settings
    full = filters.as_iri(iri, settings.base_iri) or iri
    store = svc.snapshot.get()
    g = describe(store, settings, full) if safe_iri(full) else rdflib.Graph()
    if len(g) == 0:
        gone = lookup_retired(settings, full)
        if gone is not None and gone.successor is not None:  # moved: the same lookup, for its new IRI
            raise HTTPException(301, f"Thực thể đã chuyển sang {gone.successor} (moved)", headers={
                "Location": "/api/entities?" + urlencode({"iri": gone.successor})})
        if gone is not None:
            raise HTTPException(410, gone_message(gone))
        raise HTTPException(404, f"Không tìm thấy thực thể {full} (no such entity)")
    names = sorted({str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)})
    lab = labels(store, settings, names)
    triples = sorted(g, key=lambda t: (str(t[0]) != full, str(t[0]), str(t[1]), str(t[2])))
    return Entity(
        iri=full, label=lab.get(full), labels=lab,
        types=sorted(str(o) for o in g.objects(rdflib.URIRef(full), rdflib.URIRef(RDF_TYPE))),
        triples=[EntityTriple(subject=str(s), predicate=str(p), object=_term(o)) for s, p, o in triples])


@router.get("/stats", response_model=Stats, summary="Thống kê kho (counts, locations, versions)")
def stats(svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool)) -> dict[str, Any]:
    config = svc.config
    data = dict(svc.cache.get("stats", lambda store: collect_info(svc.settings, store)))
    data["service"] = ServiceInfo(
        query_workers=config.pool.workers, query_timeout_s=config.pool.timeout_s, max_rows=config.pool.max_rows,
        max_request_bytes=config.max_request_bytes, network_isolated_workers=pool.isolated,
        store_snapshot=svc.snapshot.version)
    return data


# -- /api/search ---------------------------------------------------------------------------------
@router.get("/search", summary="Tìm kiếm tiếng Việt (Vietnamese search)")
def search(request: Request, q: str = Query(..., description="câu hỏi, có dấu hoặc không dấu (the question, with or without accents)"),
           k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0),
           type: Optional[list[str]] = Query(None, description="Task | Target | Document | Section"),  # noqa: A002
           agency: Optional[list[str]] = Query(None), year: Optional[list[int]] = Query(None),
           document: Optional[list[str]] = Query(None), locality: Optional[list[str]] = Query(None),
           interpret: bool = True,
           sparql: Optional[str] = Query(None, description="mẫu đồ thị gắn ?item (a graph pattern binding ?item)"),
           svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool)) -> Any:
    # Vietnamese search over the index (plankg.search.service)
    def one(v: Optional[list[Any]]) -> Any:
        return v[0] if v and len(v) == 1 else (v or None)

    # the restriction is user SPARQL: it runs in the worker pool, never in this process (issue 12)
    runner = restriction_runner(pool, svc.settings, svc.config, svc.cache, client_of(request, svc.config))
    try:
        return run_search(svc.settings, svc.snapshot.get(), q, k=k, offset=offset, type=one(type), agency=one(agency),
                          year=one(year), document=one(document), locality=one(locality),
                          interpret=interpret, sparql=sparql, sparql_runner=runner)
    except RestrictionFailed as exc:
        raise HTTPException(exc.status, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    except SearchError as exc:  # a bad filter or SPARQL restriction: the caller's to fix
        raise HTTPException(400, str(exc)) from exc
    except IndexModelMismatch as exc:  # index built by another embedder: rebuild needed
        raise HTTPException(409, str(exc)) from exc
    except IndexMissing as exc:  # never built inside a request: the message names `plankg index`
        raise HTTPException(503, str(exc), headers={"Retry-After": "60"}) from exc
