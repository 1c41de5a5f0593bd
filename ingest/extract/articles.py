"""Assignments stated in the articles of a decision ("Điều 3. Giao Giám đốc Công an tỉnh
thực hiện các nhiệm vụ sau: a) … b) …", "Điều 2. Giao Sở Công Thương chủ trì, phối hợp với …").

Why a reader of its own: a decision's articles sit outside the plan's numbered body
(``I.`` … ``V.``) that :mod:`.narrative` reads — before an attached plan, or after the plan
an article approves — so an assignment made by an article was never a task. Only articles
that open with an assigning lead-in of ``assignment_cues.yaml`` ("Giao", "Đề nghị", "Yêu
cầu") and name an agency are read: "Điều 1. Ban hành/Phê duyệt …" issues or approves, the
closing article ("Chánh Văn phòng …, Thủ trưởng … chịu trách nhiệm thi hành") executes.

An article whose text ends with ":" lists its tasks as items: ``a)``/``-`` items are tasks
led by the article's agency; an ``a)`` item that names partners and no work ("b) Chủ trì,
phối hợp với Giám đốc Sở Khoa học và Công nghệ" then "- …") scopes the dash items under it.
Otherwise the article's paragraph is one task.

An article headed like a duty section ("Điều 3. Tổ chức thực hiện", "Điều 2. Trách nhiệm
của Sở Tài chính; Ủy ban nhân dân các xã, phường"; ``duty_article_headings``), or printed
with no title of its own before numbered clauses ("Điều 2." / "1. Các cơ quan … khẩn trương
…" / "2. Đề nghị Chính phủ …", a resolution of the Standing Committee), hands out the
decision's work in numbered clauses, the way Decree 30/2020 drafts them: a clause that
opens with a lead-in ("1. Giao Sở X chủ trì, phối hợp với …") or names its own subject
("2. Sở Tài chính có trách nhiệm …") is one task (its ``a)`` items the tasks, when it ends
with ":"); a clause that only names whose duties follow ("1. Trách nhiệm của Sở Tài chính",
"2. Ủy ban nhân dân các xã, phường:") scopes its items; a clause of an article that names one
agency ("Điều 18. Trách nhiệm của Sở Y tế") is that agency's task unless it names another.
A clause that names nobody, or whose subject only answers for the decision ("… chịu trách
nhiệm thi hành"), is no task.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from plankg.folding import fold_aligned, fold_words
from plankg.ingest.extract.assignments import (
    agency_heading,
    agency_label,
    cooperating,
    cues,
    duty_article,
    is_agency_start,
    lead_in_partners,
    names,
    subject,
)
from plankg.ingest.extract.narrative import item_agencies, item_deadline, paragraph_agencies
from plankg.ingest.extract.paragraphs import (
    non_duty_article,
    opens_with_composition,
    paragraphs,
    person_post,
    states_composition,
)
from plankg.ingest.extract.structure import ARTICLE as _ARTICLE
from plankg.ingest.extract.structure import Line, fold, join, text_lines
from plankg.ingest.extract.task_checks import load_not_tasks
from plankg.ingest.model import SectionRecord, SourceText, TaskRecord

_LETTER = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
_CLAUSE = re.compile(r"^[*_]*(\d{1,2})\.[*_]*\s+[*_]*(\S.*)$")
_DASH = re.compile(r"^[-–+•]\s*(.*)$")  # a dash alone on its line ("-" then the item): hard-wrapped Markdown
_STOP = re.compile(r"^(?:n[oơ]i\s+nh[aậ]n|ph[uụ]\s+l[uụ]c\b|(?:[IVX]{1,4})\s*[.\-–]\s+\S"
                   r"|(?:ch[uư][oơ]ng|m[uụ]c)\s+(?:[IVXLC]{1,6}|\d{1,2})\b\.?(?:\s|$))", re.IGNORECASE)
_TERMINAL = ".;!?…"


@dataclass
class _Item:
    kind: str  # "letter" | "dash"
    number: str
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        first = self.lines[0].text
        m = _LETTER.match(first) or _DASH.match(first)
        return join([m.group(m.lastindex or 1) if m else first] + [ln.text for ln in self.lines[1:]])


@dataclass
class _Article:
    number: str
    lines: list[Line]  # the article's lines, its "Điều N." line first

    @property
    def head(self) -> str:
        m = _ARTICLE.match(self.lines[0].text)
        return m.group(2) if m else self.lines[0].text


class _Clause(_Article):
    """A numbered clause ("khoản") of an article: "1. Giao Sở …", its lines, its number first."""

    @property
    def head(self) -> str:
        m = _CLAUSE.match(self.lines[0].text)
        return m.group(2) if m else self.lines[0].text


def _clauses(article: _Article) -> list[_Clause]:
    """The numbered clauses of an article, in order; lines before the first are its heading's."""
    out: list[_Clause] = []
    for ln in article.lines[1:]:
        m = _CLAUSE.match(ln.text)
        if m and int(m.group(1)) == len(out) + 1:
            out.append(_Clause(m.group(1), [ln]))
        elif out:
            out[-1].lines.append(ln)
    return out


def _articles(lines: list[Line]) -> list[_Article]:
    out: list[_Article] = []
    for ln in lines:
        m = _ARTICLE.match(ln.text)
        if m:
            out.append(_Article(m.group(1), [ln]))
        elif out:
            if _STOP.match(ln.text) or (len(ln.text) < 60 and ln.text.isupper()):
                out.append(_Article("", []))  # the article ends: a closing block, a plan title, a heading
            elif out[-1].number:
                out[-1].lines.append(ln)
    return [a for a in out if a.number and a.lines]


def _later_assignment(head: str) -> tuple[int, str] | None:
    """(offset, agency) of the first sentence after the first of an article's opening paragraph
    that opens with a lead-in and names an agency ("Chính phủ cơ bản thống nhất với dự án … .
    Giao Bộ Công an chủ trì, phối hợp …"), or whose own subject leads the work ("Thông qua Báo
    cáo … . Bộ Nội vụ chủ trì, phối hợp với …"); a capital letter begins the sentence."""
    for m in re.finditer(r"[.;]\s+(?=[*_]*[A-ZĐÀ-Ỹ])", head):
        rest = head[m.end():].lstrip("*_ ")
        lead = _assignee(rest)
        if lead is None and _CHAIRS.match(fold(rest)):  # "Bộ Nội vụ chủ trì, phối hợp với …"
            own, _ = item_agencies(rest)
            lead = own[0] if len(own) == 1 else None
        if lead is not None:
            return len(head) - len(rest), lead
    return None


#: the cue words of an assigning sentence (CONVENTIONS §1: "X chủ trì, phối hợp với Y …", "X
#: có trách nhiệm …")
_ASSIGNING = re.compile(r"\b(?:co\s+trach\s+nhiem|chu\s+tri|phoi\s+hop)\b")


