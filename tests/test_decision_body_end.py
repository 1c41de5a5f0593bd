"""A decision's next article ends the plan it approves (issue #10 item 3: a task's text and
provenance are the plan's item only). Read on 2edf5927c71bc4c1's Markdown; tested on its DOCX
rendition, which another reader turns into lines."""

from __future__ import annotations

import re
from pathlib import Path

from plankg.ingest.extract import extract
from plankg.ingest.readers import read_source

DOCX = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus_docx"


def test_a_decisions_next_article_ends_the_plan_it_approves() -> None:
    """2edf5927c71bc4c1 (DOCX rendition; read on the Markdown): a decision prints the approved
    programme inside "Điều 1" and goes on with "Điều 2. Quyết định này có hiệu lực …" and
    "Điều 3. … chịu trách nhiệm thi hành …" — no task's text runs on into an article."""
    src = read_source(DOCX / "2edf5927c71bc4c1.docx")
    assert re.search(r"(?m)^\W*Điều 2\.", src.text)
    tasks = extract(src).tasks
    assert tasks
    assert not [t.path for t in tasks if re.search(r"(?:^|\s)Điều [23]\s*\.", t.text)]
