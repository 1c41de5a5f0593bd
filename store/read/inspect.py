"""A small SPARQL tokenizer that decides, before anything runs, what a query may do.

The one refusal check: the CLI (:func:`plankg.store.read.queries.run_query`) and the HTTP
endpoint both call :func:`inspect_query`, so a query refused in one is refused in the other.

Why not trust the engine: pyoxigraph 0.5 evaluates ``SERVICE`` by sending HTTP requests
(verified: it POSTs the sub-query to the named endpoint), and it treats ``FROM`` IRIs as local
graph names silently. A public endpoint must never make outbound requests and should say
clearly when a query names a graph it does not hold. Parsing with rdflib would cost tens of
milliseconds per query; a tokenizer that skips strings, IRIs and comments is enough to find
the query form, the ``FROM`` / ``FROM NAMED`` IRIs (prefixed names resolved) and any
``SERVICE`` keyword, and costs microseconds. The engine still does the real parse and
reports syntax errors with their position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from plankg.store.errors import StoreError

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    |(?P<pname>(?:[^\W\d_][\w\-.]*)?:(?:[\w\-:%.\\]|\\.)*)
    |(?P<word>[^\W\d][\w]*)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


class QueryRefused(StoreError):
    """A request plankg will not run (CLI or endpoint); ``message`` is Vietnamese with an English gloss."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class QueryInfo:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The answer kind: ``select``, ``ask`` or ``graph`` (as in :class:`QueryAnswer`)."""
        return {"SELECT": "select", "ASK": "ask"}.get(self.form, "graph")

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs without whitespace and comments."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, m.group()))
    return out


def inspect_query(text: str, base: str = "") -> QueryInfo:
    """Classify a query and refuse updates and SERVICE; raise :class:`QueryRefused`.

    ``base`` resolves relative IRIs when the query has no BASE (the engine gets the same one)."""
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    i = 0
    # prologue: BASE <iri> | PREFIX pname: <iri>
    while i < len(toks) and toks[i][0] == "word" and toks[i][1].upper() in ("BASE", "PREFIX"):
        word = toks[i][1].upper()
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].split(":", 1)[0]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
        else:
            break  # malformed prologue: let the engine report it with its position
    first = toks[i][1].upper() if i < len(toks) and toks[i][0] == "word" else ""
    if first in UPDATE_WORDS:
        raise QueryRefused(
            "SPARQL Update không được phép: đây là điểm truy vấn chỉ đọc "
            f"(SPARQL Update ({first}) is refused: this is a read-only query endpoint)", 400)
    words = {t.upper() for k, t in toks if k == "word"}
    if "SERVICE" in words:
        raise QueryRefused(
            "Truy vấn liên kết SERVICE không được phép: dịch vụ không gửi yêu cầu ra ngoài "
            "(SERVICE clauses are refused: this endpoint never makes outbound requests)", 400)
    form = first if first in QUERY_FORMS else ""
    info = QueryInfo(form=form or "SELECT")
    for j, (kind, tok) in enumerate(toks):
        if kind == "word" and tok.upper() == "FROM" and j + 1 < len(toks):
            named = toks[j + 1][0] == "word" and toks[j + 1][1].upper() == "NAMED"
            ref = toks[j + 2] if named and j + 2 < len(toks) else toks[j + 1]
            iri = _resolve(ref, prefixes, base)
            if iri is not None:
                (info.from_named if named else info.from_graphs).append(iri)
    if not form:
        # not a recognisable query: the engine will give the precise syntax error
        info.form = ""
    return info


def _resolve(tok: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, text = tok
    if kind == "iri":
        return urljoin(base, text[1:-1]) if base else text[1:-1]
    if kind == "pname":
        pfx, local = text.split(":", 1)
        if pfx in prefixes:
            return prefixes[pfx] + re.sub(r"\\(.)", r"\1", local)
    return None


def check_fragment(text: str) -> None:
    """Refuse SERVICE and update keywords in a SPARQL fragment (e.g. a search restriction pattern)."""
    words = {t.upper() for k, t in tokens(text) if k == "word"}
    if "SERVICE" in words:
        raise QueryRefused("Truy vấn liên kết SERVICE không được phép (SERVICE clauses are refused)", 400)
    bad = words & (UPDATE_WORDS - {"WITH", "ADD"})
    if bad:
        raise QueryRefused(f"SPARQL Update không được phép (update keywords are refused): {', '.join(sorted(bad))}", 400)
