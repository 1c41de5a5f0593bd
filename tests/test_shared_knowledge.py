"""One home for shared knowledge (issue 10, item 6): one table of document kinds, one set of
folding functions, one agency-name grammar — and the IRIs built from them unchanged.

Every former place that kept its own list of kinds (store/iris.py, ingest/extract/citations.py,
ingest/build/graph.py, search/query/understanding.py, ingest/extract/values.py) now reads
ontology/registry/document_kinds.yaml; these tests ask each of them about the same kinds.
"""

from __future__ import annotations

import copy
import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from rdflib import URIRef

from plankg.folding import fold, fold_aligned, fold_aligned_blank, fold_cased, fold_words, slugify
from plankg.ingest.build import graph as graph_mod
from plankg.ingest.build.assemble import BuildReport, assemble_graphs, unknown_agency_warning
from plankg.ingest.build.serialize import from_jsonable
from plankg.ingest.extract.citations import _find
from plankg.ingest.extract.values import parse_unit
from plankg.ingest.model import Extraction
from plankg.ontology.kinds import load_kinds
from plankg.store import iris
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data" / "shared_knowledge"
BASE = "https://example.org/plankg/"


def _seed004() -> Extraction:
    """Seed 004's extraction as saved before the consolidation (so the check does not move
    when extractors improve: it tests what builds IRIs, not what extracts)."""
    with gzip.open(DATA / "seed004.extraction.json.gz", "rt", encoding="utf-8") as fh:
        return from_jsonable(Extraction, json.load(fh)["extraction"])


def _iris(graphs: dict) -> set[str]:
    return {str(t) for g in graphs.values() for s, _p, o in g for t in (s, o) if isinstance(t, URIRef)}


# -- one table of kinds ---------------------------------------------------------------

def test_de_an_is_one_kind_everywhere() -> None:
    """"ĐỀ ÁN" printed as a title, "Đề án số 06" in a citation, "đề án số 06" in a question,
    "ĐA" in a symbol: the same kind in every former place."""
    kinds = load_kinds()
    de_an = kinds.from_name("ĐỀ ÁN")
    assert de_an is not None and de_an.name == "Đề án"
    assert kinds.from_code("ĐA") is de_an
    # citations: the word before the number and the code in the symbol
    hits = _find("thực hiện Đề án số 06/ĐA-UBND ngày 05/01/2025 của UBND tỉnh")
    assert [h.kind for h in hits] == ["Đề án"]
    # store/iris.py: the kind's IRI segment is the one it always had (its name's slug)
    assert iris.type_segment("Đề án") == iris.type_segment("ĐỀ ÁN") == "de-an"
    # search understanding reads the same table
    from plankg.search.query import understanding
    m = understanding._DOC_REF.search(understanding._aligned_fold("các nhiệm vụ của đề án số 06"))
    assert m is not None and understanding._kind_name(m["kind"]) == "Đề án"
    # values: documents counted as a unit
    unit = parse_unit("Đề án")
    assert unit is not None and unit.normalized == "Đề án" and unit.code == "scheme"


@pytest.mark.parametrize("printed,code", [("KẾ HOẠCH", "KH"), ("Chương trình", "CTr"), ("QUYẾT ĐỊNH", "QĐ"),
                                          ("Nghị quyết", "NQ"), ("Công văn", "CV")])
def test_kinds_with_a_class_agree_in_graph_iris_and_citations(printed: str, code: str) -> None:
    kinds = load_kinds()
    kind = kinds.from_name(printed)
    assert kind is not None and kinds.from_code(code) is kind
    terms = graph_mod.kind_terms(kind.name)
    assert terms is not None and str(terms[1]).endswith(f"kind-{kind.notation}")
    # the IRI segment of a kind and of its code in a symbol are the same
    assert iris.type_segment(kind.name) == iris.document_key(
        symbol=f"5/{code}-UBND" if code != "CV" else "5/UBND-VX", kind=kind.name, year=2025,
        locality_slug="x").type_code
    assert iris.kind_from_symbol(f"12-{code}/TU") == kind.name


def test_kinds_without_a_concept_stay_plain_documents() -> None:
    """SHACL allows only the modelled pk:kind-* concepts: other kinds get no eli:type_document."""
    assert graph_mod.kind_terms("Thông báo") is None
    assert graph_mod.kind_terms("Đề án") is None
    assert graph_mod.kind_terms(None) is None


def test_printed_code_wins_over_a_folded_one() -> None:
    """"DA" as printed is Dự án; only "ĐA" is Đề án (the stroke is not folded away)."""
    kinds = load_kinds()
    assert kinds.from_code("DA").name == "Dự án"  # type: ignore[union-attr]
    assert kinds.from_code("ĐA").name == "Đề án"  # type: ignore[union-attr]
    assert kinds.from_code("QD") is kinds.from_code("QĐ")


# -- folding --------------------------------------------------------------------------

def _seed_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_folding_variants_agree() -> None:
    """Every variant folds each letter alike; they differ only in case, length and spacing."""
    for text in _seed_texts():
        # what the readers hand on: NFC, the legacy-font "ƣ" repaired
        text = unicodedata.normalize("NFC", text.replace("ƣ", "ư").replace("Ƣ", "Ư"))
        assert fold_cased(text).lower() == fold(text)
        assert fold_aligned(text) == fold(text)  # NFC seed text: one character for one
        assert fold_aligned_blank(text) == fold(text)
        assert fold_words(text) == " ".join(slugify(text).split("-"))
    assert fold_cased("KẾ HOẠCH Số 57/KH-UBND") == "KE HOACH So 57/KH-UBND"
    assert fold_aligned_blank("a \u0301b") == "a  b"  # a stray mark becomes a space, length kept
    assert fold_aligned("a \u0301b") == "a \u0301b"
    assert fold_words("Sở Y-tế, (tỉnh)") == "so y te tinh"


