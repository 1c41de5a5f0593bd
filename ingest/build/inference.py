"""Materialised entailments of the ontology's own axioms, in their own named graph.

Why materialise: the ontology says ``pk:leadAgency rdfs:subPropertyOf pk:involvedAgency``,
``org:transitiveSubOrganizationOf`` is transitive, ``pk:successor`` follows from a change
event's original and resulting organisations … but a SPARQL store answers only what is
asserted, so ``?t pk:involvedAgency ?a`` found nothing. Writing the entailed triples into
``{base}graph/inferred`` (part of the default dataset, ``store.read.queries.default_graphs``)
makes every query see them, and keeps them apart so a user can leave them out
(``infer=false`` on ``/sparql``, ``plankg sparql --no-infer``, or a ``default-graph-uri``
list without that graph).

Why generated and not a hand-written rule list: the rules are read from the ontology's
axioms (:func:`rules_from_ontology`), so an axiom added to ``ontology/plankg.ttl`` is
honoured on the next build without code. Supported axiom kinds: ``rdfs:subClassOf``,
``owl:equivalentClass``, ``rdfs:subPropertyOf``, ``owl:equivalentProperty``,
``owl:inverseOf``, ``owl:SymmetricProperty``, ``owl:TransitiveProperty`` and
``owl:propertyChainAxiom`` (elements a property or ``[ owl:inverseOf p ]``).

What is deliberately NOT entailed (a full OWL 2 RL closure doubles the graph with these):
no ``owl:sameAs``, no ``owl:Thing``/``rdfs:Resource`` typing, no axiomatic or schema
triples (the rules run over the data graphs only — merged view and registry — never the
ontology graph), no reflexive links from transitivity or chains, no literal-valued
sub-property copies (``pk:text`` → ``dcterms:description`` would copy every text; only
links between IRIs are entailed), no ``rdfs:domain``/``rdfs:range`` typing (the builder
asserts types and the SHACL shapes check them). The inferred graph holds only triples that
are not already asserted, so its size is exactly what inference adds.

The rules run as SPARQL CONSTRUCT queries inside the store, round after round, until a
round adds nothing (a fixpoint; after the first round only the rules that read a property or
class the last round added run again); the result depends only on the data graphs, never on the
order in which sources were ingested.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from plankg.store import iris
from plankg.store.base import GraphStore

#: Classes whose membership says nothing about the data: never entailed.
_TRIVIAL_CLASSES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_TRIVIAL_PROPERTIES = {OWL.topObjectProperty, OWL.topDataProperty}
#: A fixpoint is normally reached in a handful of rounds (the depth of the class and
#: property hierarchies plus the longest transitive path); this bounds a runaway.
MAX_ROUNDS = 50


@dataclass(frozen=True)
class Rule:
    """One entailment rule generated from one axiom: its kind, the axiom as text, the query."""

    kind: str  # subClassOf | subPropertyOf | inverseOf | symmetric | transitive | chain
    axiom: str
    construct: str
    #: what the rule's body reads: property IRIs, and ``a <class>`` for class membership; a
    #: round after the first runs only the rules that read something the last round added
    reads: frozenset[str] = frozenset()
    #: what it entails: a property IRI, or ``a <class>`` (the incremental update scopes by it)
    head: str = ""


@dataclass
class InferenceReport:
    """What one materialisation did: triples added, rounds to the fixpoint, rules run."""

    triples: int
    rounds: int
    rules: int


def _n3(term: URIRef) -> str:
    return f"<{term}>"


def _class_rule(sub: URIRef, sup: URIRef, axiom: str) -> Rule:
    q = (f"CONSTRUCT {{ ?x a {_n3(sup)} }} WHERE {{ ?x a {_n3(sub)} . FILTER(isIRI(?x)) "
         f"FILTER NOT EXISTS {{ ?x a {_n3(sup)} }} }}")
    return Rule("subClassOf", axiom, q, frozenset({f"a {sub}"}), f"a {sup}")


def _property_rule(kind: str, body: str, head: URIRef, axiom: str, *, irreflexive: bool = False) -> Rule:
    """``body`` binds ?s and ?o; the rule entails ``?s head ?o`` between IRIs, new only."""
    filters = "FILTER(isIRI(?s) && isIRI(?o))" + (" FILTER(!sameTerm(?s, ?o))" if irreflexive else "")
    q = (f"CONSTRUCT {{ ?s {_n3(head)} ?o }} WHERE {{ {body} {filters} "
         f"FILTER NOT EXISTS {{ ?s {_n3(head)} ?o }} }}")
    reads = frozenset(part[1:-1] for part in body.split() if part.startswith("<") and part.endswith(">"))
    return Rule(kind, axiom, q, reads, str(head))


def _named(*terms: object) -> bool:
    return all(isinstance(t, URIRef) for t in terms)


def _class_rules(onto: rdflib.Graph) -> Iterator[Rule]:
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if _named(sub, sup) and sup not in _TRIVIAL_CLASSES and sub != sup:
            yield _class_rule(sub, sup, f"{sub} rdfs:subClassOf {sup}")  # type: ignore[arg-type]
    for a, b in onto.subject_objects(OWL.equivalentClass):
        if _named(a, b) and a != b:
            yield _class_rule(a, b, f"{a} owl:equivalentClass {b}")  # type: ignore[arg-type]
            yield _class_rule(b, a, f"{a} owl:equivalentClass {b}")  # type: ignore[arg-type]


def _subproperty_rules(onto: rdflib.Graph) -> Iterator[Rule]:
    pairs = [(p, q, "rdfs:subPropertyOf") for p, q in onto.subject_objects(RDFS.subPropertyOf)]
    pairs += [(p, q, "owl:equivalentProperty") for p, q in onto.subject_objects(OWL.equivalentProperty)]
    pairs += [(q, p, "owl:equivalentProperty") for p, q in onto.subject_objects(OWL.equivalentProperty)]
    for p, q, how in pairs:
        if _named(p, q) and q not in _TRIVIAL_PROPERTIES and p != q:
            yield _property_rule("subPropertyOf", f"?s {_n3(p)} ?o .", q, f"{p} {how} {q}")  # type: ignore[arg-type]


def _inverse_rules(onto: rdflib.Graph) -> Iterator[Rule]:
    for p, q in onto.subject_objects(OWL.inverseOf):
        if _named(p, q):
            axiom = f"{p} owl:inverseOf {q}"
            yield _property_rule("inverseOf", f"?o {_n3(p)} ?s .", q, axiom)  # type: ignore[arg-type]
            yield _property_rule("inverseOf", f"?o {_n3(q)} ?s .", p, axiom)  # type: ignore[arg-type]
    for p in onto.subjects(RDF.type, OWL.SymmetricProperty):
        if _named(p):
            yield _property_rule("symmetric", f"?o {_n3(p)} ?s .", p, f"{p} a owl:SymmetricProperty")  # type: ignore[arg-type]


def _transitive_rules(onto: rdflib.Graph) -> Iterator[Rule]:
    for p in onto.subjects(RDF.type, OWL.TransitiveProperty):
        if _named(p):
            body = f"?s {_n3(p)} ?m . ?m {_n3(p)} ?o ."  # type: ignore[arg-type]
            yield _property_rule("transitive", body, p, f"{p} a owl:TransitiveProperty",  # type: ignore[arg-type]
                                 irreflexive=True)


def _chain_step(onto: rdflib.Graph, element: object, left: str, right: str) -> str | None:
    """One link of a chain as a triple pattern; ``[ owl:inverseOf p ]`` walks p backwards."""
    if isinstance(element, URIRef):
        return f"{left} {_n3(element)} {right} ."
    if isinstance(element, BNode):
        inv = onto.value(element, OWL.inverseOf)
        if isinstance(inv, URIRef):
            return f"{right} {_n3(inv)} {left} ."
    return None


def _chain_rules(onto: rdflib.Graph) -> Iterator[Rule]:
    for p, head in onto.subject_objects(OWL.propertyChainAxiom):
        if not isinstance(p, URIRef):
            continue
        elements = list(Collection(onto, head))
        names = ["?s"] + [f"?v{i}" for i in range(1, len(elements))] + ["?o"]
        steps = [_chain_step(onto, e, names[i], names[i + 1]) for i, e in enumerate(elements)]
        if len(elements) < 2 or any(s is None for s in steps):
            continue  # a chain element this generator cannot read is skipped, never guessed
        shown = " ∘ ".join(str(e) if isinstance(e, URIRef) else f"inverse({onto.value(e, OWL.inverseOf)})"
                           for e in elements)
        yield _property_rule("chain", " ".join(s for s in steps if s), p, f"{p} owl:propertyChainAxiom ({shown})",
                             irreflexive=True)


def rules_from_ontology(onto: rdflib.Graph) -> list[Rule]:
    """Every entailment rule the ontology's axioms give, in a stable order."""
    rules = [*_class_rules(onto), *_subproperty_rules(onto), *_inverse_rules(onto),
             *_transitive_rules(onto), *_chain_rules(onto)]
    return sorted(set(rules), key=lambda r: (r.kind, r.axiom, r.construct))


