"""Word cues for telling table columns apart (agencies, outputs, deadlines, units, values).

Why: in PDF text the cells of a row lose their column; width explains most of the
assignment, and these small vocabularies settle the rest.  They are cues, not
parsers: agency names, deadlines and values are parsed by their own modules.
"""

from __future__ import annotations

import re

import yaml

from plankg.ingest.extract.agencies import GRAMMAR_PATH, load_grammar
from plankg.ingest.extract.agencies import agency_coverage as _agency_coverage


def _load_printed_heads() -> list[str]:
    """The grammar's head words as printed (with diacritics: the cue runs on printed text),
    plus "các" + each collective noun ("các" alone is no agency: "các mô hình")."""
    with open(GRAMMAR_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    heads = [str(h).lower() for h in data.get("heads") or ()]
    return heads + [f"các {str(n).lower()}" for n in data.get("collective_nouns") or ()]


def _load_printed_not_heads() -> str:
    """A lookahead refusing the grammar's ``not_heads`` as printed ("trường hợp" is no school)."""
    with open(GRAMMAR_PATH, encoding="utf-8") as fh:
        words = [str(w).lower() for w in yaml.safe_load(fh).get("not_heads") or ()]
    return r"(?!(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w))" if words else ""


# Agency cues come from the one agency-name grammar (ontology/registry/agency_grammar.yaml):
# general words only, no place names.
_GRAMMAR = load_grammar()
AGENCY_HEAD = re.compile(
    r"^" + _load_printed_not_heads() + r"(?:các\s+)?(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+")
                              for h in sorted(set(_load_printed_heads()), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
AGENCY_WORDS = _GRAMMAR.words

OUTPUT_HEAD = re.compile(
    r"^(?:-\s*)?(?:các\s+)?(?:kế hoạch|đề án|chương trình|quyết định|nghị quyết|văn bản|báo cáo|"
    r"danh mục|dự án|giải pháp|nền tảng|cơ sở dữ liệu|hoàn thành|mạng lưới|quản lý|ít nhất|nguồn|"
    r"chuyên mục|có|hệ thống|ứng dụng|tài liệu|hướng dẫn|cơ chế|chính sách|hội nghị|hội thảo|"
    r"sản phẩm|mô hình|phần mềm|dữ liệu|kết quả|thông báo|công văn|tờ trình|đào tạo|quy trình|"
    r"quy chế|quy định|bộ|chỉ thị|tổ chức|được)\b",
    re.IGNORECASE,
)

DEADLINE_WORDS = {"thường", "xuyên", "xuyền", "hằng", "hàng", "năm", "quý", "trước", "tháng", "và", "những", "tiếp", "theo", "nhiệm", "vụ", "từ", "đến", "giai", "đoạn", "định", "kỳ", "sau", "khi", "ngày", "cuối", "đầu", "giữa", "liên", "tục", "-", "–", "./.", "xuyên./.", "năm./."}
_DATEISH = re.compile(r"^[\dIVXivx]+(?:[/.\-–][\dIVXivx]+)*[,.;]?(?:\./\.)?$|^[-–]?\d{4}[,.;]?$")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def tokens(text: str) -> list[str]:
    return text.split()


def agency_coverage(text: str) -> float:
    """Share of words that belong to agency names (see :func:`agencies.agency_coverage`)."""
    return _agency_coverage(text)


def deadline_coverage(text: str) -> float:
    toks = tokens(text)
    if not toks:
        return 0.0
    ok = sum(t.lower().strip(",;") in DEADLINE_WORDS or bool(_DATEISH.match(t)) for t in toks)
    return ok / len(toks)


def is_dateish(text: str) -> bool:
    """A piece made only of date words and containing a year ("Quý IV/2025", "2026-2027")."""
    return deadline_coverage(text) == 1.0 and bool(YEAR.search(text))


UNIT_RE = re.compile(
    r"^(?:%(?:\s*/\s*năm|\s*GRDP|\s*GDP|\s*dân số)?|%\S*|thứ bậc|thứ hạng|doanh nghiệp|thành phố,?|"
    r"thị xã|xã|phường|huyện|người|lượt|đơn vị|tỷ đồng|triệu đồng|đồng|sản phẩm|nhiệm vụ|cơ sở|"
    r"hồ sơ|sáng kiến|giải pháp|trung tâm|dữ liệu|chỉ số|số lượng|điểm|bài|tin|hệ thống|nền tảng|"
    r"ứng dụng|mô hình|cuộc|lớp|km|mbps|gb/s|trạm|-|–)$",
    re.IGNORECASE,
)

VALUE_RE = re.compile(r"^(?:[≥≤><=]\s*)?\d+(?:[.,]\d+)?\s*%?(?:\s*[-–]\s*\d+(?:[.,]\d+)?\s*%?)?$")
