"""User corrections survive re-ingest and are recorded with who and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plankg.api.cli import app
from tests.conftest import seed_path

runner = CliRunner()


def _task(path: str) -> dict:
    tasks = json.loads(runner.invoke(app, ["export", "tasks"]).stdout)
    return next(t for t in tasks if t["path"] == path and t["document"]["identifier"] == "74-CTr/TU")


@pytest.mark.slow
def test_correction_applies_and_is_kept_across_reingest(plankg_home: Path, tmp_path: Path) -> None:
    src = seed_path("004")
    assert runner.invoke(app, ["ingest", str(src)]).exit_code == 0
    assert _task("II.1.1")["lead"] == []
    plankg_home.joinpath("corrections.yaml").write_text(
        "- task: II.1.1\n  field: lead\n  value: [Ban Tuyên giáo và Dân vận Tỉnh ủy]\n"
        "  by: Nguyễn Văn A\n  why: Chương trình giao Ban Tuyên giáo và Dân vận chủ trì\n"
        "- task: II.1.1\n  field: deadline\n  value: Quý II/2025\n  by: Nguyễn Văn A\n", "utf-8")
    # the file itself has not changed: a rebuild applies the corrections
    assert runner.invoke(app, ["rebuild"]).exit_code == 0
    task = _task("II.1.1")
    assert [a["name"] for a in task["lead"]] == ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]
    assert task["deadline"]["end"] == "2025-06-30"
    out = runner.invoke(app, ["sparql", "@" + str(Path(__file__).resolve().parents[1] / "ontology/queries/14-corrections.rq"), "--format", "csv"])
    assert "Nguyễn Văn A" in out.stdout and "Ban Tuyên giáo và Dân vận chủ trì" in out.stdout
    # re-ingesting a changed copy keeps the correction
    copy = tmp_path / src.name
    copy.write_text(src.read_text("utf-8") + "\n", "utf-8")
    assert runner.invoke(app, ["ingest", str(copy)]).exit_code == 0
    assert [a["name"] for a in _task("II.1.1")["lead"]] == ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]


def test_broken_corrections_file_is_a_clear_error(plankg_home: Path) -> None:
    plankg_home.mkdir(parents=True, exist_ok=True)
    plankg_home.joinpath("corrections.yaml").write_text("- task: II.1.1\n  field: colour\n  value: x\n", "utf-8")
    result = runner.invoke(app, ["ingest", str(seed_path("004"))])
    assert result.exit_code != 0
    assert "colour" in result.output


def test_narrative_item_linked_to_its_appendix_row(seeded) -> None:
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + """SELECT ?n ?a WHERE {
        ?a pk:path "PL2.56" ; pk:correspondsTo ?n . ?n pk:origin "narrative" }""").to_python()
    assert rows, "the narrative item on electronic medical records restates Phụ lục II row 56"