def _assigns_first(head: str) -> bool:
    """Does an article's first sentence give its own subject work ("Điều 3. Sở Tư pháp có trách
    nhiệm …. Văn phòng Ủy ban nhân dân tỉnh có trách nhiệm chủ trì …")? Then a later sentence
    is one more task, not the article's only one."""
    first = _SENTENCE.split(head, maxsplit=1)[0]
    return (bool(_ASSIGNING.search(fold(first).lower())) and not _EXECUTES.search(fold(first).lower())
            and bool(paragraph_agencies(first)[0]))


_CHAIRS = re.compile(r"[^.;:]{3,120}?\s+chu\s+tri\b", re.IGNORECASE)


def _assignee(head: str) -> str | None:
    """The agency an article's opening sentence gives work to, if it opens with a lead-in."""
    if not cues().prefixes.match(fold(head).lower()):
        return None
    found = subject(head)
    return found[0] if found else None


def _items(article: _Article) -> tuple[list[Line], list[_Item]]:
    """(the opening paragraph's lines, the items listed after it)."""
    opening: list[Line] = [article.lines[0]]
    items: list[_Item] = []
    for ln in article.lines[1:]:
        m = _LETTER.match(ln.text)
        d = _DASH.match(ln.text)
        if m:
            items.append(_Item("letter", m.group(1), [ln]))
        elif d:
            items.append(_Item("dash", "-", [ln]))
        elif items:
            items[-1].lines.append(ln)
        else:
            opening.append(ln)
    return opening, items


def _scopes(item: _Item, nxt: _Item | None) -> bool:
    """A letter item that only names partners ("Chủ trì, phối hợp với …", no full stop) and
    has dash items under it: a heading, not a task."""
    text = item.text.rstrip()
    return (item.kind == "letter" and nxt is not None and nxt.kind == "dash"
            and (text.endswith(":") or text[-1:] not in _TERMINAL))


def extract_article_tasks(source: SourceText) -> tuple[list[SectionRecord], list[TaskRecord]]:
    """Tasks assigned by a decision's articles, with the sections (one per article) they sit in."""
    sections: list[SectionRecord] = []
    tasks: list[TaskRecord] = []
    lines = text_lines(source)
    # scraped, hard-wrapped Markdown or text keeps a blank line between paragraphs; a DOCX or a
    # PDF's text gives each paragraph its own line
    gapped = source.fmt in ("md", "txt") and any(b.index > a.index + 1 for a, b in zip(lines, lines[1:]))
    articles = _articles(lines)
    delegates = _delegates(articles)
    for art in articles:
        if non_duty_article(art.head):  # "Điều 2. Đối tượng áp dụng" / "1. …"
            continue
        opening, items = _items(art)
        clauses = _clauses(art)
        if delegates and _owner_titled(art, clauses) and _delegated(art, clauses, delegates):
            continue  # "Điều 2. Sở Giáo dục và Đào tạo" / "1. Quyết định …": the powers handed to it
        if _opens_delegation(art.head):
            continue  # "Điều 1. Ủy quyền cho Giám đốc Sở … tiếp nhận, thẩm định …": the issuer hands over power
        if clauses and clauses[0].lines[0] in opening:  # "… bảo đảm một số yêu cầu sau:" / "1. …": the opening ends there
            opening = opening[:opening.index(clauses[0].lines[0])]  # (also over "a)" items of clause 1)
        head = join([art.head] + [ln.text for ln in opening[1:]])
        lead = _assignee(head)
        # "Điều 2." then at once "1. Các cơ quan … khẩn trương …": no title, the clauses hand out
        # work (a title on the next line, "Hiệu lực và trách nhiệm thi hành:", is a title)
        duty = (duty_article(art.head) or (not art.head.strip() and bool(clauses) and art.lines[1] is clauses[0].lines[0])
                or _owner_titled(art, clauses))
        later = _later_assignment(head) if lead is None and not duty and not _assigns_first(head) else None
        if later is not None:  # "Điều 1. Chính phủ cơ bản thống nhất … . Giao Bộ Công an chủ trì …:"
            head, lead = head[later[0]:], later[1]
        if lead is None:
            if duty:  # a duty heading, or an article printed with no title ("Điều 2." / "1. X …")
                secs, found = _duty_article(source, art, head)
            else:  # "Điều 2. Nhiệm vụ …" / "Quốc hội …, đề nghị Chính phủ … thực hiện … sau đây:" / paragraphs
                secs, found = _requested_paragraphs(source, art)
                if not found:  # "Điều 3. Văn phòng UBND tỉnh có trách nhiệm theo dõi …"
                    secs, found = _subject_article(source, art, head, clauses, items)
            sections += secs
            tasks += found
            continue
        path = f"Điều{art.number}"
        sections.append(SectionRecord(path=path, number=f"Điều {art.number}", heading=head[:200], parent=None,
                                      span=source.span(art.lines[0].start, art.lines[-1].end)))
        if clauses and not items and head.rstrip().endswith(":"):  # "…, bảo đảm một số yêu cầu sau:" then "1. …", "2. …": the agency's tasks
            partners = lead_in_partners(head)  # "Giao Sở X chủ trì, phối hợp các đơn vị liên quan có trách nhiệm:"
            tasks += [_task(source, f"{path}.{c.number}", f"{c.number}.", join([c.head] + [ln.text for ln in c.lines[1:]]),
                            c.lines, path, lead, None, partners) for c in clauses]
            continue
        body = _titled_body(art, opening, gapped) if not items else []
        titled = _title_names(art.head) if body else []
        if titled:  # "Điều 19. Đề nghị Tòa án …, Viện kiểm sát …" then "Căn cứ chức năng, … cung cấp …"
            tasks.append(_task(source, path, f"Điều {art.number}", join([ln.text for ln in body]), body, path,
                               titled, None))
            continue
        if not head.rstrip().endswith(":") or not items:
            tasks.append(_task(source, path, f"Điều {art.number}", head, opening, path, lead, None))
            continue
        tasks += _lead_in_deadline(_item_tasks(source, path, items, lead, lead_in_partners(head)), head)
    return sections, tasks


def _title_names(title: str) -> list[str]:
    """The agencies a title that is only a lead-in and names asks ("Đề nghị Tòa án nhân dân
    thành phố, Viện kiểm sát nhân dân thành phố"); none when a verb or a thing follows the cue."""
    m = cues().prefixes.match(fold_aligned(title).lower())
    rest = title[m.end():].strip(" *_") if m else ""
    return names(rest) if rest and is_agency_start(rest) else []


