"""The results page behind ``/tim-kiem``: the search contract turned into chips, facets and cards.

Why here and not in ``plankg.search``: the service returns one contract dict
(docs/search.md) and this module only *reads* it. What the page adds:

* **Removable interpretation.** Each recognised part (type, agency, period, document,
  locality) gets a link that re-runs the search without it. Explicit parameters replace the
  interpreted part of the same kind (the contract's rule), so removing one of several
  agencies passes the others explicitly; removing the last one — or a period, which has no
  explicit equivalent — removes its words from the query, which the user then sees in the
  search box. Removing the type passes all four types.
* **Facets over the whole result list**, as links: loại, cơ quan chủ trì (lead only — for a
  target its monitoring agency, for a document its issuer), năm, văn bản, địa phương. The
  search is asked for every result (≤ ``MAX_RESULTS``; 60 ms on the seeds) and the page is
  cut here, so the lead-agency facet can narrow the list and all counts stay consistent.
* CSV rows of the same list (``/tim-kiem.csv`` with the same parameters).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.datastructures import QueryParams

from plankg.api.web.render import distinct, query_string
from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.labels import document_label

PAGE_SIZE = 10
MAX_RESULTS = 2000
ALL_TYPES = ("Task", "Target", "Document", "Section")


@dataclass(frozen=True)
class SearchParams:
    """The page's URL parameters. IRIs travel as this server's paths (``/agency/…``)."""

    q: str = ""
    types: tuple[str, ...] = ()  # loai
    agencies: tuple[str, ...] = ()  # co_quan: explicit agency filter (lead or cooperating)
    lead: str = ""  # chu_tri: lead-agency facet, narrows the list
    years: tuple[int, ...] = ()  # nam
    documents: tuple[str, ...] = ()  # van_ban
    localities: tuple[str, ...] = ()  # dia_phuong
    page: int = 1  # trang

    @classmethod
    def from_query(cls, params: QueryParams) -> SearchParams:
        def many(name: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))

        years = tuple(int(y) for y in many("nam") if y.isdigit())
        page = params.get("trang", "1")
        return cls(q=params.get("q", "").strip(), types=tuple(t for t in many("loai") if t in ALL_TYPES),
                   agencies=many("co_quan"), lead=params.get("chu_tri", "").strip(), years=years,
                   documents=many("van_ban"), localities=many("dia_phuong"),
                   page=max(1, int(page)) if page.isdigit() else 1)

    def pairs(self) -> list[tuple[str, Any]]:
        return [("q", self.q), ("loai", list(self.types)), ("co_quan", list(self.agencies)), ("chu_tri", self.lead),
                ("nam", list(self.years)), ("van_ban", list(self.documents)), ("dia_phuong", list(self.localities)),
                ("trang", self.page if self.page > 1 else None)]

    def url(self, path: str = "/tim-kiem", **changes: Any) -> str:
        """The URL of these parameters with ``changes``; any change but paging goes to page 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        return path + query_string(replace(self, **changes).pairs())

    @property
    def explicit(self) -> bool:
        return bool(self.types or self.agencies or self.lead or self.years or self.documents or self.localities)


@dataclass
class Chip:
    """One part of the query's meaning, shown with a link that takes it away."""

    kind: str  # Vietnamese label of the kind ("Cơ quan", "Thời gian", …)
    text: str
    remove: str | None  # URL without this part (None: cannot be removed)
    source: str = "interpreted"  # interpreted | filter


@dataclass
class Facet:
    name: str  # Vietnamese heading
    values: list[dict[str, Any]] = field(default_factory=list)  # {label, count, url, active}


def to_iri(value: str, base: str) -> str:
    """A URL value as an IRI: this server's path (``/agency/…``) → under the base; names unchanged."""
    if value.startswith("/"):
        return base + value.lstrip("/")
    return value


def to_path(iri: str, base: str) -> str:
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def search_kwargs(p: SearchParams, base: str) -> dict[str, Any]:
    """``search()`` keyword arguments for the explicit filters (contract parameter names)."""
    return {"type": list(p.types) or None, "agency": [to_iri(a, base) for a in p.agencies] or None,
            "year": list(p.years) or None, "document": [to_iri(d, base) for d in p.documents] or None,
            "locality": [to_iri(x, base) for x in p.localities] or None}


@dataclass
class Outcome:
    """Everything the results page and the CSV need."""

    response: dict[str, Any]
    results: list[dict[str, Any]]  # after the lead-agency facet, all pages
    items: dict[str, Any]  # result IRI → index item (for facets)
    locality_names: dict[str, str]
    capped: bool

    @property
    def total(self) -> int:
        return len(self.results)


