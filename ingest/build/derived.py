"""Keeping the derived graphs (``graph/alignment``, ``graph/section-alignment``,
``graph/inferred``) in step with a change, touching only what the change can alter.

Why: both graphs are functions of the whole store (the merged view, the registry, each
other), and recomputing them after every ingest cost the whole corpus (inference alone was
most of an add-one: every rule over every triple, the registry's transitive closure
rewritten each time). Here a change is carried through:

* **alignment** (scored as :func:`plankg.ingest.build.alignment.compute_links` scores it:
  evidence of agencies and deadlines, the configured embedder's vectors, the version in
  force): a document's links depend on its tasks, the tasks of its candidates *in force*
  (the amending documents of a candidate join it, :mod:`~plankg.ingest.build.alignment_versions`)
  and, for each candidate, the tasks of the documents amending it (which tasks of the
  candidate are superseded). Those documents are the document's *dependencies*. The
  documents whose tasks changed (their sources were rebuilt or removed), the documents
  whose dependencies changed (a new citation, a new ``eli:amends``: an amendment widens
  the set through the dependencies, so no full recompute is needed for it) and the
  documents that depend on a changed document are re-aligned, reading only those
  documents' tasks, evidence and vectors and their dependencies' (:meth:`update_alignment`).
* **section alignment** (tasks → items of 57-NQ/TW, :mod:`plankg.ingest.build.section_alignment`):
  its score weighs words by IDF over the policy document's items only, so a task's link
  depends on its own text and heading, the items, and whether its document cites the
  policy document (``eli:cites+``). The changed documents and those whose set of cited
  policy documents changed are re-linked; a change to a policy document itself (its items)
  or to ``policy_sections.yaml`` recomputes the graph whole (every citing plan's tasks are
  rescored: lexical, about a second per thousand tasks).
* **inference**: the triples that changed in the merged view and the two alignment graphs
  give the scope to recompute (:func:`plankg.ingest.build.inference.update_inferred`), so
  entailments over ``pk:carriesOut`` and ``pk:servesSection`` stay right.

What is needed for the next update (each document's dependencies and cited policy
documents, each document's link subjects in both graphs, and the corpus-wide citation and
amendment tables the candidates come from, patched from the merged view's changes:
:mod:`~plankg.ingest.build.alignment_tables`) is kept in ``build/derived.json``.

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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import rdflib
from rdflib.term import Node

from plankg.config import Settings
from plankg.ingest.build import section_alignment as sections
from plankg.ingest.build.alignment import (
    align,
    candidate_documents,
    compute_links,
    document_localities,
    links_graph,
    read_tasks,
    texts_to_embed,
    versions_in_force,
)
from plankg.ingest.build.alignment_evidence import read_evidence
from plankg.ingest.build.alignment_tables import AlignmentTables, all_documents
from plankg.ingest.build.alignment_vectors import text_vectors
from plankg.ingest.build.alignment_versions import amended_by, in_force_candidates
from plankg.ingest.build.inference import materialise, update_inferred
from plankg.ingest.build.section_model import model_stamp
from plankg.store import iris
from plankg.store.base import GraphStore

Triple = tuple[Node, Node, Node]
STATE_VERSION = 2  # 2: dependencies (version in force) and the section alignment
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


def _with_tasks(store: GraphStore, base: str, docs: Iterable[str] | None = None) -> set[str]:
    """The documents that have a task (as :func:`read_tasks` reads them); of ``docs`` only
    when given, read from a copy of those documents and their parts (an index lookup: on
    the store the query joins every task of the corpus)."""
    q = f"SELECT DISTINCT ?d WHERE {{ ?t a <{PK}Task> ; <{PK}inDocument> ?d ; <{PK}text> ?x }}"
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]
    if docs is None:
        return {str(r["d"]) for r in store.query(q, default_graphs=graphs).records()}
    wanted = set(docs)
    scoped = store.neighbourhood(sorted(wanted), graphs, inverse=[f"{PK}inDocument"], depth=0) if wanted else None
    source = store if scoped is None else scoped
    try:
        return {str(r["d"]) for r in source.query(q, default_graphs=graphs).records()} & wanted if wanted else set()
    finally:
        if scoped is not None:
            scoped.close()


def touched_documents(changed_docs: set[str], merged_changes: Iterable[Triple]) -> set[str]:
    """The documents whose tasks may have come or gone: those whose sources were rebuilt or
    removed, and any a part was moved into or out of (``pk:inDocument`` in the merged view's
    changes)."""
    return set(changed_docs) | {str(o) for _s, p, o in merged_changes if str(p) == f"{PK}inDocument"}


def _in_force(store: GraphStore, base: str, docs: set[str],
              localities: tuple[dict[str, str], dict[str, int]] | None = None, with_tasks: set[str] | None = None,
              tables: AlignmentTables | None = None,
              ) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, list[str]]]:
    """(candidates in force, amended document → its amending documents, dependencies): the
    candidates as :func:`plankg.ingest.build.alignment.compute_links` takes them (documents
    with tasks only, amending documents beside the amended ones), and for each document the
    documents whose tasks its links depend on (its candidates in force and the documents
    amending them, whose tasks decide which of a candidate's tasks are superseded).
    ``tables``: the citations and amendments, when kept (else read from the store)."""
    with_tasks = _with_tasks(store, base) if with_tasks is None else with_tasks
    raw = candidate_documents(store, base, docs & with_tasks, localities, tables.cites if tables else None)
    amended = tables.amended if tables else amended_by(store, [iris.merged_graph_iri(base)])
    cand = in_force_candidates({d: hs & with_tasks for d, hs in raw.items()}, amended, with_tasks)
    deps = {d: sorted(hs | {b for h in hs for b in amended.get(h, set())}) for d, hs in sorted(cand.items()) if hs}
    return cand, amended, deps


def _citing(cites: Mapping[str, set[str]], doc: str) -> set[str]:
    """The documents citing ``doc`` directly or through documents they cite, from the kept
    citation table (what :func:`section_alignment.citing_documents` asks the store: a
    property path over every citation of the corpus, on each change)."""
    cited_by: dict[str, set[str]] = {}
    for d, hs in cites.items():
        for h in hs:
            cited_by.setdefault(h, set()).add(d)
    seen: set[str] = set()
    todo = [doc]
    while todo:
        for d in cited_by.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen - {doc}


def _policies(store: GraphStore, base: str, tables: AlignmentTables | None = None,
              ) -> tuple[dict[str, list[sections.Item]], dict[str, set[str]]]:
    """(policy document → its items, policy document → the documents citing it, transitively;
    from the kept ``tables`` when given)."""
    documents, _ = sections.policy_config()
    items: dict[str, list[sections.Item]] = {}
    citing: dict[str, set[str]] = {}
    for path in documents:
        doc = base + path
        items[doc] = sections.read_items(store, base, doc)
        if not items[doc]:
            citing[doc] = set()
        else:
            citing[doc] = _citing(tables.cites, doc) if tables else sections.citing_documents(store, base, doc)
    return items, citing


def _cited_policies(citing: dict[str, set[str]]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for policy, docs in citing.items():
        for d in docs:
            out.setdefault(d, set()).add(policy)
    return {d: sorted(ps) for d, ps in sorted(out.items())}


def _config_stamp() -> list[list[str]]:
    """What the section links depend on besides the graph: editing any of it (the policy
    documents, their parts, the plan-administration phrases, the learned scorer's stored
    model) re-links every task."""
    documents, parts = sections.policy_config()
    return [list(documents), list(parts), list(sections.no_item_phrases()), [model_stamp()]]


class DerivedGraphs:
    """One run's upkeep of the alignment, section-alignment and inferred graphs.

    ``settings`` (the workspace's) gives the embedder and the vector cache the alignment
    score uses, as :func:`plankg.ingest.build.alignment.refresh_alignment` does; without it
    the alignment is lexical (as ``compute_links(store, base)``)."""

    def __init__(self, store: GraphStore, base: str, folder: Path, settings: Settings | None = None) -> None:
        self.store, self.base, self.folder, self.settings = store, base, folder, settings
        self.interrupted = False
        self.timings: dict[str, float] = {}
        self._documents: set[str] | None = None
        self._localities: tuple[dict[str, str], dict[str, int]] | None = None
        self._merged_changes: list[Triple] = []
        #: the citation and document tables, once this refresh has them (kept, patched)
        self._tables: AlignmentTables | None = None

    # the merged view and the registry do not change during a refresh: each corpus-wide
    # read is made once per refresh, not once per graph brought in step
    def documents(self) -> set[str]:
        if self._documents is None:
            self._documents = all_documents(self.store, self.base)
        return set(self._documents)

    def localities(self) -> tuple[dict[str, str], dict[str, int]]:
        if self._localities is None:
            self._localities = document_localities(self.store, self.base)
        return self._localities

    @property
    def marker(self) -> Path:
        return pending_marker(self.folder.parent)

    @property
    def state_path(self) -> Path:
        return self.folder / "derived.json"

    def begin(self) -> None:
        """Mark the derived graphs as being brought in step, before the merged view changes:
        a run that dies before :meth:`refresh` ends leaves the mark, and the next run
        recomputes the three graphs whole (the changes it would have carried are lost)."""
        self.interrupted = self.marker.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marker.write_text("1", "utf-8")

    def _read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else None

    def refresh(self, changed_docs: Iterable[str], merged_changes: list[Triple] | None, full: bool) -> None:
        """Bring the three graphs in step: ``changed_docs`` are the documents whose sources were
        rebuilt or removed, ``merged_changes`` the triples removed from or added to the merged
        view (None: unknown); ``full`` forces a full recompute (registry rewritten, …).
        Alignment, then section alignment, then inference (which reads both)."""
        # (an empty graph is not listed by the store: a missing alignment graph is no damage;
        # a missing inferred graph makes update_inferred recompute it whole)
        full = full or self.interrupted or merged_changes is None
        self._documents, self._localities = None, None  # read afresh: the merged view moved on
        self._tables = None
        self._merged_changes = merged_changes or []
        changed = set(changed_docs)
        state = None if full else self._read_state()
        new_state: dict[str, Any] = {"version": STATE_VERSION}
        t0 = time.perf_counter()
        alignment_changes = None if state is None else self.update_alignment(changed, state, new_state)
        if alignment_changes is None:
            self.full_alignment(new_state)
        t1 = time.perf_counter()
        section_changes = None if state is None else self.update_sections(changed, state, new_state)
        if section_changes is None:
            section_changes = self.full_sections(new_state)
        _write_json(self.state_path, new_state)
        t2 = time.perf_counter()
        if alignment_changes is None or merged_changes is None:
            materialise(self.store, self.base)
        else:
            update_inferred(self.store, self.base, [*merged_changes, *alignment_changes, *section_changes])
        t3 = time.perf_counter()
        self.timings = {"alignment": t1 - t0, "section_alignment": t2 - t1, "inferred": t3 - t2,
                        "derived_full": float(alignment_changes is None)}
        self.marker.unlink(missing_ok=True)

    # -- alignment ------------------------------------------------------------------------
    def full_alignment(self, state: dict[str, Any]) -> None:
        """Recompute the whole alignment graph and record what the next update compares with."""
        graph = links_graph(compute_links(self.store, self.base, self.settings))
        tables = AlignmentTables.read(self.store, self.base)
        self._documents, self._tables = set(tables.documents), tables
        self._localities = (dict(tables.located), dict(tables.levels))
        docs = self.documents()
        self.store.replace_graph(iris.alignment_graph_iri(self.base), graph)
        with_tasks = _with_tasks(self.store, self.base)
        state["dependencies"] = _in_force(self.store, self.base, docs, self.localities(), with_tasks, tables)[2]
        state["tables"] = tables.to_json()
        state["with_tasks"] = sorted(with_tasks)
        state["subjects"] = _by_owner(graph, docs)

    def update_alignment(self, changed_docs: set[str], state: dict[str, Any],
                         new_state: dict[str, Any]) -> list[Triple] | None:
        """Re-align the documents a change can reach, scoring as a full recompute does;
        returns the triples removed from or added to the alignment graph."""
        tables = AlignmentTables.from_json(state.get("tables"))
        if tables is None:  # not kept yet (a state written before the tables were): read whole
            tables = AlignmentTables.read(self.store, self.base)
        else:  # kept: the rows of the subjects the change touched are read again
            tables.patch(self.store, self.base, self._merged_changes)
        self._documents, self._tables = set(tables.documents), tables
        self._localities = (dict(tables.located), dict(tables.levels))
        new_state["tables"] = tables.to_json()
        docs = self.documents()
        if "with_tasks" in state:  # kept: re-read for the documents the change touched only
            touched = touched_documents(changed_docs, self._merged_changes)
            with_tasks = (set(state["with_tasks"]) - touched) | _with_tasks(self.store, self.base, touched)
        else:
            with_tasks = _with_tasks(self.store, self.base)
        new_state["with_tasks"] = sorted(with_tasks)
        cand, amended, deps = _in_force(self.store, self.base, docs, self.localities(), with_tasks, tables)
        old: dict[str, list[str]] = state["dependencies"]
        redo = set(changed_docs)
        redo |= {d for d in set(deps) | set(old) if deps.get(d) != old.get(d)}
        redo |= {d for d, hs in deps.items() if changed_docs.intersection(hs)}
        subjects: dict[str, list[str]] = state["subjects"]
        before = self._graph_triples(iris.alignment_graph_iri(self.base),
                                     (s for d in sorted(redo) for s in subjects.get(d, [])))
        aligned = {d: cand[d] for d in redo if cand.get(d)}
        read = set(aligned) | {h for d in aligned for h in deps.get(d, [])}
        links = []
        if aligned:
            tasks = read_tasks(self.store, self.base, read)
            evidence = read_evidence(self.store, self.base, self.localities()[1], read)
            vectors = None
            if self.settings is not None:
                texts = texts_to_embed(tasks, aligned, amended)
                vectors = (text_vectors(texts, self.settings.embedder, self.settings.home, prune=False)
                           if texts else {})
            _, superseded = versions_in_force(tasks, {}, amended, evidence, vectors)
            links = align(tasks, aligned, evidence=evidence, vectors=vectors, superseded=superseded)
        graph = canonical(links_graph(links))
        after = set(graph)
        self.store.patch_graph(iris.alignment_graph_iri(self.base), before - after, after - before)
        for d in redo:
            subjects.pop(d, None)
        subjects.update(_by_owner(graph, docs | redo))
        if not subjects:  # no link left: no graph, as a full recompute leaves it (a store lists no empty graph)
            self.store.drop_graph(iris.alignment_graph_iri(self.base))
        new_state["dependencies"], new_state["subjects"] = deps, subjects
        return list(before ^ after)

    # -- section alignment ----------------------------------------------------------------
    def full_sections(self, state: dict[str, Any]) -> list[Triple]:
        """Recompute the whole section-alignment graph; returns the triples it lost or gained."""
        target = iris.section_alignment_graph_iri(self.base)
        before = set(self.store.get_graph(target)) if target in set(self.store.graph_names()) else set()
        graph = canonical(sections.links_graph(sections.compute_section_links(self.store, self.base, self.settings)))
        after = set(graph)
        self.store.replace_graph(target, graph)
        docs = self.documents()
        state["policies"] = _cited_policies(_policies(self.store, self.base)[1])
        state["section_subjects"] = _by_owner(graph, docs)
        state["section_config"] = _config_stamp()
        return list(before ^ after)

    def update_sections(self, changed_docs: set[str], state: dict[str, Any],
                        new_state: dict[str, Any]) -> list[Triple] | None:
        """Re-link the tasks of the changed documents and of those whose cited policy
        documents changed; None (recompute whole) when a policy document or the
        configuration changed."""
        items, citing = _policies(self.store, self.base, self._tables)
        if state.get("section_config") != _config_stamp() or changed_docs.intersection(items):
            return None
        policies = _cited_policies(citing)
        old: dict[str, list[str]] = state["policies"]
        redo = set(changed_docs) | {d for d in set(policies) | set(old) if policies.get(d) != old.get(d)}
        subjects: dict[str, list[str]] = state["section_subjects"]
        target = iris.section_alignment_graph_iri(self.base)
        before = self._graph_triples(target, (s for d in sorted(redo) for s in subjects.get(d, [])))
        links: list[sections.SectionLink] = []
        relinked = {d for d in redo if d in policies}
        if relinked:
            tasks = read_tasks(self.store, self.base, relinked)
            headings = sections.task_headings(self.store, self.base, relinked)
            similarity = sections.scoring_similarity(self.settings, prune=False)
            for policy, its in items.items():
                own = [t for d in sorted(citing[policy] & relinked) for t in tasks.get(d, [])]
                links += sections.align_sections(own, its, headings=headings, similarity=similarity)
        graph = canonical(sections.links_graph(links))
        after = set(graph)
        self.store.patch_graph(target, before - after, after - before)
        docs = self.documents()
        for d in redo:
            subjects.pop(d, None)
        subjects.update(_by_owner(graph, docs | redo))
        if not subjects:
            self.store.drop_graph(target)
        new_state["policies"], new_state["section_subjects"] = policies, subjects
        new_state["section_config"] = _config_stamp()
        return list(before ^ after)

    def _graph_triples(self, graph: str, subjects: Iterable[str]) -> set[Triple]:
        return {(s, p, o) for s, p, o, _g in self.store.quads_about_in(subjects, [graph])}