def _titled_body(art: _Article, opening: list[Line], gapped: bool) -> list[Line]:
    """The paragraphs under an article whose title only names whom it asks ("Điều 19. Đề nghị
    Tòa án nhân dân thành phố, Viện kiểm sát nhân dân thành phố" then "Căn cứ chức năng, …
    kịp thời cung cấp …"): the title is a heading (no sentence ends in it) and the work is the
    body, which the task's text starts with (CONVENTIONS: text_start is the work); empty when
    the title is the whole assignment or runs on into a list. Where the text keeps blank lines
    between paragraphs (``gapped``) the body must follow one: a title wrapped onto the next
    line ("Điều 3. Phân công Phó Thủ tướng … Nguyễn Hòa" / "Bình chỉ đạo …") is no heading."""
    if len(opening) < 2 or opening[0] is not art.lines[0]:
        return []
    if gapped and opening[1].index == opening[0].index + 1:
        return []
    if art.head.rstrip(" *_").endswith(tuple(_TERMINAL + ":")) or not opening[1].text.lstrip(" *_")[:1].isupper():
        return []
    body = opening[1:]
    return [] if join([ln.text for ln in body]).rstrip(" *_").endswith(":") else body


#: the closing article's predicate ("Chánh Văn phòng …, Thủ trưởng … và tổ chức, cá nhân liên
#: quan chịu trách nhiệm thi hành Quyết định này", "… căn cứ Quyết định thi hành./."): it
#: executes the decision, it is no task
_EXECUTES = re.compile(r"\b(?:(?:chiu|co)\s+trach\s+nhiem\s+thi\s+hanh|can\s+cu\s+(?:quyet\s+dinh|nghi\s+quyet)\s+(?:nay\s+)?(?:de\s+)?thi\s+hanh)\b")


def _subject_article(source: SourceText, art: _Article, head: str, clauses: list[_Clause],
                     items: list[_Item]) -> tuple[list[SectionRecord], list[TaskRecord]]:
    """An article whose opening sentence names who does the work, with no lead-in and no duty
    title ("Điều 3. Văn phòng UBND tỉnh có trách nhiệm theo dõi, kiểm tra …"; "Điều 2. Sở Y
    tế, UBND cấp xã … có trách nhiệm:" then "1. …", "2. …"), or whose numbered clauses do
    ("Điều 14. Phối hợp hoạt động" / "1. Ban Chỉ đạo phối hợp với …"): assigning sentences
    like any other (CONVENTIONS §1). The article is one task of its subject, or, when its
    opening ends with ":", its clauses (items) are, each led by the subject unless it names
    its own; with no subject in the opening, each clause that names its own is a task. A
    title line ("Điều 18. Văn phòng Ban Chỉ đạo" over "Phó Trưởng Ban Chỉ đạo quyết định …")
    is not the subject. The closing article ("… chịu trách nhiệm thi hành Quyết định này")
    and a clause of that kind are no task."""
    titled = _has_title(art)
    if titled and clauses and agency_heading(art.head) and states_composition(clauses[0].head):
        return [], []  # "Điều 7. Ban Kiểm soát Quỹ" / "1. Ban Kiểm soát gồm có …": a body described
    lines = art.lines[1:] if titled else art.lines
    if clauses:
        opening = lines[:lines.index(clauses[0].lines[0])] if clauses[0].lines[0] in lines else []
    else:
        opening = lines
    first = [art.head] if not titled and lines and lines[0] is art.lines[0] else []
    text = join(first + [ln.text for ln in (opening[1:] if first else opening)])
    if _EXECUTES.search(fold(text).lower()):
        return [], []
    own = paragraph_agencies(text)[0] if text else []
    path = f"Điều{art.number}"
    listed = text.rstrip(" *_").endswith(":")
    if not own and listed and (label := agency_label(text)) is not None and not label[1].strip():
        own = names(label[0])  # "Điều 3. Giám đốc Sở Nông nghiệp và Môi trường tỉnh …:" then "1. …", "2. …"
    partners = lead_in_partners(text) if own else []
    if own and (_subject_does(text, "delegation_predicates") or (listed and _subject_does(text, "ruling_predicates"))):
        return [], []  # "… Ủy ban Thường vụ Quốc hội quyết định sắp xếp … như sau:" / "1. Sắp xếp …": the ruling itself
    if own and clauses and listed:
        tasks = [t for c in clauses for t in _clause_tasks(source, path, c, own, partners)]
    elif own and items and listed and not clauses:
        tasks = _item_tasks(source, path, items, own, partners)
    elif own and not clauses and not items:
        tasks = _sentence_tasks(source, art, opening, path)
    elif clauses and not own:
        tasks = [t for c in clauses if not _EXECUTES.search(fold(join([ln.text for ln in c.lines])).lower())
                 for t in _clause_tasks(source, path, c, None)]
    else:
        return [], []
    tasks = [t for t in tasks if not all(person_post(n) for n in t.lead)]  # "Doanh nghiệp viễn thông … phải …"
    if not tasks:
        return [], []
    section = SectionRecord(path=path, number=f"Điều {art.number}", heading=head[:200], parent=None,
                            span=source.span(art.lines[0].start, art.lines[-1].end))
    return [section], tasks


def _sentence_tasks(source: SourceText, art: _Article, opening: list[Line], path: str) -> list[TaskRecord]:
    """The tasks of an article printed as paragraphs that name their own subjects ("Điều 3. Sở
    Tư pháp có trách nhiệm …" / "Văn phòng Ủy ban nhân dân tỉnh có trách nhiệm chủ trì …"):
    one per paragraph, and one per later sentence whose subject is another named body ("….
    Sở Tư pháp thực hiện nộp hồ sơ …"), as the narrative reader splits paragraphs; a paragraph
    or sentence that names nobody, or the same body, goes on with the task above it."""
    pieces: list[tuple[list[str], list[Line], list[str]]] = []  # (texts, lines, lead)
    for unit in _paragraph_units(opening):
        para = join([art.head if ln is art.lines[0] else ln.text for ln in unit])
        for j, sentence in enumerate(_SENTENCE.split(para)):
            lead = paragraph_agencies(sentence)[0]
            if j > 0 and not (lead and _proper(lead) and not _same(lead, pieces[-1][2] if pieces else [])):
                lead = []
            if pieces and not lead:
                pieces[-1][0].append(sentence)
                if unit[-1] not in pieces[-1][1]:
                    pieces[-1][1].extend(ln for ln in unit if ln not in pieces[-1][1])
                continue
            if lead:
                pieces.append(([sentence], list(unit), lead))
    tasks: list[TaskRecord] = []
    for k, (texts, lines, lead) in enumerate(pieces):
        where = path if len(pieces) == 1 else f"{path}.p{k + 1}"
        tasks.append(_task(source, where, f"Điều {art.number}" if k == 0 else "", join(texts), lines, path, lead, None))
    return tasks


#: where a sentence ends before another that starts with a capital letter
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ])")


def _proper(lead: list[str]) -> bool:
    """A body named by its proper name ("Sở Tư pháp"), or several: a later sentence led by a
    common noun ("Ngân hàng hướng dẫn …") describes a step of the task above it."""
    return len(lead) > 1 or any(sum(w[:1].isupper() for w in name.split()) >= 2 for name in lead)


