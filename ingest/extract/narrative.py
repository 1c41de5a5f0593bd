"""Tasks and targets stated in the *body* of a plan (as opposed to its appendix tables).

Why both: many plans list their tasks twice — as numbered prose in the body ("III.
NHIỆM VỤ CỤ THỂ", "a) Tuyên truyền …") and as rows of an appendix table with agencies and
deadlines; some (seeds 003, 004) have no appendix at all, so the prose is the only
source. The graph builder links each narrative item to the appendix row that restates it.

Which items are tasks: the items of the tasks section ("NHIỆM VỤ …", "NHIỆM VỤ VÀ GIẢI
PHÁP", "PHÂN CÔNG NHIỆM VỤ"). Numbered headings that only group items ("1. Nâng cao nhận
thức …" above "a)", "1.1") are themes, not tasks; a heading that names an agency ("1. Sở
Thông tin và Truyền thông" above "- …" items) makes that agency the lead of its items.
A lettered item with dash items below it is itself a task and so are its dashes.

Which items are targets: the bullets of "CÁC CHỈ TIÊU CHỦ YẾU" / "MỤC TIÊU" (general
objectives, "Mục tiêu chung", excluded), one target per sentence, the horizon taken from
the nearest heading that states one ("1. Đến năm 2030", "2.2. Tầm nhìn đến năm 2045").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from plankg.ingest.extract.agencies import looks_like_agency, without_role
from plankg.ingest.extract.assignments import (
    Field,
    agency_heading,
    agency_label,
    cooperating,
    cues,
    ends_in_passive,
    is_agency_start,
    is_component,
    listed_names,
    names,
    phrase_end,
    read_field,
    requested_subject,
    subject,
)
from plankg.ingest.extract.deadlines import deadline_phrase, parse_deadline
from plankg.ingest.extract.mentions import link_narrative_to_appendix
from plankg.ingest.extract.paragraphs import (
    after_opener,
    assigns_nothing,
    clause_starts,
    inline_items,
    is_closing,
    is_topic_label,
    locate,
    names_a_document,
    paragraphs,
    subjects_run_on,
)
from plankg.ingest.extract.structure import (
    ARTICLE,
    DASH,
    LETTER,
    NUM,
    NUM2,
    PLUS,
    ROMAN,
    Line,
    Node,
    ancestors,
    first_paragraph,
    fold,
    join,
    line_width,
    own_text,
    parse_body,
    text_offset,
    unlisted_letter_body,
)
from plankg.ingest.extract.values import parse_unit, parse_value
from plankg.ingest.model import (
    Deadline,
    SectionRecord,
    SourceText,
    TargetRecord,
    TaskRecord,
)

_TASK_HEADING = re.compile(r"NHIEM VU|GIAI PHAP")
_NOT_TASKS = re.compile(r"TO CHUC THUC HIEN|MUC DICH|MUC TIEU|CHI TIEU|TINH HINH")
# Sections of arrangements, whose items are tasks only where they name who does them; the
# budget section assigns too ("2. Sở Tài chính chủ trì, phối hợp … bố trí kinh phí …")
# A notice's replies to requests ("III. VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH": "1. Về …: giao Bộ X …")
# assign the same way.
_ARRANGEMENTS = re.compile(r"TO CHUC THUC HIEN|TRACH NHIEM THUC HIEN|CHE DO BAO CAO|KINH PHI|KIEN NGHI")
_CONTENTS = re.compile(r"^NOI DUNG")  # "II. NỘI DUNG": its items are tasks where they name who
_TARGET_HEADING = re.compile(r"CHI TIEU|MUC TIEU")
_GENERAL = re.compile(r"muc tieu chung", re.IGNORECASE)
_HORIZON = re.compile(r"(?:t\S{1,2}m\s+nh\S{1,2}n\s+)?\S{1,3}n\s+(?:h\S{1,2}t\s+)?(?:n\S{1,3}m\s+\d{4}|ng\S{1,3}\s+\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
_RE_LEAD = re.compile(r"(?:\bgiao\s+|^|[.;:]\s+)(?P<lead>[^.;:]{3,120}?)\s+chu\s+tri\b", re.IGNORECASE)
# -- helpers ---------------------------------------------------------------------------

def _nodes_for(source: SourceText, sections: list[SectionRecord]) -> tuple[list[Node], list[Line]]:
    """The parsed body, restricted to the sections the caller passes (main body only)."""
    nodes, lines = parse_body(source)
    wanted = {s.path for s in sections if not s.appendix}
    return [n for n in nodes if n.path in wanted], lines


def _descendants(node: Node) -> Iterable[Node]:
    for c in node.children:
        yield c
        yield from _descendants(c)


def _agencies(text: str) -> tuple[list[str], list[str]]:
    """(lead, cooperating) named in an item: "Sở X chủ trì, phối hợp với Sở Y, Sở Z …"."""
    f = fold(text)
    lead: list[str] = []
    coop: list[str] = []
    m = _RE_LEAD.search(f)
    if m and re.search(r"\bdo\s", m.group("lead").lower()):
        m = None  # "… các dự án do Bộ Công an chủ trì": a relative clause, not who leads the item
    if m and ends_in_passive(m.group("lead")):
        m = None  # "Các cơ quan được phân công chủ trì … có trách nhiệm …": who, not what
    if m and looks_like_agency(text[m.start("lead"):]):
        # "Công an tỉnh có trách nhiệm chủ trì …": the name ends at its first verb cue
        phrase = text[m.start("lead"): m.end("lead")]
        lead = names(phrase[: phrase_end(phrase, 0)])
    after = m.end() if m else 0
    subj = subject(text) if not lead else None
    for at in _topic_ends(text) if subj is None and not lead else []:
        # "Về <topic>: Bộ Xây dựng khẩn trương …"; a topic that quotes the request with a
        # colon of its own ("Về …: tăng số lượng cấp phó …: giao Bộ Nội vụ chủ trì …")
        found = subject(text[at:])
        if found is not None:
            subj = (found[0], found[1] + at)
            break
    if subj is not None:  # "Các cơ quan, đơn vị xây dựng …", "Giao Sở Tư pháp theo dõi …"
        lead, after = names(subj[0]), subj[1]
    if m or subj or re.match(r"(?:phoi\s+hop|chu\s+tri)\b", f.lower()):
        coop = cooperating(text, after)
    return lead, coop


def _topic_end(text: str) -> int:
    """Where the work starts after a topic label ("Về nguồn vật liệu đá: …", "Về đề nghị …:
    giao …"): the offset after the first colon of an item that opens with "Về"; 0 without one."""
    if not re.match(r"ve\s", fold(text[:4]).lower()):
        return 0
    colon = text.find(":")
    return colon + 1 + (len(text[colon + 1:]) - len(text[colon + 1:].lstrip())) if 0 < colon < 500 else 0


def _topic_ends(text: str) -> list[int]:
    """Where the work may start after a topic label: after each colon within the first 500
    characters of an item that opens with "Về" (a long request quoted as the topic)."""
    if not _topic_end(text):
        return []
    out = []
    for m in re.finditer(r":\s*", text[:500]):
        out.append(m.end())
    return out


def _deadline(text: str) -> Deadline | None:
    return deadline_phrase(text)


def item_agencies(text: str) -> tuple[list[str], list[str]]:
    """(lead, cooperating) an assigning item names itself (public for :mod:`.articles`)."""
    return _agencies(text)


def paragraph_agencies(text: str) -> tuple[list[str], list[str]]:
    """(lead, cooperating) a paragraph names itself, past an opening clause; none where its
    subject only answers for the work (public for :mod:`.articles`)."""
    return _paragraph_agencies(text)


def item_deadline(text: str) -> Deadline | None:
    """The deadline an item's sentence gives, if any (public for :mod:`.articles`)."""
    return _deadline(text)


def _make_deadline(phrase: str) -> Deadline:
    return parse_deadline(phrase) or Deadline(text=phrase, start=None, end=None)


def _is_agency_heading(node: Node, heading: str) -> bool:
    """A numbered heading that is only an agency's name ("1. Sở Y tế"); a lettered or dash
    one too when items follow it ("a) Sở Xây dựng" then "- …", a directive's duties by
    agency; "- Bộ Công Thương" then "+ …", a resolution's duties by ministry)."""
    return ((node.level in (NUM, NUM2) or (node.level in (LETTER, DASH) and bool(node.children)))
            and len(heading) < 100 and not heading.rstrip().endswith(".")
            and looks_like_agency(heading) and len(heading.split()) <= 14)


def _strip_remark(heading: str) -> str:
    """"Sở Thông tin và Truyền thông (Cơ quan Thường trực …)" and "Sở Tài chính - Cơ quan
    thường trực Ban Chỉ đạo" (grammar ``role_appositions`` after a dash) → the agency's name."""
    return without_role(re.sub(r"\s*\([^)]*\)\s*$", "", heading).strip())


# -- tasks -----------------------------------------------------------------------------

@dataclass
class _Pending:
    """Tasks that a following block of labelled fields fills ("Đơn vị chủ trì: …").

    A field block fills every task of the same theme (nearest numbered heading) printed
    since the previous block: "- task 1", "- task 2", "Đơn vị chủ trì: X" gives X to both.
    """

    tasks: list[tuple[TaskRecord, Node]] = field(default_factory=list)
    closed: bool = False

    def add(self, task: TaskRecord, theme: Node) -> None:
        if self.closed:
            self.tasks, self.closed = [], False
        self.tasks.append((task, theme))

    def fill(self, f: Field, theme: Node) -> bool:
        targets = [t for t, th in self.tasks if th is theme]
        for t in targets:
            _set_field(t, f)
        self.closed = True
        return bool(targets)

    def fill_from_items(self, kind: str, items: list[Node], theme: Node) -> None:
        """An empty field whose items give its value. A lead field's items each name a body
        and its share of the work: every body leads and their partners cooperate. A deadline
        field's items date the steps of the task: the last dated step ends it."""
        lead: list[str] = []
        coop: list[str] = []
        deadline: Deadline | None = None
        for item in items:
            text = own_text(item)
            if kind == "lead":
                own, partners = _paragraph_agencies(text)
                lead += [a for a in own if a not in lead]
                coop += [a for a in partners if a not in coop and a not in lead]
            deadline = _deadline(text) or deadline
        for t, th in self.tasks:
            if th is not theme:
                continue
            if lead:
                t.lead, t.cooperating = lead, coop or t.cooperating
            if kind == "deadline" and deadline is not None:
                t.deadline = deadline
        self.closed = True


def _set_field(task: TaskRecord, f: Field) -> None:
    """A printed field overrides what the task's sentence suggested."""
    if not f.value:
        return  # "Cơ quan thực hiện:" heads the fields below it
    if f.kind in ("lead", "cooperating"):
        # "Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu …": the names end at the first verb
        if f.kind == "lead":
            task.lead = listed_names(f.value)
            if not task.cooperating:  # "Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với các sở, …"
                task.cooperating = cooperating(f.value)
        else:
            task.cooperating = listed_names(f.value)
    elif f.kind == "deadline":
        task.deadline = _make_deadline(f.value)
    elif f.kind == "output":
        task.output = f.value


def _theme(node: Node) -> Node:
    """The nearest numbered heading at or above ``node``: the scope of a field block."""
    n: Node | None = node
    while n is not None and n.level not in (ROMAN, NUM, NUM2):
        n = n.parent
    return n or node


def _field_node(node: Node) -> Field | None:
    """A list item that is a labelled field ("- Đơn vị chủ trì: Sở Tư pháp."), value joined."""
    f = read_field(node.body)
    if f is None or f.kind == "task":
        return None
    value = join([node.body[f.value_start:]] + [ln.text for ln in node.own[1:]]).strip().rstrip(" .;")
    return Field(f.kind, value, f.value_start)


def extract_narrative_tasks(source: SourceText, sections: list[SectionRecord],
                            warnings: list[str] | None = None) -> list[TaskRecord]:
    """The tasks stated in the body's tasks section(s), in reading order.

    A "TỔ CHỨC THỰC HIỆN" (or "KINH PHÍ") section contributes only the items that name who does them: the
    items under an agency heading (seed 003 V: "1. Sở Thông tin và Truyền thông" then
    "- …") and sentences that assign ("Sở Tài chính chủ trì …", "Giao Công an thành phố
    …"); its other sentences are implementation arrangements. Labelled field lines
    ("Đơn vị chủ trì: …", "Thời gian thực hiện: …") fill the tasks above them.

    Items of the tasks section that name no agency stay tasks (seed 004 has no other
    source; in seed 000 they restate appendix rows, which the builder links to them).
    """
    nodes, lines = _nodes_for(source, sections)
    width = line_width(lines)
    out: list[TaskRecord] = []
    for root, arrangements in _task_roots(nodes, lines):
        found: list[TaskRecord] = []
        pending = _Pending()
        absorbed: set[int] = set()
        for node in _descendants(root):
            if id(node) in absorbed:
                continue
            f = _field_node(node)
            if (f is not None and f.kind in ("lead", "deadline") and not f.value and node.children
                    and all(_field_node(c) is None for c in node.children)):
                # "- Cơ quan thực hiện:" / "+ Sở X chủ trì, phối hợp với …" / "+ Sở Y đăng tải …", or
                # "- Thời gian thực hiện:" / "+ … trước ngày 15 tháng 12 …" / "+ … trước ngày 31 …":
                # the items are the field's value, no tasks of their own
                absorbed |= {id(d) for d in _descendants(node)}
                pending.fill_from_items(f.kind, node.children, _theme(node))
                continue
            if f is not None:
                if not pending.fill(f, _theme(node)) and f.value and warnings is not None:
                    warnings.append(_orphan_field_warning(node, f))
                continue
            got = _task(source, node, root, width)
            if got is None:
                continue
            task, fields = got
            absorbed |= _absorb_components(source, task, node)
            pieces = [e for piece in _paragraph_tasks(source, node, task, fields) for e in _enumerated(source, piece)]
            for piece in pieces:
                pending.add(piece, _theme(node))
            for f in fields:
                pending.fill(f, _theme(node))
            found += pieces
        if arrangements and root.level == ROMAN:
            found = _part_paragraphs(source, root) + found
        out += [t for t in found if t.lead or not arrangements]
    if not nodes and not any(ARTICLE.match(ln.text) for ln in lines):
        out += _letter_tasks(source, lines)
    return out


def _letter_tasks(source: SourceText, lines: list[Line]) -> list[TaskRecord]:
    """The tasks of a letter or telegram that prints no list: its body after "Kính gửi: …" is
    read as arrangements, one task per paragraph or sentence that names who does it ("Đề nghị
    Thuế tỉnh Quảng Ninh căn cứ …", "Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên khẩn trương ….
    Ủy ban nhân dân các tỉnh: … đẩy nhanh …"), the way a numbered letter's items are read;
    the preamble, the legal grounds and the closing formula name nobody and are no task."""
    body = [ln for p in paragraphs(unlisted_letter_body(lines))[1:] for ln in p]  # past the salutation
    if not body:
        return []
    node = Node(NUM, "", "1", "1", None, body[0].index, body, last_line=body[-1].index, body=body[0].text)
    text = join([ln.text for ln in body])
    whole = TaskRecord(number="", path="1", text=text, lead=[], cooperating=[], output=None, deadline=None,
                       section=None, span=source.span(body[0].start, body[-1].end), origin="narrative",
                       method="narrative-item")
    pieces = _paragraph_tasks(source, node, whole, [])
    if pieces == [whole] and not is_closing(text):
        lead, coop = _paragraph_agencies(text)
        whole.lead, whole.cooperating, whole.deadline = lead, coop, _deadline(text)
    return [e for piece in pieces for e in _enumerated(source, piece) if e.lead]


def _part_paragraphs(source: SourceText, root: Node) -> list[TaskRecord]:
    """The paragraphs an arrangements part prints under its heading, before any item ("VII. CHẾ
    ĐỘ BÁO CÁO" / "Các sở, ban, ngành, … gửi báo cáo … về Sở Nội vụ trước ngày 16 tháng 12 năm
    2025 …"): each that names its own agencies is a task. A lead-in that introduces items
    (ending with ":") is not, and a closing formula ends the part."""
    own = root.own[_heading_line_count(root):]
    out: list[TaskRecord] = []
    for k, para in enumerate(paragraphs(own), 1):
        text = join([ln.text for ln in para])
        if is_closing(text) or (root.children and text.rstrip(" *_").endswith(":")):
            continue
        lead, coop = _paragraph_agencies(text)
        if not lead:
            continue
        out.append(TaskRecord(
            number="", path=f"{root.path}.p{k}", text=text, lead=lead, cooperating=coop, output=None,
            deadline=_deadline(text), section=root.path, span=source.span(para[0].start, para[-1].end),
            origin="narrative", method="narrative-paragraph"))
    return out


def _task_roots(nodes: list[Node], lines: list[Line] | None = None) -> Iterable[tuple[Node, bool]]:
    """The sections whose items may be tasks, each with whether it is read as arrangements
    (only items that name who does them are tasks).

    A plan's roman sections are chosen by their heading. A letter, telegram or notice
    ("1. Bộ Tài chính: …", "2. Giao Bộ X chủ trì …" under a preamble) prints no roman
    heading: its numbered list as a whole is read as arrangements, under one unnamed root."""
    romans = [n for n in nodes if n.level == ROMAN]
    for root in romans:
        if not _capitals(root.body):  # "I. Trách nhiệm phối hợp …" of a directive, not a plan's part
            yield root, True
            continue
        key = fold(_roman_heading(root)).upper()
        arrangements = bool(_ARRANGEMENTS.search(key)) or (bool(_CONTENTS.search(key)) and not _TASK_HEADING.search(key))
        if arrangements or (_TASK_HEADING.search(key) and not _NOT_TASKS.search(key)):
            yield root, arrangements
        elif not _NOT_TASKS.search(key) and _lead_in_paragraph(root) and _lead_in_subject(root):
            # "I. ĐÁNH GIÁ CHUNG" / … / "Để …, thành phố Đà Nẵng cần tập trung thực hiện tốt một số
            # nhiệm vụ, giải pháp sau đây:" / "1. …": a notice of conclusions turns from its
            # assessment to the work inside the part; the lead-in's subject leads the items
            yield root, True
    if not romans and nodes:
        top = [n for n in nodes if n.parent is None]
        yield Node(0, "", "", "", None, top[0].first_line, _lead_in_above(lines or [], top[0].first_line),
                   children=top), True


def _lead_in_above(lines: list[Line], first: int) -> list[Line]:
    """The paragraph right above a letter's list when it introduces the list ("…, Bộ Tài chính
    đề nghị UBND các tỉnh, thành phố quan tâm chỉ đạo:" then "1. …"): the unnamed root's own
    text, whose subject leads the items that name nobody (:func:`_lead_in_subject`)."""
    paras = paragraphs(lines[max(0, first - 12):first]) if first > 0 else []
    last = paras[-1] if paras else []
    return last if last and last[-1].text.rstrip(" *_").endswith(":") else []


def _capitals(heading: str) -> bool:
    """A plan prints its part headings in capitals ("III. NHIỆM VỤ VÀ GIẢI PHÁP"); a
    directive or letter numbers sentence-case headings ("I. Trách nhiệm …"), whose items
    are read as arrangements whatever the heading says."""
    letters = [c for c in heading if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) >= 0.7 * len(letters)


#: agency-led tasks a plan must assign elsewhere before its agency-less sections are read as
#: its goals and solutions rather than as tasks
_ASSIGNED_ELSEWHERE = 3


#: a themed list of solutions ("NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"), as opposed to a list of the
#: issuer's own tasks ("III. NHIỆM VỤ" of a steering committee's plan, seed 003)
_SOLUTIONS = re.compile(r"GIAI PHAP")


def drop_unassigned(tasks: list[TaskRecord], sections: list[SectionRecord], warnings: list[str]) -> list[TaskRecord]:
    """Leave out the items of a body section of solutions ("III. NHIỆM VỤ VÀ GIẢI PHÁP") none
    of which names who does it, when the plan assigns its work by agency elsewhere (an
    appendix table or agency headings of another tasks section).

    Why: such a plan lists its solutions once by theme and once by agency ("IV. NHIỆM VỤ CỤ
    THỂ: 1. Sở …", "Phụ lục: Cơ quan chủ trì"); the themed list is what the agencies carry
    out, by reference, not a second set of tasks with no one in charge. A plan whose only
    agency-led items are its arrangements ("Tổ chức thực hiện": "Cấp ủy … tổ chức phổ biến
    …", seed 004) keeps its items: there the themed list is the work. The section is named
    in a warning."""
    narrative = [t for t in tasks if t.origin == "narrative"]
    groups: dict[str, list[TaskRecord]] = {}
    for t in narrative:
        groups.setdefault(t.path.split(".")[0], []).append(t)
    solutions = {sec.path for sec in sections if sec.parent is None and _SOLUTIONS.search(fold(sec.heading).upper())}
    unassigned = {sec for sec, items in groups.items() if sec in solutions and not any(t.lead for t in items)}
    mentions = {n for n, _row in link_narrative_to_appendix(tasks)}  # kept: mentions of their row
    arrangements = {sec.path for sec in sections if sec.parent is None and _ARRANGEMENTS.search(fold(sec.heading).upper())}
    led = [t for t in tasks if t.lead and (t.origin == "appendix" or (
        t.origin == "narrative" and t.path.split(".")[0] not in unassigned | arrangements))]
    if not unassigned or len(led) < _ASSIGNED_ELSEWHERE:
        return tasks
    for sec in sorted(unassigned):
        left = [t for t in groups[sec] if t.path not in mentions]
        if not left:
            continue
        warnings.append(f"Mục {sec}: {len(left)} mục không nêu cơ quan thực hiện trong khi kế hoạch giao việc "
                        f"theo cơ quan ở phần khác; không tính là nhiệm vụ (items name no agency while the plan assigns "
                        f"its work by agency elsewhere: not taken as tasks)")
    return [t for t in tasks if t.origin != "narrative" or t.path in mentions or t.path.split(".")[0] not in unassigned]


def _orphan_field_warning(node: Node, f: Field) -> str:
    """Never silent: a labelled field ("Thời gian thực hiện: …") with no task above it in its
    section fills nothing; say where, so the reader can see what was not attached."""
    return (f"Mục {node.path}: dòng «{node.body[:60]}» là trường {f.kind} nhưng không có nhiệm vụ nào phía trên "
            f"(labelled {f.kind} field without a task above it)")


def _absorb_components(source: SourceText, task: TaskRecord, node: Node) -> set[int]:
    """Items naming a programme's components ("- Dự án 1: …", "- Tiểu dự án 2 …") under a
    task list what that task covers: their text joins the task's (span extended to them)
    and they are not tasks. Returns the ids of the absorbed nodes and their descendants."""
    comps = [c for c in node.children if _field_node(c) is None and is_component(c.body)]
    if not comps or len(comps) < len([c for c in node.children if _field_node(c) is None]):
        return set()
    taken: set[int] = set()
    parts = [task.text]
    last = None
    for c in comps:
        for d in [c, *_descendants(c)]:
            taken.add(id(d))
            parts.append(join([d.body] + [ln.text for ln in d.own[1:]]))
            last = d.own[-1] if d.own else last
    task.text = join(parts)
    if last is not None and task.span is not None:
        start = text_offset(source, task.span.start)
        task.span = source.span(start, max(last.end, start))
    return taken


def _group_lead(node: Node, root: Node, width: int) -> str | None:
    """The agency of the nearest heading above ``node`` that names one ("1. Sở Y tế:"), or
    that assigns the items under it in a sentence ("m) Ủy ban nhân dân các tỉnh … chịu trách
    nhiệm …, cụ thể:", "1. Các cơ quan, đơn vị … xây dựng kế hoạch …" then "- …"): the
    items are that agency's work unless they name their own."""
    for a in ancestors(node):
        if a is root:
            return _lead_in_subject(root)
        agency = (_heading_agency(a, _heading(a, width)) or _assigning_subject(a) or _introducing_label(a)
                  or _label_under_heading(a, width))
        if agency:
            return agency
    # a letter's unnamed root holds no parent link: its lead-in ("…, Bộ Tài chính đề nghị UBND
    # các tỉnh, thành phố quan tâm chỉ đạo:") scopes the items of its list (not the bullets under
    # an item that names nobody: "Bộ Tài chính gửi kèm bộ Cẩm nang gồm:" / "- Infographic …")
    return _lead_in_subject(root) if root.level == 0 and node.parent is None else None


def _label_under_heading(node: Node, width: int) -> str | None:
    """The agency a heading's last own paragraph names alone before a colon, above the items
    ("b) Hoàn thiện hạ tầng kỹ thuật …" / "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung
    ương:" / "- …"): the theme is the heading, the label says whose items follow."""
    if not node.children:
        return None
    heading = _heading(node, width)
    text = own_text(node)
    if not text.startswith(heading):
        return None
    rest = text[len(heading):].strip()
    label = agency_label(rest) if rest.endswith(":") else None
    return label[0] if label and not label[1].strip() else None


def _lead_in_paragraph(root: Node) -> str | None:
    """The last paragraph of a roman part's own text when it introduces the items under it
    (ends with ":") and follows other paragraphs of the part (an assessment, a preamble); None
    for a part whose own text is one paragraph (read whole, as before)."""
    if root.level != ROMAN or not root.children:
        return None
    paras = paragraphs(root.own[_heading_line_count(root):])
    if len(paras) < 2:
        return None
    text = join([ln.text for ln in paras[-1]])
    return text if text.rstrip(" *_").endswith(":") else None


def _lead_in_subject(root: Node) -> str | None:
    """The agency a section's lead-in paragraph asks to do the items under it ("II. NHIỆM VỤ
    …" then "Đề nghị Thường trực Tỉnh ủy tập trung …; trong đó lưu ý một số nội dung sau:")."""
    if root.level not in (0, ROMAN) or not root.children:
        return None
    text = join([ln.text for ln in root.own[_heading_line_count(root) if root.level == ROMAN else 0:]])
    if not text.rstrip().endswith(":"):
        return None
    text = _lead_in_paragraph(root) or text  # the paragraph right above the items, not the part's assessment before it
    # "Để tiếp tục tháo gỡ …, đạt được …, tỉnh X cần tiếp tục … sau:": the subject follows a
    # long opening clause; the lead-in is one sentence, so the whole of it is searched
    # "…, Thủ tướng Chính phủ yêu cầu Bộ trưởng, … thực hiện … sau:": the bodies asked
    asked = requested_subject(text)
    if asked:
        return asked
    at = after_opener(text, within=len(text))
    subj = subject(text[at:])
    if subj and root.level == 0 and assigns_nothing(text[at + subj[1]:]):
        return None  # "…, Chủ tịch Ủy ban nhân dân Thành phố có ý kiến chỉ đạo như sau:": the issuer speaks
    return subj[0] if subj else None


def _introducing_label(node: Node) -> str | None:
    """The agency of a heading that names it before a colon and introduces the items under
    it ("2. Các sở, ban, ngành, địa phương: Là các đơn vị …, chịu trách nhiệm … các nội dung
    sau:")."""
    label = agency_label(own_text(node))
    return label[0] if label and node.children and label[1].rstrip().endswith(":") else None


def _assigning_subject(node: Node) -> str | None:
    """The agency an item's own sentence assigns work to ("X chủ trì …", "Giao X …", "Để …,
    các Sở, ngành … triển khai thực hiện những nội dung sau:")."""
    text = _split_own(node)[1]
    text = text[after_opener(text):] if text else text
    subj = subject(text) if text else None
    return subj[0] if subj else None


def _group_cooperating(node: Node, root: Node, width: int) -> list[str]:
    """Cooperating agencies a heading above gives its items ("a) Chủ trì, phối hợp với các
    sở, ban, ngành …" then "- …")."""
    for a in ancestors(node):
        if a is root:
            break
        heading = _heading(a, width)
        if re.match(r"(?:chu\s+tri\W+)?phoi\s+hop\b", fold(heading).lower()):
            return cooperating(heading)
        subj = subject(heading) if heading.rstrip().endswith(":") else None
        if subj is not None and re.match(r"\s*chu\s+tri\W+phoi\s+hop\b", fold(heading[subj[1]:]).lower()):
            # "1. Bộ Tài chính chủ trì, phối hợp với các bộ, địa phương liên quan:" then "a) …"
            return cooperating(heading, subj[1])
        lead_in = _lead_in_after_heading(a, heading)
        if re.match(r"(?:chu\s+tri\W+)?phoi\s+hop\b", fold(lead_in).lower()):
            # "4. Sở Khoa học và Công nghệ" / "Chủ trì, phối hợp với các sở, ngành, …:" / "- …"
            return cooperating(lead_in)
    return []


def _lead_in_after_heading(node: Node, heading: str) -> str:
    """The paragraph an agency heading prints under its name before its items, when it
    introduces them ("Chủ trì, phối hợp với các sở, ngành, UBND các xã, phường …:"); ""
    without one (no items, no colon, or no paragraph of its own)."""
    text = own_text(node)
    if not node.children or not text.startswith(heading):
        return ""
    rest = text[len(heading):].strip()
    return rest if rest.endswith(":") else ""


def _heading_agency(node: Node, heading: str) -> str | None:
    """The agency a heading names when it only names one (its items are that agency's)."""
    if len(node.own) > 1 and subjects_run_on(heading, node.own[1].text):
        return None  # "3. Các bộ, cơ quan ngang bộ, …;" / "Ủy ban nhân dân các tỉnh … khẩn trương …": one subject
    if len(heading.split()) > 25 and heading.rstrip(" *_/").endswith((".", "!", "…")):
        return None  # a whole sentence ("4. Giao Bộ Tài chính - Cơ quan Thường trực … đôn đốc … ./."), no heading
    if _is_agency_heading(node, heading) and is_agency_start(heading):  # not "Bảo đảm an ninh mạng"
        subj = subject(heading) if heading.rstrip().endswith(":") else None  # "X chủ trì, phối hợp với Y:" → X
        return agency_heading(heading) or (subj[0] if subj else _strip_remark(heading).rstrip(" :"))  # "X có trách nhiệm:" → X
    if node.level in (NUM, NUM2) or heading.rstrip().endswith(":"):
        return agency_heading(heading)
    if node.level in (LETTER, DASH) and node.children and cues().prefixes.match(fold(heading).lower()):
        return agency_heading(heading)  # "c) Đề nghị Trung ương Mặt trận Tổ quốc Việt Nam" then "- …"
    return None


def _split_own(node: Node) -> tuple[list[Line], str, list[Field]]:
    """The item's text lines, its text (a "Nhiệm vụ:" label dropped) and its field lines."""
    text_lines: list[Line] = []
    parts: list[str] = []
    fields: list[Field] = []
    for i, ln in enumerate(node.own):
        txt = node.body if i == 0 else ln.text
        f = read_field(txt)
        if f is not None and f.kind == "task" and i == 0:
            txt = f.value if f.value else ""
        elif f is not None and f.kind != "task":
            fields.append(Field(f.kind, f.value, f.value_start))
            continue
        elif fields:  # a wrapped field value
            last = fields[-1]
            fields[-1] = Field(last.kind, join([last.value, txt]).rstrip(" .;"), last.value_start)
            continue
        text_lines.append(ln)
        if txt:
            parts.append(txt)
    return text_lines, join(parts), fields


def _scope_only(text: str) -> bool:
    """"a) Chủ trì, phối hợp với các sở, ban, ngành …" above "- …": it names partners, no work."""
    m = re.match(r"(?:chu\s+tri\W+)?phoi\s+hop\s+(?:voi\s+)?", fold(text).lower())
    if m is None or not cooperating(text):
        return False
    return phrase_end(text, m.end()) >= len(text.rstrip(" :;.")) - 1


def _assigning_sentence(text: str) -> bool:
    """A numbered item whose own text is a whole sentence that assigns ("1. Sở Khoa học và
    Công nghệ theo dõi, đôn đốc các Sở, ban, ngành … triển khai thực hiện …") is a task even
    with bullets under it; a heading that introduces its items ends with a colon or is short
    ("1. Sở Y tế chủ trì các nhiệm vụ sau:", "2. Chuyển đổi số")."""
    if text.rstrip().endswith(":") or len(text.split()) < 20:
        return False
    return subject(text) is not None


def _assigning_paragraph(text: str, heading: str) -> bool:
    """"1. Công tác tham mưu" + "Đề nghị Ủy ban MTTQ …": a title, then a sentence that assigns."""
    if heading.rstrip()[-1:] in ".;:" or not text.startswith(heading):
        return False
    return subject(text[len(heading):].strip()) is not None


def _roman_heading(root: Node) -> str:
    """A top-level heading with the upper-case lines a wrapped copy continues it on
    ("IV. PHÂN" + "CÔNG NHIỆM VỤ" in scraped Markdown)."""
    return join([root.body] + [ln.text for ln in root.own[1:_heading_line_count(root)]])


def _heading_line_count(root: Node) -> int:
    """How many of a roman section's own lines its (capitals) heading takes."""
    n = 1
    for ln in root.own[1:]:
        letters = [c for c in ln.text if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
            break
        n += 1
    return n


def _heading(node: Node, width: int) -> str:
    """The item's heading; a marker alone on its line ("1." + "Công an thành phố") takes the next."""
    heading = first_paragraph(node, width)
    if not heading.strip() and len(node.own) > 1:
        return node.own[1].text
    own = node.own
    if len(own) > 2 and own[1].index == own[0].index + 1:
        # hard-wrapped text (scraped Markdown): a blank line ends the heading
        gap = next((k for k in range(1, len(own)) if own[k].index > own[k - 1].index + 1), None)
        if gap is not None:
            cut = join([node.body] + [ln.text for ln in own[1:gap]])
            if len(cut) < len(heading):
                return cut
    return heading


def _is_content_item(node: Node) -> bool:
    """An item that only says what its heading holds ("- Nội dung: Triển khai …")."""
    f = read_field(node.body)
    return f is not None and f.kind == "task" and node.level in (DASH, PLUS)


def _content_of(node: Node, width: int) -> str | None:
    """The heading a "Nội dung: …" item describes, when the item is its heading's only item
    besides labelled fields ("2. Rà soát văn bản quy phạm pháp luật" / "- Nội dung: Rà soát
    các văn bản …" / "- Cơ quan thực hiện: …"): the numbered heading names the task, the
    labelled item says what it holds."""
    parent = node.parent
    if node.level not in (DASH, PLUS) or parent is None or parent.level not in (NUM, NUM2, LETTER, DASH) \
            or parent.level >= node.level:
        return None
    f = read_field(node.body)
    if f is None or f.kind != "task" or any(c is not node and _field_node(c) is None for c in parent.children):
        return None
    if not re.match(r"[-–+•*_\s]*noi\s+dung\s*:", fold(node.body).lower()):
        return None  # "Nội dung thực hiện: Tổ chức …" states the work itself (2f6f80b9918e52de)
    heading = _heading(parent, width).strip().rstrip(" :.")
    if not heading or read_field(heading) or len(heading.split()) < 4 or heading[-1:].isdigit():
        return None  # "a) Hoạt động 1" / "- Nội dung: Triển khai …": a label, the item names the work
    return heading


def _task(source: SourceText, node: Node, root: Node, width: int) -> tuple[TaskRecord, list[Field]] | None:
    heading = _heading(node, width)
    text_lines, text, fields = _split_own(node)
    content_of = _content_of(node, width)
    if content_of and text:
        text = f"{content_of}: {text}"
    children = [c for c in node.children if _field_node(c) is None and re.search(r"\w", own_text(c))]
    agency_group = _heading_agency(node, heading) if not fields else None
    group_lead = _group_lead(node, root, width)
    number, path = node.number, node.path
    if not text_lines or not re.search(r"\w", text):
        return None  # "- *": a stray emphasis mark on a bullet line, no words
    start, end = text_lines[0].start, text_lines[-1].end
    label = agency_label(text)
    if children:
        if agency_group or (label and not label[1]) or _scope_only(text):
            return None  # an agency heading: its items are the tasks
        if all(_is_content_item(c) for c in children):
            return None  # "a) Hoạt động 1" / "- Nội dung: …" / fields: the content item is the task
        if node.level == ROMAN or (node.level in (NUM, NUM2) and not _assigning_sentence(text)):
            return None  # a theme: its items are the tasks
    elif agency_group or (node.level in (NUM, NUM2) and (children or fields or _assigning_paragraph(text, heading))):
        # "7. Sở Tài chính" + one unbulleted paragraph, or "9. <theme>" + paragraph + fields:
        # the paragraph is the task
        body = text[len(heading):].strip() if text.startswith(heading) else ""
        if (not body or len(text_lines) < 2) and agency_group:
            return None
        if agency_group:
            group_lead = agency_group
            number, path = "", f"{node.path}.i1"
        if body and len(text_lines) >= 2:
            text = body
            start = next((ln.start for ln in text_lines[1:] if fold(ln.text).startswith(fold(body[:12]))),
                         text_lines[1].start)
    elif label and label[1]:
        # "Đề nghị Công ty Điện lực tỉnh: Khẩn trương kiểm tra …": the agency does the rest
        group_lead, text = label[0], label[1]
    lead, coop = _agencies(text)
    if not lead and not group_lead and after_opener(text):
        # "Sau khi được Quốc hội thông qua, các Bộ, cơ quan, địa phương tập trung …"
        lead, coop = _opener_agencies(text)
    if group_lead and not lead:
        lead = names(group_lead)
    if group_lead and not coop:
        # "1. Sở Y tế:" / "- Tổ chức …, phối hợp với cơ quan Công an …": the heading's agency
        # leads, the item names its partners anywhere in the sentence
        coop = cooperating(text)
    if lead and not coop:
        coop = _group_cooperating(node, root, width)
    task = TaskRecord(
        number=number, path=path, text=text, lead=lead, cooperating=coop, output=None,
        deadline=_deadline(text),
        section=node.path if path != node.path else (node.parent.path if node.parent else None),
        span=source.span(start, end), origin="narrative",
        method="narrative-agency-heading" if group_lead else "narrative-item",
    )
    return task, fields


def _paragraph_tasks(source: SourceText, node: Node, task: TaskRecord, fields: list[Field]) -> list[TaskRecord]:
    """One task per paragraph of an item that assigns on its own ("1. Về kiến nghị …:" /
    "Giao Bộ Tài chính …" / "Sau khi …, Bộ Tài chính khẩn trương …" / "Bộ Nông nghiệp và Môi
    trường chủ trì …"), and per sentence or ";" clause whose own subject is another agency
    ("Hội đồng thẩm định Nhà nước thẩm định …. Bộ Nông nghiệp và Môi trường khẩn trương …").
    A paragraph or sentence that names nobody goes on with the task above it; a topic label
    printed as a paragraph of its own ("Về kiến nghị …:") and a notice's closing sentence are
    no part of any task. An item with fields or with items under it is left as it is; the
    first task keeps the item's number and path."""
    if (task.method == "narrative-agency-heading" and node.level in (NUM, NUM2) and not node.children and not fields
            and task.path == f"{node.path}.i1"):  # "5. Sở Công Thương" + paragraphs (not "3. Bộ Xây dựng: …")
        return _heading_paragraphs(source, node, task)
    last = node.level in (DASH, PLUS) and node.parent is not None and node.parent.children[-1] is node
    if fields or node.children or not (task.method == "narrative-item" or (last and task.method == "narrative-agency-heading")):
        # the last item under an agency heading may carry the section's closing paragraph
        # ("- Doanh nghiệp … ." / "Ủy ban nhân dân Thành phố yêu cầu các Sở, … báo cáo …")
        return [task]
    paras = paragraphs(_split_own(node)[0])
    texts = [join([node.body if ln is node.own[0] else ln.text for ln in p]) for p in paras]
    if not texts:
        return [task]
    # a topic label ("Về kiến nghị …:"), or a title that ``_task`` already left out ("3. Xây
    # dựng các văn bản …" above "Sở, ban, ngành … có trách nhiệm …")
    topic = len(paras) > 1 and (is_topic_label(texts[0]) or not fold(task.text).startswith(fold(texts[0])[:40])
                                or _title_above_subjects(texts))
    pieces: list[list[tuple[int, int, str]]] = []  # (start, end, text) of each unit of a task
    current: list[str] = []  # the lead of the task being built, as its own first sentence names it
    for k, (p, t) in enumerate(zip(paras, texts)):
        if (k == 0 and topic) or (k and is_closing(t)):
            continue
        for j, (start, end, unit) in enumerate(_units(source, p, t)):
            lead = _paragraph_agencies(unit)[0] if j == 0 else _clause_lead(unit)
            # a sentence inside a paragraph opens a task only beside another agency's work
            # ("Hội đồng thẩm định … thẩm định …. Bộ Nông nghiệp và Môi trường khẩn trương …");
            # after a sentence that names nobody, its agency is the paragraph's lead, unless that
            # sentence opens with a label ("Về …:", "Khẩn trương … chiến lược …: (1) …")
            inside = j > 0 and ((not current and ":" not in pieces[-1][0][2]) or _same(lead, current)
                                or not _proper(lead))
            if pieces and (not lead or inside or is_closing(unit)):
                pieces[-1].append((start, end, unit))
                continue
            pieces.append([(start, end, unit)])
            current = lead or _label_lead(unit)
    if not pieces or (len(pieces) == 1 and not topic):
        return [task]
    return [_piece_task(source, task, k, piece) for k, piece in enumerate(pieces)]


def _heading_paragraphs(source: SourceText, node: Node, task: TaskRecord) -> list[TaskRecord]:
    """One task per paragraph under an agency heading that prints no items ("5. Sở Công
    Thương" / "Chủ trì triển khai các nhiệm vụ tại mục (IV) (3) …." / "Tăng cường quản lý,
    thanh tra, …."): each paragraph is a piece of the agency's work, as a bullet would be; a
    paragraph that names its own agency is that agency's, a closing formula none."""
    lines = _split_own(node)[0]
    first = next((k for k, ln in enumerate(lines[1:], 1) if fold(ln.text).startswith(fold(task.text[:12]))), None)
    if first is None:
        return [task]
    paras = paragraphs(lines[first:])
    if len(paras) < 2:
        return [task]
    out: list[TaskRecord] = []
    for para in paras:
        text = join([ln.text for ln in para])
        if is_closing(text):
            continue
        own, coop = _paragraph_agencies(text)
        if own and _overlaps(own, task.lead):
            own = task.lead  # "Trên cơ sở …, các sở, ban, ngành Tỉnh …" under "7. Các sở, ban, ngành tỉnh, …"
        k = len(out)
        out.append(TaskRecord(
            number=task.number if k == 0 else "", path=task.path if k == 0 else f"{task.path}.p{k + 1}",
            text=text, lead=own or task.lead, cooperating=coop or cooperating(text) or (task.cooperating if k == 0 else []),
            output=None, deadline=_deadline(text), section=task.section,
            span=source.span(para[0].start, para[-1].end), origin="narrative", method=task.method))
    return out or [task]


def _overlaps(names_a: list[str], names_b: list[str]) -> bool:
    """Does one list name a body the other names (folded, one name inside the other)?"""
    a = [fold(n).lower() for n in names_a]
    b = [fold(n).lower() for n in names_b]
    return any(x in y or y in x for x in a for y in b)


def _title_above_subjects(texts: list[str]) -> bool:
    """Is an item's first paragraph a title that ends with a colon and names nobody, above
    paragraphs that name their own agencies ("1. Quyết liệt trong chỉ đạo, điều hành, chịu
    trách nhiệm đến cùng:" / "Các đồng chí Bộ trưởng, … phải …")? Then it is no task's text."""
    first = texts[0].rstrip()
    if not first.endswith(":") or len(first.split()) > 25 or _paragraph_agencies(first)[0]:
        return False
    return any(_paragraph_agencies(t)[0] for t in texts[1:])


def _units(source: SourceText, lines: list[Line], text: str) -> list[tuple[int, int, str]]:
    """A paragraph's sentences and ";" clauses that start with a capital, each with its span;
    none inside the paragraph's own subject ("Bộ trưởng các Bộ: …; Chủ tịch Ủy ban nhân dân
    các tỉnh … tổ chức …" is one subject)."""
    subj = subject(text[after_opener(text):])
    after = after_opener(text) + subj[1] if subj else 0
    # a ";" cuts only after a subject that was read whole (a list of heads may hold one)
    cuts = [0, *(c for c in clause_starts(text) if c > after and (subj or text[c - 2:c].strip() == ".")), len(text)]
    starts = [lines[0].start] + [locate(source.text, lines[0].start, lines[-1].end, text[c:]) for c in cuts[1:-1]]
    ends = [*starts[1:], lines[-1].end]
    return [(a, max(b, a), text[c:d].strip()) for a, b, c, d in zip(starts, ends, cuts, cuts[1:])]


def _enumerated(source: SourceText, task: TaskRecord, kind: str = "digit") -> list[TaskRecord]:
    """One task per item of an enumeration written inside the task's paragraph ("a) Bộ Khoa
    học và Công nghệ: (1) trình …; (2) chủ trì, phối hợp với …"; "(3) các bộ, ngành, địa
    phương tập trung: (i) Sửa đổi …; (ii) Rà soát …"): an item that names its own subject is
    led by it, the others by the lead-in's agency (or the task's). A lead-in that ends with a
    colon only introduces the items and is no task; one that says more stays a task. A list
    after a lead-in that names nobody, whose items mostly name nobody either, is a list inside
    the work ("… với 05 chức năng chính: (i) …; (ii) …"), not items of work."""
    items = inline_items(task.text, kind)
    if not items:
        return [task] if kind == "roman" else _enumerated(source, task, "roman")
    text = task.text
    head = text[: items[0][0]].strip()
    own = _paragraph_agencies(head)[0] or _label_lead(head)
    ends = [a for a, _ in items[1:]] + [len(text)]
    bodies = [text[b:e].strip().rstrip(";,").strip() for (_, b), e in zip(items, ends)]
    if head and not own and 2 * sum(bool(_paragraph_agencies(b)[0]) for b in bodies) < len(bodies):
        # "Phát triển VNeID … với 05 chức năng chính: (i) Lưu trữ …; (ii) Định danh …": a list
        # inside the work, not work given to anyone
        return [task] if kind == "roman" else _enumerated(source, task, "roman")
    base = own or task.lead
    lo = text_offset(source, task.span.start)
    hi = max(text_offset(source, task.span.end), lo)
    starts = [locate(source.text, lo, hi, body) for body in bodies]
    out = [] if not head or head.endswith(":") else [_retext(source, task, head, lo, starts[0])]
    for n, body in enumerate(bodies):
        lead, coop = _paragraph_agencies(body)
        if not lead:
            lead, coop = base, cooperating(body)
        sub = TaskRecord(
            number=text[items[n][0]: items[n][1]].strip(), path=f"{task.path}.e{n + 1}", text=body, lead=lead,
            cooperating=coop, output=None, deadline=_deadline(body), section=task.section,
            span=source.span(starts[n], max(starts[n + 1] if n + 1 < len(starts) else hi, starts[n])),
            origin="narrative", method="narrative-inline-item")
        out += _enumerated(source, sub, "roman") if kind == "digit" else [sub]
    return out


def _retext(source: SourceText, task: TaskRecord, text: str, start: int, end: int) -> TaskRecord:
    """The task cut to its lead-in ``text`` (before an inline enumeration)."""
    return TaskRecord(number=task.number, path=task.path, text=text, lead=task.lead, cooperating=task.cooperating,
                      output=task.output, deadline=_deadline(text), section=task.section,
                      span=source.span(start, max(end, start)), origin=task.origin, method=task.method)


def _label_lead(text: str) -> list[str]:
    """The lead of a sentence that opens with a label ("Thực hiện mở tài khoản …: Ủy ban nhân
    dân xã, phường phối hợp …"): the subject after the colon."""
    colon = text.find(":")
    return _paragraph_agencies(text[colon + 1:].strip())[0] if 0 < colon < 300 else []


def _proper(lead: list[str]) -> bool:
    """Does a lead name a body by its proper name ("Bộ Công an", "Hội đồng thẩm định Nhà nước"),
    or several bodies? A sentence inside a paragraph led by a common noun ("Ngân hàng hướng
    dẫn …") describes a procedure of the task above it rather than a task of its own."""
    return len(lead) > 1 or any(sum(w[:1].isupper() for w in name.split()) >= 2 for name in lead)


def _clause_lead(text: str) -> list[str]:
    """The lead of a sentence inside a paragraph: only a subject at its start (past an opening
    clause) counts; a "giao X chủ trì" in its middle does not open a task of its own."""
    at = after_opener(text)
    subj = subject(text[at:])
    if subj and names_a_document(subj[0]):  # "Các Báo cáo trên gửi Bộ Tư pháp trước ngày …"
        return []
    return names(subj[0]) if subj and not _did_or_answers(text) else []


def _same(a: list[str], b: list[str]) -> bool:
    return {fold(x).lower() for x in a} == {fold(x).lower() for x in b}


def _piece_task(source: SourceText, task: TaskRecord, k: int, piece: list[tuple[int, int, str]]) -> TaskRecord:
    text = join([u[2] for u in piece])
    lead, coop = _paragraph_agencies(text)
    if not lead and k == 0 and not _did_or_answers(text):
        lead, coop = task.lead, task.cooperating
    return TaskRecord(
        number=task.number if k == 0 else "", path=task.path if k == 0 else f"{task.path}.p{k + 1}",
        text=text, lead=lead, cooperating=coop, output=None, deadline=_deadline(text), section=task.section,
        span=source.span(piece[0][0], max(piece[-1][1], piece[0][0])), origin="narrative",
        method=task.method if k == 0 else "narrative-paragraph")


def _did_or_answers(text: str) -> bool:
    """Does the sentence's subject only do something past or future, or answer for it ("Thường
    trực Chính phủ đã họp …", "Chính phủ sẽ phân công …", "X chịu trách nhiệm trước …")?"""
    at = _topic_end(text)
    at += after_opener(text[at:])
    subj = subject(text[at:])
    if subj is not None:
        return assigns_nothing(text[at + subj[1]:])
    tense = re.search(r"\s(?:đã|sẽ)\s", text[at: at + 120])
    return tense is not None and is_agency_start(text[at:]) and not re.search(r"[.;:]", text[at: at + tense.start()])


def _opener_agencies(text: str) -> tuple[list[str], list[str]]:
    """(lead, cooperating) of a sentence whose subject follows an opening clause ("Căn cứ Kế
    hoạch này, các Sở, ban, ngành … xây dựng …"); none without one."""
    at = after_opener(text)
    return _agencies(text[at:]) if at else ([], [])


def _paragraph_agencies(text: str) -> tuple[list[str], list[str]]:
    """(lead, cooperating) a paragraph names itself, past an opening clause ("Sau khi …, X …");
    none where its subject only did something or answers for it ("X đã họp …")."""
    if _did_or_answers(text):
        return [], []
    lead, coop = _agencies(text)
    at = after_opener(text) if not lead else 0
    return _agencies(text[at:]) if at else (lead, coop)


# -- targets ---------------------------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)?"
_RE_VALUE = re.compile(
    rf"(?P<range>(?:tu\s+)?{_NUM}\s*%?\s*(?:-|–|den)\s*{_NUM}\s*(?:%(?:\s*/\s*nam)?)?)"
    rf"|(?P<cmp>(?:\b(?:toi\s+thieu|it\s+nhat|khong\s+thap\s+hon|khong\s+duoi|toi\s+da|khong\s+qua)\s+(?:dat\s+)?"
    rf"|\b(?:tren|hon|duoi|tu|dat)\s+|(?:≥|>=|>|≤|<=|<)\s*)?"
    rf"(?P<n>{_NUM})(?P<pct>\s*%)?(?:\s*(?:\S+\s+){{0,2}}?tro\s+len)?)", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """Split at sentence ends (". " before a capital or digit); decimals "1,5" stay whole."""
    parts = [p.strip() for p in re.split(r"(?<=\.)\s+(?=[A-ZĐÀ-Ỹ0-9])", text) if p.strip()]
    return [p for p in parts if re.search(r"\w", p)]


def _value_matches(f: str) -> list[re.Match[str]]:
    """Every figure a folded sentence states: ranges, percentages, numbers after a comparison
    word or "đạt" — years and ages ("18 tuổi") left out."""
    found = [m for m in _RE_VALUE.finditer(f) if not re.fullmatch(r"(19|20)\d\d", m.group("n") or "")
             and not re.match(r"\s*(?:g\b|tuoi)", f[m.end():])]
    return [m for m in found if (m.group("range") and not re.search(r"(19|20)\d\d", m.group("range"))) or m.group("pct")
            or (m.group("cmp") and m.group("cmp") != m.group("n") and not m.group("cmp").startswith(m.group("n")))]


def _value_phrase(sentence: str) -> re.Match[str] | None:
    """The printed value of a target sentence: a range, else the first percentage, else the
    first number after a comparison word ("tối thiểu 80%", "trên 0,7", "có 02 …")."""
    found = _value_matches(fold(sentence).lower())
    for m in found:
        if m.group("range") and not re.search(r"(19|20)\d\d", m.group("range")):
            return m
    for m in found:
        if m.group("pct"):
            return m
    for m in found:
        if m.group("cmp") and m.group("cmp") != m.group("n") and not m.group("cmp").startswith(m.group("n")):
            return m
    return None


def _value(sentence: str) -> tuple[str, float | None, float | None, str, str | None, tuple[int, int] | None]:
    """(comparator, min, max, value as printed, unit, span of the value phrase) from wording.

    The phrase is located here; reading it ("trên 30%" → gt 30, "từ 45% trở lên" → ge 45,
    "02 - 05%/năm" → range) is ``values.parse_value``'s job. A list of values ("Cấp tỉnh
    đạt 100%, cấp huyện đạt 95%") and group phrases ("thuộc nhóm 05 tỉnh dẫn đầu") are text.
    """
    f = fold(sentence).lower()
    if len(re.findall(rf"\bdat\s+{_NUM}\s*%", f)) >= 2:
        colon = sentence.find(":")
        vt = sentence[colon + 1:].strip(" .") if colon >= 0 else sentence
        return "text", None, None, vt, "%", (colon, len(sentence)) if colon >= 0 else None
    m = _value_phrase(sentence)
    if m is None:
        return "text", None, None, sentence.strip(" ."), None, None
    start, end = m.span()
    verb = re.match(r"dat\s+", m.group())
    if verb:
        start += verb.end()  # "đạt" is the verb, not part of the printed value
    phrase = sentence[start:end].strip()
    unit_text = None
    extra = re.match(r"^\s*(grdp|gdp|dan so|/\s*nam)\b", f[end:])
    if m.group("pct") or (m.group("range") and "%" in m.group("range")):
        unit_text = "%"
        if "nam" in (m.group("range") or "").split("%")[-1]:
            unit_text = "%/năm"
        if extra and "nam" in extra.group(1):
            unit_text = "%/năm"
            end += extra.end()
            phrase = sentence[start:end].strip()
        elif extra:
            unit_text = "% " + sentence[end + extra.start(1): end + extra.end(1)]
            end += extra.end()
            phrase = sentence[start:end].strip()
    else:
        nxt = re.match(r"^\s*([^\s,.;()\d]+(?:\s+[^\s,.;()\d]+)?)", sentence[end:])
        unit_text = nxt.group(1) if nxt else None
    comp, vmin, vmax = _read_value(re.sub(r"(?i)(?<=\w)\s+đạt\s+", " ", phrase))
    unit = parse_unit(unit_text)
    return comp, vmin, vmax, phrase, unit, (start, end)


def _read_value(phrase: str) -> tuple[str, float | None, float | None]:
    comp, vmin, vmax, _ = parse_value(phrase)
    return comp, vmin, vmax


def _indicator(sentence: str, span: tuple[int, int] | None) -> str:
    """What is measured: the words before "đạt/duy trì/…", or the sentence minus the value."""
    s = sentence.rstrip(" .;")
    if span is None:
        return s
    f = fold(s).lower()
    verbs = list(re.finditer(r"\s(?:phan\s+dau\s+)?(?:dat|duy\s+tri|tang(?:\s+trung\s+binh)?|la|o\s+muc|thuoc)\s", f[: span[0] + 1]))
    verb = verbs[-1] if verbs else None
    # "Bảo đảm cơ sở vật chất và | duy trì điều trị cho 100% …": words that end on a
    # conjunction name no measured thing; the verb opens the second of two aims
    if (verb is not None and len(_LEAD_IN.sub("", f[: verb.start()]).split()) >= 3
            and not re.search(r"(?:\bva|\bhoac|,)\s*$", f[: verb.start()])):
        return s[: verb.start()].strip(" ,")
    head = re.sub(r"(?i)\s+(?:phấn đấu\s+)?đạt\s*$", "", s[: span[0]].rstrip())
    rest = (head + " " + s[span[1]:]).strip()
    rest = rest[len(_LEAD_IN.match(fold(rest).lower()).group()):]  # type: ignore[union-attr]
    return re.sub(r"\s+", " ", rest).strip(" ,")


#: Words that open a target's clause without naming what is measured: "phấn đấu", "đến năm
#: 2030,", "hằng năm", "đạt" — an indicator made of these alone is no indicator.
_LEAD_IN = re.compile(r"^(?:\s*(?:phan\s+dau|(?:den\s+(?:het\s+)?|trong\s+|vao\s+)?nam\s+(?:19|20)\d\d|"
                      r"hang\s+nam|dat)\b[\s,]*)*")


def _horizon(node: Node, width: int) -> Deadline | None:
    """The nearest heading at or above ``node`` that states a horizon ("Đến năm 2030"), or
    the item's own lead-in before a colon ("b) Đến hết năm 2030: Có ≥ 60% …")."""
    n: Node | None = node
    while n is not None:
        heading = first_paragraph(n, width) if n.level != ROMAN else n.body
        if n is node and 0 < heading.find(":") <= 40:
            heading = heading[: heading.find(":")]
        m = _HORIZON.search(fold(heading))
        if m and len(heading) < 80 and not (n is not node and _vision_beside_targets(fold(heading), m)):
            return _make_deadline(heading[m.start(): m.end()].strip())
        n = n.parent
    return None


def _vision_beside_targets(folded_heading: str, m: re.Match[str]) -> bool:
    """"1. Mục tiêu phát triển và tầm nhìn đến năm 2045": the vision's year is the horizon of
    the vision items only, not of the targets the same heading names first (448306af3d3a91f7)."""
    return (m.group().lower().startswith("tam nhin")
            and bool(_TARGET_HEADING.search(folded_heading[: m.start()].upper())))


def extract_narrative_targets(source: SourceText, sections: list[SectionRecord]) -> list[TargetRecord]:
    """The targets stated in the body's targets section, in reading order.

    One target per bullet; a bullet that packs several quantified sentences ("… từ 45% trở
    lên. Quy mô kinh tế số đạt tối thiểu 30% GRDP.") and an unbulleted paragraph under a
    horizon heading give one target per sentence (paths ``<item>.s1``, ``.s2`` …). Without a
    horizon heading the plan's own year is the horizon (seed 003, an activity plan for 2023).
    """
    nodes, lines = _nodes_for(source, sections)
    width = line_width(lines)
    out: list[TargetRecord] = []
    fallback: list[Deadline | None] = []
    for root in (n for n in nodes if n.level == ROMAN):
        for node in _target_nodes(root, width):
            if any(_GENERAL.search(fold(first_paragraph(a, width))) for a in [node, *ancestors(node)] if a is not root):
                continue
            heading = first_paragraph(node, width)
            text = own_text(node)
            paragraph = False
            if ((node.level == NUM and not _stated_item(node, text, heading))
                    or (node.level == NUM2 and (node.children or _horizon_heading(heading)))
                    or (node.children and node.level == LETTER)):
                # a heading ("1. Đến năm 2030", "1. Hạ tầng số"): only a paragraph below it counts
                if node.children or not text.startswith(heading) or len(node.own) < 2:
                    continue
                text = text[len(heading):].strip()
                if not text:
                    continue
                body_start, paragraph = node.own[1].start, True
            else:
                body_start = node.own[0].start
            horizon = _horizon(node, width)
            if horizon is None:
                if not fallback:
                    fallback.append(_plan_year_horizon(source))
                horizon = fallback[0]
            out.extend(_targets_of(source, node, text, body_start, horizon, paragraph))
        covered = {id(n) for n in _target_nodes(root, width)}
        for node in (n for n in _descendants(root) if id(n) not in covered):
            out.extend(_introduced_targets(source, node, width, fallback))
    return out


#: A sentence that introduces a list of targets inside any section: "… các nội dung này được
#: cụ thể hóa bằng các chỉ tiêu cụ thể như sau:", "… đạt các chỉ tiêu sau đây:".
_INTRO = re.compile(r"chi\s+tieu[^.;:]{0,100}(?:nhu\s+sau|sau\s+day)\s*:\s*$", re.IGNORECASE)
#: The marker of an item listed after such a sentence, at the start of a line: "(1)", "1)", "-".
_LISTED = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}\)|[-+•–])\s+")


