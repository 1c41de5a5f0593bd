"""Re-assemble table rows from PDF text whose cells were emitted column after column.

Why: the PDF renderer writes a table row as the lines of its first cell, then the lines
of the second cell, and so on; lines that share a baseline are glued together ("Sở Nội
vụ Các sở, ban, ngành, UBND các"), and a page break cuts every cell of the row, so the
rest of the row comes back, again column by column, after the repeated header.

Within one page chunk of a row the column order is therefore monotone.  We choose, by
dynamic programming over the chunk's lines, where each column starts (possibly inside a
line), scoring each choice with cues a :class:`ColumnModel` provides:

* width — each column wraps at its own width, so a line longer than a column cannot
  belong to it, and a line followed by a word that would still have fitted was not
  wrapped there (it ends a cell);
* vocabulary — agencies, deadlines, outputs, units, values;
* cell starts — cells open with a capital letter or a digit, rarely lower case;
* emptiness — a row rarely leaves its lead agency or deadline empty.

Cells are assumed top-aligned: every non-empty cell starts in the row's first chunk, and
later chunks only continue cells.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from plankg.folding import fold_cased
from plankg.ingest.extract.tables import Line

INF = math.inf

# Times-like advance widths (thousandths of an em): the PDF wraps on printed width, and
# narrow letters (i, l, t, r, punctuation) make character counts a noisy proxy.
_W = {**{c: 500 for c in "abdghknopquvxy0123456789"}, **{c: 444 for c in "cez"},
      **{c: 278 for c in "ijlt;:/"}, **{c: 333 for c in "fr-()"}, "s": 389, "m": 778, "w": 722,
      " ": 250, ",": 250, ".": 250, "&": 778, "%": 833, "≥": 549, "≤": 549,
      **{c: 722 for c in "ADGHKNOQUVXY"}, **{c: 667 for c in "BCR"}, **{c: 611 for c in "ELTZ"},
      **{c: 556 for c in "FPS"}, "I": 333, "J": 389, "M": 889, "W": 944}


_CONTINUES = re.compile(r"[,;]$|\b(và|của|các)$")  # a line that asks for more
_OPEN_END = re.compile(r"[,;]$|\s[-–]$|\b(và|của|các|về|cho|với)$")  # no cell ends like this
_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[,;:.()]")


@lru_cache(maxsize=1 << 17)
def vis_width(text: str) -> float:
    """Printed width of ``text`` in ems (diacritics do not widen a letter)."""
    return sum(_W.get(c, 500) for c in fold_cased(text)) / 1000.0


@dataclass(frozen=True)
class Piece:
    col: int
    start: int  # offsets in SourceText.text
    end: int
    text: str  # whitespace-collapsed
    line: int = 0  # line index the piece comes from


@dataclass
class ColumnModel:
    """Scores for one table's columns; subclasses refine the vocabulary cues."""

    widths: list[float]  # wrap width of each column, in ems (see vis_width)
    max_pieces: int = 2  # how many columns one physical line may carry
    split_cost: float = 0.8
    late_start_cost: float = 2.5
    line_gap: int | None = None  # usual number of blank lines between lines of a cell
    bigrams: dict[tuple[str, str], int] | None = None  # word-pair counts of the document
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    # -- per-piece cues (override) --
    def vocab_cost(self, col: int, text: str) -> float:
        return 0.0

    def start_cost(self, col: int, text: str) -> float:
        """Cost of ``text`` opening a cell of ``col``."""
        return 2.0 if text[:1].islower() else 0.0

    def skip_cost(self, col: int) -> float:
        """Cost of leaving ``col`` empty in a row."""
        return 1.0

    # -- shared cues --
    def piece_cost(self, col: int, text: str) -> float:
        key = (col, text)
        hit = self._memo.get(key)
        if hit is None:
            w = self.widths[col]
            over = vis_width(text) - w
            # a line wider than its column cannot be in it; a little over is font noise
            overflow = 0.0 if over <= 0 else (0.5 if over <= 0.1 * w else 1.0) + 6.0 * over / w
            hit = overflow + self.vocab_cost(col, text)
            if col > 0 and self.bigrams is not None:
                for phrase in _PUNCT.split(text.lower()):
                    words = _WORD.findall(phrase)
                    hit += sum(0.3 for a, b in itertools.pairwise(words) if self.bigrams.get((a, b), 0) <= 1)
            self._memo[key] = hit
        return hit

    def wrap_cost(self, col: int, prev: str, nxt: str, page_break: bool = False) -> float:
        """``nxt`` continues ``prev`` in the same cell: it should not have fitted on it
        (unless a page break cut the cell, which may happen before the line is full)."""
        first = nxt.split(" ", 1)[0]
        fit = vis_width(prev + " " + first)
        cost = self.junction_cost(prev, nxt, True)
        if not page_break and fit <= 0.85 * self.widths[col]:
            cost += 2.0 if nxt[:1].islower() else (0.5 if col == 0 else 1.0)
        if prev.endswith(".") and nxt[:1].islower():
            cost += 1.0  # a sentence does not go on in lower case
        if _CONTINUES.search(prev):
            cost -= 0.3
        return cost

    def junction_cost(self, left: str, right: str, joined: bool) -> float:
        """Cohesion of the words on either side of a line or cell boundary: gluing two
        cells produces word pairs the document never uses elsewhere ("phố định"), while
        a real continuation usually does ("Quyết" + "định")."""
        if self.bigrams is None:
            return 0.0
        key = ("j", left, right, joined)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._junction(left, right, joined)
        return hit

    def _junction(self, left: str, right: str, joined: bool) -> float:
        assert self.bigrams is not None
        a = _WORD.findall(left.lower())
        b = _WORD.findall(right.lower())
        if not a or not b or left[-1] in ",;:.)" or right[0] == "(":
            return 0.0
        n = self.bigrams.get((a[-1], b[0]), 0)
        if joined:
            return -0.3 if n >= 3 else (0.3 if n <= 1 else 0.0)
        return 0.5 if n >= 3 else (-0.3 if n <= 1 else 0.0)

    def end_cost(self, col: int, text: str) -> float:
        """Cost of a cell ending (within a page chunk) with ``text``: not after "," or "và"."""
        return 1.0 if _OPEN_END.search(text) else 0.0

    def gap_cost(self, same_cell: bool, gap: int) -> float:
        """Blank lines between two consecutive lines.  Where the renderer double-spaces
        every line (``line_gap`` = 1), lines of one cell are exactly one blank apart, so
        any other gap marks a cell boundary."""
        if self.line_gap is None or gap == self.line_gap:
            return 0.0
        return 3.0 if same_cell else -0.3