def _same(a: list[str], b: list[str]) -> bool:
    return {fold(x).lower() for x in a} == {fold(x).lower() for x in b}


def _has_title(art: _Article) -> bool:
    """Does the article's heading line print a title of its own ("**Điều 18. Văn phòng Ban Chỉ
    đạo**", then the text on the next line)? In Markdown the title is the bold run the line
    ends with ("**Điều 1.** Ban hành …" prints text, not a title); in a rendition without
    markup, a heading line with no closing punctuation followed by a line that starts a
    sentence."""
    first = art.lines[0].text.rstrip()
    title = art.head.strip(" *_")
    if not title or len(art.lines) < 2:
        return False
    if "**" in first:
        return first.endswith("**") and title[-1:] not in ".;!?…"
    nxt = art.lines[1].text.lstrip("*_")
    if _name_runs_on(title, nxt):
        return False  # "Điều 3. Sở Công" / "Thương chịu trách nhiệm …": a name wrapped, no title
    return len(title) < 150 and title[-1:] not in ".;:,!?…" and (nxt[:1].isupper() or bool(_CLAUSE.match(nxt)))


def _name_runs_on(line: str, nxt: str) -> bool:
    """Does an agency name that ends ``line`` go on into the next line ("Điều 3. Sở Công" /
    "Thương chịu trách nhiệm …"; "1. Sở" / "Tài chính chủ trì …")? Then the line is a sentence
    wrapped inside the name, not a title or a heading of its own (round 5: e52fee108f53e169,
    43ce594e2a648040). One word ("Sở") always runs on; a next line that opens with a verb or
    an agency of its own ("Phối hợp tham mưu …", "Phó Trưởng Ban Chỉ đạo quyết định …") does not."""
    line = line.strip(" *_")
    if not is_agency_start(line):
        return False
    if len(line.split()) == 1:
        return True
    if cues().verbs.match(fold_aligned(nxt)) or is_agency_start(nxt):
        return False  # "Bộ Chỉ huy Quân sự tỉnh" / "Phối hợp tham mưu …": a heading over its work
    own = paragraph_agencies(f"{line} {nxt}")[0]
    more = own[0][len(line):].split() if own and own[0].startswith(line) else []
    return bool(more) and all(w[:1].isupper() for w in more)  # "… Công" + "Thương", not "Quản lý …"


def _owner_titled(art: _Article, clauses: list[_Clause]) -> bool:
    """Is the article titled with the body whose duties its clauses list, and nothing else
    ("Điều 20. Văn phòng UBND tỉnh" / "1. …"; "Điều 5. Nội dung Sở Dân tộc và Tôn giáo có
    trách nhiệm chủ trì" / "1. Xây dựng …")? A body described by its make-up ("Điều 7. Ban
    Kiểm soát Quỹ" / "1. Ban Kiểm soát gồm có …") is not."""
    if not _has_title(art) or (clauses and states_composition(clauses[0].head)):
        return False
    return _duty_owner(art.head) is not None


def _duty_owner(title: str) -> str | list[str] | None:
    """Whose duties an article lists: the agency its heading names ("Trách nhiệm của Sở Y tế"),
    or, after "Trách nhiệm của" / "Nhiệm vụ của" (``duty_of_prefixes``), whoever the heading
    names as printed — an office-holder or a body the agency grammar does not know ("Trách
    nhiệm của Phó Trưởng Ban Chỉ đạo", "… của Ủy viên thường trực"): the heading itself says
    the clauses are theirs, when it prints them with a capital. A long remainder, one with a
    sentence break, or a person's post (``person_posts``) is no name. A title that is itself an
    assigning phrase ("Nội dung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì") names its
    subject's agencies."""
    title = title.strip(" *_")
    found = agency_heading(title)
    if found is not None:
        return None if person_post(found) else found.strip(" *_")
    folded = fold(title)
    m = cues().duty_of.match(folded.lower())
    if m is None and _ASSIGNING.search(folded.lower()) and not _EXECUTES.search(folded.lower()):
        # "Nội dung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì": the subject after a label
        starts = [0] + [m.end() for m in re.finditer(r"\s+", title)][:4]
        at = next((i for i in starts if is_agency_start(title[i:])), None)
        own = paragraph_agencies(title[at:])[0] if at is not None else []
        return own if own and not all(person_post(n) for n in own) else None
    if m is None or len(folded) != len(title):
        return None
    rest = title[m.end():].strip(" *_:.")
    named = re.sub(r"^(?:các|những)\s+", "", rest)
    if not named[:1].isupper() or len(rest.split()) > 12 or re.search(r"[.;:!?]", rest) or person_post(rest):
        return None  # "Trách nhiệm của chủ đầu tư dự án …": a role, printed in lower case, is no name
    return rest


def _title(art: _Article, clauses: list[_Clause]) -> str:
    """The article's heading up to its first numbered clause ("Trách nhiệm của Ban Chỉ đạo")."""
    first = clauses[0].lines[0]
    return join([art.head] + [ln.text for ln in art.lines[1:art.lines.index(first)]])


def _duty_article(source: SourceText, art: _Article, head: str) -> tuple[list[SectionRecord], list[TaskRecord]]:
    """The tasks of an article headed like a duty section, one per clause that names who
    does it (module docstring)."""
    path = f"Điều{art.number}"
    clauses = _clauses(art)
    # not the first clause's "1. Giúp Thủ tướng:", nor the paragraph under a title line
    title = art.head if _has_title(art) else _title(art, clauses) if clauses else head
    owner = _duty_owner(title) if ";" not in title else None  # "Trách nhiệm của Sở Y tế"
    tasks: list[TaskRecord] = []
    if not clauses:
        _, items = _items(art)
        if owner and items:
            tasks = _item_tasks(source, path, items, owner)
        elif not items:  # "Điều 3. Tổ chức thực hiện" / "Chính phủ, … khẩn trương …" / "Mặt trận … giám sát …"
            for k, unit in enumerate(_paragraph_units(art.lines[1:]), 1):
                text = join([ln.text for ln in unit])
                own, _ = paragraph_agencies(text)
                if _EXECUTES.search(fold(text).lower()):
                    continue  # "Chánh Văn phòng …; Giám đốc Sở … chịu trách nhiệm thi hành …"
                lead = own or owner  # "Điều 6. Nội dung Công an tỉnh có trách nhiệm chủ trì" / "Nắm tình hình, …"
                if lead:
                    tasks.append(_task(source, f"{path}.p{k}", "", text, unit, path, lead, None))
    for clause in clauses:
        tasks += _clause_tasks(source, path, clause, owner)
    if not tasks:
        return [], []
    section = SectionRecord(path=path, number=f"Điều {art.number}", heading=head[:200], parent=None,
                            span=source.span(art.lines[0].start, art.lines[-1].end))
    return [section], tasks