def _introduced_targets(source: SourceText, node: Node, width: int,
                        fallback: list[Deadline | None]) -> list[TargetRecord]:
    """Targets listed, one per "(1)"/"-" line, after a sentence of the item's own text that
    introduces them ("… được cụ thể hóa bằng các chỉ tiêu cụ thể như sau:"), in a section that
    is not a targets section ("1. Nội dung thi đua"). The list ends at the item's end."""
    lines = node.own
    intro = next((k for k, ln in enumerate(lines) if _INTRO.search(ln.folded)), None)
    if intro is None:
        return []
    horizon = _horizon(node, width)
    if horizon is None:
        if not fallback:
            fallback.append(_plan_year_horizon(source))
        horizon = fallback[0]
    if node.children and intro == len(lines) - 1:  # the listed items are the node's bullets
        bullets = [t for c in node.children if not c.children
                   for t in _targets_of(source, c, own_text(c), c.own[0].start, horizon, False) if t.value_text]
        for t in bullets:
            t.method = "narrative-introduced-list"
        return bullets
    starts = [k for k in range(intro + 1, len(lines)) if _LISTED.match(lines[k].text)]
    out: list[TargetRecord] = []
    for n, k in enumerate(starts, 1):
        item = lines[k: starts[n] if n < len(starts) else len(lines)]
        text = _LISTED.sub("", join([ln.text for ln in item]), count=1)
        comp, vmin, vmax, vtext, unit, vspan = _value(_first_sentence(text))
        if not vtext:
            continue
        out.append(TargetRecord(
            number=_LISTED.match(item[0].text).group().strip(), path=f"{node.path}.t{n}",  # type: ignore[union-attr]
            indicator=_indicator(_first_sentence(text), vspan), comparator=comp, value_min=vmin,  # type: ignore[arg-type]
            value_max=vmax, value_text=vtext, unit=unit, horizon=horizon, monitoring=[],
            span=source.span(item[0].start, item[-1].end), origin="narrative", method="narrative-introduced-list",
            section=node.path,
        ))
    return out