@dataclass
class _Opt:
    pieces: list[Piece]
    local: float

    @property
    def first(self) -> Piece:
        return self.pieces[0]

    @property
    def last(self) -> Piece:
        return self.pieces[-1]


class _Chunk:
    """Scoring context of one page chunk of a row."""

    def __init__(self, model: ColumnModel, first: bool, carried: list[str | None], last: bool = True):
        self.m = model
        self.first = first
        self.last = last  # the row's last chunk: cells end here
        self.carried = carried  # last text of each column in earlier chunks

    def enter(self, col: int, text: str, after: int) -> float:
        """Cost of column ``col`` starting with ``text`` when the previous piece was in ``after``."""
        m = self.m
        if self.first:
            return m.start_cost(col, text) + sum(m.skip_cost(c) for c in range(after + 1, col))
        prev = self.carried[col]
        if prev is None:
            return m.start_cost(col, text) + m.late_start_cost
        return m.wrap_cost(col, prev, text, page_break=True)

    def end(self, piece: Piece) -> float:
        """A cell ends with ``piece`` — unless the row goes on after a page break."""
        return self.m.end_cost(piece.col, piece.text) if self.last else 0.0

    def close(self, last: Piece) -> float:
        cost = self.end(last)
        if self.first:
            cost += sum(self.m.skip_cost(c) for c in range(last.col + 1, self.m.ncols))
        return cost


def _options(line: Line, ctx: _Chunk, force_first: int | None, keep: int) -> list[_Opt]:
    m = ctx.m
    toks = [(t.start(), t.end()) for t in re.finditer(r"\S+", line.text)]
    if not toks:
        return []
    n = len(toks)
    words = [line.text[a:b] for a, b in toks]
    # width of tokens i.. to the end, to prune splits whose rest cannot fit the columns left
    tail = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        tail[i] = tail[i + 1] + vis_width(words[i]) + (0.25 if i < n - 1 else 0.0)
    room = [1.6 * sum(m.widths[c:]) for c in range(m.ncols)] + [0.0]
    out: list[_Opt] = []

    def piece(col: int, i: int, j: int) -> Piece:
        s, e = line.start + toks[i][0], line.start + toks[j - 1][1]
        return Piece(col, s, e, " ".join(words[i:j]), line.idx)

    def rec(i: int, mincol: int, left: int, acc: list[Piece], cost: float) -> None:
        cols = range(force_first, force_first + 1) if not acc and force_first is not None else range(mincol, m.ncols)
        for col in cols:
            limit = None if col == 0 else m.widths[col] * 1.6
            for j in range(i + 1, n + 1):
                if j < n and (left <= 1 or col + 1 >= m.ncols or tail[j] > room[col + 1]):
                    continue
                p = piece(col, i, j)
                if limit is not None and vis_width(p.text) > limit:
                    break
                c = cost + m.piece_cost(col, p.text)
                if acc:
                    c += m.split_cost + ctx.enter(col, p.text, acc[-1].col) + ctx.end(acc[-1])
                    c += m.junction_cost(acc[-1].text, p.text, False)
                if j == n:
                    out.append(_Opt(acc + [p], c))
                else:
                    rec(j, col + 1, left - 1, acc + [p], c)

    rec(0, 0, m.max_pieces, [], 0.0)
    out.sort(key=lambda o: o.local)
    # keep the best few, and the best two of each (first column, last column) pair: local
    # costs leave out the transitions, which depend on nothing else of an option
    kept: list[_Opt] = []
    per: dict[tuple[int, int], int] = {}
    for o in out:
        key = (o.first.col, o.last.col)
        if len(kept) < keep or per.get(key, 0) < 2:
            kept.append(o)
            per[key] = per.get(key, 0) + 1
    return kept


