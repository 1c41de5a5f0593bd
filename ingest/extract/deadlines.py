"""Printed deadlines ("Thời gian hoàn thành", horizons) → :class:`Deadline` intervals.

Why intervals: a plan says "12/2025", "Quý IV/2025" or "2026-2027", never one day, and a
question like "what is due by the end of 2025?" needs both ends. Decisions:

- A month, quarter, half-year or year is the interval from its first to its last day
  ("12/2025" → 2025-12-01..2025-12-31); a single date is a one-day interval.
- "Trước X" (before X): ``before=True``, ``end`` = the first day of X (exclusive bound),
  ``start`` None. "Đến X" (by X): ``end`` = the last day of X, ``start`` None.
- "Thường xuyên", "Nhiệm vụ thường xuyên", "liên tục" → ``recurrence="continuous"``;
  "Hằng năm"/"Hàng năm" → ``"annual"``; both keep any dates printed with them
  ("Tháng 8/2025 và thường xuyên" → August 2025 + continuous).
- "2025 và những năm tiếp theo" / "từ năm 2025" → open-ended: ``start`` 2025-01-01,
  ``end`` None, and (for "những năm tiếp theo") ``continuous`` — the task continues from
  2025 on; "annual" is kept for explicitly yearly work ("Hằng năm").
- Unparseable text → ``Deadline(text, None, None)`` so the printed words are kept; only
  an empty (or "-") cell gives None.
Matching folds accents, so OCR text ("Thuong xuyen", "Quy IV/2025") parses the same. The
rhythm words are data (``ontology/registry/deadline_phrases.yaml``).

The second half of the module is the phrase grammar of prose (:func:`deadline_phrase`: where a
sentence dates its work), its one home since stop 21.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

import yaml

from plankg.folding import fold
from plankg.ingest.model import Deadline, Recurrence, TaskRecord
from plankg.ontology import REGISTRY_DIR

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Y = r"((?:19|20)\d\d)(?!\d)"
_FULL = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*" + _Y)
_FULL_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*" + _Y)
_RANGE = re.compile(r"(?<!\d)" + _Y + r"\s*(?:-|–|—|den(?:\s+nam)?)\s*" + _Y)
_QUARTER = re.compile(r"\b(?:quy|q)\s*(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|nam)\s*" + _Y + ")?")
_HALF = re.compile(r"(?:6\s*thang|nua)\s*(dau|cuoi)\s*nam(?:\s*" + _Y + ")?")
_MONTH = re.compile(r"(?<![\d/])(?:thang\s*)?(\d{1,2})\s*/\s*" + _Y)
_MONTH_WORDS = re.compile(r"thang\s*(\d{1,2})(?:\s*nam\s*" + _Y + r")?(?![\d/])")
_DAY_MONTH = re.compile(r"(?<![\d/])(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_YEAR = re.compile(r"(?<!\d)" + _Y)


def _month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


#: A dash between two printed periods ("Quý IV/2025- Quý II/2026"): the dash is followed by a
#: word, so "2025-2026" (:data:`_RANGE`) and dates are not split.
_PERIOD_DASH = re.compile(r"\s*[-–]\s*(?=[a-z])")


def _interval(t: str, default_year: int | None) -> tuple[date, date] | None:
    """The period the text names: two periods joined by a dash are one span from the start of
    the first to the end of the second; otherwise the first period, most specific pattern first."""
    parts = _PERIOD_DASH.split(t, maxsplit=1)
    if len(parts) == 2:
        first, last = _one_interval(parts[0], default_year), _one_interval(parts[1], default_year)
        if first and last and last[1] >= first[0]:
            return first[0], last[1]
    return _one_interval(t, default_year)


def _one_interval(t: str, default_year: int | None) -> tuple[date, date] | None:
    """The first period the text names, most specific pattern first."""
    try:
        if m := _FULL.search(t) or _FULL_WORDS.search(t):
            d = date(int(m[3]), int(m[2]), int(m[1]))
            return d, d
        if m := _RANGE.search(t):
            return date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
        if (m := _QUARTER.search(t)) and (m[2] or default_year):
            q = _ROMAN.get(m[1]) or int(m[1])
            y = int(m[2] or default_year)  # type: ignore[arg-type]
            return _month(y, 3 * q - 2)[0], _month(y, 3 * q)[1]
        if (m := _HALF.search(t)) and (m[2] or default_year):
            y = int(m[2] or default_year)  # type: ignore[arg-type]
            return (date(y, 1, 1), date(y, 6, 30)) if m[1] == "dau" else (date(y, 7, 1), date(y, 12, 31))
        if m := _MONTH.search(t):
            return _month(int(m[2]), int(m[1]))
        if (m := _DAY_MONTH.search(t)) and default_year:
            d = date(default_year, int(m[2]), int(m[1]))
            return d, d
        if (m := _MONTH_WORDS.search(t)) and (m[2] or default_year):
            return _month(int(m[2] or default_year), int(m[1]))  # type: ignore[arg-type]
        if m := _YEAR.search(t):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:  # 31/2/2025, month 13: not a date
        return None
    return None


@lru_cache(maxsize=1)
def _rhythms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(continuous, annual): the rhythm words of ``deadline_phrases.yaml``, folded, each
    phrase's words joined with or without spaces; annual words match whole."""
    with open(REGISTRY_DIR / "deadline_phrases.yaml", encoding="utf-8") as fh:
        words = yaml.safe_load(fh)["recurrence"]

    def alternation(key: str) -> str:
        phrases = sorted({fold(w).lower() for w in words.get(key) or []}, key=len, reverse=True)
        return "|".join(r"\s*".join(re.escape(x) for x in p.split()) for p in phrases)

    return re.compile(f"(?:{alternation('continuous')})"), re.compile(rf"\b(?:{alternation('annual')})\b")


