"""BM25 keyword search over Vietnamese passages, accent-insensitive first.

Why two BM25 indexes (bm25s): users often type without marks ("chuyen doi so") and OCR'd
renditions lost theirs, so the ranking rests on *folded* tokens, where "đường" and
"dương" are one word. When the user did type marks, they tell which word is meant, so a
second BM25 over *exact* tokens adds ``exact_weight`` × its score: an exact match outranks
a folded-only one, and a query without marks is ranked purely on folded tokens.

Queries are segmented with the index's own folded vocabulary
(:class:`~plankg.search.text.DictionarySegmenter`), not pyvi: pyvi cannot join syllables
typed without marks, and the index vocabulary is exactly what can match. Passages whose
sentences lost their marks (OCR) are re-segmented the same way at build time.

Rows are positions in ``ids``; ``search`` returns ``(row, score)`` pairs and accepts an
``allowed`` set of rows (filters from the graph: plan, agency, year, ...).
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

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

__all__ = ["EXACT_WEIGHT", "LexicalIndex", "StaleIndexError"]

FORMAT_VERSION = 1
#: Weight of the exact-token BM25 score added when the query has marks. 0.5 lets an exact
#: match win over an equally good folded-only match without letting marks dominate term
#: coverage (a passage matching all query words folded still beats one matching a part exactly).
EXACT_WEIGHT = 0.5
_K1, _B = 1.5, 0.75


class StaleIndexError(RuntimeError):
    """The saved index was built with another text analysis (abbreviations changed...)."""


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(k1=_K1, b=_B)
    model.index(corpus, show_progress=False)
    return model


class LexicalIndex:
    """Folded + exact BM25 over passages; build with :meth:`build`, reopen with :meth:`load`."""

    def __init__(self, ids: Sequence[str], folded: bm25s.BM25 | None, exact: bm25s.BM25 | None,
                 *, exact_weight: float = EXACT_WEIGHT, fingerprint: str | None = None) -> None:
        self.ids: list[str] = list(ids)
        self._folded = folded
        self._exact = exact
        self.exact_weight = exact_weight
        self.fingerprint = fingerprint or analyzer_fingerprint()
        self._segmenter = DictionarySegmenter.from_document_frequencies(self._document_frequencies())
        self._accents: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self.ids)

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
        analyzed = [analyze(t) for t in texts]
        poor = {i for i, t in enumerate(texts) if has_poorly_accented_sentences(t)}
        if poor:
            df = Counter(w for i, a in enumerate(analyzed) if i not in poor
                         for w in set(a.folded_tokens) if "_" in w)
            seg = AccentAwareSegmenter(DictionarySegmenter.from_document_frequencies(df))
            for i in poor:
                analyzed[i] = analyze(texts[i], seg)
        if not analyzed:
            return cls([], None, None, exact_weight=exact_weight)
        folded = _bm25([a.folded_tokens for a in analyzed])
        exact = _bm25([a.exact_tokens for a in analyzed])
        return cls(ids, folded, exact, exact_weight=exact_weight)

    def _document_frequencies(self) -> dict[str, int]:
        if self._folded is None:
            return {}
        df = np.diff(np.asarray(self._folded.scores["indptr"]))
        return {tok: int(df[i]) for tok, i in self._folded.vocab_dict.items()
                if tok and "_" in tok and i < len(df)}

    # ------------------------------------------------------------------ searching
    def analyze_query(self, query: str) -> Analyzed:
        """Query tokens, cut into words the way the index's passages were."""
        return analyze(query, self._segmenter)

    def search(self, query: str, k: int = 10,
               allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Best ``k`` rows for ``query`` as ``(row, score)``, highest first; rows with no
        matching token are never returned. ``allowed``: only these rows (None: all)."""
        if self._folded is None or k <= 0:
            return []
        q = self.analyze_query(query)
        scores = _scores(self._folded, q.folded_tokens)
        if self.exact_weight and has_diacritics(query):
            scores = scores + self.exact_weight * _scores(self._exact, q.exact_tokens)
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
            if self._exact is not None:
                df = np.diff(np.asarray(self._exact.scores["indptr"]))
                for tok, i in self._exact.vocab_dict.items():
                    if not tok or i >= len(df):
                        continue
                    key = fold(tok)
                    if key != tok and int(df[i]) > best.get(key, (0, ""))[0]:
                        best[key] = (int(df[i]), tok)
                # an unmarked spelling that is itself frequent ("cho", "ban") is kept
                for tok, i in self._exact.vocab_dict.items():
                    if tok and i < len(df) and fold(tok) == tok and tok in best and int(df[i]) >= best[tok][0]:
                        del best[tok]
            self._accents = {k: v for k, (_n, v) in best.items()}
        return self._accents

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | Path) -> None:
        """Write the index under ``folder`` (created): meta.json, ids.json, folded/, exact/."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self._folded is not None:
            assert self._exact is not None  # the two bm25s indexes are built and loaded together
            self._folded.save(str(folder / "folded"), show_progress=False)
            self._exact.save(str(folder / "exact"), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), "utf-8")
        meta = {"format": "plankg-lexical", "version": FORMAT_VERSION, "count": len(self.ids),
                "exact_weight": self.exact_weight, "analyzer": self.fingerprint, "k1": _K1, "b": _B}
        (folder / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")

    @classmethod
    def load(cls, folder: str | Path, *, strict: bool = True) -> LexicalIndex:
        """Reopen a saved index. If the text analysis changed since it was built (another
        abbreviation table, analyzer version), raise :class:`StaleIndexError` — queries
        would be tokenised unlike the passages — or only warn with ``strict=False``."""
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != "plankg-lexical" or meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"{folder} is not a plankg lexical index of version {FORMAT_VERSION}")
        current = analyzer_fingerprint()
        if meta["analyzer"] != current:
            msg = (f"lexical index {folder} was built with text analysis {meta['analyzer']}, "
                   f"current is {current} (abbreviations or analyzer changed): rebuild it")
            if strict:
                raise StaleIndexError(msg)
            warnings.warn(msg, stacklevel=2)
        ids = json.loads((folder / "ids.json").read_text("utf-8"))
        folded = exact = None
        if ids:
            folded = bm25s.BM25.load(str(folder / "folded"), show_progress=False)
            exact = bm25s.BM25.load(str(folder / "exact"), show_progress=False)
        return cls(ids, folded, exact, exact_weight=meta["exact_weight"], fingerprint=meta["analyzer"])


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
