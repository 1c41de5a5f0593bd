"""From all saved extractions to one named graph per source file.

Decides everything that needs more than one file: which files are renditions of the same
document (and so share IRIs), the document's identity (clean copy first, OCR fills gaps),
the IRIs of cited documents (one entity per real document across all files), agency
resolution in each document's locality, and the user's corrections.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from datetime import datetime

from rdflib import Graph

from plankg.folding import slugify
from plankg.ingest.build.corrections import apply_corrections
from plankg.ingest.build.graph import AgencyRef, BuildContext, build_source_graph
from plankg.ingest.build.pillars import assign_pillars
from plankg.ingest.build.renditions import (
    DocumentCluster,
    align_targets,
    align_tasks,
    cluster_documents,
    link_narrative_to_appendix,
    link_target_mentions,
    looks_like_ocr,
)
from plankg.ingest.extract.agencies import load_registry
from plankg.ingest.model import CitationRecord, DocumentRecord, Extraction
from plankg.store import iris


def merged_document(cluster: DocumentCluster) -> DocumentRecord:
    """Field by field, the first rendition (by precedence) that printed a value wins."""
    docs = [m.document for m in cluster.members]
    merged = copy.deepcopy(docs[0])
    for f in dataclasses.fields(DocumentRecord):
        if getattr(merged, f.name) in (None, [], ""):
            for other in docs[1:]:
                value = getattr(other, f.name)
                if value not in (None, [], ""):
                    setattr(merged, f.name, copy.deepcopy(value))
                    break
    # a field printed by any rendition is not inferred
    merged.inferred = [n for n in merged.inferred if all(n in d.inferred or getattr(d, n, None) in (None, "") for d in docs)]
    return merged


LEVEL_PREFIX = {"ward": "phuong-", "commune": "xa-", "district": "huyen-"}
ISSUER_CODES = (  # folded issuer prefix → the code a symbol would carry
    ("uy ban nhan dan", "ubnd"), ("ubnd", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("hdnd", "hdnd"),
    ("ban thuong vu tinh uy", "tu"), ("tinh uy", "tu"), ("ban chi dao", "bcd"),
)


def jurisdiction_slug(doc: DocumentRecord) -> str | None:
    """The place a document belongs to; a ward is not its namesake province."""
    if not doc.locality:
        return None
    from plankg.ingest.extract.agencies import load_registry

    known = load_registry().locality(doc.locality, doc.locality_level)
    return known.id if known else LEVEL_PREFIX.get(doc.locality_level or "", "") + slugify(doc.locality)


def issuer_code(issuer: str | None) -> str | None:
    if not issuer:
        return None
    folded = slugify(issuer).replace("-", " ")
    for prefix, code in ISSUER_CODES:
        if folded.startswith(prefix):
            return code
    return slugify(issuer)


def key_for_document(doc: DocumentRecord) -> iris.DocumentKey:
    year = doc.year or (doc.date.year if doc.date else None)
    return iris.document_key(
        symbol=doc.symbol, kind=doc.kind, year=year, locality_slug=jurisdiction_slug(doc),
        issuer_slug=issuer_code(doc.issuer), title=doc.title,
    )


class CitationResolver:
    """One IRI per real cited document: symbol + year, jurisdiction from issuer or citer."""

    def __init__(self, base: str, extractions: list[Extraction], own_keys: dict[str, iris.DocumentKey]) -> None:
        self.base = base
        self.years: dict[str, set[int]] = {}
        for ex in extractions:
            for c in ex.citations:
                if c.date:
                    self.years.setdefault(_norm_symbol(c.symbol), set()).add(c.date.year)
        for ex in extractions:
            d = ex.document
            if d.symbol and (d.date or d.year):
                self.years.setdefault(_norm_symbol(d.symbol), set()).add(d.year or d.date.year)  # type: ignore[union-attr]
        self.own_keys = own_keys

    def iri(self, c: CitationRecord, citer: DocumentRecord) -> str:
        year = c.date.year if c.date else None
        if year is None:
            known = self.years.get(_norm_symbol(c.symbol), set())
            if len(known) == 1:
                year = next(iter(known))
        locality = _locality_in(c.issuer)
        if locality is None:
            issuer = (c.issuer or "").lower()
            mentions_province = "tỉnh" in issuer or "tỉnh ủy" in issuer
            locality = _province_of(citer) if mentions_province else jurisdiction_slug(citer)
        key = iris.document_key(symbol=c.symbol, kind=c.kind, year=year, locality_slug=locality)
        # a citation of an ingested document must land on that document's IRI
        for own in self.own_keys.values():
            if own.number and own.number == key.number and own.type_code == key.type_code and own.issuer == key.issuer and own.year == key.year:
                return iris.document_iri(self.base, own)
        return iris.document_iri(self.base, key)


def _norm_symbol(symbol: str) -> str:
    return "".join(symbol.split()).upper()


def _locality_in(issuer: str | None) -> str | None:
    """'UBND tỉnh Đồng Nai' → 'dong-nai'; None when the issuer names no place."""
    if not issuer:
        return None
    low = issuer.lower()
    for marker, prefix in (("tỉnh ", ""), ("thành phố ", ""), ("phường ", "phuong-"), ("xã ", "xa-")):
        if marker in low:
            place = issuer[low.index(marker) + len(marker):].strip()
            if place and place[0].isupper():
                return prefix + slugify(place)
    return None


def _province_of(citer: DocumentRecord) -> str | None:
    """The province a ward's or commune's document refers to as "tỉnh" (registry parent)."""
    from plankg.ingest.extract.agencies import load_registry

    loc = load_registry().locality(citer.locality, citer.locality_level) if citer.locality else None
    if loc is None:
        return jurisdiction_slug(citer)
    while loc.parent and loc.level not in ("province", "central"):
        parent = load_registry().localities.get(loc.parent)
        if parent is None:
            break
        loc = parent
    return loc.id


def assemble_graphs(extractions: list[Extraction], base: str, sources: dict[str, dict],
                    corrections: list[dict] | None = None) -> dict[str, Graph]:
    """One graph per source; ``corrections`` as loaded from ``Settings.corrections_path``."""
    registry = load_registry()
    corrections = corrections or []
    clusters = cluster_documents(extractions)
    merged_docs = {id(c): merged_document(c) for c in clusters}
    own_keys = {c.primary.source.name: key_for_document(merged_docs[id(c)]) for c in clusters}
    resolver = CitationResolver(base, extractions, own_keys)
    graphs: dict[str, Graph] = {}
    for cluster in clusters:
        doc = merged_docs[id(cluster)]
        doc_iri = iris.document_iri(base, own_keys[cluster.primary.source.name])
        primary = cluster.primary
        for rank, member in enumerate(cluster.members):
            ex, applied = apply_corrections(member, corrections, doc_iri)
            ctx = BuildContext(
                base=base, doc_iri=doc_iri,
                resolve_agency=_agency_resolver(registry, base, doc),
                cited_iri=functools.partial(_cited_iri, resolver, member.document),
                precedence=rank, ocr=looks_like_ocr(member),
                ingested_at=_ingested_at(sources, member.source.name),
                corrections=applied,
            )
            if member is not primary:
                task_map = align_tasks(primary.tasks, ex.tasks)
                target_map = align_targets(primary.targets, ex.targets)
                ctx.task_iris = {p: iris.part_iri(doc_iri, "task", q) for p, q in task_map.items()}
                ctx.target_iris = {p: iris.part_iri(doc_iri, "target", q) for p, q in target_map.items()}
                ctx.skip_tasks = {t.path for t in ex.tasks if t.path not in task_map}
                ctx.skip_targets = {t.path for t in ex.targets if t.path not in target_map}
                if ctx.skip_tasks:
                    ex.warnings.append(f"{len(ctx.skip_tasks)} task(s) of the copy {member.source.name} match no task of {primary.source.name} and were left out")
            ctx.pillars = assign_pillars(ex.sections)
            ctx.correspondences = link_narrative_to_appendix(ex.tasks)
            ctx.target_mentions = link_target_mentions(ex.targets)
            graphs[member.source.name] = build_source_graph(ex, ctx)
    return graphs


def _ingested_at(sources: dict[str, dict], name: str) -> datetime | None:
    value = sources.get(name, {}).get("ingested_at")
    return datetime.fromisoformat(value) if value else None


def _agency_resolver(registry, base: str, doc: DocumentRecord):
    cache: dict[str, AgencyRef] = {}
    as_of = doc.date

    def resolve(raw: str) -> AgencyRef:
        if raw not in cache:
            m = registry.resolve_or_keep(raw, locality=doc.locality, level=doc.locality_level, as_of=as_of)
            cache[raw] = AgencyRef(
                iri=iris.agency_iri(base, m.id, m.collective), name=m.name, raw=raw,
                collective=m.collective, known=m.known,
            )
        return cache[raw]

    return resolve


def _cited_iri(resolver: CitationResolver, citing: DocumentRecord, citation: CitationRecord) -> str:
    """The IRI of a cited document, as seen from the citing document (a partial per member)."""
    return resolver.iri(citation, citing)
