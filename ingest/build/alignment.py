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

Score: text (lexical and embedding similarity) and agreement of pillar, deadline and
agencies, combined as documented in :mod:`plankg.ingest.build.alignment_score` (weights,
threshold, margin and the standout rule for a best candidate far above the rest tuned on the development half of
``tests/gold/alignment/ward002_province000.json`` only; the held-out figure is in
docs/ontology.md). The vectors come from the search index's embedder through the registry of
:mod:`plankg.ingest.build.alignment_vectors` (ingest may not import search); without one the
text part is lexical only and the method says so.

Everything is read from the store after the merged view and registry are written, so the
result depends only on what is ingested, never on the order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from plankg.config import Settings
from plankg.folding import fold_words
from plankg.ingest.build.alignment_evidence import LEVEL_RANK, read_evidence
from plankg.ingest.build.alignment_score import (
    MARGIN,
    METHOD,
    METHOD_LEXICAL,
    METHOD_STANDOUT,
    THRESHOLD,
    THRESHOLD_LEXICAL,
    Evidence,
    agencies_agree,
    combine,
    due_after,
    stands_out,
    text_similarity,
)
from plankg.ingest.build.alignment_tables import cites_table, document_localities
from plankg.ingest.build.alignment_vectors import text_vectors
from plankg.ingest.build.alignment_versions import amended_by, in_force_candidates, superseded_tasks
from plankg.store import iris
from plankg.store.base import GraphStore

PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
ELI_NS = "http://data.europa.eu/eli/ontology#"
PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
__all__ = ["LEVEL_RANK", "MARGIN", "document_localities", "METHOD", "METHOD_STANDOUT", "THRESHOLD", "Link", "TaskText", "align", "candidate_documents",
           "compute_links", "refresh_alignment", "text_similarity", "texts_to_embed"]
NO_EVIDENCE = Evidence()


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
    method: str = METHOD


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


def candidate_documents(store: GraphStore, base: str, docs: Iterable[str],
                        localities: tuple[dict[str, str], dict[str, int]] | None = None,
                        cites: Mapping[str, set[str]] | None = None) -> dict[str, set[str]]:
    """document → the higher documents whose tasks its tasks may carry out (``localities``:
    :func:`document_localities`, ``cites``: document → the documents it cites in the merged
    view (:func:`~plankg.ingest.build.alignment_tables.cites_table`), when the caller has them already)."""
    wanted = set(docs)
    out: dict[str, set[str]] = defaultdict(set)
    # an index scan, not a query: every citation of the corpus is read (0.5-0.8 s as SPARQL rows at 3,000 documents)
    # unless the caller keeps the merged view's (the registry's own are read here: a static few)
    for table in (cites_table(store, base) if cites is None else cites,
                  cites_table(store, base, [iris.registry_graph_iri(base)])):
        for d, hs in table.items():
            out[d].update(hs)
    located, level = localities or document_localities(store, base)
    above = _higher_localities(store, base)
    by_locality: dict[str, list[str]] = defaultdict(list)  # (not every pair of documents: D² at 3,000)
    for h, hloc in located.items():
        by_locality[hloc].append(h)
    for d, loc in located.items():
        if d not in wanted:
            continue
        for hloc in above.get(loc, set()):
            out[d].update(h for h in by_locality.get(hloc, ()) if h != d and level.get(h, 9) < level.get(d, 9))
    return {d: hs & wanted for d, hs in out.items() if d in wanted}