#: a request inside an article's opening sentence, after a comma: "Quốc hội cơ bản tán thành …,
#: đồng thời, đề nghị Chính phủ và các cơ quan liên quan tập trung thực hiện … sau đây:"
_INNER_REQUEST = re.compile(r"[,;]\s*(?:dong\s+thoi\s*,?\s*)?(?=(?:de\s+nghi|yeu\s+cau|giao)\s)", re.IGNORECASE)
#: a numbered sub-heading of an article ("2.1. Đẩy mạnh hoàn thiện thể chế …"), no full stop
_SUBHEADING = re.compile(r"^[*_]*(\d{1,2}\.\d{1,2})\.?[*_]*\s+(\S.*)$")


def _paragraph_units(lines: list[Line]) -> list[list[Line]]:
    """The article's paragraphs, a numbered sub-heading line always a unit of its own (a DOCX
    paragraph after a heading that ends without a full stop is not told apart by punctuation)."""
    runs: list[list[Line]] = []
    for k, ln in enumerate(lines):  # a sub-heading opens with a digit: no capital tells it starts
        if not runs or (_SUBHEADING.match(ln.text) and (lines[k - 1].text.rstrip(" *_").endswith((".", ":", ";", "…"))
                                                         or ln.index > lines[k - 1].index + 1)):
            runs.append([])
        runs[-1].append(ln)
    out: list[list[Line]] = []
    for para in (p for run in runs for p in paragraphs(run)):
        if len(para) > 1 and _SUBHEADING.match(para[0].text) and not para[0].text.rstrip(" *_").endswith("."):
            out += [[para[0]], para[1:]]
        else:
            out.append(para)
    return out


def _requested_paragraphs(source: SourceText, art: _Article) -> tuple[list[SectionRecord], list[TaskRecord]]:
    """An article whose opening paragraph asks a body, in its own sentence after a comma, to
    carry out the work listed after it ("… đồng thời, đề nghị Chính phủ và các cơ quan liên
    quan tập trung thực hiện các nhiệm vụ và giải pháp chủ yếu sau đây:"), then prints that work
    as paragraphs, perhaps under numbered sub-headings ("2.1. …"): each paragraph is a task of
    the requested body, unless it names its own. Sub-headings are themes, not tasks."""
    units = _paragraph_units(art.lines[1:])
    if len(units) < 2:
        return [], []
    opening = join([ln.text for ln in units[0]])
    folded = fold(opening)
    m = _INNER_REQUEST.search(folded)
    if not opening.rstrip(" *_").endswith(":") or m is None:
        return [], []
    found = subject(opening[m.end():])
    if found is None:
        return [], []
    path = f"Điều{art.number}"
    sub, k = path, 0
    tasks: list[TaskRecord] = []
    for unit in units[1:]:
        text = join([ln.text for ln in unit])
        head = _SUBHEADING.match(unit[0].text)
        if head and len(unit) == 1 and not text.rstrip(" *_").endswith("."):
            sub, k = f"{path}.{head.group(1).split('.')[-1]}", 0
            continue
        k += 1
        own, _ = paragraph_agencies(text)
        tasks.append(_task(source, f"{sub}.p{k}", "", text, unit, sub, own or found[0], None))
    if not tasks:
        return [], []
    section = SectionRecord(path=path, number=f"Điều {art.number}", heading=join([art.head, opening])[:200], parent=None,
                            span=source.span(art.lines[0].start, art.lines[-1].end))
    return [section], tasks


def _label(text: str) -> list[str]:
    """The agencies a paragraph or item is labelled with before a colon ("Công an tỉnh: Tổng hợp
    …", "Sở Dân tộc và Tôn giáo, UBND cấp xã: Tiếp nhận …", "Sở Tài chính:"): a regulation's
    way of handing each body its work. The label is an agency heading (a name, no verb, no
    sentence before the colon); none otherwise ("Đối với …:", "Tần suất thực hiện:")."""
    head, colon, _ = text.partition(":")
    if not colon or len(head) > 150 or re.search(r"[.;]\s", head):
        return []
    found = agency_heading(head.strip(" *_"))
    return names(found) if found else []


def _after_label(text: str) -> str:
    """The work after an agency label printed on a line of its own ("4. Sở Giáo dục và Đào tạo:"
    / "Chủ trì phối hợp …" → "Chủ trì phối hợp …"): the label is a heading, the work its text
    (CONVENTIONS §1); a label on the work's own line ("Công an tỉnh: Tổng hợp …") stays in it."""
    return text.partition(":")[2].strip(" *_")


def _labelled(items: list[_Item]) -> bool:
    """Are most lettered items of a list labelled with their own agency ("a) Công an tỉnh: …",
    "b) Sở Nội vụ: …")? Then each is its own body's task, whatever the clause above says."""
    letters = [it for it in items if it.kind == "letter"]
    return len(letters) >= 2 and 2 * sum(bool(_label(it.text)) for it in letters) > len(letters)


def _labelled_tasks(source: SourceText, path: str, clause: _Clause, head: str, opening: list[Line],
                    items: list[_Item], owner: str | list[str] | None) -> list[TaskRecord]:
    """A clause whose lettered items are labelled with their agencies: the clause's own sentence
    is a task when it names a subject and ends no lead-in ("2. Các cơ quan, đơn vị, địa phương
    có trách nhiệm theo dõi, tổng hợp … trước ngày 10/12 hằng năm" over "a) Công an tỉnh: …");
    each labelled item is a task of its label's agencies; an item that is only a label ("a) Sở
    Tài chính:") has the paragraphs under it as its tasks; an unlabelled item keeps the
    clause's subject, or the article's owner."""
    where = f"{path}.{clause.number}"
    own = paragraph_agencies(head)[0] if not head.rstrip(" *_").endswith(":") else []
    out = [_task(source, where, f"{clause.number}.", head, opening, path, own, None)] if own else []
    default: str | list[str] = own or owner or []
    for item in items:
        lab = _label(item.text)
        first = _LETTER.match(item.lines[0].text) or _DASH.match(item.lines[0].text)
        alone = bool(lab) and (first.group(first.lastindex or 1) if first else item.lines[0].text).rstrip(" *_").endswith(":")
        if alone and len(item.lines) > 1:
            for k, unit in enumerate(paragraphs(item.lines[1:]), 1):
                out.append(_task(source, f"{where}.{item.number}.p{k}", "", join([ln.text for ln in unit]), unit,
                                 where, lab, None))
            continue
        lead = lab or paragraph_agencies(item.text)[0] or default
        if lead and re.search(r"\w", item.text):
            out.append(_task(source, f"{where}.{item.number}", item.number + ")" if item.kind == "letter" else "",
                             item.text, item.lines, where, lead, None))
    return out


