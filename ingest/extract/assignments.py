"""Who is assigned what in a plan's prose: labelled fields, assigning sentences, agency subjects.

Why a module of its own: the narrative extractor (``narrative.py``) knows the item tree;
this module knows the wording. Plans assign in three ways besides appendix tables:

- labelled fields under a task — "Đơn vị chủ trì: Sở Tư pháp.", "Đơn vị phối hợp: …",
  "Thời gian thực hiện: Thường xuyên.", "Sản phẩm: …" — which fill the task's fields and
  are never tasks themselves (:func:`read_field`);
- an assigning lead-in — "Giao Sở Tư pháp theo dõi …", "Đề nghị Ủy ban MTTQ tỉnh …" — or
  an agency as the subject of the sentence — "Sở Tài chính chủ trì, phối hợp với …",
  "Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch …" (:func:`subject`);
- a heading or list item that names an agency and scopes the items under it — "1. Sở Y
  tế:", "Đề nghị Ban Tuyên giáo …:" (:func:`agency_label`).

The word cues live in ``ontology/registry/assignment_cues.yaml``; agency names are split
by :func:`plankg.ingest.extract.agencies.split_agencies` (the registry knows which commas
are inside a name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import yaml

from plankg.folding import fold, fold_aligned
from plankg.ingest.extract.agencies import (
    distribute,
    distributive_prefix,
    is_collective,
    load_grammar,
    locality_list,
    looks_like_agency,
    qualifier_end,
    registered_name_mask,
    split_agencies,
    without_remark,
    without_role,
)
from plankg.ingest.extract.vocab import AGENCY_HEAD
from plankg.ontology import REGISTRY_DIR
from plankg.segmenter import vi_pos_tagger, vi_tokenizer

CUES_PATH = REGISTRY_DIR / "assignment_cues.yaml"

FieldKind = Literal["lead", "cooperating", "deadline", "output", "task"]


@dataclass(frozen=True)
class Field:
    """One labelled field line: its kind, the printed value after the colon, and where the
    value starts in the line (for provenance)."""

    kind: FieldKind
    value: str
    value_start: int


@dataclass(frozen=True)
class _Cues:
    labels: tuple[tuple[str, FieldKind], ...]  # folded label → kind, longest first
    fillers: frozenset[str]
    prefixes: re.Pattern[str]
    heads: re.Pattern[str]
    openers: re.Pattern[str]
    grounds: re.Pattern[str]
    duty_remarks: re.Pattern[str]
    duty_remarks_printed: frozenset[str]
    described_nouns: tuple[str, ...]
    heading_predicates: re.Pattern[str]
    verbs: re.Pattern[str]
    components: re.Pattern[str]
    scopes: re.Pattern[str]
    modals: re.Pattern[str]
    modal_inside: re.Pattern[str]
    duty_of: re.Pattern[str]
    duty_articles: re.Pattern[str]
    #: nouns a verb cue may lie inside (``cue_compounds``: "công trình"), printed, lower case,
    #: each with its printed length
    compounds: tuple[tuple[re.Pattern[str], int], ...]
    #: a word of ``nominalisers`` right before where a verb cue starts (folded)
    nominalised: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    keys = sorted({fold(w).lower() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(t) for t in k.split()) for k in keys)


def _printed_alternation(words: list[str]) -> str:
    """Words matched as printed (folded, "cần" would also be "cận"), longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> _Cues:
    """The cue vocabularies from the data file, compiled once."""
    with open(CUES_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    labels: list[tuple[str, FieldKind]] = []
    for kind, words in (data.get("fields") or {}).items():
        labels += [(fold(w).lower(), kind) for w in words]
    labels.sort(key=lambda p: -len(p[0]))
    return _Cues(
        labels=tuple(labels),
        fillers=frozenset(fold(w).lower() for w in data.get("label_fillers") or []),
        prefixes=re.compile(rf"^(?:{_alternation(data.get('assign_prefixes') or [])})(?:\s*:)?\s+", re.IGNORECASE),
        duty_of=re.compile(rf"^(?:{_alternation(data.get('duty_of_prefixes') or [])})\s+", re.IGNORECASE),
        # a duty heading opens the title, or follows a non-duty one it is joined to ("Thẩm quyền,
        # trách nhiệm …", "Quy trình, trách nhiệm của …": the duties make it a duty article)
        duty_articles=re.compile(rf"^(?:(?:{_alternation(data.get('non_duty_article_headings') or [])})(?:\s*,|\s+va)\s+)?"
                                 rf"(?:{_alternation(data.get('duty_article_headings') or [])})\b", re.IGNORECASE),
        # "các lực lượng", "các cấp ủy": a collective of any subject head
        heads=re.compile(rf"^(?:cac\s+)?(?:{_alternation(data.get('subject_heads') or [])})\b", re.IGNORECASE),
        verbs=re.compile(rf"(?<![\w])(?:{_alternation(data.get('subject_verbs') or [])})(?![\w])", re.IGNORECASE),
        # "Hằng năm, …", "Trong thời hạn 5 năm, …" up to their comma; "Đối với …:" up to its colon
        openers=re.compile(rf"^(?:(?:{_alternation(data.get('opening_clauses', {}).get('time') or [])})(?![a-z0-9])"
                           rf"[^,;:.]{{0,80}},|(?:{_alternation(data.get('opening_clauses', {}).get('topic') or [])})"
                           rf"(?![a-z0-9])[^:;.]{{3,400}}:)\s*", re.IGNORECASE),
        # "Căn cứ quy định nêu trên, | đề nghị …": read only before a request (_opening_clause_end)
        grounds=re.compile(rf"^(?:{_alternation(data.get('opening_clauses', {}).get('grounds') or [])})(?![a-z0-9])"
                           rf"[^,;:.]{{3,160}},\s*", re.IGNORECASE),
        heading_predicates=re.compile(rf"(?<![\w])(?:{_alternation(data.get('heading_predicates') or [])})(?![\w])", re.IGNORECASE),
        described_nouns=tuple(fold(str(w)).lower() for w in data.get("described_nouns") or ()),
        duty_remarks=re.compile(rf"(?<![\w])(?:{_alternation(data.get('duty_remarks') or [])})(?![\w])", re.IGNORECASE),
        duty_remarks_printed=frozenset(" ".join(str(w).lower().split()) for w in data.get("duty_remarks") or ()),
        scopes=re.compile(rf"(?<![\w])(?:{_alternation(data.get('scope_phrases') or [])})(?![\w])", re.IGNORECASE),
        modals=re.compile(rf"(?:\s+(?:{_printed_alternation(data.get('subject_modals') or [])}))+$"),
        modal_inside=re.compile(rf"(?<=\s)(?:{_printed_alternation(data.get('subject_modals') or [])})(?=\s)"),
        components=re.compile(
            rf"^[-–+•*\s]*(?:{_alternation(data.get('component_labels') or [])})\s+(?:\d{{1,3}}|[ivxlc]{{1,6}})\b", re.IGNORECASE),
        compounds=tuple(
            (re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, c.split())) + r"(?!\w)"), len(c))
            for c in (" ".join(str(w).lower().split()) for w in data.get("cue_compounds") or ())),
        nominalised=re.compile(rf"(?<![\w])(?:{_alternation(data.get('nominalisers') or [])})\s+$"),
    )


