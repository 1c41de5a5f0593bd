"""Errors and warnings raised while reading source files.

The CLI shows these messages to end users, who are mostly Vietnamese civil servants,
so every message leads with Vietnamese and keeps the English in parentheses for
developers and bug reports: ``"Tệp rỗng (empty file)"``. The file name always comes
first so that a batch run over a folder says *which* file failed.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A source file that cannot be turned into a ``SourceText``.

    ``problem_vi``/``problem_en`` are kept separately so that callers can localise or
    group errors (e.g. count "empty file" failures) without parsing the message.
    """

    def __init__(self, path: str | Path | None, problem_vi: str, problem_en: str, detail: str | None = None):
        self.path = str(path) if path is not None else None
        self.problem_vi = problem_vi
        self.problem_en = problem_en
        self.detail = detail
        where = f"{Path(self.path).name}: " if self.path else ""
        extra = f" — {detail}" if detail else ""
        super().__init__(f"{where}{problem_vi} ({problem_en}){extra}")


class IngestWarning(UserWarning):
    """Something the reader could handle but the user should know about
    (extension disagrees with content, legacy encoding, pages without text...)."""
