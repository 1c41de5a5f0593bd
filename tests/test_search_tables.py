"""Row tables (search/index/tables.py, issue 11): the fact → rows lookups that keep a query's
time independent of the corpus size must give exactly what a scan of every item gives.

On the five seeds (the session's ingest), indexed into a separate folder with a hash
embedder (no model): each table against the item-by-item definition, the filters against
the per-item filter, and the ranking with lookups against the ranking over every row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plankg.search import service
from plankg.search.index.builder import SearchIndex, build_index, load_index
from plankg.search.index.embedders import register_backend
from plankg.search.index.items import MENTION
from plankg.search.index.tables import RowTables
from tests.fake_embedders import HashEmbedder

register_backend("fake-tables", lambda arg, opts: HashEmbedder("fake-tables", 64))
EVAL = Path(__file__).resolve().parent / "search_eval.json"
QUESTIONS = Path(__file__).resolve().parent / "search_questions.json"


@pytest.fixture(scope="module")
def env(seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, SearchIndex]]:
    settings, store = seeded[0], seeded[1]
    mine = settings.model_copy(update={"home": tmp_path_factory.mktemp("tables"), "embedder": "fake-tables"})
    build_index(mine, store, rebuild=True)
    yield mine, store, load_index(mine, store)


def _queries() -> list[str]:
    evals = [q["query"] for q in json.loads(EVAL.read_text("utf-8"))["queries"]]
    asked = [q.get("query") or q.get("question") for q in json.loads(QUESTIONS.read_text("utf-8"))["queries"]]
    return list(dict.fromkeys([*evals, *[q for q in asked if q], "", "kế hoạch năm 2025", "quá hạn"]))


def test_tables_hold_exactly_the_rows_of_each_fact(env) -> None:
    _settings, _store, index = env
    items, t = index.items, RowTables.build(index.items, index.row)
    assert t.by_agency and t.by_document and t.by_locality and t.by_year  # the seeds have every kind of fact
    for agency, rows in t.by_agency.items():
        assert set(rows) == {r for r, it in enumerate(items) if agency in it.agency_iris}
    for doc, rows in t.by_document.items():
        assert set(rows) == {r for r, it in enumerate(items) if (it.document or {}).get("iri") == doc}
    for loc, rows in t.by_locality.items():
        assert set(rows) == {r for r, it in enumerate(items) if loc in it.localities}
    for year, rows in t.by_year.items():
        assert set(rows) == {r for r, it in enumerate(items) if year in it.effective_years()}
    for typ, rows in t.by_type.items():
        assert set(rows) == {r for r, it in enumerate(items) if it.type == typ}
    assert sum(len(r) for r in t.by_type.values()) == len(items)
    for r, it in enumerate(items):  # a narrative item counts for its appendix rows, a mention never for itself
        parts = [index.row[p] for p in it.partners if p in index.row]
        assert t.target[r] == (parts or ([r] if it.type != MENTION else []))
        assert all(r in t.sources[x] for x in t.target[r])
    assert any(it.partners for it in items)  # the seeds' narrative restatements are collapsed


def _scan(index: SearchIndex, filters: dict[str, set[Any]]) -> set[int]:
    """The filters item by item (what the tables replace)."""
    out = set()
    for r, it in enumerate(index.items):
        if "type" in filters and it.type not in filters["type"]:
            continue
        if "agency" in filters and not it.agency_iris & filters["agency"]:
            continue
        if "year" in filters and not set(it.effective_years()) & filters["year"]:
            continue
        if "document" in filters and (it.document or {}).get("iri") not in filters["document"] \
                and it.iri not in filters["document"]:
            continue
        if "locality" in filters and not set(it.localities) & filters["locality"]:
            continue
        out.add(r)
    return out


def test_filters_from_the_tables_equal_the_item_scan(env) -> None:
    _settings, _store, index = env
    tables = service.row_tables(index)
    agency = max(tables.by_agency, key=lambda a: len(tables.by_agency[a]))
    doc = max(tables.by_document, key=lambda d: len(tables.by_document[d]))
    loc = max(tables.by_locality, key=lambda x: len(tables.by_locality[x]))
    year = max(tables.by_year, key=lambda y: len(tables.by_year[y]))
    cases: list[dict[str, set[Any]]] = [
        {"type": {"Task"}}, {"agency": {agency}}, {"document": {doc}}, {"locality": {loc}}, {"year": {year}},
        {"type": {"Task", "Target"}, "agency": {agency}, "year": {year}}, {"document": {doc}, "type": {"Document"}},
        {"agency": set()}, {"locality": {loc}, "year": {year, year + 1}}]
    for filters in cases:
        got = service._allowed_rows(index, tables, filters, None)
        assert got == _scan(index, filters), filters
    some = {it.iri for it in index.items[::7]}
    assert service._allowed_rows(index, tables, {}, some) == {index.row[i] for i in some}


def test_lookups_change_no_ranking(env, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows found through the tables are a superset of those a graph boost can reach:
    ranking with them equals ranking with every row."""
    settings, _store, index = env
    today = service.today_of(settings)
    queries = _queries()
    looked_up = [service.rank(index, q, today=today) for q in queries]
    every = set(range(len(index.items)))
    monkeypatch.setattr(service, "_named_rows", lambda *args: set(every))
    for q, ranked in zip(queries, looked_up):
        full = service.rank(index, q, today=today)
        assert ranked.rows == full.rows, q
    assert any(r.interpretation.agencies for r in looked_up) and any(r.interpretation.period for r in looked_up)