def is_component(text: str) -> bool:
    """Does the item name a component of a programme ("Dự án 1: …", "Tiểu dự án 2 …")?"""
    return bool(cues().components.match(fold(text).lower()))


# -- labelled fields -------------------------------------------------------------------

def read_field(text: str) -> Field | None:
    """The field a line states ("Đơn vị chủ trì thực hiện: Các Sở, ngành …"), or None.

    A label is a known field name, optionally followed by filler words ("tham mưu thực
    hiện"), then a colon, all within the first few words of the line; a bullet before it
    is allowed. "Phối hợp với Bộ Công an trong …" has no colon after its label: not a field.
    """
    stripped = re.sub(r"^(?:[-–+•·*_]\s*)+", "", text)  # bullets, stray emphasis marks
    offset = len(text) - len(stripped)
    colon = stripped.find(":")
    if colon <= 0 or colon > 60:
        return None
    head = fold(stripped[:colon]).lower().strip()
    c = cues()
    for label, kind in c.labels:
        if head == label or head.startswith(label + " "):
            extra = head[len(label):].split()
            if all(w in c.fillers for w in extra):
                rest = stripped[colon + 1:]
                value = rest.strip(" *_").rstrip(" .;*_")
                return Field(kind, value, offset + colon + 1 + len(rest) - len(rest.lstrip(" *_")))
    return None


# -- agencies at the start of a sentence -----------------------------------------------

def _protected(text: str) -> list[bool]:
    """Which characters of ``text`` lie inside a registered agency name ("Sở Xây dựng")."""
    return registered_name_mask(text)


def is_agency_start(text: str) -> bool:
    """Does ``text`` begin with the name of an agency or a collective?"""
    t = text.lstrip(" -–+•*")
    if cues().verbs.match(fold_aligned(t)):
        return False  # "Tổ chức triển khai …" is an action, not "Tổ …"
    return bool(AGENCY_HEAD.match(t) or cues().heads.match(fold_aligned(t)) or locality_subject(t))


@lru_cache(maxsize=1)
def _locality_subject_re() -> re.Pattern[str]:
    """A level word as printed ("tỉnh", "Thành phố"; accents kept: "Tình trạng" is no
    locality), an optional proper name, then an obligation modal (``subject_modals`` less the
    tense words)."""
    with open(CUES_PATH, encoding="utf-8") as fh:
        modals = [m for m in yaml.safe_load(fh).get("subject_modals") or [] if m in OBLIGATION_MODALS]
    levels = sorted(load_grammar().level_printed, key=len, reverse=True)
    alts = "|".join(re.escape(lv[0].upper() + lv[1:]) + "|" + re.escape(lv) for lv in levels)
    return re.compile(rf"(?:{alts})(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){{0,4}}(?=\s+(?:{_printed_alternation(modals)})\s)")


#: Modals that oblige ("cần", "phải"): a sentence whose subject is a place with one of them
#: assigns the work to that locality's authorities; tense words ("sẽ", "đã") do not.
OBLIGATION_MODALS = frozenset({"cần", "phải", "cần phải", "nên"})


def locality_subject(text: str) -> int | None:
    """End of a locality named as a sentence's subject before an obligation modal: "Tỉnh cần
    tập trung …", "tỉnh Đắk Lắk cần tiếp tục …" (the province's authorities are asked to act;
    a notice of the Government's conclusions writes them so). None otherwise: a place in
    any other role ("Tỉnh ủy …", "tỉnh Đắk Lắk đã đạt …") is no subject here."""
    m = _locality_subject_re().match(text)
    return m.end() if m else None


def names(text: str) -> list[str]:
    """Agency names in a printed list ("Sở Tài chính, các Sở, ban, ngành và UBND cấp xã")."""
    text = text.strip(" ,;.:")
    text = re.sub(r"(?:[\s,]+(?:và|hoặc|cùng))+$", "", text)  # "… cơ quan liên quan và | tham khảo …": cut at the verb
    text = without_remark(text).strip(" ,;.:")
    parts = re.split(r";\s*", text)
    if len(parts) > 1 and all(is_agency_start(p) for p in parts[1:]):
        # "Bộ trưởng các Bộ: Quốc phòng, Công an; Chủ tịch Ủy ban nhân dân các tỉnh …": lists
        # of agencies of different kinds joined by ";"
        return [n for p in parts for n in names(p)]
    bare = re.sub(r"\s*\([^()]*\)$", "", text)  # a remark in parentheses is dropped (CONVENTIONS §2)
    if _is_described_collective(bare):
        return [bare]  # "Cơ quan, đơn vị thực hiện nội dung chi theo Phụ lục III": one collective
    members = distribute(text)  # "Bộ trưởng các Bộ: Quốc phòng, Công an" → one per ministry
    if members:
        return members
    return [n for n in split_agencies(text) if n] if text else []


#: "Khuyến khích" hands work only to a body it names ("Khuyến khích Đoàn Thanh niên …"), not to
#: a class of people or firms ("Khuyến khích các doanh nghiệp đầu tư …")
_ENCOURAGE = re.compile(r"khuyen\s+khich\s", re.IGNORECASE)

def _opening_clause_end(text: str, folded: str) -> int:
    """Where the sentence proper starts after an opening time or topic clause (cues
    ``opening_clauses``): "Định kỳ trước ngày 31 tháng 12 hằng năm, | Văn phòng … tổng hợp …",
    "Trong thời hạn 5 năm, | cơ quan, tổ chức … phải nộp …", "Đối với các nội dung …: | Giao Sở
    Y tế …". Only when an agency or an assigning lead-in follows; 0 otherwise."""
    m = cues().openers.match(folded)
    if m is None:
        g = cues().grounds.match(folded)
        # the grounds or purpose of a request ("Căn cứ quy định nêu trên và thực tế hồ sơ, | đề
        # nghị Thuế thành phố Hà Nội …"): only before the request word, the agency follows it
        return g.end() if g and cues().prefixes.match(folded[g.end():]) else 0
    end = m.end()
    more = _PERIOD_FROM.match(folded, end)
    if more and not is_agency_start(text[end:]):
        end = more.end()  # "Trong 05 ngày làm việc, | kể từ ngày nhận được đề nghị phối hợp thì | cơ quan …"
    rest = text[end:]
    if is_agency_start(rest) or cues().prefixes.match(folded[end:]):
        return end
    return 0