def run(settings: Settings, store: GraphStore, p: SearchParams) -> Outcome:
    """Every result of the query (the contract's ranking), narrowed by the lead-agency facet."""
    from plankg.search.index.builder import load_index
    from plankg.search.service import search

    response = search(settings, store, p.q, k=MAX_RESULTS, offset=0, **search_kwargs(p, settings.base_iri))
    index = load_index(settings, store, refresh=False)
    items = {r["iri"]: index.items[index.row[r["iri"]]] for r in response["results"] if r["iri"] in index.row}
    results = response["results"]
    if p.lead:
        lead = to_iri(p.lead, settings.base_iri)
        results = [r for r in results if any(a["iri"] == lead for a in r.get("lead") or [])]
    return Outcome(response, results, items, locality_names(index.lexicon.localities), capped=response["total"] > MAX_RESULTS)


def locality_names(localities: list[Any]) -> dict[str, str]:
    """A display name per locality IRI; IRIs for one place share it ("Bình Phước" and "tỉnh
    Bình Phước", both provinces, are one facet value; "phường Bình Phước" stays apart)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for loc in localities:
        core = min(loc.labels or [loc.name], key=len)
        groups.setdefault((loc.level or "", core), []).append(loc)
    return {loc.iri: max((x.name for x in group), key=len) for group in groups.values() for loc in group}


def page_of(outcome: Outcome, p: SearchParams) -> tuple[list[dict[str, Any]], int]:
    """The results of page ``p.page`` and the number of pages."""
    pages = max(1, -(-outcome.total // PAGE_SIZE))
    page = min(p.page, pages)
    return outcome.results[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], pages


# --------------------------------------------------------------------------- chips

def _without_words(query: str, words: str | None) -> str | None:
    """The query with the first occurrence of ``words`` taken out (None: not found)."""
    if not words:
        return None
    i = query.find(words)
    if i < 0:
        i = query.lower().find(words.lower())
    if i < 0:
        return None
    return re.sub(r"\s+", " ", query[:i] + " " + query[i + len(words):]).strip()


def chips(p: SearchParams, outcome: Outcome, names: dict[str, str], base: str) -> list[Chip]:
    """The interpretation's parts, then the explicit filters, each with a removal link."""
    interp = outcome.response.get("interpretation") or {}
    agencies = [e["iri"] for e in interp.get("agencies") or []] + [to_iri(a, base) for a in (*p.agencies, p.lead) if a]
    names = {**names, **distinct(agencies, names)}
    out: list[Chip] = []
    if interp.get("types"):
        text = ", ".join(TYPE_LABELS.get(t, t) for t in interp["types"])
        out.append(Chip("Loại", text, p.url(types=ALL_TYPES)))
    for kind, label, field_name in (("agencies", "Cơ quan", "agencies"), ("documents", "Văn bản", "documents"),
                                    ("localities", "Địa phương", "localities")):
        entries = interp.get(kind) or []
        for e in entries:
            kept = tuple(to_path(o["iri"], base) for o in entries if o["iri"] != e["iri"])
            if kept:
                url: str | None = p.url("/tim-kiem", **{field_name: kept})
            else:
                q = _without_words(p.q, e.get("matched"))
                url = p.url(q=q) if q is not None else None
            out.append(Chip(label, _entry_text(kind, e, names), url))
    period = interp.get("period")
    if period:
        q = _without_words(p.q, period.get("text"))
        span = " – ".join(x for x in (_vi(period.get("start")), _vi(period.get("end"))) if x)
        out.append(Chip("Chủ đề" if period.get("mode") == "subject" else "Thời gian",
                        f"{period.get('label') or period.get('text')}" + (f" ({span})" if span else ""),
                        p.url(q=q) if q is not None else None))
    if interp.get("role"):
        out.append(Chip("Vai trò", {"lead": "chủ trì", "cooperating": "phối hợp"}.get(interp["role"], interp["role"]), None))
    # explicit filters (from facets or earlier removals)
    if p.types:
        text = "tất cả" if set(p.types) == set(ALL_TYPES) else ", ".join(TYPE_LABELS.get(t, t) for t in p.types)
        out.append(Chip("Loại", text, p.url(types=()), "filter"))
    for a in p.agencies:
        out.append(Chip("Cơ quan", names.get(to_iri(a, base), a), p.url(agencies=tuple(x for x in p.agencies if x != a)), "filter"))
    if p.lead:
        out.append(Chip("Chủ trì", names.get(to_iri(p.lead, base), p.lead), p.url(lead=""), "filter"))
    for y in p.years:
        out.append(Chip("Năm", str(y), p.url(years=tuple(x for x in p.years if x != y)), "filter"))
    for d in p.documents:
        out.append(Chip("Văn bản", names.get(to_iri(d, base), d), p.url(documents=tuple(x for x in p.documents if x != d)), "filter"))
    if p.localities:
        text = ", ".join(dict.fromkeys(outcome.locality_names.get(to_iri(x, base), x) for x in p.localities))
        out.append(Chip("Địa phương", text, p.url(localities=()), "filter"))
    return out


