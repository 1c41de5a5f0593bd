"""Which extracted "tasks" are not tasks: small named drop rules on the assembled task list.

Why: the task readers take every assigning-looking sentence of an article, every item under
an agency heading and every row of a table with a text column for a task. In regulations,
decisions and resolutions many of them are not work given to an agency as the gold conventions
define it (tests/gold/corpus/CONVENTIONS.md §1): the closing formula ("Chánh Văn phòng …
chịu trách nhiệm thi hành Quyết định này"), effect clauses, general exhortations ("Yêu cầu
các sở … thực hiện nghiêm túc./."), statements of competence, function, right or exemption
("… có quyền …", "… không chịu trách nhiệm do …"), scope and definitions articles, duties of
persons and businesses in a document that is not a plan, the agency-less rows of tables that
print a procedure, a catalogue of administrative procedures or a form, the rows of tables
of spending norms, the record of a published procedure, a letter's "báo để … biết" closing
and the criteria of a scored evaluation. Read as tasks
they put formulas and procedure steps among the plan's work and lower precision.

Each rule is one function of a task (and its context) returning True when the item is not a
task; :func:`drop_non_tasks` applies them in order and writes one warning per rule and section
(Vietnamese, English in parentheses), as ``target_checks`` does for targets — never silent.
The vocabulary lives in ``ontology/registry/not_tasks.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import yaml

from plankg.folding import fold, fold_words
from plankg.ingest.extract.structure import heading_chain
from plankg.ingest.model import DocumentRecord, SectionRecord, SourceText, TaskRecord
from plankg.ontology import REGISTRY_DIR

VOCAB_PATH = REGISTRY_DIR / "not_tasks.yaml"


#: lists of not_tasks.yaml read as printed, not folded (case is what tells them)
_PRINTED = frozenset({"signature_marks"})


@lru_cache(maxsize=4)
def load_not_tasks(path: str = str(VOCAB_PATH)) -> dict[str, tuple[str, ...]]:
    """The vocabulary of not_tasks.yaml, every phrase folded to words (``_PRINTED`` lists kept
    as printed); cached per path."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {key: tuple(dict.fromkeys(str(p) if key in _PRINTED else fold_words(str(p)) for p in phrases))
            for key, phrases in raw.items()}


def _words(text: str) -> str:
    return f" {fold_words(text)} "


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    """Does any phrase occur in ``text`` as whole words?"""
    words = _words(text)
    return any(f" {p} " in words for p in phrases)


#: the first clause of an item: up to the first semicolon, colon or full stop (a subject may
#: hold commas: "Cơ quan, tổ chức, đơn vị cấp trên được quyền …"), at most 110 characters
_CLAUSE = re.compile(r"^[^;:.]{0,110}")
#: a parenthesis, left out of the first clause: "(khi không được hỗ trợ …)" qualifies an object
_PARENTHESES = re.compile(r"\([^()]*\)?")
#: leading quantifiers of a collective lead ("các doanh nghiệp", "mọi cá nhân")
_QUANTIFIER = re.compile(r"^(?:cac|moi|nhung|toan the)\s+")


@dataclass
class Context:
    """What the rules read besides the task itself."""

    source: SourceText
    document: DocumentRecord
    sections: dict[str, SectionRecord]
    vocab: dict[str, tuple[str, ...]]

    def headings(self, path: str | None) -> list[str]:
        """The headings of a section and of its ancestors, nearest first."""
        return heading_chain(self.sections, path)

    def table_header(self, t: TaskRecord) -> list[str]:
        """The header row of the real table the row ``t`` was read from, if the reader placed it."""
        line = t.span.line_start - 1
        for rows, lines in zip(self.source.tables, self.source.table_lines, strict=False):
            if line in lines and rows:
                return rows[0]
        return []


#: the end of an item's first sentence: a full stop, "!" or "?" followed by more text
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")


def closing_formula(t: TaskRecord, ctx: Context) -> bool:
    """The closing or effect formula of the document ("… chịu trách nhiệm thi hành Quyết định
    này", "Quyết định này có hiệu lực kể từ …"), in the item's first sentence: CONVENTIONS §1,
    never a required task; also its other wording at the first sentence's end ("… căn cứ Quyết
    định này thực hiện./.", ``closing_endings``). A task whose paragraph runs on into the
    closing formula ("Phân công … chỉ đạo …. Bộ trưởng … chịu trách nhiệm thi hành Nghị quyết
    này") is left to the paragraph readers."""
    first = _SENTENCE_END.split(t.text, maxsplit=1)[0]
    if not _has(first, ctx.vocab["closing_formulas"]):
        # "… căn cứ Quyết định này thực hiện./.": the formula in other words, ending the sentence
        return any(fold_words(first).endswith(f" {p}") for p in ctx.vocab["closing_endings"])
    # "… có trách nhiệm tổ chức thi hành Nghị quyết này; sắp xếp, ổn định bộ máy …": work of its
    # own after the formula, in a clause of the same sentence, makes the item a task (round 5 gold)
    return not _clause_after_formula(first, ctx)