def test_old_homes_are_the_one_home() -> None:
    from plankg.ingest.build import pillars, renditions
    from plankg.ingest.extract import structure
    from plankg.search import text as search_text

    assert structure.fold is fold_cased
    assert renditions.fold is fold_words and pillars.fold is fold_words
    assert search_text._folded_aligned("Đồng Xoài") == fold_aligned_blank("Đồng Xoài")


_PACKAGE_DIRS = ("plankg", "ontology", "store", "ingest", "search", "api", "benchmarks", "scripts")


def _hand_written_folds() -> list[str]:
    """Functions outside ``plankg/folding.py`` that fold text their own way: named ``fold`` /
    ``_fold_*``, or stripping marks themselves (``unicodedata.normalize`` with
    ``unicodedata.combining``, or an NFKD form encoded to ASCII)."""
    import ast
    import re

    repo = Path(__file__).resolve().parents[1]
    found = []
    for folder in _PACKAGE_DIRS:
        for path in sorted((repo / folder).rglob("*.py")):
            rel = path.relative_to(repo).as_posix()
            if rel == "plankg/folding.py" or "/.venv/" in rel:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                calls = {f"{c.func.value.id}.{c.func.attr}" for c in ast.walk(node)
                         if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                         and isinstance(c.func.value, ast.Name)}
                source = ast.get_source_segment(path.read_text("utf-8"), node) or ""
                if re.match(r"_?fold(_|$)", node.name) \
                        or {"unicodedata.normalize", "unicodedata.combining"} <= calls \
                        or ("unicodedata.normalize" in calls and re.search(r"encode\(\s*['\"]ascii", source)):
                    found.append(f"{rel}:{node.lineno} {node.name}")
    return found


def test_no_second_fold_function() -> None:
    """One home for folding (issue 10, item 6): ``ingest/readers/normalize.fold`` and
    ``ingest/extract/tables.fold`` folded 13 and thousands of code points differently from
    :mod:`plankg.folding`; they are gone, and this fails if another appears. A caller that
    needs another behaviour adds a documented variant to :mod:`plankg.folding`."""
    assert _hand_written_folds() == []


# -- IRIs unchanged -------------------------------------------------------------------

def test_seed004_iris_unchanged() -> None:
    """The IRIs of seed 004's graph, recorded from the code before the consolidation
    (see the header of seed004_iris.txt for how), are byte-identical."""
    expected = {ln for ln in (DATA / "seed004_iris.txt").read_text("utf-8").splitlines() if ln and not ln.startswith("#")}
    got = _iris(assemble_graphs([_seed004()], BASE, {}))
    assert got == expected


# -- never silent, never stopped ------------------------------------------------------

def test_unknown_agency_is_kept_with_a_warning() -> None:
    ex = _seed004()
    task = next(t for t in ex.tasks if t.lead)
    task.lead = [*task.lead, "Hội Những người làm vườn kiểu mới"]
    report = BuildReport()
    graphs = assemble_graphs([ex], BASE, {}, report=report)
    name = ex.source.name
    kept = [str(s) for s in _iris(graphs) if "nhung-nguoi-lam-vuon-kieu-moi" in s]
    assert kept, "the unknown agency is kept in the graph"
    warnings = report.warnings[name]
    assert any("Hội Những người làm vườn kiểu mới" in w and "unknown agency" in w and "cơ quan" in w
               for w in warnings)
    assert unknown_agency_warning("X", "y/x").startswith("cơ quan chưa có trong danh mục")


def test_one_broken_source_does_not_stop_the_batch() -> None:
    good = _seed004()
    broken = copy.deepcopy(good)
    broken.source.name = "broken.txt"
    broken.document.symbol, broken.document.number = "9-CTr/TU", "9"  # its own document
    broken.tasks[0].span = "not a span"  # type: ignore[assignment]  # a deliberately broken extraction
    report = BuildReport()
    graphs = assemble_graphs([good, broken], BASE, {}, report=report)
    assert good.source.name in graphs and "broken.txt" not in graphs
    assert "broken.txt" in report.errors and "graph build failed" in report.errors["broken.txt"]
    assert good.source.name not in report.errors


def test_ingest_report_lists_build_findings_per_file(tmp_path: Path) -> None:
    """``plankg ingest --report``: the JSON names, per file, the extractors' warnings and
    what building found (here: a file whose graph failed is "failed" with its error)."""
    from plankg.ingest.pipeline import FileResult, IngestReport, _add_build_findings

    ok = FileResult("a.txt", "a.txt", "added", warnings=["Bảng 1: không có dòng nào (table 1 yields no row)"])
    bad = FileResult("b.txt", "b.txt", "added")
    build = BuildReport()
    build.warn("a.txt", unknown_agency_warning("Hội X", "p/hoi-x"))
    build.fail("b.txt", ValueError("boom"))
    report = IngestReport(files=[ok, bad])
    _add_build_findings(report, build)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    files = {f["file"]: f for f in data["files"]}
    assert files["a.txt"]["warnings"][0].startswith("Bảng 1")
    assert any("unknown agency" in w for w in files["a.txt"]["warnings"])
    assert files["b.txt"]["status"] == "failed" and "boom" in files["b.txt"]["error"]
    assert data["totals"] == {"added": 1, "failed": 1}
