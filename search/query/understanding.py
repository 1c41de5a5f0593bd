"""Query understanding: what a Vietnamese query says about graph facts.

"nhiệm vụ của Sở Y tế năm 2025" is not a bag of words: it asks for *tasks* (type) whose
*agency* is the Sở Y tế entity and whose deadline falls in *2025* (period). Recognising
those parts against the graph lets ranking filter or boost on facts instead of hoping the
words occur in the text; what is left ("remaining") is ranked by BM25 and embeddings.

Recognised, in this order (each consumes its span of the query):

1. document references — "Kế hoạch 57/KH-UBND", "Nghị quyết 57", "57-NQ/TW" — matched
   on symbol or kind + number against the documents in the graph;
2. dates and periods — "năm 2025", "quý IV/2025", "tháng 6/2025", "trước 20/3/2025",
   "đến 2030", "giai đoạn 2026-2030" — parsed by the ingest's deadline parser, so the
   query and the deadlines mean the same interval;
3. agencies — every ``skos:prefLabel``/``altLabel`` of an agency in the graph ("Sở Y tế",
   "Sở TT&TT", "STTTT", "UBND tỉnh"), longest match first, accent-, case- and
   punctuation-insensitive ("so y te", "so tt&tt"). When several agencies share a label,
   those the indexed items actually name are preferred; the others — and the successors
   and predecessors of the 2025 reorganisation — are offered as removable parts
   (``relation``: "successor" | "predecessor");
4. localities — "tỉnh Bình Phước", "phường Bình Phước", "Đồng Nai";
5. result types — "nhiệm vụ" → Task, "chỉ tiêu"/"mục tiêu" → Target, "kế hoạch",
   "chương trình", "văn bản"… → Document (at the start of the query or followed by a
   function word, so "xây dựng kế hoạch phát triển" stays text);
6. role words after an agency — "chủ trì" (lead), "phối hợp" (cooperating).

Everything works on folded text (no marks, lower case) with offsets aligned to the query,
so "nhiem vu cua so y te nam 2025" is understood like its accented twin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from plankg.folding import fold, fold_aligned_blank
from plankg.ingest.extract.agencies import load_grammar
from plankg.ingest.extract.deadlines import parse_deadline
from plankg.ontology.kinds import load_kinds
from plankg.search.index.lexicon import DocumentEntry, Lexicon
from plankg.search.query.periods import period_label
from plankg.search.query.questions import find_phrases, relative_period, vocabulary
from plankg.search.text import has_diacritics, normalize_query

__all__ = ["Interpretation", "Understander"]

#: The span bookkeeping :meth:`Understander.understand` hands each part: is ``[s, e)`` still free; claim it.
_Free = Callable[[int, int], bool]
_Take = Callable[[int, int], None]

_WORD = re.compile(r"[a-z0-9]+")
_Y = r"((?:19|20)\d\d)(?!\d)"
_PREP = r"(?:(truoc|den(?:\s+het)?|tu|trong|sau|han)\s+)?"
#: Periods, most specific first; group "p" is the preposition (mode).
_PERIODS = [
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"(?:ngay\s+)?(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"(?:giai\s+doan\s+|tu\s+nam\s+|nam\s+)?" + _Y
               + r"\s*(?:-|–|den(?:\s+nam)?)\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"quy\s*(?:iv|iii|ii|i|[1-4])\b\s*(?:/|-|nam)?\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"(?:6|sau)\s+thang\s+(?:dau|cuoi)\s+nam\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"thang\s*\d{1,2}\s*(?:/|-|nam)\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"(?<![\d/])\d{1,2}\s*/\s*" + _Y),
    re.compile(r"\b" + _PREP.replace("(truoc", "(?P<p>truoc") + r"(?:nam\s+)?(?<![\d/.-])" + _Y + r"(?![\d/.-]|\s*-\s*\d)"),
]
#: The period grammar's words as written with marks. The patterns above run on folded text,
#: where "tử" (of "điện tử") and "từ" are both "tu": a word the user typed with marks must
#: be the grammar word as written ("từ năm 2030", not "điện tử năm 2030"); a word typed
#: without marks is read by its folded form (the fallback for unmarked queries).
_PERIOD_WORDS = {"truoc": {"trước"}, "den": {"đến"}, "het": {"hết"}, "tu": {"từ"}, "trong": {"trong"},
                 "sau": {"sau", "sáu"}, "han": {"hạn"}, "ngay": {"ngày"}, "giai": {"giai"}, "doan": {"đoạn"},
                 "nam": {"năm"}, "quy": {"quý", "quí"}, "thang": {"tháng"}, "dau": {"đầu"}, "cuoi": {"cuối"}}
#: Document kinds come from the one table (ontology/registry/document_kinds.yaml), so a
#: question says "đề án số 06" in the words ingest read the document's kind from.
_KIND_TABLE = load_kinds()
_KIND_RE = _KIND_TABLE.names_pattern()
_DOC_REF = re.compile(r"\b(?P<kind>" + _KIND_RE + r")(?:\s+hanh\s+dong)?\s+(?:so\s+)?(?P<num>\d{1,5})"
                      r"(?P<sym>(?:\s*[/-]\s*[a-z0-9&.]+)*)(?![\w/])")
_SYMBOL = re.compile(r"(?<![\w/])(?P<num>\d{1,5})(?P<sym>(?:[/-][a-z0-9&.]*[a-z][a-z0-9&.]*)+)(?![\w/])")
_REF_DATE = re.compile(r"\s*,?\s*(?:ngay\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*" + _Y)
_TYPES = [("nhiem vu", "Task"), ("chi tieu", "Target"), ("muc tieu", "Target"), ("ke hoach", "Document"),
          ("chuong trinh", "Document"), ("nghi quyet", "Document"), ("van ban", "Document"),
          ("quyet dinh", "Document"), ("cong van", "Document"), ("de an", None)]
_TYPE_LEAD = {"cac", "nhung", "danh", "sach", "tim", "liet", "ke", "xem", "tat", "ca", "moi"}
#: A type word followed by one of these is the type, not topic text ("nhiệm vụ của …").
_TYPE_FOLLOW = {"cua", "do", "nam", "ve", "trong", "co", "can", "phai", "duoc", "thuoc", "gi", "nao", "den",
                "truoc", "quy", "thang", "tai", "lien", "giao", "ma", "cho", "o", "tu", "sau", "han", "da"}
_ROLES = [("chu tri", "lead"), ("phoi hop", "cooperating"), ("theo doi", "lead")]
_ROLE_WORDS = {w for phrase, _r in _ROLES for w in phrase.split()}
_STOP = {"cua", "cac", "nhung", "ve", "gi", "nao", "co", "trong", "do", "la", "cho", "tai", "theo", "duoc",
         "phai", "can", "tim", "danh", "sach", "liet", "hay", "nam", "cung", "voi", "va", "da", "se",
         "ma", "o", "nay", "hien", "xem", "giao", "thuc", "hoan", "thanh"}
#: The same function words with their marks: a word typed with marks is a stop word only
#: as written ("tại" is, "tài" in "nhân tài" is not; both fold to "tai").
_STOP_MARKED = {"của", "các", "những", "về", "gì", "nào", "có", "trong", "do", "là", "cho", "tại", "theo", "được",
                "phải", "cần", "tìm", "danh", "sách", "liệt", "hãy", "năm", "cũng", "với", "và", "đã", "sẽ", "mà",
                "ở", "này", "hiện", "xem", "giao", "thực", "hoàn", "thành"}
_STOP_KEEP_IN_TOPIC = {"thuc", "hien", "hoan", "thanh", "giao", "va"}  # stop only next to a consumed part
_LEVEL_WORDS = {"tinh": "province", "thanh pho": None, "phuong": "commune", "xa": "commune",
                "huyen": "district", "thi xa": "district", "quan": "district"}


def _is_stop(word: str, folded: str) -> bool:
    """A function word: by its marks when typed with marks, else by its folded form."""
    if folded not in _STOP:
        return False
    return word.lower() in _STOP_MARKED if has_diacritics(word) else True


@dataclass
class Interpretation:
    """What was recognised; ``to_dict`` is the contract's ``interpretation`` object."""

    query: str
    types: list[str] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    period: dict[str, Any] | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    localities: list[dict[str, Any]] = field(default_factory=list)
    remaining: str = ""
    role: str | None = None
    #: The period's own interval before "trước"/"đến" widened it (ranking: "đến 2030"
    #: favours deadlines in 2030 over earlier ones).
    anchor: tuple[date | None, date | None] | None = None
    #: What the question asks for: who | when | value | tasks | document (None: keywords).
    intent: str | None = None
    #: The interrogative and polite words taken out of the ranking text (folded).
    question_words: list[str] = field(default_factory=list)
    #: "Sở nào …": the kind of agency the answer must be (folded first word of its name).
    lead_kind: str | None = None
    #: "bao nhiêu phần trăm …": the unit the value answer must be stated in (questions.yaml
    #: ``value_units``; None: any unit).
    value_unit: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.types or self.agencies or self.period or self.documents or self.localities)

    def to_dict(self) -> dict[str, Any]:
        return {"types": self.types, "agencies": self.agencies, "period": self.period,
                "documents": self.documents, "localities": self.localities, "remaining": self.remaining,
                **({"role": self.role} if self.role else {}),
                **({"intent": self.intent} if self.intent else {})}

    @property
    def period_asked(self) -> bool:
        """A period to filter or boost on: one that only names a subject ("kế hoạch … giai
        đoạn 2026 - 2030") is kept as words, not as a deadline."""
        return bool(self.period) and (self.period or {}).get("mode") != "subject"


