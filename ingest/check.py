"""``plankg check``: the store against the recorded sources, and ``--repair``.

What is checked (each finding is Vietnamese, English in parentheses):

- an interrupted ingest or remove (its journal is still there), pending extractions left
  by a run that died before writing its journal;
- each recorded source: its saved extraction (present, readable), its named graph
  (present; or its build error recorded), whether its file is still where it was read and
  whether it was read by the current extractor;
- graphs of no recorded source; the merged view, the registry and ontology graphs present
  and built from the current files;
- every source graph and the merged view hold as many triples as a fresh build from the
  saved extractions would (the graphs are consistent with the sources).

The search index is checked by the search layer (``plankg.search.index.upkeep``); the CLI
composes the two. Repair re-reads the sources whose extraction is missing, completes the
journal and rebuilds every graph from the extractions (:meth:`Workspace._commit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plankg.ingest.build.derived import pending_marker
from plankg.ingest.build.serialize import load_extraction
from plankg.ingest.extract.version import EXTRACTOR_VERSION
from plankg.ingest.model import Extraction
from plankg.ingest.pipeline import Workspace, extract_job, file_checksum, ingest_lock
from plankg.ingest.readers import ReaderLimits
from plankg.store import iris

__all__ = ["Finding", "check_store", "repair_store"]


@dataclass(frozen=True)
class Finding:
    code: str
    message: str  # Vietnamese, English in parentheses
    source: str | None = None
    damage: bool = True  # False: a notice (nothing is broken; the next ingest handles it)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "source": self.source, "damage": self.damage}


def check_store(ws: Workspace, deep: bool = True) -> list[Finding]:
    """Everything that is wrong (or worth knowing) about the store; ``deep`` also rebuilds
    the graphs in memory to compare their sizes with the store's."""
    out: list[Finding] = []
    base = ws.settings.base_iri
    if ws.journal_path().exists():
        out.append(Finding("journal", "Một lần nạp hoặc xóa bị ngắt giữa chừng, chưa hoàn tất "
                           f"({ws.journal_path()}) (an interrupted ingest or remove was not completed)"))
    if pending_marker(ws.settings.home).exists() and not ws.journal_path().exists():
        out.append(Finding("derived-pending", "Đồ thị liên kết nhiệm vụ, liên kết mục nghị quyết và suy luận chưa "
                           "được cập nhật xong (the alignment, section-alignment and inferred graphs were left "
                           "half-updated; repair recomputes them)"))
    pending = ws.extraction_dir / ".pending"
    if pending.is_dir() and any(pending.iterdir()) and not ws.journal_path().exists():
        out.append(Finding("pending", "Còn bản trích xuất dở của một lần nạp bị ngắt trước khi ghi nhật ký; kho vẫn ở "
                           "trạng thái cũ (pending extractions of an ingest that died before its journal; the store "
                           "is in its old state)", damage=False))
    sources = ws.sources()
    graph_errors = ws.graph_errors()
    names = set(ws.store.graph_names())
    extractions: list[Extraction] = []
    loadable = True
    for name, info in sorted(sources.items()):
        xp = ws.extraction_path(name)
        if not xp.exists():
            loadable = False
            out.append(Finding("extraction-missing", f"Thiếu bản trích xuất của {name} ({xp}) (extraction missing)", name))
        else:
            try:
                extractions.append(load_extraction(xp))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                loadable = False
                out.append(Finding("extraction-unreadable", f"Không đọc được bản trích xuất của {name}: {exc} "
                                   "(extraction unreadable)", name))
        g = iris.source_graph_iri(base, name)
        if name in graph_errors:
            out.append(Finding("graph-error", f"Đồ thị của {name} không dựng được: {graph_errors[name]} "
                               "(its graph failed to build)", name, damage=False))
        elif g not in names:
            out.append(Finding("graph-missing", f"Thiếu đồ thị nguồn của {name} ({g}) (source graph missing)", name))
        path = Path(info.get("path", ""))
        if not path.is_file():
            out.append(Finding("file-gone", f"Tệp nguồn của {name} không còn ở {path} (source file is gone; "
                               "its facts are kept)", name, damage=False))
        elif file_checksum(path) != info.get("checksum"):
            out.append(Finding("file-changed", f"Tệp {name} đã đổi từ lần nạp trước; chạy plankg ingest để đọc lại "
                               "(the file changed since it was ingested)", name, damage=False))
        if info.get("extractor") != EXTRACTOR_VERSION:
            out.append(Finding("extractor-stale", f"{name} được đọc bằng bộ trích xuất cũ ({info.get('extractor') or '?'}"
                               f" ≠ {EXTRACTOR_VERSION}); lần nạp sau sẽ đọc lại (read by an older extractor; the next "
                               "ingest re-reads it)", name, damage=False))
    wanted = {iris.source_graph_iri(base, n) for n in sources}
    for g in sorted(ws.source_graphs_in_store() - wanted):
        out.append(Finding("graph-orphan", f"Đồ thị {g} không thuộc nguồn nào đã ghi nhận (graph of no recorded source)"))
    if sources:
        for label, g in (("gộp (merged view)", iris.merged_graph_iri(base)), ("danh mục cơ quan (registry)",
                         iris.registry_graph_iri(base)), ("ontology", iris.ontology_graph_iri(base))):
            if g not in names:
                out.append(Finding("derived-missing", f"Thiếu đồ thị {label}: {g} (graph missing)"))
        if ws.store.read_meta().get("static_graphs") != ws.static_stamp():
            out.append(Finding("static-stale", "Đồ thị danh mục cơ quan/ontology không khớp tệp hiện tại "
                               "(registry/ontology graphs are not built from the current files)"))
    if deep and loadable and sources and not any(f.damage for f in out):
        out += _compare_sizes(ws, sources, extractions)
    for name, failed in sorted(ws.failures().items()):
        out.append(Finding("failed-remembered", f"{name} đã thất bại (failed before): {failed.get('error')}; "
                           "sẽ đọc lại khi tệp đổi, khi bộ trích xuất đổi, hoặc với --retry-failed", name, damage=False))
    return out


