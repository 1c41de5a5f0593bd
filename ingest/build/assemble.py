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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rdflib import Graph

from plankg.folding import slugify
from plankg.ingest.build.corrections import apply_corrections
from plankg.ingest.build.graph import AgencyRef, BuildContext, build_source_graph, mention_iris
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

    years: Mapping[str, set[int]]
    own: Mapping[tuple[str, str, str, int | None], iris.DocumentKey]

    def __init__(self, base: str, extractions: list[Extraction], own_keys: dict[str, iris.DocumentKey]) -> None:
        years: dict[str, set[int]] = {}
        for ex in extractions:
            for symbol, year in year_contributions(ex):
                years.setdefault(symbol, set()).add(year)
        self.base = base
        self.years = years
        self.own = own_key_index(own_keys.items())

    @classmethod
    def from_index(cls, base: str, years: Mapping[str, set[int]],
                   own: Mapping[tuple[str, str, str, int | None], iris.DocumentKey]) -> CitationResolver:
        """A resolver over precomputed tables (the incremental build looks them up per entry
        in its state store: any mapping with ``get``)."""
        resolver = cls.__new__(cls)
        resolver.base, resolver.years, resolver.own = base, years, own
        return resolver

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
        own = self.own.get((key.number, key.type_code, key.issuer, key.year)) if key.number else None
        return iris.document_iri(self.base, own or key)


def year_contributions(ex: Extraction) -> list[tuple[str, int]]:
    """(normalised symbol, year) pairs one file tells: a dated citation's, its own document's.
    A citation printed without a date takes the year when the corpus knows exactly one."""
    out = [(_norm_symbol(c.symbol), c.date.year) for c in ex.citations if c.date]
    d = ex.document
    if d.symbol and (d.date or d.year):
        out.append((_norm_symbol(d.symbol), d.year or d.date.year))  # type: ignore[union-attr]
    return out


def own_key_index(keys: Iterable[tuple[str, iris.DocumentKey]]) -> dict[tuple[str, str, str, int | None], iris.DocumentKey]:
    """Numbered keys of the ingested documents by (number, type, issuer, year); ``keys`` in
    cluster order (by primary file name): the first document with a key wins."""
    out: dict[tuple[str, str, str, int | None], iris.DocumentKey] = {}
    for _name, key in keys:
        if key.number:
            out.setdefault((key.number, key.type_code, key.issuer, key.year), key)
    return out


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


@dataclass
class BuildReport:
    """What building the graphs found per source file, for the ingest report.

    Why apart from ``Extraction.warnings``: extractions are saved and cached; building
    runs again after every change, so its findings are collected afresh each time rather
    than appended to the saved record."""

    warnings: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # source name → why its graph was left out

    def warn(self, source: str, message: str) -> None:
        found = self.warnings.setdefault(source, [])
        if message not in found:
            found.append(message)

    def fail(self, source: str, exc: BaseException) -> None:
        self.errors[source] = (f"{source}: lỗi khi dựng đồ thị, tệp được bỏ qua, các tệp khác vẫn được nạp "
                               f"(graph build failed; this file is left out, the others are kept) "
                               f"{type(exc).__name__}: {exc}")


def assemble_graphs(extractions: list[Extraction], base: str, sources: dict[str, dict],
                    corrections: list[dict] | None = None, report: BuildReport | None = None) -> dict[str, Graph]:
    """One graph per source; ``corrections`` as loaded from ``Settings.corrections_path``.

    A source whose graph cannot be built is left out and its error recorded in ``report``:
    one bad file never stops the batch (nor empties the store)."""
    registry = load_registry()
    report = report if report is not None else BuildReport()
    corrections = corrections or []
    clusters = cluster_documents(extractions)
    merged_docs: dict[int, DocumentRecord] = {}
    own_keys: dict[str, iris.DocumentKey] = {}
    for c in clusters:
        try:
            merged_docs[id(c)] = merged_document(c)
            own_keys[c.primary.source.name] = key_for_document(merged_docs[id(c)])
        except Exception as exc:  # noqa: BLE001 — a per-source guard: record it and go on
            for m in c.members:
                report.fail(m.source.name, exc)
    resolver = CitationResolver(base, [ex for c in clusters if id(c) in merged_docs for ex in c.members],
                                own_keys)
    graphs: dict[str, Graph] = {}
    for cluster in clusters:
        if id(cluster) not in merged_docs:
            continue
        doc_iri = iris.document_iri(base, own_keys[cluster.primary.source.name])
        for rank, member in enumerate(cluster.members):
            try:
                graphs[member.source.name] = _member_graph(
                    cluster, rank, member, merged_docs[id(cluster)], doc_iri,
                    _Shared(base, registry, resolver, sources, corrections, report))
            except Exception as exc:  # noqa: BLE001 — a per-source guard: record it and go on
                report.fail(member.source.name, exc)
    return graphs