def _stated_item(node: Node, text: str, heading: str) -> bool:
    """A numbered item of a targets section that is one paragraph stating a figure ("1. 100%
    đội ngũ cán bộ, công chức … có trình độ đại học Luật …") is a target itself, not a heading
    over a paragraph: it has no items under it, no paragraph after its first, and a value.
    One paragraph: one line, or lines that wrap one paragraph (PDF text breaks a long item
    over several lines; its first paragraph is then all of it)."""
    one = len(node.own) < 2 or " ".join(heading.split()) == " ".join(text.split())
    return not node.children and one and _value_phrase(text) is not None


def _horizon_heading(heading: str) -> bool:
    """A numbered line that only names a horizon ("2.2. Tầm nhìn đến năm 2045", "2.1. Mục tiêu
    đến năm 2030") heads the paragraph below it even without children; a childless "6.1. …"
    that states a figure ("6.2. Phấn đấu 100% … đến năm 2030") is an item. Seed 004's vision
    paragraph read as an item put its heading into the first indicator and moved its span."""
    f = fold(heading)
    m = _HORIZON.search(f)
    if m is None or len(heading) >= 80:
        return False
    return not re.search(r"\d", f[: m.start()] + f[m.end():])


def _target_nodes(root: Node, width: int) -> Iterable[Node]:
    """The items of a targets section: everything under a roman heading that names targets
    ("II. MỤC TIÊU"), or under a numbered heading that does inside another roman section
    ("I. MỤC ĐÍCH, YÊU CẦU" / "4. Các chỉ tiêu cụ thể đến năm 2030")."""
    if _TARGET_HEADING.search(fold(root.body).upper()):
        yield from _descendants(root)
        return
    for child in root.children:
        if child.level in (NUM, NUM2) and _TARGET_HEADING.search(fold(first_paragraph(child, width)).upper()):
            yield from _descendants(child)


