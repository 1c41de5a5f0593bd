"""Incremental graph building: a change touches only its sources, their document clusters
and the sources whose citations resolve through them.

Why: rebuilding every source graph and the whole merged view after each change made one
added file cost the whole corpus (10.8 s at 200 documents) and held every graph in memory.
Here a small *build state* (``PLANKG_HOME/build/state.sqlite``, :mod:`.state_store`: per
source what clustering, citation resolution and the merged view need to know about it,
about 2 KB, one row each, with indexed lookup tables) stands in for the other sources'
extractions and graphs. A run reads only the rows it needs (:class:`~.state_store.LiveState`
loads a row when first asked for) and writes only the rows it changed, in one transaction,
so neither grows with the corpus (the former whole-file ``build/state.json`` was read and
written whole on every change: 5.7 MB, 0.3 s at 3,000 documents; a home that has it
migrates on its first run):

1. **Clusters** (renditions of one document) are the connected components of
   :func:`~plankg.ingest.build.renditions.same_document`. Only the new or changed files and
   the former partners of changed or removed files are compared again, each against the
   sources its metadata is compatible with (an indexed query: blocked by symbol, pruned
   by signature and trigram counts, exact implications of the pairwise test), so
   components equal a full clustering; an untouched cluster joins through its primary.
2. **Citations** resolve through two corpus-wide tables (the years a symbol is known with,
   the keys of the ingested documents), looked up per entry in the state store with this
   run's rows in front (:class:`~.state_store.YearTable`, :class:`~.state_store.OwnerTable`);
   only the entries the changed rows contribute to are compared before and after. A source
   is rebuilt when an entry it cites (by symbol or key number, an indexed lookup) changed.
3. **The merged view** is recomputed subject by subject for the subjects of the graphs that
   were rewritten or dropped (before and after), reading only those subjects' triples
   (:meth:`GraphStore.quads_about`) and patching the merged graph.

Work is done cluster by cluster in chunks, so memory holds one chunk's graphs plus the
state. The result does not depend on the order files were ingested: every step is a
function of the set of sources (``tests/test_incremental.py`` compares with a fresh build).

Crash safety: the names being rebuilt are journalled (``build/journal.json``) before any
graph is written; a run that finds the journal rebuilds those names again and recomputes
the whole merged view (the subjects of lost graphs are not known then). The state is
committed in one SQLite transaction after the graphs and the merged view (crash points
``state-writing`` inside it, ``state-written`` after it), before the journal is removed:
the state on disk is always a finished run's, whole. The JSON journal stays: it must be
on disk before the first graph is written to the graph store, a database the state's
transaction cannot span. Each source's
subjects are kept (``build/subjects/<name>.gz``) after the merged view took them in, so
a dropped or replaced graph's old subjects are known to the next run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from plankg.folding import slugify
from plankg.ingest.build.assemble import (
    BuildReport,
    CitationResolver,
    _member_graph,
    _norm_symbol,
    _Shared,
    key_for_document,
    merged_document,
    year_contributions,
)
from plankg.ingest.build.merge import (
    PK,
    merged_statements,
    rendition_rank,
    repeated_readings,
    stored_citation_readings,
)
from plankg.ingest.build.merge_delta import Changes, delta_patch, is_wide
from plankg.ingest.build.renditions import (
    CANDIDATE_JACCARD,
    DocumentCluster,
    _trigrams,
    fold,
    looks_like_ocr,
    same_document,
)
from plankg.ingest.build.state_store import LiveState, OldState, OwnerTable, SourceState, StateStore, YearTable
from plankg.ingest.extract.agencies import load_registry
from plankg.ingest.model import Extraction
from plankg.store import iris
from plankg.store.base import GraphStore

__all__ = ["STATE_VERSION", "IncrementalBuilder", "SourceState", "dirty_documents_path"]

#: Bump when what the state records (or how graphs are built from it) changes: a newer
#: version rebuilds every source once. (Moving the state from ``state.json`` to
#: ``state.sqlite`` changed where it is kept, not what it records: a ``state.json`` of the
#: same stamp is migrated, :meth:`StateStore.migrate`, and nothing is rebuilt.)
STATE_VERSION = 1
#: Sources rebuilt before the merged view of their subjects is brought in step (memory bound).
CHUNK_SOURCES = 64
#: Subjects read back per store lookup batch when recomputing the merged view.
SUBJECT_BATCH = 2_000
#: Merged-view triples a run keeps as its change list for the derived graphs
#: (``build/derived.py``); past this the change is treated as unknown (a full recompute).
MAX_TRACKED_CHANGES = 200_000


def source_facts(ex: Extraction) -> SourceState:
    """The state of a source that depends on its extraction alone."""
    d = ex.document
    sig = [re.sub(r"\s", "", d.symbol) if d.symbol else None, d.date.isoformat() if d.date else None, d.year,
           *(fold(v) if v else None for v in (d.kind, d.issuer, d.locality_level))]
    numbers = {iris.document_key(symbol=c.symbol, kind=c.kind, year=None, locality_slug=None).number
               for c in ex.citations}
    return SourceState(
        sig=sig, trigrams=len(_trigrams(ex.source.text)),
        precedence=[1 if looks_like_ocr(ex) else 0, -len(ex.source.text), ex.source.name],
        years=[[s, y] for s, y in sorted(set(year_contributions(ex)))],
        cite_symbols=sorted({_norm_symbol(c.symbol) for c in ex.citations if not c.date}),  # dated: years unused
        cite_numbers=sorted(n for n in numbers if n))


def compatible(a: list[Any], b: list[Any]) -> bool:
    """:func:`renditions._compatible` on recorded signatures."""
    return all(not (x and y and x != y) for x, y in zip(a, b))


def size_compatible(a: int, b: int) -> bool:
    """Jaccard ≥ CANDIDATE_JACCARD needs min/max of the trigram counts ≥ it (exact prune)."""
    return bool(a and b) and min(a, b) >= CANDIDATE_JACCARD * max(a, b)


def dirty_documents_path(home: Path) -> Path:
    """Documents whose search items must be re-read (written here, consumed by the index)."""
    return home / "build" / "index-dirty.json"


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class IncrementalBuilder:
    """Brings the per-source graphs and the merged view in step with ``sources``.

    ``load(name)`` returns a source's saved extraction; ``changed`` names the sources whose
    extraction is new or changed since the last build (removed ones are found by
    comparing ``sources`` with the state)."""

    def __init__(self, store: GraphStore, base: str, home: Path, sources: dict[str, dict],
                 load: Callable[[str], Extraction], corrections: list[dict] | None = None,
                 stamp: str = "", crash_point: Callable[[str], None] | None = None) -> None:
        self.store, self.base, self.sources, self._load = store, base, sources, load
        self.corrections = corrections or []
        self.folder = home / "build"
        self.home = home
        self.stamp = hashlib.sha256(json.dumps([STATE_VERSION, base, stamp, self.corrections], sort_keys=True,
                                               ensure_ascii=False, default=str).encode()).hexdigest()[:24]
        self.db: StateStore | None = None
        self.state: LiveState | dict[str, SourceState] = {}
        self.old: OldState | dict[str, SourceState] = {}
        self._removed: set[str] = set()
        self.report = BuildReport()
        self._cache: dict[str, Extraction] = {}
        self.timings: dict[str, float] = {}
        self.rebuilt: list[str] = []
        #: triples removed from or added to the merged view by this run (None: not tracked,
        #: the view was recomputed whole or the change was too large)
        self.merged_changes: list[tuple[Node, Node, Node]] | None = []
        #: documents of the sources rebuilt or removed by this run (before and after)
        self.changed_documents: set[str] = set()
        #: what the graphs rewritten or dropped in this chunk stated, before and after (the
        #: merged view of a widely stated subject is patched from it, :mod:`merge_delta`)
        self._changes: Changes = {}
        #: subjects of graphs gone before they could be read (removed sources: the pipeline
        #: drops their graphs first)
        self._lost: set[str] = set()
        self._present: set[str] = set()  # graph names when the run began
        self.crash_point: Callable[[str], None] = crash_point or (lambda _name: None)
        #: called once per chunk with (each rebuilt or dropped source's subjects before, the
        #: chunk's subjects after, what the chunk's graphs stated), after its graphs are
        #: written and before their subjects are saved (the retired-IRI record,
        #: :mod:`~plankg.ingest.build.retirement`)
        self.on_subjects: Callable[[dict[str, set[str]], set[str], Changes], None] | None = None
        self._before: dict[str, set[str]] = {}

    # -- files ----------------------------------------------------------------------------
    def _state_path(self) -> Path:
        """The former whole-file state (migrated into :meth:`_db_path` on first run)."""
        return self.folder / "state.json"

    def _db_path(self) -> Path:
        return self.folder / "state.sqlite"

    def _journal_path(self) -> Path:
        return self.folder / "journal.json"

    def _subjects_path(self, name: str) -> Path:
        return self.folder / "subjects" / f"{slugify(name)}-{hashlib.sha1(name.encode()).hexdigest()[:8]}.gz"

    def _old_subjects(self, name: str) -> set[str]:
        p = self._subjects_path(name)
        if p.exists():
            try:
                return set(gzip.decompress(p.read_bytes()).decode("utf-8").split("\n")) - {""}
            except (OSError, ValueError, EOFError):
                pass
        return self.store.subjects_of(iris.source_graph_iri(self.base, name))

    def _save_subjects(self, name: str, subjects: Iterable[str]) -> None:
        p = self._subjects_path(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_bytes(gzip.compress("\n".join(sorted(subjects)).encode("utf-8"), 6))
        os.replace(tmp, p)

    def extraction(self, name: str) -> Extraction:
        ex = self._cache.get(name)
        if ex is None:
            if len(self._cache) >= 2 * CHUNK_SOURCES:  # a bounded cache: memory stays per chunk
                self._cache.pop(next(iter(self._cache)))
            ex = self._cache[name] = self._load(name)
        return ex

    # -- the run ----------------------------------------------------------------------------
    def update(self, changed: Iterable[str]) -> BuildReport:
        """Rebuild what ``changed`` (and the removals) touch; returns the build report (its
        ``errors`` name every source whose graph is missing because it failed)."""
        self.db = StateStore(self._db_path(), self.stamp, lambda n: iris.source_graph_iri(self.base, n))
        try:
            self.db.migrate(self._state_path())
            return self._update(set(changed), self.db)
        finally:
            self.db.close()

    def _update(self, changed: set[str], db: StateStore) -> BuildReport:
        import time

        t0 = time.perf_counter()
        previous = db.valid
        full_merged = False
        self.old = OldState(db)
        names = set(self.sources)
        todo = (changed | (names - set(self.old))) & names
        journal = self._journal_path()
        if journal.exists():
            try:
                todo |= set(json.loads(journal.read_text("utf-8")).get("names", [])) & names
            except ValueError:
                todo |= names
            full_merged = True
        present = set(self.store.graph_names())
        stored = db.graphs()  # the stored sources' graphs: a missing one is rebuilt
        todo |= {n for n in names - todo if stored[n][1] and stored[n][0] not in present}
        removed = self._removed = set(self.old) - names
        source_prefix = iris.source_graph_iri(self.base, "x")[:-1]
        known_graphs = {g for g, _ok in stored.values()} | {iris.source_graph_iri(self.base, n) for n in todo}
        orphans = {g for g in present if g.startswith(source_prefix)} - known_graphs
        merged_present = iris.merged_graph_iri(self.base) in present
        # stale merged triples of unknown subjects: recompute the whole view (rare: upgrade, crash)
        full_merged = full_merged or bool(orphans) or merged_present != previous
        _write_json(journal, {"names": sorted(todo | removed)})
        self.state = LiveState(db, (set(self.old) & names) - todo)
        for n in sorted(todo):
            self.state[n] = source_facts(self.extraction(n))
        t1 = time.perf_counter()
        affected = self._recluster(todo, removed)
        t2 = time.perf_counter()
        dependents = self._dependents(affected)
        rebuild = affected | dependents
        t3 = time.perf_counter()
        for g in orphans:
            self.store.drop_graph(g)
        self._present = present
        subjects = self._rebuild(rebuild, removed, full_merged)
        if full_merged:
            self.merged_changes = None
            self._merge_all()
        self.changed_documents = {s.doc for n in rebuild | removed for s in (self.old.get(n), self.state.get(n))
                                  if s is not None and s.doc is not None}
        t4 = time.perf_counter()
        self._mark_dirty(rebuild, removed, full=not previous)
        # one transaction: only the rows this run changed (every row on a first or full build)
        rows = db.commit(self.state if not previous else self.state.changed(), removed, full=not previous,
                         crash_point=self.crash_point)
        self.crash_point("state-written")
        self._state_path().unlink(missing_ok=True)  # a stale former state file (another stamp)
        for n in removed:
            self._subjects_path(n).unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        self.report.errors.update(db.errors())
        self.rebuilt = sorted(rebuild)
        self.timings = {"facts": t1 - t0, "cluster": t2 - t1, "dependents": t3 - t2, "graphs_and_merged": t4 - t3,
                        "state_written": time.perf_counter() - t4, "state_rows_written": rows,
                        "sources_rebuilt": len(rebuild), "subjects_merged": subjects}
        return self.report

    # -- clusters -----------------------------------------------------------------------------
    def _candidates(self, name: str, todo: set[str]) -> Iterator[str]:
        """The sources ``name`` may be a rendition of: the stored rows passing the exact
        prefilters (:meth:`StateStore.candidates`, blocked by symbol) and this run's new or
        changed sources (their stored rows are stale)."""
        s = self.state[name]
        pool = {n for n in self.db.candidates(s.sig, s.trigrams) if n in self.state and n not in todo} \
            if self.db is not None else set()
        pool |= {n for n in todo if n in self.state}
        for other in sorted(pool):
            if other != name:
                yield other

    def _recluster(self, todo: set[str], removed: set[str]) -> set[str]:
        """Recompute the clusters that changed; returns every member of a changed cluster.

        Only the loose sources (new, changed, or in a cluster that had one of those or a
        removed one) are compared; an untouched cluster joins through its primary, so the
        components equal a full clustering without walking every source."""
        assert self.db is not None
        touched_clusters = {self.old[n].cluster for n in (todo | removed) if n in self.old}
        loose = set(todo) | {m for c in touched_clusters for m in self.db.where("cluster", c) if m in self.state}

        def rep(n: str) -> str:  # an untouched source stands for its cluster through the primary
            c = self.state[n].cluster
            return n if n in loose or c is None or c not in self.state else c

        uf = _UnionFind()
        for n in sorted(loose):
            uf.find(n)
            s = self.state[n]
            for other in self._candidates(n, todo):
                o = self.state[other]
                if other in loose and other < n:
                    continue  # the pair was compared from the other side
                if uf.find(n) == uf.find(rep(other)) or not compatible(s.sig, o.sig) \
                        or not size_compatible(s.trigrams, o.trigrams):
                    continue
                if same_document(self.extraction(n), self.extraction(other)):
                    uf.union(n, rep(other))
        groups: dict[str, set[str]] = {}
        for n in loose:
            groups.setdefault(uf.find(n), set()).add(n)
        for p in set(uf.parent) - loose:  # untouched clusters joined to a loose source (others were only looked at)
            if (root := uf.find(p)) in groups:
                groups[root].add(p)
                groups[root].update(m for m in self.db.where("cluster", p) if m in self.state)
        affected: set[str] = set()
        for members in groups.values():
            ordered = sorted(members, key=lambda m: tuple(self.state[m].precedence))
            self._set_cluster(ordered)
            affected.update(members)
        return affected

    def _set_cluster(self, ordered: list[str]) -> None:
        """Record a cluster's primary, ranks and document key (or its error)."""
        cluster = DocumentCluster([self.extraction(m) for m in ordered])
        key: list[Any] | None = None
        error: str | None = None
        try:
            k = key_for_document(merged_document(cluster))
            key = [k.jurisdiction, k.issuer, k.type_code, k.year, k.number, k.fallback]
        except Exception as exc:  # noqa: BLE001 — a per-cluster guard, as in assemble_graphs
            probe = BuildReport()
            probe.fail(ordered[0], exc)
            error = probe.errors[ordered[0]]
        for rank, m in enumerate(ordered):
            s = self.state[m]
            s.cluster, s.rank, s.key = ordered[0], rank, key
            s.doc = iris.document_iri(self.base, iris.DocumentKey(*key)) if key else None
            s.error = error.replace(ordered[0], m) if error else None

    # -- citation tables --------------------------------------------------------------------
    def _table_changes(self, changed: set[str]) -> tuple[set[str], set[tuple[Any, Any, Any, Any]]]:
        """The symbols and own-key index keys the rows of ``changed`` (before and after)
        contribute to: the only entries of the citation tables that can differ."""
        symbols: set[str] = set()
        keys: set[tuple[Any, Any, Any, Any]] = set()
        for n in changed:
            for s in (self.old.get(n), self.state.get(n)):
                if s is None or s.key is None:
                    continue  # a failed cluster tells the resolver nothing (as in assemble_graphs)
                symbols.update(sym for sym, _y in s.years)
                if s.cluster == n and s.key[4]:
                    keys.add((s.key[4], s.key[2], s.key[1], s.key[3]))
        return symbols, keys

    def _dependents(self, affected: set[str]) -> set[str]:
        """Unchanged sources citing a symbol whose known years, or a document key, changed.

        The tables are looked up per entry in the store (:class:`YearTable`,
        :class:`OwnerTable`): before, the stored rows; now, the stored rows corrected by
        the rows this run holds."""
        assert isinstance(self.state, LiveState) and self.db is not None
        held = self.state.held()
        stale = set(held) | self._removed
        old_years, old_own = YearTable(self.db), OwnerTable(self.db)
        self._years, self._own = YearTable(self.db, stale, held), OwnerTable(self.db, stale, held)
        maybe_symbols, maybe_keys = self._table_changes(set(self.state.changed()) | self._removed)
        symbols = {s for s in maybe_symbols if old_years.get(s) != self._years.get(s)}
        numbers = {k[0] for k in maybe_keys if old_own.get(k) != self._own.get(k)}
        self.changed_tables = (sorted(symbols), sorted(numbers))
        self.resolver = CitationResolver.from_index(self.base, self._years, self._own)
        if not symbols and not numbers:
            return set()
        out = set()
        for n in sorted(self.db.citing(symbols, numbers) - affected):
            s = self.state.get(n)
            if s is None or s.key is None:
                continue
            ex = self.extraction(n)  # a candidate: rebuilt only when one of its citations now lands elsewhere
            if [self.resolver.iri(c, ex.document) for c in ex.citations] != s.cite_iris:
                out.add(n)
        return out

    # -- graphs and the merged view ------------------------------------------------------------
    def _rebuild(self, rebuild: set[str], removed: set[str], full_merged: bool) -> int:
        shared = _Shared(self.base, load_registry(), self.resolver, self.sources, self.corrections, self.report)
        clusters: dict[str, list[str]] = {}
        for n in rebuild:
            clusters.setdefault(str(self.state[n].cluster), []).append(n)
        members = {primary: self._members(primary) for primary in clusters}
        pending: dict[str, set[str]] = {}  # source → its new subjects, saved after the merge
        touched: set[str] = set()
        for n in sorted(removed):
            before = self._old_subjects(n)
            touched |= before
            self._before[n] = before
            self._note_old(iris.source_graph_iri(self.base, n), before)
            self.store.drop_graph(iris.source_graph_iri(self.base, n))
        merged = 0
        for primary in sorted(clusters):
            for name, subjects_before, subjects_after in self._build_cluster(members[primary], set(clusters[primary]), shared):
                touched |= subjects_before | subjects_after
                self._before[name] = subjects_before
                pending[name] = subjects_after
            if len(pending) >= CHUNK_SOURCES:
                merged += self._flush(touched, pending, full_merged)
                touched, pending = set(), {}
                self._cache.clear()
        return merged + self._flush(touched, pending, full_merged)

    def _flush(self, touched: set[str], pending: dict[str, set[str]], full_merged: bool) -> int:
        if not full_merged:
            self.merge_subjects(touched, self._changes)
        if self.on_subjects is not None:
            self.on_subjects(self._before, set().union(*pending.values()), self._changes)
        self._changes, self._lost, self._before = {}, set(), {}
        for name, subjects in pending.items():
            self._save_subjects(name, subjects)
        return len(touched)

    def _build_cluster(self, members: list[str], wanted: set[str],
                       shared: _Shared) -> Iterator[tuple[str, set[str], set[str]]]:
        cluster = DocumentCluster([self.extraction(m) for m in members])
        s0 = self.state[members[0]]
        for rank, name in enumerate(members):
            if name not in wanted:
                continue
            s = self.state[name]
            graph_iri = iris.source_graph_iri(self.base, name)
            before = self._old_subjects(name)
            self._note_old(graph_iri, before)
            graph: Graph | None = None
            if s0.key is not None and s0.doc is not None:
                try:
                    graph = _member_graph(cluster, rank, cluster.members[rank], merged_document(cluster), s0.doc,
                                          shared)
                    s.error = None
                except Exception as exc:  # noqa: BLE001 — a per-source guard: record it and go on
                    probe = BuildReport()
                    probe.fail(name, exc)
                    s.error = probe.errors[name]
            if graph is None:
                self.store.drop_graph(graph_iri)
                s.cited = []
                yield name, before, set()
                continue
            self.store.replace_graph(graph_iri, graph)
            self.crash_point(f"graph-written:{name}")
            s.graph_rank = rendition_rank(graph)
            s.cited = sorted({str(o) for o in graph.objects(None, PK.citedDocument)})
            member = cluster.members[rank]
            s.cite_iris = [shared.resolver.iri(c, member.document) for c in member.citations]
            self._note((t, p, o) for t, p, o in graph if isinstance(t, URIRef))
            yield name, before, {str(x) for x in graph.subjects() if isinstance(x, URIRef)}

    def _note(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        for t, p, o in triples:
            self._changes.setdefault(str(t), {}).setdefault(p, set()).add(o)

    def _note_old(self, graph_iri: str, subjects: set[str]) -> None:
        """What a graph about to be rewritten or dropped states (one lookup per subject), or
        its subjects as lost when it is gone already."""
        if graph_iri in self._present:
            self._note((t, p, o) for t, p, o, _g in self.store.quads_about_in(sorted(subjects), [graph_iri]))
        else:
            self._lost |= subjects

    def _members(self, primary: str) -> list[str]:
        """A cluster's members by rank (its stored members corrected by this run's rows)."""
        assert isinstance(self.state, LiveState) and self.db is not None
        found = self.state.select(self.db.where("cluster", primary), lambda s: s.cluster == primary)
        return sorted(found, key=lambda m: self.state[m].rank)

    def _ranks(self) -> _GraphRanks:
        """Source graph → its rendition rank, for the graphs built without error (looked up
        per graph)."""
        return _GraphRanks(self)

    def _renditions(self, ranks: _GraphRanks | None = None) -> _Renditions:
        """Source graph → its document, for documents with more than one rendition
        (only their citations can be repeated readings, :func:`merge.repeated_readings`)."""
        return _Renditions(self, ranks if ranks is not None else _GraphRanks(self))

    def merge_subjects(self, subjects: Iterable[str], changes: Changes | None = None) -> None:
        """Bring the merged view's triples about ``subjects`` in step with the source graphs
        (the precedence rule of :mod:`plankg.ingest.build.merge`). With ``changes`` (what the
        changed graphs stated), a widely stated subject is patched by delta
        (:mod:`~plankg.ingest.build.merge_delta`); the others are recomputed from all their triples."""
        ranks = self._ranks()
        merged_iri = iris.merged_graph_iri(self.base)
        if changes is not None:
            subjects = self._merge_wide(subjects, changes, ranks, merged_iri)
        renditions = self._renditions(ranks)
        again: dict[Node, Node] = {}
        done: set[str] = set()
        ordered = sorted(subjects)
        for i in range(0, len(ordered), SUBJECT_BATCH):
            batch = ordered[i:i + SUBJECT_BATCH]
            stated: dict[tuple[Node, Node], list[tuple[Node, int]]] = {}
            old: set[tuple[Node, Node, Node]] = set()
            graphs: set[str] = set()
            for s, p, o, g in self.store.quads_about(batch):
                if g == merged_iri:
                    old.add((s, p, o))
                elif g in ranks:
                    stated.setdefault((s, p), []).append((o, ranks[g]))
                    if p == RDF.type and o == PK.Citation:  # only citation nodes can be repeated readings
                        graphs.add(str(g))
            for doc in sorted({renditions[g] for g in graphs if g in renditions} - done):
                # a document read from several renditions: its copies' repeated citations (only
                # for the documents a citation node of the batch is in, not for every document
                # stating a shared agency; each graph's citation nodes, not the graph whole)
                members = renditions.graphs_of(doc)
                again.update(repeated_readings([(ranks[g], stored_citation_readings(self.store, g)) for g in members]))
                done.add(doc)
            new = merged_statements(stated, again)
            if old != new:
                self.store.patch_graph(merged_iri, old - new, new - old)
                self._track(old ^ new)
        self.crash_point("merged-written")

    def _merge_wide(self, subjects: Iterable[str], changes: Changes, ranks: Mapping[str, int],
                    merged_iri: str) -> list[str]:
        """Patch the widely stated subjects by delta; returns the others."""
        rest: list[str] = []
        remove: set[tuple[Node, Node, Node]] = set()
        add: set[tuple[Node, Node, Node]] = set()
        for subject in sorted(subjects):
            props, lost = changes.get(subject, {}), subject in self._lost
            patch = delta_patch(self.store, subject, props, ranks, merged_iri, lost) \
                if (props or lost) and is_wide(self.store, subject) else None
            if patch is None:
                rest.append(subject)
                continue
            remove |= patch[0]
            add |= patch[1]
        if remove or add:
            self.store.patch_graph(merged_iri, remove, add)
            self._track(remove | add)
        return rest

    def _track(self, changes: set[tuple[Node, Node, Node]]) -> None:
        if self.merged_changes is not None:
            self.merged_changes.extend(changes)
            if len(self.merged_changes) > MAX_TRACKED_CHANGES:
                self.merged_changes = None

    def _merge_all(self) -> None:
        """Recompute the whole merged view (after a crash, an upgrade or a missing graph),
        in subject batches: every subject of a source graph or of the merged view."""
        merged_iri = iris.merged_graph_iri(self.base)
        subjects = self.store.subjects_of(merged_iri)
        for n, s in list(self.state.items()):  # every row: the whole view is recomputed
            if s.error is None:
                subjects |= self.store.subjects_of(iris.source_graph_iri(self.base, n))
        if merged_iri not in set(self.store.graph_names()):
            self.store.replace_graph(merged_iri, Graph())
        self.merge_subjects(subjects)

    def _mark_dirty(self, rebuild: set[str], removed: set[str], full: bool) -> None:
        """Tell the search index which documents' items to re-read (their own and cited)."""
        path = dirty_documents_path(self.home)
        try:
            data = json.loads(path.read_text("utf-8")) if path.exists() else {}
        except ValueError:
            data = {"all": True}
        docs = set(data.get("documents", []))
        for n in rebuild | removed:
            for s in (self.old.get(n), self.state.get(n)):
                if s is not None:
                    docs.update(filter(None, [s.doc, *s.cited]))
        _write_json(path, {"all": bool(full or data.get("all")), "documents": sorted(docs)})


class _GraphRanks(Mapping[str, int]):
    """The ranks of the source graphs built without error, read per graph: a row this run
    holds from the run's state, any other from the state store's columns (no row decoded,
    no walk over every source — a widely stated subject asks for thousands of graphs)."""

    def __init__(self, builder: IncrementalBuilder) -> None:
        self.builder = builder
        self._cache: dict[str, tuple[int, str | None] | None] = {}
        self._held = {iris.source_graph_iri(builder.base, n): n for n in builder.state.held()} \
            if isinstance(builder.state, LiveState) else {}

    def row(self, graph: str) -> tuple[int, str | None] | None:
        """(rank, document) of ``graph`` when it is a source graph built without error."""
        if graph in self._cache:
            return self._cache[graph]
        b, out = self.builder, None
        name = self._held.get(graph)
        if name is not None:
            s = b.state.get(name)
            out = (s.graph_rank, s.doc) if s is not None and s.error is None else None
        elif b.db is not None and (row := b.db.graph_row(graph)) is not None:
            name, rank, error, doc = row
            held = b.state.held().get(name) if isinstance(b.state, LiveState) else b.state.get(name)
            if held is not None:  # read by the run since (its stored row may be stale)
                out = (held.graph_rank, held.doc) if held.error is None else None
            elif name in b.state and error is None:
                out = (rank, doc)
        self._cache[graph] = out
        return out

    def __getitem__(self, graph: str) -> int:
        row = self.row(graph)
        if row is None:
            raise KeyError(graph)
        return row[0]

    def __contains__(self, graph: object) -> bool:
        return isinstance(graph, str) and self.row(graph) is not None

    def __iter__(self) -> Iterator[str]:  # every graph: not used by a run's merge
        b = self.builder
        return iter([g for g in (iris.source_graph_iri(b.base, n) for n in list(b.state)) if g in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Renditions:
    """Source graph → its document for documents with more than one rendition built
    without error, looked up per graph and per document."""

    def __init__(self, builder: IncrementalBuilder, ranks: _GraphRanks) -> None:
        self.builder, self.ranks = builder, ranks
        self._graphs: dict[str, list[str]] = {}

    def graphs_of(self, doc: str) -> list[str]:
        """The graphs of ``doc``'s renditions built without error, sorted."""
        if doc not in self._graphs:
            b = self.builder
            assert isinstance(b.state, LiveState) and b.db is not None
            names = b.state.select(b.db.where("doc", doc), lambda s: s.error is None and s.doc == doc)
            self._graphs[doc] = sorted(iris.source_graph_iri(b.base, n) for n in names)
        return self._graphs[doc]

    def _doc(self, graph: str) -> str | None:
        row = self.ranks.row(graph)
        if row is None or row[1] is None:
            return None
        return row[1] if len(self.graphs_of(row[1])) > 1 else None

    def __contains__(self, graph: str) -> bool:
        return self._doc(graph) is not None

    def __getitem__(self, graph: str) -> str:
        doc = self._doc(graph)
        if doc is None:
            raise KeyError(graph)
        return doc
