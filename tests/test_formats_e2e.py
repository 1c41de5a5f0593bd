"""Real users bring DOCX, Markdown and PDF plans: end to end through `plankg ingest`."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from plankg.api.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

TITLE = [
    "ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN ĐỊNH", "Số: 12/KH-UBND", "Tân Định, ngày 05 tháng 8 năm 2025",
    "KẾ HOẠCH", "Triển khai chuyển đổi số năm 2025 trên địa bàn phường",
    "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
    "Ủy ban nhân dân phường Tân Định ban hành Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- Triển khai nghiêm túc Nghị quyết số 57-NQ/TW.",
    "II. NHIỆM VỤ CỤ THỂ", "1. Chuyển đổi số trong cơ quan nhà nước",
    "- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của phường.",
    "III. TỔ CHỨC THỰC HIỆN", "Phòng Văn hóa - Xã hội chủ trì theo dõi, đôn đốc.",
    "PHỤ LỤC II. DANH MỤC CÁC NHIỆM VỤ",
]
ROWS = [
    ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"],
    ["I", "Chuyển đổi số trong cơ quan nhà nước", "", "", "", ""],
    ["1", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của phường", "Văn phòng HĐND và UBND phường",
     "Các phòng, ban, đơn vị", "Hồ sơ được số hóa", "Quý IV/2025"],
    ["2", "Triển khai bệnh án điện tử tại Trạm Y tế phường", "Trạm Y tế phường", "Phòng Văn hóa - Xã hội",
     "Bệnh án điện tử", "12/2025"],
    ["II", "Phát triển kinh tế số", "", "", "", ""],
    ["1", "Hỗ trợ hộ kinh doanh thanh toán không dùng tiền mặt", "Phòng Kinh tế, Hạ tầng và Đô thị",
     "Các doanh nghiệp viễn thông", "Số hộ được hỗ trợ", "Thường xuyên"],
]


def make_docx(path: Path) -> Path:
    d = docx.Document()
    for line in TITLE:
        d.add_paragraph(line)
    table = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for i, row in enumerate(ROWS):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    d.save(path)
    return path


def make_markdown(path: Path) -> Path:
    body = "\n\n".join(("# " + line) if line == "KẾ HOẠCH" else line for line in TITLE)
    table = ["| " + " | ".join(ROWS[0]) + " |", "|" + "---|" * len(ROWS[0])]
    table += ["| " + " | ".join(r) + " |" for r in ROWS[1:]]
    path.write_text(body + "\n\n" + "\n".join(table) + "\n", "utf-8")
    return path


def _ingest_and_export(path: Path) -> tuple[list[dict], list[dict]]:
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    tasks = json.loads(runner.invoke(app, ["export", "tasks", "--format", "json"]).stdout)
    docs = json.loads(runner.invoke(app, ["export", "documents", "--format", "json"]).stdout)
    return tasks, docs


@pytest.mark.parametrize("maker,suffix", [(make_docx, ".docx"), (make_markdown, ".md")])
def test_table_plans(maker, suffix: str, tmp_path: Path, plankg_home: Path) -> None:
    tasks, docs = _ingest_and_export(maker(tmp_path / f"ke-hoach{suffix}"))
    assert docs[0]["identifier"] == "12/KH-UBND" and docs[0]["date"] == "2025-08-05"
    assert docs[0]["issuer"] == "UBND phường Tân Định"
    rows = {t["path"]: t for t in tasks if t["path"].startswith("PL2.")}
    assert set(rows) == {"PL2.I.1", "PL2.I.2", "PL2.II.1"}
    emr = rows["PL2.I.2"]
    assert emr["text"] == "Triển khai bệnh án điện tử tại Trạm Y tế phường"
    assert [a["name"] for a in emr["lead"]] == ["Trạm Y tế phường"]
    assert emr["deadline"] == {"text": "12/2025", "start": "2025-12-01", "end": "2025-12-31", "recurrence": "none"}
    assert rows["PL2.I.1"]["deadline"]["end"] == "2025-12-31"  # Quý IV/2025
    assert rows["PL2.II.1"]["deadline"]["recurrence"] == "continuous"
    assert rows["PL2.II.1"]["cooperating"][0]["collective"] is True
    assert emr["source"]["file"] == f"ke-hoach{suffix}"


def test_pdf_with_text_layer(plankg_home: Path) -> None:
    tasks, docs = _ingest_and_export(FIXTURES / "text_layer.pdf")
    assert docs[0]["identifier"] == "57/KH-UBND"
    assert docs[0]["issuer"] == "UBND tỉnh Bình Phước"
    assert any("Ủy ban nhân dân các huyện" in t["text"] for t in tasks)


def test_scanned_pdf_is_refused_clearly(plankg_home: Path) -> None:
    result = runner.invoke(app, ["ingest", str(FIXTURES / "scanned.pdf")])
    assert result.exit_code == 1
    assert "scanned.pdf" in result.output and "text layer" in result.output