def parse_deadline(text: str, *, default_year: int | None = None) -> Deadline | None:
    """Parse a printed deadline; ``default_year`` completes dates printed without a year."""
    printed = re.sub(r"\s+", " ", text).strip()
    printed = re.sub(r"\s*\./\.$", "", printed).strip()  # the document's end marker "./."
    t = fold(printed)
    if not re.search(r"[a-z0-9]", t):
        return None
    recurrence: Recurrence = "none"
    continuous, annual = _rhythms()
    if continuous.search(t):
        recurrence = "continuous"
    elif annual.search(t):
        recurrence = "annual"
    span = _interval(t, default_year)
    if span is None:
        return Deadline(text=printed, start=None, end=None, recurrence=recurrence, before=bool(re.match(r"truoc\b", t)))
    start: date | None
    end: date | None
    start, end = span
    before = bool(re.search(r"\btruoc\b", t))
    if before:
        start, end = None, start
    elif re.search(r"\bden\s+(?:het\s+)?(?:ngay|thang|nam|quy)\b|^den\b", t):
        start = None
    elif re.search(r"tiep\s*theo|tro\s*di|tro\s*ve\s*sau|^tu\b", t):
        end = None
    return Deadline(text=printed, start=start, end=end, recurrence=recurrence, before=before)


# -- the phrase grammar of prose: where a sentence dates its work ------------------------
# (moved here from narrative.py at stop 21 so that the finding and the reading of a deadline
# phrase have one home; narrative and articles call :func:`deadline_phrase`)

#: The year a date printed without one falls in ("… hằng năm", "… (của) năm sau/tiếp theo", "…
#: của năm"), kept with the date as the gold keeps it (CONVENTIONS §3); never "năm 2025".
_YEAR_OF_DATE = (r"(?:\s+h\S{1,3}ng\s+n\S{1,3}m\b|(?:\s+c\S{1,2}a)?\s+n\S{1,3}m"
                 r"(?:\s+(?:sau|nay|ti\S{1,3}p\s+theo|k\S{1,3}\s+ti\S{1,3}p))?\b(?!\s*\d))")
