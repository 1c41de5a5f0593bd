"""The one refusal check: decide, on the *parsed* query, what a user's SPARQL may do.

Every user-supplied query passes :func:`inspect_query` before anything runs: the SPARQL
endpoint, the web SPARQL page, the ``sparql=`` restriction of the search API and the CLI
(``plankg sparql``). Internal queries built by the code go through :func:`guard_query`
(:func:`plankg.store.read.queries.run_query`), which parses only when the text could hold
something to refuse.

Why a parse and not tokens (issue 12): a tokenizer cannot read ``\\u`` escapes, so
``VALUES ?z { <http://x/\\u0041#> } SERVICE <http://127.0.0.1:9/> {…}`` looked like an IRI
followed by a comment, and the SERVICE was never seen. Why this order:

1. a cheap pre-check of size and bracket nesting on the text (rdflib's pyparsing grammar
   recurses once per level and gives up near 35 levels; Oxigraph's parser overflows its
   stack at a few thousand, which kills the process) — :func:`precheck`;
2. ``\\u``/``\\U`` escapes undone *everywhere in the text*, as SPARQL 1.1 §19.2 requires
   (:func:`unescape`; rdflib's own helper reads ``\\u`` followed by eight hex digits as one
   code point and knows no upper-case hex, so it is not used);
3. the unescaped text parsed by rdflib's SPARQL grammar; SERVICE, the query form and the
   ``FROM`` / ``FROM NAMED`` IRIs (prefixes and BASE resolved) read from the parse tree; a
   text that parses as an update instead is refused as one.

The engine is then given :attr:`QueryInfo.text`, the unescaped text that was checked, so
the checker and the engine never read different queries (Oxigraph undoes escapes only
inside IRIs and strings, where ``"\\u005C"`` would end a string the checker thought open).
A query the checker cannot parse is refused (fail closed), with the parser's line:column.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyparsing import ParseBaseException, ParseResults

from plankg.store.errors import StoreError

if TYPE_CHECKING:
    from plankg.config import Settings

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_FORM_OF = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_BRACKETS = re.compile(r"[^{}()\[\]]+")
_OPEN = frozenset("{([")


class QueryRefused(StoreError):
    """A request plankg will not run (CLI or endpoint); ``message`` is Vietnamese with an English gloss."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryLimits:
    """Size and nesting a user query may have (``PLANKG_SPARQL_MAX_BYTES``, ``PLANKG_SPARQL_MAX_NESTING``)."""

    max_bytes: int = 64 * 1024
    max_nesting: int = 24

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        return cls(max_bytes=settings.sparql_max_bytes, max_nesting=settings.sparql_max_nesting)


DEFAULT_LIMITS = QueryLimits()


@dataclass
class QueryInfo:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    text: str = ""  # the query with escapes undone: what the engine must run

    @property
    def kind(self) -> str:
        """The answer kind: ``select``, ``ask`` or ``graph`` (as in :class:`QueryAnswer`)."""
        return {"SELECT": "select", "ASK": "ask"}.get(self.form, "graph")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


# --------------------------------------------------------------------------- steps

def precheck(text: str, limits: QueryLimits = DEFAULT_LIMITS) -> None:
    """Refuse a query too large or too deeply nested to parse safely (microseconds; no parse).

    Brackets inside strings count too: the check must not depend on reading the query."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryRefused(f"Truy vấn quá dài: {size} byte, tối đa {limits.max_bytes} "
                           f"(query too long: {size} bytes, at most {limits.max_bytes}; PLANKG_SPARQL_MAX_BYTES)", 413)
    depth = deepest = 0
    for ch in _BRACKETS.sub("", text):
        depth = depth + 1 if ch in _OPEN else max(0, depth - 1)
        deepest = max(deepest, depth)
    if deepest > limits.max_nesting:
        raise QueryRefused(f"Truy vấn lồng quá sâu: {deepest} mức ngoặc, tối đa {limits.max_nesting} "
                           f"(query nested too deeply: {deepest} bracket levels, at most {limits.max_nesting}; "
                           "PLANKG_SPARQL_MAX_NESTING)", 400)


def unescape(text: str) -> str:
    """Undo ``\\uXXXX`` and ``\\UXXXXXXXX`` everywhere, before parsing (SPARQL 1.1 §19.2)."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
            raise QueryRefused(f"Mã ký tự không hợp lệ {m.group(0)} (invalid code point escape {m.group(0)})", 400)
        return chr(code)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def inspect_query(text: str, base: str = "", limits: QueryLimits | None = None) -> QueryInfo:
    """Classify a query and refuse updates, SERVICE and bad input; raise :class:`QueryRefused`.

    ``base`` resolves relative IRIs when the query has no BASE (the engine gets the same one).
    The answer's ``text`` is what must be run."""
    limits = limits or DEFAULT_LIMITS
    precheck(text, limits)
    plain = unescape(text)
    if plain is not text:
        precheck(plain, limits)  # an escape may hide a bracket (\u007B)
    form, graphs, named = _inspect_cached(plain, base)
    return QueryInfo(form=form, from_graphs=list(graphs), from_named=list(named), text=plain)