@lru_cache(maxsize=1)
def ontology_rules() -> tuple[Rule, ...]:
    """The rules of the shipped ontology (read once per process)."""
    from plankg.ontology import load_ontology

    return tuple(rules_from_ontology(load_ontology()))


def data_graphs(base: str) -> list[str]:
    """The graphs inference reads: the data of the default dataset, not the ontology graph
    (so no schema triple is ever entailed about the vocabulary itself)."""
    return [iris.merged_graph_iri(base), iris.registry_graph_iri(base), iris.alignment_graph_iri(base),
            iris.section_alignment_graph_iri(base)]


def round_graph(base: str, k: int) -> str:
    """The scratch graph of round ``k`` of :func:`materialise` (never read by a reader: not
    in the default dataset)."""
    return f"{iris.inferred_graph_iri(base)}-next-{k}"


def _drop_scratch(store: GraphStore, base: str) -> None:
    """Drop every round graph, and the single scratch graph of older code: what a crash left.
    One listing of the graphs, not a lookup per possible round (a remote store lists them all
    for each lookup)."""
    scratch = {iris.inferred_graph_iri(base) + "-next"} | {round_graph(base, k) for k in range(1, MAX_ROUNDS + 1)}
    for name in sorted(scratch.intersection(store.graph_names())):
        store.discard_graph(name)


