"""The CLI contract: command names and options that users' scripts depend on."""

from __future__ import annotations

from typer.testing import CliRunner

from plankg.api.cli import app

runner = CliRunner()
CONTRACT = ["ingest", "remove", "sources", "search", "sparql", "export", "serve", "info", "index", "rebuild"]


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in CONTRACT:
        assert name in result.output


def test_every_command_has_help() -> None:
    for name in CONTRACT:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output


def test_option_names() -> None:
    assert "--k" in runner.invoke(app, ["search", "--help"]).output
    assert "--json" in runner.invoke(app, ["search", "--help"]).output
    sparql_help = runner.invoke(app, ["sparql", "--help"]).output
    assert "--format" in sparql_help
    export_help = runner.invoke(app, ["export", "--help"]).output
    assert "--format" in export_help and "--output" in export_help
    serve_help = runner.invoke(app, ["serve", "--help"]).output
    assert "--host" in serve_help and "--port" in serve_help
    assert "--rebuild" in runner.invoke(app, ["index", "--help"]).output


def test_info_on_empty_home(plankg_home) -> None:
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    assert '"tasks": 0' in result.output
    assert str(plankg_home) in result.output


def test_broken_sparql_is_a_clear_error(plankg_home) -> None:
    result = runner.invoke(app, ["sparql", "SELECT ?x WHERE { ?x ?p "])
    assert result.exit_code == 2
    assert "SPARQL" in result.output


def test_search_without_an_index_names_the_command(plankg_home) -> None:
    """An empty home has no search index: the user gets the fix in one line, not a traceback."""
    result = runner.invoke(app, ["search", "so y te"])
    assert result.exit_code == 2
    assert "plankg index" in result.output


def test_update_is_refused(plankg_home) -> None:
    result = runner.invoke(app, ["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert result.exit_code == 2
    assert "Update" in result.output


def test_store_version_mismatch_names_the_fix(plankg_home) -> None:
    from plankg.config import load_settings
    from plankg.store.open import open_store

    store = open_store(load_settings())
    meta = store.read_meta()
    meta["ontology_version"] = "0.0.1"
    store.write_meta(meta)
    store.close()
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 1
    assert "plankg rebuild" in result.output


def test_cli_refuses_service_like_the_endpoint(plankg_home) -> None:
    """One refusal check (store/read/inspect.py) for the CLI and the endpoint: no outbound SERVICE."""
    result = runner.invoke(app, ["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }"])
    assert result.exit_code == 2
    assert "SERVICE" in result.output


def test_durability_commands_and_options() -> None:
    """Issue 11: check [--repair] [--json], backup, restore [--force], ingest --retry-failed."""
    for name in ("check", "backup", "restore"):
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, (name, result.output)
    check_help = runner.invoke(app, ["check", "--help"]).output
    assert "--repair" in check_help and "--json" in check_help
    assert "--force" in runner.invoke(app, ["restore", "--help"]).output
    assert "--retry-failed" in runner.invoke(app, ["ingest", "--help"]).output


def test_restore_of_a_missing_file_fails_clearly(plankg_home, tmp_path) -> None:
    result = runner.invoke(app, ["restore", str(tmp_path / "none.tar.gz")])
    assert result.exit_code == 1
    assert "Không tìm thấy tệp sao lưu" in result.output and "none.tar.gz" in result.output.replace("\n", "")