def _clause_tasks(source: SourceText, path: str, clause: _Clause, owner: str | list[str] | None,
                  partners: list[str] | None = None) -> list[TaskRecord]:
    """``partners``: those the owner's lead-in names ("Giao Sở X chủ trì, phối hợp với …
    có trách nhiệm:"), the cooperating agencies of each clause that names none of its own."""
    opening, items = _items(clause)
    head = join([clause.head] + [ln.text for ln in opening[1:]])
    where = f"{path}.{clause.number}"
    number = f"{clause.number}."
    if opens_with_composition(head):  # "2. Thành phần Hội đồng … gồm:" / "a) Chủ tịch Hội đồng là …"
        return []
    if items and _lists_members(head, items):  # "2. Các Phòng chuyên môn, nghiệp vụ thuộc Chi cục gồm:" / "a) Phòng …;"
        return []
    if _subject_does(head, "delegation_predicates") or _opens_delegation(head) or (
            items and head.rstrip(" *_").endswith(":") and _subject_does(head, "ruling_predicates")):
        return []  # "1. UBND tỉnh ủy quyền cho Chủ tịch UBND tỉnh:" / "a) Quyết định …": powers handed over
    lead = _assignee(head)
    if lead is not None:  # "1. Giao Sở X chủ trì, phối hợp với …"
        if head.rstrip().endswith(":") and items:
            return _lead_in_deadline(_item_tasks(source, where, items, lead, lead_in_partners(head)), head)
        return [_task(source, where, number, _whole(head, items), clause.lines, path, lead, None)]
    if not items and (lab := _label(head)):  # "1. Sở Dân tộc và Tôn giáo, UBND cấp xã: Tiếp nhận hồ sơ …"
        alone = clause.head.rstrip(" *_").endswith(":")  # "4. Sở Giáo dục và Đào tạo:" / "Chủ trì …"
        return [_task(source, where, number, _after_label(head) if alone else head, clause.lines, path, lab, None)]
    if items and _labelled(items):  # "2. Các cơ quan … có trách nhiệm …" / "a) Công an tỉnh: …"
        return _labelled_tasks(source, path, clause, head, opening, items, owner)
    if items and head.rstrip(" *_").endswith(":") and _grants_powers(head):
        return []  # "2. Ủy ban nhân dân Thành phố có thẩm quyền sau đây:" / "a) Quyết định …": powers
    if items:
        found = _listed_clause_tasks(source, path, clause, head, opening, items, owner, partners)
        if found is not None:
            return _lead_in_deadline(found, head)
    named = _named_paragraph(clause, opening) or (_name_line(opening[:1]) if len(opening) > 1 else None)
    if named is not None and not items:  # "3. Các doanh nghiệp …" / "Thực hiện nghiêm túc …"
        return [_task(source, where, number, join([ln.text for ln in opening[1:]]), clause.lines, path, named, None)]
    text = _whole(head, items)
    own, _ = paragraph_agencies(text)
    if own:
        return [_task(source, where, number, text, clause.lines, path, own, None)]
    if owner is not None and not items:  # "Điều 18. Trách nhiệm của Sở Y tế" / "1. Tham mưu …"
        return [_task(source, where, number, text, clause.lines, path, owner, None, partners)]
    return []


def _listed_clause_tasks(source: SourceText, path: str, clause: _Clause, head: str, opening: list[Line],
                         items: list[_Item], owner: str | list[str] | None,
                         partners: list[str] | None = None) -> list[TaskRecord] | None:
    """The tasks of a clause with lettered or dashed items, by what its heading says of them;
    None when the heading says nothing of them (the clause is then read as one paragraph).
    ``partners``: the cooperating agencies the owner's lead-in names (see :func:`_clause_tasks`)."""
    where = f"{path}.{clause.number}"
    number = f"{clause.number}."
    words = fold_words(head)
    if head.rstrip(" *_").endswith(":") and any(words.startswith(f"{p} ") for p in load_not_tasks()["case_list_openings"]):
        return []  # "3. Các trường hợp hộp thư điện tử công vụ bị tạm khóa:" / "a) Không phát sinh …": cases
    scope = agency_heading(head)  # "1. Trách nhiệm của Sở Tài chính", "2. Sở Y tế:"
    if scope is not None and (head.rstrip().endswith(":") or head.rstrip()[-1:] not in _TERMINAL):
        return _item_tasks(source, where, items, scope)
    scope = _name_line(opening)
    if scope is not None:  # "2. Văn phòng Ủy ban nhân dân tỉnh." then "a) …"
        return _item_tasks(source, where, items, scope)
    listed = _duty_of_list(head)
    if listed:  # "2. Trách nhiệm của các Sở: Xây dựng, Tài chính, Nội vụ." then "a) …"
        return _item_tasks(source, where, items, listed)
    if owner is not None and _clause_title(head):  # "1. Trách nhiệm trong việc quản lý Ứng dụng …" / "a) …"
        return _item_tasks(source, where, items, owner, partners)
    if owner is None and _clause_title(head):  # "2. Về tài khoản người dùng" / "b) Thủ trưởng các cơ quan … có trách nhiệm …"
        subjects = _subject_items(source, where, items, assigning=True)
        if subjects:
            return subjects
    if head.rstrip(" *_").endswith(":"):
        own = paragraph_agencies(head)[0]
        if _lists_objects(head):  # "1. Sở Tài chính chịu trách nhiệm cập nhật … đối với:" / "a) Báo cáo giá …"
            return [_task(source, where, number, _whole(head, items), clause.lines, path, own, None)] if own else []
        if own:  # "1. Sở Tài chính có trách nhiệm quản lý về nghiệp vụ, bao gồm:" then "a) …": a lead-in
            return _item_tasks(source, where, items, own, lead_in_partners(head), own_first=True)
        if owner is not None:  # "Điều 4. Trách nhiệm của Ban Chỉ đạo" / "1. Giúp Thủ tướng Chính phủ:"
            return _item_tasks(source, where, items, owner, partners)
        subjects = _subject_items(source, where, items) if _frames(head) else []
        if subjects:  # "1. Kể từ ngày Quy định này có hiệu lực thi hành:" / "a) Trong thời hạn 5 năm, cơ quan … phải …"
            return subjects
    return None


def _named_paragraph(clause: _Clause, opening: list[Line]) -> str | None:
    """The agency a clause's first line names on its own, above a paragraph that begins a
    sentence of its own on the next line ("3. Các doanh nghiệp có cửa hàng bán lẻ xăng dầu" /
    "Thực hiện nghiêm túc …"); None for a sentence wrapped over lines."""
    first = clause.head.rstrip()
    if len(opening) < 2 or first[-1:] in ",;" or not opening[1].text.lstrip("*_")[:1].isupper():
        return None
    if _name_runs_on(first, opening[1].text.lstrip("*_")):
        return None  # "1. Sở" / "Tài chính chủ trì, phối hợp …": one name wrapped over two lines
    return agency_heading(first)


