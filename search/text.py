"""Vietnamese text analysis for search: normalisation, segmentation, folding, abbreviations.

Why: a Vietnamese word is often two or three syllables ("chuyển đổi", "cơ sở dữ liệu"), users
type queries with or without diacritics, old- or new-style tone marks ("hoà"/"hòa"), and
plans mix abbreviations with their full names ("UBND" / "Ủy ban nhân dân"). :func:`analyze`
turns text into two parallel token lists:

* ``exact_tokens``: lower-cased, pyvi-segmented words with their marks (``"chuyển_đổi"``);
* ``folded_tokens``: the same words without marks (``"chuyen_doi"``), one for one.

Normalisation (NFC, one tone-mark style, legacy letters) and folding are the ingest's
(:mod:`plankg.ingest.readers.normalize`), so search and extraction see the same spelling.

Abbreviations (``abbreviations.yaml`` + the agency registry when present) are indexed in
both directions: where an abbreviation occurs, its expansion's words are added; where an
expansion phrase occurs, the abbreviation's token is added. Since documents and queries go
through the same analysis, "trí tuệ nhân tạo" matches "AI" and the other way round.

Document symbols and dates ("57-NQ/TW", "22/12/2024") are kept whole as one token plus
their parts, because pyvi would cut them into punctuation-separated pieces.

pyvi costs about 8-9 ms per 1,000 characters on this machine (2.7 s to import, done
lazily) and plan documents repeat boilerplate sentences, so segmentation is cached per
sentence (:func:`segment_words`).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from plankg.folding import fold, fold_aligned_blank
from plankg.ingest.extract.agencies import load_registry
from plankg.ingest.readers.normalize import join_lines, normalize_string
from plankg.segmenter import vi_tokenizer

__all__ = [
    "Abbreviation",
    "AccentAwareSegmenter",
    "Analyzed",
    "DictionarySegmenter",
    "Segmenter",
    "abbreviations",
    "analyze",
    "analyzer_fingerprint",
    "fold",
    "has_diacritics",
    "has_poorly_accented_sentences",
    "highlight",
    "is_poorly_accented",
    "normalize_query",
    "paragraphs",
    "segment",
    "segment_words",
]

#: A segmenter turns one sentence into words, syllables of a word joined by ``_``, in
#: their original case; punctuation may be returned as separate tokens (it is dropped).
Segmenter = Callable[[str], list[str]]

#: Bump when the analysis changes in a way that makes saved indexes stale.
ANALYZER_VERSION = 2  # 2: dictionary cut counts syllable joints (#13)

#: A sentence with fewer than this share of syllables carrying a mark is treated as text
#: whose diacritics were lost (OCR, telex-less typing): pyvi cannot segment it, so
#: :class:`AccentAwareSegmenter` uses a corpus dictionary instead. Accented seed sentences
#: score >= 0.6 (1st percentile), the OCR seed (001) <= 0.25 (75th percentile).
ACCENTED_MIN_RATIO = 0.4

_SYLLABLE = re.compile(r"[^\W_]+")
_TOKEN_SPLIT = re.compile(r"[^\W_]+|[^\w\s]")
_SENTENCE_END = re.compile(r"(?<=[.;:!?…])\s+|\s*\n\s*")
#: Symbols and dates: parts joined by / - . & with a digit, a slash, an ampersand, or only
#: upper-case letters ("57-NQ/TW", "22/12/2024", "KH-UBND", "R&D").
_CODE = re.compile(r"(?<![\w/&.\-])[^\W_]+(?:[/\-.&][^\W_]+)+")
_CODE_SEP = re.compile(r"[/\-.&]")


@dataclass(frozen=True, slots=True)
class Analyzed:
    """Tokens of one text; ``folded_tokens[i] == fold(exact_tokens[i])``."""

    exact_tokens: list[str]
    folded_tokens: list[str]


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One abbreviation: spellings, expansions, and whether only the spelled case counts."""

    forms: tuple[str, ...]
    expansions: tuple[str, ...]
    case_sensitive: bool = False

    @property
    def token(self) -> str:
        """The exact index token (first form, lower-cased, NFC, spaces → ``_``):
        ``"kh&cn"``, ``"cđs"``, ``"đề_án_06"``."""
        return "_".join(normalize_string(self.forms[0]).lower().split())


