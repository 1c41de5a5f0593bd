"""BM25 keyword search over Vietnamese passages, accent-insensitive first.

Why two BM25 indexes (bm25s): users often type without marks ("chuyen doi so") and OCR'd
renditions lost theirs, so the ranking rests on *folded* tokens, where "đường" and
"dương" are one word. When the user did type marks, they tell which word is meant, so a
second BM25 over *exact* tokens adds ``exact_weight`` × its score: an exact match outranks
a folded-only one, and a query without marks is ranked purely on folded tokens.

Queries are cut into words by the passages' own rule
(:class:`~plankg.search.text.AccentAwareSegmenter`): pyvi for text with marks, the index's
own folded vocabulary (:class:`~plankg.search.text.DictionarySegmenter`) for text without
(pyvi cannot join syllables typed without marks, and the index vocabulary is exactly what
can match). Passages whose sentences lost their marks (OCR) are re-segmented the same way
at build time.

Rows are positions in ``ids``; ``search`` returns ``(row, score)`` pairs and accepts an
``allowed`` set of rows (filters from the graph: plan, agency, year, ...).

Incremental updates (bm25s cannot add documents): the index is a *main* bm25s index plus a
small *delta* of the items added since, scored at query time with the same BM25 formula
(Lucene IDF, Robertson TF) from the main index's statistics plus the delta's own document
frequencies; removed main items simply leave the row table (their terms stay in the main
statistics until the next merge). Once the delta and the removed items pass
:data:`MERGE_FRACTION` of the main index, :meth:`update` re-indexes everything from the
saved tokens (no text analysis again): that merge costs about 11 s per 100,000 items on 2
busy cores (bm25s ``index``), about 45 s at 400,000, and runs in the update (``inline``) or in
a background merge (:meth:`merged` outside the index lock, then :meth:`rebased` onto what
changed meanwhile; :mod:`plankg.search.index.merge`), never in a request.
Between merges the main files are hard-linked from one index generation to the next.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from plankg.search.index.delta import MERGE_FRACTION, link_copy, merge_due, should_merge
from plankg.search.text import (
    AccentAwareSegmenter,
    Analyzed,
    DictionarySegmenter,
    analyze,
    analyzer_fingerprint,
    fold,
    has_diacritics,
    has_poorly_accented_sentences,
)

__all__ = ["EXACT_WEIGHT", "MERGE_FRACTION", "LexicalIndex", "StaleIndexError"]

FORMAT_VERSION = 3  # 3: the delta in append-only parts (version 2, one delta.json, is read)
Tokens = tuple[list[str], list[str]]  # (folded, exact)
#: Weight of the exact-token BM25 score added when the query has marks. 0.5 lets an exact
#: match win over an equally good folded-only match without letting marks dominate term
#: coverage (a passage matching all query words folded still beats one matching a part exactly).
EXACT_WEIGHT = 0.5
_K1, _B = 1.5, 0.75


class StaleIndexError(RuntimeError):
    """The saved index was built with another text analysis (abbreviations changed...)."""


def _shared(analyzed: Analyzed | tuple[list[str], list[str]]) -> Tokens:
    """``(folded, exact)`` tokens with one string object per distinct word (``sys.intern``).
    Why: the main index keeps every item's tokens (what a merge re-indexes), ~4.5 million
    at 3,000 documents; as separate strings they took ~370 MB, shared they cost a pointer
    each plus the vocabulary (issue #11: the full build's peak)."""
    folded, exact = (analyzed.folded_tokens, analyzed.exact_tokens) if isinstance(analyzed, Analyzed) else analyzed
    return [sys.intern(w) for w in folded], [sys.intern(w) for w in exact]


def _write_tokens(path: Path, tokens: list[Tokens]) -> None:
    """``tokens.json`` written row by row: never the whole file as one string in memory."""
    with path.open("w", encoding="utf-8") as f:
        f.write("[")
        for i, row in enumerate(tokens):
            f.write(("," if i else "") + json.dumps(row, ensure_ascii=False))
        f.write("]")


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(k1=_K1, b=_B)
    model.index(corpus, show_progress=False)
    return model


class LexicalIndex:
    """Folded + exact BM25 over passages; build with :meth:`build`, reopen with :meth:`load`,
    change with :meth:`update`."""

    def __init__(self, ids: Sequence[str], folded: bm25s.BM25 | None, exact: bm25s.BM25 | None,
                 *, exact_weight: float = EXACT_WEIGHT, fingerprint: str | None = None,
                 tokens: list[Tokens] | None = None, avgdl: tuple[float, float] = (1.0, 1.0)) -> None:
        self.ids: list[str] = list(ids)
        self._folded = folded
        self._exact = exact
        self.exact_weight = exact_weight
        self.fingerprint = fingerprint or analyzer_fingerprint()
        self._main_ids: list[str] = list(ids)
        self._tokens_list: list[Tokens] | None = tokens or []  # per main row: what a merge re-indexes
        self._tokens_file: Path | None = None  # where they are when not read yet (read only to merge)
        self._avgdl = avgdl
        self._delta: dict[str, Tokens] = {}
        self._parts: list[Path] = []  # saved delta parts (read at load, or written by the last save)
        self._unsaved: set[str] = set()  # delta items added since then
        self._main_changed = True  # saved files differ from the last saved main index
        self._model_folder: Path | None = None  # where the bm25s indexes are when not read yet
        self._seg: DictionarySegmenter | None = None
        self._qseg: AccentAwareSegmenter | None = None
        self._accents: dict[str, str] | None = None
        self._df_cache: dict[int, dict[str, int]] = {}
        #: :meth:`update` merges past this share of the main index (None: only into an empty one)
        self.merge_fraction: float | None = MERGE_FRACTION
        self._layout()

    # An update reads none of what searching needs (the bm25s indexes, the segmenter built
    # from their vocabulary, the row tables): it re-analyses only its own texts and links
    # the main files, so these are made on first use.
    def _model(self, which: int) -> bm25s.BM25 | None:
        """The folded (0) or exact (1) bm25s index, read from disk the first time."""
        if self._folded is None and self._model_folder is not None and self._main_ids:
            self._folded = bm25s.BM25.load(str(self._model_folder / "folded"), show_progress=False)
            self._exact = bm25s.BM25.load(str(self._model_folder / "exact"), show_progress=False)
        return self._folded if which == 0 else self._exact

    @property
    def _segmenter(self) -> DictionarySegmenter:
        if self._seg is None:
            self._seg = DictionarySegmenter.from_document_frequencies(self._document_frequencies())
        return self._seg

    @property
    def _query_segmenter(self) -> AccentAwareSegmenter:
        if self._qseg is None:
            self._qseg = AccentAwareSegmenter(self._segmenter, query=True)
        return self._qseg

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def delta_size(self) -> int:
        """Items added since the main index was built."""
        return len(self._delta)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], *,
              exact_weight: float = EXACT_WEIGHT) -> LexicalIndex:
        """Analyse ``texts`` (pyvi; ~9 ms per 1,000 characters) and index them."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        if len(set(ids)) != len(ids):
            dup = next(i for i, c in Counter(ids).items() if c > 1)
            raise ValueError(f"duplicate id {dup!r}")
        poor = {i for i, t in enumerate(texts) if has_poorly_accented_sentences(t)}
        # poorly accented texts are analysed once, with the segmenter the others make
        tokens: list[Tokens] = [([], []) if i in poor else _shared(analyze(t)) for i, t in enumerate(texts)]
        if poor:
            df = Counter(w for i, tk in enumerate(tokens) if i not in poor for w in set(tk[0]) if "_" in w)
            seg = AccentAwareSegmenter(DictionarySegmenter.from_document_frequencies(df))
            for i in poor:
                tokens[i] = _shared(analyze(texts[i], seg))
        return cls.from_tokens(ids, tokens, exact_weight=exact_weight)

    @classmethod
    def from_tokens(cls, ids: Sequence[str], tokens: list[Tokens], *,
                    exact_weight: float = EXACT_WEIGHT) -> LexicalIndex:
        """Index already analysed passages (a merge, or :meth:`build`)."""
        if not tokens:
            return cls([], None, None, exact_weight=exact_weight)
        folded = _bm25([t[0] for t in tokens])
        exact = _bm25([t[1] for t in tokens])
        avgdl = (max(1e-9, sum(len(t[0]) for t in tokens) / len(tokens)),
                 max(1e-9, sum(len(t[1]) for t in tokens) / len(tokens)))
        return cls(ids, folded, exact, exact_weight=exact_weight, tokens=tokens, avgdl=avgdl)

    # ------------------------------------------------------------------ updating
    def update(self, remove: Iterable[str], add_ids: Sequence[str], add_texts: Sequence[str],
               order: Sequence[str]) -> bool:
        """Remove ``remove``, add ``add_ids`` (analysing ``add_texts``), and put the rows in
        ``order`` (exactly the ids left). Returns True when the delta was merged (the main
        index rebuilt from the saved tokens)."""
        if len(add_ids) != len(add_texts):
            raise ValueError(f"{len(add_ids)} ids for {len(add_texts)} texts")
        gone = set(remove)
        current = set(self.ids) - gone
        for i in gone:
            self._delta.pop(i, None)
            self._unsaved.discard(i)
        seg = AccentAwareSegmenter(self._segmenter)
        for item, text in zip(add_ids, add_texts):
            if item in current or item in self._delta:
                raise ValueError(f"duplicate id {item!r}")
            a = analyze(text, seg) if has_poorly_accented_sentences(text) else analyze(text)
            self._delta[item] = (a.folded_tokens, a.exact_tokens)
            self._unsaved.add(item)
        live_main = [i for i in self._main_ids if i in current and i not in self._delta]
        if set(order) != set(live_main) | set(self._delta) or len(order) != len(live_main) + len(self._delta):
            raise ValueError("order must list exactly the ids left after the update")
        self.ids = list(order)
        removed_main = len(self._main_ids) - len(live_main)
        if should_merge(len(self._delta), removed_main, len(self._main_ids), self.merge_fraction):
            fraction = self.merge_fraction
            self.__dict__.update(self.merged().__dict__)
            self.merge_fraction = fraction
            return True
        self._layout()
        return False

    @property
    def removed_main(self) -> int:
        """Main items no longer current (removed, or replaced by a delta entry)."""
        current = set(self.ids)
        return sum(1 for i in self._main_ids if i not in current or i in self._delta)

    def merge_due(self, fraction: float) -> bool:
        """Have the delta and the removed main items passed ``fraction`` of the main index?"""
        return bool(self._main_ids) and merge_due(len(self._delta), self.removed_main, len(self._main_ids), fraction)

    def merged(self) -> LexicalIndex:
        """A fresh index of the current items (main index rebuilt from the saved tokens, no
        delta): the expensive half of a merge, which touches nothing of ``self``."""
        tokens = dict(zip(self._main_ids, self._main_tokens())) | self._delta
        return LexicalIndex.from_tokens(self.ids, [tokens[i] for i in self.ids], exact_weight=self.exact_weight)

    @classmethod
    def rebased(cls, merged_folder: Path, base: LexicalIndex, current: LexicalIndex) -> LexicalIndex:
        """The background merge's second half: the main index saved in ``merged_folder``
        (:meth:`merged` of ``base``, a snapshot) under the rows of ``current`` (the index as
        it is now, ``base`` plus later updates). Items added or changed since the snapshot
        (a delta entry ``base`` did not have) become the new delta; items removed since
        leave the rows. ``current`` must still have ``base``'s main index (no other merge
        between), else ValueError. Saving with ``previous=merged_folder`` links the main files."""
        if current._main_ids != base._main_ids:
            raise ValueError("the lexical main index changed since the snapshot (merged meanwhile)")
        carried = {i: t for i, t in current._delta.items() if base._delta.get(i) != t}
        index = cls.load(merged_folder, lazy=True)
        main = set(index._main_ids)
        missing = [i for i in current.ids if i not in main and i not in carried]
        if missing:
            raise ValueError(f"{len(missing)} current items are neither merged nor carried, e.g. {missing[0]!r}")
        index._delta, index._unsaved = carried, set(carried)
        index.ids = list(current.ids)
        index.merge_fraction = current.merge_fraction
        index._layout()
        return index

    def _main_tokens(self) -> list[Tokens]:
        if self._tokens_list is None:
            assert self._tokens_file is not None
            with self._tokens_file.open(encoding="utf-8") as f:
                self._tokens_list = [_shared((t[0], t[1])) for t in json.load(f)]
        return self._tokens_list

    def _layout(self) -> None:
        """The rows changed: the row tables are made again on the next search."""
        self._rows_ready = False

    def _build_layout(self) -> None:
        """Row tables: current row → main row (-1 for a delta item); delta postings."""
        self._rows_ready = True
        self._main_pos = {item: row for row, item in enumerate(self._main_ids)}
        self._main_row = np.fromiter((self._main_pos.get(i, -1) if i not in self._delta else -1 for i in self.ids),
                                     dtype=np.int64, count=len(self.ids))
        rows = {item: row for row, item in enumerate(self.ids)}
        self._postings: list[dict[str, tuple[np.ndarray, np.ndarray]]] = []
        for which in (0, 1):
            acc: dict[str, tuple[list[int], list[float]]] = {}
            for item, toks in self._delta.items():
                words = toks[which]
                norm = _K1 * ((1 - _B) + _B * len(words) / self._avgdl[which])
                for w, tf in Counter(words).items():
                    entry = acc.setdefault(w, ([], []))
                    entry[0].append(rows[item])
                    entry[1].append(tf / (norm + tf))
            self._postings.append({w: (np.array(r, np.int64), np.array(v, np.float32)) for w, (r, v) in acc.items()})

    def _main_df(self, which: int) -> dict[str, int]:
        if which not in self._df_cache:
            model = self._model(which)
            if model is None:
                self._df_cache[which] = {}
            else:
                df = np.diff(np.asarray(model.scores["indptr"]))
                self._df_cache[which] = {tok: int(df[i]) for tok, i in model.vocab_dict.items() if i < len(df)}
        return self._df_cache[which]

    def _row_scores(self, which: int, tokens: Sequence[str]) -> np.ndarray:
        """BM25 of every current row: main rows from bm25s, delta rows from the postings."""
        out = np.zeros(len(self.ids), dtype=np.float32)
        if not self._rows_ready:
            self._build_layout()
        model = self._model(which)
        if model is not None and len(self._main_ids):
            main = _scores(model, tokens)
            mask = self._main_row >= 0
            out[mask] = main[self._main_row[mask]]
        if self._delta:
            n = len(self._main_ids) + len(self._delta)
            main_df = self._main_df(which)
            for w in dict.fromkeys(t for t in tokens if t):
                post = self._postings[which].get(w)
                if post is None:
                    continue
                df = main_df.get(w, 0) + len(post[0])
                out[post[0]] += math.log(1 + (n - df + 0.5) / (df + 0.5)) * post[1]
        return out

    def _document_frequencies(self) -> dict[str, int]:
        folded = self._model(0)
        if folded is None:
            return {}
        df = np.diff(np.asarray(folded.scores["indptr"]))
        return {tok: int(df[i]) for tok, i in folded.vocab_dict.items()
                if tok and "_" in tok and i < len(df)}

    # ------------------------------------------------------------------ searching
    def analyze_query(self, query: str, *, ranking: bool = False) -> Analyzed:
        """Query tokens, cut into words the way the index's passages were (the passages'
        own rule, :class:`~plankg.search.text.AccentAwareSegmenter`). ``ranking``: the
        tokens BM25 scores by (no abbreviation token for a spelled-out expansion, see
        :func:`~plankg.search.text.analyze`); highlighting keeps it, so "AI" is still
        marked for "trí tuệ nhân tạo"."""
        return analyze(query, self._query_segmenter, query=ranking)

    def search(self, query: str, k: int = 10,
               allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Best ``k`` rows for ``query`` as ``(row, score)``, highest first; rows with no
        matching token are never returned. ``allowed``: only these rows (None: all)."""
        if not self.ids or k <= 0:
            return []
        q = self.analyze_query(query, ranking=True)
        scores = self._row_scores(0, q.folded_tokens)
        if self.exact_weight and has_diacritics(query):
            scores = scores + self.exact_weight * self._row_scores(1, q.exact_tokens)
        return _top_k(scores, k, allowed)

    def restore_marks(self, text: str) -> str:
        """``text`` with Vietnamese marks restored from the index's own vocabulary where it
        has none ("boi duong ky nang so" → "bồi dưỡng kỹ năng số").

        Why: dense models read unmarked Vietnamese poorly, while the passages they embedded
        carry marks. The text is cut into the index's words (like :meth:`analyze_query`) and
        each unmarked word takes its most frequent marked spelling among the passages
        (document frequency in the exact-token BM25). Marked words and unknown words stay.
        """
        accents = self._accent_map()
        out: list[str] = []
        for word in self._segmenter(text):
            if has_diacritics(word) or not any(c.isalpha() for c in word):
                out.append(word.replace("_", " "))
                continue
            out.append(accents.get(word.lower(), word).replace("_", " "))
        return " ".join(out)

    def _accent_map(self) -> dict[str, str]:
        if self._accents is None:
            best: dict[str, tuple[int, str]] = {}
            exact = self._model(1)
            if exact is not None:
                df = np.diff(np.asarray(exact.scores["indptr"]))
                for tok, i in exact.vocab_dict.items():
                    if not tok or i >= len(df):
                        continue
                    key = fold(tok)
                    if key != tok and int(df[i]) > best.get(key, (0, ""))[0]:
                        best[key] = (int(df[i]), tok)
                # an unmarked spelling that is itself frequent ("cho", "ban") is kept
                for tok, i in exact.vocab_dict.items():
                    if tok and i < len(df) and fold(tok) == tok and tok in best and int(df[i]) >= best[tok][0]:
                        del best[tok]
            self._accents = {k: v for k, (_n, v) in best.items()}
        return self._accents

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | Path, *, previous: str | Path | None = None) -> None:
        """Write the index under ``folder`` (created): meta.json, ids.json, the main index
        (folded/, exact/, main.json: its ids and tokens) and the delta parts. With
        ``previous`` (the folder it was loaded from or last saved to) an unchanged main index
        is hard-linked from there instead of written again. The delta is append-only: each
        save writes the items added since the last one as a new part (``delta-<n>.json``) and
        links the earlier parts; a reader keeps, for each current id, its last entry."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        linked = previous is not None and not self._main_changed and (Path(previous) / "main.json").exists()
        if linked:
            assert previous is not None
            for part in ("folded", "exact", "main.json", "tokens.json"):
                link_copy(Path(previous) / part, folder / part)
        else:
            folded, exact = self._model(0), self._model(1)
            if folded is not None:
                assert exact is not None  # the two bm25s indexes are built and loaded together
                folded.save(str(folder / "folded"), show_progress=False)
                exact.save(str(folder / "exact"), show_progress=False)
            _write_tokens(folder / "tokens.json", self._main_tokens())
            (folder / "main.json").write_text(json.dumps({"ids": self._main_ids, "avgdl": self._avgdl},
                                                         ensure_ascii=False), "utf-8")
        parts = []
        for old in self._parts:
            if old.parent != folder:
                link_copy(old, folder / old.name)
            parts.append(folder / old.name)
        if self._unsaved:
            new = folder / f"delta-{len(parts):06d}.json"
            new.write_text(json.dumps({i: self._delta[i] for i in sorted(self._unsaved)}, ensure_ascii=False), "utf-8")
            parts.append(new)
        self._parts, self._unsaved = parts, set()
        self._model_folder = folder  # what is not read yet is read from here from now on
        if self._tokens_list is None:
            self._tokens_file = folder / "tokens.json"
        (folder / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), "utf-8")
        meta = {"format": "plankg-lexical", "version": FORMAT_VERSION, "count": len(self.ids),
                "main": len(self._main_ids), "delta": len(self._delta), "parts": [p.name for p in parts],
                "exact_weight": self.exact_weight, "analyzer": self.fingerprint, "k1": _K1, "b": _B}
        (folder / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")
        self._main_changed = False

    @classmethod
    def load(cls, folder: str | Path, *, strict: bool = True, lazy: bool = False) -> LexicalIndex:
        """Reopen a saved index. If the text analysis changed since it was built (another
        abbreviation table, analyzer version), raise :class:`StaleIndexError` — queries
        would be tokenised unlike the passages — or only warn with ``strict=False``.
        ``lazy`` (an update): the bm25s indexes and what searching needs are read or made
        on first use, not here."""
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != "plankg-lexical" or meta.get("version") not in (2, FORMAT_VERSION):
            raise ValueError(f"{folder} is not a plankg lexical index of version {FORMAT_VERSION}")
        current = analyzer_fingerprint()
        if meta["analyzer"] != current:
            msg = (f"lexical index {folder} was built with text analysis {meta['analyzer']}, "
                   f"current is {current} (abbreviations or analyzer changed): rebuild it")
            if strict:
                raise StaleIndexError(msg)
            warnings.warn(msg, stacklevel=2)
        ids = json.loads((folder / "ids.json").read_text("utf-8"))
        main = json.loads((folder / "main.json").read_text("utf-8"))
        index = cls(main["ids"], None, None, exact_weight=meta["exact_weight"], fingerprint=meta["analyzer"],
                    avgdl=(float(main["avgdl"][0]), float(main["avgdl"][1])))
        index._model_folder = folder
        index._tokens_list, index._tokens_file = None, folder / "tokens.json"  # read only if a merge needs them
        index._parts = [folder / name for name in meta.get("parts", ["delta.json"])]
        entries: dict[str, Tokens] = {}
        for part in index._parts:  # later parts win: an item removed and added again
            entries |= {k: (v[0], v[1]) for k, v in json.loads(part.read_text("utf-8")).items()}
        index._delta = {i: entries[i] for i in ids if i in entries}
        index.ids = ids
        index._main_changed = False
        index._layout()
        if not lazy:  # a searcher: everything ready before the first query
            index._qseg = AccentAwareSegmenter(index._segmenter, query=True)
            index._build_layout()
        return index


def _scores(model: bm25s.BM25, tokens: Sequence[str]) -> np.ndarray:
    vocab = model.vocab_dict
    known = list(dict.fromkeys(t for t in tokens if t and t in vocab))
    n = int(model.scores["num_docs"])
    if not known:
        return np.zeros(n, dtype=np.float32)
    return np.asarray(model.get_scores(known), dtype=np.float32)


def _top_k(scores: np.ndarray, k: int, allowed: Iterable[int] | None) -> list[tuple[int, float]]:
    cand = np.flatnonzero(scores > 0)
    if allowed is not None:
        allow = np.fromiter((int(a) for a in allowed), dtype=np.int64)
        cand = cand[np.isin(cand, allow)]
    if cand.size > k:
        cand = cand[np.argpartition(-scores[cand], k - 1)[:k]]
    order = np.lexsort((cand, -scores[cand]))  # score desc, then row asc (deterministic)
    return [(int(cand[i]), float(scores[cand[i]])) for i in order]
