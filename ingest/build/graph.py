"""Extraction records → RDF, under the ontology's terms (docs/vocabulary-contract.md).

This is the only module that knows both the records and the vocabulary. Each call builds
the named graph of ONE source file: only what that file says, with a provenance span on
every entity and qualified link, so re-ingesting or removing the file changes exactly
its own facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, TIME

from plankg.ingest.extract.structure import text_offset
from plankg.ingest.model import CitationRecord, Deadline, Extraction, SectionRecord, Span, TargetRecord, TaskRecord
from plankg.ontology.kinds import load_kinds
from plankg.store import iris

PK = Namespace("https://w3id.org/plankg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")

KINDS = load_kinds()


def kind_terms(kind: str | None) -> tuple[URIRef, URIRef] | None:
    """(class, pk:kind-* concept) of a kind that the ontology models (``class`` in
    ontology/registry/document_kinds.yaml: pk:Plan, pk:kind-KH), else None — other kinds
    are plain pk:Document (SHACL allows only the modelled concepts as eli:type_document)."""
    known = KINDS.from_name(kind) if kind else None
    if known is None or known.cls is None:
        return None
    return PK[known.cls], PK[f"kind-{known.notation}"]


RECURRENCE = {"none": PK.NoRecurrence, "continuous": PK.Continuous, "annual": PK.Annual}
COMPARATOR = {"ge": PK.ComparatorGE, "gt": PK.ComparatorGT, "le": PK.ComparatorLE, "lt": PK.ComparatorLT,
              "eq": PK.ComparatorEQ, "range": PK.ComparatorRange, "text": PK.ComparatorText}
CITATION_TYPE = {"implements": PK.CitationImplements, "basis": PK.CitationBasis,
                 "amends": PK.CitationAmends, "mention": PK.CitationMention}
CITATION_SHORTCUT = {"implements": ELI.ensures_implementation_of, "basis": ELI.based_on,
                     "amends": ELI.cites, "mention": ELI.cites}
LEVELS = {"central": PK.LevelCentral, "province": PK.LevelProvince, "district": PK.LevelDistrict,
          "commune": PK.LevelCommune, "ward": PK.LevelCommune}


@dataclass
class AgencyRef:
    """An agency as resolved by the registry, ready to be linked."""

    iri: str
    name: str
    raw: str
    collective: bool
    known: bool
    locality: str | None = None


@dataclass
class BuildContext:
    base: str
    doc_iri: str
    resolve_agency: Callable[[str], AgencyRef]
    cited_iri: Callable[[CitationRecord], str]
    precedence: int = 0
    ocr: bool = False
    ingested_at: datetime | None = None
    task_iris: dict[str, str] = field(default_factory=dict)  # path → IRI override (rendition alignment)
    target_iris: dict[str, str] = field(default_factory=dict)
    skip_tasks: set[str] = field(default_factory=set)
    skip_targets: set[str] = field(default_factory=set)
    correspondences: list[tuple[str, str]] = field(default_factory=list)  # (narrative path, appendix path)
    #: narrative item IRI → IRI of the appendix task it states, decided once per document (from
    #: the primary rendition) so every rendition agrees; such an item is a pk:TaskMention
    mention_of: dict[str, str] = field(default_factory=dict)
    target_mentions: list[tuple[str, str, str | None]] = field(default_factory=list)  # (narrative, appendix, discrepancy)
    corrections: list[dict] = field(default_factory=list)
    pillars: dict[str, str] = field(default_factory=dict)  # section path → pillar IRI


def _lit_date(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


class _Builder:
    def __init__(self, ex: Extraction, ctx: BuildContext) -> None:
        self.ex = ex
        self.ctx = ctx
        self.g = Graph()
        self.src = ex.source
        self.span_count = 0
        self.doc = URIRef(ctx.doc_iri)
        self.rendition = URIRef(iris.source_iri(ctx.base, ex.source.name))
        for prefix, ns in (("pk", PK), ("eli", ELI), ("org", ORG), ("qb", QB), ("prov", PROV),
                           ("skos", SKOS), ("time", TIME), ("dcterms", DCTERMS), ("foaf", FOAF)):
            self.g.bind(prefix, ns)

    # -- provenance ----------------------------------------------------------------
    def span_node(self, span: Span | None, method: str) -> URIRef | None:
        if span is None:
            return None
        node = URIRef(f"{self.rendition}#span-{span.start}-{span.end}-{self._method_slug(method)}")
        g = self.g
        if (node, RDF.type, PK.SourceSpan) not in g:
            g.add((node, RDF.type, PK.SourceSpan))
            g.add((node, PK.sourceFile, Literal(self.src.name)))
            g.add((node, PK.startOffset, Literal(span.start)))
            g.add((node, PK.endOffset, Literal(span.end)))
            if span.line_start:
                g.add((node, PK.startLine, Literal(span.line_start)))
                g.add((node, PK.endLine, Literal(span.line_end)))
            g.add((node, PK.extractionMethod, Literal(method)))
            g.add((node, PK.quote, Literal(self.src.original[span.start:span.end][:500])))
            g.add((node, PROV.wasDerivedFrom, self.rendition))
        return node

    @staticmethod
    def _method_slug(method: str) -> str:
        return "".join(c if c.isalnum() else "-" for c in method.lower())

    def provenance(self, subject: URIRef | BNode, span: Span | None, method: str) -> None:
        node = self.span_node(span, method)
        if node is not None:
            self.g.add((subject, PK.extractedFrom, node))

    # -- document ----------------------------------------------------------------
    def document(self) -> None:
        g, d, rec = self.g, self.doc, self.ex.document
        g.add((d, RDF.type, PK.Document))
        terms = kind_terms(rec.kind)
        if terms is not None:
            g.add((d, RDF.type, terms[0]))
            g.add((d, ELI.type_document, terms[1]))
        if rec.symbol:
            g.add((d, ELI.id_local, Literal(rec.symbol)))
        if rec.number:
            g.add((d, PK.documentNumber, Literal(rec.number)))
        if rec.date:
            g.add((d, ELI.date_document, _lit_date(rec.date)))
        year = rec.year or (rec.date.year if rec.date else None)
        if year:
            g.add((d, PK.year, Literal(year)))
        if rec.title:
            g.add((d, ELI["title"], _vi(rec.title)))
        if rec.issuer:
            g.add((d, PK.issuerName, _vi(rec.issuer)))
            issuer = self.ctx.resolve_agency(rec.issuer)
            self.agency(issuer)
            g.add((d, ELI.passed_by, URIRef(issuer.iri)))
        if rec.locality:
            loc = URIRef(f"{self.ctx.base}locality/{_slug(rec.locality_level or '')}-{_slug(rec.locality)}".replace("/-", "/"))
            g.add((d, PK.locality, loc))
            g.add((loc, RDF.type, PK.Locality))
            g.add((loc, SKOS.prefLabel, _vi(rec.locality)))
            if rec.locality_level in LEVELS:
                g.add((loc, PK.adminLevel, LEVELS[rec.locality_level]))
        if rec.signer:
            g.add((d, PK.signer, Literal(rec.signer)))
        for name in rec.inferred:
            g.add((d, PK.inferredField, Literal(name)))
        self.provenance(d, rec.span, "document-title-block" if not rec.inferred else "document-inferred")
        # the rendition this graph was read from
        r = self.rendition
        g.add((r, RDF.type, PK.Rendition))
        g.add((d, PK.hasRendition, r))
        g.add((r, PK.renditionOf, d))
        g.add((r, PK.sourceFile, Literal(self.src.name)))
        g.add((r, PK.checksum, Literal(self.src.checksum)))
        g.add((r, PK["format"], Literal(self.src.fmt)))
        g.add((r, PK.precedence, Literal(self.ctx.precedence)))
        g.add((r, PK.ocr, Literal(self.ctx.ocr)))
        if self.ctx.ingested_at:
            g.add((r, PK.ingestedAt, Literal(self.ctx.ingested_at.isoformat(timespec="seconds"), datatype=XSD.dateTime)))

    # -- agencies ------------------------------------------------------------------
    def agency(self, ref: AgencyRef) -> URIRef:
        node = URIRef(ref.iri)
        g = self.g
        if ref.collective:
            g.add((node, RDF.type, PK.AgentGroup))
            g.add((node, RDF.type, FOAF.Group))
        else:
            g.add((node, RDF.type, PK.Agency))
            g.add((node, RDF.type, ORG.Organization))
        if not ref.known:
            # registry entries are described in the registry graph; ad-hoc ones here
            g.add((node, SKOS.prefLabel, _vi(ref.name)))
            g.add((node, PK.unregistered, Literal(True)))
        return node

    def link_agencies(self, subject: URIRef, names: Iterable[str], shortcut: URIRef, role: URIRef | None, span: Span, method: str) -> None:
        for raw in names:
            ref = self.ctx.resolve_agency(raw)
            node = self.agency(ref)
            self.g.add((subject, shortcut, node))
            if role is None:
                continue
            assoc = URIRef(f"{subject}#assoc-{_slug(str(role).rsplit('#', 1)[-1])}-{_slug(ref.iri.rsplit('/', 1)[-1])}")
            self.g.add((subject, PROV.qualifiedAssociation, assoc))
            self.g.add((assoc, RDF.type, PROV.Association))
            self.g.add((assoc, PROV.agent, node))
            self.g.add((assoc, PROV.hadRole, role))
            self.g.add((assoc, PK.rawName, _vi(raw)))
            self.provenance(assoc, span, method)

    # -- citations -----------------------------------------------------------------
    def citations(self) -> None:
        g = self.g
        for c in self.ex.citations:
            cited = URIRef(self.ctx.cited_iri(c))
            if cited == self.doc:
                continue
            # "văn bản số 708/BTTTT-CATTT": when the printed kind is not modelled, the symbol knows better
            terms = kind_terms(c.kind) or kind_terms(iris.kind_from_symbol(c.symbol))
            g.add((cited, RDF.type, PK.Document))
            if terms is not None:
                g.add((cited, RDF.type, terms[0]))
                g.add((cited, ELI.type_document, terms[1]))
            g.add((cited, ELI.id_local, Literal(c.symbol)))
            if c.date:
                g.add((cited, ELI.date_document, _lit_date(c.date)))
                g.add((cited, PK.year, Literal(c.date.year)))
            if c.issuer:
                g.add((cited, PK.issuerName, _vi(c.issuer)))
            g.add((self.doc, ELI.cites, cited))
            g.add((self.doc, CITATION_SHORTCUT[c.relation], cited))
            if c.relation == "implements":
                g.add((self.doc, PK.implements, cited))
            elif c.relation == "amends" and not c.amends_symbol:  # its own title amends the cited one
                g.add((self.doc, ELI.amends, cited))
            cit = URIRef(f"{self.doc}#citation-{_slug(c.symbol)}-{c.span.start}")
            g.add((cit, RDF.type, PK.Citation))
            g.add((cit, PK.citingDocument, self.doc))
            g.add((cit, PK.citedDocument, cited))
            g.add((cit, PK.citationType, CITATION_TYPE[c.relation]))
            g.add((cit, PK.citedAs, _vi(c.text)))
            self.provenance(cit, c.span, "citation-pattern")
            if c.amends_symbol:
                amended = URIRef(self.ctx.cited_iri(CitationRecord(
                    kind=None, symbol=c.amends_symbol, date=None, issuer=None, relation="mention",
                    amends_symbol=None, span=c.span, text=c.amends_symbol)))
                g.add((cited, ELI.amends, amended))
                g.add((amended, ELI.id_local, Literal(c.amends_symbol)))
                g.add((amended, RDF.type, PK.Document))
                amended_terms = kind_terms(iris.kind_from_symbol(c.amends_symbol))
                if amended_terms is not None:
                    g.add((amended, RDF.type, amended_terms[0]))
                    g.add((amended, ELI.type_document, amended_terms[1]))

    # -- structure ------------------------------------------------------------------
    def sections(self) -> dict[str, URIRef]:
        out: dict[str, URIRef] = {}
        g = self.g
        for s in self.ex.sections:
            node = URIRef(iris.part_iri(self.ctx.doc_iri, "section", s.path))
            out[s.path] = node
            g.add((node, RDF.type, PK.Appendix if s.appendix and s.parent is None else PK.Section))
            g.add((node, PK.inDocument, self.doc))
            g.add((node, PK.number, Literal(s.number)))
            g.add((node, PK.path, Literal(s.path)))
            if s.heading:
                g.add((node, PK.heading, _vi(s.heading)))
            own = self.section_text(s)
            if own:
                g.add((node, PK.text, _vi(own)))
            self.provenance(node, s.span, "section-tree")
        for s in self.ex.sections:
            parent = out.get(s.parent) if s.parent else self.doc
            if parent is not None:
                g.add((out[s.path], ELI.is_part_of, parent))
                g.add((parent, ELI.has_part, out[s.path]))
        return out

    def section_text(self, own: SectionRecord) -> str | None:
        """A section's own words: its heading line and lead text up to its first subsection
        (the whole body for a leaf). Bounded by the document's size however deep the tree,
        and what the section alignment (ingest/build/section_alignment.py) reads."""
        src = self.ex.source
        children = [s.span.start for s in self.ex.sections if s.parent == own.path and s.span.start > own.span.start]
        end = min([own.span.end, *children])
        lo, hi = text_offset(src, own.span.start), text_offset(src, end)
        text = " ".join(src.text[lo:hi].split())
        return text or None

    # -- deadlines ------------------------------------------------------------------
    def interval(self, subject: URIRef, d: Deadline, link: URIRef, cls: URIRef, suffix: str) -> URIRef:
        node = URIRef(f"{subject}#{suffix}")
        g = self.g
        g.add((subject, link, node))
        g.add((node, RDF.type, cls))
        g.add((node, RDF.type, TIME.Interval))
        for prop, value, name in ((TIME.hasBeginning, d.start, "begin"), (TIME.hasEnd, d.end, "end")):
            if value:
                inst = URIRef(f"{subject}#{suffix}-{name}")
                g.add((node, prop, inst))
                g.add((inst, RDF.type, TIME.Instant))
                g.add((inst, TIME.inXSDDate, _lit_date(value)))
        g.add((node, SKOS.prefLabel, _vi(d.text)))
        return node

    def part(self, rec: TaskRecord | TargetRecord, kind: str, classes: tuple[URIRef, ...],
             overrides: dict[str, str], sections: dict[str, URIRef]) -> URIRef:
        """What tasks and targets share: IRI (the primary rendition's when aligned), types, place."""
        node = URIRef(overrides.get(rec.path) or iris.part_iri(self.ctx.doc_iri, kind, rec.path))
        g = self.g
        for cls in classes:
            g.add((node, RDF.type, cls))
        g.add((node, PK.inDocument, self.doc))
        g.add((node, PK.number, Literal(rec.number)))
        g.add((node, PK.path, Literal(rec.path)))
        g.add((node, PK.origin, Literal(rec.origin)))
        if rec.section and rec.section in sections:
            g.add((node, PK.inSection, sections[rec.section]))
        return node

    def task(self, t: TaskRecord, sections: dict[str, URIRef]) -> None:
        if t.path in self.ctx.skip_tasks:
            return
        iri = self.ctx.task_iris.get(t.path) or iris.part_iri(self.ctx.doc_iri, "task", t.path)
        # a narrative item restating an appendix row is a mention of that task, not a second task
        classes = (PK.TaskMention,) if iri in self.ctx.mention_of else (PK.Task, PROV.Activity)
        node = self.part(t, "task", classes, self.ctx.task_iris, sections)
        g = self.g
        g.add((node, PK.text, _vi(t.text)))
        if t.section in self.ctx.pillars:
            g.add((node, PK.pillar, URIRef(self.ctx.pillars[t.section])))
        if t.output:
            g.add((node, PK.expectedOutput, _vi(t.output)))
        self.provenance(node, t.span, t.method)
        self.link_agencies(node, t.lead, PK.leadAgency, PK.LeadRole, t.span, t.method)
        self.link_agencies(node, t.cooperating, PK.cooperatingAgency, PK.CooperatingRole, t.span, t.method)
        if t.deadline:
            d = t.deadline
            g.add((node, PK.deadlineText, _vi(d.text)))
            self.interval(node, d, PK.deadline, PK.Deadline, "deadline")
            if d.start:
                g.add((node, PK.startDate, _lit_date(d.start)))
            if d.end:
                g.add((node, PK.dueDate, _lit_date(d.end)))
                g.add((node, PK.dueYear, Literal(d.end.year)))
            g.add((node, PK.recurrence, RECURRENCE.get(d.recurrence, PK.NoRecurrence)))
            if d.before:
                g.add((node, PK.dueBefore, Literal(True)))

    def target(self, t: TargetRecord, sections: dict[str, URIRef]) -> None:
        if t.path in self.ctx.skip_targets:
            return
        node = self.part(t, "target", (PK.Target, QB.Observation), self.ctx.target_iris, sections)
        g = self.g
        g.add((node, PK.indicatorText, _vi(t.indicator)))
        g.add((node, PK.comparator, COMPARATOR[t.comparator]))
        g.add((node, PK.valueText, _vi(t.value_text)))
        if t.comparator in ("eq",) and t.value_min is not None:
            g.add((node, PK.value, Literal(str(t.value_min), datatype=XSD.decimal)))
        if t.value_min is not None:
            g.add((node, PK.minValue, Literal(str(t.value_min), datatype=XSD.decimal)))
        if t.value_max is not None:
            g.add((node, PK.maxValue, Literal(str(t.value_max), datatype=XSD.decimal)))
        if t.comparator in ("ge", "gt") and t.value_min is not None:
            g.add((node, PK.value, Literal(str(t.value_min), datatype=XSD.decimal)))
        if t.comparator in ("le", "lt") and t.value_max is not None:
            g.add((node, PK.value, Literal(str(t.value_max), datatype=XSD.decimal)))
        if t.unit:
            g.add((node, PK.unit, _vi(t.unit)))
        if t.horizon:
            h = t.horizon
            g.add((node, PK.horizonText, _vi(h.text)))
            self.interval(node, h, PK.horizon, PK.Horizon, "horizon")
            if h.end:
                g.add((node, PK.horizonYear, Literal(h.end.year)))
                g.add((node, PK.horizonDate, _lit_date(h.end)))
        self.provenance(node, t.span, t.method)
        self.link_agencies(node, t.monitoring, PK.monitoringAgency, None, t.span, t.method)

    def links(self) -> None:
        doc = self.ctx.doc_iri
        pairs = [(URIRef(self.ctx.task_iris.get(n) or iris.part_iri(doc, "task", n)),
                  URIRef(self.ctx.task_iris.get(a) or iris.part_iri(doc, "task", a))) for n, a in self.ctx.correspondences]
        pairs += [(URIRef(n), URIRef(a)) for n, a in self.ctx.mention_of.items()]
        present = set(self.g.subjects(PK.inDocument, self.doc))
        for a, b in pairs:
            if a in present and b in present:  # both read from this rendition
                self.g.add((a, PK.correspondsTo, b))
                self.g.add((b, PK.correspondsTo, a))
        for narrative, appendix, discrepancy in self.ctx.target_mentions:
            a = URIRef(self.ctx.target_iris.get(narrative) or iris.part_iri(doc, "target", narrative))
            b = URIRef(self.ctx.target_iris.get(appendix) or iris.part_iri(doc, "target", appendix))
            self.g.add((a, PK.mentionOf, b))
            if discrepancy:
                self.g.add((a, PK.discrepancy, _vi(discrepancy)))

    def corrections(self) -> None:
        for i, c in enumerate(self.ctx.corrections):
            node = URIRef(f"{self.rendition}#correction-{i + 1}")
            target = URIRef(c["iri"])
            g = self.g
            g.add((node, RDF.type, PK.Correction))
            g.add((node, RDF.type, PROV.Activity))
            g.add((node, PK.correctedField, Literal(c["field"])))
            if c.get("old") is not None:
                g.add((node, PK.oldValue, Literal(str(c["old"]))))
            g.add((node, PK.newValue, Literal(str(c["new"]))))
            who = URIRef(f"{self.ctx.base}person/{_slug(c.get('by') or 'unknown')}")
            g.add((who, RDF.type, PROV.Agent))
            g.add((who, FOAF.name, Literal(c.get("by") or "unknown")))
            g.add((node, PROV.wasAssociatedWith, who))
            if c.get("why"):
                g.add((node, SKOS.note, _vi(c["why"])))
            g.add((target, PK.correctedBy, node))

    def build(self) -> Graph:
        self.document()
        self.citations()
        sections = self.sections()
        for t in self.ex.tasks:
            self.task(t, sections)
        for tg in self.ex.targets:
            self.target(tg, sections)
        self.links()
        self.corrections()
        return self.g


def _slug(text: str) -> str:
    from plankg.folding import slugify

    return slugify(text)


def mention_iris(doc_iri: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """(narrative path, appendix path) pairs of the primary rendition → {mention IRI: task IRI}."""
    return {iris.part_iri(doc_iri, "task", n): iris.part_iri(doc_iri, "task", a) for n, a in pairs}


def build_source_graph(extraction: Extraction, ctx: BuildContext) -> Graph:
    """The named graph of one source file."""
    return _Builder(extraction, ctx).build()