def _plan_year_horizon(source: SourceText) -> Deadline | None:
    """The horizon of targets that print none: the period the plan's title names ("… GIAI
    ĐOẠN 2026 - 2030"), else the year that ends its title ("… năm 2026"), else the plan's own
    year (seed 003, an activity plan for 2023) — for a plan only (plan_kind.is_plan)."""
    from plankg.ingest.extract.document_meta import extract_document
    from plankg.ingest.extract.plan_kind import is_plan
    from plankg.ingest.extract.title_line import read_title_line

    doc = read_title_line(source, extract_document(source))
    period = re.search(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?!\d)", doc.title or "")
    if period and period.group(1) < period.group(2):
        return _make_deadline(f"{period.group(1)}-{period.group(2)}")
    if not is_plan(doc):
        return None  # a letter's figures ("V/v hỗ trợ …") have no plan year to fall back on
    own_year = re.search(r"\bnam\s+((?:19|20)\d\d)\W*$", fold(doc.title or "").lower())
    if own_year:  # "… năm 2026": a plan for the year its title names, issued the year before
        return _make_deadline(own_year.group(1))
    return _make_deadline(str(doc.year)) if doc.year else None


def _targets_of(source: SourceText, node: Node, text: str, start: int, horizon: Deadline | None,
                paragraph: bool) -> list[TargetRecord]:
    sentences = _sentences(text)
    if not paragraph and sum(1 for x in sentences if _value_phrase(x)) < 2:
        sentences = [text]
    out = []
    end = node.own[-1].end
    for k, sentence in enumerate(sentences, 1):
        stated = sentence if len(sentences) > 1 else _first_sentence(sentence)
        path = node.path if len(sentences) == 1 else f"{node.path}.s{k}"
        clauses = _clauses(stated)
        for j, clause in enumerate(clauses, 1):
            comp, vmin, vmax, vtext, unit, vspan = _value(clause)
            out.append(TargetRecord(
                number=node.number if node.level not in (NUM, NUM2) else "",
                path=path if len(clauses) == 1 else f"{path}.c{j}",
                indicator=_indicator(clause, vspan),
                comparator=comp, value_min=vmin, value_max=vmax, value_text=vtext,  # type: ignore[arg-type]
                unit=unit, horizon=horizon, monitoring=[],
                span=source.span(start, end), origin="narrative", method="narrative-bullet",
                section=node.parent.path if node.parent else None,
            ))
    return out


