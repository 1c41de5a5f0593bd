"""Filling the record of retired IRIs (:mod:`plankg.store.retired`) as graphs are rebuilt.

Why here: the incremental builder already knows, for every source it rebuilds or drops,
the subjects its graph stated before (``build/subjects/``) and after. A data IRI that was
stated before and that no source graph (nor the agency registry) states after the change
was published and is gone: it is recorded as retired (410), or as moved (301) when a
subject the change made has the same identity — same kind, same document (or the
document's successor), same text (``pk:text``, ``pk:indicatorText`` + ``pk:valueText``)
or, for a document, a rendition in common. An IRI that a change states again leaves the
record. The builder calls :meth:`Retirer.__call__` once per chunk, after the chunk's graphs
are written and before it saves their subjects, so a crash in between repeats the same
call on the next run (the record's writes are idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from rdflib import RDF, Namespace, URIRef
from rdflib.term import Node

from plankg.ingest.extract.version import EXTRACTOR_VERSION
from plankg.store import iris
from plankg.store.base import GraphStore
from plankg.store.retired import RetiredRecord, Retirement, record_path

__all__ = ["Retirer", "is_data_iri"]

PK = Namespace("https://w3id.org/plankg/ontology#")

#: What a thing's identity is read from when looking for its successor (its words, not its
#: path: a re-extraction that renumbers items keeps the words of each item).
TEXT_KEYS = (PK.text, PK.indicatorText, PK.valueText)

Statements = Mapping[str, Mapping[Node, set[Node]]]


def is_data_iri(iri: str, base: str) -> bool:
    """A dereferenceable data IRI: under the base, not a hash IRI (a dependent resource
    answers with its entity's page), not a named graph."""
    return iri.startswith(base) and "#" not in iri and not iri.startswith(base + "graph/")


class Retirer:
    """The builder's hook: ``(subjects before, by source; subjects after; statements)``."""

    def __init__(self, store: GraphStore, base: str, home: Path, sources: Iterable[str]) -> None:
        self.store = store
        self.base = base
        self.path = record_path(home)
        self.sources = set(sources)
        self.source_prefix = iris.source_graph_iri(base, "x")[:-1]
        self.registry = iris.registry_graph_iri(base)
        self.retired = 0
        self.revived = 0
        self._record: RetiredRecord | None = None  # read once per run, saved after each chunk that changed it

    def __call__(self, before: Mapping[str, set[str]], after: set[str], statements: Statements) -> None:
        if self._record is None:
            self._record = RetiredRecord.load(self.path)
        record = self._record
        owners: dict[str, list[str]] = {}
        for name, subjects in before.items():
            for s in subjects:
                if s not in after and is_data_iri(s, self.base):
                    owners.setdefault(s, []).append(name)
        gone = set(owners) - self._still_stated(owners)
        revived = record.revive(s for s in after if is_data_iri(s, self.base))
        successors = self._successors(gone, after, statements)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        entries = []
        for s in sorted(gone):
            names = sorted(owners[s])
            removed = [n for n in names if n not in self.sources]
            source = (removed or names)[0]
            entries.append(Retirement(s, since, "source-removed" if removed else "re-extracted", source,
                                      EXTRACTOR_VERSION, successors.get(s)))
        added = record.retire(entries)
        if added or revived:
            record.save()
        self.retired += added
        self.revived += revived

    def _still_stated(self, candidates: Iterable[str]) -> set[str]:
        """Those of ``candidates`` some source graph or the registry still states."""
        candidates = set(candidates)
        out = set()
        if self.registry not in self.store.graph_names():  # a fresh store: the registry is written after the build
            from plankg.ingest.build.registry_graph import registry_graph

            out |= {str(s) for s in registry_graph(self.base).subjects()} & candidates
        # one lazy index lookup per candidate, stopped at the first graph that states it: a
        # shared agency that a removed source named is stated by thousands of other graphs
        for s in sorted(candidates - out):
            if any(g.startswith(self.source_prefix) or g == self.registry for _p, _o, g in self.store.statements(s)):
                out.add(s)
        return out

    def _successors(self, gone: set[str], after: set[str], statements: Statements) -> dict[str, str]:
        """Gone IRI → the one new subject with its identity (documents first, so a task of a
        document whose IRI changed is matched in the new document)."""
        new = sorted(s for s in after if is_data_iri(s, self.base))
        out: dict[str, str] = {}
        docs = {s for s in gone | set(new) if PK.hasRendition in statements.get(s, {})}
        for s in sorted(gone & docs):
            renditions = statements[s][PK.hasRendition]
            match = [n for n in new if n in docs and n != s and renditions & statements[n].get(PK.hasRendition, set())
                     and _types(statements, s) <= _types(statements, n)]
            if len(match) == 1:
                out[s] = match[0]
        index: dict[tuple[Node, Node], set[str]] = {}
        for n in new:
            for k in TEXT_KEYS:
                for v in statements.get(n, {}).get(k, set()):
                    index.setdefault((k, v), set()).add(n)
        for s in sorted(gone - docs):
            same = _same_identity(s, statements, index, out)
            if len(same) == 1:
                out[s] = same.pop()
        return out


def _types(statements: Statements, s: str) -> frozenset[Node]:
    return frozenset(statements.get(s, {}).get(RDF.type, set()))


def _same_identity(s: str, statements: Statements, index: Mapping[tuple[Node, Node], set[str]],
                   moved: Mapping[str, str]) -> set[str]:
    """The new subjects stating every word, type and (mapped) document ``s`` stated. Subset,
    not equality: a subject that a change kept but rewrote is noted with its old and new
    statements both."""
    props = statements.get(s, {})
    keys = [(k, v) for k in TEXT_KEYS for v in props.get(k, set())]
    if not keys:
        return set()
    found = set.intersection(*(set(index.get(k, set())) for k in keys)) - {s}
    types = props.get(RDF.type, set())
    docs = {URIRef(moved.get(str(d), str(d))) for d in props.get(PK.inDocument, set())}
    return {n for n in found if types <= statements.get(n, {}).get(RDF.type, set())
            and docs <= statements.get(n, {}).get(PK.inDocument, set())}
