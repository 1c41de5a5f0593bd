"""Custom SPARQL functions on a remote store: computed here, bound into the query with VALUES.

Why: a SPARQL server cannot call plankg's Python functions (``pkf:score``, search relevance
inside SPARQL). A function that can give its whole table for a constant argument (a
callable with a ``ranking(text) -> {iri: score}`` attribute, see
:mod:`plankg.search.sparql_score`) is evaluated before the query is sent: each call
``f(?item, "text")`` becomes ``COALESCE(?__pkfN, 0.0)`` and an ``OPTIONAL { VALUES (?item
?__pkfN) { … } }`` is placed just before the ``BIND``/``FILTER`` holding the call (or at the
end of the WHERE group for a call in the SELECT clause), so items the search does not
return still score 0.0, as in-process. Calls whose text argument is not a constant string
are refused with a clear error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from plankg.store.errors import StoreError

_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
_ARGS = re.compile(r'\(\s*(\?\w+|\$\w+|<[^<>"\s]*>)\s*,\s*("(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
                   r'(?:@[A-Za-z-]+)?\s*\)')
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def masked_text(text: str) -> str:
    """``text`` with string literals, IRIs and comments blanked (same length), to find structure."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            m = _STRING.match(text, i)
            j = m.end() if m else i + 1
        elif c == "<" and re.match(r'<[^<>"\s{}|^`\\]*>', text[i:]):
            j = i + text[i:].index(">") + 1
        else:
            i += 1
            continue
        for k in range(i + 1, j - 1):
            out[k] = " "
        i = j
    return "".join(out)


def _unescape(lit: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), lit[1:-1])


def _call_pattern(query: str, iri: str) -> re.Pattern[str]:
    ns, local = (iri.rsplit("#", 1)[0] + "#", iri.rsplit("#", 1)[1]) if "#" in iri else (iri, "")
    names = [re.escape(f"<{iri}>")]
    for m in re.finditer(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", query, re.I):
        if m.group(2) == ns and local:
            names.append(re.escape(f"{m.group(1)}:{local}") + r"\b")
    return re.compile("(?:" + "|".join(names) + r")\s*(?=\()")


def _insert_point(masked: str, start: int) -> int:
    """Where the OPTIONAL goes: before the BIND/FILTER enclosing ``start``, else before the
    closing brace of the outermost WHERE group (a call in the SELECT clause or ORDER BY)."""
    depth = 0
    for i in range(start - 1, -1, -1):
        c = masked[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                kw = re.search(r"\b(BIND|FILTER)\s*$", masked[:i], re.I)
                if kw:
                    return kw.start()
            else:
                depth -= 1
        elif c in "{}" and depth == 0:
            break
    brace = masked.find("{")
    if brace < 0:
        raise StoreError("truy vấn không có mệnh đề WHERE (the query has no WHERE group)")
    level = 0
    for i in range(brace, len(masked)):
        if masked[i] == "{":
            level += 1
        elif masked[i] == "}":
            level -= 1
            if level == 0:
                return i
    raise StoreError("dấu ngoặc không cân (unbalanced braces in the query)")


def _literal(score: float) -> str:
    return f'"{float(score)!r}"^^<{_XSD_DOUBLE}>'


def _values_block(item: str, var: str, table: dict[str, float]) -> str:
    rows = " ".join(f"(<{iri}> {_literal(s)})" for iri, s in sorted(table.items()) if ">" not in iri)
    return f"OPTIONAL {{ VALUES ({item} {var}) {{ {rows} }} }} "


def bind_functions(query: str, functions: dict[str, Callable[..., Any]]) -> str:
    """``query`` with every call of a function in ``functions`` replaced by bound values."""
    counter = 0
    for iri, fn in functions.items():
        pattern = _call_pattern(query, iri)
        while True:
            masked = masked_text(query)
            m = next((m for m in pattern.finditer(query) if masked[m.start()] == query[m.start()]), None)
            if m is None:
                break
            args = _ARGS.match(query, m.end())
            ranking = getattr(fn, "ranking", None)
            if args is None or ranking is None:
                raise StoreError(f"Hàm <{iri}> chỉ dùng được với một biến hoặc IRI và một chuỗi hằng trên kho SPARQL từ xa "
                                 f"(on a remote store <{iri}> takes a variable or IRI and a constant string)")
            item, text = args.group(1), _unescape(args.group(2))
            table: dict[str, float] = dict(ranking(text))
            if item.startswith("<"):
                query = query[:m.start()] + _literal(table.get(item[1:-1], 0.0)) + query[args.end():]
                continue
            var = f"?__pkf{counter}"
            counter += 1
            at = _insert_point(masked, m.start())
            call = f"COALESCE({var}, {_literal(0.0)})"
            replaced = query[:m.start()] + call + query[args.end():]
            if at > m.start():  # the WHERE group's end lies after the call (a call in the SELECT clause)
                at += len(call) - (args.end() - m.start())
            query = replaced[:at] + _values_block(item, var, table) + replaced[at:]
    return query
