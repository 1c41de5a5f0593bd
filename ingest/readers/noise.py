"""Lines that are layout or signing artefacts, not content — marked, never deleted.

Why mark instead of delete: deleting would break the 1:1 line structure between
``SourceText.text`` and the file, and so every line number we report. Extractors call
:func:`noise_lines` and skip those lines (a task row must not swallow "9", the page
number printed between two halves of it, nor a repeated table header).

What counts as noise (``noise_report`` gives the reason per line):

* ``page-number`` — a lone "9", "- 9 -", "Trang 9", "9/30" set off by blank lines
  (text from PDF) or at the top/bottom of an explicit page (``\\f`` from our PDF reader);
* ``signature-stamp`` — the digital-signature stamps appended by the government CA
  ("CỤC CHỨNG THỰC SỐ VÀ BẢO MẬT THÔNG TIN", ISO timestamps, "… đã ký lên văn bản này!",
  seed 000's tail);
* ``repeated-table-header`` — a table header row printed again after a page break
  (the first occurrence is content and stays);
* ``running-header`` / ``running-footer`` — the same line at the top/bottom of most
  pages (only where pages are explicit).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from difflib import SequenceMatcher

from plankg.folding import fold, fold_cased
from plankg.ingest.model import SourceText

_PAGE_NUMBER = re.compile(
    r"^(?:-\s*\d{1,3}\s*-|\d{1,3}|(?:trang|page)\s*\d{1,3}(?:\s*(?:/|tren|of)\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3})$"
)
_STAMP_STRONG = [
    re.compile(r"da ky len van ban nay"),
    re.compile(r"ca@bcy\.gov\.vn"),
    re.compile(r"^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:z|[+-]\d{2}:?\d{2})?$"),
    re.compile(r"^(?:nguoi ky|ky boi|signed by|thoi gian ky|signing time|ky ngay)\s*:"),
]
_STAMP_WEAK = re.compile(r"^(?:co quan|to chuc|email|chuc vu|ngay ky|thoi gian)\s*:")
_HEADER_START = re.compile(r"^(?:stt|tt)(?:\s|$)")
_ROW_START = re.compile(r"^(?:[ivxlc]+|\d{1,3})(?:[.)]|\s|$)")


def noise_lines(source: SourceText) -> set[int]:
    """1-based line numbers (as in ``Span.line_start``) that extractors should skip."""
    return set(noise_report(source))


def noise_report(source: SourceText) -> dict[int, str]:
    """``{line number (1-based): reason}`` — see the module docstring for the reasons."""
    lines = source.text.split("\n")
    keys = [_key(ln) for ln in lines]
    pages = _page_ranges(source.original, len(lines))
    report: dict[int, str] = {}
    for i in _signature_stamps(lines, keys):
        report.setdefault(i + 1, "signature-stamp")
    for i in _page_numbers(lines, keys, pages):
        report.setdefault(i + 1, "page-number")
    for i in _repeated_headers(lines, keys):
        report.setdefault(i + 1, "repeated-table-header")
    for i, reason in _running_lines(lines, keys, pages, report):
        report.setdefault(i + 1, reason)
    return report


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", fold(line)).strip()


def _page_ranges(original: str, n_lines: int) -> list[tuple[int, int]]:
    """0-based ``[start, end)`` line ranges of explicit pages (``\\f``); one range if none."""
    starts = [0]
    for i, line in enumerate(original.split("\n")):
        if "\f" in line:
            start = i if line.lstrip(" \t").startswith("\f") else i + 1
            if start > starts[-1] and start < n_lines:
                starts.append(start)
    return list(zip(starts, starts[1:] + [n_lines]))


def _blank(keys: list[str], i: int) -> bool:
    return 0 <= i < len(keys) and not keys[i]


def _page_numbers(lines: list[str], keys: list[str], pages: list[tuple[int, int]]) -> list[int]:
    edges: set[int] = set()
    if len(pages) > 1:
        for start, end in pages:
            body = [i for i in range(start, end) if keys[i]]
            if body:
                edges.update({body[0], body[-1]})
    cands = [i for i, k in enumerate(keys) if _PAGE_NUMBER.match(k) and not lines[i].startswith("\t")]
    strong: dict[int, int] = {}
    weak: list[int] = []
    for i in cands:
        before = 0
        while _blank(keys, i - 1 - before):
            before += 1
        after_ok = i + 1 >= len(keys) or _blank(keys, i + 1)
        if i in edges or (before >= 2 and after_ok):
            strong[i] = _number(keys[i])
        elif before >= 1 and after_ok:
            weak.append(i)
    found = set(strong)
    for i in weak:  # a lone number that fits the page sequence found so far
        v = _number(keys[i])
        prev = [strong[j] for j in strong if j < i]
        nxt = [strong[j] for j in strong if j > i]
        if prev and v > max(prev) and (not nxt or v < min(nxt)):
            found.add(i)
    return sorted(found)


def _number(key: str) -> int:
    return int(re.findall(r"\d+", key)[0])


#: the CA's name as its stamp prints it, in capitals ("CỤC CHỨNG THỰC SỐ VÀ BẢO MẬT THÔNG TIN -
#: ĐT: …"); a sentence that names the same office ("3. Hướng dẫn … gửi Cục Chứng thực số và
#: Bảo mật thông tin …", a digital-signature regulation's duty) is content
_STAMP_ISSUER = re.compile(r"CHUNG THUC SO VA BAO MAT THONG TIN")


def _signature_stamps(lines: list[str], keys: list[str]) -> list[int]:
    anchors = [i for i, k in enumerate(keys)
               if any(rx.search(k) for rx in _STAMP_STRONG) or _STAMP_ISSUER.search(fold_cased(lines[i]))]
    marked: set[int] = set()
    clusters: list[list[int]] = []
    for i in anchors:
        if clusters and i - clusters[-1][-1] <= 6:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for cl in clusters:
        lo, hi = cl[0], cl[-1]
        while lo - 1 >= 0 and (_STAMP_WEAK.match(keys[lo - 1]) or _indented_short(lines[lo - 1])):
            lo -= 1
        while hi + 1 < len(keys) and (_STAMP_WEAK.match(keys[hi + 1]) or _indented_short(lines[hi + 1])):
            hi += 1
        marked.update(range(lo, hi + 1))
    return sorted(marked)


def _indented_short(line: str) -> bool:
    """Stamp blocks are tab-indented short lines ("\\tTỉnh Bình Phước")."""
    return line.startswith("\t") and 0 < len(line.strip()) <= 60


def _similar(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 8 and SequenceMatcher(None, a, b).ratio() >= 0.9)


def _repeated_headers(lines: list[str], keys: list[str]) -> list[int]:
    """Header rows ("Stt Tên nhiệm vụ Cơ quan …") seen again later: mark the repeats."""
    blocks: list[list[str]] = []  # the first occurrence of each header: its non-blank lines
    marked: list[int] = []
    for i, k in enumerate(keys):
        if not _HEADER_START.match(k):
            continue
        following = [j for j in range(i + 1, min(len(keys), i + 16)) if keys[j]][:6]
        best: list[int] = []
        for block in blocks:
            if not _similar(k, block[0]):
                continue
            matched = [i]
            for j, ref in zip(following, block[1:]):
                if not _similar(keys[j], ref):
                    break
                matched.append(j)
            if sum(len(keys[j]) for j in matched) >= 12 and len(matched) > len(best):
                best = matched
        if best:
            marked.extend(range(best[0], best[-1] + 1))
        else:
            header = [k]
            for j in following:
                if _ROW_START.match(keys[j]):
                    break
                header.append(keys[j])
            blocks.append(header)
    return marked


def _running_lines(lines: list[str], keys: list[str], pages: list[tuple[int, int]],
                   known: dict[int, str]) -> list[tuple[int, str]]:
    """Lines repeated at the top (bottom) of at least half of the explicit pages."""
    if len(pages) < 2:
        return []
    tops: dict[str, list[int]] = defaultdict(list)
    bottoms: dict[str, list[int]] = defaultdict(list)
    for start, end in pages:
        body = [i for i in range(start, end) if keys[i] and (i + 1) not in known]
        if body:
            tops[re.sub(r"\d+", "#", keys[body[0]])].append(body[0])
            bottoms[re.sub(r"\d+", "#", keys[body[-1]])].append(body[-1])
    need = max(2, math.ceil(len(pages) / 2))
    out: list[tuple[int, str]] = []
    for table, reason in ((tops, "running-header"), (bottoms, "running-footer")):
        for idx in table.values():
            if len(idx) >= need:
                out.extend((i, reason) for i in idx)
    return out