#: The event a period is counted from, after the period's comma: "kể từ ngày nhận được kiến
#: nghị," / "… thì" (folded), part of the opening time clause.
_PERIOD_FROM = re.compile(r"(?:ke|tinh)\s+tu\s[^,;:.]{3,150}?(?:,\s*|\s+thi\s+)", re.IGNORECASE)


#: "<agency> yêu cầu <agency> …" at a sentence's start (folded text): the first agency relays
#: the request. ("đề nghị" also means "propose": "Sở Tài chính đề nghị cấp có thẩm quyền …".)
#: A council or committee that agrees to hand work on does the same: "Hội đồng nhân dân Thành
#: phố thống nhất giao Ủy ban nhân dân Thành phố bố trí …" (the committee leads).
_RELAYED_REQUEST = re.compile(r"([^,.;:]{3,80}?)\s+(?:yeu\s+cau|(?:thong\s+nhat|dong\s+y)\s+giao(?:\s+cho)?)\s+(?=\S)")


#: "…, Thủ tướng Chính phủ yêu cầu | Bộ trưởng, … thực hiện … sau:", "…, Bộ Tài chính đề nghị | UBND
#: các tỉnh, thành phố quan tâm chỉ đạo:" (folded): a clause of a lead-in where the issuer asks
_REQUEST_CLAUSE = re.compile(r"(?:^|,\s+)([^,.;:]{3,80}?)\s+(?:tran\s+trong\s+)?(?:yeu\s+cau|de\s+nghi)\s+(?=\S)")


def requested_subject(lead_in: str) -> str | None:
    """The agencies a list's lead-in asks to do the items under it, wherever the request stands
    in the sentence ("Thiết thực lập thành tích …, Thủ tướng Chính phủ yêu cầu Bộ trưởng, …, Chủ
    tịch Ủy ban nhân dân các tỉnh … thực hiện một số nhiệm vụ trọng tâm cấp bách sau:"). The
    requester must be an agency and the request must name one; a lead-in only (it ends with
    ":"), where "đề nghị" asks rather than proposes."""
    if not lead_in.rstrip(" *_").endswith(":"):
        return None
    folded = fold_aligned(lead_in)
    for m in _REQUEST_CLAUSE.finditer(folded):
        if not looks_like_agency(lead_in[m.start(1):m.end(1)]) or not is_agency_start(lead_in[m.end():]):
            continue
        found = subject(lead_in[m.end():])
        if found:
            return found[0]
    return None


def subject(text: str) -> tuple[str, int] | None:
    """(agency phrase, end offset) of the agency that a sentence assigns work to.

    "Giao Công an thành phố có trách nhiệm theo dõi …" → "Công an thành phố"; "Các cơ quan,
    đơn vị, địa phương xây dựng Kế hoạch …" → "Các cơ quan, đơn vị, địa phương". The phrase
    must begin with an agency head and end at the first lower-case verb cue outside a
    registered name (agency names are capitalised: "Sở Xây dựng", "Ủy ban Kiểm tra"); a
    verb right after "các" is a noun ("các tổ chức chính trị - xã hội").
    """
    folded = fold_aligned(text)
    opener = _opening_clause_end(text, folded)
    if opener:
        found = subject(text[opener:])
        return (found[0], found[1] + opener) if found else None
    start = 0
    m = cues().prefixes.match(folded)
    if m and _ENCOURAGE.match(folded) and not text[m.end():m.end() + 1].isupper():
        return None  # "Khuyến khích các doanh nghiệp …": the public is encouraged, no body is tasked
    if m:
        start = m.end()
    elif ((asked := _RELAYED_REQUEST.match(folded)) and looks_like_agency(text[:asked.end(1)])
          and is_agency_start(text[asked.end():])):
        # "Ủy ban nhân dân Thành phố yêu cầu các Sở, ban, ngành … nghiêm túc triển khai …": the
        # issuer asks, the bodies it asks do the work
        m, start = asked, asked.end()
    if not is_agency_start(text[start:]):
        return None
    printed = text
    d = distributive_prefix(text[start:])
    listed = locality_list(text, start)
    if d is not None or listed is not None:
        # "Bộ trưởng các Bộ: Quốc phòng, …", "Ủy ban nhân dân các xã: A, B": the colon is
        # inside the name
        colon = text.index(":", start)
        text = text[:colon] + "," + text[colon + 1:]
    mask = _protected(text)
    titled = start + _title_length(folded[start:])
    for v in cues().verbs.finditer(folded, start):
        i = v.start()
        if i - start < 3 or i < titled or mask[i] or not text[i].islower():
            continue
        if _noun_here(folded, i) or _named_function(text, folded, start, v) or _in_compound(text, i):
            continue
        described = _described_collective_end(text, folded, start, i)
        if described is None:
            described = _role_collective_end(text, folded, start, i)
        if described is not None:
            return text[start:described].strip(" ,;:"), described
        passive = _past_passive_clause(folded, i)
        cut = name_run_end(text, start, qualifier_end(text, start, i))
        # "Thủ trưởng các đơn vị … | được giao nhiệm vụ phổ biến thông tin thống kê | chịu trách
        # nhiệm …": the name is read up to the passive clause, the clause belongs to it whole
        i = passive if passive != i and cut >= i else (cut if passive == i else name_run_end(
            text, start, qualifier_end(text, start, passive)))
        modal = cues().modal_inside.search(text, start, i)  # "… đảng viên cần nhận thức …": the verb follows
        i = modal.start() if modal else i
        phrase = cues().modals.sub("", text[start:i].strip(" ,;:")).strip(" ,;:")
        # "Ủy ban nhân dân cấp xã được | phân cấp thẩm quyền …": a passive word without its verb
        # is no part of the name
        phrase = re.sub(r"\s+được$", "", phrase)
        # a subject of at most 48 words a list: five bodies, one described by the work it is
        # concerned with ("Chính phủ, …, chính quyền địa phương … liên quan đến việc thực hiện sắp
        # xếp và các cơ quan, tổ chức khác có liên quan" is 41)
        if not phrase or len(phrase.split()) > 48 * (1 + phrase.count(";")) or _sentence_break(phrase):
            return None
        if d is not None or listed is not None:
            phrase = cues().modals.sub("", printed[start:i].strip(" ,;:")).strip(" ,;:")
        return phrase, i
    if m and d is None and listed is None:
        return _object_of_lead_in(text, start)
    return None


