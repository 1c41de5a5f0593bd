"""Scoring: lexical + dense fusion, then boosts from graph facts.

Why this shape. BM25 finds the words (and symbols such as "5G", "57/KH-UBND"); the dense
model finds paraphrases ("trí tuệ nhân tạo" ~ "AI", "hồ sơ sức khỏe" ~ "bệnh án"). They are
fused into one text score in [0, 1] — reciprocal rank fusion or a convex combination of
normalised scores (CombSUM), chosen on the evaluation set (see docs/search.md). Then facts
the query named and the graph holds are added: an item led by the agency the query named,
whose deadline falls in the period asked, of the type asked, in the document asked. The
weights make a graph fact worth more than the whole text score, so "a task led by Sở Y tế
with a 2025 deadline beats one that merely mentions health", while the text score still
orders items with the same facts.

When the user typed marks, words found with exactly those marks earn a small bonus, so an
exact match outranks a folded-only one ("đường" before "dương").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from plankg.search.index.items import Item
from plankg.search.query.understanding import Interpretation
from plankg.search.text import has_diacritics, normalize_query

__all__ = ["CATEGORIES", "RankingConfig", "exact_bonus", "fuse", "graph_scores", "period_match"]

CATEGORIES = ("type", "agency", "period", "document", "locality")


@dataclass(frozen=True)
class RankingConfig:
    """Switches (for the ablations of the evaluation) and weights."""

    lexical: bool = True
    dense: bool = True
    graph: bool = True
    fusion: str = "combsum"  # "rrf" | "combsum"
    rrf_k: int = 60
    #: CombSUM: text = w·BM25/max + (1-w)·cosine min-max normalised over the dense top-k.
    lexical_weight: float = 0.6
    k_lexical: int = 100
    k_dense: int = 40
    #: Dense hits below this share of the best cosine's distance to the floor are dropped
    #: from the candidates (they would only pad the list with unrelated items).
    dense_floor: float = 0.80
    w_type: float = 0.6
    w_agency_lead: float = 1.0
    w_agency_coop: float = 0.45
    w_related: float = 0.3
    w_period: float = 0.8
    w_document_self: float = 1.5
    w_document_implements: float = 0.5
    w_document_in: float = 0.6
    w_locality: float = 0.35
    w_exact: float = 0.15
    #: Added to section passages: a section repeats its tasks' words, so at equal text
    #: score the task (with its agencies and deadline) should come first.
    section_prior: float = -0.1
    #: Added to documents the corpus only cites: the ingested plan (with its tasks, targets
    #: and text) is what a question about a document means; a cited namesake comes after it.
    cited_prior: float = -0.3
    #: An appendix row scored through a narrative restatement gets this share of the
    #: narrative's text score: one narrative item feeding two rows (many-to-many
    #: correspondence) must not make them tie when only one row says the words itself.
    narrative_share: float = 0.97
    #: Embed an unmarked query with the marks restored from the index vocabulary.
    restore_marks: bool = True
    #: When no words are left for ranking, dense similarity to the whole query orders
    #: items with equal graph facts.
    w_tie: float = 0.2

    def but(self, **changes: object) -> RankingConfig:
        return replace(self, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- fusion

def fuse(lexical: list[tuple[int, float]], dense: list[tuple[int, float]], cfg: RankingConfig) -> dict[int, float]:
    """Text score in [0, 1] per row from the two ranked lists (best first)."""
    out: dict[int, float] = {}
    if cfg.fusion == "rrf":
        n = (1 if lexical else 0) + (1 if dense else 0)
        if not n:
            return out
        top = n / (cfg.rrf_k + 1)
        for hits in (lexical, dense):
            for rank, (row, _s) in enumerate(hits, 1):
                out[row] = out.get(row, 0.0) + 1.0 / (cfg.rrf_k + rank) / top
        return out
    wl = cfg.lexical_weight if (lexical and dense) else (1.0 if lexical else 0.0)
    if lexical:
        best = max(s for _r, s in lexical) or 1.0
        for row, s in lexical:
            out[row] = out.get(row, 0.0) + wl * s / best
    if dense:
        hi = dense[0][1]
        lo = min(s for _r, s in dense)
        span = (hi - lo) or 1.0
        for row, s in dense:
            out[row] = out.get(row, 0.0) + (1.0 - wl) * (s - lo) / span
    return out


def dense_cut(dense: list[tuple[int, float]], cfg: RankingConfig) -> list[tuple[int, float]]:
    """The dense hits close enough to the best one to be candidates on their own."""
    if not dense:
        return dense
    hi, lo = dense[0][1], dense[-1][1]
    limit = lo + cfg.dense_floor * (hi - lo)
    return [(r, s) for r, s in dense if s >= limit]


# --------------------------------------------------------------------------- periods

def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _item_interval(item: Item) -> tuple[date | None, date | None]:
    if item.type == "Document":
        when = _d((item.document or {}).get("date"))
        if when:
            return when, when
        if item.doc_year:
            return date(item.doc_year, 1, 1), date(item.doc_year, 12, 31)
        return None, None
    return item.interval


def period_match(item: Item, interp: Interpretation) -> float:
    """How well the item's deadline/horizon fits the period asked, in [0, 1].

    ``in``: the share of the item's interval inside the period (a "Quý IV/2025" task fits
    "quý IV/2025" fully, a whole-2025 task a quarter); an open end counts as one year.
    ``before``: the deadline ends by the date. ``by`` ("đến 2030"): a deadline inside the
    named period fits fully, an earlier one half. Recurring tasks without dates ("Hằng
    năm", "Thường xuyên") fit any period at 0.4; items without a deadline fall back to
    their document's year at 0.3. ``due`` ("sắp đến hạn") and ``overdue`` ("quá hạn"):
    the deadline's last day lies in the window (today … today + N days; … yesterday).
    ``subject``: never (the period is topic words).
    """
    p = interp.period
    if not p:
        return 0.0
    mode = p.get("mode", "in")
    if mode == "subject":
        return 0.0  # the period names the subject ("kế hoạch … giai đoạn 2026 - 2030"): words, not a deadline
    qs, qe = _d(p.get("start")), _d(p.get("end"))
    s, e = _item_interval(item)
    if mode in ("due", "overdue"):  # relative to today: the deadline's end day decides
        if item.type == "Document" or e is None or qe is None:
            return 0.0
        return 1.0 if e <= qe and (qs is None or e >= qs) else 0.0
    if s is None and e is None:
        rec = (item.deadline or {}).get("recurrence")
        if rec in ("annual", "continuous"):
            return 0.4
        if item.doc_year and mode == "in" and qs and qe and qs.year <= item.doc_year <= qe.year:
            return 0.3
        return 0.0
    if mode == "before":  # due by the date; long before it ("trước 9/2023" for 2025) only half
        if e is None or qe is None or e > qe:
            return 0.0
        return 1.0 if (qe - e).days <= 366 else 0.5
    if mode == "by":
        a_s, a_e = interp.anchor or (None, qe)
        if e is None or qe is None:
            return 0.0
        if a_s is not None and a_s <= e <= (a_e or qe):
            return 1.0
        return 0.5 if e < (a_s or qe) else (1.0 if e <= qe else 0.0)
    if mode in ("from", "after"):
        ref = s or e
        return 1.0 if ref is not None and qs is not None and ref >= qs else 0.0
    s = s or (e - timedelta(days=364) if e else None)
    e = e or (s + timedelta(days=364) if s else None)
    if s is None or e is None or qs is None or qe is None:
        return 0.0
    lo, hi = max(s, qs), min(e, qe)
    if hi < lo:
        return 0.0
    return ((hi - lo).days + 1) / ((e - s).days + 1)


# --------------------------------------------------------------------------- graph facts

def graph_scores(item: Item, interp: Interpretation, cfg: RankingConfig) -> dict[str, float]:
    """Per category the item's boost (0 when the category was asked but not met; absent
    when the query did not ask it)."""
    out: dict[str, float] = {}
    if interp.types:
        out["type"] = cfg.w_type if item.type in interp.types else 0.0
    if interp.agencies:
        lead = {a["iri"] for a in item.lead}
        coop = {a["iri"] for a in item.cooperating}
        w_lead, w_coop = cfg.w_agency_lead, cfg.w_agency_coop
        if interp.role == "lead":
            w_coop *= 0.4
        elif interp.role == "cooperating":
            w_lead, w_coop = w_coop, w_lead
        best = 0.0
        for a in interp.agencies:
            factor = 1.0 if a.get("relation") is None else cfg.w_related
            if a["iri"] in lead:
                best = max(best, w_lead * factor)
            elif a["iri"] in coop:
                best = max(best, w_coop * factor)
        out["agency"] = best
    if interp.period_asked:
        out["period"] = cfg.w_period * period_match(item, interp)
    if interp.documents:
        wanted = {d["iri"] for d in interp.documents}
        doc = (item.document or {}).get("iri")
        if item.iri in wanted:  # the best match (a plan of the corpus before a cited namesake) first
            out["document"] = cfg.w_document_self * (1.0 if interp.documents[0]["iri"] == item.iri else 0.9)
        elif item.type == "Document" and wanted & set(item.implements):
            out["document"] = cfg.w_document_implements
        elif doc in wanted:
            out["document"] = cfg.w_document_in
        else:
            out["document"] = 0.0
    if interp.localities:
        wanted = {x["iri"] for x in interp.localities}
        out["locality"] = cfg.w_locality if wanted & set(item.localities) else 0.0
    return out


# --------------------------------------------------------------------------- exact marks

_WORDS = re.compile(r"[^\W_]+")


def accented_words(query: str) -> list[str]:
    """The words of the query typed with marks (lower case): the ones exactness is about."""
    return [w.lower() for w in _WORDS.findall(normalize_query(query)) if has_diacritics(w)]


def exact_bonus(text: str, words: list[str], weight: float) -> float:
    """``weight`` × the share of the accented query words the text holds with the same
    marks (a folded-only occurrence earns nothing)."""
    if not words:
        return 0.0
    t = normalize_query(text).lower()  # cached per text
    hits = 0
    for w in words:
        if re.search(r"(?<![^\W_])" + re.escape(w) + r"(?![^\W_])", t):
            hits += 1
    return weight * hits / len(words)

