"""Task precision on pages without an assignment cue (issue #10, stop 21, branch h10p): the
classes of invented tasks that round 6's former held-out half showed (published procedure
records, closing formulas in other words, letter closings, delegated powers), and what must
stay.

Each rule was written while reading one document of round 6's former held-out half and is
tested here on another document or on a rendition (DOCX, PDF) it was not written on; each
rendition is extracted once per process (``tests.conftest.extract_corpus``).
"""

from __future__ import annotations

from plankg.ingest.model import Extraction
from tests.conftest import extract_corpus as extracted
from tests.test_short_doc_tasks import _keeps_required


def test_a_published_procedure_record_assigns_no_work() -> None:
    """The record of a published administrative procedure ("4. Thời hạn giải quyết:" / "- Trong
    thời hạn 05 ngày làm việc …, Sở Tư pháp trình …"; "6. Cơ quan giải quyết TTHC:" / "+ Cơ quan
    có thẩm quyền quyết định: UBND tỉnh."; "1.6. Cơ quan giải quyết thủ tục hành chính: Bộ …"
    under "NỘI DUNG CỤ THỂ CỦA THỦ TỤC HÀNH CHÍNH NỘI BỘ") says how the procedure runs: no task.
    Written on the Markdown of 1b479d81b4a8f42e and c37e0ca0510350f4; tested on their DOCX and
    PDF renditions, where c37e0ca0510350f4's Điều 2 ("Giao Văn phòng … thực hiện công khai thủ
    tục hành chính …") stays; and on a regulation of another city (edc6fac0e3b32fd3, round 3)
    whose own article "Điều 3. Trình tự thực hiện" gives a commune committee work: one field
    heading among articles is no procedure record."""
    assert [t.path for t in extracted("1b479d81b4a8f42e", "docx").tasks] == []
    assert [t.path for t in extracted("c37e0ca0510350f4", "pdf").tasks] == ["Điều2"]
    regulation = extracted("edc6fac0e3b32fd3", "md")
    assert [t.lead for t in regulation.tasks if t.path.startswith("Điều3")] == [["Ủy ban nhân dân cấp xã"]]
    _keeps_required(regulation, "edc6fac0e3b32fd3", 12)


def _starts(ex: Extraction) -> list[str]:
    return [" ".join(t.text.split())[:60] for t in ex.tasks]


def test_the_closing_formula_in_other_words_is_no_task() -> None:
    """"Chánh Văn phòng …, Giám đốc Sở …, Chủ tịch UBND các phường, xã … căn cứ Quyết định này thực
    hiện./.": the executing article in other words, matched only where it ends the sentence.
    Written on the Markdown of 14d45619867d65a2; tested on its PDF and on another province's
    decision (14893cd21e801bb3, DOCX) whose "Sở Tài chính chủ trì, … căn cứ Quyết định này xây
    dựng quy trình nội bộ …" is work and stays."""
    assert extracted("14d45619867d65a2", "pdf").tasks == []
    other = extracted("14893cd21e801bb3", "docx")
    assert any(s.startswith("Sở Tài chính chủ trì") for s in _starts(other))
    _keeps_required(other, "14893cd21e801bb3", 2)


def test_a_letter_that_tells_its_addressee_is_no_task() -> None:
    """"Cục trưởng Cục hải quan báo để Công ty … biết và thực hiện./.": a letter's closing, the
    informing verb right after the signer. Written on the Markdown of f902003eceb8dedf; tested on
    its DOCX, and on a regulation of another province (be5392d4f50c27a6, round 3) whose "…, các sở,
    ban, ngành có văn bản giải trình, trả lời để cử tri biết." is work and stays."""
    assert extracted("f902003eceb8dedf", "docx").tasks == []
    regulation = extracted("be5392d4f50c27a6", "md")
    assert any("trả lời để cử tri biết" in t.text for t in regulation.tasks)
    _keeps_required(regulation, "be5392d4f50c27a6", 52)


def test_an_article_titled_with_the_delegate_lists_powers() -> None:
    """A decentralisation decision whose scope says "Quyết định này quy định việc phân cấp của Chủ
    tịch … cho Sở Giáo dục và Đào tạo …", then "Điều 2. Sở Giáo dục và Đào tạo" / "1. Quyết định việc
    nâng bậc lương …": the powers handed over; "Điều 3. Tổ chức thực hiện" / "1. Sở … có trách nhiệm
    định kỳ báo cáo …" stays. Written on the Markdown of fc5e61d70df8c70c; tested on its DOCX, and
    on another province's decentralisation (0f2d0646af982d1b, round 6 dev) whose "Điều 3. Trách
    nhiệm của Sở Công Thương" names duties and keeps its two tasks."""
    assert [t.path for t in extracted("fc5e61d70df8c70c", "docx").tasks] == ["Điều3.1"]
    other = extracted("0f2d0646af982d1b", "md")
    assert [t.path for t in other.tasks if t.path.startswith("Điều3")] == ["Điều3.1", "Điều3.2"]


def test_a_catalogue_of_procedures_headed_with_abbreviations_is_no_task_table() -> None:
    """"STT | Mã số TTHC | Tên TTHC | Tên văn bản quy phạm pháp luật … | Lĩnh vực | Cơ quan thực
    hiện": a ministry's catalogue of administrative procedures, its header abbreviated; no row is
    a task. Written on the Markdown of 266dbea1c7803ae9; tested on its DOCX and PDF."""
    for fmt in ("docx", "pdf"):
        assert [t.path for t in extracted("266dbea1c7803ae9", fmt).tasks if t.origin == "appendix"] == []


