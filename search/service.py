"""``search()``: the Vietnamese search service behind ``plankg search`` and ``/api/search``.

Pipeline for one query: understand it against the graph (:mod:`.understanding`), apply
explicit filters and an optional SPARQL restriction as hard filters, retrieve with BM25
and the dense index over the words left (:mod:`.lexical`, :mod:`.vectors`), fuse, collapse
a narrative task into its appendix row, add the graph boosts (:mod:`.ranking`), then page,
count facets and highlight snippets. The returned dict is a contract (scripts and the web
UI read it); see docs/search.md.

Interpreted parts are *boosts* when words are left to rank by; when nothing is left
("nhiệm vụ của Sở Y tế năm 2025") they are *filters* (all asked facts must hold, relaxed
to boosts if that leaves nothing). Explicit parameters are always filters and replace the
interpreted part of the same kind.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from plankg.config import Settings
from plankg.search.index.builder import SearchIndex, load_index
from plankg.search.index.items import ITEM_TYPES, MENTION, Item
from plankg.search.index.tables import RowTables
from plankg.search.query.answer import direct_answer
from plankg.search.query.ranking import (
    CATEGORIES,
    RankingConfig,
    accented_words,
    dense_cut,
    exact_bonus,
    fuse,
    graph_scores,
)
from plankg.search.query.understanding import Interpretation, Understander, _aligned_fold, _key_tokens
from plankg.search.text import has_diacritics, highlight, normalize_query
from plankg.store.base import GraphStore
from plankg.store.read.labels import document_label

__all__ = ["DEFAULT_CONFIG", "SearchError", "rank", "relevance", "search"]

DEFAULT_CONFIG = RankingConfig()
_TYPE_NAMES = {"task": "Task", "nhiem vu": "Task", "target": "Target", "chi tieu": "Target",
               "document": "Document", "van ban": "Document", "section": "Section", "muc": "Section",
               "phan": "Section"}


class SearchError(ValueError):
    """A parameter the service cannot use (unknown type, bad SPARQL restriction)."""


@dataclass
class Ranked:
    """The full ranking of one query (before paging)."""

    interpretation: Interpretation
    rows: list[tuple[int, float]]  # result rows, best first
    text_query: str
    filters: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- public API

def search(settings: Settings, store: GraphStore, query: str, k: int = 10, offset: int = 0,
           type: str | Iterable[str] | None = None, agency: str | Iterable[str] | None = None,
           year: int | str | Iterable[int | str] | None = None, document: str | Iterable[str] | None = None,
           locality: str | Iterable[str] | None = None, interpret: bool = True, sparql: str | None = None,
           *, config: RankingConfig | None = None,
           sparql_runner: Callable[[str], set[str]] | None = None) -> dict[str, Any]:
    """Search the indexed graph; returns the contract dict (see the module docstring).

    ``type``: Task | Target | Document | Section; ``agency``: agency IRI(s) or name(s);
    ``year``: deadline/horizon year(s) (else the document's year); ``document``: document
    IRI(s) or symbol(s) ("57/KH-UBND"); ``locality``: locality IRI(s) or name(s);
    ``sparql``: a graph pattern binding ``?item`` (or a whole SELECT returning ``?item``)
    restricting the candidates; ``interpret=False`` ranks the words only. ``sparql_runner``
    answers the restriction query (IRIs bound to ``?item``); the service passes one that runs
    it in its killable worker pool, the default runs it here after the parsed refusal check.
    """
    if len(query or "") > settings.max_search_chars:
        raise SearchError(f"Câu hỏi quá dài: tối đa {settings.max_search_chars} ký tự "
                          f"(question too long: at most {settings.max_search_chars} characters; PLANKG_MAX_SEARCH_CHARS)")
    _plain_filters(type, year)
    restrict = _sparql_items(settings, store, sparql, sparql_runner) if sparql else None  # refused before the index loads
    index = load_index(settings, store)
    ranked = rank(index, query, type=type, agency=agency, year=year, document=document, locality=locality,
                  interpret=interpret, restrict=restrict, config=config, today=today_of(settings))
    out = _response(index, query, ranked, k, offset)
    out["answer"] = answer_of(index, ranked, settings, store) if offset == 0 else None
    return out


def today_of(settings: Settings) -> date:
    """The reference day of relative periods ("quá hạn", "năm nay"): ``PLANKG_TODAY``, else the system date."""
    return date.fromisoformat(settings.today[:10]) if settings.today else date.today()


def answer_of(index: SearchIndex, ranked: Ranked, settings: Settings, store: GraphStore | None) -> dict[str, Any] | None:
    """The direct answer (:mod:`.query.answer`), with target values read from the store."""
    def facts(iri: str) -> dict[str, Any] | None:
        return target_value(settings, store, iri) if store is not None else None

    def passages(row: int) -> list[str]:  # the row's text and its narrative restatements
        it = index.items[row]
        return [it.text] + [index.items[index.row[m]].text for m in index.members.get(it.iri, ()) if m in index.row]

    return direct_answer(index.items, ranked.rows, ranked.interpretation, ranked.text_query, facts, passages)


def target_value(settings: Settings, store: GraphStore, iri: str) -> dict[str, Any] | None:
    """A target's value as printed (``text``), its unit and comparator; None without a value."""
    from plankg.store.read.queries import run_query

    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
        return None
    answer = run_query(store, settings, f"""PREFIX pk: <https://w3id.org/plankg/ontology#>
        SELECT ?v ?u ?c WHERE {{ <{iri}> pk:valueText ?v . OPTIONAL {{ <{iri}> pk:unit ?u }}
        OPTIONAL {{ <{iri}> pk:comparator ?c }} }} LIMIT 1""")
    for row in answer.rows:
        return {"text": str(row["v"]), "unit": str(row["u"]) if row.get("u") is not None else None,
                "comparator": str(row["c"]).rsplit("#", 1)[-1] if row.get("c") is not None else None}
    return None


def relevance(settings: Settings, store: GraphStore | None, query: str) -> dict[str, float]:
    """Score of every matching item for ``query`` (item IRI → score; narrative items share
    their appendix row's score), cached per index generation and query string: this is
    what ``pkf:score(?item, "…")`` returns inside SPARQL."""
    index = load_index(settings, store)  # never builds: a missing index raises IndexMissing
    key = (str(settings.index_path), index.generation, normalize_query(query))
    with _CACHE_LOCK:
        hit = _SCORE_CACHE.get(key)
        if hit is not None:
            _SCORE_CACHE.move_to_end(key)
            return hit
    ranked = rank(index, query)
    scores: dict[str, float] = {}
    for row, score in ranked.rows:
        it = index.items[row]
        scores[it.iri] = score
        for member in index.members.get(it.iri, ()):
            scores.setdefault(member, score)
    with _CACHE_LOCK:
        _SCORE_CACHE[key] = scores
        while len(_SCORE_CACHE) > 256:
            _SCORE_CACHE.popitem(last=False)
    return scores


_SCORE_CACHE: OrderedDict[tuple[str, str, str], dict[str, float]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


# --------------------------------------------------------------------------- ranking

_UNDERSTANDERS: dict[int, tuple[SearchIndex, Understander]] = {}
_TABLES: dict[int, tuple[SearchIndex, RowTables]] = {}
_PREPARE_LOCK = threading.Lock()


def understander(index: SearchIndex) -> Understander:
    """The query understander of an opened index (one per index; the index layer does not
    know about query understanding, so the service pairs them)."""
    hit = _UNDERSTANDERS.get(id(index))
    if hit is None or hit[0] is not index:
        with _PREPARE_LOCK:  # built once even when the first queries of a generation arrive together
            hit = _UNDERSTANDERS.get(id(index))
            if hit is None or hit[0] is not index:
                hit = (index, Understander(index.lexicon, index.used_agencies, _agency_places(index)))
                _UNDERSTANDERS.clear()  # only the current generation is kept
                _UNDERSTANDERS[id(index)] = hit
    return hit[1]


def row_tables(index: SearchIndex) -> RowTables:
    """Fact → rows lookups of an opened index (:mod:`.index.tables`), built once per
    generation, so a query visits the rows holding what it names instead of every item."""
    hit = _TABLES.get(id(index))
    if hit is None or hit[0] is not index:
        with _PREPARE_LOCK:
            hit = _TABLES.get(id(index))
            if hit is None or hit[0] is not index:
                hit = (index, RowTables.build(index.items, index.row))
                _TABLES.clear()
                _TABLES[id(index)] = hit
    return hit[1]


def prepare(index: SearchIndex) -> None:
    """Build what queries of this index generation share (understander, row tables) now,
    not in the first query: the service's warm-up calls it before ``/readyz`` answers ready."""
    understander(index)
    row_tables(index)


def _agency_places(index: SearchIndex) -> dict[str, str]:
    """Agency IRI → the place most of its items belong to, for agencies the registry does not
    place (an agency read from one province's plan): "Sở Y tế (Nghệ An)" beside "Sở Y tế
    (tỉnh Bình Phước)" in the interpretation."""
    names = {x.iri: x.name for x in index.lexicon.localities}
    counts: dict[str, Counter[str]] = {}
    for it in index.items:
        places = [names[x] for x in it.localities if x in names]
        for a in it.lead + it.cooperating:
            counts.setdefault(a["iri"], Counter()).update(places)
    return {a: c.most_common(1)[0][0] for a, c in counts.items() if c}


def rank(index: SearchIndex, query: str, *, type: Any = None, agency: Any = None, year: Any = None,  # noqa: C901, PLR0915 - rewritten by the question-understanding issue (#13)
         document: Any = None, locality: Any = None, interpret: bool = True, restrict: set[str] | None = None,
         config: RankingConfig | None = None, today: date | None = None) -> Ranked:
    """Rank every candidate for ``query`` (see the module docstring); ``today`` anchors
    relative periods ("quá hạn", "quý này")."""
    cfg = config or DEFAULT_CONFIG
    query = normalize_query(query or "").strip()
    use_graph = interpret and cfg.graph
    interp = (understander(index).understand(query, today) if use_graph
              else Interpretation(query=query, remaining=query))
    filters = _explicit_filters(index, type, agency, year, document, locality)
    if "type" in filters:
        interp.types = []
    if "agency" in filters:
        interp.agencies = []
    if "year" in filters:
        interp.period, interp.anchor = None, None
    if "document" in filters:
        interp.documents = []
    if "locality" in filters:
        interp.localities = []
    asked = [c for c in CATEGORIES if _asked(interp, c)] if use_graph else []
    if not interp.remaining and not asked:
        interp.remaining = query  # everything recognised was overridden by explicit filters
    items = index.items
    tables = row_tables(index)
    allowed = _allowed_rows(index, tables, filters, restrict)
    result_rows: Collection[int] = range(len(items)) if allowed is None else allowed
    # a narrative item counts for its appendix rows; shown itself only when none is allowed,
    # and a task mention (pk:TaskMention, not a task: #14) never (unfiltered: the tables' map)
    target: dict[int, list[int]] = tables.target
    if allowed is not None:
        target = {}
        for r in _with_members(index, allowed):
            parts = [index.row[p] for p in items[r].partners if p in index.row and index.row[p] in result_rows]
            target[r] = parts or ([r] if r in result_rows and items[r].type != MENTION else [])
    retrieval_rows = None if allowed is None else set(target)

    text_query = interp.remaining if any(c.isalnum() for c in interp.remaining) else ""
    text: dict[int, float] = {}
    if text_query:
        lex = index.lexical.search(text_query, cfg.k_lexical, retrieval_rows) if cfg.lexical else []
        if cfg.lexical and use_graph:
            lex += _named_fact_hits(index, tables, interp, cfg, text_query, lex, retrieval_rows, target)
        dense: list[tuple[int, float]] = []
        if cfg.dense and len(index.vectors):
            qv = _embed(index, _dense_text(index, text_query, cfg))
            dense = index.vectors.search(qv, cfg.k_dense, retrieval_rows)
        fused = fuse(lex, dense, cfg)
        candidates = {r for r, _s in lex} | {r for r, _s in dense_cut(dense, cfg)}
        for r in candidates:
            for t in target.get(r, ()):
                # through a narrative restatement: blended with the row's own words, so one
                # narrative item feeding two rows does not make them tie
                score = fused.get(r, 0.0) if t == r else \
                    cfg.narrative_share * fused.get(r, 0.0) + (1 - cfg.narrative_share) * fused.get(t, 0.0)
                text[t] = max(text.get(t, 0.0), score)
    graph: dict[int, dict[str, float]] = {}
    if asked:  # the rows that can use a boost: the text hits and those holding a named fact
        graph = _graph(index, interp, cfg, target, result_rows,
                       _fact_rows(index, tables, interp, asked, set(text) if text_query else None))
    if not text_query and not asked:  # an empty query browses what the filters allow; "???" finds nothing
        rows = sorted(r for r in result_rows if target.get(r) == [r] or not items[r].partners) if not query else []
    elif asked and not text_query:
        rows = [r for r, g in graph.items() if all(g.get(c, 0.0) > 0 for c in asked)]
        if not rows:  # the facts asked together match nothing: rank by any of them (every row)
            graph = _graph(index, interp, cfg, target, result_rows, None)
            rows = [r for r, g in graph.items() if any(v > 0 for v in g.values())]
    else:
        rows = list(text)
        if asked:  # items with a named agency, document or locality join even without the words
            strong = [c for c in ("agency", "document", "locality") if c in asked]
            rows += [r for r, g in graph.items() if r not in text and any(g.get(c, 0.0) > 0 for c in strong)]
    tie: dict[int, float] = {}
    if not text_query and asked and rows and cfg.dense and cfg.w_tie and len(index.vectors):
        qv = _embed(index, _dense_text(index, query, cfg))
        sims = index.vectors.search(qv, len(rows), rows)
        if sims:
            hi, lo = sims[0][1], sims[-1][1]
            tie = {r: cfg.w_tie * ((s - lo) / ((hi - lo) or 1.0)) for r, s in sims}
    words = accented_words(text_query) if text_query and has_diacritics(text_query) else []
    scored: list[tuple[int, float]] = []
    for r in dict.fromkeys(rows):
        score = text.get(r, 0.0) + sum(graph.get(r, {}).values()) + tie.get(r, 0.0)
        if items[r].type == "Section":
            score += cfg.section_prior
        elif items[r].type == "Document" and items[r].origin == "cited":
            score += cfg.cited_prior
        if words:
            texts = [items[r].text] + [items[index.row[m]].text for m in index.members.get(items[r].iri, ())
                                       if m in index.row]
            score += max(exact_bonus(t, words, cfg.w_exact) for t in texts)
        scored.append((r, round(score, 6)))
    scored.sort(key=lambda x: (-x[1], _type_order(items[x[0]]), items[x[0]].iri))
    return Ranked(interp, scored, text_query, {k: sorted(v) if isinstance(v, set) else v for k, v in filters.items()})


def _graph(index: SearchIndex, interp: Interpretation, cfg: RankingConfig, target: dict[int, list[int]],
           result_rows: Collection[int], candidates: set[int] | None) -> dict[int, dict[str, float]]:
    """Graph boosts (:func:`graph_scores`) of the result rows among ``candidates`` (None:
    every result row), in row order; a row collapsed into its appendix row gets none."""
    items = index.items
    rows = result_rows if candidates is None else sorted(r for r in candidates if r in result_rows)
    out: dict[int, dict[str, float]] = {}
    for r in rows:
        if items[r].partners and target.get(r) != [r]:
            continue  # collapsed into its appendix row
        out[r] = graph_scores(items[r], interp, cfg)
    return out


def _named_rows(index: SearchIndex, tables: RowTables, interp: Interpretation, category: str) -> set[int] | None:
    """Rows whose boost for ``category`` may be above 0 (a superset: the boost itself is
    computed on them); None when no table answers it (a period: every row may fit)."""
    if category == "type":
        return tables.with_type(interp.types)
    if category == "agency":
        return tables.with_agency(a["iri"] for a in interp.agencies)
    if category == "document":
        return tables.about_document((d["iri"] for d in interp.documents), index.row)
    if category == "locality":
        return tables.with_locality(x["iri"] for x in interp.localities)
    return None


def _fact_rows(index: SearchIndex, tables: RowTables, interp: Interpretation, asked: list[str],
               text_rows: set[int] | None) -> set[int] | None:
    """The rows whose graph boosts the ranking can use (None: every row).

    With words to rank by (``text_rows``: the text hits), a boost counts for the text hits
    and brings in the rows holding a named agency, document or place; without words, a row
    must hold every fact asked, so the rows holding the rarest one suffice (the fallback to
    "any fact", when none holds all, looks at every row)."""
    if text_rows is not None:
        out = set(text_rows)
        for c in ("agency", "document", "locality"):
            if c in asked:
                out |= _named_rows(index, tables, interp, c) or set()
        return out
    sets = [x for x in (_named_rows(index, tables, interp, c) for c in asked) if x is not None]
    return min(sets, key=len) if sets else None


def _named_fact_hits(index: SearchIndex, tables: RowTables, interp: Interpretation, cfg: RankingConfig,
                     text_query: str, lex: list[tuple[int, float]], retrieval_rows: set[int] | None,
                     target: dict[int, list[int]]) -> list[tuple[int, float]]:
    """BM25 scores of the items holding an agency, document or place the query named, beyond
    the top ``k_lexical``: they join the results anyway, and with a text score of 0 the plan
    the question asks for ("kế hoạch nào của phường Bình Phước về khoa học công nghệ") fell
    below the ward's tasks once more documents about "khoa học công nghệ" pushed it out of
    the top 100. A BM25 score does not depend on the other rows, so the fusion's
    normalisation (by the best hit, in the top k) is unchanged."""
    strong = [c for c in ("agency", "document", "locality") if _asked(interp, c)]
    if not strong:
        return []
    have = {r for r, _s in lex}
    holding: set[int] = set()  # rows that may hold a named fact, then the rows counting for them
    for c in strong:
        holding |= _named_rows(index, tables, interp, c) or set()
    sources = tables.sources if target is tables.target else _reverse(target)
    feeding = {r for t in holding for r in sources.get(t, ())}
    named = {r for r in feeding
             if r not in have and (retrieval_rows is None or r in retrieval_rows)
             and any(graph_scores(index.items[t], interp, cfg).get(c, 0.0) > 0
                     for t in target.get(r, ()) for c in strong)}
    return index.lexical.search(text_query, len(named), named) if named else []


def _reverse(target: dict[int, list[int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for r, ts in target.items():
        for t in ts:
            out.setdefault(t, []).append(r)
    return out


_EMBED_CACHE: OrderedDict[tuple[str, str], Any] = OrderedDict()


def _embed(index: SearchIndex, text: str) -> Any:
    """Query vector, cached per (model, text): the same query from the UI's facet clicks,
    paging and ``pkf:score`` is embedded once."""
    key = (str(index.meta.get("embedder")), text)
    with _CACHE_LOCK:
        hit = _EMBED_CACHE.get(key)
        if hit is not None:
            _EMBED_CACHE.move_to_end(key)
            return hit
    vec = index.embedder().embed_query(text)
    with _CACHE_LOCK:
        _EMBED_CACHE[key] = vec
        while len(_EMBED_CACHE) > 1024:
            _EMBED_CACHE.popitem(last=False)
    return vec


def _dense_text(index: SearchIndex, text: str, cfg: RankingConfig) -> str:
    """What the dense model embeds: an unmarked query gets its marks back (see
    :meth:`LexicalIndex.restore_marks`); the embedding of each distinct text is cached."""
    if cfg.restore_marks and not has_diacritics(text):
        return index.lexical.restore_marks(text)
    return text


def _asked(interp: Interpretation, category: str) -> bool:
    return bool({"type": interp.types, "agency": interp.agencies, "period": interp.period_asked,
                 "document": interp.documents, "locality": interp.localities}[category])


def _type_order(item: Item) -> int:
    return {"Task": 0, "Target": 1, "Document": 2, "Section": 3}.get(item.type, 4)


def _with_members(index: SearchIndex, allowed: set[int]) -> set[int]:
    out = set(allowed)
    for r in allowed:
        for m in index.members.get(index.items[r].iri, ()):
            if m in index.row:
                out.add(index.row[m])
    return out


# --------------------------------------------------------------------------- filters

def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def _explicit_filters(index: SearchIndex, type: Any, agency: Any, year: Any, document: Any,
                      locality: Any) -> dict[str, set[Any]]:
    out = _plain_filters(type, year)
    if _as_list(agency):
        out["agency"] = {iri for a in _as_list(agency) for iri in _resolve_agency(index, str(a))}
    if _as_list(document):
        out["document"] = {iri for d in _as_list(document) for iri in _resolve_document(index, str(d))}
    if _as_list(locality):
        out["locality"] = {iri for x in _as_list(locality) for iri in _resolve_locality(index, str(x))}
    return out


def _plain_filters(type: Any, year: Any) -> dict[str, set[Any]]:
    """The type and year filters, which need no index: checked before it is opened, so a bad
    one is the caller's error (400) even while the index is missing (503)."""
    out: dict[str, set[Any]] = {}
    if _as_list(type):
        types = set()
        for t in _as_list(type):
            name = _TYPE_NAMES.get(_aligned_fold(str(t)).strip(), str(t))
            match = next((x for x in ITEM_TYPES if x.lower() == name.lower()), None)
            if match is None:
                raise SearchError(f"Loại kết quả không hợp lệ: {t!r} (Task, Target, Document, Section)")
            types.add(match)
        out["type"] = types
    if _as_list(year):
        try:
            out["year"] = {int(y) for y in _as_list(year)}
        except ValueError as exc:
            raise SearchError(f"Năm không hợp lệ: {year!r}") from exc
    return out


def _resolve_agency(index: SearchIndex, value: str) -> set[str]:
    if value.startswith(("http://", "https://")):
        return {value}
    keys = set(_key_tokens(value))
    return {a.iri for a in index.lexicon.agencies if keys & {k for lb in a.labels for k in _key_tokens(lb)}}


def _resolve_document(index: SearchIndex, value: str) -> set[str]:
    if value.startswith(("http://", "https://")):
        return {value}
    want = "".join(ch for ch in _aligned_fold(value) if ch.isalnum())
    return {d.iri for d in index.lexicon.documents
            if d.identifier and "".join(ch for ch in _aligned_fold(d.identifier) if ch.isalnum()) == want}


def _resolve_locality(index: SearchIndex, value: str) -> set[str]:
    if value.startswith(("http://", "https://")):
        return {value}
    want = " ".join(_aligned_fold(value).split())
    exact = {x.iri for x in index.lexicon.localities if any(" ".join(_aligned_fold(lb).split()) == want for lb in x.labels)}
    # "phường Bình Phước" is also the ward a document names only as "Bình Phước" (level commune)
    return exact | {x["iri"] for x in understander(index).understand(value).localities}


def _allowed_rows(index: SearchIndex, tables: RowTables, filters: dict[str, set[Any]],
                  restrict: set[str] | None) -> set[int] | None:
    """Rows passing every filter (None: no filter), intersected from the row tables."""
    if not filters and restrict is None:
        return None
    found: list[set[int]] = []
    if "type" in filters:
        found.append(tables.with_type(filters["type"]))
    if "agency" in filters:
        found.append(tables.with_agency(filters["agency"]))
    if "year" in filters:
        found.append(tables.with_year(filters["year"]))
    if "document" in filters:
        found.append(tables.in_document(filters["document"], index.row))
    if "locality" in filters:
        found.append(tables.with_locality(filters["locality"]))
    if restrict is not None:
        found.append({index.row[i] for i in restrict if i in index.row})
    found.sort(key=len)
    return found[0].intersection(*found[1:])


_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)+", re.IGNORECASE)


def _sparql_items(settings: Settings, store: GraphStore, sparql: str,
                  runner: Callable[[str], set[str]] | None = None) -> set[str]:
    """IRIs bound to ``?item`` by the restriction: a whole SELECT, or a graph pattern
    wrapped as ``SELECT DISTINCT ?item WHERE { … }`` with the usual prefixes."""
    from plankg.store.base import StoreError
    from plankg.store.read.inspect import QueryLimits, inspect_query
    from plankg.store.read.queries import PREFIXES, run_query

    m = _PROLOGUE.match(sparql)
    prologue, head = (m.group(0), sparql[m.end():]) if m else ("", sparql)
    declared = set(re.findall(r"PREFIX\s+([\w.-]*):", prologue, re.IGNORECASE))
    ours = "".join(line + "\n" for line in PREFIXES.splitlines()
                   if line and re.match(r"PREFIX\s+([\w.-]*):", line).group(1) not in declared)  # type: ignore[union-attr]
    if re.match(r"\s*SELECT\b", head, re.IGNORECASE):
        body = ours + prologue + head
    else:
        body = f"{ours}{prologue}\nSELECT DISTINCT ?item WHERE {{ {head}\n}}"
    if runner is not None:
        return runner(body)
    try:
        checked = inspect_query(body, settings.base_iri, QueryLimits.from_settings(settings))  # user text
        answer = run_query(store, settings, checked.text)
    except StoreError as exc:
        raise SearchError(f"Ràng buộc SPARQL không hợp lệ (invalid SPARQL restriction): {exc}") from exc
    if answer.kind != "select" or "item" not in answer.variables:
        raise SearchError("Ràng buộc SPARQL phải trả về biến ?item (the SPARQL restriction must bind ?item)")
    return {str(row["item"]) for row in answer.rows if "item" in row}


# --------------------------------------------------------------------------- response

def _highlight_tokens(index: SearchIndex, ranked: Ranked) -> list[str]:
    """Words to mark in snippets: the remaining words; when none are left, the words of the
    agencies and documents the query named (multi-syllable words and symbols only: "y tế",
    "57/kh-ubnd" — a lone "sở" would mark every "số")."""
    if ranked.text_query:
        return index.lexical.analyze_query(ranked.text_query).folded_tokens
    interp = ranked.interpretation
    names = [a["name"] for a in interp.agencies if not a.get("relation")]
    names += [d["identifier"] for d in interp.documents if d.get("identifier")]
    if not names:
        return []
    toks = index.lexical.analyze_query(" . ".join(names)).folded_tokens
    return [t for t in toks if "_" in t or "/" in t or any(c.isdigit() for c in t)]


def _response(index: SearchIndex, query: str, ranked: Ranked, k: int, offset: int) -> dict[str, Any]:
    items = index.items
    rows = ranked.rows
    tokens = _highlight_tokens(index, ranked)
    place = understander(index).locality_names
    results = []
    for r, score in rows[max(0, offset):max(0, offset) + max(0, k)]:
        it = items[r]
        res = it.result()
        res["snippet"] = highlight(it.text, tokens) if tokens else highlight(it.text, [])
        res["score"] = score
        res["localities"] = [{"iri": x, "name": place.get(x, x)} for x in it.localities]
        results.append(res)
    facets: dict[str, Counter[str]] = {"type": Counter(), "agency": Counter(), "year": Counter(), "document": Counter()}
    labels: dict[str, str] = {}
    for r, _s in rows:
        it = items[r]
        facets["type"][it.type] += 1
        for a in {a["iri"]: a for a in it.lead + it.cooperating}.values():
            facets["agency"][a["iri"]] += 1
            labels.setdefault(a["iri"], a.get("name") or a.get("raw") or a["iri"])
        for y in it.effective_years():
            facets["year"][str(y)] += 1
        doc = it.document or {}
        if doc.get("iri"):
            facets["document"][doc["iri"]] += 1
            if doc["iri"] not in labels:
                labels[doc["iri"]] = document_label(doc)
    interp = ranked.interpretation.to_dict()
    return {
        "query": query,
        "interpretation": interp,
        "total": len(rows),
        "facets": {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in facets.items()},
        "results": results,
        "filters": ranked.filters,
        "labels": labels,
        "index": {"embedder": index.meta.get("embedder"), "generation": index.generation},
    }