def _clause_after_formula(first: str, ctx: Context) -> bool:
    """Is there a ";" clause of at least six words after the last clause that holds a closing
    formula?"""
    parts = first.split(";")
    last = max((i for i, part in enumerate(parts) if _has(part, ctx.vocab["closing_formulas"])), default=len(parts))
    return any(len(part.split()) >= 6 for part in parts[last + 1:])


#: a sentence or clause boundary inside an item (a closing "./." is not one)
_INNER_BREAK = re.compile(r"[;]|[.!?](?=\s+\S)")


def exhortation(t: TaskRecord, ctx: Context) -> bool:
    """A general exhortation: a one-sentence item that asks ("Yêu cầu …") and ends with
    "thực hiện nghiêm túc" or the like, so it gives no work of its own (CONVENTIONS §1). An
    item of several sentences or clauses is left alone: a real task with the closing
    exhortation glued to its end is still a task."""
    words = fold_words(t.text)
    return (not _INNER_BREAK.search(t.text.strip().rstrip("./ "))
            and _has(t.text, ctx.vocab["exhortation_asks"])
            and any(words.endswith(p) for p in ctx.vocab["exhortation_endings"]))


def told_to_know(t: TaskRecord, ctx: Context) -> bool:
    """A letter's closing sentence: "Cục trưởng Cục Hải quan báo để Công ty … biết và thực
    hiện./.": an informing verb right before "để" and the sentence ending with the addressee
    told to know, the verb right after the signer as subject. The letter's work (if any) was asked
    before; this sentence hands the text over. A duty to answer others ("…, các sở có văn bản giải
    trình, trả lời để cử tri biết.") is work: its verb does not follow a bare subject."""
    sentence = _SENTENCE_END.split(t.text, maxsplit=1)[0]
    first = _words(sentence)
    if not any(first.rstrip().endswith(f" {p}") for p in ctx.vocab["informed_endings"]):
        return False
    at = min((first.find(f" {verb} de ") for verb in ctx.vocab["informing_verbs"] if f" {verb} de " in first), default=-1)
    # the verb right after the sentence's subject, the letter's signer ("Cục trưởng Cục Hải quan");
    # "…, các sở, ban, ngành có văn bản giải trình, trả lời để cử tri biết." answers voters: work
    subject = first[:at].split()
    return 0 < len(subject) <= 12 and sentence[:1].isupper() and not re.search(r"[,;:]", " ".join(sentence.split()[:len(subject)]))


def statement(t: TaskRecord, ctx: Context) -> bool:
    """A statement of competence, function, right or exemption ("X có quyền …", "X không chịu
    trách nhiệm do …", "X có chức năng tham mưu …", "X làm việc theo nguyên tắc …") in the item's
    first clause, unless the item opens with a condition ("Trường hợp …", "Khi …"); or the
    opening of a scope or definitions article ("Quy định này quy định …", "Phạm vi điều chỉnh")."""
    clause = _CLAUSE.match(_PARENTHESES.sub(" ", t.text))
    first = clause.group(0) if clause else t.text
    words = fold_words(t.text)
    conditional = any(words.startswith(f"{p} ") for p in ctx.vocab["conditional_openings"])
    if not conditional and _has(first, ctx.vocab["statement_predicates"]):
        return True
    return any(words.startswith(p) for p in ctx.vocab["statement_openings"])