def _outside_brackets(f: str, at: int) -> bool:
    return f.count("(", 0, at) <= f.count(")", 0, at)


#: Where one clause of a sentence ends and the next begins: ";", "," or "và".
_CLAUSE_SEP = re.compile(r";|,|\bva\b")
_SEMI = re.compile(";")
#: A clause that states a target of its own opens with "phấn đấu" or with its figure ("; trên
#: 90% người nghiện …"); one that opens otherwise ("; góp phần đưa chỉ số … ≥ 0,75", seed 002)
#: goes on with the aim before it.
_OWN_TARGET = re.compile(r"\s*(?:phan\s+dau\b|(?:tren|duoi|toi\s+thieu|it\s+nhat|toi\s+da|khong\s+qua|≥|>=|>|≤|<=|<)?\s*\d)")


def _clauses(sentence: str) -> list[str]:
    """One sentence that states several figures, each of its own indicator, as one clause per
    figure: "Tổng sản phẩm Xoài … đạt 18.000 tấn, tổng giá trị … đạt 10 triệu USD, tốc độ tăng
    bình quân 08 - 09%/năm", "Phấn đấu 100% các điểm … và 100% diện tích … được triệt phá".
    The cut is the last ";" before each figure after the first, else the last "," or "và"
    (outside brackets); an aim stated before the first figure and closed by ";" ("Hằng năm,
    giảm số người nghiện …; phấn đấu … đạt ít nhất 50% …") is a clause of its own. A list of one indicator's levels ("Cấp tỉnh đạt 100%, cấp huyện đạt 95%")
    stays one text value (``_value``)."""
    f = fold(sentence).lower()
    if len(re.findall(rf"\bdat\s+{_NUM}\s*%", f)) >= 2:
        return [sentence]
    found = _value_matches(f)
    if not found:
        return [sentence]
    cuts: list[tuple[int, int]] = []
    lead = [m for m in _SEMI.finditer(f, 0, found[0].start()) if _outside_brackets(f, m.start())]
    if lead and len(f[: lead[-1].start()].split()) >= 3 and _OWN_TARGET.match(f, lead[-1].end()):
        cuts.append(lead[-1].span())  # a stated aim before the figures ("Hằng năm, giảm …; phấn đấu … 50% …")
    for prev, nxt in zip(found, found[1:]):
        seps = [m for m in _CLAUSE_SEP.finditer(f, prev.end(), nxt.start()) if _outside_brackets(f, m.start())]
        if not seps:
            return [sentence]  # two figures of one phrase ("từ 45% … 50%"): not two targets
        semi = [m for m in seps if m.group() == ";"]
        cuts.append((semi or seps)[-1].span())
    parts, at = [], 0
    for a, b in cuts:
        parts.append(sentence[at:a].strip(" ,;"))
        at = b
    parts.append(sentence[at:].strip(" ,;"))
    return [p for p in parts if p] if all(parts) else [sentence]


def _first_sentence(text: str) -> str:
    """The sentence that states the value of a one-target bullet."""
    parts = _sentences(text)
    return next((p for p in parts if _value_phrase(p)), parts[0] if parts else text)