def score(a: TaskText, b: TaskText, folded: Mapping[str, str],
          evidence: Mapping[str, Evidence] | None = None,
          vectors: Mapping[str, np.ndarray] | None = None) -> float:
    """The score of ``a`` carrying out ``b``: :func:`plankg.ingest.build.alignment_score.combine`
    of their text similarity (lexical, and embedding when ``vectors`` holds both texts) and
    the agreement of pillar, due year, agencies and deadlines."""
    ev = evidence or {}
    ea, eb = ev.get(a.iri, NO_EVIDENCE), ev.get(b.iri, NO_EVIDENCE)
    cosine = None
    if vectors is not None and a.text in vectors and b.text in vectors:
        cosine = float(np.dot(vectors[a.text], vectors[b.text]))
    return combine(text_similarity(folded[a.iri], folded[b.iri]), cosine,
                   bool(a.pillar and a.pillar == b.pillar), bool(a.due_year and a.due_year == b.due_year),
                   agencies_agree(ea, eb), due_after(ea, eb))


def align(tasks: dict[str, list[TaskText]], candidates: dict[str, set[str]],
          threshold: float | None = None, margin: float = MARGIN,
          evidence: Mapping[str, Evidence] | None = None,
          vectors: Mapping[str, np.ndarray] | None = None,
          superseded: Mapping[str, str] | None = None) -> list[Link]:
    """The kept links, in a stable order (ties broken by IRI, never by ingest order).
    ``threshold`` defaults to the one tuned for the evidence at hand (with or without vectors);
    tasks in ``superseded`` (amended, see :mod:`plankg.ingest.build.alignment_versions`) are
    no longer candidates: their amending version is."""
    folded = {t.iri: fold_words(t.text) for ts in tasks.values() for t in ts}
    method = METHOD if vectors is not None else METHOD_LEXICAL
    if threshold is None:
        threshold = THRESHOLD if vectors is not None else THRESHOLD_LEXICAL
    gone = superseded or {}
    links: list[Link] = []
    for doc in sorted(candidates):
        higher = [h for hd in sorted(candidates[doc]) for h in tasks.get(hd, []) if h.iri not in gone]
        if not higher:
            continue
        doc_of = {h.iri: h.doc for h in higher}
        for t in tasks.get(doc, []):
            scored = sorted(((score(t, h, folded, evidence, vectors), h.iri) for h in higher), reverse=True)
            links += _kept(t.iri, scored, doc_of, threshold, margin, method, standout=vectors is not None)
    return sorted(links, key=lambda x: (x.lower, x.higher))


def _kept(lower: str, scored: list[tuple[float, str]], doc_of: Mapping[str, str], threshold: float,
          margin: float, method: str, standout: bool) -> list[Link]:
    """The links of one lower task from its candidates' (score, IRI), best first: those at or
    above the threshold within ``margin`` of the best; with ``standout`` and none of those,
    the best when it stands out among the tasks of its own document
    (:func:`plankg.ingest.build.alignment_score.stands_out`). Its own document, not all the
    candidates: which other documents are candidates (an unrelated plan of the province, a
    later one) must not change whether a task stands out in the plan it carries out."""
    best, top = scored[0]
    kept = [Link(lower, h, s, method) for s, h in scored if s >= threshold and s >= best - margin]
    if not kept and standout and stands_out(best, [s for s, h in scored if doc_of[h] == doc_of[top]]):
        kept = [Link(lower, top, best, METHOD_STANDOUT)]
    return kept


def texts_to_embed(tasks: dict[str, list[TaskText]], candidates: dict[str, set[str]],
                   amended: dict[str, set[str]]) -> list[str]:
    """The texts of the tasks that take part in some candidate pair (not every task),
    the amending documents' pairs included (the version-in-force rule compares them).
    One rule for the full recompute and the incremental upkeep, so both embed alike."""
    pairs = {**candidates, **{a: bs for a, bs in amended.items() if a in tasks}}
    docs = {d for d, hs in pairs.items() if hs} | {h for hs in pairs.values() for h in hs}
    return sorted({t.text for d in docs for t in tasks.get(d, [])})


