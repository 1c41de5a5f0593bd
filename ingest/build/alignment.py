"""Alignment across levels of government: which higher-level tasks a task carries out.

A ward plan restates, row by row, much of its province's plan ("Tuyên truyền thường xuyên,
sâu rộng về nội dung Nghị quyết số 57-NQ/TW …"); a province plan restates the Government's
action program. This module links a task to the tasks it carries out, with a score, the
method and the evidence, in the named graph ``{base}graph/alignment`` (part of the default
dataset), as ``pk:carriesOut`` (⊑ ``prov:wasInformedBy``; its inverse ``pk:carriedOutBy`` is
entailed by the inference step) qualified by a ``pk:TaskAlignment``.

Candidates (never every pair): for a task of document D, the tasks of

* the documents D cites (``eli:cites``: implements, based on, mentions), and
* the documents in force for a higher locality of D's — a locality D's lies within
  (``pk:withinLocality``, registry parents) or the predecessor or successor of one
  (``pk:successor``: a ward of the merged Đồng Nai reaches the plans of the former Bình
  Phước province) — whose administrative level is higher than D's.

Score: lexical similarity of the accent-folded texts (the share of the shorter text's word
pairs the other contains; rapidfuzz's token-set ratio, tried first, rewards the family's stock
phrases too much) plus small bonuses when the two tasks serve the same pillar of
57-NQ/TW and are due in the same year; a link is kept when its score reaches ``THRESHOLD`` and
lies within ``MARGIN`` of the task's best candidate (a ward row may carry out two province
rows). Both constants were tuned on the development half of
``tests/gold/alignment/ward002_province000.json`` only; the held-out figure is in
docs/ontology.md. Embedding similarity is not used here: it lives in the search layer, which
ingest may not import.

Everything is read from the store after the merged view and registry are written, so the
result depends only on what is ingested, never on the order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from plankg.folding import fold_words
from plankg.store import iris
from plankg.store.base import GraphStore

PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
METHOD = "lexical-bigram-containment+pillar+deadline/v1"
THRESHOLD = 0.6
MARGIN = 0.2
PILLAR_BONUS = 0.05
YEAR_BONUS = 0.03
LEVEL_RANK = {"LevelCentral": 0, "LevelProvince": 1, "LevelDistrict": 2, "LevelCommune": 3}


@dataclass(frozen=True)
class TaskText:
    """What the scorer reads of one task."""

    iri: str
    doc: str
    text: str
    pillar: str | None
    due_year: int | None


@dataclass(frozen=True)
class Link:
    lower: str
    higher: str
    score: float


def alignment_graph_iri(base: str) -> str:
    return iris.alignment_graph_iri(base)


def _rows(store: GraphStore, base: str, body: str) -> list[dict[str, object]]:
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]
    return store.query(PREFIXES + body, default_graphs=graphs).records()


def read_tasks(store: GraphStore, base: str, docs: Iterable[str] | None = None) -> dict[str, list[TaskText]]:
    """Tasks by document (``pk:Task`` only: a mention is aligned through its task); only those
    of ``docs`` when given (an incremental update reads the documents it re-aligns)."""
    out: dict[str, list[TaskText]] = defaultdict(list)
    only = "" if docs is None else "VALUES ?doc { " + " ".join(f"<{d}>" for d in sorted(docs)) + " }"
    rows = _rows(store, base, """SELECT ?t ?doc ?text (SAMPLE(?p) AS ?pillar) (MIN(?y) AS ?year) WHERE { """ + only + """
        ?t a pk:Task ; pk:inDocument ?doc ; pk:text ?text .
        OPTIONAL { ?t pk:pillar ?p } OPTIONAL { ?t pk:dueYear ?y } } GROUP BY ?t ?doc ?text""")
    for r in rows:
        year = r.get("year")
        out[str(r["doc"])].append(TaskText(str(r["t"]), str(r["doc"]), str(r["text"]),
                                           str(r["pillar"]) if r.get("pillar") else None,
                                           int(str(year)) if year is not None else None))
    for tasks in out.values():
        tasks.sort(key=lambda t: t.iri)
    return out


def _higher_localities(store: GraphStore, base: str) -> dict[str, set[str]]:
    """locality → the localities above it, with their predecessors and successors."""
    rows = _rows(store, base, """SELECT ?l ?up WHERE {
        ?l a pk:Locality . ?l pk:withinLocality+ ?a . ?a (pk:successor|^pk:successor)* ?up }""")
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[str(r["l"])].add(str(r["up"]))
    return out


def candidate_documents(store: GraphStore, base: str, docs: Iterable[str]) -> dict[str, set[str]]:
    """document → the higher documents whose tasks its tasks may carry out."""
    wanted = set(docs)
    out: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, base, "SELECT ?d ?h WHERE { ?d eli:cites ?h . FILTER(?d != ?h) }"):
        out[str(r["d"])].add(str(r["h"]))
    level: dict[str, int] = {}
    located: dict[str, str] = {}
    # a document's locality node (built from the printed name) is the registry's locality of
    # the same name and level: the registry knows what it lies within and what succeeded it
    for r in _rows(store, base, """SELECT ?d ?l ?lv WHERE { ?d pk:hasRendition ?r ; pk:locality ?dl .
            ?dl skos:prefLabel ?n ; pk:adminLevel ?lv .
            ?l a pk:Locality ; skos:altLabel ?n2 ; pk:adminLevel ?lv . FILTER(STR(?n) = STR(?n2)) }"""):
        located[str(r["d"])] = str(r["l"])
        if r.get("lv"):
            level[str(r["d"])] = LEVEL_RANK.get(str(r["lv"]).rsplit("#", 1)[-1], 9)
    above = _higher_localities(store, base)
    for d, loc in located.items():
        for h, hloc in located.items():
            if h != d and hloc in above.get(loc, set()) and level.get(h, 9) < level.get(d, 9):
                out[d].add(h)
    return {d: hs & wanted for d, hs in out.items() if d in wanted}


def _bigrams(folded: str) -> set[tuple[str, str]]:
    words = folded.split()
    return set(zip(words, words[1:]))


def text_similarity(a: str, b: str) -> float:
    """Share of the shorter text's word pairs found in the other (accent-folded): a ward row
    that restates a province row, shortened or with its own additions, scores high; two rows
    that only share the family's stock words ("chuyển đổi số", "đổi mới sáng tạo") do not."""
    ba, bb = _bigrams(a), _bigrams(b)
    return len(ba & bb) / max(1, min(len(ba), len(bb)))