# --------------------------------------------------------------------------- normalising

@lru_cache(maxsize=8192)
def normalize_query(text: str) -> str:
    """NFC + new-style tone marks + one line (the ingest's normalisation).

    Cached: search highlights the same item texts again and again (~0.2 ms each)."""
    return join_lines(normalize_string(text))


def has_diacritics(query: str) -> bool:
    """True when the text carries any Vietnamese mark (including ``đ``).

    Why: a query typed with marks says which word the user means ("đường" not "dương"),
    so exact matches may be preferred; a query without marks says nothing about them.
    """
    return any(not c.isascii() and fold(c) != c.lower() for c in normalize_string(query))


def _folded_aligned(t: str) -> str:
    """``fold(t)`` with the same length as ``t`` (so a match offset is a ``t`` offset)."""
    return fold_aligned_blank(t)


def is_poorly_accented(sentence: str) -> bool:
    """True for a sentence of 4+ syllables of which under 40% carry a mark (see
    :data:`ACCENTED_MIN_RATIO`); short or upper-case-only sentences are never "poor"."""
    syl = [w for w in _SYLLABLE.findall(sentence) if not w.isdigit() and not w.isupper()]
    if len(syl) < 4:
        return False
    marked = sum(1 for w in syl if fold(w) != w.lower())
    return marked / len(syl) < ACCENTED_MIN_RATIO


def has_poorly_accented_sentences(text: str) -> bool:
    """True when some sentence of ``text`` lost its marks (see :func:`is_poorly_accented`)."""
    return any(is_poorly_accented(s) for s in _sentences(normalize_query(text)))


# --------------------------------------------------------------------------- segmentation

_PYVI_LOCK = threading.Lock()


@lru_cache(maxsize=65536)
def _pyvi_cached(sentence: str) -> tuple[str, ...]:
    with _PYVI_LOCK:  # pyvi keeps one shared CRF tagger: not safe to call concurrently
        return tuple(vi_tokenizer().tokenize(sentence).split())


def segment_words(sentence: str) -> list[str]:
    """pyvi words of one sentence (``["Chuyển_đổi", "số"]``), cached per sentence."""
    if not sentence.strip():
        return []
    return list(_pyvi_cached(sentence))


def segment(text: str) -> str:
    """pyvi-segmented text ("chuyển_đổi số"), for models trained on segmented input
    (bkai-foundation-models/vietnamese-bi-encoder). Case and punctuation are kept."""
    t = normalize_query(text)
    return " ".join(" ".join(segment_words(s)) for s in _sentences(t))


class DictionarySegmenter:
    """Joins syllables into the words of a corpus dictionary, accent-insensitively.

    Why: pyvi knows words only with their marks, so "chuyen doi so" stays three syllables
    while the index holds "chuyen_doi". Segmenting with the index's own folded vocabulary
    gives a query typed without marks the same words as the documents. Among the ways to
    cut a run of syllables, the one maximising the sum of ``weights`` of its multi-syllable
    words wins (weights: ``log(1 + document frequency)``), so the common cut is preferred.
    """

    def __init__(self, weights: Mapping[str, float], max_syllables: int = 4) -> None:
        self.weights = {w: float(x) for w, x in weights.items() if "_" in w and x > 0}
        self.max_syllables = max_syllables

    @classmethod
    def from_document_frequencies(cls, df: Mapping[str, int]) -> DictionarySegmenter:
        return cls({w: math.log1p(n) for w, n in df.items()})

    def __call__(self, sentence: str) -> list[str]:
        out: list[str] = []
        run: list[str] = []
        for tok in _TOKEN_SPLIT.findall(sentence):
            if tok[0].isalpha():
                run.append(tok)
            else:
                out.extend(self._cut(run))
                run = []
                out.append(tok)
        out.extend(self._cut(run))
        return out

    def _cut(self, syl: list[str]) -> list[str]:
        n = len(syl)
        if n < 2 or not self.weights:
            return list(syl)
        folded = [fold(s) for s in syl]
        best = [0.0] * (n + 1)  # best[i]: best score of syl[i:]
        step = [1] * (n + 1)
        for i in range(n - 1, -1, -1):
            best[i], step[i] = best[i + 1], 1
            for j in range(i + 2, min(n, i + self.max_syllables) + 1):
                w = self.weights.get("_".join(folded[i:j]))
                # a word counts once per syllable joint it makes: a rarer three-syllable word
                # ("cong_dan_so") is not cut into a frequent pair ("cong" + "dan_so")
                if w is not None and w * (j - i - 1) + best[j] > best[i]:
                    best[i], step[i] = w * (j - i - 1) + best[j], j - i
        words, i = [], 0
        while i < n:
            words.append("_".join(syl[i:i + step[i]]))
            i += step[i]
        return words