def add_qualified_link(g: rdflib.Graph, subject: str, target: str, fragment: str,
                       terms: tuple[URIRef, URIRef, URIRef, URIRef], score: float,
                       method: str, evidence: str = "") -> None:
    """Add one scored link twice: the ``subject terms[0] target`` shortcut and its qualified
    node (class ``terms[1]``, ``terms[2]`` → subject, ``terms[3]`` → target, score, method,
    evidence). One writer for task links and section links, so both keep one shape; the node
    IRI is the subject's fragment ``<fragment>-<sha1(target)[:10]>``, stable across runs."""
    shortcut, cls, to_subject, to_target = terms
    s, t = URIRef(subject), URIRef(target)
    node = URIRef(f"{subject}#{fragment}-{hashlib.sha1(target.encode()).hexdigest()[:10]}")
    g.add((s, shortcut, t))
    g.add((node, RDF.type, cls))
    g.add((node, to_subject, s))
    g.add((node, to_target, t))
    g.add((node, PK.alignmentScore, Literal(f"{score:.4f}", datatype=XSD.decimal)))
    g.add((node, PK.alignmentMethod, Literal(method)))
    if evidence:
        g.add((node, PK.alignmentEvidence, Literal(evidence)))


def links_graph(links: list[Link]) -> rdflib.Graph:
    """The alignment graph: ``pk:carriesOut`` shortcuts and their qualified form."""
    g = rdflib.Graph()
    g.bind("pk", PK)
    terms = (PK.carriesOut, PK.TaskAlignment, PK.alignedTask, PK.alignedTo)
    for link in links:
        add_qualified_link(g, link.lower, link.higher, "carries-out", terms, link.score, link.method)
    return g


def versions_in_force(tasks: dict[str, list[TaskText]], candidates: dict[str, set[str]],
                      amended: Mapping[str, set[str]], evidence: Mapping[str, Evidence],
                      vectors: Mapping[str, np.ndarray] | None) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(candidates with amending documents beside the amended ones, superseded task → its
    amending version), scored like a link (:mod:`plankg.ingest.build.alignment_versions`);
    ``amended``: amended document → the documents amending it."""
    if not amended:
        return candidates, {}
    by_iri = {t.iri: t for ts in tasks.values() for t in ts}
    folded = {i: fold_words(t.text) for i, t in by_iri.items()}
    threshold = THRESHOLD if vectors is not None else THRESHOLD_LEXICAL

    def restates(new: str, old: str) -> float:
        return score(by_iri[new], by_iri[old], folded, evidence, vectors)

    in_force = in_force_candidates(candidates, amended, {d for d, ts in tasks.items() if ts})
    gone = superseded_tasks({d: [t.iri for t in ts] for d, ts in tasks.items()}, amended, restates, threshold)
    return in_force, gone


def compute_links(store: GraphStore, base: str, settings: Settings | None = None) -> list[Link]:
    """All links. With ``settings``, texts are also compared by the configured embedder
    (``settings.embedder``; vectors cached under ``settings.home``); without, lexically."""
    tasks = read_tasks(store, base)
    localities = document_localities(store, base)
    candidates = candidate_documents(store, base, tasks, localities)
    amended = amended_by(store, [iris.merged_graph_iri(base)])
    evidence = read_evidence(store, base, localities[1])
    vectors = None
    if settings is not None:
        wider = in_force_candidates(candidates, amended, set(tasks)) if amended else candidates
        texts = texts_to_embed(tasks, wider, amended)
        vectors = text_vectors(texts, settings.embedder, settings.home) if texts else {}
    candidates, superseded = versions_in_force(tasks, candidates, amended, evidence, vectors)
    return align(tasks, candidates, evidence=evidence, vectors=vectors, superseded=superseded)


def refresh_alignment(store: GraphStore, base: str, settings: Settings | None = None) -> int:
    """The assembly hook: recompute ``graph/alignment`` from the merged view and registry.
    Called after they are written and before ``refresh_inferred``; returns the link count."""
    links = compute_links(store, base, settings)
    store.replace_graph(iris.alignment_graph_iri(base), links_graph(links))
    return len(links)