def materialise(store: GraphStore, base: str, rules: tuple[Rule, ...] | list[Rule] | None = None) -> InferenceReport:
    """Run the rules to a fixpoint and write the result as ``{base}graph/inferred``.

    Called after every change of the merged view or the registry that has no small scope
    (``refresh_inferred``, a bulk ingest).

    Memory (#11): the entailments never sit in Python. Round ``k`` streams each rule's
    CONSTRUCT answer into its own scratch graph (:func:`round_graph`, in batches of
    ``WRITE_BATCH``); the rules of round ``k`` read the data graphs and the round graphs
    before it (their ``FILTER NOT EXISTS`` sees them), so the round graphs are disjoint and
    a round adds nothing exactly when its graph stays empty. Only the properties and classes
    a round added are kept (which rules run next). At the fixpoint, ``sync_graph`` makes the
    inferred graph the union of the round graphs, writing only the difference: a reader
    sees the old graph, less what went and plus what came, never an empty one. A crash
    leaves round graphs outside the default dataset; the next run drops them first."""
    rules = ontology_rules() if rules is None else rules
    rounds_done: list[str] = []
    changed: set[str] = set()
    total = 0
    _drop_scratch(store, base)
    rounds = 0
    try:
        while rounds < MAX_ROUNDS:
            rounds += 1
            graph = round_graph(base, rounds)
            dataset = data_graphs(base) + rounds_done
            added: set[str] = set()
            for rule in rules if rounds == 1 else [r for r in rules if r.reads & changed]:
                _add_in_batches(store, graph, _noting(store.construct(rule.construct, default_graphs=dataset), added))
            new = store.triple_count(graph) if added else 0
            if not new:
                break
            total += new
            rounds_done.append(graph)
            changed = added
        store.sync_graph(iris.inferred_graph_iri(base), rounds_done)
    finally:
        _drop_scratch(store, base)
    return InferenceReport(triples=total, rounds=rounds, rules=len(rules))


def _noting(triples: Iterable[tuple[Node, Node, Node]], added: set[str]) -> Iterator[tuple[Node, Node, Node]]:
    """Pass ``triples`` on, noting in ``added`` each property and ``a <class>`` they state
    (what a rule reads: :attr:`Rule.reads`)."""
    for t in triples:
        p = t[1]
        added.add(str(p))
        if p == RDF.type:
            added.add(f"a {t[2]}")
        yield t


#: Triples written per ``patch_graph`` call by :func:`materialise` (each call holds its
#: triples as rdflib terms and converts them to store quads at once: a small batch keeps
#: that copy small, ~3 KB a triple).
WRITE_BATCH = 10_000