def guard_query(text: str) -> str:
    """The check for queries the code builds itself (``run_query``); returns the text to run.

    Parsing costs tens of milliseconds, so it is skipped when the text provably holds nothing
    to refuse: no backslash (so no escape can spell a keyword) and no word ``service`` or
    ``from`` (a keyword is a whole word: letters glued to it would make it part of a name, as
    in ``pk:extractedFrom``; an update is never run by ``GraphStore.query``, which accepts
    queries only); anything else gets the full :func:`inspect_query`, without the size limit
    meant for users."""
    if "\\" in text or _GUARDED_WORDS.search(text):
        return inspect_query(text, limits=_INTERNAL).text
    precheck(text, _INTERNAL)
    return text


_GUARDED_WORDS = re.compile(r"\b(?:service|from)\b", re.IGNORECASE)
_INTERNAL = QueryLimits(max_bytes=1 << 30, max_nesting=DEFAULT_LIMITS.max_nesting)


# --------------------------------------------------------------------------- parsing

_SERVICE_WORD = re.compile(r"\bservice\b", re.IGNORECASE)
_SERVICE_REFUSED = ("Truy vấn liên kết SERVICE không được phép: dịch vụ không gửi yêu cầu ra ngoài "
                    "(SERVICE clauses are refused: this endpoint never makes outbound requests)")
_PARSE_LOCK = threading.Lock()  # pyparsing's grammar objects are shared: one parse at a time
_CACHE: OrderedDict[tuple[str, str], tuple[str, tuple[str, ...], tuple[str, ...]]] = OrderedDict()
_CACHE_SIZE, _CACHED_CHARS = 512, 8192  # short queries only: the cache holds at most ~4 MB


def _inspect_cached(plain: str, base: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    key = (plain, base)
    with _PARSE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
        result = _inspect_parsed(plain, base)
        if len(plain) <= _CACHED_CHARS:
            _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return result


def _inspect_parsed(plain: str, base: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import Query

    try:
        parsed = Query.parse_string(plain, parse_all=True)
    except ParseBaseException as exc:
        _refuse_update(plain)
        if _SERVICE_WORD.search(plain):  # e.g. rdflib cannot read SERVICE after an IRI with '#': refuse it as SERVICE
            raise QueryRefused(f"{_SERVICE_REFUSED} [error at {exc.lineno}:{exc.col}: {exc.msg}]", 400) from exc
        raise QueryRefused(f"Truy vấn SPARQL không hợp lệ (malformed query): error at {exc.lineno}:{exc.col}: "
                           f"{exc.msg}", 400) from exc
    except RecursionError as exc:
        raise QueryRefused("Truy vấn lồng quá sâu (query nested too deeply; PLANKG_SPARQL_MAX_NESTING)", 400) from exc
    prologue, query = parsed[0], parsed[1]
    if any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _nodes(query)):
        raise QueryRefused(_SERVICE_REFUSED, 400)
    try:
        resolver = translatePrologue(prologue, base or None)
        graphs: list[str] = []
        named: list[str] = []
        for clause in dict.get(query, "datasetClause") or []:  # CompValue.get answers the key's name when absent
            for key, ref in clause.items():
                (named if key == "named" else graphs).append(str(resolver.absolutize(ref)))
    except Exception as exc:  # an unknown prefix: rdflib raises a bare Exception
        raise QueryRefused(f"Truy vấn SPARQL không hợp lệ (malformed query): {exc}", 400) from exc
    return _FORM_OF.get(query.name, "SELECT"), tuple(graphs), tuple(named)


def _refuse_update(plain: str) -> None:
    from rdflib.plugins.sparql.parser import UpdateUnit

    try:
        update = UpdateUnit.parse_string(plain, parse_all=True)[0]
    except (ParseBaseException, RecursionError):
        return
    ops = [getattr(op, "name", "") for op in dict.get(update, "request") or []]
    raise QueryRefused(
        "SPARQL Update không được phép: đây là điểm truy vấn chỉ đọc "
        f"(SPARQL Update ({', '.join(ops) or 'update'}) is refused: this is a read-only query endpoint)", 400)


def _nodes(root: Any) -> Iterator[Any]:
    """Every node of a parse tree (pyparsing results, rdflib CompValues, lists), without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