def _kind_name(words: str | None) -> str | None:
    """The kind a matched kind phrase names ("ke hoach" → "Kế hoạch"), None for no phrase."""
    known = _KIND_TABLE.from_name(words) if words else None
    return known.name if known else None


def _aligned_fold(text: str) -> str:
    """Folded, lower-case text of the same length (offsets stay valid)."""
    return fold_aligned_blank(text)


def _key_tokens(text: str) -> list[tuple[str, ...]]:
    """Matching keys of a label: its folded words without "và", and a compact variant
    where "&", "-", "." inside an abbreviation are dropped ("tt&tt" → "tttt")."""
    f = _aligned_fold(normalize_query(text))
    plain = tuple(w for w in _WORD.findall(f) if w != "va")
    compact = tuple(w for w in _WORD.findall(re.sub(r"(?<=[a-z0-9])[&.\-](?=[a-z0-9])", "", f)) if w != "va")
    return list(dict.fromkeys(k for k in (plain, compact) if k))


@lru_cache(maxsize=1)
def _bare_heads() -> frozenset[str]:
    """The head words of agency names (the ingest's agency grammar), folded. An agency whose
    whole label is one of them — "Doanh nghiệp", "Địa phương", "Công ty", as a table cell
    may print them — is not recognised in queries: "doanh nghiệp nhỏ và vừa" is a topic, and
    reading it as that agency took the words from the ranking and boosted unrelated rows."""
    grammar = load_grammar()
    return frozenset(grammar.heads) | frozenset(grammar.collective_nouns)


