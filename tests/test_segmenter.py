"""pyvi through :mod:`plankg.segmenter` leaves no model file in the temp folder.

sklearn-crfsuite writes each pyvi CRF model to a temp file when it is unpickled and deletes
it only in a finaliser; a worker process of the ingest's pool ends without finalisers, so
every worker used to leave ``model*.crfsuite`` files (4.7 MB) behind. The control child loads
pyvi directly and shows that this setting does leak; the other child loads it through
plankg and leaves the folder empty while segmenting and tagging as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import multiprocessing as mp, sys

def direct(q):
    from pyvi import ViTokenizer
    q.put(ViTokenizer.tokenize("chuyển đổi số"))

def through_plankg(q):
    from plankg.segmenter import vi_pos_tagger, vi_tokenizer
    words = vi_tokenizer().tokenize("Sở Khoa học và Công nghệ chủ trì xây dựng cơ sở dữ liệu")
    q.put((words, list(vi_pos_tagger().postagging(words)[1])))

if __name__ == "__main__":
    ctx = mp.get_context("fork")  # as the ingest pool: a forked child ends with os._exit, no finalisers
    q = ctx.Queue()
    target = direct if sys.argv[1] == "direct" else through_plankg
    p = ctx.Process(target=target, args=(q,))
    p.start()
    p.join(120)
    print(repr(q.get(timeout=5)))
"""


def _run(tmp: Path, how: str) -> str:
    env = {**os.environ, "TMPDIR": str(tmp)}
    script = tmp.parent / "child.py"
    script.write_text(CHILD, "utf-8")
    out = subprocess.run([sys.executable, str(script), how], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_pyvi_worker_leaves_no_model_file(tmp_path: Path) -> None:
    direct, mine = tmp_path / "direct", tmp_path / "plankg"
    direct.mkdir()
    mine.mkdir()
    assert "chuyển_đổi số" in _run(direct, "direct")
    assert list(direct.glob("*.crfsuite")), "control: a worker loading pyvi directly leaves its model file"
    printed = _run(mine, "plankg")
    assert "cơ_sở dữ_liệu" in printed and "Khoa_học" in printed
    assert "'V'" in printed  # "chủ_trì" / "xây_dựng" tagged as verbs: the tagger still works
    assert not list(mine.glob("*")), "a worker using plankg.segmenter left files in the temp folder"