def segment_chunk(lines: list[Line], model: ColumnModel, first: bool, carried: list[str | None],
                  last: bool = True, keep: int = 14) -> list[Piece]:
    """Best monotone assignment of the chunk's lines (and line parts) to columns."""
    ctx = _Chunk(model, first, carried, last)
    opts = [_options(ln, ctx, 0 if (first and k == 0) else None, keep) for k, ln in enumerate(lines)]
    keep_idx = [k for k, o in enumerate(opts) if o]
    gaps = [0] + [lines[b].idx - lines[a].idx - 1 for a, b in itertools.pairwise(keep_idx)]
    opts = [opts[k] for k in keep_idx]
    if not opts:
        return []
    # dp over options
    prev_cost = [ctx.enter(o.first.col, o.first.text, -1) + o.local for o in opts[0]]
    back: list[list[int]] = [[-1] * len(opts[0])]
    for k in range(1, len(opts)):
        cur_cost: list[float] = []
        cur_back: list[int] = []
        for o in opts[k]:
            best, arg = INF, -1
            for pi, po in enumerate(opts[k - 1]):
                pc = prev_cost[pi]
                if pc == INF or o.first.col < po.last.col:
                    continue
                same = o.first.col == po.last.col
                if same:
                    t = model.wrap_cost(o.first.col, po.last.text, o.first.text)
                else:
                    t = ctx.enter(o.first.col, o.first.text, po.last.col) + ctx.end(po.last)
                t += model.gap_cost(same, gaps[k])
                if pc + t < best:
                    best, arg = pc + t, pi
            cur_cost.append(best + o.local)
            cur_back.append(arg)
        prev_cost = cur_cost
        back.append(cur_back)
    final = [c + ctx.close(o.last) for c, o in zip(prev_cost, opts[-1])]
    k_best = min(range(len(final)), key=final.__getitem__)
    chosen: list[_Opt] = []
    for k in range(len(opts) - 1, -1, -1):
        chosen.append(opts[k][k_best])
        k_best = back[k][k_best]
    chosen.reverse()
    return [p for o in chosen for p in o.pieces]


def segment_row(chunks: list[list[Line]], model: ColumnModel) -> list[list[Piece]]:
    """Pieces of each column, in reading order, over all page chunks of a row."""
    cols: list[list[Piece]] = [[] for _ in range(model.ncols)]
    for k, chunk in enumerate(chunks):
        carried = [c[-1].text if c else None for c in cols]
        for p in segment_chunk(chunk, model, k == 0, carried, k == len(chunks) - 1):
            cols[p.col].append(p)
    return cols


def word_pairs(text: str) -> dict[tuple[str, str], int]:
    """Counts of adjacent word pairs (lower case) over a whole document."""
    out: dict[tuple[str, str], int] = {}
    for phrase in re.split(r"[\n,;:.()\[\]“”\"]", text.lower()):
        words = re.findall(r"\w+", phrase)
        for pair in itertools.pairwise(words):
            out[pair] = out.get(pair, 0) + 1
    return out


def modal_gap(chunks: list[list[Line]]) -> int | None:
    """The usual number of blank lines between consecutive lines, if one clearly dominates."""
    gaps: dict[int, int] = {}
    for chunk in chunks:
        for a, b in itertools.pairwise(chunk):
            g = b.idx - a.idx - 1
            gaps[g] = gaps.get(g, 0) + 1
    if not gaps:
        return None
    g, n = max(gaps.items(), key=lambda kv: kv[1])
    return g if n >= 0.6 * sum(gaps.values()) else None


def refit_widths(rows: list[list[list[Piece]]], prior: list[float]) -> list[float]:
    """Re-estimate column widths from wrapped lines: pieces whose cell goes on to the
    next non-blank line (the last line of a cell is short by nature, so it does not count)."""
    out = list(prior)
    for c in range(len(prior)):
        lens: list[float] = []
        for row in rows:
            ps = row[c]
            for a, b in itertools.pairwise(ps):
                if b.line > a.line and b.start > a.end:
                    lens.append(vis_width(a.text))
        if len(lens) >= 6:
            lens.sort()
            est = lens[min(len(lens) - 1, int(0.95 * len(lens)))] * 1.03
            out[c] = min(max(est, 0.7 * prior[c]), 1.4 * prior[c])
    return out
