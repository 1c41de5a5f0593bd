#!/usr/bin/env python3
"""Copy round-7 gold candidates from their public source into tests/data/corpus/<stem>.md.

Round 7 (tests/gold/corpus/round7.json) comes from ``hrmaster1982-dev/phapluat-8chude-data``:
each candidate is the text layer of one signed Official Gazette (Công báo) PDF, as that
repository stores it (``docs/<topic>/<slug>.txt``). The document itself is copied verbatim;
only the gazette's wrapper is cut:

* page furniture: the running head ``CÔNG BÁO/Số … /Ngày dd-mm-yyyy``, the page number on the
  line before or after it, and a line holding only the gazette's id of the document (the
  slug's trailing number);
* the digital-signature stamps laid over a page: the gazette's (``Ký bởi: CÔNG BÁO …`` /
  ``Cơ quan: …`` / ``Ngày ký: …``) and, on older issues, the Government portal's (``Người ký:
  Cổng Thông tin điện tử Chính phủ`` / ``Email: …`` / ``Cơ quan: …`` / ``Thời gian ký: …``);
* the continuation notes ``(Xem tiếp Công báo số …)`` / ``(Tiếp theo Công báo số …)``;
* before the document's header only: the gazette's section headings (``VĂN BẢN QUY PHẠM PHÁP
  LUẬT``, ``VĂN BẢN PHÁP LUẬT KHÁC``, …) and its issuer heading when the document's own issuer
  cell repeats it on the next line(s).

Blank lines around a cut page break go with it (the text layer marks no paragraph with a blank
line, so a sentence split by a page break stays one paragraph); elsewhere trailing spaces are
stripped and runs of blank lines collapse to one. Line breaks are the PDF's and are kept. Nothing from plankg is imported.

    python tests/data/round7_import.py SOURCE                 # every candidate of round7.json
    python tests/data/round7_import.py SOURCE 02e7b5bbb2d8b816 # the named stems only

SOURCE is a clone or bare mirror of the repository; the file is read at round7.json's commit
(``git show``), so a newer checkout does not change the copy.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUND7 = HERE.parent / "gold" / "corpus" / "round7.json"
OUT = HERE / "corpus"

RUNNING_HEAD = re.compile(r"CÔNG BÁO/Số .*/Ngày \d{1,2}-\d{1,2}-\d{4}")
PAGE_NUMBER = re.compile(r"\d{1,4}")
CONTINUED = re.compile(r"\((Xem tiếp|Tiếp theo) Công báo số [^)]*\)")
#: the signature stamps the gazette (``Ký bởi: CÔNG BÁO …``) or, on older issues, the Government
#: portal (``Người ký: Cổng Thông tin điện tử Chính phủ``) laid over a page: the first line and
#: the stamp's own lines right after it
STAMP_START = re.compile(r"Ký bởi: CÔNG BÁO.*|Người ký: Cổng Thông tin điện tử Chính phủ", re.IGNORECASE)
STAMP_LINE = re.compile(r"(Email|Cơ quan): .*|(Ngày|Thời gian) ký: .*\d\d:\d\d:\d\d.*")
SECTION_HEADINGS = {"VĂN BẢN QUY PHẠM PHÁP LUẬT", "VĂN BẢN PHÁP LUẬT KHÁC", "VĂN BẢN HỢP NHẤT",
                    "VĂN BẢN KHÁC", "ĐIỀU ƯỚC QUỐC TẾ"}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _collapse(line: str) -> str:
    return " ".join(line.split())


def cut_wrapper(text: str, gazette_id: str) -> str:
    """The document of one gazette text layer, without the gazette's wrapper (module doc)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    drop = [False] * len(lines)

    def neighbours(i: int) -> list[int]:
        """Indexes of the nearest non-blank lines before and after line i."""
        found = []
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if 0 <= j < len(lines):
                found.append(j)
        return found

    page = None  # the last page number cut: the next one is page + 1
    for i, line in enumerate(lines):
        s = line.strip()
        if RUNNING_HEAD.fullmatch(s) or CONTINUED.fullmatch(s) or s == gazette_id:
            drop[i] = True
            if RUNNING_HEAD.fullmatch(s):
                # the page number sits before the head on some pages, after it on others; a
                # table cell holding only a number can sit on the other side, so when both
                # sides hold a number the page sequence decides (on the first page: the line
                # before, when nothing precedes it)
                numbers = [j for j in neighbours(i) if PAGE_NUMBER.fullmatch(lines[j].strip()) and not drop[j]]
                if len(numbers) == 2:
                    fits = [j for j in numbers if page is not None and int(lines[j]) == page + 1]
                    first = numbers[0] == min(k for k, x in enumerate(lines) if x.strip())
                    numbers = fits[:1] if fits else numbers[:1] if first else numbers[1:]
                for j in numbers:
                    drop[j] = True
                    page = int(lines[j])
        elif STAMP_START.fullmatch(s):
            drop[i] = True
            k = i + 1
            while k < len(lines) and k <= i + 3 and STAMP_LINE.fullmatch(lines[k].strip()):
                drop[k] = True
                k += 1
    # A page break leaves blank lines around the furniture; the text layer marks no paragraph
    # with a blank line, so a run of blank and cut lines closes up (the sentence a page break
    # splits stays one paragraph).
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (drop[j] or not lines[j].strip()):
            j += 1
        if j > i and any(drop[i:j]):
            for k in range(i, j):
                drop[k] = True
        i = max(j, i + 1)
    kept = [line for line, d in zip(lines, drop) if not d]

    # Before the document's header: the gazette's section and issuer headings.
    body = [i for i, line in enumerate(kept) if line.strip()]
    motto = next((n for n, i in enumerate(body) if _collapse(kept[i]).upper().replace("HOÀ", "HÒA").startswith(MOTTO)), None)
    lead = body[: motto if motto is not None else 0]
    cut: set[int] = set()
    for n, i in enumerate(lead):
        if _collapse(kept[i]) in SECTION_HEADINGS:
            cut.add(i)
            continue
        for width in (1, 2, 3):  # the issuer heading, then the document's issuer cell over 1-3 lines
            nxt = body[n + 1 : n + 1 + width]
            if len(nxt) == width and _collapse(" ".join(kept[j] for j in nxt)) == _collapse(kept[i]):
                cut.add(i)
                break
        break  # only the first line after the section headings can be the issuer heading
    kept = [line for i, line in enumerate(kept) if i not in cut]

    out: list[str] = []
    for line in kept:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def git_show(source: str, commit: str, path: str) -> str:
    return subprocess.run(["git", "-C", source, "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="clone or bare mirror of round7.json's repository")
    ap.add_argument("stems", nargs="*", help="stems to import (default: every candidate)")
    args = ap.parse_args()
    round7 = json.loads(ROUND7.read_text("utf-8"))
    repo, commit = round7["source"]["repo"], round7["source"]["commit"]
    order = {c["stem"]: c for c in round7["tasks"]["order"]}
    wanted = [s.removesuffix(".md") for s in args.stems] or list(order)
    unknown = [s for s in wanted if s not in order]
    if unknown:
        print(f"not a round-7 candidate: {', '.join(unknown)}", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    for stem in wanted:
        path = order[stem]["path"]
        gazette_id = re.search(r"-(\d+)\.txt$", path).group(1)
        text = cut_wrapper(git_show(args.source, commit, path), gazette_id)
        (OUT / f"{stem}.md").write_text(text, "utf-8")
        print(f"{stem}.md <- {repo}@{commit[:12]}:{path} ({len(text)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