def test_the_issuers_agreement_with_a_view_is_no_task() -> None:
    """"Căn cứ các quy định nêu trên …, Cục Thuế cơ bản thống nhất với quan điểm xử lý của Thuế tỉnh
    Hà Tĩnh: …": the issuer agrees, it gives no work; the letter's request ("Đề nghị Thuế tỉnh Hà
    Tĩnh … hướng dẫn …") stays. Written on the Markdown of 66b33234a2c7e4bf; tested on its PDF."""
    ex = extracted("66b33234a2c7e4bf", "pdf")
    assert [t.lead for t in ex.tasks] == [["Thuế tỉnh Hà Tĩnh"]]


def test_an_article_that_opens_by_authorising_is_no_task() -> None:
    """"Điều 1. Ủy quyền cho Giám đốc Sở Nông nghiệp và Môi trường tiếp nhận, thẩm định …", "Điều 2.
    Ủy quyền cho Lãnh đạo Bộ Xây dựng thay mặt Chính phủ … ký Hiệp định …": the issuer hands over a
    competence (its subject unnamed); the duties after it stay ("Điều 3. Trách nhiệm của Giám đốc
    Sở …" / "2. Bố trí nhân lực …"; "Điều 4. Bộ Ngoại giao hoàn tất …"). Written on the Markdown of
    e4fe6376a6d82fcc and b241b75dc4e6df64 (their DOCX and PDF renditions never read Điều 1 / 2 as
    a task); the rule itself is checked on another province's authorisation (0a5a51958af8e293,
    Thanh Hóa) and on a minister's required task that acts "thừa ủy quyền" (ccb7cba554ea36d2)."""
    from plankg.ingest.extract.articles import _opens_delegation

    assert _opens_delegation("Ủy quyền cho Chánh Văn phòng Ủy ban nhân dân tỉnh công bố thủ tục hành chính")
    assert not _opens_delegation("Thừa ủy quyền Thủ tướng Chính phủ, thay mặt Chính phủ ký Tờ trình của Chính phủ")
    assert not _opens_delegation("Chánh Văn phòng Ủy ban nhân dân tỉnh chịu trách nhiệm trước Ủy ban nhân dân tỉnh "
                                 "về việc thực hiện nhiệm vụ được ủy quyền")
    ex = extracted("e4fe6376a6d82fcc", "md")
    assert [t.path for t in ex.tasks] == ["Điều3.1", "Điều3.2"]
    assert [t.path for t in extracted("b241b75dc4e6df64", "md").tasks] == ["Điều3", "Điều4"]


def test_scored_criteria_are_no_tasks() -> None:
    """"5. Kết quả hoạt động (30 điểm)" / "5.3. Huy động các nguồn lực (08 nguồn lực, mỗi loại cho 01
    điểm): Từ các phòng, ban … Các doanh nghiệp.": what earns points is a criterion. Written on the
    Markdown of 3870cd0c35318a44; the heading test is checked on the criteria of another city's
    evaluation rules (corpus 1a434d0a7e14dc93, "Tiêu chí đánh giá, xếp loại công tác dân vận"), and
    a heading with a number but no score stays a heading."""
    from plankg.ingest.extract.task_checks import gives_score, load_not_tasks

    vocab = load_not_tasks()
    assert gives_score("Kết quả thực hiện công tác dân vận chính quyền và thực hiện dân chủ ở cơ sở (90 điểm)", vocab)
    assert gives_score("Điểm thưởng: Tối đa (03 điểm)", vocab)
    assert gives_score("Huy động các nguồn lực (08 nguồn lực, mỗi loại cho 01 điểm)", vocab)
    assert not gives_score("Tổ chức thực hiện (giai đoạn 2026 - 2030)", vocab)
    assert not gives_score("Điểm a khoản 2 Điều 5 (10 ngày)", vocab)
    assert extracted("3870cd0c35318a44", "md").tasks == []


def test_pdf_paragraphs_of_a_short_letter_stay_apart() -> None:
    """The PDF reader reads the spacing between lines of one paragraph after full lines: a letter
    of one- and two-line paragraphs has more paragraph spaces than line spaces, and "… tiền thuê
    đất." above "Đề nghị Thuế tỉnh …" was read as one paragraph, so the request was lost. Written
    on 1871c6bc374a0bc4; tested on another document's PDF (04e0c7e10cd38cdd), whose list items
    "2. Cửa khẩu …;" and "3. Cửa khẩu …;" were joined the same way (its DOCX keeps them apart)."""
    from pathlib import Path

    from plankg.ingest.readers import read_source

    pdf = Path(__file__).parent / "data" / "corpus_pdf" / "04e0c7e10cd38cdd.pdf"
    lines = read_source(pdf, on_warning=lambda _m: None).text.splitlines()
    assert "3. Cửa khẩu Cảng hàng không quốc tế Vinh;" in lines
    assert [t.lead for t in extracted("1871c6bc374a0bc4", "pdf").tasks] == [["Thuế tỉnh Đắk Lắk"]]
