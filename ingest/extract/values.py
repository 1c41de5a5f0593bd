"""Target values and units as printed in the plans → comparator, bounds and a unit.

Why: targets are compared across documents ("≥ 30" in the province plan, "tối thiểu 30%"
in the party programme), so the value must be a comparator and numbers, not text.
Vietnamese numbers use a decimal comma and a thousands dot ("1,5" = 1.5, "1.000" =
1000); a dot followed by other than three digits is a decimal point ("8.5%" in seed 003).
Bounds: ge/gt give ``min``, le/lt give ``max``, eq gives both, range both ends; text
(qualitative values, or a comparison with no number such as "không thấp hơn số kinh phí
Trung ương giao") gives neither.
"""

from __future__ import annotations

import re

from plankg.folding import fold, slugify
from plankg.ontology.kinds import load_kinds

Result = tuple[str, float | None, float | None, str]

_NUM = r"(\d+(?:[.,]\d+)*)"
_TAIL = r"\s*(?:%|‰)?(?:\s*/\s*nam)?(?:\s*[^\d\s;,.][^\d;,]{0,30})?"  # unit words after the number
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(rx + r"\s*\.?$")) for kind, rx in [
        ("range", r"(?:tu\s+)?" + _NUM + r"\s*%?\s*(?:-|–|—|den)\s*" + _NUM + _TAIL),
        ("ge", r"(?:≥|>=|=>|≧)\s*" + _NUM + _TAIL),
        ("le", r"(?:≤|<=|=<|≦)\s*" + _NUM + _TAIL),
        ("gt", r">\s*" + _NUM + _TAIL),
        ("lt", r"<\s*" + _NUM + _TAIL),
        ("ge", r"(?:tu\s+)?" + _NUM + r"\s*%?\s*(?:[^\d\s][^\d]{0,20}?\s+)?tro\s+(?:len|di)"),
        ("le", r"(?:tu\s+)?" + _NUM + r"\s*%?\s*(?:[^\d\s][^\d]{0,20}?\s+)?tro\s+xuong"),
        ("ge", r"(?:toi\s+thieu|it\s+nhat|khong\s+duoi|khong\s+thap\s+hon|khong\s+it\s+hon)\s+(?:la\s+)?" + _NUM + _TAIL),
        ("le", r"(?:toi\s+da|khong\s+qua|khong\s+vuot\s+qua|khong\s+cao\s+hon|khong\s+lon\s+hon)\s+(?:la\s+)?" + _NUM + _TAIL),
        ("gt", r"(?:tren|hon|cao\s+hon|lon\s+hon)\s+" + _NUM + _TAIL),
        ("lt", r"(?:duoi|thap\s+hon|it\s+hon|nho\s+hon)\s+" + _NUM + _TAIL),
        ("eq", r"(?:khoang\s+|bang\s+)?" + _NUM + _TAIL),
    ]
]
_LEAD = re.compile(r"^(?:phan\s+dau\s+)?(?:dat|duy\s+tri|dat\s+muc|o\s+muc|la)\s+")


def parse_number(text: str) -> float | None:
    """'1,5' → 1.5, '1.000' → 1000, '8.5' → 8.5, '0,75' → 0.75, '1.000,5' → 1000.5."""
    s = text.strip()
    if re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", "."))
    return None


def parse_value(text: str) -> Result:
    """(comparator, min, max, value_text) for a printed target value; see the module doc."""
    printed = re.sub(r"\s+", " ", text).strip()
    t = _LEAD.sub("", fold(printed).strip())
    for kind, rx in _PATTERNS:
        m = rx.fullmatch(t)
        if not m:
            continue
        nums = [parse_number(g) for g in m.groups() if g is not None]
        if any(n is None for n in nums):
            continue
        if kind == "range":
            lo, hi = sorted(nums)  # type: ignore[type-var]
            return "range", lo, hi, printed
        x = nums[0]
        if kind in ("ge", "gt"):
            return kind, x, None, printed
        if kind in ("le", "lt"):
            return kind, None, x, printed
        return "eq", x, x, printed
    return "text", None, None, printed


# folded, space-free printed unit → (normalised form, code)
_UNITS: dict[str, tuple[str, str]] = {
    "%": ("%", "percent"),
    "phantram": ("%", "percent"),
    "%grdp": ("% GRDP", "percent-grdp"),
    "%gdp": ("% GDP", "percent-gdp"),
    "%danso": ("% dân số", "percent-population"),
    "%/nam": ("%/năm", "percent-per-year"),
    "%nam": ("%/năm", "percent-per-year"),
    "thubac": ("Thứ bậc", "rank"),
    "xephang": ("Thứ bậc", "rank"),
    "hang": ("Thứ bậc", "rank"),
    "doanhnghiep": ("Doanh nghiệp", "enterprise"),
    "thanhpho,thixa": ("Thành phố, Thị xã", "city-or-town"),
    "thanhpho/thixa": ("Thành phố, Thị xã", "city-or-town"),
    "trungtamdulieu": ("Trung tâm dữ liệu", "data-centre"),
    "trungtam": ("Trung tâm", "centre"),
    "chisophattrienconnguoi(hdi)": ("HDI", "hdi"),
    "chisophattrienconnguoi": ("HDI", "hdi"),
    "hdi": ("HDI", "hdi"),
    "chiso": ("Chỉ số", "index"),
    "diem": ("Điểm", "score"),
    "nguoi": ("Người", "person"),
    "ho": ("Hộ", "household"),
    "trieudong": ("Triệu đồng", "million-vnd"),
    "tydong": ("Tỷ đồng", "billion-vnd"),
    "dichvu": ("Dịch vụ", "service"),
    "nentang": ("Nền tảng", "platform"),
}


def _kind_units() -> dict[str, tuple[str, str]]:
    """Documents counted as a unit ("05 Kế hoạch", "Quyết định"): every kind of the one
    table (ontology/registry/document_kinds.yaml), coded by its English name ("plan")."""
    out: dict[str, tuple[str, str]] = {}
    for k in load_kinds().kinds:
        for name in (k.name, *k.aliases):
            out.setdefault(re.sub(r"\s+", "", fold(name)), (k.name, slugify(k.english)))
    return out


for _key, _entry in _kind_units().items():
    _UNITS.setdefault(_key, _entry)


class Unit(str):
    """A unit: the string is the unit as printed (whitespace collapsed); normalised forms are properties.

    A ``str`` so that it can stand wherever the printed unit is expected (TargetRecord.unit,
    RDF literals), while callers that compare units use :attr:`normalized` or :attr:`code`.
    """

    @property
    def raw(self) -> str:
        return str(self)

    @property
    def _entry(self) -> tuple[str, str] | None:
        return _UNITS.get(re.sub(r"\s+", "", fold(str(self))).rstrip("."))

    @property
    def normalized(self) -> str:
        """"%GDP" → "% GDP", "thứ bậc" → "Thứ bậc"; unknown units as printed."""
        return self._entry[0] if self._entry else str(self)

    @property
    def code(self) -> str | None:
        """Stable code ("percent", "percent-grdp", "rank", …) or None for an unknown unit."""
        return self._entry[1] if self._entry else None


def parse_unit(text: str | None) -> Unit | None:
    """The printed unit cell as a :class:`Unit`; None for an empty or "-" cell."""
    printed = re.sub(r"\s+", " ", text or "").strip()
    if not re.search(r"\w|%|‰", printed):
        return None
    return Unit(printed)
