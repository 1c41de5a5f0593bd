"""Keeping the derived graphs (``graph/alignment``, ``graph/inferred``) in step with a change,
touching only what the change can alter.

Why: both graphs are functions of the whole store (the merged view, the registry, each
other), and recomputing them after every ingest cost the whole corpus (inference alone was
most of an add-one: every rule over every triple, the registry's transitive closure
rewritten each time). Here a change is carried through:

* **alignment**: the documents whose tasks changed (their sources were rebuilt or removed),
  the documents whose candidate set changed, and the documents that have one of the
  changed documents among their candidates are re-aligned, reading only those documents'
  tasks and their candidates' tasks (:func:`update_alignment`); the other documents' links
  cannot change, because a task's links depend only on its document's tasks, its
  candidates and their tasks. The candidate sets and each document's link subjects are
  kept in ``build/derived.json``.
* **inference**: the triples that changed in the merged view and the alignment graph give
  the scope to recompute (:func:`plankg.ingest.build.inference.update_inferred`).

A full recompute is done when the scope is unknown: the first build, a merged view rebuilt
whole (a crash, an upgrade), the registry or ontology graph rewritten, the inferred graph
missing, or a run that died between :meth:`DerivedGraphs.begin` and the end of
:meth:`DerivedGraphs.refresh` (the ``derived-pending`` marker is still there). Either way
the result equals a full recompute (``tests/test_incremental_derived.py`` checks it against a
fresh build in another order).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import rdflib
from rdflib.term import Node

from plankg.ingest.build.alignment import (
    align,
    candidate_documents,
    compute_links,
    links_graph,
    read_tasks,
)
from plankg.ingest.build.inference import materialise, update_inferred
from plankg.store import iris
from plankg.store.base import GraphStore

Triple = tuple[Node, Node, Node]
STATE_VERSION = 1
PK = "https://w3id.org/plankg/ontology#"


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def pending_marker(home: Path) -> Path:
    """Present while a run brings the derived graphs in step (``plankg check`` reports it)."""
    return home / "build" / "derived-pending"


def owner(subject: str, docs: set[str]) -> str | None:
    """The document a task, section or alignment node sits under (``iris.part_iri``:
    ``{doc}/task/…``; an alignment node is ``{task}#carries-out-…``)."""
    iri = subject.split("#", 1)[0]
    while "/" in iri:
        if iri in docs:
            return iri
        iri = iri.rsplit("/", 1)[0]
    return None


def all_documents(store: GraphStore, base: str) -> set[str]:
    """Every document of the merged view (one ``pk:hasRendition`` each)."""
    q = f"SELECT DISTINCT ?d WHERE {{ ?d <{PK}hasRendition> ?r }}"
    return {str(r["d"]) for r in store.query(q, default_graphs=[iris.merged_graph_iri(base)]).records()}


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph as the store gives it back (literals in canonical form: a score written
    ``0.9500`` reads ``0.95``), so a diff against stored triples names only real changes."""
    from plankg.store.backends.oxigraph import OxigraphStore

    scratch = OxigraphStore(None)
    try:
        scratch.replace_graph("urn:plankg:scratch", graph)
        return scratch.get_graph("urn:plankg:scratch")
    finally:
        scratch.close()


def _by_owner(graph: rdflib.Graph, docs: set[str]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for s in set(graph.subjects()):
        doc = owner(str(s), docs)
        if doc is not None:
            out.setdefault(doc, set()).add(str(s))
    return {d: sorted(v) for d, v in out.items()}


def _candidates(store: GraphStore, base: str, docs: set[str]) -> dict[str, list[str]]:
    return {d: sorted(hs) for d, hs in sorted(candidate_documents(store, base, docs).items()) if hs}


class DerivedGraphs:
    """One run's upkeep of the alignment and inferred graphs."""

    def __init__(self, store: GraphStore, base: str, folder: Path) -> None:
        self.store, self.base, self.folder = store, base, folder
        self.interrupted = False
        self.timings: dict[str, float] = {}

    @property
    def marker(self) -> Path:
        return pending_marker(self.folder.parent)

    @property
    def state_path(self) -> Path:
        return self.folder / "derived.json"

    def begin(self) -> None:
        """Mark the derived graphs as being brought in step, before the merged view changes:
        a run that dies before :meth:`refresh` ends leaves the mark, and the next run
        recomputes both graphs whole (the changes it would have carried are lost)."""
        self.interrupted = self.marker.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marker.write_text("1", "utf-8")

    def _read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if data.get("version") == STATE_VERSION else None

    def refresh(self, changed_docs: Iterable[str], merged_changes: list[Triple] | None, full: bool) -> None:
        """Bring both graphs in step: ``changed_docs`` are the documents whose sources were
        rebuilt or removed, ``merged_changes`` the triples removed from or added to the merged
        view (None: unknown); ``full`` forces a full recompute (registry rewritten, …)."""
        # (an empty graph is not listed by the store: a missing alignment graph is no damage;
        # a missing inferred graph makes update_inferred recompute it whole)
        full = full or self.interrupted or merged_changes is None
        t0 = time.perf_counter()
        alignment_changes = None if full else self.update_alignment(set(changed_docs))
        if alignment_changes is None:
            self.full_alignment()
        t1 = time.perf_counter()
        if alignment_changes is None or merged_changes is None:
            materialise(self.store, self.base)
        else:
            update_inferred(self.store, self.base, [*merged_changes, *alignment_changes])
        t2 = time.perf_counter()
        self.timings = {"alignment": t1 - t0, "inferred": t2 - t1, "derived_full": float(alignment_changes is None)}
        self.marker.unlink(missing_ok=True)

    # -- alignment ------------------------------------------------------------------------
    def full_alignment(self) -> None:
        """Recompute the whole alignment graph and record what the next update compares with."""
        graph = links_graph(compute_links(self.store, self.base))
        docs = all_documents(self.store, self.base)
        self.store.replace_graph(iris.alignment_graph_iri(self.base), graph)
        _write_json(self.state_path, {"version": STATE_VERSION, "candidates": _candidates(self.store, self.base, docs),
                                      "subjects": _by_owner(graph, docs)})

    def update_alignment(self, changed_docs: set[str]) -> list[Triple] | None:
        """Re-align the documents a change can reach; returns the triples removed from or added
        to the alignment graph, or None when there is no recorded state to start from."""
        state = self._read_state()
        if state is None:
            return None
        docs = all_documents(self.store, self.base)
        cand = _candidates(self.store, self.base, docs)
        old: dict[str, list[str]] = state["candidates"]
        redo = set(changed_docs)
        redo |= {d for d in set(cand) | set(old) if cand.get(d) != old.get(d)}
        redo |= {d for d, hs in cand.items() if changed_docs.intersection(hs)}
        subjects: dict[str, list[str]] = state["subjects"]
        before = self._alignment_triples(s for d in sorted(redo) for s in subjects.get(d, []))
        tasks = read_tasks(self.store, self.base, redo | {h for d in redo for h in cand.get(d, [])})
        graph = canonical(links_graph(align(tasks, {d: set(cand[d]) for d in redo if d in cand})))
        after = set(graph)
        self.store.patch_graph(iris.alignment_graph_iri(self.base), before - after, after - before)
        for d in redo:
            subjects.pop(d, None)
        subjects.update(_by_owner(graph, docs | redo))
        if not subjects:  # no link left: no graph, as a full recompute leaves it (a store lists no empty graph)
            self.store.drop_graph(iris.alignment_graph_iri(self.base))
        _write_json(self.state_path, {"version": STATE_VERSION, "candidates": cand, "subjects": subjects})
        return list(before ^ after)

    def _alignment_triples(self, subjects: Iterable[str]) -> set[Triple]:
        graph = iris.alignment_graph_iri(self.base)
        return {(s, p, o) for s, p, o, g in self.store.quads_about(subjects) if g == graph}
