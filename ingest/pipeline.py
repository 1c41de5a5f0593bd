"""The ingest job: files → extractions → per-source named graphs → merged view.

Order independence comes from recomputation: each file's extraction is saved under
``PLANKG_HOME/extractions``; after any change, every document cluster touched by it is
rebuilt from the saved extractions of all its renditions, so the graph depends only on
the set of files ingested, never on their order.

Crash safety (docs/ingest.md): new extractions are written to ``extractions/.pending``;
then a journal (``PLANKG_HOME/ingest-journal.json``) names the new set of sources; then the
extractions are moved into place, the graphs rebuilt, and only then the sources recorded
in the store metadata and the journal deleted. A run that dies before the journal leaves
the old state (the pending files are cleared by the next run); one that dies after it is
completed by the next ingest, remove or ``plankg check --repair`` (:meth:`Workspace.recover`).
One ingest at a time: :func:`ingest_lock` (a file lock under PLANKG_HOME).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plankg.config import Settings
from plankg.ingest import changelog
from plankg.ingest.build.serialize import load_extraction, save_extraction
from plankg.ingest.errors import IngestError
from plankg.ingest.extract import extract
from plankg.ingest.extract.version import EXTRACTOR_VERSION
from plankg.ingest.model import Extraction
from plankg.ingest.readers import ReaderLimits, read_source
from plankg.ingest.sources import SUPPORTED_SUFFIXES, Found, KeyAssigner, extraction_file_name, match_source
from plankg.ingest.sources import discover as discover_files
from plankg.ingest.workers import run_jobs
from plankg.ontology.kinds import load_kinds
from plankg.store import iris
from plankg.store.base import GraphStore
from plankg.store.locks import held_lock

if TYPE_CHECKING:
    from plankg.ingest.build.assemble import BuildReport

__all__ = ["SUPPORTED_SUFFIXES", "FileResult", "IngestBusy", "IngestReport", "Workspace", "crash_point", "discover",
           "file_checksum", "ingest_lock", "read_extraction"]


# -- crash points (tests and the kill script) --------------------------------------------

#: Called with the name of each crash point as ingest passes it; a test sets it to a
#: function that raises at one name to simulate a crash there.
crash_hook: Callable[[str], None] | None = None


def crash_point(name: str) -> None:
    """A named point of the ingest order. ``PLANKG_CRASH_AT=<name>`` kills the process
    there with SIGKILL (as ``kill -9`` would); :data:`crash_hook` is called first."""
    if crash_hook is not None:
        crash_hook(name)
    if os.environ.get("PLANKG_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


# -- one ingest at a time ---------------------------------------------------------------

#: How long a second ingest, remove, rebuild or repair waits for the first before it stops.
LOCK_WAIT_SECONDS = 5.0


class IngestBusy(IngestError):
    """Another ingest, remove, rebuild or repair holds the lock."""


def lock_path(settings: Settings) -> Path:
    return settings.home / "ingest.lock"


def ingest_lock(settings: Settings, wait: float | None = None) -> AbstractContextManager[None]:
    """Hold the ingest lock (``PLANKG_HOME/ingest.lock``); wait up to ``wait`` seconds
    (default :data:`LOCK_WAIT_SECONDS`), then raise :class:`IngestBusy`. Nests in one thread."""
    return held_lock(lock_path(settings), LOCK_WAIT_SECONDS if wait is None else wait, _ingest_busy)


def _ingest_busy(path: Path, seconds: float) -> IngestBusy:
    return IngestBusy(f"Một lần nạp, xóa, xây lại hoặc sửa kho khác đang chạy (khóa {path} đã bị giữ quá "
                      f"{seconds:g} giây); chờ lần đó xong rồi chạy lại (another ingest, remove, rebuild or repair "
                      f"is running: the lock {path} is held; wait for it to finish and run again)")


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)


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
    plan: bool = False  # taken for a plan (ingest/extract/plan_kind.py)
    tasks: int = 0
    targets: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        """One file of the ingest report (``plankg ingest --report FILE``)."""
        return {"file": self.name, "path": self.path, "status": self.status, "kind": self.kind,
                "symbol": self.symbol, "plan": self.plan, "tasks": self.tasks, "targets": self.targets,
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
        ex.warnings.append(_why_no_task(d.kind, d.plan))


def _why_no_task(kind: str | None, plan: bool) -> str:
    """Why a file yields no task or target, as far as its kind tells: a letter, notice or
    decision that assigns nothing is expected to; a plan that yields nothing is not."""
    found = load_kinds().from_name(kind) if kind else None
    head = "tệp không cho nhiệm vụ hay chỉ tiêu nào"
    if found is not None and (plan or found.plan):
        return (f"{head}: là {found.name.lower()} nhưng không đọc được bảng nhiệm vụ hay câu giao việc nào, "
                f"cần kiểm tra (file yields no task or target: a {found.english}, yet no task table or "
                "assignment sentence was read — check it)")
    if found is not None:
        return (f"{head}: {found.name.lower()} không phải kế hoạch và không có câu giao việc nào "
                f"(file yields no task or target: a {found.english}, not a plan, with no assignment sentence)")
    return f"{head} (file yields no task or target)"


def _described(result: FileResult, ex: Extraction) -> FileResult:
    """Fill the report fields of a file from its extraction."""
    result.kind, result.symbol, result.plan = ex.document.kind, ex.document.symbol, ex.document.plan
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


def discover(paths: list[str]) -> tuple[list[Found], list[FileResult]]:
    """Expand folders (recursively, supported extensions only); missing paths become failures.
    Each file comes with its path relative to what was ingested (its source key, ``ingest/sources.py``)."""
    files, missing = discover_files(paths)
    return files, [FileResult(raw, Path(raw).name, "failed", error=f"Không tìm thấy tệp hoặc thư mục (not found): {raw}")
                   for raw in missing]


def file_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_extraction(path: Path, limits: ReaderLimits | None = None) -> Extraction:
    """Read and extract one file; raises what the readers and extractors raise (``limits``:
    the readers' input limits, default their safe defaults)."""
    ex = extract(read_source(path, limits=limits))
    _account_for(ex, path)
    return ex


#: What one extraction job gives back: its key, the extraction (None when it failed), the
#: error (Vietnamese, English in parentheses) and the seconds it took.
Outcome = tuple[str, Extraction | None, str | None, float]


def extract_job(path: str, key: str, pending: str, limits: ReaderLimits) -> Outcome:
    """Read and extract one file, name it by its source key and save it as a pending
    extraction; run in a worker process (``ingest/workers.py``), so every error is caught
    here and returned as text. An extractor bug fails the file, never the batch."""
    started = time.perf_counter()
    name = Path(path).name
    try:
        ex = read_extraction(Path(path), limits)
        ex.source.name = key
        save_extraction(ex, Path(pending))
    except IngestError as exc:
        return key, None, str(exc), time.perf_counter() - started
    except (OSError, UnicodeError, ValueError) as exc:
        return key, None, f"{name}: {type(exc).__name__}: {exc}", time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 — an extractor bug must not stop the batch or touch the store
        return key, None, (f"{name}: lỗi nội bộ khi trích xuất (internal extractor error) {type(exc).__name__}: "
                           f"{exc}"), time.perf_counter() - started
    return key, ex, None, time.perf_counter() - started


@dataclass
class Extracted:
    """What the ingest loop needs of one new extraction: its report line's fields and its
    format. A worker sends this back instead of the extraction (#11 item 3): the extraction
    is saved as a pending file by the worker, so the main process never holds a batch of
    them (0.7 MB each in memory for a synthetic plan: a 2,840-file batch held 2 GB) and
    does not unpickle them (~110 KB each)."""

    fmt: str
    warnings: list[str]
    kind: str | None
    symbol: str | None
    plan: bool
    tasks: int
    targets: int

    @classmethod
    def of(cls, ex: Extraction) -> Extracted:
        d = ex.document
        return cls(ex.source.fmt, list(ex.warnings), d.kind, d.symbol, d.plan, len(ex.tasks), len(ex.targets))


#: What one bulk extraction job gives back: as :data:`Outcome`, with the extraction's summary.
Summary = tuple[str, Extracted | None, str | None, float]


def extract_summary_job(path: str, key: str, pending: str, limits: ReaderLimits) -> Summary:
    """:func:`extract_job`, giving back the summary of the extraction it saved (the
    bulk loop's job, ``Workspace._extract_waiting``)."""
    key, ex, error, seconds = extract_job(path, key, pending, limits)
    return key, None if ex is None else Extracted.of(ex), error, seconds


def _job_failed(job: tuple[Any, ...], reason: str) -> Summary:
    """The outcome of a job stopped by the time limit or a dead worker."""
    path, key = job[0], job[1]
    return key, None, f"{Path(path).name}: {reason}", 0.0


#: Extractions a workspace keeps in memory (the most recently extracted or read): a few
#: documents, not the corpus. Before #11 every extraction a process had seen stayed here
#: (~2.7 MB per document at 320 documents); the others are re-read from their saved files,
#: and the graph builder keeps its own chunk (``build/incremental.py``).
RECENT_EXTRACTIONS = 8


class _RecentExtractions(OrderedDict[str, tuple[str, Extraction]]):
    """name → (checksum, extraction), least recently stored dropped past ``RECENT_EXTRACTIONS``."""

    def __setitem__(self, key: str, value: tuple[str, Extraction]) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > RECENT_EXTRACTIONS:
            self.popitem(last=False)


@dataclass
class _Run:
    """What one ingest run decides files against (the recorded state, read once)."""

    sources: dict[str, dict]
    graph_errors: dict[str, str]
    remembered: dict[str, dict]
    retry_failed: bool
    jobs: list[tuple[str, str, str, ReaderLimits]] = field(default_factory=list)
    waiting: dict[str, tuple[Found, str, FileResult]] = field(default_factory=dict)  # key → file, checksum, its line


class Workspace:
    """The state under PLANKG_HOME that ingest maintains beside the graph store."""

    def __init__(self, settings: Settings, store: GraphStore) -> None:
        self.settings = settings
        self.store = store
        self.extraction_dir = settings.home / "extractions"
        # name → (checksum, extraction), the most recent few only: a long-lived process (a
        # bulk ingest, the server) must not keep every extraction it has seen
        self._cache = _RecentExtractions()
        self.last_build: Any = None  # the IncrementalBuilder of the last graph update (timings, rebuilt sources)

    # -- recorded sources -------------------------------------------------------------
    def sources(self) -> dict[str, dict]:
        return dict(self.store.read_meta().get("sources", {}))

    def graph_errors(self) -> dict[str, str]:
        """Sources whose graph could not be built at the last rebuild (name → error)."""
        return dict(self.store.read_meta().get("graph_errors", {}))

    def _save_sources(self, sources: dict[str, dict], graph_errors: dict[str, str] | None = None) -> None:
        meta = self.store.read_meta()
        meta["sources"] = sources
        if graph_errors is not None:
            if graph_errors:
                meta["graph_errors"] = dict(sorted(graph_errors.items()))
            else:
                meta.pop("graph_errors", None)
        self.store.write_meta(meta)

    def extraction_path(self, name: str) -> Path:
        return self.extraction_dir / extraction_file_name(name)

    def saved_extractions(self) -> set[str]:
        """The file names under ``extractions/`` (one listing: a check of each source's file
        was a file-system call per source on every change)."""
        try:
            return set(os.listdir(self.extraction_dir))
        except FileNotFoundError:
            return set()

    def pending_path(self, name: str) -> Path:
        return self.extraction_dir / ".pending" / extraction_file_name(name)

    def journal_path(self) -> Path:
        return self.settings.home / "ingest-journal.json"

    def failures_path(self) -> Path:
        return self.settings.home / "ingest-failures.json"

    def failures(self) -> dict[str, dict]:
        """Files whose extraction failed, by name: checksum, extractor version, error, path."""
        p = self.failures_path()
        try:
            return dict(json.loads(p.read_text("utf-8"))) if p.exists() else {}
        except (OSError, ValueError):
            return {}

    def source_graphs_in_store(self) -> set[str]:
        """Names of the store's graphs that are per-source graphs (recorded or not)."""
        prefix = iris.source_graph_iri(self.settings.base_iri, "x")[:-1]
        return {g for g in self.store.graph_names() if g.startswith(prefix)}

    def load_all(self, sources: dict[str, dict] | None = None) -> list[Extraction]:
        out = []
        for name, info in sorted((self.sources() if sources is None else sources).items()):
            cached = self._cache.get(name)
            if cached and cached[0] == info["checksum"]:
                out.append(cached[1])
            elif self.extraction_path(name).exists():
                ex = load_extraction(self.extraction_path(name))
                self._remember(name, info["checksum"], ex)
                out.append(ex)
        return out

    def _remember(self, name: str, checksum: str, ex: Extraction) -> None:
        self._cache[name] = (checksum, ex)  # _RecentExtractions drops the oldest

    def _load_one(self, name: str, sources: dict[str, dict]) -> Extraction:
        """One saved extraction (the in-memory copy when its checksum matches)."""
        cached = self._cache.get(name)
        if cached and cached[0] == sources.get(name, {}).get("checksum"):
            return cached[1]
        return load_extraction(self.extraction_path(name))

    # -- the journal ----------------------------------------------------------------------
    def recover(self) -> bool:
        """Complete an ingest or remove that a crash interrupted (its journal is present), or
        clear the pending extractions of one that died before writing it. True when a
        journal was completed."""
        with ingest_lock(self.settings):
            journal = self.journal_path()
            if journal.exists():
                try:
                    data = json.loads(journal.read_text("utf-8"))
                except ValueError:  # torn journal: it was being written, so nothing was applied yet
                    data = None
                if data is not None:
                    self._apply(data)
                    return True
                journal.unlink(missing_ok=True)
            self._clear_pending()
            return False

    def _clear_pending(self) -> None:
        pending = self.extraction_dir / ".pending"
        if pending.is_dir():
            for f in pending.iterdir():
                f.unlink(missing_ok=True)

    def _commit(self, sources: dict[str, dict], pending: list[str], drop: list[str]) -> BuildReport:
        """Make ``sources`` the recorded set: journal first, then extractions moved into place,
        dropped sources removed, graphs rebuilt, sources recorded, journal deleted."""
        _write_json(self.journal_path(), {"sources": sources, "pending": sorted(pending), "drop": sorted(drop),
                                          "written_at": datetime.now(UTC).isoformat(timespec="seconds")})
        crash_point("journal-written")
        return self._apply({"sources": sources, "pending": sorted(pending), "drop": sorted(drop)})

    def _apply(self, journal: dict[str, Any]) -> BuildReport:
        """Carry out a journal; every step can be repeated, so a crash anywhere in it is
        completed by running it again."""
        sources: dict[str, dict] = journal["sources"]
        for name in journal.get("pending", []):
            src = self.pending_path(name)
            if src.exists():
                self.extraction_path(name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, self.extraction_path(name))
                crash_point(f"extraction-moved:{name}")
        for name in journal.get("drop", []):
            if name not in sources:
                self.extraction_path(name).unlink(missing_ok=True)
                self._cache.pop(name, None)
                self.store.drop_graph(iris.source_graph_iri(self.settings.base_iri, name))
        crash_point("dropped")
        build = self.rebuild_graphs(set(journal.get("pending", [])), sources=sources)
        self._save_sources(sources, graph_errors={n: e for n, e in build.errors.items() if n in sources})
        crash_point("sources-recorded")
        self.journal_path().unlink(missing_ok=True)
        crash_point("journal-cleared")
        self._clear_pending()
        return build

    def store_needs_rebuild(self, sources: dict[str, dict] | None = None) -> bool:
        """Cheap test of damage that a rebuild from the saved extractions repairs: a recorded
        source's graph missing, a graph of no recorded source, the merged view, registry or
        ontology graph missing."""
        sources = self.sources() if sources is None else sources
        if not sources:
            return bool(self.source_graphs_in_store())
        base = self.settings.base_iri
        names = set(self.store.graph_names())
        errors = self.graph_errors()
        wanted = {iris.source_graph_iri(base, n) for n in sources if n not in errors}
        return (not wanted <= names or bool(self.source_graphs_in_store() - wanted - {
                    iris.source_graph_iri(base, n) for n in errors})
                or not {iris.merged_graph_iri(base), iris.registry_graph_iri(base), iris.ontology_graph_iri(base)} <= names)

    # -- operations ---------------------------------------------------------------------
    def ingest(self, paths: list[str], on_file: Callable[[Path], None] | None = None,
               retry_failed: bool = False, keys: dict[str, str] | None = None,
               record_changes: bool = True) -> IngestReport:
        """Ingest files and folders (a folder's files are keyed by their path relative to it,
        a named file by its name: ``ingest/sources.py``). ``keys``: resolved path → source key
        to keep (``plankg rebuild`` re-reads into a fresh store under the recorded keys).
        ``record_changes=False``: no change-log line (the commit marker API processes follow),
        for a store that is staged and published later (``plankg rebuild`` on a SPARQL server)."""
        from plankg.ingest.build.corrections import load_corrections

        load_corrections(self.settings.corrections_path)  # a broken corrections file stops here, before anything is written
        with ingest_lock(self.settings):
            return self._ingest(paths, on_file, retry_failed, keys or {}, record_changes)

    def _ingest(self, paths: list[str], on_file: Callable[[Path], None] | None, retry_failed: bool,
                keys: dict[str, str], record_changes: bool = True) -> IngestReport:
        self.recover()
        files, failures = discover(paths)
        report = IngestReport(files=list(failures))
        # (each file's graph is looked up when it is triaged: listing every graph of the store
        # cost 25 ms per ingest at 3,000 documents, however few files it reads)
        run = _Run(self.sources(), self.graph_errors(), self.failures(), retry_failed)
        failures_before = dict(run.remembered)
        assigner = KeyAssigner(run.sources, known=keys)
        for found in files:
            if on_file:
                on_file(found.path)
            report.files.append(self._triage(found, assigner, run))
        changed = self._extract_waiting(run)
        if run.remembered != failures_before:
            _write_json(self.failures_path(), run.remembered)
        if changed or self.store_needs_rebuild(run.sources):
            _add_build_findings(report, self._commit(run.sources, pending=sorted(changed), drop=[]))
        counts = self.counts_by_source([r.name for r in report.files if r.status != "failed"])
        for r in report.files:
            if r.status != "failed":
                r.counts = counts.get(r.name, {})
        if changed and record_changes:
            changelog.record_ingest(self.settings, self.store, report.files)
        crash_point("ingested")
        return report

    def _unchanged(self, name: str, checksum: str, previous: dict | None, graph_errors: dict[str, str]) -> bool:
        """Same bytes, read by the same extractor version, and its extraction and graph are
        there: only then is a file "unchanged" (a broken store is never reported so)."""
        return bool(previous and previous["checksum"] == checksum and previous.get("extractor") == EXTRACTOR_VERSION
                    and self.extraction_path(name).exists()
                    and (self.store.has_graph(iris.source_graph_iri(self.settings.base_iri, name)) or name in graph_errors))

    def _triage(self, found: Found, assigner: KeyAssigner, run: _Run) -> FileResult:
        """Decide one file: unchanged, a remembered failure, or an extraction job (its report
        line is filled when the job is done, :meth:`_extract_waiting`)."""
        path = found.path
        started = time.perf_counter()
        checksum: str | None = None
        previous: dict | None = None
        name = path.name
        try:
            name = assigner.key(found)
            checksum = file_checksum(path)
            previous = run.sources.get(name)
            if self._unchanged(name, checksum, previous, run.graph_errors):
                ex = load_extraction(self.extraction_path(name))
                run.remembered.pop(name, None)
                result = _described(FileResult(str(path), name, "unchanged", warnings=ex.warnings), ex)
                result.seconds = time.perf_counter() - started
                return result
        except IngestError as exc:
            return self._failed(path, name, checksum, str(exc), run.remembered)
        except OSError as exc:
            return self._failed(path, name, checksum, f"{name}: {type(exc).__name__}: {exc}", run.remembered)
        failed = run.remembered.get(name)
        if (failed and not run.retry_failed and failed.get("checksum") == checksum
                and failed.get("extractor") == EXTRACTOR_VERSION):
            return FileResult(str(path), name, "failed", error=f"{failed.get('error')} — đã thất bại trước đó với "
                              "đúng nội dung này, không đọc lại; sửa tệp hoặc dùng --retry-failed (failed before "
                              "with these bytes; not retried: change the file or use --retry-failed)")
        result = FileResult(str(path), name, "changed" if previous else "added")
        run.jobs.append((str(path), name, str(self.pending_path(name)), ReaderLimits.from_settings(self.settings)))
        run.waiting[name] = (found, checksum, result)
        return result

    def _extract_waiting(self, run: _Run) -> set[str]:
        """Run the extraction jobs (in worker processes, ``PLANKG_INGEST_WORKERS``, each
        bounded by ``PLANKG_EXTRACT_TIMEOUT``) and record their sources; returns the keys
        extracted."""
        changed: set[str] = set()
        # streamed: each job's summary is handled and dropped before the next is taken
        # (run_jobs keeps a bounded window of jobs in flight), so the batch size does not
        # show in this process's memory; the graph builder re-reads the saved extractions
        for key, ex, error, seconds in run_jobs(extract_summary_job, run.jobs, self.settings.ingest_workers,
                                                self.settings.extract_timeout, _job_failed):
            found, checksum, result = run.waiting[key]
            result.seconds = seconds
            if ex is None:
                failed = self._failed(found.path, key, checksum, error or "?", run.remembered)
                result.status, result.error = failed.status, failed.error
                continue
            run.remembered.pop(key, None)
            previous = run.sources.get(key)
            if previous and previous.get("path") and previous["path"] != str(found.path.resolve()):
                ex.warnings.append(f"{key} replaces the file of the same key from {previous['path']} (gone)")
            crash_point(f"extracted:{key}")
            run.sources[key] = {
                "path": str(found.path.resolve()), "checksum": checksum, "format": ex.fmt,
                "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"), "extractor": EXTRACTOR_VERSION,
            }
            result.warnings = ex.warnings
            result.kind, result.symbol, result.plan = ex.kind, ex.symbol, ex.plan
            result.tasks, result.targets = ex.tasks, ex.targets
            changed.add(key)
        return changed

    @staticmethod
    def _failed(path: Path, name: str, checksum: str | None, error: str, remembered: dict[str, dict]) -> FileResult:
        """A failed file is remembered by key and checksum (when it could be read at all) with its error."""
        if checksum is not None:
            remembered[name] = {"checksum": checksum, "extractor": EXTRACTOR_VERSION, "error": error,
                                     "path": str(path.resolve()),
                                     "failed_at": datetime.now(UTC).isoformat(timespec="seconds")}
        return FileResult(str(path), name, "failed", error=error)

    def remove(self, names: list[str]) -> list[FileResult]:
        with ingest_lock(self.settings):
            self.recover()
            sources = self.sources()
            results = []
            removed = set()
            for raw in names:
                name, error = match_source(raw, sources)
                if name is None:
                    results.append(FileResult(raw, Path(raw).name, "failed", error=error))
                    continue
                del sources[name]
                removed.add(name)
                results.append(FileResult(raw, name, "removed"))
            if removed:
                self._commit(sources, pending=[], drop=sorted(removed))
                changelog.record_remove(self.settings, sorted(removed))
                crash_point("removed")
            return results

    def rebuild_graphs(self, changed: set[str], sources: dict[str, dict] | None = None) -> BuildReport:
        """Bring the source graphs and the merged view in step with the saved extractions of
        ``sources`` (default: the recorded ones), incrementally: only ``changed`` sources,
        removed ones, their document clusters and the sources citing them are rebuilt
        (:mod:`plankg.ingest.build.incremental`). A source whose graph fails is dropped from
        the store (its error is in the returned report), the others are kept; graphs of no
        source are dropped."""
        from plankg.ingest.build.corrections import load_corrections
        from plankg.ingest.build.derived import DerivedGraphs
        from plankg.ingest.build.incremental import IncrementalBuilder
        from plankg.ingest.build.retirement import Retirer

        sources = self.sources() if sources is None else sources
        saved = self.saved_extractions()
        builder = IncrementalBuilder(
            self.store, self.settings.base_iri, self.settings.home,
            {n: v for n, v in sources.items() if extraction_file_name(n) in saved},
            lambda name: self._load_one(name, sources), load_corrections(self.settings.corrections_path),
            stamp=self.static_stamp(), crash_point=crash_point)
        # every data IRI a change stops stating is recorded as retired (301/410), docs/linked-data.md
        builder.on_subjects = Retirer(self.store, self.settings.base_iri, self.settings.home, builder.sources)
        derived = DerivedGraphs(self.store, self.settings.base_iri, self.settings.home / "build", self.settings)
        derived.begin()  # before the merged view changes: a crash from here on recomputes them whole
        build = builder.update(changed)
        self.last_build = builder
        static_rewritten = self._ensure_static_graphs()
        # alignment and section alignment after the merged view and the registry; inference last
        derived.refresh(builder.changed_documents, builder.merged_changes, full=static_rewritten)
        builder.timings.update(derived.timings)
        return build

    def _ensure_static_graphs(self) -> bool:
        """Write the registry and ontology graphs when their files changed since last time
        (True when they were written)."""
        from plankg.ingest.build.registry_graph import registry_graph
        from plankg.ontology import load_ontology

        stamp = self.static_stamp()
        meta = self.store.read_meta()
        base = self.settings.base_iri
        if (meta.get("static_graphs") == stamp and self.store.has_graph(iris.registry_graph_iri(base))
                and self.store.has_graph(iris.ontology_graph_iri(base))):
            return False
        self.store.replace_graph(iris.registry_graph_iri(base), registry_graph(base))
        crash_point("registry-written")
        self.store.replace_graph(iris.ontology_graph_iri(base), load_ontology())
        crash_point("ontology-written")
        meta["static_graphs"] = stamp
        self.store.write_meta(meta)
        return True

    def static_stamp(self) -> str:
        """What the registry and ontology graphs were built from (their files and the base IRI)."""
        from plankg.ingest.extract.agencies import REGISTRY_PATH as registry_file
        from plankg.ontology import ONTOLOGY_TTL

        return hashlib.sha256(Path(ONTOLOGY_TTL).read_bytes() + registry_file.read_bytes()
                              + self.settings.base_iri.encode()).hexdigest()

    def counts_by_source(self, names: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
        """Documents, tasks, targets, agencies and citations in each source's graph: of
        ``names`` only when given (an ingest reports its own files; counting every graph
        made each ingest cost the corpus)."""
        out: dict[str, dict[str, int]] = {}
        wanted = sorted(self.sources() if names is None else set(names))
        graphs = " ".join(f"<{iris.source_graph_iri(self.settings.base_iri, n)}>" for n in wanted)
        q = """
        PREFIX pk: <https://w3id.org/plankg/ontology#>
        SELECT ?g (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?task) AS ?tasks)
               (COUNT(DISTINCT ?target) AS ?targets) (COUNT(DISTINCT ?agency) AS ?agencies)
               (COUNT(DISTINCT ?cit) AS ?citations)
        WHERE { VALUES ?g { """ + graphs + """ } GRAPH ?g {
          { ?r pk:renditionOf ?doc } UNION { ?task a pk:Task } UNION { ?target a pk:Target }
          UNION { ?x pk:leadAgency|pk:cooperatingAgency|pk:monitoringAgency ?agency }
          UNION { ?cit a pk:Citation } } }
        GROUP BY ?g"""
        by_graph = {row["g"]: row for row in self.store.query(q).records()} if wanted else {}
        for name in wanted:
            row = by_graph.get(iris.source_graph_iri(self.settings.base_iri, name), {})
            out[name] = {k: int(row.get(k, 0)) for k in ("documents", "tasks", "targets", "agencies", "citations")}
        return out