def _compare_sizes(ws: Workspace, sources: dict[str, dict], extractions: list[Extraction]) -> list[Finding]:
    """Rebuild the graphs in memory from the saved extractions and compare triple counts."""
    from plankg.ingest.build.assemble import BuildReport, assemble_graphs
    from plankg.ingest.build.corrections import load_corrections
    from plankg.ingest.build.merge import merged_view

    base = ws.settings.base_iri
    graphs = assemble_graphs(extractions, base, sources, load_corrections(ws.settings.corrections_path),
                             report=BuildReport())
    out = []
    for name, graph in sorted(graphs.items()):
        have = ws.store.triple_count(iris.source_graph_iri(base, name))
        if have != len(graph):
            out.append(Finding("graph-differs", f"Đồ thị của {name} có {have} bộ ba, dựng lại từ bản trích xuất thì có "
                               f"{len(graph)} (source graph differs from its extraction)", name))
    merged = len(merged_view(graphs))
    have = ws.store.triple_count(iris.merged_graph_iri(base))
    if have != merged:
        out.append(Finding("merged-differs", f"Đồ thị gộp có {have} bộ ba, dựng lại thì có {merged} "
                           "(merged view differs from the sources)"))
    return out


def repair_store(ws: Workspace) -> list[str]:
    """Fix what :func:`check_store` finds; returns what was done (Vietnamese, English in
    parentheses). Holds the ingest lock."""
    actions: list[str] = []
    with ingest_lock(ws.settings):
        if ws.recover():
            actions.append("Đã hoàn tất lần nạp/xóa bị ngắt (completed the interrupted ingest or remove)")
        findings = check_store(ws)
        if not any(f.damage for f in findings):
            return actions
        sources = ws.sources()
        reread: list[str] = []
        dropped: list[str] = []
        for name, info in sorted(sources.items()):
            try:
                load_extraction(ws.extraction_path(name))
                continue
            except (OSError, ValueError, KeyError, TypeError):
                pass
            path = Path(info.get("path", ""))
            _, ex, error, _ = extract_job(str(path), name, str(ws.pending_path(name)),
                                          ReaderLimits.from_settings(ws.settings))
            if ex is None:
                del sources[name]
                dropped.append(name)
                actions.append(f"Bỏ nguồn {name}: không đọc lại được ({error}) (dropped: cannot be re-read)")
                continue
            sources[name] = {**info, "checksum": file_checksum(path), "format": ex.source.fmt,
                             "extractor": EXTRACTOR_VERSION}
            reread.append(name)
            actions.append(f"Đã trích xuất lại {name} (re-extracted)")
        ws._commit(sources, pending=reread, drop=dropped)
        actions.append("Đã dựng lại đồ thị nguồn, đồ thị gộp, danh mục và ontology (rebuilt the graphs)")
    return actions
