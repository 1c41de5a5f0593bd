"""What query understanding matches against, read from the graph at index time.

Why a lexicon saved with the index: understanding must recognise the agencies, localities
and documents the graph actually holds (``skos:prefLabel``/``altLabel`` of every agency in
the registry graph and the merged view, succession links, document symbols), and it runs
on every query, so the graph is read once per index build, not per query.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankg.config import Settings
from plankg.search.index.delta import link_copy
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query

__all__ = ["AgencyEntry", "DocumentEntry", "Lexicon", "LocalityEntry", "read_lexicon"]

#: The agencies and localities of a generation's lexicon (:meth:`Lexicon.save`).
REGISTRY = "lexicon-registry.json"
LEVELS = {"LevelCentral": "central", "LevelProvince": "province", "LevelDistrict": "district",
          "LevelCommune": "commune"}


@dataclass
class AgencyEntry:
    iri: str
    name: str
    labels: list[str]
    collective: bool = False
    locality: str | None = None
    successors: list[str] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)


@dataclass
class LocalityEntry:
    iri: str
    name: str
    labels: list[str]
    level: str | None = None


@dataclass
class DocumentEntry:
    iri: str
    kind: str | None
    identifier: str | None
    title: str | None
    year: int | None
    rendered: bool


@dataclass
class Lexicon:
    agencies: list[AgencyEntry] = field(default_factory=list)
    localities: list[LocalityEntry] = field(default_factory=list)
    documents: list[DocumentEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # what asdict gives, without its deep copy (entries hold only strings and lists of
        # strings; the registry's thousands of agencies and localities are written on every update)
        return {"agencies": [dict(vars(e)) for e in self.agencies], "localities": [dict(vars(e)) for e in self.localities],
                "documents": [dict(vars(e)) for e in self.documents]}

    def updated(self, part: Lexicon, documents: set[str]) -> Lexicon:
        """This lexicon with ``part`` (read for ``documents`` only) taken in: those documents'
        entries replaced, their agencies and localities added or refreshed. Entries that no
        document uses any more stay until the next full build (harmless: nothing matches them)."""
        agencies = {e.iri: e for e in self.agencies}
        for e in part.agencies:  # successions link agencies outside the part: keep the known ones
            old = agencies.get(e.iri)
            if old is not None:
                e.successors = sorted(set(e.successors) | set(old.successors))
                e.predecessors = sorted(set(e.predecessors) | set(old.predecessors))
            agencies[e.iri] = e
        localities = {e.iri: e for e in self.localities} | {e.iri: e for e in part.localities}
        docs = {e.iri: e for e in self.documents if e.iri not in documents} | {e.iri: e for e in part.documents}
        return Lexicon(sorted(agencies.values(), key=lambda e: e.iri), sorted(localities.values(), key=lambda e: e.iri),
                       sorted(docs.values(), key=lambda e: e.iri))

    def save(self, folder: Path, previous: tuple[Path, Lexicon] | None = None) -> None:
        """Write under an index generation: ``lexicon.json`` (the documents' entries) and
        ``lexicon-registry.json`` (agencies and localities, most of the bytes). Why two
        files: an update changes the documents' entries, rarely the agencies', so with
        ``previous`` (the last generation's folder and lexicon) an unchanged registry is
        hard-linked from there instead of written again."""
        registry = folder / REGISTRY
        old = previous[0] / REGISTRY if previous is not None else None
        if (previous is not None and old is not None and old.exists()
                and previous[1].agencies == self.agencies and previous[1].localities == self.localities):
            link_copy(old, registry)
        else:
            data = {k: v for k, v in self.to_dict().items() if k != "documents"}
            registry.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        (folder / "lexicon.json").write_text(json.dumps({"documents": self.to_dict()["documents"]},
                                                        ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> Lexicon:
        """Read what :meth:`save` wrote (or one ``lexicon.json`` of an older generation)."""
        data: dict[str, Any] = json.loads((folder / "lexicon.json").read_text("utf-8"))
        if (folder / REGISTRY).exists():
            data |= json.loads((folder / REGISTRY).read_text("utf-8"))
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Lexicon:
        return cls([AgencyEntry(**a) for a in d.get("agencies", [])],
                   [LocalityEntry(**x) for x in d.get("localities", [])],
                   [DocumentEntry(**x) for x in d.get("documents", [])])


def _rows(store: GraphStore, settings: Settings, body: str) -> list[dict[str, Any]]:
    return run_query(store, settings, PREFIXES + body).records()


def _scope(documents: Collection[str] | None, var: str) -> str:
    return "" if documents is None else f"VALUES ?{var} {{ {' '.join(f'<{d}>' for d in sorted(documents))} }}"


def read_lexicon(settings: Settings, store: GraphStore, documents: Collection[str] | None = None) -> Lexicon:
    """Agencies (labels, locality, successions), localities and documents of the default
    dataset (merged view + registry + ontology); with ``documents``, only those documents
    and the agencies and localities they name (merged in by :meth:`Lexicon.updated`)."""
    agencies: dict[str, AgencyEntry] = {}
    within = "" if documents is None else (  # a sub-select: evaluated first (see Records.parts)
        "{ SELECT DISTINCT ?a WHERE { " + _scope(documents, "scoped")
        + " { ?x pk:inDocument ?scoped ; ?link ?a } UNION { ?scoped eli:passed_by ?a } } }")
    for r in _rows(store, settings, """SELECT ?a ?p ?l ?group ?loc WHERE { """ + within + """
            ?a a ?c FILTER(?c IN (pk:Agency, pk:AgentGroup, org:Organization))
            { ?a skos:prefLabel ?l BIND("pref" AS ?p) } UNION { ?a skos:altLabel ?l BIND("alt" AS ?p) }
            OPTIONAL { ?a pk:locality ?loc }
            BIND(EXISTS { ?a a pk:AgentGroup } AS ?group) }"""):
        e = agencies.get(r["a"])
        if e is None:
            e = agencies[r["a"]] = AgencyEntry(r["a"], str(r["l"]), [], bool(r["group"]), r.get("loc"))
        if r["p"] == "pref":
            e.name = str(r["l"])
        if str(r["l"]) not in e.labels:
            e.labels.append(str(r["l"]))
    # the successions the registry states (infer=False): the change events' chain would add every
    # agency a split one fed, which the query understanding does not offer as "kế thừa"
    for r in run_query(store, settings, PREFIXES + "SELECT ?a ?s WHERE { ?a pk:successor ?s }", infer=False).records():
        if r["a"] in agencies and r["s"] in agencies:
            agencies[r["a"]].successors.append(r["s"])
            agencies[r["s"]].predecessors.append(r["a"])
    localities: dict[str, LocalityEntry] = {}
    where = "" if documents is None else (
        "{ SELECT DISTINCT ?l WHERE { " + _scope(documents, "scoped")
        + " { ?scoped pk:locality ?l } UNION { ?scoped pk:inDocument/pk:locality ?l } } }")
    for r in _rows(store, settings, """SELECT ?l ?p ?n ?level WHERE { """ + where + """ ?l a pk:Locality .
            { ?l skos:prefLabel ?n BIND("pref" AS ?p) } UNION { ?l skos:altLabel ?n BIND("alt" AS ?p) }
            OPTIONAL { ?l pk:adminLevel ?level } }"""):
        loc = localities.get(r["l"])
        level = LEVELS.get(str(r.get("level", "")).rsplit("#", 1)[-1])
        if loc is None:
            loc = localities[r["l"]] = LocalityEntry(r["l"], str(r["n"]), [], level)
        if r["p"] == "pref":
            loc.name = str(r["n"])
        if str(r["n"]) not in loc.labels:
            loc.labels.append(str(r["n"]))
    entries: dict[str, DocumentEntry] = {}
    for r in _rows(store, settings, """SELECT ?d ?kind ?id ?title ?year ?rend WHERE { """ + _scope(documents, "d") + """ ?d a pk:Document .
            OPTIONAL { ?d eli:type_document/skos:prefLabel ?kind FILTER(lang(?kind) = "vi") }
            OPTIONAL { ?d eli:id_local ?id } OPTIONAL { ?d eli:title ?title } OPTIONAL { ?d pk:year ?year }
            BIND(EXISTS { ?d pk:hasRendition ?r } AS ?rend) }"""):
        if r["d"] not in entries:
            entries[r["d"]] = DocumentEntry(r["d"], r.get("kind"), r.get("id"), r.get("title"),
                                              int(r["year"]) if r.get("year") is not None else None, bool(r["rend"]))
    for e in agencies.values():
        e.successors.sort()
        e.predecessors.sort()
    return Lexicon(sorted(agencies.values(), key=lambda e: e.iri), sorted(localities.values(), key=lambda e: e.iri),
                   sorted(entries.values(), key=lambda e: e.iri))
