"""Assignments made by a decision's articles (ingest/extract/articles.py).

Written while reading the dev documents b3a4b2605f9a281f ("Điều 3. Giao Giám đốc Công an
tỉnh thực hiện các nhiệm vụ sau: a) … b) … - … c) …") and f1e0981425ec38be ("Điều 2. Giao
Sở Công Thương chủ trì, phối hợp với …"); checked here on another decision of the corpus
(5298da2adb9eb4fe, an excerpt in tests/data/corpus_articles) and on article headings of
laws, which must yield nothing. Expected values are read from the documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.extract.articles import extract_article_tasks
from plankg.ingest.readers import read_bytes, read_source

DATA = Path(__file__).resolve().parent / "data"
GOLD = Path(__file__).resolve().parent / "gold" / "corpus"


def test_giao_article_of_another_decision_is_one_task() -> None:
    src = read_source(DATA / "corpus_articles" / "5298da2adb9eb4fe_articles.md", on_warning=lambda _m: None)
    sections, tasks = extract_article_tasks(src)
    assert [t.path for t in tasks] == ["Điều2"]  # Điều 1 publishes, Điều 3 is the entry into force
    task = tasks[0]
    assert task.text.startswith("Giao Sở Văn hóa, Thể thao và Du lịch chủ trì")
    assert task.lead == ["Sở Văn hóa, Thể thao và Du lịch"]
    # printed partner: "đơn vị cung cấp dịch vụ công nghệ thông tin"; the verb cue "cung cấp"
    # ends the name early (a known limit of assignments.phrase_end), the partner is still found
    assert task.cooperating and task.cooperating[0].startswith("đơn vị")
    assert task.span.line_start == 12 and task.span.line_end == 17  # the article's lines in the file
    assert [s.path for s in sections] == ["Điều2"]


def test_law_articles_named_giao_are_not_assignments() -> None:
    md = ("**Điều 118. Giao đất không thu tiền sử dụng đất**\n\nNhà nước giao đất không thu tiền sử dụng đất"
          " trong các trường hợp sau đây:\n\na) Đất nông nghiệp;\n\n**Điều 116. Giao dịch dân sự**\n\n"
          "Giao dịch dân sự là hợp đồng hoặc hành vi pháp lý đơn phương.\n")
    src = read_bytes(md.encode("utf-8"), "luat.md", on_warning=lambda _m: None)
    assert extract_article_tasks(src) == ([], [])


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_article_items_against_dev_gold(fmt: str) -> None:
    """b3a4b2605f9a281f Điều 3: each a)/c) item and each dash under b) is a task of the
    article's agency; b) ("Chủ trì, phối hợp với …", no full stop) names their partner."""
    gold = [t for t in json.loads((GOLD / "b3a4b2605f9a281f.json").read_text(encoding="utf-8"))["tasks"]
            if t["path"].startswith("Điều")]
    path = DATA / ("corpus" if fmt == "md" else "corpus_docx") / f"b3a4b2605f9a281f.{fmt}"
    tasks = [t for t in extract(read_source(path, on_warning=lambda _m: None)).tasks if t.method == "decision-article"]
    assert len(tasks) == len(gold)
    for g, t in zip(gold, tasks):
        assert t.text.startswith(g["text_start"][:60])
        assert t.lead == g["lead"]
        assert sorted(c.lower() for c in t.cooperating) == sorted(c.lower() for c in g["cooperating"])


@pytest.mark.parametrize("folder,ext", [("corpus_docx", "docx"), ("corpus_pdf", "pdf")])
def test_competence_and_duty_article_hands_out_work(folder: str, ext: str) -> None:
    """"Điều 6. Thẩm quyền, trách nhiệm quản lý nhà nước của các cơ quan, đơn vị liên quan" then
    "1. Sở Nội vụ:" / "a) Chủ trì, phối hợp …": the duties make it a duty article, though a title
    that only grants a competence ("Thẩm quyền quyết định …") assigns nothing. Written on the
    Markdown of round 6's dev decision 475126f38cb26cc2; checked on its DOCX and PDF renditions
    against the gold's leads."""
    gold = [t for t in json.loads((GOLD / "475126f38cb26cc2.json").read_text("utf-8"))["tasks"]
            if t["path"].startswith("Điều 6.")]
    src = read_source(DATA / folder / f"475126f38cb26cc2.{ext}", on_warning=lambda _m: None)
    got = {t.path: t for t in extract_article_tasks(src)[1]}
    assert len(gold) == 8
    for g in gold:
        t = got[g["path"].replace("Điều ", "Điều")]
        assert t.text.startswith(g["text_start"][:40])
        assert t.lead == g["lead"]
    # "Thẩm quyền quyết định …" alone still grants, assigns nothing
    md = ("**Điều 3. Thẩm quyền quyết định phê duyệt phương án**\n\n1. Sở Tài chính quyết định phê duyệt phương án"
          " đối với tài sản của các cơ quan cấp tỉnh.\n")
    assert extract_article_tasks(read_bytes(md.encode("utf-8"), "qd.md", on_warning=lambda _m: None))[1] == []


