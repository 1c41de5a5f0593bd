"""Errors and warnings raised while reading source files.

The CLI shows these messages to end users, who are mostly Vietnamese civil servants,
so every message leads with Vietnamese and keeps the English in parentheses for
developers and bug reports: ``"Tệp rỗng (empty file)"``. The file name always comes
first so that a batch run over a folder says *which* file failed.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A source file that cannot be turned into a ``SourceText`` (or another ingest input).

    Two forms: ``IngestError(path, problem_vi, problem_en, detail=None)`` — what the
    readers raise, ``str()`` is ``"<file name>: <vi> (<en>)[ — detail]"``, and
    ``problem_vi``/``problem_en`` stay available so that callers can localise or group
    errors (e.g. count "empty file" failures) without parsing the message; and
    ``IngestError(message)`` — a ready-made bilingual message (pipeline, corrections).
    """

    def __init__(self, path: str | Path | None, problem_vi: str | None = None,
                 problem_en: str | None = None, detail: str | None = None):
        if problem_vi is None and problem_en is None:  # IngestError("ready-made message")
            self.path, self.problem_vi, self.problem_en, self.detail = None, None, None, detail
            super().__init__(str(path))
            return
        self.path = str(path) if path is not None else None
        self.problem_vi = problem_vi
        self.problem_en = problem_en
        self.detail = detail
        where = f"{Path(self.path).name}: " if self.path else ""
        en = f" ({problem_en})" if problem_en else ""
        extra = f" — {detail}" if detail else ""
        super().__init__(f"{where}{problem_vi or ''}{en}{extra}")


class IngestWarning(UserWarning):
    """Something the reader could handle but the user should know about
    (extension disagrees with content, legacy encoding, pages without text...)."""