def _clause_title(head: str) -> bool:
    """A clause heading that only titles the items under it ("1. Trách nhiệm trong việc quản
    lý Ứng dụng phản ánh kiến nghị" then "a) …"): short, no closing punctuation, no body of its
    own named in it."""
    h = head.strip(" *_")
    return 0 < len(h) <= 150 and h[-1:] not in ".;:!?…" and not paragraph_agencies(h)[0]


def _frames(head: str) -> bool:
    """Does a lead-in only frame its items by a case or a time ("Đối với …:", "Kể từ ngày …:";
    ``framing_lead_ins`` of not_tasks.yaml)?"""
    words = fold_words(head)
    return any(words == p or words.startswith(f"{p} ") for p in load_not_tasks()["framing_lead_ins"])


def _subject_items(source: SourceText, path: str, items: list[_Item], assigning: bool = False) -> list[TaskRecord]:
    """Under a lead-in that names nobody ("1. Kể từ ngày Quy định này có hiệu lực thi hành:"),
    the lettered items that name their own subject ("a) Trong thời hạn 5 năm, cơ quan, tổ
    chức đảng … phải hoàn thành …"), each a task of it; items that name nobody are none. With
    ``assigning`` (under a topic title, "2. Về tài khoản người dùng"), only a sentence that
    assigns ("… có trách nhiệm …", "… phối hợp với …") gives its subject the item: under a
    title, "Cơ quan, đơn vị gửi văn bản đề nghị …" describes a step, not a duty."""
    out: list[TaskRecord] = []
    for item in items:
        if item.kind != "letter":
            continue
        # the first sentence that names a subject ("a) Tài khoản người dùng … sẽ được chuyển đổi
        # …. Sở Khoa học và Công nghệ phối hợp …": the item is that body's task)
        own = next((found for sentence in _SENTENCE.split(item.text)
                    if (found := paragraph_agencies(sentence)[0])
                    and (not assigning or _ASSIGNING.search(fold(sentence).lower()))), [])
        if own and not all(person_post(n) for n in own):
            out.append(_task(source, f"{path}.{item.number}", item.number + ")", item.text, item.lines, path, own, None))
    return out


def _duty_of_list(head: str) -> str | None:
    """The bodies a clause title lists after "Trách nhiệm của" with their shared head before a
    colon ("Trách nhiệm của các Sở: Xây dựng, Tài chính, Nội vụ." → Sở Xây dựng, Sở Tài chính,
    Sở Nội vụ), which the heading reader refuses for its colon and full stop; None for a title
    that goes on into a sentence. Printed as a phrase, so that an item naming its own subject
    ("d) Sở Nội vụ chủ trì …") keeps it."""
    title = head.strip(" *_")
    m = cues().duty_of.match(fold_aligned(title).lower())
    if m is None or ":" not in title or len(title) > 150 or re.search(r"[.;]\s", title):
        return None
    rest = title[m.end():].strip(" .:")
    return rest if is_agency_start(rest) and len(names(rest)) > 1 else None


def _name_line(opening: list[Line]) -> str | None:
    """The agency a clause's one-line heading names with a full stop after the name ("2. Văn
    phòng Ủy ban nhân dân tỉnh.", "5. Sở Tài chính." then a paragraph or "a) …" items): a
    regulation's duty article prints its agencies so; a sentence ("… chủ trì thẩm định.")
    names an action, not only an agency, and stays None."""
    if len(opening) != 1:
        return None
    m = _CLAUSE.match(opening[0].text)
    first = (m.group(2) if m else opening[0].text).strip(" *_")
    if not first.endswith(".") or len(first) > 120:
        return None
    return agency_heading(first.rstrip(" ."))


def _grants_powers(head: str) -> bool:
    """Does a lead-in state a power, right or competence of its subject ("Ủy ban nhân dân Thành
    phố có thẩm quyền sau đây:", "Thủ tướng Chính phủ được quyết định các nội dung sau đây:";
    ``statement_predicates`` of not_tasks.yaml, as task_checks reads an item)? Its items are
    powers, not work; one that also names duties ("… có quyền hạn và trách nhiệm:") lists work."""
    words = f" {fold_words(head)} "
    if " trach nhiem " in words or " nhiem vu " in words:
        return False
    return any(f" {p} " in words for p in load_not_tasks()["statement_predicates"])


def _opens_delegation(text: str) -> bool:
    """Does an article or clause open with the issuer handing over a power, its subject unnamed
    ("Điều 1. Ủy quyền cho Giám đốc Sở Nông nghiệp và Môi trường tiếp nhận, thẩm định …",
    "Điều 2. Ủy quyền cho Lãnh đạo Bộ Xây dựng thay mặt Chính phủ … ký Hiệp định …";
    ``delegation_predicates``)? An authorisation confers competence, it gives no work (round 6
    gold: e4fe6376a6d82fcc, b241b75dc4e6df64; no required gold task of rounds 1–6 opens so)."""
    words = fold_words(text.strip(" *_"))
    return any(words == p or words.startswith(f"{p} ") for p in load_not_tasks()["delegation_predicates"])


def _delegates(articles: list[_Article]) -> list[str]:
    """Whom a decentralisation decision hands powers to, as its scope clause names them ("Quyết
    định này quy định việc phân cấp của Chủ tịch Ủy ban nhân dân tỉnh cho Sở Giáo dục và Đào tạo
    thực hiện …": a ``statement_openings`` phrase, then a ``delegation_nouns`` one and "cho"),
    folded; none in any other document."""
    vocab = load_not_tasks()
    found: list[str] = []
    for art in articles:
        for start in range(len(art.lines)):
            text = join([ln.text for ln in art.lines[start:start + 4]])
            text = re.sub(r"^[*_]*(?:\d{1,2}\.|Điều\s+\d+\.)[*_\s]*", "", text).strip(" *_")
            words = fold_words(text)
            if not any(words.startswith(f"{p} ") for p in vocab["statement_openings"]):
                continue
            sentence = re.split(r"[.;:]\s", text, maxsplit=1)[0]
            folded = fold_aligned(sentence).lower()
            for noun in vocab["delegation_nouns"]:
                m = re.search(rf"\b{re.escape(noun)}\b.*?\scho\s+", folded)
                if m:
                    found += [fold_words(n) for n in paragraph_agencies(sentence[m.end():])[0][:1]]
    return found


def _delegated(art: _Article, clauses: list[_Clause], delegates: list[str]) -> bool:
    """Is an article titled with a body its decision hands powers to, and nothing else?"""
    title = _title(art, clauses) if clauses else art.head
    owner = _duty_owner(title)  # "Trách nhiệm của Sở Công Thương" names duties: not the body alone
    return isinstance(owner, str) and fold_words(owner) == fold_words(title) and fold_words(owner) in delegates


