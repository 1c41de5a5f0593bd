"""Which article titles hand out work: the one rule for a duty title joined to a non-duty one.

A title that opens with a non-duty heading ("Thẩm quyền", "Quy trình": what a regulation
empowers or how a procedure runs) but joins a duty heading to it ("Thẩm quyền, trách nhiệm …",
"Quy trình, trách nhiệm của …") is a duty article (``assignments.duty_article``, the rule's one
home since stop 21; it was written twice before, as a "trách nhiệm" regex in
``paragraphs.non_duty_article`` and as four combined entries of ``duty_article_headings``). It was
written for 475126f38cb26cc2 (round 6 dev, "Thẩm quyền, trách nhiệm quản lý nhà nước …"); it is
checked here on a round-5 resolution it was not written for, 5eaeb632f6582871 (Hà Nội's title
award), whose titles and duty clauses are read from the document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.extract.articles import _articles, extract_article_tasks
from plankg.ingest.extract.assignments import duty_article
from plankg.ingest.extract.paragraphs import non_duty_article
from plankg.ingest.extract.structure import text_lines
from plankg.ingest.readers import read_source

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


@pytest.fixture(scope="module")
def award():
    return read_source(CORPUS / "5eaeb632f6582871.md", on_warning=lambda _m: None)


def test_joined_duty_title_is_a_duty_article(award) -> None:
    """Điều 6 "Quy trình, trách nhiệm của các địa phương …" hands out work; Điều 4 "Thẩm quyền
    tặng, thu hồi" and Điều 1–2 (scope, subjects) do not; "Tổ chức thực hiện" does."""
    heads = {a.number: a.head for a in _articles(text_lines(award))}
    assert heads["6"].startswith("Quy trình, trách nhiệm")
    assert duty_article(heads["6"]) and not non_duty_article(heads["6"])
    for n in ("1", "2", "4"):
        assert non_duty_article(heads[n]) and not duty_article(heads[n])
    assert duty_article(heads["11"]) and not non_duty_article(heads["11"])
    # the two decisions never disagree: a duty title is never a non-duty one
    assert not [h for h in heads.values() if duty_article(h) and non_duty_article(h)]


def test_joined_duty_article_clauses_are_tasks(award) -> None:
    """Its clause 2 ("a) Các địa phương, cơ quan, đơn vị chịu trách nhiệm …", "b) Sở Nội vụ
    thành phố Hà Nội chịu trách nhiệm thẩm định …") are read as tasks of their subjects."""
    tasks = {t.path: t for t in extract_article_tasks(award)[1]}
    assert tasks["Điều6.2.b"].lead == ["Sở Nội vụ thành phố Hà Nội"]
    assert tasks["Điều6.2.a"].lead == ["Các địa phương, cơ quan, đơn vị"]