def _is_described_collective(text: str) -> bool:
    """A list of collective nouns whose last member carries a description that belongs to the
    whole list ("Các cơ quan, tổ chức, đơn vị, cá nhân thực hiện nhiệm vụ phục vụ công tác bầu
    cử"): each piece but the last is a bare collective noun, the last opens with one and goes on
    with a relative clause (a verb cue first), in lower case, with no conjunction and no agency
    head of its own (a capitalised head: "…, Sở Y tế" is a body)."""
    nouns = set(load_grammar().collective_nouns) | set(cues().described_nouns)
    pieces = [p.strip() for p in re.split(r",", text)]
    if len(pieces) < 2 or not pieces[-1]:
        return False
    bare = [re.sub(r"^cac\s+", "", fold(p).lower()) for p in pieces]
    if not all(b in nouns for b in bare[:-1]):
        return False
    last = bare[-1]
    noun = next((n for n in sorted(nouns, key=len, reverse=True) if last.startswith(n + " ")), None)
    if noun is None or not pieces[-1][:1].islower():
        return False
    rest = pieces[-1].split()[len(noun.split()) + (1 if bare[-1] != fold(pieces[-1]).lower() else 0):]
    if not rest or re.search(r"(?<![a-z])(?:va|hoac|voi|cac)(?![a-z])", fold(" ".join(rest)).lower()):
        return False  # "các bộ, ngành và các địa phương lân cận": two collectives
    if not cues().verbs.match(fold_aligned(" ".join(rest)).lower()) and rest[0] != "là":
        # the description is a relative clause: it opens with a verb ("thực hiện …") or the
        # copula ("Các tổ chức, cá nhân là chủ sở hữu công trình …")
        return False
    return not any(w[:1].isupper() and is_agency_start(" ".join(rest[k:])) for k, w in enumerate(rest))


def _described_collective_end(text: str, folded: str, start: int, at: int) -> int | None:
    """Where a bare collective's subject ends when a relative clause describes it and a duty cue
    follows in the same clause: "Cơ quan, đơn vị thực hiện nội dung chi theo Phụ lục III | có
    trách nhiệm …", "Các cơ quan, tổ chức, đơn vị, cá nhân thực hiện nhiệm vụ phục vụ công tác
    bầu cử | theo quy định tại Nghị quyết này có trách nhiệm …". The collective is made only of
    collective nouns (grammar ``collective_nouns``, cues ``described_nouns``); the clause runs
    from the first verb at ``at`` to the duty cue, cut at a remark (cues ``duty_remarks``).
    None when the subject is no such collective, or no duty cue follows."""
    head = re.sub(r"(?<![a-z])cac\s+", "", fold(text[start:at]).lower()).strip(" ,")
    nouns = set(load_grammar().collective_nouns) | set(cues().described_nouns)
    if not head or not all(p.strip() in nouns for p in re.split(r"\s*,\s*|\s+(?:va|hoac)\s+", head)):
        return None
    if _DUTY_CUE.match(folded, at):
        return None  # "Các cơ quan, đơn vị có trách nhiệm …": no clause between
    stop = re.search(r"[.;:]", folded[at:])
    end = at + stop.start() if stop else len(folded)
    duty = _DUTY_CUE.search(folded, at, end)
    if duty is None or len(folded[at:duty.start()].split()) > 25:
        return None
    remark = _duty_remark(text, folded, at, duty.start())
    if remark is not None:
        return remark
    modal = cues().modals.search(text[start:duty.start()].rstrip())  # "… | phải có trách nhiệm"
    return start + modal.start() if modal else duty.start()


#: Words that join a second body or a partner to a description ("… phối hợp với Sở Y tế"): a
#: role collective's description holds none of them (folded, lower case).
_JOINS = re.compile(r"(?<![a-z])(?:va|voi|hoac|cung|cac)(?![a-z])")


def _role_collective_end(text: str, folded: str, start: int, at: int) -> int | None:
    """Where a subject ends that names bodies by their role, a collective noun and a relative
    clause of its own, right before a duty cue: "Cơ quan tiếp nhận văn bản kê khai giá | có
    trách nhiệm …", "Cơ quan lập đề án vùng phát thải thấp | có trách nhiệm:", "Các Sở quản
    lý công trình xây dựng chuyên ngành Thành phố | có trách nhiệm …", "Cơ quan, tổ chức, cá
    nhân hưởng cơ chế, chính sách, biện pháp ưu đãi, hỗ trợ | có trách nhiệm …". "Có trách
    nhiệm" is the predicate of the sentence it stands in, so whatever the clause holds before
    it is the subject, its verbs ("lập", "quản lý") those of the description. The subject opens
    with collective nouns (grammar ``collective_nouns``, cues ``described_nouns``); the first
    noun with words after it starts the description, and the rest of the clause is in lower
    case (a place's name aside), with no conjunction and no agency head of its own ("… phối
    hợp với Sở Y tế" names a partner); cut at a remark (cues ``duty_remarks``). None when the
    clause has no duty cue, or the subject is made of bare nouns only (the usual path)."""
    stop = re.search(r"[.;:]", folded[at:])
    end = at + stop.start() if stop else len(folded)
    duty = _DUTY_CUE.search(folded, at, end)
    if duty is None or len(text[start:duty.start()].split()) > 20:
        return None
    span = text[start:duty.start()].rstrip()
    modal = cues().modals.search(span)  # "Các cơ quan xử lý | phải có trách nhiệm"
    cut = start + (modal.start() if modal else len(span))
    nouns = sorted(set(load_grammar().collective_nouns) | set(cues().described_nouns), key=len, reverse=True)
    pieces = [p.strip() for p in text[start:cut].split(",")]
    described = False
    for k, piece in enumerate(pieces):
        low = fold(piece).lower()
        bare = re.sub(r"^cac\s+", "", low)
        if not described:
            if bare in nouns:
                continue
            noun = next((n for n in nouns if bare.startswith(n + " ")), None)
            if noun is None:
                return None
            words = piece.split()[len(noun.split()) + (len(low.split()) - len(bare.split())):]
            if not words[0][:1].islower():
                return None  # "Sở Y tế", "Các Sở Tài chính": a proper name, the usual path
            described = True
        else:
            words = piece.split()
        if k and not piece[:1].islower():
            return None
        if _JOINS.search(fold(" ".join(words)).lower()):
            return None
        g = load_grammar()
        for j, w in enumerate(words):
            if w[:1].isupper() and any(fold(" ".join(words[j:])).lower().startswith(h + " ") or
                                       fold(" ".join(words[j:])).lower() == h for h in g.after_conjunction):
                return None  # "… thuộc Sở Y tế": an agency of its own
    if not described or qualifier_end(text, start, cut) < cut:
        return None  # "Các sở, ban, ngành tỉnh có liên quan | tới việc …": a qualifier closes the name
    remark = _duty_remark(text, folded, start, cut)
    return remark if remark is not None else cut