def test_dash_alone_on_its_line_opens_an_item() -> None:
    """Hard-wrapped Markdown may print an item's dash alone on its line ("-" then "Đồng bộ …") and
    break a cue inside a word pair ("- Chủ" / "trì, phối hợp …"): both are items of the clause's
    agency. Written on round 5's 04e4130eb91f3242 (whose DOCX and PDF print "- Đồng bộ …" on one
    line and must read the same); checked on a made-up article with other agencies."""
    got = {}
    for folder, ext in (("corpus", "md"), ("corpus_docx", "docx"), ("corpus_pdf", "pdf")):
        src = read_source(DATA / folder / f"04e4130eb91f3242.{ext}", on_warning=lambda _m: None)
        got[ext] = [(t.path, t.lead, t.text[:30]) for t in extract_article_tasks(src)[1] if t.path.startswith("Điều2.1")]
    assert len(got["md"]) == 3 and got["md"] == got["docx"] == got["pdf"]
    md = ("**Điều 3. Tổ chức thực hiện**\n\n1. Sở Tài chính:\n\n-\nBố trí kinh phí thực hiện Kế hoạch\nnày.\n\n"
          "- Chủ\ntrì, phối hợp với Sở Nội vụ hướng dẫn các đơn vị.\n\n2. Sở Y tế theo dõi, báo cáo kết quả.\n")
    tasks = extract_article_tasks(read_bytes(md.encode("utf-8"), "qd.md", on_warning=lambda _m: None))[1]
    assert [(t.lead, t.text) for t in tasks] == [
        (["Sở Tài chính"], "Bố trí kinh phí thực hiện Kế hoạch này."),
        (["Sở Tài chính"], "Chủ trì, phối hợp với Sở Nội vụ hướng dẫn các đơn vị."),
        (["Sở Y tế"], "Sở Y tế theo dõi, báo cáo kết quả."),
    ]
    assert tasks[1].cooperating == ["Sở Nội vụ"]


@pytest.mark.parametrize("folder,stem,ext", [("corpus", "a57bf3febd1d410d", "md"), ("corpus_pdf", "284dd97bc14e3aeb", "pdf")])
def test_the_issuers_own_decisions_are_no_tasks(folder: str, stem: str, ext: str) -> None:
    """"Trên cơ sở Đề án …, Ủy ban Thường vụ Quốc hội quyết định sắp xếp … như sau:" then "1. Sắp
    xếp toàn bộ diện tích …": the Standing Committee decides, its items give no body work
    (``ruling_predicates`` of not_tasks.yaml); the article that hands out the work ("Điều 3. Tổ chức thực
    hiện") still does. Written on round 5's 9e001697662f9728; checked on two other resolutions
    of the round, one in its PDF rendition."""
    tasks = extract_article_tasks(read_source(DATA / folder / f"{stem}.{ext}", on_warning=lambda _m: None))[1]
    assert not [t for t in tasks if t.path.startswith("Điều1")]
    assert [t.path for t in tasks if t.path.startswith("Điều3")] == ["Điều3.1", "Điều3.2", "Điều3.3"]


def test_the_decision_named_in_a_lead_in_decides_nothing() -> None:
    """"Điều 2. Sở Y tế, UBND cấp xã … nêu tại Điều 1 của Quyết định này, có trách nhiệm:" (round
    4's 24ac05c2c7c4518e): "Quyết định" printed as the document's name is no deciding verb."""
    src = read_source(DATA / "corpus" / "24ac05c2c7c4518e.md", on_warning=lambda _m: None)
    tasks = extract_article_tasks(src)[1]
    assert [t.path for t in tasks if t.path.startswith("Điều2")] == ["Điều2.1", "Điều2.2", "Điều2.3"]


@pytest.mark.parametrize("folder,ext", [("corpus_docx", "docx"), ("corpus_pdf", "pdf")])
def test_article_opening_with_an_agency_label_leads_its_clauses(folder: str, ext: str) -> None:
    """"Điều 3. Giám đốc Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi:" then "1. Chịu trách …",
    "2. Tham mưu …", "3. Định kỳ … báo cáo …": the label names whose clauses follow. Written on
    the Markdown of round 6's dev decision 27009faffc98b8aa (no other development document opens
    an article so); checked on its DOCX and PDF renditions against the gold's leads; a made-up
    article whose label names no agency gives nothing."""
    gold = {t["path"].replace("Điều ", "Điều"): t["lead"]
            for t in json.loads((GOLD / "27009faffc98b8aa.json").read_text("utf-8"))["tasks"]}
    tasks = extract_article_tasks(read_source(DATA / folder / f"27009faffc98b8aa.{ext}", on_warning=lambda _m: None))[1]
    assert {t.path: t.lead for t in tasks if t.path.startswith("Điều3")} == gold
    md = "**Điều 3.** Các nội dung sau:\n\n1. Hồ sơ gồm bản sao giấy tờ.\n\n2. Thời hạn giải quyết là 05 ngày.\n"
    assert extract_article_tasks(read_bytes(md.encode("utf-8"), "qd.md", on_warning=lambda _m: None))[1] == []


def test_title_cut_inside_its_owners_name_is_joined() -> None:
    """"Điều 3. Trách nhiệm của Sở" / "Công Thương" (a hard-wrapped page whose bold the reader
    dropped): one capitalised word after "của" cannot end a body's name, the next title line
    goes on with it (structure._join_article_headings). Written on round 6's 0f2d0646af982d1b;
    checked on round 4's d71b3a48efad6d2c with its bold removed, which wraps three such titles."""
    from plankg.ingest.extract.articles import _articles
    from plankg.ingest.extract.structure import text_lines

    md = (DATA / "corpus" / "d71b3a48efad6d2c.md").read_text("utf-8").replace("**", "")
    heads = {a.number: a.head for a in _articles(text_lines(read_bytes(md.encode("utf-8"), "x.md",
                                                                        on_warning=lambda _m: None)))}
    assert heads["17"] == "Trách nhiệm của Sở Nông nghiệp và Môi trường"
    assert heads["18"] == "Trách nhiệm của Sở Khoa học và Công nghệ"
    assert heads["21"] == "Trách nhiệm của Sở Tài chính"