def _lists_members(head: str, items: list[_Item]) -> bool:
    """Does a lead-in name what a body is made of ("Các Phòng chuyên môn, nghiệp vụ thuộc Chi
    cục gồm:"; ``composition_words``) and no work ("Sở Tài chính có trách nhiệm quản lý về
    nghiệp vụ, bao gồm:" is a lead-in to duties), over items that are mostly names, not
    sentences ("a) Phòng Hành chính - Tổng hợp;", at most 12 words), or a heading that only names
    bodies over items that name bodies with no verb? Its items are members or
    units, not tasks; a list of bodies each given work ("3. Cơ quan lập đề án …, bao gồm:" /
    "a) Sở Nông nghiệp và Môi trường chủ trì, phối hợp với …") stays (round 3: f20b8af669b140e9)."""
    folded = fold(head).lower()
    if not head.rstrip(" *_").endswith(":") or _ASSIGNING.search(folded) or re.search(r"\bnhiem\s+vu\b", folded):
        return False
    if states_composition(head):
        return 2 * sum(len(it.text.split()) <= 12 for it in items) > len(items)
    # "4. Các Trạm Kiểm lâm thuộc các Hạt Kiểm lâm:" / "a) Trạm Kiểm lâm …, Trạm Kiểm lâm … thuộc Hạt
    # Kiểm lâm …;": a heading that only names bodies, over items that name bodies and no action
    return (agency_heading(head.strip(" *_").rstrip(":")) is not None
            and 2 * sum(not cues().verbs.search(fold_aligned(it.text)) for it in items) > len(items))


@functools.cache
def _predicates(key: str) -> re.Pattern[str]:
    """The phrases of ``key`` in not_tasks.yaml as one pattern, compiled once (every article and
    clause asks)."""
    phrases = load_not_tasks()[key]
    return re.compile(r"\s(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases) + r")\s")


def _subject_does(text: str, key: str) -> bool:
    """Does the text's own subject rule or hand over power rather than receive work: is a phrase
    of ``key`` in not_tasks.yaml printed right after an agency name that opens the text or
    follows a comma ("…, Ủy ban Thường vụ Quốc hội quyết định sắp xếp … như sau:",
    ``ruling_predicates``; "UBND tỉnh ủy quyền cho Chủ tịch UBND tỉnh:",
    ``delegation_predicates``)? Only the first such phrase, and only after a name (at most 12
    words, no verb), so a duty that mentions a delegation ("Triệu tập, chủ trì hoặc ủy quyền
    cho …") or a passive "X được phân cấp … có trách nhiệm …" is not one. The agency grammar
    is not asked for the subject's end: it reads "Ủy ban nhân dân tỉnh phân cấp thẩm quyền cho
    Sở Tư pháp" as one name."""
    m = _predicates(key).search(fold_aligned(text).lower())
    if m is None:
        return False
    before = re.split(r"[,;:.]", text[:m.start()])[-1].strip(" *_")
    return (0 < len(before.split()) <= 12 and is_agency_start(before)
            and not cues().verbs.search(fold_aligned(before))
            and not re.search(r"\bduoc\b", fold_aligned(before).lower()))


def _lists_objects(head: str) -> bool:
    """Does a lead-in end by introducing objects rather than work ("… cập nhật các thông tin
    vào Cơ sở dữ liệu về giá đối với:", "… từ các nguồn sau đây:"; ``object_lead_in_endings``
    of not_tasks.yaml)? Its items are what the one task covers."""
    words = fold_words(head.rstrip(" *_").rstrip(":"))
    return any(words.endswith(p) and (len(words) == len(p) or words[-len(p) - 1] == " ")
               for p in load_not_tasks()["object_lead_in_endings"])


def _whole(head: str, items: list[_Item]) -> str:
    """A clause's text with the items it lists, as one paragraph."""
    return join([head] + [("" if it.kind == "dash" else it.number + ") ") + it.text for it in items])


def _lead_in_deadline(tasks: list[TaskRecord], head: str) -> list[TaskRecord]:
    """A lead-in that dates its items ("1. Định kỳ (trước ngày 30 tháng 6 hằng năm), Ủy ban nhân
    dân cấp xã có trách nhiệm:" / "a) Rà soát …" / "b) …") gives its deadline to each item that
    prints none of its own, as it gives its lead (CONVENTIONS §3: the phrase that dates the item)."""
    dated = item_deadline(head) if tasks else None
    if dated is not None:
        for t in tasks:
            t.deadline = t.deadline or dated
    return tasks


def _item_tasks(source: SourceText, path: str, items: list[_Item], lead: str | list[str],
                partners: list[str] | None = None, own_first: bool = False) -> list[TaskRecord]:
    """The tasks of a lead-in's items, led by ``lead``; with ``own_first``, a lettered item that
    opens with its own subject ("1. Sở quản lý ngành … có trách nhiệm chủ trì …, cụ thể như sau:"
    / "a) Sở Nông nghiệp và Môi trường chủ trì đối với …") is led by it."""
    out: list[TaskRecord] = []
    scope: _Item | None = None
    dash = 0
    for k, item in enumerate(items):
        if not re.search(r"\w", item.text):
            continue  # a stray marker ("- *")
        nxt = items[k + 1] if k + 1 < len(items) else None
        if item.kind == "letter":
            scope, dash = None, 0
            if _scopes(item, nxt):
                scope = item
                continue
            own = paragraph_agencies(item.text)[0] if own_first and is_agency_start(item.text) else []
            out.append(_task(source, f"{path}.{item.number}", item.number + ")", item.text, item.lines, path,
                             own or lead, None, partners))
            continue
        dash += 1
        where = f"{path}.{scope.number}" if scope else path
        out.append(_task(source, f"{where}.i{dash}", "", item.text, item.lines, where, lead,
                         scope.text if scope else None, partners))
    return out


def _task(source: SourceText, path: str, number: str, text: str, lines: list[Line], section: str,
          lead: str | list[str], scope: str | None, partners: list[str] | None = None) -> TaskRecord:
    """``lead``: the agency phrase that scopes the text, or the names its own subject gives;
    ``partners``: those its lead-in names, for an item that names neither a body nor a partner of
    its own (CONVENTIONS §1)."""
    own_lead, coop = item_agencies(text)
    named = bool(own_lead)
    if isinstance(lead, list):
        own_lead = lead
    if not coop and scope:
        coop = cooperating(scope)
    if not coop:
        coop = cooperating(text)
    if not coop and not named and partners:
        coop = list(partners)
    return TaskRecord(
        number=number, path=path, text=text, lead=own_lead or (names(lead) if isinstance(lead, str) else lead), cooperating=coop, output=None,
        deadline=item_deadline(text), section=section, span=source.span(lines[0].start, lines[-1].end),
        origin="narrative", method="decision-article",
    )