def _duty_remark(text: str, folded: str, lo: int, hi: int) -> int | None:
    """Start of the first remark on the duties (cues ``duty_remarks``) in ``text[lo:hi]``,
    compared as printed: folded, "để" (in order to) is also "đề" ("Cơ quan lập đề án …")."""
    printed = cues().duty_remarks_printed
    for r in cues().duty_remarks.finditer(folded, lo, hi):
        if " ".join(text[r.start():r.end()].lower().split()) in printed:
            return r.start()
    return None


def _object_of_lead_in(text: str, start: int) -> tuple[str, int] | None:
    """The agency a lead-in hands work to when no cue verb follows it ("Giao Trung tâm
    Chuyển đổi số Thành phố | cấu hình …"): "Giao", "Đề nghị", "Yêu cầu" take an agency as
    object, so the proper name runs until the first lower-case word (pyvi's segmentation)
    that no agency name uses and that no capitalised word follows within two words ("… Chuyển
    đổi số | Thành phố" goes on, "… Đào tạo | biên soạn tài liệu" stops), within the clause."""
    ViTokenizer = vi_tokenizer()
    stop = re.search(r"[.;:]\s|[.;:]$", text[start:])
    end = start + stop.start() if stop else len(text)
    seg = text[start:end]
    words = _name_syllables()
    toks: list[tuple[int, str]] = []
    pos = 0
    for tok in ViTokenizer.tokenize(seg).split():
        first = tok.split("_")[0]
        at = seg.find(first, pos)
        if at < 0:
            continue
        pos = at + len(first)
        toks.append((at, tok))
    i = end
    for k, (at, tok) in enumerate(toks):
        if k == 0 or tok[:1].isupper() or not tok[:1].isalpha():
            continue
        if all(fold(w).lower() in words for w in tok.split("_")):
            continue
        if not any(t[:1].isupper() for _a, t in toks[k + 1:k + 3]):
            i = start + at
            break
    phrase = text[start:i].strip(" ,;:")
    if i >= end or not phrase or len(phrase.split()) > 20:
        return None
    return phrase, i


def _sentence_break(phrase: str) -> bool:
    """Does a subject phrase run over a sentence or clause break? A ";" before another agency
    ("Bộ trưởng các Bộ: Quốc phòng, Y tế; Chủ tịch Ủy ban nhân dân các tỉnh …") only joins
    two lists of who does the work."""
    return any(m.group()[0] != ";" or not is_agency_start(phrase[m.end():])
               for m in re.finditer(r"[.:;]\s", phrase))


def _named_function(text: str, folded: str, start: int, cue: re.Match[str]) -> bool:
    """Is the verb cue a word of the body's name: right after a bare head and before a
    capitalised word ("Hội đồng thẩm định Nhà nước", "Ban chỉ đạo Trung ương")? Such a body is
    named by its function; the same verb after a full name ("Bộ Tài chính thẩm định …") is
    the predicate."""
    head = folded[start: cue.start()].strip().lower()
    if not head or head not in load_grammar().heads:
        return False
    nxt = text[cue.end():].lstrip()
    return nxt[:1].isupper()


_PASSIVE = re.compile(r"duoc\s+(?:giao|phan\s+cong)\b", re.IGNORECASE)
#: A passive statement after a heading's collective, printed: "… được cấp …", not a role ("được giao")
_GRANTED = re.compile(r"(?<!không)\s+được\s+(?!giao\b|phân\s+công\b)(?=\w)")
_PASSIVE_BEFORE = re.compile(r"duoc\s+(?:giao|phan\s+cong)\s*$", re.IGNORECASE)
_DUTY_CUE = re.compile(r"\b(?:co|chiu)\s+trach\s+nhiem\b", re.IGNORECASE)


def ends_in_passive(phrase: str) -> bool:
    """Does an agency phrase end in "được giao" / "được phân công" (folded or printed)? Then a
    "chủ trì" after it belongs to the passive relative clause that says which bodies are
    meant ("Các cơ quan được phân công chủ trì …"), not to the sentence's predicate."""
    return bool(_PASSIVE_BEFORE.search(fold(phrase).lower().rstrip()))


def _past_passive_clause(folded: str, i: int) -> int:
    """Where a subject ends whose first verb cue at ``i`` opens a passive relative clause:
    "Các cơ quan, đơn vị được giao chủ trì | có trách nhiệm …", "Các cơ quan được phân công
    chủ trì thực hiện nhiệm vụ theo Kế hoạch này | có trách nhiệm …" — the clause names
    which agencies, the duty cue after it is the verb. Without such a cue in the sentence
    the subject ends at ``i`` as before."""
    if not (_PASSIVE.match(folded, i) or _PASSIVE_BEFORE.search(folded, 0, i)):
        return i
    stop = re.search(r"[.;:]", folded[i:])
    end = i + stop.start() if stop else len(folded)
    duty = _DUTY_CUE.search(folded, i, min(end, i + 160))
    return duty.start() if duty else i


def _title_length(folded: str) -> int:
    """Length of an official's title (grammar ``titles``) that opens ``folded``: its words are
    the name, never a verb cue ("Người đứng đầu cơ quan …": "đứng" folds like the cue "dựng")."""
    low = folded.lower()
    for t in sorted(load_grammar().titles, key=len, reverse=True):
        if re.match(r"\s+".join(map(re.escape, t.split())) + r"(?![a-z0-9])", low):
            return len(re.match(r"\s+".join(map(re.escape, t.split())), low).group(0))  # type: ignore[union-attr]
    return 0


