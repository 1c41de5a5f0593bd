"""Task precision on pages without an assignment cue (issue #10, stop 21, branch h10p): the
classes of invented tasks that round 6's former held-out half showed (published procedure
records, closing formulas in other words, letter closings, delegated powers), and what must
stay.

Each rule was written while reading one document of round 6's former held-out half and is
tested here on another document or on a rendition (DOCX, PDF) it was not written on; each
rendition is extracted once per process (``tests.conftest.extract_corpus``).
"""

from __future__ import annotations

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