_PHRASE = re.compile(
    r"(?P<d>th\S{1,2}i\s+(?:gian|h\S{1,2}n)(?:\s+(?:th\S{1,2}c\s+hi\S{1,3}n|ho\S{1,2}n\s+th\S{1,3}nh))?\s*:\s*[^.;]+"
    r"|(?:ho\S{1,2}n\s+th\S{1,3}nh|xong)\s+(?:tr\S{1,3}c|trong|ch\S{1,2}m\s+nh\S{1,2}t)\s+[^.;,:]*?\d{4}"
    r"|tr\S{1,3}c\s+ng\S{1,3}\s+\d{1,2}\s+c\S{1,2}a\s+th\S{1,3}ng\s+cu\S{1,3}i\s+qu[yi]\b"
    r"|tr\S{1,3}c\s+(?:ng\S{1,3}|th\S{1,3}ng|qu\S{1,2})\s+(?:\d{1,2}/)?\d{1,2}/\d{4}"
    # a yearly date keeps its rhythm: "trước ngày 30/11 hằng năm" (CONVENTIONS §3)
    # (h10d) and the year it falls in: "trước ngày 30/6 của năm", "trước 30/12 hằng năm", "trước ngày 11 /12"
    # (stop 21) several dates of the year: "trước ngày 01/6 và 15/11 hằng năm"
    r"|(?:tr\S{1,3}c\s+ng\S{1,3}|truoc)\s+\d{1,2}\s*/\s*\d{1,2}(?![\d/])(?:\s+va\s+\d{1,2}\s*/\s*\d{1,2}(?![\d/]))*"
    + _YEAR_OF_DATE + "?"  # not "trực 24/7"
    r"|tr\S{1,3}c\s+n\S{1,3}m\s+\d{4}"
    # "chậm nhất ngày 21/11/2025", "chậm nhất vào ngày 15 tháng 12 năm 2025" without "hoàn thành"
    r"|\bch\S{1,2}m\s+nh\S{1,2}t\s+(?:v\S{1,2}o\s+)?ng\S{1,3}\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+th\S{1,3}ng\s+\d{1,2}\s+n\S{1,3}m\s+\d{4})"
    # a period counted from an event: "trong thời hạn 03 ngày (làm việc) kể từ ngày Quyết định có hiệu lực"
    # (h10g) "trong thời hạn/thời gian/vòng", "chậm nhất là sau", "sau" or "không quá", a count
    # ("24 (hai mươi tư) giờ", "03 ngày làm việc (24 giờ làm việc)", "24h00"), then ", kể/tính từ …"
    # (h10d) "trong 03 ngày làm việc kể từ …" and "chậm nhất (là/trong) 05 ngày … kể từ …" count the same
    r"|(?:(?:\btrong(?:\s+(?:th\S{1,2}i\s+h\S{1,2}n|th\S{1,2}i\s+gian|v\S{1,2}ng))?|\bch\S{1,2}m\s+nh\S{1,2}t(?:\s+l\S)?(?:\s+(?:sau|trong))?|\bsau)\s+(?:kh\S{1,2}ng\s+qu\S{1,2}\s+)?|\bkh\S{1,2}ng\s+qu\S{1,2}\s+)"
    r"\d{1,3}(?:h\d\d)?(?:\s*\([^)]{1,30}\))?(?:\s+(?:ng\S{1,3}|gi\S{1,2}|th\S{1,3}ng|n\S{1,3}m))?(?:\s+l\S{1,2}m\s+vi\S{1,3}c)?(?:\s*\([^)]{1,40}\))?"
    # the event ends before the clause that follows it ("… đề nghị phối hợp thì cơ quan …", "… phải")
    r"\s*,?\s+(?:k\S{1,2}|t\S{1,2}nh)\s+t\S{1,2}\s+(?:(?!\s+(?:thi|phai)\s+(?!hanh)|\s+theo\s+quy\s+dinh)[^.;,:()]){3,100}"
    # (stop 21) a period before an event: "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp …"
    r"|\bcham\s+nhat(?:\s+la)?\s+\d{1,3}\s+(?:ngay|thang|nam)(?:\s+lam\s+viec)?\s*,?\s+truoc\s+(?:ngay|khi)\s+[^.;,:()]{3,100}"
    # (stop 21) a time of day with its rhythm: "trước 19h00’ hằng ngày"
    r"|\btruoc\s+\d{1,2}\s*h\s*\d\d\S?\s+(?:hang|moi)\s+ngay\b"
    # (stop 21) the year the work is completed in: "hoàn thành Dự án vào năm 2026" (the phrase
    # from "vào"); not a rate reached by a year ("hoàn thành … đạt 90% vào năm 2025": a target)
    r"|(?:hoan\s+thanh|xong)\b(?:(?!\bdat\b)[^.;:]){0,60}?(?P<at>\bvao\s+nam\s+\d{4}\b)"
    # ("trong năm 2025" alone is no rule: tried at stops 19 and 21, it dates as many targets,
    # reports and lead-ins as tasks: +3 on round 2, -7 on rounds 1, 4, 5)
    # a period alone: "Trong thời hạn 5 năm, cơ quan … phải nộp …" (h10g)
    r"|\btrong\s+th\S{1,2}i\s+h\S{1,2}n\s+\d{1,3}\s+(?:ng\S{1,3}|th\S{1,3}ng|n\S{1,3}m)(?:\s+l\S{1,2}m\s+vi\S{1,3}c)?(?![a-z0-9])"
    r"|\btrong\s+(?:th\S{1,3}ng\s+\d{1,2}|qu\S{1,2}\s+(?:[ivx]{1,3}|\d))(?:\s*/\s*|\s+n\S{1,3}m\s+)\d{4}\b"
    r"|\btrong\s+ng\S{1,3}\s+\d{1,2}(?:\s+th\S{1,3}ng\s+\d{1,2}\s+n\S{1,3}m\s+|/\d{1,2}/)\d{4}\b"
    r"|tr\S{1,3}c\s+ng\S{1,3}\s+\d{1,2}\s+(?:th\S{1,3}ng\s+\d{1,2}(?:\s+n\S{1,3}m\s+\d{4}|" + _YEAR_OF_DATE + r")?|h\S{1,3}ng\s+(?:th\S{1,3}ng|qu\S{1,2}|n\S{1,3}m))"
    r"|\b\S{1,2}nh\s+k\S{1,2}\s+h\S{1,3}ng\s+(?:qu\S{1,2}|n\S{1,3}m|th\S{1,3}ng)\b(?:\s*,\s*h\S{1,3}ng\s+(?:qu\S{1,2}|n\S{1,3}m|th\S{1,3}ng)\b)*"
    # (h10d) with the date it gives in brackets: "Định kỳ hằng năm (trước ngày 15 tháng 12)"
    r"(?:\s*\((?:tr\S{1,3}c|ch\S{1,2}m\s+nh\S{1,2}t)\s[^()]{1,40}\))?)",
    re.IGNORECASE)