def _noun_here(folded: str, i: int) -> bool:
    """Is the verb cue at ``i`` of ``folded`` a noun of a collective? Right after "các" ("các
    tổ chức chính trị - xã hội"), or a collective noun listed after a comma ("các cơ quan,
    tổ chức có liên quan": "tổ chức" is organisations here, not "to organise"); a kind word
    after a body noun ("các cơ quan truyền thông")."""
    if re.search(r"\bcac\s+$", folded[max(0, i - 5):i]):
        return True
    if _nominalised(folded, i):
        return True  # "liên quan đến việc thực hiện sắp xếp": a verb made a noun (cues ``nominalisers``)
    rest = folded[i:].lower()
    if any(rest.startswith(k) and rest[len(k):len(k) + 1] in ("", " ", ",") for k in load_grammar().kind_words) \
            and re.search(r"co\s+quan(?:\s+\w+){0,2}\s*,?\s*$", folded[max(0, i - 25):i].lower()):
        return True  # "các cơ quan truyền thông, báo chí": a kind of body (grammar ``kind_words``)
    if not re.search(r",\s*$", folded[max(0, i - 3):i]):
        return False
    rest = folded[i:].lower()
    return any(rest.startswith(n) and rest[len(n):len(n) + 1] in ("", " ", ",") for n in load_grammar().collective_nouns)


def _nominalised(folded: str, i: int) -> bool:
    """Is the verb cue at ``i`` made a noun by a word of cues ``nominalisers`` right before it,
    or right before the verb cues chained to it ("việc | thực hiện | sắp xếp")? Another word in
    between ("ngày làm việc kể từ ngày | nhận được") ends the noun."""
    before = folded[max(0, i - 60):i]
    if cues().nominalised.search(before):
        return True
    prev = None
    for v in cues().verbs.finditer(before):
        if not before[v.end():].strip():
            prev = v
    return prev is not None and _nominalised(folded, max(0, i - 60) + prev.start())


def _in_compound(text: str, i: int) -> bool:
    """Does the verb cue at ``i`` lie inside a noun of cues ``cue_compounds`` ("công | trình",
    "công trình | xây dựng")? Compared as printed, lower case, words apart by any space."""
    low = text.lower()
    for pattern, size in cues().compounds:
        lo = max(0, i - size - 8)
        if any(lo + m.start() < i < lo + m.end() for m in pattern.finditer(low[lo:i + size + 8])):
            return True
    return False


def _has_verb(phrase: str) -> bool:
    """Is there a lower-case verb cue in ``phrase`` outside registered names and "các …"?"""
    folded = fold_aligned(phrase)
    mask = _protected(phrase)
    return any(not mask[v.start()] and phrase[v.start()].islower() and not _noun_here(folded, v.start())
               for v in cues().verbs.finditer(folded))


_DUTY = re.compile(r"^(?:co|chiu)\s+(?:quyen\s+han\s+va\s+|nhiem\s+vu\s*(?:,|va)\s*)?(?:trach\s+nhiem|quyen\s+han)(?:\s+\w+){0,4}$|^(?:thuc\s+hien|trien\s+khai)(?:\s+cac)?\s+nhiem\s+vu(?:\s+\w+){0,2}$")


def agency_heading(heading: str) -> str | None:
    """The agency a heading names when it only names who does the items under it.

    "Sở Tài chính", "Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh",
    "Các bộ, ngành, địa phương có trách nhiệm:", "Sở Y tế (cơ quan thường trực)" → the
    agency phrase; a heading that states an action ("Tổ chức triển khai …", "Sở Y tế chủ
    trì rà soát …") → None.
    """
    h = without_role(re.sub(r"\s*\([^)]*\)", "", heading).strip().rstrip(" :"))
    m = cues().prefixes.match(fold_aligned(h))
    if m:
        h = h[m.end():].lstrip(" :")
    duty = cues().duty_of.match(fold_aligned(h))  # "Trách nhiệm của Sở Tài chính"
    if duty:
        h = h[duty.end():].lstrip(" :")
    listed = locality_list(h)  # "Ủy ban nhân dân các xã: A, B": the colon is in the name
    probe = h if listed is None else h[:listed[0]] + "," + h[listed[0] + 1:]
    if not h or h.endswith(".") or re.search(r"[!?]\s", probe) or _sentence_break(probe):
        return None
    if not h or len(h.split()) > 30 or not is_agency_start(h):
        return None
    granted = _GRANTED.search(h)
    if (granted and is_collective(h[:granted.start()]) and looks_like_agency(h[:granted.start()])
            and not _DUTY_CUE.search(fold_aligned(h), granted.end())):
        # "3. Các cơ quan, đơn vị | được cấp 01 tài khoản quản trị …." then "a) …": a statement
        # about the bodies whose duties follow ("được giao/phân công" names a role instead)
        return h[:granted.start()].strip(" ,")
    if not _has_verb(probe):
        # "Trách nhiệm của các tổ chức, cá nhân | trong quản lý lớp học": whose duties, then a remark
        return (_whose_duties(h) or h) if duty else h
    if duty:
        whose = _whose_duties(h)
        if whose:
            return whose
    subj = subject(h)
    if m and subj is not None and re.fullmatch(r"(?i)các(?:\s+\S+){1,2}", subj[0]) and not _DUTY.match(fold_aligned(h[subj[1]:])):
        # "Đề nghị các tổ chức cung cấp dịch vụ chi trả": a request heading naming a collective
        # by what it does — a relative clause, the heading names who, not an action
        return h
    if subj is not None and _DUTY.match(fold_aligned(h[subj[1]:]).strip()):
        return subj[0]  # "Các bộ, ngành, địa phương có trách nhiệm:"
    if duty and subj is not None:
        return subj[0]  # "Trách nhiệm của các sở, ngành trong việc …": whose duties, then a remark
    return None


def _whose_duties(h: str) -> str | None:
    """The bodies a duty heading names ("Trách nhiệm của | doanh nghiệp cung cấp dịch vụ Hệ
    thống QLVB&ĐH", "… | các cơ quan, đơn vị sử dụng Hệ thống thư điện tử công vụ"): the whole
    noun phrase, its relative clause included — a heading states no action of its own — up to
    a remark on the duties (cues ``duty_remarks``: "… các sở, ngành | trong việc …")."""
    folded = fold_aligned(h)
    mask = _protected(h)
    if any(not mask[m.start()] and h[m.start()].islower() for m in cues().heading_predicates.finditer(folded)):
        return None  # "… Sở Khoa học và Công nghệ là cơ quan …, có trách nhiệm": a lead-in sentence joined on
    end = len(h)
    for r in cues().duty_remarks.finditer(folded):
        if (r.start() > 0 and not mask[r.start()] and h[r.start()].islower()
                and _duty_remark(h, folded, r.start(), r.end()) is not None):
            end = r.start()
            break
    phrase = h[:end].strip(" ,;:")
    return phrase if phrase and len(phrase.split()) <= 30 and is_agency_start(phrase) else None