class Understander:
    """Recognises graph facts in queries; built once per index generation."""

    def __init__(self, lexicon: Lexicon, used_agencies: set[str] | None = None,
                 places: dict[str, str] | None = None) -> None:
        self.lexicon = lexicon
        self.used = used_agencies or set()
        #: Agency IRI → place name for agencies the registry does not place (from the items).
        self.places = places or {}
        self.agency = {a.iri: a for a in lexicon.agencies}
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        for a in lexicon.agencies:
            for label in a.labels:
                if fold(label).lower().strip() in _bare_heads():
                    continue  # a bare head noun ("Doanh nghiệp", "Địa phương") is a topic word in a query
                for key in _key_tokens(label):
                    if len(key) == 1 and len(key[0]) < 3:
                        continue  # one short word is never an agency on its own
                    self._phrases.setdefault(key, set()).add(a.iri)
        self._max = max((len(k) for k in self._phrases), default=1)
        self._localities: dict[tuple[str, ...], list[tuple[str, str | None]]] = {}
        for loc in lexicon.localities:
            for label in loc.labels:
                words = tuple(_WORD.findall(_aligned_fold(label)))
                for lw in _LEVEL_WORDS:
                    lt = tuple(lw.split())
                    if words[: len(lt)] == lt and len(words) > len(lt):
                        words = words[len(lt):]
                        break
                if words and (loc.iri, loc.level) not in self._localities.get(words, []):
                    self._localities.setdefault(words, []).append((loc.iri, loc.level))
        self.locality_names = {loc.iri: loc.name for loc in lexicon.localities}
        #: Document symbol number → (document, folded symbol, end of the number): a reference
        #: looks up its number instead of scanning every document per query (#11).
        self._by_number: dict[str, list[tuple[DocumentEntry, str, int]]] = {}
        for d in lexicon.documents:
            ident = _aligned_fold(d.identifier or "")
            m = re.match(r"0*(\d+)", ident)
            if m:
                self._by_number.setdefault(m.group(1), []).append((d, ident, m.end()))

    # ------------------------------------------------------------------ entry point
    def understand(self, query: str, today: date | None = None) -> Interpretation:
        """Recognise the parts of ``query``; relative periods ("năm nay", "quá hạn") are
        computed against ``today`` (the caller's ``Settings.today``, else the system date)."""
        q = normalize_query(query).strip()
        f = _aligned_fold(q)
        used = [False] * len(q)
        it = Interpretation(query=q)

        def free(s: int, e: int) -> bool:
            return not any(used[s:e])

        def take(s: int, e: int) -> None:
            for i in range(s, e):
                used[i] = True

        def release(s: int, e: int) -> None:
            for i in range(s, e):
                used[i] = False

        self._documents(q, f, it, free, take)
        self._question(q, f, it, free, take, today or date.today())
        period_span = self._period(q, f, it, free, take)
        self._agencies(q, f, it, free, take, release)
        self._locality(q, f, it, free, take)
        self._types(q, f, it, free, take)
        if period_span and self._names_subject(f, period_span, free, it):
            for i in range(*period_span):  # the period is part of the subject: its words rank too
                used[i] = False
        if it.intent:
            for p in find_phrases(q, f, {"filler"}, free):
                take(p.start, p.end)
                it.question_words.append(f[p.start:p.end])
            if not it.types:
                it.types = list(vocabulary().answer_types.get(it.intent, ()))
        if it.agencies or it.intent == "who":  # "ai chủ trì …": the role asked
            for phrase, role in _ROLES:
                for m in re.finditer(r"\b" + phrase.replace(" ", r"\s+") + r"\b", f):
                    if free(m.start(), m.end()):
                        it.role = it.role or role
                        take(m.start(), m.end())
        it.remaining = self._remaining(q, f, used)
        if it.period:
            it.period["label"] = period_label(it.period)
        return it

    # ------------------------------------------------------------------ parts
    def _documents(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take) -> None:
        for rx in (_DOC_REF, _SYMBOL):
            for m in rx.finditer(f):
                if not free(m.start(), m.end()):
                    continue
                kind = _kind_name(m.groupdict().get("kind"))
                hits = self._match_documents(m["num"], re.sub(r"\s+", "", m["sym"] or ""), kind)
                if not hits:
                    continue  # "Đề án 06" that is no document of the graph: its words rank
                end = m.end()
                dated = _REF_DATE.match(f, end)
                if dated:  # "Kế hoạch 57/KH-UBND ngày 23/2/2025": the date belongs to the reference
                    end = dated.end()
                    same_year = [d for d in hits if d.year == int(dated.group(1))]
                    hits = same_year or hits
                take(m.start(), end)
                matched = q[m.start():end]
                for d in hits:
                    if all(x["iri"] != d.iri for x in it.documents):
                        it.documents.append({"iri": d.iri, "identifier": d.identifier, "title": d.title,
                                             "matched": matched})

    def _match_documents(self, number: str, symbol: str, kind: str | None) -> list[Any]:
        number = number.lstrip("0") or "0"
        compact = re.sub(r"[^a-z0-9]", "", symbol)
        out = []
        for d, ident, end in self._by_number.get(number, ()):
            if kind and d.kind and fold(d.kind).lower() != fold(kind).lower():
                continue
            if compact and not re.sub(r"[^a-z0-9]", "", ident[end:]).startswith(compact):
                continue
            out.append(d)
        return sorted(out, key=lambda d: (not d.rendered, -(d.year or 0), d.iri))

    def _question(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take, today: date) -> None:
        """The interrogative (intent), the polite frame and a relative period ("quá hạn")."""
        for p in find_phrases(q, f, {"politeness", "particle", "relative", "who", "when", "value", "tasks", "document"},
                              free):
            if p.role == "relative":
                if it.period is None and p.entry is not None:
                    it.period = {"text": q[p.start:p.end], **relative_period(p.entry, today)}
                    it.anchor = None
                    take(p.start, p.end)
                continue
            take(p.start, p.end)
            it.question_words.append(f[p.start:p.end])
            if p.role not in ("politeness", "particle") and it.intent is None:
                it.intent = p.role
                it.lead_kind = vocabulary().lead_kinds.get(f[p.start:p.end])
                it.value_unit = vocabulary().value_units.get(f[p.start:p.end])

    def _names_subject(self, f: str, span: tuple[int, int], free: _Free, it: Interpretation) -> bool:
        """A period without a preposition right after topic words ("kế hoạch phát triển khoa
        học công nghệ giai đoạn 2026 - 2030") names the subject, not a deadline."""
        if it.period is None or it.period.get("mode") != "in" or it.period.get("relative"):
            return False
        start, end = it.period.get("start") or "", it.period.get("end") or ""
        if not (f[span[0]:span[1]].lstrip().startswith("giai doan") or start[:4] != end[:4]):
            return False  # "chỉ tiêu phủ sóng 5G năm 2025": one year is a deadline
        before = list(_WORD.finditer(f[:span[0]]))
        if not before:
            return False
        last = before[-1]
        if not free(last.start(), last.end()) or last.group() in _STOP:
            return False
        it.period["mode"] = "subject"
        return True

    @staticmethod
    def _as_written(q: str, f: str, start: int, end: int) -> bool:
        """Every grammar word of ``q[start:end]`` typed with marks is the word as written
        (:data:`_PERIOD_WORDS`); words typed without marks pass on their folded form."""
        for w in _WORD.finditer(f, start, end):
            typed = q[w.start():w.end()]
            forms = _PERIOD_WORDS.get(w.group())
            if forms and has_diacritics(typed) and typed.lower() not in forms:
                return False
        return True

    def _period(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take) -> tuple[int, int] | None:
        for rx in _PERIODS:
            for m in rx.finditer(f):
                if not free(m.start(), m.end()):
                    continue
                begin, prep_text = m.start(), m.group("p") or ""
                if prep_text and not self._as_written(q, f, m.start("p"), m.end("p")):
                    # "điện tử năm 2030": "tử" is no preposition; the period begins after it
                    rest = f[m.end("p"):m.end()]
                    begin, prep_text = m.end("p") + len(rest) - len(rest.lstrip()), ""
                if not self._as_written(q, f, begin, m.end()):
                    continue
                text = q[begin:m.end()].strip()
                d = parse_deadline(text)
                if d is None or (d.start is None and d.end is None):
                    continue
                prep = prep_text.split()[0] if prep_text else ""
                core = parse_deadline(q[begin + len(prep_text):m.end()].strip())
                mode = {"truoc": "before", "han": "by", "den": "by", "tu": "from", "sau": "after"}.get(prep, "in")
                start, end = d.start, d.end
                if mode == "by" and core is not None:
                    start, end = None, core.end
                elif mode == "after" and core is not None:
                    start, end = core.end, None
                elif mode == "from" and core is not None:
                    start, end = core.start, None
                if it.period is not None:  # a relative period was named too: the dated one wins
                    it.period = None
                it.period = {"text": text, "start": start.isoformat() if start else None,
                             "end": end.isoformat() if end else None, "mode": mode}
                it.anchor = (core.start, core.end) if core is not None else (d.start, d.end)
                take(begin, m.end())
                return (begin, m.end())
        return None

    def _agencies(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take, release: _Take) -> None:
        toks = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(f) if free(m.start(), m.end())]
        toks = [t for t in toks if t[0] != "va"] if toks else toks
        words = [t[0] for t in toks]
        i = 0
        found: list[tuple[str, set[str], tuple[int, int]]] = []
        while i < len(toks):
            for n in range(min(self._max, len(toks) - i), 0, -1):
                key = tuple(words[i:i + n])
                iris = self._phrases.get(key)
                if iris is None:
                    compact = ("".join(key),) if n > 1 else None
                    iris = self._phrases.get(compact) if compact and len(compact[0]) >= 4 else None
                if iris:
                    s, e = toks[i][1], toks[i + n - 1][2]
                    if not free(s, e):
                        continue
                    take(s, e)
                    found.append((q[s:e], iris, (s, e)))
                    i += n
                    break
            else:
                i += 1
        if it.intent:  # in a question, an agency right after a verb is its object ("tổ chức lại Ban Chỉ huy …")
            kept = [(m, i, sp) for m, i, sp in found if not self._object_of_verb(f, sp, free)]
            for _m, _i, (s, e) in [x for x in found if x not in kept]:
                release(s, e)
            found = kept
        seen: set[str] = set()
        for matched, iris, _span in found:
            used = {a for a in iris if a in self.used}
            primary = sorted(used or iris)
            offered: list[tuple[str, str]] = []
            for a in primary:
                offered += [(s, "successor") for s in self._walk(a, forward=True)]
                offered += [(p, "predecessor") for p in self._walk(a, forward=False)]
            for a in primary:
                if a not in seen:
                    seen.add(a)
                    it.agencies.append({"iri": a, "name": self.agency[a].name, "matched": matched, "relation": None,
                                        "locality": self._agency_locality(a)})
            for a, rel in offered + [(x, "same-name") for x in sorted(iris - set(primary))]:
                if a in seen:
                    continue
                seen.add(a)
                if rel == "same-name" and not any(a in self._walk(p, True) + self._walk(p, False) for p in primary):
                    continue  # a namesake elsewhere, unrelated: not offered
                it.agencies.append({"iri": a, "name": self.agency[a].name if a in self.agency else a,
                                    "matched": matched, "relation": rel, "locality": self._agency_locality(a)})

    @staticmethod
    def _object_of_verb(f: str, span: tuple[int, int], free: _Free) -> bool:
        """The word before the agency is a free topic word (not a function word, not the
        start, not a question word): the agency is what the task acts on."""
        before = list(_WORD.finditer(f[:span[0]]))
        if not before:
            return False
        last = before[-1]
        return free(last.start(), last.end()) and last.group() not in _STOP and last.group() not in _ROLE_WORDS

    def _agency_locality(self, iri: str) -> str | None:
        """The name of the place an agency belongs to ("Sở Y tế" of Bình Phước or of Nghệ An)."""
        a = self.agency.get(iri)
        if a is not None and a.locality and a.locality in self.locality_names:
            return self.locality_names[a.locality]
        return self.places.get(iri)

    def _walk(self, start: str, forward: bool) -> list[str]:
        out: list[str] = []
        todo = [start]
        while todo:
            cur = self.agency.get(todo.pop())
            if cur is None:
                continue
            for nxt in (cur.successors if forward else cur.predecessors):
                if nxt not in out and nxt != start:
                    out.append(nxt)
                    todo.append(nxt)
        return out

    def _locality(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take) -> None:
        toks = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(f) if free(m.start(), m.end())]
        words = [t[0] for t in toks]
        i = 0
        while i < len(toks):
            level_word, level, skip = None, None, 0
            before = f[:toks[i][1]].rstrip()
            for lw, lv in _LEVEL_WORDS.items():  # "UBND phường Bình Phước": the agency named the level
                if lv and (before.endswith(" " + lw) or before == lw):
                    level_word, level = lw, lv
            for lw, lv in sorted(_LEVEL_WORDS.items(), key=lambda x: -len(x[0])):
                lt = lw.split()
                if words[i:i + len(lt)] == lt:
                    level_word, level, skip = lw, lv, len(lt)
                    break
            hit = None
            for n in range(min(4, len(toks) - i - skip), 0, -1):
                key = tuple(words[i + skip:i + skip + n])
                cands = self._localities.get(key)
                if cands and (skip or n >= 2):  # a bare one-word name is too ambiguous
                    if level_word and level:
                        narrowed = [c for c in cands if c[1] == level]
                        cands = narrowed or cands
                    hit = (n, cands)
                    break
            if hit:
                n, cands = hit
                s, e = toks[i][1], toks[i + skip + n - 1][2]
                take(s, e)
                for iri, _lv in cands:
                    if all(x["iri"] != iri for x in it.localities):
                        it.localities.append({"iri": iri, "name": self.locality_names.get(iri, iri), "matched": q[s:e]})
                i += skip + n
            else:
                i += 1

    def _types(self, q: str, f: str, it: Interpretation, free: _Free, take: _Take) -> None:
        toks = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(f)]
        words = [t[0] for t in toks]
        for phrase, typ in _TYPES:
            pw = phrase.split()
            for i in range(len(words) - len(pw) + 1):
                if words[i:i + len(pw)] != pw:
                    continue
                s, e = toks[i][1], toks[i + len(pw) - 1][2]
                if not free(s, e):
                    continue
                before = [w for w, ts, _te in toks[:i] if free(ts, ts + 1)]
                after = words[i + len(pw)] if i + len(pw) < len(words) else None
                nxt_free = after is None or free(toks[i + len(pw)][1], toks[i + len(pw)][2])
                leading = all(w in _TYPE_LEAD for w in before)
                if typ is None or (typ == "Document" and it.intent in ("who", "when", "value", "tasks")):
                    continue  # "khi nào phải xong kế hoạch …": the plan is the subject, tasks the answer
                if leading or after is None or after in _TYPE_FOLLOW or not nxt_free:
                    if typ not in it.types:
                        it.types.append(typ)
                    take(s, e)

    def _remaining(self, q: str, f: str, used: list[bool]) -> str:
        if not any(used):
            return q
        pieces: list[tuple[str, str]] = []  # word, folded
        for m in re.finditer(r"\S+", q):
            word = "".join(q[i] for i in range(m.start(), m.end()) if not used[i]).strip(" ,.;:-–()")
            if word:
                pieces.append((word, _aligned_fold(word)))
        # function words go; verbs that are also stop-like ("thực hiện") stay unless at an edge
        # (in an unmarked query a stop-like word between two topic words stays: "nhan tai",
        # "do thi" fold like "tại", "do")
        stop = [_is_stop(w, fw) and fw not in _STOP_KEEP_IN_TOPIC for w, fw in pieces]
        unmarked = not has_diacritics(q)
        out = [w for i, (w, _fw) in enumerate(pieces)
               if not stop[i] or (unmarked and 0 < i < len(pieces) - 1 and not stop[i - 1] and not stop[i + 1])]
        while out and _is_stop(out[0], _aligned_fold(out[0])):
            out.pop(0)
        while out and _is_stop(out[-1], _aligned_fold(out[-1])):
            out.pop()
        return " ".join(out)