#: The verb before a sentence's dated phrase ("hoàn thành trong tháng 11 năm 2025"): the
#: deadline is the phrase after it, as a table's deadline cell would print it.
_DONE_VERB = re.compile(r"(?:ho\S{1,2}n\s+th\S{1,3}nh|xong)\s+(?=tr\S{1,3}c\b|trong\b|ch\S{1,2}m\s+nh\S{1,2}t\b)", re.IGNORECASE)


#: A labelled field ("Thời gian hoàn thành: Trước ngày 31/5/2026"): its value is the deadline,
#: read like a table cell (CONVENTIONS §3).
_LABEL = re.compile(r"th\S{1,2}i\s+(?:gian|h\S{1,2}n)(?:\s+(?:th\S{1,2}c\s+hi\S{1,3}n|ho\S{1,2}n\s+th\S{1,3}nh))?\s*:\s*", re.IGNORECASE)


def deadline_phrase(text: str) -> Deadline | None:
    """The deadline a sentence of prose gives, if any: the first dated phrase of the grammar
    above, read by :func:`parse_deadline` (its printed words kept when they name no period).
    A verb before it ("hoàn thành trong …") and a field label ("Thời hạn hoàn thành: …") are
    left out, as a table's deadline cell would print it (CONVENTIONS §3)."""
    folded = fold(text)
    m = _PHRASE.search(folded)
    if not m:
        return None
    verb = _DONE_VERB.match(folded, m.start()) or _LABEL.match(folded, m.start())
    start = m.start("at") if m["at"] else verb.end() if verb else m.start()
    phrase = text[start: m.end()].strip()
    return parse_deadline(phrase) or Deadline(text=phrase, start=None, end=None)


def drop_past_deadlines(tasks: list[TaskRecord], signed: date | None) -> None:
    """A date of prose that ended more than a year before the document was signed cannot be when
    its work is due: it is a reference ("đã được cấp Giấy chứng nhận … vào loại đất ở trước ngày
    01/7/2004"), so a narrative task keeps no deadline from it. A recent date stays (a plan
    signed on 20 November repeats its superior's "Trước ngày 15/11/2025"); a table's deadline
    cell is kept as printed."""
    if signed is None:
        return
    for t in tasks:
        if (t.origin == "narrative" and t.deadline is not None and t.deadline.end is not None
                and (signed - t.deadline.end).days > _PAST_DAYS):
            t.deadline = None


#: How long before the signing a date is a reference rather than a late deadline (one year).
_PAST_DAYS = 366