def _add_in_batches(store: GraphStore, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    batch: list[tuple[Node, Node, Node]] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= WRITE_BATCH:
            store.patch_graph(graph, (), batch)
            batch = []
    if batch:
        store.patch_graph(graph, (), batch)


def refresh_inferred(store: GraphStore, base: str) -> InferenceReport:
    """The assembly hook: recompute the inferred graph from the current merged view and
    registry. One call, placed after the merged view (and the registry/ontology graphs) are
    written; it reads only the store, so an incremental assembly can call it as is."""
    return materialise(store, base)


# -- incremental upkeep ------------------------------------------------------------------------

@dataclass
class Scope:
    """The part of the inferred graph a change can alter.

    Every rule but the transitive and chain ones reads one triple between the two terms it
    links (or, for class rules, the one term it types), so a changed triple ``s p o`` can
    only alter entailments between ``s`` and ``o`` (in either direction) and, for ``s a C``,
    the classes of ``s``. Transitive and chain rules join triples of several terms: a change
    of a property they read, or of one that entails such a property (:func:`far_properties`),
    has no small scope (the caller recomputes the whole graph; in practice those properties
    live in the registry, which changes only with its file). Conversely, entailments of
    those properties never change when none of them changed, so they are outside every scope."""

    pairs: set[tuple[str, str]]
    nodes: set[str]


def far_properties(rules: tuple[Rule, ...] | list[Rule]) -> frozenset[str]:
    """Properties read by transitive or chain rules, and every property that entails one."""
    far = {p for r in rules if r.kind in ("transitive", "chain") for p in r.reads}
    while True:
        more = {p for r in rules if r.head in far for p in r.reads if not p.startswith("a ")} - far
        if not more:
            return frozenset(far)
        far |= more


def change_scope(changes: Iterable[tuple[Node, Node, Node]],
                 rules: tuple[Rule, ...] | list[Rule]) -> Scope | None:
    """The scope of a set of changed data triples, or None when it is the whole graph."""
    far = far_properties(rules)
    scope = Scope(set(), set())
    for s, p, o in changes:
        if not isinstance(s, URIRef):
            continue  # rules entail only between IRIs; a blank node is never a premise's end
        if p == RDF.type:
            scope.nodes.add(str(s))
        elif str(p) in far:
            return None
        elif isinstance(o, URIRef):
            scope.pairs.update({(str(s), str(o)), (str(o), str(s))})
    return scope


def _in_scope(s: Node, p: Node, o: Node, scope: Scope) -> bool:
    if p == RDF.type:
        return str(s) in scope.nodes
    return isinstance(o, URIRef) and (str(s), str(o)) in scope.pairs


def update_inferred(store: GraphStore, base: str, changes: Iterable[tuple[Node, Node, Node]],
                    rules: tuple[Rule, ...] | list[Rule] | None = None) -> InferenceReport:
    """Bring ``{base}graph/inferred`` in step with data graphs whose triples ``changes``
    were added or removed, touching only the change's :class:`Scope`.

    The triples of the scope (asserted, and the kept entailments of far properties) are read
    by subject and copied into a scratch in-memory store, where the same rules (all but the
    transitive and chain ones, whose entailments cannot change here) run to their fixpoint;
    the result replaces the scope's old entailments, the rest of the graph is kept. Equals
    :func:`materialise` on the new data: an entailment in the scope has all its premises in
    the scope, one outside has none there. Falls back to :func:`materialise` when the scope
    is the whole graph or the inferred graph is missing."""
    from plankg.store.backends.oxigraph import OxigraphStore  # the scratch store: in memory

    rules = ontology_rules() if rules is None else rules
    graph = iris.inferred_graph_iri(base)
    scope = change_scope(changes, rules)
    if scope is None or not store.has_graph(graph):
        return materialise(store, base, rules)
    far = far_properties(rules)
    readable = set(data_graphs(base)) | {graph}
    premises = rdflib.Graph()
    old: set[tuple[Node, Node, Node]] = set()
    # the readable graphs only: a node every source mentions (a cited document) has thousands
    # of triples across the per-source graphs, a few here
    for s, p, o, g in store.quads_about_in(sorted({a for a, _ in scope.pairs} | scope.nodes), sorted(readable)):
        if not _in_scope(s, p, o, scope):
            continue
        if g == graph and str(p) not in far:
            old.add((s, p, o))  # recomputed below
        else:
            premises.add((s, p, o))  # asserted, or an entailment of a far property (unchanged)
    scratch = OxigraphStore(None)
    try:
        scratch.replace_graph(iris.merged_graph_iri(base), premises)
        report = materialise(scratch, base, [r for r in rules if r.head not in far])
        new = set(scratch.get_graph(graph))
    finally:
        scratch.close()
    store.patch_graph(graph, old - new, new - old)
    return InferenceReport(triples=len(new), rounds=report.rounds, rules=report.rules)