class AccentAwareSegmenter:
    """pyvi for normal sentences, a :class:`DictionarySegmenter` for sentences that lost
    their marks (OCR text such as seed 001), which pyvi would leave unsegmented.

    The one rule for passages and queries, so that both are cut into the same words: a
    query typed with marks is cut by pyvi like the passages it should match ("công dân số"
    is one pyvi word in the passages; the corpus dictionary alone cut the query "công" +
    "dân_số"). ``query=True`` adds what only a query needs: a short query without any mark
    ("so y te", under the 4 syllables that make a passage sentence "poorly accented") goes
    to the dictionary too, since pyvi cannot join unmarked syllables."""

    def __init__(self, dictionary: DictionarySegmenter, *, query: bool = False) -> None:
        self.dictionary = dictionary
        self.query = query

    def __call__(self, sentence: str) -> list[str]:
        if is_poorly_accented(sentence) or (self.query and not has_diacritics(sentence)):
            return self.dictionary(sentence)
        return segment_words(sentence)


def _sentences(t: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(t) if s and not s.isspace()]


# --------------------------------------------------------------------------- abbreviations

def _load_yaml() -> list[Abbreviation]:
    try:
        raw = resources.files("plankg.search").joinpath("abbreviations.yaml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        raw = (Path(__file__).with_name("abbreviations.yaml")).read_text("utf-8")
    data = yaml.safe_load(raw) or {}
    out = []
    for e in data.get("abbreviations", []):
        out.append(Abbreviation(tuple(str(f) for f in e["forms"]),
                                tuple(str(x) for x in e.get("expansions", [])),
                                bool(e.get("case_sensitive", False))))
    return out


def _registry_entries() -> list[Abbreviation]:
    """Agency abbreviations and domain terms from the agency registry
    (``plankg.ingest.extract.agencies.load_registry().abbreviations()``: printed form → expansion).

    Registry spellings shorter than 4 characters are matched case-sensitively, since a
    lower-case 2-3 letter form is too often an ordinary (folded) syllable.
    """
    try:
        items = load_registry().abbreviations()
    except Exception as exc:  # noqa: BLE001 - a registry being edited must not break search
        warnings.warn(f"agency registry abbreviations not used: {exc!r}", stacklevel=2)
        return []
    out = []
    for abbr, exp in items.items():
        abbr, exp = str(abbr).strip(), str(exp).strip()
        if abbr and exp:
            out.append(Abbreviation((abbr,), (exp,), case_sensitive=len(abbr) < 4))
    return out


@lru_cache(maxsize=1)
def abbreviations() -> tuple[Abbreviation, ...]:
    """The abbreviation table: ``abbreviations.yaml`` first, then registry entries whose
    spellings the file does not already have."""
    own = _load_yaml()
    seen = {fold(f) for a in own for f in a.forms}
    extra = [a for a in _registry_entries() if not any(fold(f) in seen for f in a.forms)]
    return tuple(own + extra)


def analyzer_fingerprint() -> str:
    """Changes whenever the analysis would tokenise differently (stored with indexes)."""
    payload = json.dumps([ANALYZER_VERSION, [(a.forms, a.expansions, a.case_sensitive)
                                             for a in abbreviations()]], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _form_pattern(form: str) -> str:
    parts = [re.escape(p.strip()) for p in form.split("&")]
    return r"\s*&\s*".join(parts)


def _phrase_pattern(phrase: str) -> str:
    words = _SYLLABLE.findall(fold(normalize_string(phrase)))
    return r"[\s,\-–]+".join(re.escape(w) for w in words)


_B0, _B1 = r"(?<![^\W_])", r"(?![^\W_])"


class _AbbrTable:
    """Compiled matchers over the abbreviation table."""

    def __init__(self, entries: Sequence[Abbreviation]) -> None:
        self.entries = list(entries)
        self.by_folded_token = {fold(a.token): a for a in entries}
        cs: list[tuple[str, int]] = []
        ci: list[tuple[str, int]] = []
        ph: list[tuple[str, int]] = []
        for k, a in enumerate(entries):
            for f in a.forms:
                f = normalize_string(f)
                (cs if a.case_sensitive else ci).append((f if a.case_sensitive else fold(f), k))
            for x in a.expansions:
                ph.append((_phrase_pattern(x), k))
        self.cs = self._compile(cs, literal=True)
        self.ci = self._compile(ci, literal=True)
        self.phrases = self._compile(ph, literal=False)

    @staticmethod
    def _compile(items: list[tuple[str, int]], literal: bool) -> tuple[re.Pattern[str], list[int]] | None:
        if not items:
            return None
        items = sorted(items, key=lambda it: -len(it[0]))  # longest first
        groups = [f"({_form_pattern(s) if literal else s})" for s, _ in items]
        return re.compile(_B0 + "(?:" + "|".join(groups) + ")" + _B1), [k for _, k in items]

    @staticmethod
    def _finditer(compiled: tuple[re.Pattern[str], list[int]] | None, text: str) -> Iterable[tuple[int, int, int]]:
        if compiled is None:
            return
        pat, keys = compiled
        for m in pat.finditer(text):
            assert m.lastindex is not None  # every alternative is a group: the one that matched
            yield m.start(), m.end(), keys[m.lastindex - 1]

    def forms_in(self, t: str, f: str) -> list[tuple[int, int, int]]:
        return list(self._finditer(self.cs, t)) + list(self._finditer(self.ci, f))

    def phrases_in(self, f: str) -> list[tuple[int, int, int]]:
        return list(self._finditer(self.phrases, f))


@lru_cache(maxsize=1)
def _table() -> _AbbrTable:
    return _AbbrTable(abbreviations())


@lru_cache(maxsize=1024)
def _expansion_words(phrase: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in segment_words(normalize_string(phrase)) if _is_word(w))


def _is_word(tok: str) -> bool:
    return any(c.isalnum() for c in tok)


# --------------------------------------------------------------------------- analysis

def analyze(text: str, segmenter: Segmenter | None = None, *, query: bool = False) -> Analyzed:
    """Tokens of ``text`` for indexing or querying (see the module docstring).

    ``segmenter`` splits one sentence into words; default pyvi (:func:`segment_words`).
    The lexical index passes a :class:`DictionarySegmenter` for queries so that a query
    typed without marks is cut like the documents.

    ``query``: tokens a query is *ranked* by. A query that spells an expansion out
    ("doanh nghiệp nhỏ và vừa") gets no abbreviation token: the passages that print the
    abbreviation already carry the expansion's words, so the token would only count the
    phrase twice — and favour passages with the phrase in that exact order over "doanh
    nghiệp vừa và nhỏ" (#13: the DNNVV entry cost that keyword query 0.905 → 0.777 nDCG).
    A query that types the abbreviation keeps its token and the expansion's words.
    """
    seg = segmenter or segment_words
    t = normalize_query(text)
    f = _folded_aligned(t)
    table = _table()
    spans: list[tuple[int, int, int, int]] = []  # start, end, priority, payload
    for s, e, k in table.forms_in(t, f):
        spans.append((s, e, 0, k))
    for m in _CODE.finditer(t):
        code = m.group()
        if any(c.isdigit() for c in code) or "/" in code or "&" in code or code.isupper():
            spans.append((m.start(), m.end(), 1, -1))
    spans.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[2]))

    exact: list[str] = []
    pos = 0
    for s, e, _prio, k in spans:
        if s < pos:
            continue  # overlaps a longer or earlier span
        _segment_into(t[pos:s], seg, exact)
        if k >= 0:
            a = table.entries[k]
            exact.append(a.token)
            if a.expansions:
                exact.extend(_expansion_words(a.expansions[0]))
        else:
            code = t[s:e].lower()
            exact.append(code)
            exact.extend(p for p in _CODE_SEP.split(code) if p)
        pos = e
    _segment_into(t[pos:], seg, exact)
    for _s, _e, k in ([] if query else table.phrases_in(f)):
        exact.append(table.entries[k].token)
    return Analyzed(exact, [fold(w) for w in exact])