def score(a: TaskText, b: TaskText, folded: dict[str, str]) -> float:
    """Text similarity in [0, 1] plus agreement bonuses (pillar, due year)."""
    s = text_similarity(folded[a.iri], folded[b.iri])
    if a.pillar and a.pillar == b.pillar:
        s += PILLAR_BONUS
    if a.due_year and a.due_year == b.due_year:
        s += YEAR_BONUS
    return round(s, 4)


def align(tasks: dict[str, list[TaskText]], candidates: dict[str, set[str]],
          threshold: float = THRESHOLD, margin: float = MARGIN) -> list[Link]:
    """The kept links, in a stable order."""
    folded = {t.iri: fold_words(t.text) for ts in tasks.values() for t in ts}
    links: list[Link] = []
    for doc in sorted(candidates):
        higher = [h for hd in sorted(candidates[doc]) for h in tasks.get(hd, [])]
        if not higher:
            continue
        for t in tasks.get(doc, []):
            scored = sorted(((score(t, h, folded), h.iri) for h in higher), reverse=True)
            best = scored[0][0]
            links += [Link(t.iri, h, s) for s, h in scored if s >= threshold and s >= best - margin]
    return sorted(links, key=lambda x: (x.lower, x.higher))


def links_graph(links: list[Link]) -> rdflib.Graph:
    """The alignment graph: ``pk:carriesOut`` shortcuts and their qualified form."""
    g = rdflib.Graph()
    g.bind("pk", PK)
    for link in links:
        lower, higher = URIRef(link.lower), URIRef(link.higher)
        node = URIRef(f"{link.lower}#carries-out-{hashlib.sha1(link.higher.encode()).hexdigest()[:10]}")
        g.add((lower, PK.carriesOut, higher))
        g.add((node, RDF.type, PK.TaskAlignment))
        g.add((node, PK.alignedTask, lower))
        g.add((node, PK.alignedTo, higher))
        g.add((node, PK.alignmentScore, Literal(f"{link.score:.4f}", datatype=XSD.decimal)))
        g.add((node, PK.alignmentMethod, Literal(METHOD)))
    return g


def compute_links(store: GraphStore, base: str) -> list[Link]:
    tasks = read_tasks(store, base)
    return align(tasks, candidate_documents(store, base, tasks))


def refresh_alignment(store: GraphStore, base: str) -> int:
    """The assembly hook: recompute ``graph/alignment`` from the merged view and registry.
    Called after they are written and before ``refresh_inferred``; returns the link count."""
    links = compute_links(store, base)
    store.replace_graph(iris.alignment_graph_iri(base), links_graph(links))
    return len(links)
