"""The extraction worker pool streams (#11 item 3): a batch of any size keeps a bounded
number of jobs in flight, results come back in order, and the bulk loop gets a summary of
each extraction, not the extraction itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from pebble import ProcessPool

from plankg.ingest import pipeline, workers
from plankg.ingest.build.serialize import load_extraction
from plankg.ingest.readers import ReaderLimits
from tests.conftest import SEEDS


def _square(x: int) -> int:
    return x * x


def test_jobs_are_scheduled_in_a_bounded_window(monkeypatch: pytest.MonkeyPatch) -> None:
    scheduled: list[int] = []
    schedule = ProcessPool.schedule

    def counting(self: ProcessPool, fn, args=(), kwargs=None, timeout=None):  # type: ignore[no-untyped-def]
        scheduled.append(args[0])
        return schedule(self, fn, args=args, kwargs=kwargs or {}, timeout=timeout)

    monkeypatch.setattr(ProcessPool, "schedule", counting)
    jobs = [(i,) for i in range(60)]
    results = workers.run_jobs(_square, jobs, 2, None, lambda job, reason: -1)
    first = next(results)
    # before the first result is handed over, only the window was scheduled, not the batch
    assert first == 0 and len(scheduled) == 2 * workers.AHEAD_PER_WORKER + 1
    assert [first, *results] == [i * i for i in range(60)]
    assert scheduled == list(range(60))


def test_summary_job_saves_the_extraction_and_returns_its_report_fields(tmp_path: Path) -> None:
    files = sorted(p for p in SEEDS.iterdir() if p.suffix in pipeline.SUPPORTED_SUFFIXES)
    assert files
    path = files[0]
    pending = tmp_path / "pending.json"
    key, summary, error, _ = pipeline.extract_summary_job(str(path), path.name, str(pending), ReaderLimits())
    assert error is None and summary is not None and key == path.name
    saved = load_extraction(pending)
    assert summary == pipeline.Extracted.of(saved)
    assert (summary.tasks, summary.targets, summary.fmt) == (len(saved.tasks), len(saved.targets), saved.source.fmt)
    assert summary.tasks > 0  # a seed plan has tasks: the summary is not empty by accident



#: A lock of this module, as logging's or an HTTP client's would be.
_LOCK = __import__("threading").Lock()


def _square_under_the_lock(x: int) -> int:
    with _LOCK:
        return x * x


def test_workers_do_not_inherit_a_lock_another_thread_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process with other threads (one that served the web app) must not fork its workers:
    a lock another thread holds at the fork stays held for ever in the child, which hangs
    until the time limit (seen: an ingest after the app's TestClient reported the file failed)."""
    import threading

    with monkeypatch.context() as m:  # (an earlier test of this process may have left a thread)
        m.setattr(workers.threading, "active_count", lambda: 1)
        assert workers._context().get_start_method() == "fork"  # one thread: fork is safe and fast
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _LOCK:
            held.set()
            release.wait(60)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert held.wait(10)
    try:
        assert workers._context().get_start_method() == "forkserver"
        results = list(workers.run_jobs(_square_under_the_lock, [(i,) for i in range(4)], 2, 10.0,
                                        lambda job, reason: -1))
    finally:
        release.set()
        t.join(10)
    assert results == [0, 1, 4, 9]  # no job hung until the limit (-1)