def _segment_into(piece: str, seg: Segmenter, out: list[str]) -> None:
    for sent in _sentences(piece):
        out.extend(w.lower() for w in seg(sent) if _is_word(w))


# --------------------------------------------------------------------------- highlighting

#: Function words not worth a highlight on their own (folded).
_STOP = frozenset(fold(w) for w in ["và", "của", "các", "là", "có", "được", "cho", "với", "trong", "theo", "về", "để", "một", "những", "này", "đó", "đã", "sẽ", "thì", "tại", "từ", "trên", "như", "khi", "đến", "năm", "người", "bằng", "do", "hoặc", "nhằm", "việc", "cũng"])


def _token_patterns(tokens: Iterable[str]) -> list[tuple[re.Pattern[str], bool, float]]:
    """(pattern, match on the unfolded text?, weight) for each distinct query token."""
    table = _table()
    pats: list[tuple[re.Pattern[str], bool, float]] = []
    seen: set[str] = set()
    for tok in tokens:
        ft = fold(normalize_string(tok)).strip()
        if not ft or ft in seen or not _is_word(ft):
            continue
        seen.add(ft)
        a = table.by_folded_token.get(ft)
        if a is not None:  # an abbreviation: mark every spelling of it
            alts = [_form_pattern(fold(normalize_string(x))) for x in a.forms if not a.case_sensitive]
            alts += [_phrase_pattern(x) for x in a.expansions]
            if alts:
                pats.append((re.compile(_B0 + "(?:" + "|".join(alts) + ")" + _B1), False, 3.0))
            if a.case_sensitive:
                cs = "|".join(_form_pattern(normalize_string(x)) for x in a.forms)
                pats.append((re.compile(_B0 + "(?:" + cs + ")" + _B1), True, 3.0))
            continue
        words = _SYLLABLE.findall(ft)
        if not words:
            continue
        weight = 0.2 if (len(words) == 1 and ft in _STOP) else float(len(words))
        pat = r"[\s_/\-.&]+".join(re.escape(w) for w in words)  # "co_so", "57-nq/tw"
        pats.append((re.compile(_B0 + pat + _B1), False, weight))
    return pats