@dataclass
class _Shared:
    """What every member's build reads: the batch-wide resolvers and the report."""

    base: str
    registry: Any
    resolver: CitationResolver
    sources: dict[str, dict]
    corrections: list[dict]
    report: BuildReport


def _member_graph(cluster: DocumentCluster, rank: int, member: Extraction, doc: DocumentRecord,
                  doc_iri: str, shared: _Shared) -> Graph:
    """The named graph of one rendition of a document."""
    base, primary, name = shared.base, cluster.primary, member.source.name
    ex, applied = apply_corrections(member, shared.corrections, doc_iri)
    ctx = BuildContext(
        base=base, doc_iri=doc_iri,
        resolve_agency=_agency_resolver(shared.registry, base, doc,
                                        warn=functools.partial(shared.report.warn, name)),
        cited_iri=functools.partial(_cited_iri, shared.resolver, member.document),
        precedence=rank, ocr=looks_like_ocr(member),
        ingested_at=_ingested_at(shared.sources, name),
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
            shared.report.warn(name, f"{len(ctx.skip_tasks)} nhiệm vụ của bản sao {name} không khớp nhiệm vụ nào "
                                     f"của {primary.source.name} nên bị bỏ qua ({len(ctx.skip_tasks)} task(s) of "
                                     f"the copy {name} match no task of {primary.source.name} and were left out)")
    ctx.pillars = assign_pillars(ex.sections)
    ctx.mention_of = mention_iris(doc_iri, link_narrative_to_appendix((ex if member is primary else primary).tasks))
    ctx.target_mentions = link_target_mentions(ex.targets)
    return build_source_graph(ex, ctx)


def _ingested_at(sources: dict[str, dict], name: str) -> datetime | None:
    value = sources.get(name, {}).get("ingested_at")
    return datetime.fromisoformat(value) if value else None


def _agency_resolver(registry: Any, base: str, doc: DocumentRecord,
                     warn: Callable[[str], None] | None = None) -> Callable[[str], AgencyRef]:
    """Agency names → registry entries in the document's locality; an unknown agency is kept
    under the name it was printed with, and ``warn`` says so (never dropped, never silent)."""
    cache: dict[str, AgencyRef] = {}
    as_of = doc.date

    def resolve(raw: str) -> AgencyRef:
        if raw not in cache:
            m = registry.resolve_or_keep(raw, locality=doc.locality, level=doc.locality_level, as_of=as_of)
            if not m.known and warn is not None:
                warn(unknown_agency_warning(m.name, m.id))
            cache[raw] = AgencyRef(
                iri=iris.agency_iri(base, m.id, m.collective), name=m.name, raw=raw,
                collective=m.collective, known=m.known,
            )
        return cache[raw]

    return resolve


def unknown_agency_warning(name: str, agency_id: str) -> str:
    """The report line for an agency the registry does not know (Vietnamese, English in parentheses)."""
    return (f"cơ quan chưa có trong danh mục, được giữ theo tên in «{name}» "
            f"(unknown agency kept as printed, not in the registry: {agency_id})")


def _cited_iri(resolver: CitationResolver, citing: DocumentRecord, citation: CitationRecord) -> str:
    """The IRI of a cited document, as seen from the citing document (a partial per member)."""
    return resolver.iri(citation, citing)
