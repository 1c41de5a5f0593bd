"""Table rows that are not tasks, partners named in the task text, narrative items that are
not targets (issue #10 items 1 and 4; docs/extraction.md "2026-12-06 evening: tables").

The rules were written while reading the round-2 dev notice 74e2ddc7b11340da (group rows
"Nhiệm vụ giao Bộ trưởng Bộ X chỉ đạo", a table without a "Phối hợp" column) and the round-1
dev plans' target sections; each is tested here on other documents: the task table of the
round-1 dev plan ec00bd6f58be7864 (DOCX) with rows inserted the way other layouts print them,
and the seeds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plankg.folding import fold
from plankg.ingest.extract import extract
from plankg.ingest.extract.grid import read_grids, read_header
from plankg.ingest.extract.target_checks import states_measure
from plankg.ingest.model import SourceText
from plankg.ingest.readers import read_source
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "tests" / "data" / "corpus_docx"
GOLD = ROOT / "tests" / "gold"


def _source(table: list[list[str]]) -> SourceText:
    text = "\n".join("\t".join(r) for r in table)
    return SourceText("t.docx", "t.docx", "docx", text, text, list(range(len(text) + 1)), "x",
                      tables=[table], table_lines=[list(range(len(table)))])


def _task_table() -> tuple[list[list[str]], int]:
    """The task table of ec00bd6f58be7864.docx (STT | Tên nhiệm vụ/dự án | Cơ quan chủ trì |
    Cơ quan phối hợp | Kết quả dự kiến | Thời gian triển khai; Roman section rows) and the
    index of its first numbered row."""
    src = read_source(DOCX / "ec00bd6f58be7864.docx")
    table = next(t for t in src.tables if (h := read_header(t)) is not None and h.kind == "task")
    first = next(i for i, r in enumerate(table) if r[0].strip().isdigit())
    return [list(r) for r in table], first


def test_unnumbered_text_only_row_is_a_group_heading_not_a_task() -> None:
    table, first = _task_table()
    width = len(table[0])
    plain = read_grids(_source(table))
    group = "Nhóm nhiệm vụ hoàn thiện thể chế"
    grouped = table[:first] + [["", group] + [""] * (width - 2)] + table[first:]
    res = read_grids(_source(grouped))
    assert [t.text for t in res.tasks] == [t.text for t in plain.tasks]
    heading = next(s for s in res.sections if s.heading == group)
    # the rows under the group are scoped by it, up to the next numbered section row
    assert res.tasks[0].section == heading.path
    assert heading.path.startswith(plain.tasks[0].section + ".")
    assert not any(t.text.startswith(group) for t in res.tasks)


def test_lower_case_text_only_row_continues_the_row_above() -> None:
    """A page break that cuts a row prints its rest as a row of its own (text only)."""
    table, first = _task_table()
    width = len(table[0])
    rest = "và báo cáo kết quả thực hiện"
    cut = table[: first + 1] + [["", rest] + [""] * (width - 2)] + table[first + 1:]
    plain, res = read_grids(_source(table)), read_grids(_source(cut))
    assert len(res.tasks) == len(plain.tasks)
    assert res.tasks[0].text == f"{plain.tasks[0].text} {rest}"
    assert res.tasks[0].lead == plain.tasks[0].lead and res.tasks[1].text == plain.tasks[1].text


def test_partners_named_in_the_text_when_the_table_has_no_cooperating_column() -> None:
    """Move each row's "Cơ quan phối hợp" cell into its text as "…, phối hợp với <cell>" and
    drop the column: the partners read from the text are those the column gave."""
    table, _first = _task_table()
    header = read_header(table)
    assert header is not None
    coop, text = header.column("coop"), header.column("text")
    assert coop is not None and text is not None
    moved = []
    for i, row in enumerate(table):
        row = list(row)
        if i >= header.nrows and row[coop].strip() and row[0].strip().isdigit():
            row[text] = f"{row[text].rstrip(' .')}, phối hợp với {row[coop]}"
        moved.append(row[:coop] + row[coop + 1:])
    want = read_grids(_source(table)).tasks
    got = read_grids(_source(moved)).tasks
    assert len(got) == len(want) and any(t.cooperating for t in want)
    for a, b in zip(got, want):
        assert sorted(a.cooperating) == sorted(b.cooperating), a.path


def test_bare_phoi_hop_in_the_text_names_no_partner() -> None:
    table, first = _task_table()
    header = read_header(table)
    assert header is not None and header.column("coop") is not None
    coop, text = header.column("coop"), header.column("text")
    row = list(table[first])
    row[text] = f"{row[text]}; phối hợp triển khai thực hiện"
    dropped = [r[:coop] + r[coop + 1:] for r in [table[0], row]]
    assert read_grids(_source(dropped)).tasks[0].cooperating == []


def test_notice_group_rows_are_sections_in_every_format() -> None:
    """74e2ddc7b11340da's Phụ lục II prints 15 group rows: none is read as a task (md, docx,
    pdf). In the PDF one opens a page under a row that ended at the foot of the page before, and
    one is cut by a page break: each is still a row of its own, read whole (pdf.py ``_rest_of_row``)."""
    stem = "74e2ddc7b11340da"
    for path, least in ((ROOT / "tests/data/corpus" / f"{stem}.md", 15), (DOCX / f"{stem}.docx", 15),
                        (ROOT / "tests/data/corpus_pdf" / f"{stem}.pdf", 15)):
        ex = extract(read_source(path))
        assert not [t.path for t in ex.tasks if fold(t.text).startswith("nhiem vu giao")], path.suffix
        groups = [s for s in ex.sections if s.heading.startswith("Nhiệm vụ giao")]
        assert least <= len(groups) <= 15, path.suffix


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seeds_keep_every_target_with_a_figure() -> None:
    """No seed narrative target only names a period, and every seed gold target with a figure
    is still read (the period rule leaves the seeds' published targets alone)."""
    for path in sorted(SEEDS.glob("*.txt")):
        ex = extract(read_source(path))
        assert not any("chỉ nêu mốc thời gian" in w for w in ex.warnings), path.name
        gold = json.loads((GOLD / f"seed{path.name[:3]}.json").read_text("utf-8"))
        measured = [g for g in gold.get("targets", [])
                    if re.search(r"[0-9%]", f"{g.get('indicator')} {g.get('value_text')}")]
        assert len(ex.targets) >= len(measured), path.name


def test_period_only_item_states_no_measure() -> None:
    from plankg.ingest.model import Span, TargetRecord

    def target(indicator: str, value: str) -> TargetRecord:
        return TargetRecord(number="", path="II.1", indicator=indicator, comparator="text", value_min=None,
                            value_max=None, value_text=value, unit=None, horizon=None, monitoring=[],
                            span=Span(0, 0), origin="narrative", method="narrative-bullet")

    assert not states_measure(target("Giai đoạn 2025-2027", "Giai đoạn 2025-2027"))
    assert not states_measure(target("Nâng cao nhận thức về phòng, chống ma túy", "Nâng cao nhận thức"))
    assert states_measure(target("Tỷ lệ hồ sơ xử lý trên môi trường mạng", "Cấp tỉnh đạt 100%"))


def test_sub_row_with_its_own_partners_keeps_them() -> None:
    """A lead-first table whose number, lead and group cells span two rows, the second row
    printing its own partners: "Các sở, ngành liên quan | task | product | deadline" (the
    layout of 646f0a00d4174382's Phụ lục I, here with other headers and agencies). The
    partners are the second row's own, not the first row's; the group is the first row's."""
    src = _source([
        ["TT", "Đơn vị chủ trì", "Đơn vị phối hợp", "Nhóm nhiệm vụ", "Nội dung công việc", "Sản phẩm", "Thời hạn"],
        ["1", "Sở Y tế", "Sở Tài chính; Bảo hiểm xã hội tỉnh", "Y tế cơ sở", "Rà soát trạm y tế xã",
         "Báo cáo rà soát", "Quý I/2026"],
        ["Các sở, ngành liên quan", "Xây dựng đề án nâng cấp trạm y tế", "Đề án", "Năm 2026"],
    ])
    first, second = read_grids(src).tasks
    assert first.cooperating == ["Sở Tài chính", "Bảo hiểm xã hội tỉnh"]
    assert second.text == "Xây dựng đề án nâng cấp trạm y tế" and second.lead == ["Sở Y tế"]
    assert second.cooperating == ["Các sở, ngành liên quan"]
    assert second.output == "Đề án" and second.deadline is not None and second.deadline.text == "Năm 2026"


def test_sub_row_without_agency_cell_stays_flush_right() -> None:
    """When the first printed cell is not wholly agency names, the sub-row is read flush right
    as before (the partners of the row above are the merged cell's)."""
    src = _source([
        ["TT", "Đơn vị chủ trì", "Đơn vị phối hợp", "Nhóm nhiệm vụ", "Nội dung công việc", "Sản phẩm", "Thời hạn"],
        ["1", "Sở Y tế", "Sở Tài chính", "Y tế cơ sở", "Rà soát trạm y tế xã", "Báo cáo", "Quý I/2026"],
        ["Y tế dự phòng", "Tổ chức tiêm chủng mở rộng", "Kế hoạch", "Năm 2026"],
    ])
    second = read_grids(src).tasks[1]
    assert second.text == "Tổ chức tiêm chủng mở rộng" and second.cooperating == ["Sở Tài chính"]


def test_indicator_does_not_end_on_a_conjunction() -> None:
    """"X và duy trì … 100% Y": the words before the verb end on "và" — they are a second aim,
    not what is measured; the indicator keeps the measured words. The plain form "Tỷ lệ X đạt
    100%" keeps the words before the verb (seed 003's reading)."""
    from plankg.ingest.extract.narrative import _indicator, _value

    def indicator(sentence: str) -> str:
        return _indicator(sentence, _value(sentence)[5])

    got = indicator("Nâng cấp hạ tầng trạm y tế và duy trì tiêm chủng cho 95% trẻ em dưới 1 tuổi")
    assert "trẻ em" in got and not got.endswith("và")
    assert indicator("Tỷ lệ hồ sơ được xử lý trực tuyến đạt 100%") == "Tỷ lệ hồ sơ được xử lý trực tuyến"


def test_assigning_document_column_is_never_the_task_text() -> None:
    """"Văn bản giao nhiệm vụ" holds "nhiệm vụ" but names the document that gave the task;
    put before the task column (74e2ddc7b11340da prints it after), it still is not read."""
    src = _source([
        ["TT", "Văn bản giao nhiệm vụ", "Nội dung", "Đơn vị chủ trì", "Thời hạn"],
        ["1", "Thông báo số 12/TB-UBND ngày 02/3/2026", "Hoàn thành quy hoạch chung đô thị", "Sở Xây dựng",
         "30/6/2026"],
    ])
    (task,) = read_grids(src).tasks
    assert task.text == "Hoàn thành quy hoạch chung đô thị" and task.lead == ["Sở Xây dựng"]


def test_page_break_cut_row_is_joined_cell_by_cell() -> None:
    """A PDF page break cuts a row: its rest is printed as a row of its own whose cells go on
    in lower case at the same positions (646f0a00d4174382.pdf). Cut every cell of one row of
    another table (ec00bd6f58be7864) after its first words: the row reads as before."""
    table, first = _task_table()
    row = table[first]
    head, tail = [], []
    for c in row:
        words = c.split()
        if len(words) >= 4 and not c[:1].isdigit():
            rest = " ".join(words[2:])
            head.append(" ".join(words[:2]))
            tail.append(rest[:1].lower() + rest[1:] if rest[:1].isupper() else rest)
        else:
            head.append(c)
            tail.append("")
    assert sum(1 for c in tail if c) >= 2 and tail[[i for i, c in enumerate(tail) if c][0]][:1].islower()
    cut = table[:first] + [head, tail] + table[first + 1:]
    plain, res = read_grids(_source(table)), read_grids(_source(cut))
    assert len(res.tasks) == len(plain.tasks)
    a, b = res.tasks[0], plain.tasks[0]
    assert fold(a.text) == fold(b.text) and [fold(x) for x in a.lead] == [fold(x) for x in b.lead]
    assert res.tasks[1].text == plain.tasks[1].text
    assert any(f"dòng {first + 2}:" in w and "(the rest of the row above" in w for w in res.warnings)


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_numbered_target_wrapped_over_lines_is_still_a_target(tmp_path: Path) -> None:
    """"1. 100% đội ngũ … có trình độ đại học Luật …" is a target item; PDF text wraps it over
    several lines, which used to read as a heading with nothing below (09daab284f92e2dd.pdf
    gave none of its 5 targets). Seed 003 with its "Kinh tế số" bullets written as numbered
    items of the MỤC TIÊU section, each wrapped over lines, gives one target per item."""
    import textwrap

    seed = next(SEEDS.glob("003_*.txt")).read_text("utf-8").split("\n")
    start = next(i for i, ln in enumerate(seed) if ln.startswith("II. MỤC TIÊU"))
    end = next(i for i, ln in enumerate(seed) if ln.startswith("III."))
    eco = next(i for i, ln in enumerate(seed) if ln.startswith("3. Kinh tế số"))
    bullets = [ln[2:].strip() for ln in seed[eco + 1: eco + 10] if ln.startswith("- ")]
    assert len(bullets) == 4
    items = []
    for n, b in enumerate(bullets, 1):
        items += textwrap.wrap(f"{n}. {b} trên địa bàn tỉnh theo kế hoạch chuyển đổi số", 40) + [""]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(seed[: start + 1] + [""] + items + seed[end:]), "utf-8")
    targets = [t for t in extract(read_source(path)).targets if t.origin == "narrative"]
    assert sorted(t.path for t in targets) == ["II.1", "II.2", "II.3", "II.4"]
    assert sorted(t.value_min for t in targets if t.value_min is not None) == [8, 30, 60, 100]