def highlight(text: str, query_tokens: Sequence[str] | str, width: int = 200) -> str:
    """An HTML-escaped snippet of about ``width`` characters around the best match.

    ``query_tokens``: tokens such as ``analyze(q).folded_tokens`` (or the query string
    itself). Matching is accent- and case-insensitive; an abbreviation token also marks its
    other spellings ("ai" marks "AI" and "trí tuệ nhân tạo"). The window with the most
    weight of distinct matched tokens wins (multi-word tokens weigh more, function words
    little); matches are wrapped in ``<mark>``; a cut end gets "…".
    """
    if isinstance(query_tokens, str):
        query_tokens = analyze(query_tokens).folded_tokens
    t = normalize_query(text)
    f = _folded_aligned(t)
    hits: list[tuple[int, int, int, float]] = []  # start, end, pattern id, weight
    for pid, (pat, on_text, w) in enumerate(_token_patterns(query_tokens)):
        for m in pat.finditer(t if on_text else f):
            hits.append((m.start(), m.end(), pid, w))
    hits.sort(key=lambda h: (h[0], -h[1]))  # at one start, the longest match first
    if not hits:
        return _clip(t, 0, width)
    start = max(0, min(_best_window(hits, width), len(t) - width))  # full width near the end
    end = min(len(t), start + width)
    start, end = _word_bounds(t, start, end)
    inside = [h for h in hits if h[0] >= start and h[1] <= end]
    strong = any(h[3] >= 0.5 for h in inside)
    marks: list[list[int]] = []  # [start, end], adjacent matches merged ("trí tuệ nhân tạo")
    for s, e, _pid, w in inside:
        if (marks and s < marks[-1][1]) or (w < 0.5 and strong):
            continue  # overlap, or a function word while better matches exist
        if marks and not t[marks[-1][1]:s].strip():
            marks[-1][1] = e
        else:
            marks.append([s, e])
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in marks:
        out.append(html.escape(t[pos:s]))
        out.append("<mark>" + html.escape(t[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(t[pos:end]))
    out.append("…" if end < len(t) else "")
    return "".join(out)


def _best_window(hits: list[tuple[int, int, int, float]], width: int) -> int:
    best_key: tuple[float, int] = (-1.0, 0)
    best_start = 0
    lead = width // 4
    for s0, _e0, _p, _w in hits:
        lo = max(0, s0 - lead)
        inwin = [h for h in hits if h[0] >= lo and h[1] <= lo + width]
        distinct: dict[int, float] = {}
        for _s, _e, pid, w in inwin:
            distinct[pid] = w
        key = (sum(distinct.values()), len(inwin))
        if key > best_key:
            best_key, best_start = key, lo
    return best_start


def _word_bounds(t: str, start: int, end: int) -> tuple[int, int]:
    if start > 0:
        sp = t.find(" ", start)
        if 0 <= sp < start + 20:
            start = sp + 1
    if end < len(t):
        sp = t.rfind(" ", start, end)
        if sp > end - 20:
            end = sp
    return start, end


def _clip(t: str, start: int, width: int) -> str:
    s, e = _word_bounds(t, start, min(len(t), start + width))
    return ("…" if s > 0 else "") + html.escape(t[s:e]) + ("…" if e < len(t) else "")


# --------------------------------------------------------------------------- passages

_ITEM_START = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•*–])\s")