TYPE_LABELS = {"Task": "nhiệm vụ", "Target": "chỉ tiêu", "Document": "văn bản", "Section": "mục"}


def _vi(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso and len(iso) >= 10 else (iso or "")


def _entry_text(kind: str, e: dict[str, Any], names: dict[str, str]) -> str:
    if kind == "agencies":
        text = names.get(e["iri"]) or e.get("name") or e["iri"]
        rel = {"successor": "đơn vị kế thừa", "predecessor": "đơn vị tiền thân"}.get(e.get("relation") or "")
        return f"{text} ({rel})" if rel else text
    if kind == "documents":
        ident = e.get("identifier") or names.get(e["iri"]) or document_label(e)
        year = re.search(r"/(\d{4})/", e["iri"])
        return f"{ident} ({year.group(1)})" if year else ident
    return e.get("name") or e["iri"]


# --------------------------------------------------------------------------- facets

def facets(p: SearchParams, outcome: Outcome, names: dict[str, str], base: str) -> list[Facet]:
    """Loại, cơ quan chủ trì, năm, văn bản, địa phương — counted over the whole list."""
    types: Counter[str] = Counter()
    leads: Counter[str] = Counter()
    years: Counter[int] = Counter()
    docs: Counter[str] = Counter()
    locs: Counter[str] = Counter()  # by locality *name*: two IRIs may name one place
    loc_iris: dict[str, set[str]] = {}
    for r in outcome.results:
        it = outcome.items.get(r["iri"])
        types[r["type"]] += 1
        for a in {a["iri"] for a in r.get("lead") or []}:
            leads[a] += 1
            names.setdefault(a, next((x.get("name") or x.get("raw") or a for x in r["lead"] if x["iri"] == a), a))
        doc = r.get("document") or {}
        if doc.get("iri"):
            docs[doc["iri"]] += 1
            names.setdefault(doc["iri"], document_label(doc))
        if it is not None:
            for y in set(it.effective_years()):
                years[y] += 1
            seen = set()
            for loc in it.localities:
                name = outcome.locality_names.get(loc, loc)
                loc_iris.setdefault(name, set()).add(loc)
                if name not in seen:
                    seen.add(name)
                    locs[name] += 1

    names = {**names, **distinct(list(leads), names)}

    def values(counter: Counter[Any], label: Any, url: Any, active: Any, limit: int = 12) -> list[dict[str, Any]]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], str(label(kv[0]))))[:limit]
        return [{"label": label(k), "count": n, "url": url(k), "active": active(k)} for k, n in ranked]

    active_types = set(p.types) if set(p.types) != set(ALL_TYPES) else set()
    doc_paths = {to_iri(d, base) for d in p.documents}
    loc_active = {to_iri(x, base) for x in p.localities}
    return [
        Facet("Loại", values(types, lambda t: (TYPE_LABELS.get(t) or t).capitalize(),
                             lambda t: p.url(types=(t,)), lambda t: t in active_types)),
        Facet("Cơ quan chủ trì", values(leads, lambda a: names.get(a, a), lambda a: p.url(lead=to_path(a, base)),
                                        lambda a: to_iri(p.lead, base) == a if p.lead else False)),
        Facet("Năm", values(years, str, lambda y: p.url(years=(y,)), lambda y: y in p.years)
              if years else []),
        Facet("Văn bản", values(docs, lambda d: names.get(d, d), lambda d: p.url(documents=(to_path(d, base),)),
                                lambda d: d in doc_paths)),
        Facet("Địa phương", values(locs, str, lambda n: p.url(localities=tuple(sorted(to_path(i, base) for i in loc_iris[n]))),
                                   lambda n: bool(loc_iris[n] & loc_active))),
    ]


# --------------------------------------------------------------------------- CSV

def csv_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per result, Vietnamese column names, lists of agencies as names ("; " in the CSV)."""
    rows = []
    for r in results:
        dl = r.get("deadline") or {}
        doc = r.get("document") or {}
        src = r.get("source")
        rows.append({
            "Loại": TYPE_LABELS.get(r["type"], r["type"]).capitalize(), "Nội dung": r.get("text"),
            "Cơ quan chủ trì": r.get("lead") or [], "Cơ quan phối hợp": r.get("cooperating") or [],
            "Thời hạn": dl.get("text"), "Bắt đầu": dl.get("start"), "Hạn cuối": dl.get("end"),
            "Văn bản": doc.get("identifier") or doc.get("title"), "Ngày văn bản": doc.get("date"),
            "Nguồn": f"{src['file']}:{src['start']}-{src['end']}" if src else None,
            "Điểm": r.get("score"), "IRI": r["iri"],
        })
    return rows
