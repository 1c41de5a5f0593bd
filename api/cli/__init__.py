"""The ``plankg`` command: one tool over the same store for ingest, query, export and serving.

Command names and options are a contract (users' scripts depend on them): keep them.
Messages for end users are Vietnamese with a short English gloss.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from plankg.config import load_settings
from plankg.store.base import StoreError

app = typer.Typer(
    name="plankg",
    help="plankg — đồ thị tri thức và tìm kiếm ngữ nghĩa cho kế hoạch của cơ quan nhà nước "
    "(knowledge graph and semantic search over Vietnamese government plans).",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]Lỗi:[/red] {message}")
    raise typer.Exit(code)


def _open(read_only: bool = False):
    from plankg.store.open import open_store

    try:
        return open_store(load_settings(), read_only=read_only)
    except StoreError as exc:
        _fail(str(exc))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Tệp hoặc thư mục (.txt, .docx, .pdf, .md)"),
    report_file: Path | None = typer.Option(None, "--report", help="Ghi báo cáo nạp ra tệp JSON (write the ingest report as JSON)"),
    retry_failed: bool = typer.Option(False, "--retry-failed",
                                      help="Đọc lại cả các tệp đã thất bại dù chưa đổi (retry files that failed before)"),
) -> None:
    """Nạp văn bản vào đồ thị (ingest files or folders into the knowledge graph)."""
    from rich.progress import Progress

    from plankg.ingest.errors import IngestError
    from plankg.ingest.pipeline import Workspace, ingest_lock
    from plankg.search.index.upkeep import after_change

    settings = load_settings()
    try:
        with ingest_lock(settings):
            store = _open()
            with store, Progress(console=err, transient=True) as progress:
                ws = Workspace(settings, store)
                task = progress.add_task("Đang nạp", total=None)

                def on_file(p: Path) -> None:
                    progress.update(task, description=f"Đang nạp {p.name}", advance=1)

                report = ws.ingest([str(p) for p in paths], on_file=on_file, retry_failed=retry_failed)
                after_change(settings, store)
    except IngestError as exc:
        _fail(str(exc))
    if report_file is not None:
        import json

        report_file.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        err.print(f"Đã ghi báo cáo nạp (ingest report written): {report_file}")
    table = Table(title="Kết quả nạp (ingest summary)")
    for col in ("Tệp", "Trạng thái", "Văn bản", "Nhiệm vụ", "Chỉ tiêu", "Cơ quan", "Trích dẫn", "Cảnh báo"):
        table.add_column(col)
    for f in report.files:
        c = f.counts
        table.add_row(f.name, f.status, *(str(c.get(k, "")) for k in ("documents", "tasks", "targets", "agencies", "citations")),
                      str(len(f.warnings)) if f.status != "failed" else (f.error or ""))
    out.print(table)
    for f in report.files:
        for w in f.warnings:
            err.print(f"[yellow]Cảnh báo[/yellow] {f.name}: {w}")
        if f.error:
            err.print(f"[red]Lỗi[/red] {f.error}")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def remove(sources: list[str] = typer.Argument(..., help="Tên tệp nguồn đã nạp")) -> None:
    """Xóa dữ liệu của một tệp nguồn (drop a source file's facts)."""
    from plankg.ingest.errors import IngestError
    from plankg.ingest.pipeline import Workspace, ingest_lock
    from plankg.search.index.upkeep import after_change

    settings = load_settings()
    try:
        with ingest_lock(settings):
            store = _open()
            with store:
                results = Workspace(settings, store).remove(sources)
                after_change(settings, store)
    except IngestError as exc:
        _fail(str(exc))
    failed = False
    for r in results:
        if r.error:
            failed = True
            err.print(f"[red]Lỗi[/red] {r.error}")
        else:
            out.print(f"Đã xóa {r.name}")
    if failed:
        raise typer.Exit(1)


@app.command()
def check(
    repair: bool = typer.Option(False, "--repair", help="Sửa những gì tìm thấy (fix what is found)"),
    as_json: bool = typer.Option(False, "--json", help="In JSON"),
) -> None:
    """Kiểm tra kho so với các nguồn đã ghi nhận; --repair để sửa (check the store against the recorded sources)."""
    from plankg.ingest.check import check_store, repair_store
    from plankg.ingest.errors import IngestError
    from plankg.ingest.pipeline import Workspace, ingest_lock
    from plankg.search.index.upkeep import after_change, check_index

    settings = load_settings()
    actions: list[str] = []
    try:
        with ingest_lock(settings):
            store = _open()
            with store:
                ws = Workspace(settings, store)
                if repair:
                    actions = repair_store(ws)
                    if check_index(settings, store):
                        after_change(settings, store)
                        actions.append("Đã cập nhật chỉ mục tìm kiếm (updated the search index)")
                findings = check_store(ws) + check_index(settings, store, notices=True)
    except IngestError as exc:
        _fail(str(exc))
    damaged = [f for f in findings if f.damage]
    if as_json:
        sys.stdout.write(json.dumps({"ok": not damaged, "repaired": actions, "findings": [f.to_json() for f in findings]},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        for a in actions:
            out.print(f"[green]Đã sửa[/green] {a}")
        for f in findings:
            out.print(f"[red]Hỏng[/red] {f.message}" if f.damage else f"[yellow]Lưu ý[/yellow] {f.message}")
        if damaged:
            out.print(f"Kho bị hỏng: {len(damaged)} vấn đề; chạy plankg check --repair "
                      f"(the store is damaged: {len(damaged)} problems; run plankg check --repair)")
        else:
            out.print("Kho nhất quán với các nguồn đã ghi nhận (the store is consistent with the recorded sources)")
    if damaged:
        raise typer.Exit(1)


@app.command()
def backup(
    target: Path = typer.Argument(..., help="Tệp sao lưu .tar.gz sẽ ghi (the .tar.gz to write)"),
    as_json: bool = typer.Option(False, "--json", help="In JSON"),
) -> None:
    """Sao lưu toàn bộ PLANKG_HOME: đồ thị, bản trích xuất, chỉ mục (back up the whole home)."""
    from plankg.ingest.backup import backup_home
    from plankg.ingest.errors import IngestError

    try:
        summary = backup_home(load_settings(), target)
    except (IngestError, StoreError) as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"Đã sao lưu {summary.sources} nguồn, {summary.graphs} đồ thị ({summary.triples} bộ ba), {summary.files} tệp "
              f"vào {summary.archive} (backed up {summary.sources} sources, {summary.graphs} graphs, {summary.files} files)")


@app.command()
def restore(
    archive: Path = typer.Argument(..., help="Tệp sao lưu do plankg backup ghi (a file written by plankg backup)"),
    force: bool = typer.Option(False, "--force", help="Thay cả một PLANKG_HOME đã có dữ liệu (replace a non-empty home)"),
) -> None:
    """Khôi phục PLANKG_HOME từ bản sao lưu; khởi động lại plankg serve sau đó (restore the home from a backup)."""
    from plankg.ingest.backup import restore_home
    from plankg.ingest.errors import IngestError

    try:
        summary = restore_home(load_settings(), archive, force=force)
    except (IngestError, StoreError) as exc:
        _fail(str(exc))
    out.print(f"Đã khôi phục {summary.sources} nguồn, {summary.graphs} đồ thị ({summary.triples} bộ ba), {summary.files} "
              f"tệp từ {summary.archive} (restored; restart plankg serve if it runs)")


@app.command()
def sources(as_json: bool = typer.Option(False, "--json", help="In JSON")) -> None:
    """Liệt kê các tệp đã nạp, thời điểm và checksum (list ingested sources)."""
    store = _open(read_only=False)
    with store:
        from plankg.ingest.pipeline import Workspace

        data = Workspace(load_settings(), store).sources()
    if as_json:
        out.print_json(json.dumps([{"name": k, **v} for k, v in sorted(data.items())], ensure_ascii=False))
        return
    table = Table(title="Nguồn đã nạp (ingested sources)")
    for col in ("Tệp", "Định dạng", "Thời điểm nạp", "SHA-256"):
        table.add_column(col)
    for name, v in sorted(data.items()):
        table.add_row(name, v.get("format", ""), v.get("ingested_at", ""), v.get("checksum", "")[:16] + "…")
    out.print(table)


@app.command()
def retired(as_json: bool = typer.Option(False, "--json", help="In JSON"),
            limit: int = typer.Option(50, "--limit", help="Số dòng tối đa (rows shown; 0 = all)")) -> None:
    """IRI đã bỏ hoặc đã chuyển: trả lời 410 hoặc 301 (retired IRIs: answered 410 or 301)."""
    from plankg.store.retired import RetiredRecord, record_path

    try:
        record = RetiredRecord.load(record_path(load_settings().home))
    except ValueError as exc:
        _fail(str(exc))
    rows = [record.entries[i] for i in sorted(record.entries)]
    if as_json:
        sys.stdout.write(json.dumps({"counts": record.counts(), "iris": [{"iri": e.iri, **e.to_json()} for e in rows]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    c = record.counts()
    out.print(f"IRI đã bỏ (gone, 410): {c['gone']} · đã chuyển (moved, 301): {c['moved']}")
    table = Table(title="IRI đã bỏ hoặc đã chuyển (retired IRIs)")
    for col in ("IRI", "Từ (since)", "Lý do (reason)", "Chuyển sang (moved to)"):
        table.add_column(col)
    for e in rows[:limit or None]:
        table.add_row(e.iri, e.since, e.why()[0], e.successor or "—")
    out.print(table)


@app.command()
def search(
    query: str = typer.Argument(..., help='Câu hỏi, ví dụ "nhiệm vụ của Sở Y tế năm 2025"'),
    k: int = typer.Option(10, "--k", help="Số kết quả"),
    as_json: bool = typer.Option(False, "--json", help="In JSON theo hợp đồng /api/search"),
) -> None:
    """Tìm kiếm ngữ nghĩa tiếng Việt (Vietnamese semantic search)."""
    from plankg.search.index.builder import IndexMissing, IndexModelMismatch
    from plankg.search.service import SearchError
    from plankg.search.service import search as run_search

    store = _open()
    with store:
        try:
            result = run_search(load_settings(), store, query, k=k)
        except (SearchError, IndexModelMismatch, IndexMissing) as exc:
            _fail(str(exc), 2)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_results(result)


def _print_results(result: dict) -> None:
    """Staff read agency, deadline, place and where the passage is, not just the text; a
    question that asks for a fact gets the answer first (``answer``, docs/search.md)."""
    from rich.markup import escape

    from plankg.search.query.describe import TYPE_VI, describe

    interp = result.get("interpretation") or {}
    parts = describe(interp)
    if parts:
        out.print("[dim]Hiểu câu hỏi: " + " · ".join(escape(f"{k}: {v}") for k, v in parts) + "[/dim]")
    note = (interp.get("period") or {}).get("note")
    if note:
        out.print(f"[dim]{escape(note)}[/dim]")
    answer = result.get("answer")
    if answer:
        out.print(f"[bold green]Trả lời:[/bold green] {escape(answer['text'])}")
        out.print(f"   [dim]{escape(_where(answer))}[/dim]")
        out.print(f"   [italic]{escape(answer.get('passage') or '')}[/italic]")
    out.print(f"[dim]{result.get('total', 0)} kết quả[/dim]")
    for i, r in enumerate(result["results"], 1):
        out.print(f"{i}. [bold]{escape(r['label'])}[/bold] [dim]({TYPE_VI.get(r['type'], r['type'])}, {r['score']:.2f})[/dim]")
        lead = "; ".join(a["name"] or a["raw"] or "" for a in r.get("lead") or [])
        if lead:
            out.print(f"   Chủ trì: {escape(lead)}")
        if r.get("deadline"):
            out.print(f"   Thời hạn: {escape(r['deadline']['text'])}")
        where = _where(r)
        if where:
            out.print(f"   [dim]{escape(where)}[/dim]")


def _where(r: dict) -> str:
    """"57/KH-UBND · tỉnh Bình Phước · 000_….txt [54136:54347]": document, place, source span."""
    from plankg.store.read.labels import document_label

    doc = r.get("document") or {}
    src = r.get("source") or {}
    names = list(dict.fromkeys(x["name"] for x in r.get("localities") or [] if x.get("name")))
    # one place named twice ("tỉnh Bình Phước", "Bình Phước"): the fuller name only
    places = ", ".join(n for n in names if not any(o != n and o.endswith(" " + n) for o in names))
    parts = (document_label(doc) if doc else "", places,
             f"{src.get('file')} [{src.get('start')}:{src.get('end')}]" if src else "")
    return " · ".join(x for x in parts if x)


class Fmt(str, Enum):
    json = "json"
    xml = "xml"
    csv = "csv"
    tsv = "tsv"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


@app.command()
def sparql(
    query: str = typer.Argument(..., help="Câu truy vấn SPARQL, hoặc @tệp.rq"),
    fmt: Optional[Fmt] = typer.Option(None, "--format", help="json|xml|csv|tsv (SELECT/ASK), turtle|ntriples|jsonld|rdfxml (CONSTRUCT/DESCRIBE)"),
    infer: bool = typer.Option(True, "--infer/--no-infer", help="Gồm đồ thị suy diễn (include the inferred graph)"),
) -> None:
    """Chạy truy vấn SPARQL 1.1 trên đồ thị (run a SPARQL query)."""
    from plankg.store.read.inspect import QueryLimits, inspect_query
    from plankg.store.read.queries import run_query

    text = Path(query[1:]).read_text("utf-8") if query.startswith("@") else query
    settings = load_settings()
    store = _open()
    with store:
        try:
            # the parsed refusal check of every user query (docs/security.md); the checked text is what runs
            checked = inspect_query(text, limits=QueryLimits(max_bytes=max(settings.sparql_max_bytes, len(text.encode())),
                                                             max_nesting=settings.sparql_max_nesting))
            answer = run_query(store, settings, checked.text, infer=infer)
            name = fmt.value if fmt else ("turtle" if answer.kind == "graph" else "json")
            data = answer.serialize(name)
        except StoreError as exc:
            _fail(f"Truy vấn SPARQL không hợp lệ (invalid query): {exc}", 2)
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")


class What(str, Enum):
    tasks = "tasks"
    targets = "targets"
    documents = "documents"
    agencies = "agencies"


class ExportFmt(str, Enum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    what: What = typer.Argument(..., help="tasks | targets | documents | agencies"),
    fmt: ExportFmt = typer.Option(ExportFmt.json, "--format", help="csv (Excel, UTF-8 BOM) hoặc json"),
    output: Optional[Path] = typer.Option(None, "--output", help="Tệp đích (mặc định: stdout)"),
) -> None:
    """Xuất dữ liệu (export tasks, targets, documents or agencies as CSV or JSON)."""
    from plankg.api.export import to_csv, to_json
    from plankg.store.read.records import Records

    store = _open()
    with store:
        items = getattr(Records(store, load_settings()), what.value)()
    data = to_csv(what.value, items) if fmt is ExportFmt.csv else to_json(items)
    if output:
        output.write_bytes(data)
        err.print(f"Đã ghi {len(items)} mục vào {output}")
    else:
        sys.stdout.buffer.write(data)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port")) -> None:
    """Chạy dịch vụ web: SPARQL, dữ liệu liên kết, API JSON (serve the HTTP API)."""
    import uvicorn

    from plankg.api.server import create_app

    uvicorn.run(create_app(), host=host, port=port)


@app.command()
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Xây lại toàn bộ chỉ mục"),
    merge: bool = typer.Option(False, "--merge", help="Hợp nhất phần thay đổi (delta) vào chỉ mục chính ngay bây giờ "
                               "(merge the index deltas now, in the foreground)"),
) -> None:
    """Cập nhật hoặc xây lại chỉ mục tìm kiếm (update or rebuild the search index)."""
    from plankg.search.index.builder import build_index
    from plankg.search.index.merge import MergeBusy, merge_index, start_background

    settings = load_settings()
    store = _open()
    with store:
        info = build_index(settings, store, rebuild=rebuild)
    if merge:
        try:
            result = merge_index(settings)
        except MergeBusy as exc:
            _fail(str(exc))
        if result.status == "merged":
            out.print(f"Đã hợp nhất chỉ mục: {result.items} mục, {result.outside_lock_s:g} s ngoài khóa, "
                      f"{result.under_lock_s:g} s trong khóa (index merged: {result.items} items, "
                      f"{result.outside_lock_s:g} s outside the lock, {result.under_lock_s:g} s under it)")
        else:
            out.print(f"Không hợp nhất (nothing merged): {result.reason}")
    elif info.get("merge_due") and start_background(settings):
        err.print("Đã bắt đầu hợp nhất chỉ mục ở nền (started a background index merge)")


@app.command()
def rebuild() -> None:
    """Đọc lại mọi tệp nguồn và xây lại kho (re-read every source; use after an upgrade)."""
    from plankg.ingest.build.corrections import load_corrections
    from plankg.ingest.errors import IngestError
    from plankg.ingest.pipeline import ingest_lock
    from plankg.search.index.upkeep import rebuild_store_and_index

    try:
        settings = load_settings()
        load_corrections(settings.corrections_path)
        with ingest_lock(settings):
            report = rebuild_store_and_index(settings)
    except IngestError as exc:
        _fail(str(exc))
    for f in report.files:
        out.print(f"{f.name}: {f.status}" + (f" — {f.error}" if f.error else ""))
    if report.failed:
        raise typer.Exit(1)


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="In JSON")) -> None:
    """Thống kê kho: số văn bản, nhiệm vụ, chỉ tiêu, cơ quan, bộ ba; vị trí và phiên bản."""
    from plankg.api.stats import collect_info

    store = _open()
    with store:
        data = collect_info(load_settings(), store)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="plankg info", show_header=False)
    labels = {
        "documents": "Văn bản (documents)", "tasks": "Nhiệm vụ (tasks)", "targets": "Chỉ tiêu (targets)",
        "agencies": "Cơ quan (agencies)", "triples": "Bộ ba truy vấn được (triples, default dataset = COUNT(*))",
        "quads": "Bộ bốn lưu trữ (stored quads, all graphs)", "sources": "Tệp nguồn (sources)",
        "store_path": "Kho (store)", "store_backend": "Loại kho (backend)", "index_path": "Chỉ mục (index)",
        "ontology_version": "Ontology", "store_version": "Phiên bản kho", "index_version": "Phiên bản chỉ mục",
        "base_iri": "IRI gốc (base IRI)",
    }
    for key, label in labels.items():
        table.add_row(label, str(data.get(key, "")))
    out.print(table)


if __name__ == "__main__":  # pragma: no cover
    app()
