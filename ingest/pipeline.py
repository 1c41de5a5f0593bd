"""The ingest job: files → extractions → per-source named graphs → merged view.

Order independence comes from recomputation: each file's extraction is saved under
``PLANKG_HOME/extractions``; after any change, every document cluster touched by it is
rebuilt from the saved extractions of all its renditions, so the graph depends only on
the set of files ingested, never on their order.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from plankg.config import Settings
from plankg.folding import slugify
from plankg.ingest import changelog
from plankg.ingest.build.serialize import load_extraction, save_extraction
from plankg.ingest.errors import IngestError
from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source
from plankg.store import iris
from plankg.store.base import GraphStore

if TYPE_CHECKING:
    from plankg.ingest.build.assemble import BuildReport

SUPPORTED_SUFFIXES = {".txt", ".docx", ".pdf", ".md", ".markdown", ".text", ".xlsx", ".doc", ".xls"}  # .doc/.xls: read to say how to convert them


@dataclass
class FileResult:
    path: str
    name: str
    status: str  # added | changed | unchanged | failed | removed
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    kind: str | None = None  # document kind ("Kế hoạch"), None when none was recognised
    symbol: str | None = None  # as printed ("3260-KH/ĐĐQH15")
    tasks: int = 0
    targets: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        """One file of the ingest report (``plankg ingest --report FILE``)."""
        return {"file": self.name, "path": self.path, "status": self.status, "kind": self.kind,
                "symbol": self.symbol, "tasks": self.tasks, "targets": self.targets,
                "warnings": list(self.warnings), "error": self.error, "seconds": round(self.seconds, 3),
                "counts": dict(self.counts)}


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The whole report: every file accounted for, with totals by status."""
        totals: dict[str, int] = {}
        for f in self.files:
            totals[f.status] = totals.get(f.status, 0) + 1
        return {"files": [f.to_json() for f in self.files], "totals": totals,
                "silent": [f.name for f in self.files if f.status != "failed" and not f.tasks and not f.targets
                           and not f.warnings]}

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]


def _account_for(ex: Extraction, path: Path) -> None:
    """A file that is not a plan (a letter, a report) is still a document: it is kept with its
    metadata and citations, and the report says what it lacks — never silent. A file with no
    trace of an administrative document at all (no kind, number, issuer, task, target or
    citation: a recipe, a blank template) is refused with that reason, so it never appears
    in the graph as a document."""
    d = ex.document
    if not (d.kind or d.symbol or d.issuer or ex.tasks or ex.targets or ex.citations):
        raise IngestError(path, "Không phải văn bản hành chính: không thấy loại văn bản, số ký hiệu, cơ quan ban hành, "
                          "nhiệm vụ, chỉ tiêu hay trích dẫn nào",
                          "not an administrative document: no kind, number, issuer, task, target or citation found")
    if not d.kind:
        ex.warnings.append("không nhận ra loại văn bản (no document kind recognised: no title line such as "
                           "\"KẾ HOẠCH\" or \"QUYẾT ĐỊNH\")")
    if not ex.tasks and not ex.targets:
        ex.warnings.append("tệp không cho nhiệm vụ hay chỉ tiêu nào (file yields no task or target)")


def _described(result: FileResult, ex: Extraction) -> FileResult:
    """Fill the report fields of a file from its extraction."""
    result.kind, result.symbol = ex.document.kind, ex.document.symbol
    result.tasks, result.targets = len(ex.tasks), len(ex.targets)
    return result


def _add_build_findings(report: IngestReport, build: BuildReport) -> None:
    """Put what building the graphs found into the files' report lines: warnings (unknown
    agencies, copies' unmatched tasks) and the files whose graph failed (status "failed")."""
    for r in report.files:
        extra = [w for w in build.warnings.get(r.name, []) if w not in r.warnings]
        if extra:
            r.warnings = [*r.warnings, *extra]  # a new list: r.warnings may be the cached extraction's
        if r.name in build.errors and r.status != "failed":
            r.status, r.error = "failed", build.errors[r.name]