def duty_article(heading: str) -> bool:
    """Does a decision's article heading hand out work in numbered clauses ("Tổ chức thực
    hiện", "Trách nhiệm của …"; ``duty_article_headings`` of assignment_cues.yaml)?"""
    return bool(cues().duty_articles.match(fold_aligned(heading.strip(" *_")).lower()))


def agency_label(text: str) -> tuple[str, str] | None:
    """(agency phrase, rest) for an item that names who does what follows its colon.

    "Sở Tài chính:" → ("Sở Tài chính", ""); "Đề nghị Công ty Điện lực tỉnh: Khẩn trương
    kiểm tra …" → ("Công ty Điện lực tỉnh", "Khẩn trương kiểm tra …").
    """
    if distributive_prefix(text) is not None:
        return None  # "Các Bộ: Công Thương, Ngoại giao thành lập …": the colon lists members
    listed = locality_list(text)
    colon = text.find(":", listed[1]) if listed is not None else text.find(":")
    while 0 <= colon < 220:
        head = text[:colon]
        if fold_aligned(head).strip() not in {fold_aligned(p) for p in ("Đề nghị", "Giao", "Yêu cầu")}:
            break
        colon = text.find(":", colon + 1)  # "Đề nghị: Hiệp hội …:"
    if colon <= 0 or colon > 220 or read_field(text):
        return None
    agency = agency_heading(text[:colon])
    return (agency, text[colon + 1:].strip()) if agency else None


_COOP = re.compile(r"\bphoi\s+hop\s+(?:chat\s+che\s+)?(?:voi\s+|cung\s+)?")


@lru_cache(maxsize=1)
def _name_syllables() -> frozenset[str]:
    """Lower-case syllables (folded) a name may carry after its capitalised words ("… tỉnh",
    "… các xã", "… có liên quan"): the grammar's name words, collective and level nouns and
    qualifiers."""
    g = load_grammar()
    phrases = (*g.words, *g.level_nouns, *g.collective_nouns, *g.qualifiers, "cac", "va", "cua", "cung")
    return frozenset(fold(w).lower() for phrase in phrases for w in phrase.split())


def name_run_end(text: str, start: int = 0, end: int | None = None) -> int:
    """Where a proper agency name in ``text[start:end]`` runs on into the sentence.

    A proper name capitalises its first words ("Đảng đoàn Quốc hội", "Trung tâm Kiểm soát
    bệnh tật tỉnh"). After a capitalised word, a lower-case verb, adjective or preposition
    (pyvi's segmentation and tags) made of syllables that no agency name uses, with no
    capitalised word after it in the piece, begins the predicate: "Đảng đoàn Quốc hội | thể
    chế hóa đầy đủ …", a verb no cue lists. A comma, "và" or "với" starts a new piece
    (a collective such as "các tổ chức chính trị - xã hội" is all lower case)."""
    ViTokenizer, ViPosTagger = vi_tokenizer(), vi_pos_tagger()
    end = len(text) if end is None else end
    seg = text[start:end]
    if not seg.strip():
        return end
    words = _name_syllables()
    registered = _protected(seg)
    pos = 0
    pieces: list[list[tuple[int, str, str]]] = []
    current: list[tuple[int, str, str]] = []  # (offset, token, part of speech) per piece
    for tok, tag in zip(*ViPosTagger.postagging(ViTokenizer.tokenize(seg))):
        first = tok.split("_")[0]
        at = seg.find(first, pos)
        if at < 0:
            continue
        pos = at + len(first)
        if tok in (",", ";") or tok.lower() in ("và", "với"):
            pieces.append(current)
            current = []
            continue
        current.append((at, tok, tag))
    pieces.append(current)
    for piece in pieces:
        capital = False
        for k, (at, tok, tag) in enumerate(piece):
            if tok[:1].isupper() and tok.lower() != "các":
                capital = True
                continue
            if not capital or tag not in _PREDICATE_TAGS or not tok[:1].isalpha():
                continue
            after_registered = (at > 1 and registered[at - 2] and not registered[at] and tag == "V"
                                and _ends_full_name(seg, registered, at - 1)
                                and not all(fold(w).lower() in _level_syllables() for w in tok.split("_")))
            if all(fold(w).lower() in words for w in tok.split("_")) and not after_registered:
                continue  # ("Bộ Khoa học và Công nghệ | quản lý, kiểm tra …": a registered name is whole)
            if not any(t[:1].isupper() for _a, t, _g in piece[k + 1:]):
                return start + at
    return end


@lru_cache(maxsize=1)
def _level_syllables() -> frozenset[str]:
    """Syllables (folded) of the grammar's collective and level nouns and qualifiers: after a
    registered name they go on with it ("Ủy ban nhân dân | cấp xã", "… | các địa phương")."""
    g = load_grammar()
    return frozenset(w for phrase in (*g.level_nouns, *g.collective_nouns, *g.qualifiers, "cac", "va", "cua")
                     for w in phrase.split())


def _ends_full_name(seg: str, registered: list[bool], end: int) -> bool:
    """Does the registered name ending at ``end`` name one body in full ("Bộ Khoa học và Công
    nghệ"), not a kind of body that its function names further ("Ban Chỉ đạo | phát triển du
    lịch …", a grammar head)?"""
    start = end
    while start > 0 and registered[start - 1]:
        start -= 1
    return fold(seg[start:end]).lower().strip() not in load_grammar().heads


#: pyvi parts of speech that begin a predicate after a name: verb, adjective, preposition
#: ("… Quốc hội | thể chế hóa", "… Công an | trong"); nouns stay in the name ("Trung tâm
#: Kiểm soát bệnh tật tỉnh", "Ban Đại diện cha mẹ học sinh")
_PREDICATE_TAGS = frozenset({"V", "A", "E"})


def phrase_end(text: str, start: int) -> int:
    """Where an agency list that starts at ``start`` ends: at sentence punctuation or at the
    first lower-case verb cue outside a registered name ("UBND các xã, phường | cập nhật …")."""
    folded = fold_aligned(text)
    end = len(text)
    for p in re.finditer(r"[.:(]|;\s*", text[start:]):
        if p.group().startswith(";") and is_agency_start(text[start + p.end():]):
            continue  # "các sở, ban, ngành; UBND các huyện …": the list goes on
        end = start + p.start()
        break
    mask = _protected(text)
    skip = start
    for v in cues().verbs.finditer(folded, start, end):
        i = v.start()
        if i < skip:
            continue
        role = _PASSIVE_ROLE.match(folded, i) or _PASSIVE_ROLE.match(folded, max(start, i - 5))
        if role is not None and role.end() > i:
            skip = role.end()  # "các Sở, ban, ngành được giao chủ trì": which bodies, not the work
            continue
        if not mask[i] and text[i].islower() and not _noun_here(folded, i):
            end = i
            break
    return name_run_end(text, start, qualifier_end(text, start, end))