def _capitals(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def signature(t: TaskRecord, ctx: Context) -> bool:
    """A signature block read as a paragraph ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Xuân Tân";
    "TRƯỞNG BAN NGHIỆP VỤ THUẾ HQ PHÓ TRƯỞNG BAN …"): a mark of signing on behalf ("KT.", "TM.",
    "TL.", "Q.") before a word in capitals, or three words in capitals at the start. No task
    of the gold opens so (rounds 1–6 dev); the lead read from it is a post, not an agency."""
    words = t.text.split()
    if len(words) >= 2 and words[0].rstrip(".") in ctx.vocab["signature_marks"] and words[0].endswith("."):
        return _capitals(words[1])
    return len(words) >= 3 and all(_capitals(w) for w in words[:3])


def private_duty(t: TaskRecord, ctx: Context) -> bool:
    """In a document that is not a plan, an item whose every lead is a private party (persons,
    enterprises, owners, subscribers, officials as persons): their duties under a regulation
    are not work the document assigns to an agency (CONVENTIONS §1; optional in the gold). A
    plan's items for enterprises stay: the plan assigns them (round-1 gold)."""
    if ctx.document.plan or not t.lead:
        return False
    parties = ctx.vocab["private_parties"]
    for lead in t.lead:
        name = _QUANTIFIER.sub("", fold_words(lead))
        if any(name == p or name.startswith(f"{p} ") for p in ctx.vocab["public_roles"]):
            return False  # "Người đứng đầu cơ quan, tổ chức" (folded like "người dùng")
        if not any(name == p or name.startswith(f"{p} ") for p in parties):
            return False
    return True


def procedure_row(t: TaskRecord, ctx: Context) -> bool:
    """A row of a table or appendix that prints a procedure, a catalogue of administrative
    procedures, spending norms or a form: the row is labelled as a step ("Bước 3"), its table's
    header names procedure columns ("Thứ tự công việc", "Tên thủ tục hành chính"), or a heading
    above it names such an appendix ("QUY TRÌNH NỘI BỘ …", "DANH MỤC THỦ TỤC HÀNH CHÍNH …").
    A step goes even when a column names who does it (CONVENTIONS §1, 2026-12-07: the steps
    of a published procedure assign no work); a row found only by a heading above it must name no agency,
    since a plan's own appendix may sit under such a heading."""
    if t.origin != "appendix":
        return False
    number = fold_words(t.number)
    if any(number == p or number.startswith(f"{p} ") for p in ctx.vocab["procedure_steps"]):
        return True
    if any(_has(cell, ctx.vocab["procedure_headers"]) for cell in ctx.table_header(t)):
        return True
    if any(re.search(r"[^\W\d_]", lead) for lead in t.lead):
        return False
    return any(_has(h, ctx.vocab["procedure_headings"]) for h in ctx.headings(t.section))


def _procedure_field(heading: str, ctx: Context) -> bool:
    """Is ``heading`` a field of an administrative procedure's record ("Thời hạn giải quyết:",
    "Cơ quan giải quyết TTHC:", "Đối tượng thực hiện thủ tục hành chính:")?"""
    words = fold_words(heading)
    tails = ("", *(f" {tail}" for tail in ctx.vocab["procedure_field_tails"]))
    if any(words == f"{field}{tail}" for field in ctx.vocab["procedure_fields"] for tail in tails):
        return True
    return any(words == f"{field}{tail}" for field in ctx.vocab["procedure_fields_tailed"] for tail in tails[1:])


def procedure_record(t: TaskRecord, ctx: Context) -> bool:
    """A narrative item of a published administrative procedure's record: under a field heading
    of the record ("4. Thời hạn giải quyết:" / "- Trong thời hạn 05 ngày làm việc …, Sở Tư pháp
    trình …"; "6. Cơ quan giải quyết TTHC:" / "+ Cơ quan có thẩm quyền quyết định: UBND tỉnh.")
    or under the heading that opens the procedures' contents ("NỘI DUNG CỤ THỂ CỦA TỪNG THỦ TỤC
    HÀNH CHÍNH"). The record says how the procedure runs and who decides; it assigns no work
    (CONVENTIONS §1, the steps of a published procedure). A field heading counts only beside
    another of the record's fields under the same parent (the record's structure): a regulation's
    own article "Điều 3. Trình tự thực hiện" over "Ủy ban nhân dân cấp xã có trách nhiệm …" is a
    duty article (round 3 gold), and a plan's "Cơ quan thực hiện:" alone is matched only in the
    record's wording."""
    if t.origin != "narrative":
        return False
    chain = ctx.headings(t.section)
    if any(_has(h, ctx.vocab["procedure_records"]) for h in chain):
        return True
    node = ctx.sections.get(t.section or "")
    while node is not None:
        if _procedure_field(node.heading, ctx) and _record_fields(node.parent, ctx) >= 2:
            return True
        node = ctx.sections.get(node.parent) if node.parent else None
    return False


def _record_fields(parent: str | None, ctx: Context) -> int:
    """How many sections under ``parent`` are headed by a procedure record's field: a record
    prints several ("1. Trình tự thực hiện", …, "4. Thời hạn giải quyết", "6. Cơ quan giải quyết
    TTHC"), a regulation's article "Điều 3. Trình tự thực hiện" is one among articles."""
    return sum(1 for s in ctx.sections.values() if s.parent == parent and _procedure_field(s.heading, ctx))


def spending_row(t: TaskRecord, ctx: Context) -> bool:
    """A row of a table of spending norms: a header cell is a spending column ("Mức chi",
    "Nội dung chi") or a heading above it names spending norms ("NỘI DUNG CHI, MỨC CHI …").
    Such a row is an expense item, not work, and its "lead" is the money column misread, so it
    is dropped whatever its lead."""
    if t.origin != "appendix":
        return False
    if any(fold_words(cell) in ctx.vocab["spending_headers"] for cell in ctx.table_header(t)):
        return True
    return any(_has(h, ctx.vocab["spending_headings"]) for h in ctx.headings(t.section))


def scored_criterion(t: TaskRecord, ctx: Context) -> bool:
    """An item of an evaluation's criteria: a heading above it, or the item's own opening
    before a colon, gives a score in parentheses ("Kết quả hoạt động (30 điểm)"; "Huy động các
    nguồn lực (08 nguồn lực, mỗi loại cho 01 điểm): Từ các phòng, ban …"). What earns points
    is measured, not assigned (CONVENTIONS §1: a task is work given to a named agency)."""
    own = t.text.split(":", 1)[0] if ":" in t.text[:160] else ""
    return any(gives_score(h, ctx.vocab) for h in [own, *ctx.headings(t.section)])


def gives_score(heading: str, vocab: dict[str, tuple[str, ...]]) -> bool:
    """Does a heading give a score in parentheses ("(30 điểm)", "(08 nguồn lực, mỗi loại cho 01
    điểm)"; ``score_units``)?"""
    units = "|".join(re.escape(u) for u in vocab["score_units"])
    return bool(re.search(rf"\([^()]*\b\d+(?:[.,]\d+)?\s+(?:{units})\b[^()]*\)", fold(heading).lower()))


#: the rules in order, each with what its warning calls the items it drops (Vietnamese, English)
RULES: tuple[tuple[Callable[[TaskRecord, Context], bool], str, str], ...] = (
    (closing_formula, "câu kết/hiệu lực thi hành", "closing or effect formulas"),
    (exhortation, "lời yêu cầu chung", "general exhortations"),
    (told_to_know, "câu kết thư báo để biết", "a letter's closing that tells its addressee"),
    (statement, "câu nêu thẩm quyền, chức năng, quyền hoặc phạm vi", "statements of competence, function, right or scope"),
    (signature, "khối chữ ký", "signature blocks"),
    (private_duty, "nghĩa vụ của tổ chức, cá nhân, doanh nghiệp", "duties of persons or businesses"),
    (procedure_row, "bước thủ tục, danh mục hoặc biểu mẫu", "procedure steps, catalogue or form rows"),
    (spending_row, "khoản chi trong bảng định mức chi", "expense items of a spending-norms table"),
    (procedure_record, "nội dung hồ sơ thủ tục hành chính được công bố", "contents of a published administrative procedure"),
    (scored_criterion, "tiêu chí chấm điểm", "scored criteria of an evaluation"),
)


def drop_non_tasks(tasks: list[TaskRecord], source: SourceText, document: DocumentRecord,
                   sections: list[SectionRecord], warnings: list[str]) -> list[TaskRecord]:
    """The tasks without those that one of :data:`RULES` says are not tasks, in order; one
    warning per rule and section names how many were left out and the first of them."""
    ctx = Context(source, document, {s.path: s for s in sections}, load_not_tasks())
    kept: list[TaskRecord] = []
    dropped: dict[tuple[int, str], list[TaskRecord]] = {}
    for t in tasks:
        rule = next((i for i, (check, _vi, _en) in enumerate(RULES) if check(t, ctx)), None)
        if rule is None:
            kept.append(t)
        else:
            dropped.setdefault((rule, t.section or ""), []).append(t)
    for (rule, section), items in dropped.items():
        _check, vi, en = RULES[rule]
        first = items[0].text[:60]
        warnings.append(f"Mục {section or '?'}: {len(items)} mục là {vi}, không đọc là nhiệm vụ (vd. “{first}”) "
                        f"({len(items)} items are {en}: not read as tasks)")
    return kept