def paragraphs(text: str, min_chars: int = 80, max_chars: int = 1200) -> list[str]:
    """Split a plan's text into paragraph-sized passages (for indexing, tests, benchmarks).

    Why not blank lines: PDF extractions put a blank line after every printed line. A new
    paragraph starts at a list item ("1.", "a)", "- ", "II.") or after a line ending a
    sentence; short pieces (headings) are glued to the next one and long ones cut at
    sentence ends near ``max_chars``.
    """
    paras: list[list[str]] = []
    prev_end = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not paras or _ITEM_START.match(line) or (prev_end and line[:1].isupper()):
            paras.append([line])
        else:
            paras[-1].append(line)
        prev_end = line.endswith((".", ";", ":", "!", "?"))
    merged: list[str] = []
    carry = ""
    for p in paras:
        s = join_lines("\n".join(p))
        s = f"{carry} {s}".strip() if carry else s
        if len(s) < min_chars:
            carry = s
            continue
        carry = ""
        merged.extend(_cut_long(s, max_chars))
    if carry:
        if merged and len(merged[-1]) + len(carry) < max_chars:
            merged[-1] = f"{merged[-1]} {carry}"
        else:
            merged.append(carry)
    return merged


def _cut_long(s: str, max_chars: int) -> list[str]:
    out: list[str] = []
    while len(s) > max_chars:
        cut = max(s.rfind(". ", 0, max_chars), s.rfind("; ", 0, max_chars))
        if cut < max_chars // 3:
            cut = s.rfind(" ", 0, max_chars)
        if cut <= 0:
            break
        out.append(s[:cut + 1].strip())
        s = s[cut + 1:].strip()
    if s:
        out.append(s)
    return out