#: A passive role clause inside a collective's name: "(các Sở, ban, ngành) được giao chủ trì".
_PASSIVE_ROLE = re.compile(r"duoc\s+(?:giao|phan\s+cong)(?:\s+(?:chu\s+tri|thuc\s+hien))?(?![a-z])", re.IGNORECASE)


def cooperating(text: str, start: int = 0) -> list[str]:
    """The agencies after "phối hợp (với)" in a sentence, as printed ("…, phối hợp với Sở Tài
    chính, UBND các huyện triển khai …" → ["Sở Tài chính", "UBND các huyện"]).

    Every "phối hợp" from ``start`` on counts, each once: an item often names partners in two
    sentences ("Phối hợp chặt chẽ các lực lượng, … Phối hợp chặt chẽ với Viện kiểm sát nhân
    dân thành phố, Tòa án nhân dân thành phố …"); one that names no agency ("phối hợp
    triển khai …") gives none, nor one that names the lead body by its role ("phối hợp với
    cơ quan chủ trì")."""
    out: list[str] = []
    folded = fold_aligned(text)
    bare = set(load_grammar().collective_nouns)
    for m in _COOP.finditer(folded, start):
        if not is_agency_start(text[m.end():]) or (out and _advised(text, folded, start, m.start())):
            continue  # the advised body's partners, after the task's own (see _advised)
        end = phrase_end(text, m.end())
        found = partner_names(text[m.end(): end])
        if [fold(n).lower() for n in found] in ([b] for b in bare) and folded[end:end + 7].lower() == "chu tri":
            continue  # "phối hợp với cơ quan chủ trì": the lead body, named elsewhere
        out += [n for n in found if n not in out]
    return out


@lru_cache(maxsize=1)
def _advising_re() -> re.Pattern[str]:
    with open(CUES_PATH, encoding="utf-8") as fh:
        words = yaml.safe_load(fh).get("advising_verbs") or []
    return re.compile(rf"(?<![\w])(?:{_alternation(words)})\s+", re.IGNORECASE) if words else re.compile(r"(?!)")


def _advised(text: str, folded: str, start: int, at: int) -> bool:
    """Is the "phối hợp" at ``at`` the cooperation of a body the task advises ("Chủ trì, phối
    hợp với các đơn vị liên quan tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Quốc phòng …",
    cues ``advising_verbs``)? Only when an advising verb and its addressee come before it in
    the same clause. The caller asks only once the task has named partners of its own: "Tham
    mưu Ủy ban nhân dân tỉnh phối hợp các bộ, ngành Trung ương …" with none before names
    the only partners the work has (the corpus gold reads both so)."""
    cuts = [p.end() for p in re.finditer(r"[.;]\s", folded[start:at])]
    clause = start + (cuts[-1] if cuts else 0)
    for a in _advising_re().finditer(folded, clause, at):
        if is_agency_start(text[a.end():at]):
            return True
    return False


def listed_names(value: str) -> list[str]:
    """The agencies of a labelled field's value ("Cơ quan thực hiện: …"): names up to the first
    verb, past a scope remark that the list goes on after ("Sở Nội vụ, các sở, ban, ngành
    trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan, tổ chức khác có liên quan")."""
    folded = fold_aligned(value)
    m = cues().scopes.search(folded)
    if m is not None:
        for v in re.finditer(r"\s(?:va|hoac)\s", folded[m.end():]):
            rest = value[m.end() + v.end():]
            if is_agency_start(rest):
                value = value[:m.start()].rstrip(" ,") + ", " + rest
                break
    return names(value[: phrase_end(value, 0)])


def partner_names(text: str) -> list[str]:
    """:func:`names` of a partner list that may run on into the work: the list ends at the
    first lower-case piece that begins no agency ("… các lực lượng, sử dụng đồng bộ các biện
    pháp …" — a verb no cue lists). A capitalised piece is kept (a proper name: "Bưu điện
    tỉnh", "Viettel")."""
    out: list[str] = []
    for i, n in enumerate(names(text)):
        if i and n[:1].islower() and not is_agency_start(n):
            break
        out.append(n)
    return out


#: What a lead-in may say after its partners when it hands out no work of its own: nothing, a
#: duty ("có trách nhiệm", "thực hiện các nhiệm vụ sau"), "cụ thể" / "như sau", the duty after
#: its basis ("căn cứ Danh mục … được công bố tại Điều 1 Quyết định này có trách nhiệm") (folded).
_DUTY_WORDS = (r"(?:(?:co|chiu)\s+trach\s+nhiem|co\s+nhiem\s+vu|(?:thuc\s+hien|trien\s+khai)(?:\s+cac)?"
               r"\s+(?:nhiem\s+vu|noi\s+dung))")
_BARE_LEAD_IN_TAIL = re.compile(
    rf"^(?:(?:(?:can\s+cu|tren\s+co\s+so)\s+[^:;]{{3,200}}?\s+)?{_DUTY_WORDS})?"
    r"(?:\s+(?:sau(?:\s+day)?|nhu\s+sau|cu\s+the))?\s*$")


def lead_in_partners(lead_in: str) -> list[str]:
    """The partners a lead-in names for the items under it: "Sở Tài chính chủ trì, phối hợp với
    các cơ quan, đơn vị có liên quan:" / "Giao Sở X chủ trì, phối hợp các đơn vị liên quan có
    trách nhiệm:" then "1. …", "a) …" — every item is done with them (CONVENTIONS §1). None
    when the lead-in is a task of its own ("Giao Bộ Công an chủ trì, phối hợp với … nghiên cứu,
    tiếp thu …, bảo đảm một số yêu cầu sau:"): its partners are that task's, the items are
    requirements on it."""
    text = lead_in.rstrip(" *_").rstrip(":").rstrip()
    folded = fold_aligned(text)
    found = list(_COOP.finditer(folded))
    if len(found) != 1 or not is_agency_start(text[found[0].end():]):
        return []
    end = phrase_end(text, found[0].end())
    if not _BARE_LEAD_IN_TAIL.match(folded[end:].strip(" ,;").lower()):
        return []
    return cooperating(text)
