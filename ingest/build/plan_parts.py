"""The parts of its own plan a task points to, read from the graph: "Chủ trì triển khai các
nhiệm vụ tại mục (IV) (1) của Kế hoạch" → the plan's section ``IV.1`` ("Nông nghiệp và Môi
trường") with the text of all its sub-parts.

Why: such a row (a line of an agency's duties) names no work of its own; what it serves is
what the part it points to says. The reference is parsed by
:mod:`plankg.ingest.extract.part_references` into paths of the plan's section tree, and each
path is resolved against the ``pk:Section``s of the task's own document (``pk:path``, the
printed numbers); a reference that names another document ("khoản 1 Điều 15 Nghị định …",
"mục IV của Chương trình" in a plan) or a path the plan does not have is left alone. The
section alignment (:mod:`plankg.ingest.build.section_alignment`) scores the part's text in
the row's stead. Everything is read per document, so an incremental re-linking of a
document gives what a full recompute gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import SKOS

from plankg.folding import fold_words
from plankg.ingest.build.alignment import PREFIXES
from plankg.ingest.extract.part_references import part_references
from plankg.store import iris
from plankg.store.base import GraphStore


@dataclass(frozen=True)
class PlanPart:
    """A part of a plan a task points to: its path ("IV.1"), heading, and its units: the
    (heading they are printed under, text) of its innermost numbered items ("a) Triển khai
    Chương trình thúc đẩy …" with its dash items), the part itself when it has none. The
    units are what the part asks, one piece of work each, like a plan's task rows."""

    path: str
    heading: str
    units: tuple[tuple[str, str], ...]


class TaskHeadings(dict[str, str]):
    """task → the heading of the section it is printed in; ``parts``: task → the parts of its
    own plan its text points to (empty for most tasks); ``titles``: document → title. One object, so that every caller of
    the section alignment (the full recompute and the incremental upkeep) passes both."""

    def __init__(self, headings: dict[str, str] | None = None,
                 parts: dict[str, tuple[PlanPart, ...]] | None = None,
                 titles: dict[str, str] | None = None) -> None:
        super().__init__(headings or {})
        self.parts: dict[str, tuple[PlanPart, ...]] = dict(parts or {})
        #: document → its title (``eli:title``): what the whole document is about, evidence of
        #: each of its tasks (the section alignment's ``doc_title``)
        self.titles: dict[str, str] = dict(titles or {})


def _rows(store: GraphStore, base: str, body: str) -> list[dict[str, object]]:
    return store.query(PREFIXES + body, default_graphs=[iris.merged_graph_iri(base)]).records()


@lru_cache(maxsize=64)
def kind_words(kind: str) -> tuple[str, ...]:
    """The folded labels of a document kind concept ("ke hoach" for ``pk:kind-KH``): the words
    by which a plan names itself ("… của Kế hoạch")."""
    from plankg.ontology import load_ontology

    return tuple(fold_words(str(label)) for label in load_ontology().objects(URIRef(kind), SKOS.prefLabel)
                 if getattr(label, "language", None) == "vi")


def _values(docs: Iterable[str] | None) -> str:
    return "" if docs is None else "VALUES ?doc { " + " ".join(f"<{d}>" for d in sorted(docs)) + " } "


def task_references(store: GraphStore, base: str, docs: Iterable[str] | None = None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """task → (its document, the paths of its own plan its text points to), for the tasks
    that point to any."""
    rows = _rows(store, base, "SELECT ?t ?doc ?text (SAMPLE(?k) AS ?kind) WHERE { " + _values(docs)
                 + "?t a pk:Task ; pk:inDocument ?doc ; pk:text ?text . "
                 "OPTIONAL { ?doc <http://data.europa.eu/eli/ontology#type_document> ?k } } GROUP BY ?t ?doc ?text")
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for r in rows:
        kinds = kind_words(str(r["kind"])) if r.get("kind") else ()
        paths = [p for ref in part_references(str(r["text"])) if ref.names_own(kinds) for p in ref.paths]
        if paths:
            out[str(r["t"])] = (str(r["doc"]), tuple(dict.fromkeys(paths)))
    return out


def plan_parts(store: GraphStore, base: str, docs: Iterable[str] | None = None) -> dict[str, tuple[PlanPart, ...]]:
    """task → the parts of its own plan it points to, resolved against the plan's sections
    (a path the plan does not have is dropped)."""
    refs = task_references(store, base, docs)
    if not refs:
        return {}
    wanted = sorted({doc for doc, _ in refs.values()})
    rows = _rows(store, base, "SELECT ?doc ?path ?heading ?text WHERE { " + _values(wanted)
                 + "?s a pk:Section ; pk:inDocument ?doc ; pk:path ?path . "
                 "OPTIONAL { ?s pk:heading ?heading } OPTIONAL { ?s pk:text ?text } }")
    sections: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows:
        sections.setdefault(str(r["doc"]), {})[str(r["path"])] = (
            str(r.get("heading") or ""), str(r.get("text") or r.get("heading") or ""))
    out: dict[str, tuple[PlanPart, ...]] = {}
    for task, (doc, paths) in refs.items():
        own = sections.get(doc, {})
        parts = tuple(_part(own, p) for p in paths if p in own)
        if parts:
            out[task] = parts
    return out


def _is_dash(path: str) -> bool:
    """A dash or plus item ("IV.1.1.b.i2"): part of its numbered item's text, not a unit."""
    last = path.rsplit(".", 1)[-1]
    return last.startswith("i") and last[1:].isdigit()


def _part(sections: dict[str, tuple[str, str]], path: str) -> PlanPart:
    """The part at ``path`` with its units (see :class:`PlanPart`), in path order."""
    under = sorted(p for p in sections if p == path or p.startswith(path + "."))
    numbered = [p for p in under if not _is_dash(p)]
    units = []
    for p in numbered:
        if any(q.startswith(p + ".") for q in numbered):
            continue  # not innermost: its numbered items are the units
        dashes = [q for q in under if q.startswith(p + ".")]
        parent = p.rsplit(".", 1)[0] if p != path else p
        units.append((sections.get(parent, sections[path])[0], " ".join(sections[q][1] for q in [p, *dashes])))
    return PlanPart(path, sections[path][0], tuple(units))