def discover(paths: list[str]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders (recursively, supported extensions only); missing paths become failures."""
    files: list[Path] = []
    errors: list[FileResult] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith("."))
        elif p.is_file():
            files.append(p)
        else:
            errors.append(FileResult(raw, p.name, "failed", error=f"Không tìm thấy tệp hoặc thư mục (not found): {raw}"))
    return files, errors


def file_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Workspace:
    """The state under PLANKG_HOME that ingest maintains beside the graph store."""

    def __init__(self, settings: Settings, store: GraphStore) -> None:
        self.settings = settings
        self.store = store
        self.extraction_dir = settings.home / "extractions"
        self._cache: dict[str, tuple[str, Extraction]] = {}  # name → (checksum, extraction)

    # -- recorded sources -------------------------------------------------------------
    def sources(self) -> dict[str, dict]:
        return dict(self.store.read_meta().get("sources", {}))

    def _save_sources(self, sources: dict[str, dict]) -> None:
        meta = self.store.read_meta()
        meta["sources"] = sources
        self.store.write_meta(meta)

    def extraction_path(self, name: str) -> Path:
        return self.extraction_dir / f"{slugify(name)}.json"

    def load_all(self) -> list[Extraction]:
        out = []
        for name, info in sorted(self.sources().items()):
            cached = self._cache.get(name)
            if cached and cached[0] == info["checksum"]:
                out.append(cached[1])
            elif self.extraction_path(name).exists():
                ex = load_extraction(self.extraction_path(name))
                self._cache[name] = (info["checksum"], ex)
                out.append(ex)
        return out

    # -- operations ---------------------------------------------------------------------
    def ingest(self, paths: list[str], on_file: Callable[[Path], None] | None = None) -> IngestReport:
        from plankg.ingest.build.corrections import load_corrections

        load_corrections(self.settings.corrections_path)  # a broken corrections file stops here, before anything is written
        files, failures = discover(paths)
        report = IngestReport(files=list(failures))
        sources = self.sources()
        changed: set[str] = set()
        for path in files:
            if on_file:
                on_file(path)
            started = time.perf_counter()
            result = self._ingest_file(path, sources)
            result.seconds = time.perf_counter() - started
            report.files.append(result)
            if result.status in ("added", "changed"):
                changed.add(result.name)
        if changed:
            self._save_sources(sources)
            _add_build_findings(report, self.rebuild_graphs(changed))
        counts = self.counts_by_source()
        for r in report.files:
            if r.status != "failed":
                r.counts = counts.get(r.name, {})
        if changed:
            changelog.record_ingest(self.settings, self.store, report.files)
        return report

    def _ingest_file(self, path: Path, sources: dict[str, dict]) -> FileResult:
        name = path.name
        try:
            checksum = file_checksum(path)
            previous = sources.get(name)
            if previous and previous["checksum"] == checksum and self.extraction_path(name).exists():
                ex = load_extraction(self.extraction_path(name))
                return _described(FileResult(str(path), name, "unchanged", warnings=ex.warnings), ex)
            source = read_source(path)
            ex = extract(source)
            _account_for(ex, path)
        except IngestError as exc:
            return FileResult(str(path), name, "failed", error=str(exc))
        except (OSError, UnicodeError, ValueError) as exc:
            return FileResult(str(path), name, "failed", error=f"{name}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # an extractor bug must not stop the batch or touch the store
            return FileResult(str(path), name, "failed",
                              error=f"{name}: lỗi nội bộ khi trích xuất (internal extractor error) {type(exc).__name__}: {exc}")
        if previous and previous.get("path") and Path(previous["path"]).resolve() != path.resolve():
            ex.warnings.append(f"{name} replaces a file of the same name from {previous['path']}")
        save_extraction(ex, self.extraction_path(name))
        self._cache[name] = (checksum, ex)
        sources[name] = {
            "path": str(path.resolve()), "checksum": checksum, "format": ex.source.fmt,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return _described(FileResult(str(path), name, "changed" if previous else "added", warnings=ex.warnings), ex)

    def remove(self, names: list[str]) -> list[FileResult]:
        sources = self.sources()
        results = []
        removed = set()
        for raw in names:
            name = Path(raw).name
            if name not in sources:
                results.append(FileResult(raw, name, "failed", error=f"Nguồn chưa được nạp (not an ingested source): {name}"))
                continue
            del sources[name]
            self.extraction_path(name).unlink(missing_ok=True)
            self.store.drop_graph(iris.source_graph_iri(self.settings.base_iri, name))
            removed.add(name)
            results.append(FileResult(raw, name, "removed"))
        if removed:
            self._save_sources(sources)
            self.rebuild_graphs(set())
            changelog.record_remove(self.settings, sorted(removed))
        return results

    def rebuild_graphs(self, changed: set[str]) -> BuildReport:
        """Rebuild every source's graph and the merged view; a source whose graph fails is
        dropped from the store (its error is in the returned report), the others are kept."""
        from plankg.ingest.build.assemble import BuildReport, assemble_graphs
        from plankg.ingest.build.corrections import load_corrections
        from plankg.ingest.build.merge import merged_view

        extractions = self.load_all()
        sources = self.sources()
        build = BuildReport()
        graphs = assemble_graphs(extractions, self.settings.base_iri, sources,
                                 load_corrections(self.settings.corrections_path), report=build)
        for name, graph in graphs.items():
            self.store.replace_graph(iris.source_graph_iri(self.settings.base_iri, name), graph)
        for name in build.errors:
            if name not in graphs:
                self.store.drop_graph(iris.source_graph_iri(self.settings.base_iri, name))
        self.store.replace_graph(iris.merged_graph_iri(self.settings.base_iri), merged_view(graphs))
        self._ensure_static_graphs()
        return build

    def _ensure_static_graphs(self) -> None:
        """Write the registry and ontology graphs when their files changed since last time."""
        from plankg.ingest.build.registry_graph import registry_graph
        from plankg.ingest.extract.agencies import REGISTRY_PATH as registry_file
        from plankg.ontology import ONTOLOGY_TTL, load_ontology

        stamp = hashlib.sha256(Path(ONTOLOGY_TTL).read_bytes() + registry_file.read_bytes() + self.settings.base_iri.encode()).hexdigest()
        meta = self.store.read_meta()
        base = self.settings.base_iri
        if meta.get("static_graphs") == stamp and iris.registry_graph_iri(base) in self.store.graph_names():
            return
        self.store.replace_graph(iris.registry_graph_iri(base), registry_graph(base))
        self.store.replace_graph(iris.ontology_graph_iri(base), load_ontology())
        meta["static_graphs"] = stamp
        self.store.write_meta(meta)

    def counts_by_source(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        q = """
        PREFIX pk: <https://w3id.org/plankg/ontology#>
        SELECT ?g (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?task) AS ?tasks)
               (COUNT(DISTINCT ?target) AS ?targets) (COUNT(DISTINCT ?agency) AS ?agencies)
               (COUNT(DISTINCT ?cit) AS ?citations)
        WHERE { GRAPH ?g {
          { ?r pk:renditionOf ?doc } UNION { ?task a pk:Task } UNION { ?target a pk:Target }
          UNION { ?x pk:leadAgency|pk:cooperatingAgency|pk:monitoringAgency ?agency }
          UNION { ?cit a pk:Citation } } }
        GROUP BY ?g"""
        by_graph = {row["g"]: row for row in self.store.query(q).records()}
        for name in self.sources():
            row = by_graph.get(iris.source_graph_iri(self.settings.base_iri, name), {})
            out[name] = {k: int(row.get(k, 0)) for k in ("documents", "tasks", "targets", "agencies", "citations")}
        return out
