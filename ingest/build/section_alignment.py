"""Which numbered item of a policy resolution (57-NQ/TW) a plan's task serves.

Plans that implement 57-NQ/TW rarely restate its sentences, so the task → task alignment
(:mod:`plankg.ingest.build.alignment`) finds little there; what a researcher asks is which
*item* of the resolution a task serves: III.3 (infrastructure), III.5 (digital government),
IV.5 (dissemination)… This module links each task to that item, ``pk:servesSection``
(⊑ ``prov:wasInfluencedBy``), qualified by a ``pk:SectionAlignment`` with its score, method
and the words that decided it, in the named graph ``{base}graph/section-alignment`` (part
of the default dataset).

Which documents and parts: ``ontology/registry/policy_sections.yaml`` (data, not code) names
the policy documents and the parts whose items tasks serve (tasks and solutions,
organisation of implementation). A task is a candidate when its document cites a policy
document, directly or through the documents it cites (``eli:cites+``).

Score, per (task, item) pair (III.x, IV.x; the item's text is its heading, lead and dash
items): the probability a **learned model** gives that the task serves the item
(:mod:`plankg.ingest.build.section_model`: a logistic model of each pair, or a softmax over
the task's items, linear in the features and a few products of them; coefficients in
``ontology/registry/section_scorer.yaml``, fitted by ``benchmarks/section_alignment_train.py``
on the hand-read tasks of the gold's training splits). Its evidence (:func:`pair_features`):

* the cosine of the task's and the item's TF-IDF vectors (folded words and word pairs,
  sublinear term frequency, IDF over the items, so the stock words every item shares —
  "khoa học, công nghệ, đổi mới sáng tạo" — weigh nothing; a cosine, not a containment, so a
  long item such as III.3 does not win on length), and the best cosine with one of the
  item's dash items (a task restates one dash item far more often than the whole item);
* the IDF-weighted share of the words of the heading the task is printed under in its own
  plan that the item contains, and of those in the item's title (:func:`named_item`: a heading
  that repeats 57-NQ/TW's title, "Hợp tác quốc tế" for III.7); the task's pillar
  (:mod:`plankg.ingest.build.pillars`) being the item's;
* the configured embedder's cosine (``PLANKG_EMBEDDER``, the search index's model, lent
  through :mod:`plankg.ingest.build.alignment_vectors`) less its mean over the items: the task
  embedded with its heading ("Hợp tác quốc tế. Tổ chức xúc tiến thương mại …"), the item as its
  whole text and as each dash item, the best counting; and the heading alone. Words alone
  cannot tell "nền tảng số" in a plan for digital agriculture from III.3's digital platforms;
* how far the item leads the best other item, on words and on the embedder;
* the **learned term weights** of the stored model (``section_model.TermModel``, since v9):
  which plan words the hand-read tasks of each item use, scored on the task with its heading;
* the plan's own leaning on each kind of evidence (the mean over the document's tasks, less
  its mean over the items: a plan for 5G in industrial zones leans to III.3), and the group's
  (the other tasks printed under the same heading). Both need all of a document's tasks in
  one call, which both the full recompute and the incremental upkeep pass.

A link is kept for the best item when its probability reaches the stored model's
``threshold`` and exceeds the runner-up's by its ``margin`` (chosen by leave-one-document-out
cross-validation for precision ≥ 0.9; ``align_sections(..., second=…)`` links both items of a
near tie instead, a measured variant). The link names the best dash item (III.x.y) when one
stands out within the item, else the item.

A task the model leaves unlinked inherits the item its plan's section heading *names*
(:func:`named_item`), method ``METHOD_HEADING``, when the stored model keeps that rule
(``heading_rule``: cross-validation kept it). A task's own link always wins.

A task that points to parts of its own plan ("Chủ trì triển khai các nhiệm vụ tại mục (IV)
(3) của Kế hoạch", :mod:`plankg.ingest.build.plan_parts`) also takes, method
``METHOD_PART``, the item that more than half of each part's units (its innermost numbered
items) rank first, when one unit's link to it is kept at the operating point: the row leads
that part's work, so it serves what the part serves. A task that is the plan's own
administration (its funding, reporting, monitoring: ``no_item`` phrases of
``policy_sections.yaml`` in its first clause, :func:`serves_no_item`) gets no link.

The features above are all computed; each stored model names those it scores (since stop 20
the task's own evidence only: its words, heading and learned term weights, and the embedder's
cosines in the embedder's model; not the pillar, nor the plan's and group's leaning on words,
which made precision vary by document). **The pipeline scores with the stored default model**
(``section_model.default_variant``, :func:`scoring_similarity`): the embedder's since stop 21
(the lexical one at stop 20, which loads no embedder, method ``METHOD_LEXICAL``); with the
embedder's model as the default, a machine where no embedder loads falls back to the lexical
model and its own operating point. Each link names its method. Vectors are cached per text under ``<home>/section-vectors/``
(:func:`embedder_similarity`), so an incremental re-linking embeds only the texts it brings.
The figures (leave-one-document-out, development splits, held-out) are in docs/ontology.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import rdflib
import yaml

from plankg.config import Settings
from plankg.folding import fold_words
from plankg.ingest.build.alignment import PK, PREFIXES, TaskText, add_qualified_link, read_tasks
from plankg.ingest.build.alignment_vectors import text_vectors
from plankg.ingest.build.pillars import assign_pillars
from plankg.ingest.build.plan_parts import PlanPart, TaskHeadings, plan_parts
from plankg.ingest.build.section_model import LEARNED, TEXT, PairModel, default_variant, load_models
from plankg.ingest.model import SectionRecord, Span
from plankg.ontology import REGISTRY_DIR
from plankg.store import iris
from plankg.store.base import GraphStore

POLICY_SECTIONS = REGISTRY_DIR / "policy_sections.yaml"
#: the learned pairwise scorer (``section_model``, ``ontology/registry/section_scorer.yaml``):
#: a link's score is the probability the model gives the (task, item) pair
#: since stop 20 (h14s) the stored models score the task's own evidence only (words, heading,
#: learned term weights; the embedder's cosines in ``METHOD``'s model): no pillar, no plan or
#: group leaning on words. ``METHOD_LEXICAL``'s model is the pipeline's default
#: (``section_model.default_variant``). Since stop 21 (h14a) both refitted on the eighteen
#: hand-read documents (heldout4 and heldout5 retired to training): embedder v11, lexical v10
METHOD = "pairwise-logistic:tfidf+dash+heading+title+terms+embedding/v11"
METHOD_LEXICAL = "pairwise-logistic:tfidf+dash+heading+title+terms/v10"
SUB_MARGIN = 0.1
#: a task with no link of its own inherits the item its plan's section heading names
#: (:func:`named_item`): the IDF-weighted share of the heading's words and word pairs found in
#: the item's own title reaches NAMED_SHARE, beats the runner-up item's by NAMED_GAP, with
#: NAMED_PAIRS word pairs or more (headings of the gold plans: the same named headings for
#: shares 0.6–0.7 and gaps 0.2–0.4; docs/ontology.md). Kept when the stored model says so
#: (``heading_rule``, chosen by leave-one-document-out cross-validation).
NAMED_SHARE = 0.7
NAMED_GAP = 0.3
NAMED_PAIRS = 2
METHOD_HEADING = "plan-heading-names-item/v1"
#: a task that points to parts of its own plan ("các nhiệm vụ tại mục (IV) (1) của Kế hoạch",
#: :mod:`plankg.ingest.build.plan_parts`) also takes the item each part's text is linked to
METHOD_PART = "plan-part-reference/v2"
#: the features of a (task, item) pair (:func:`pair_features`); the stored models name theirs
FEATURES = ("tfidf", "dash", "heading", "pillar", "title", "named", "titled", "lex_margin",
            "plan_tfidf", "plan_dash", "plan_heading", "group_lex",
            "embed", "embed_margin", "plan_embed", "group_embed", "heading_embed", "embed_doc", LEARNED, "doc_title")
#: the folder under the home where the section alignment caches its vectors (apart from the
#: task alignment's, which prunes its file to its own texts)
VECTOR_FOLDER = "section-vectors"

#: (texts to embed, items) → cosine matrix [tasks × items], or None when no embedder is
#: available (the score is then lexical).
Similarity = Callable[[Sequence[str], Sequence["Item"]], "Sequence[Sequence[float]] | None"]


@dataclass(frozen=True)
class Item:
    """A numbered item of a policy document's part, with its sub-items."""

    iri: str
    path: str
    doc: str
    text: str  # heading + lead + sub-items
    pillar: str | None
    subs: tuple[tuple[str, str, str], ...]  # (iri, path, text) of the dash items
    heading: str = ""  # the item's own heading (its bold first sentence)


@dataclass(frozen=True)
class SectionLink:
    task: str
    section: str
    score: float
    evidence: str  # the decisive shared words
    method: str = METHOD_LEXICAL


@lru_cache(maxsize=1)
def policy_config() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(document ELI paths, folded part headings) from ``policy_sections.yaml``."""
    data = yaml.safe_load(POLICY_SECTIONS.read_text("utf-8"))
    return tuple(data["documents"]), tuple(fold_words(p) for p in data["parts"])


@lru_cache(maxsize=1)
def no_item_phrases() -> tuple[str, ...]:
    """Folded phrases of a plan's own administration (``no_item`` in ``policy_sections.yaml``)."""
    data = yaml.safe_load(POLICY_SECTIONS.read_text("utf-8"))
    return tuple(fold_words(p) for p in data.get("no_item") or ())


def serves_no_item(text: str) -> bool:
    """The task is the plan's own administration (its funding, reporting on it, monitoring it,
    a pointer to its appendix): its first clause holds a ``no_item`` phrase. Such a row serves
    no item of the policy document, whatever words it shares with one ("huy động nguồn vốn đầu
    tư" shares III.3's "đầu tư")."""
    first = fold_words(re.split(r"[;.]", text, maxsplit=1)[0])
    return any(f" {p} " in f" {first} " for p in no_item_phrases())


def _rows(store: GraphStore, base: str, body: str) -> list[dict[str, object]]:
    return store.query(PREFIXES + body, default_graphs=[iris.merged_graph_iri(base)]).records()


def read_items(store: GraphStore, base: str, doc: str) -> list[Item]:
    """The items of ``doc``'s parts named in the configuration, in document order."""
    rows = _rows(store, base, f"""SELECT ?s ?path ?heading ?text ?parent WHERE {{
        ?s a pk:Section ; pk:inDocument <{doc}> ; pk:path ?path .
        OPTIONAL {{ ?s pk:heading ?heading }} OPTIONAL {{ ?s pk:text ?text }}
        OPTIONAL {{ ?s <http://data.europa.eu/eli/ontology#is_part_of> ?parent . ?parent a pk:Section }} }}""")
    nodes = {str(r["s"]): r for r in rows}
    children: dict[str | None, list[str]] = {}
    for s, r in nodes.items():
        children.setdefault(str(r["parent"]) if r.get("parent") else None, []).append(s)
    _, parts = policy_config()
    pillars = _pillars(nodes)

    def text(s: str) -> str:
        return str(nodes[s].get("text") or nodes[s].get("heading") or "")

    out: list[Item] = []
    for top in sorted(children.get(None, []), key=lambda s: str(nodes[s]["path"])):
        if not any(p in fold_words(str(nodes[top].get("heading") or "")) for p in parts):
            continue
        for s in children.get(top, []):
            subs = tuple(sorted((c, str(nodes[c]["path"]), text(c)) for c in children.get(s, [])))
            whole = " ".join([text(s), *(t for _, _, t in subs)])
            out.append(Item(s, str(nodes[s]["path"]), doc, whole, pillars.get(str(nodes[s]["path"])), subs,
                            str(nodes[s].get("heading") or "")))
    return sorted(out, key=lambda i: _path_key(i.path))


def _path_key(path: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in path.split("."))


def _pillars(nodes: dict[str, dict[str, object]]) -> dict[str, str]:
    """path → pillar of the policy document's own sections (its headings are the pillars)."""
    paths = {s: str(r["path"]) for s, r in nodes.items()}
    records = [SectionRecord(path=paths[s], number="", heading=str(r.get("heading") or ""),
                             parent=paths.get(str(r["parent"])) if r.get("parent") else None,
                             span=Span(0, 0, 0, 0)) for s, r in nodes.items()]
    return assign_pillars(records)


def citing_documents(store: GraphStore, base: str, doc: str) -> set[str]:
    """Documents that cite ``doc`` directly or through documents they cite."""
    rows = _rows(store, base, f"SELECT DISTINCT ?d WHERE {{ ?d <http://data.europa.eu/eli/ontology#cites>+ <{doc}> . "
                              f"FILTER(?d != <{doc}>) }}")
    return {str(r["d"]) for r in rows}


def _terms(folded: str) -> Counter[str]:
    words = folded.split()
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


Vector = dict[str, float]


def _cosine(a: Vector, b: Vector) -> float:
    num = sum(v * b.get(t, 0.0) for t, v in a.items())
    den = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return num / den if den else 0.0


class Scorer:
    """TF-IDF cosine of a task with each item and its dash items, plus the heading and
    pillar evidence; the IDF-weighted containment of a task's words in an item is the
    evidence a link shows."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = list(items)
        self.item_terms = [set(_terms(fold_words(i.text))) for i in self.items]
        self.heading_terms = [set(_terms(fold_words(i.heading))) for i in self.items]
        self.sub_terms = [[set(_terms(fold_words(t))) for _, _, t in i.subs] for i in self.items]
        df: Counter[str] = Counter(t for terms in self.item_terms for t in terms)
        n = len(self.items)
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        self.unseen = math.log((n + 1) / 0.5)
        self.item_vectors = [self.vector(i.text) for i in self.items]
        self.unit_vectors = [[self.vector(t) for _, _, t in i.subs] or [self.item_vectors[k]]
                             for k, i in enumerate(self.items)]

    def weight(self, term: str) -> float:
        return max(0.0, self.idf.get(term, self.unseen))

    def vector(self, text: str) -> Vector:
        """Sublinear TF × IDF of the folded words and word pairs the items use."""
        counts = _terms(fold_words(text))
        return {t: (1.0 + math.log(c)) * self.weight(t) for t, c in counts.items() if t in self.idf}

    def lexical(self, terms: set[str], against: set[str]) -> tuple[float, list[str]]:
        """Share of the task's term weight found in ``against``, and the shared terms (word
        pairs first, the heavier first: they are the evidence a reader can check)."""
        total = sum(self.weight(t) for t in terms if t in self.idf)  # words no item uses don't dilute
        if total <= 0:
            return 0.0, []
        shared = sorted((t for t in terms if t in against), key=lambda t: (" " not in t, -self.weight(t), t))
        return sum(self.weight(t) for t in shared) / total, shared

    def lexical_features(self, task: TaskText, heading: str = "") -> tuple[list[float], ...]:
        """Per item, in item order: the TF-IDF cosine of the task with the item, the best with
        one of its dash items, the IDF-weighted share of the words of the ``heading`` the task
        is printed under in its own plan ("Đẩy mạnh chuyển đổi số … trong hoạt động của các cơ
        quan …") that the item contains, and whether the task's pillar is the item's."""
        vec = self.vector(task.text)
        head_terms = set(_terms(fold_words(heading))) if heading else set()
        tfidf = [_cosine(vec, v) for v in self.item_vectors]
        dash = [max(_cosine(vec, u) for u in units) for units in self.unit_vectors]
        head = [self.lexical(head_terms, terms)[0] if head_terms else 0.0 for terms in self.item_terms]
        pillar = [float(bool(task.pillar) and task.pillar == item.pillar) for item in self.items]
        return tfidf, dash, head, pillar

    def evidence(self, task: TaskText, k: int) -> list[str]:
        """The task's words and word pairs found in item ``k``, the decisive first."""
        return self.lexical(set(_terms(fold_words(task.text))), self.item_terms[k])[1]

    def best_sub(self, task: TaskText, k: int) -> str:
        """The dash item of item ``k`` the task matches best, when it stands out; else the item."""
        item = self.items[k]
        if not item.subs:
            return item.iri
        terms = set(_terms(fold_words(task.text)))
        ranked = sorted(((self.lexical(terms, st)[0], j) for j, st in enumerate(self.sub_terms[k])), reverse=True)
        if len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= SUB_MARGIN:
            return item.subs[ranked[0][1]][0]
        return item.iri


def title_shares(scorer: Scorer, heading: str) -> tuple[list[float], list[set[str]]]:
    """Per item: the IDF-weighted share of the heading's folded words and word pairs found in
    the item's title (0 for the items with no title a plan reuses: those without a pillar, and
    for a heading that is a configured part), and the shared terms."""
    n = len(scorer.items)
    folded = fold_words(heading)
    if not folded or folded in policy_config()[1]:
        return [0.0] * n, [set() for _ in range(n)]
    terms = set(_terms(folded))
    total = sum(scorer.weight(t) for t in terms)  # its words no item uses count too: "Hiệp hội Doanh nghiệp"
    if total <= 0:
        return [0.0] * n, [set() for _ in range(n)]
    shared = [terms & h if scorer.items[k].pillar else set() for k, h in enumerate(scorer.heading_terms)]
    return [sum(scorer.weight(t) for t in sh) / total for sh in shared], shared


def named_item(scorer: Scorer, heading: str) -> tuple[int, float, list[str]] | None:
    """(item index, share, shared words) of the item a plan's section heading names, or None.

    Plans often print their tasks under 57-NQ/TW's own item headings, shortened ("Hợp tác
    quốc tế", "Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài …"); such a heading
    says what every row under it serves, even when the row's own words are too generic to
    say it ("Tổ chức xúc tiến thương mại …"). Named: the IDF-weighted share of the heading's
    folded words and word pairs (those no item uses weigh most: an agency's name, "Hiệp hội
    Doanh nghiệp", is no item's title) found in the item's heading reaches ``NAMED_SHARE`` and beats
    the runner-up's by ``NAMED_GAP``, with at least ``NAMED_PAIRS`` word pairs of the title
    (a plan's "Yêu cầu", its requirements, is one pair of III.4's "… đáp ứng yêu cầu …"). Only the items that are task groups (a ``pk:Pillar``
    of the ontology, :mod:`plankg.ingest.build.pillars`: III.1–III.7) have a title a plan
    reuses; the items of "Tổ chức thực hiện" are paragraphs assigning work to named bodies
    ("Văn phòng Trung ương Đảng … theo dõi, kiểm tra …, báo cáo"), so a plan's "Chế độ báo
    cáo" would match one by its words, not by its title. A heading that is one of the
    configured parts ("Tổ chức thực hiện") names a part of the policy document, not an item."""
    shares, _ = title_shares(scorer, heading)
    ranked = sorted(((share, k) for k, share in enumerate(shares) if scorer.items[k].pillar),
                    key=lambda x: (-x[0], x[1]))
    if not ranked or ranked[0][0] <= 0:
        return None
    (share, k), runner = ranked[0], ranked[1][0] if len(ranked) > 1 else 0.0
    shared = scorer.lexical(set(_terms(fold_words(heading))), scorer.heading_terms[k])[1]
    pairs = sum(" " in t for t in shared)  # one shared phrase ("Yêu cầu", "đáp ứng yêu cầu") names no title
    if share >= NAMED_SHARE and share - runner >= NAMED_GAP and pairs >= NAMED_PAIRS:
        return k, share, shared
    return None


def plan_leaning(tasks: Sequence[TaskText], scores: Sequence[Sequence[float]]) -> dict[str, list[float]]:
    """document → the mean of its tasks' item scores, less that mean's mean over the items:
    what the plan as a whole is about (a feature of each of its tasks, :func:`pair_features`)."""
    by_doc: dict[str, list[Sequence[float]]] = {}
    for task, row in zip(tasks, scores):
        by_doc.setdefault(task.doc, []).append(row)
    out: dict[str, list[float]] = {}
    for doc, rows in by_doc.items():
        mean = [sum(col) / len(rows) for col in zip(*rows)]
        centre = sum(mean) / len(mean) if mean else 0.0
        out[doc] = [m - centre for m in mean]
    return out


def embedding_text(task: TaskText, heading: str = "") -> str:
    """What the embedder reads of a task: the heading it is printed under, then its text
    ("Hợp tác quốc tế. Tổ chức xúc tiến thương mại …"): a row's group heading says what the
    row is for more often than the row itself does."""
    return f"{heading}. {task.text}" if heading else task.text


def item_units(items: Sequence[Item]) -> list[tuple[int, str]]:
    """(item index, text) of each item's whole text and of each of its dash items."""
    return [(k, text) for k, item in enumerate(items) for text in (item.text, *(t for _, _, t in item.subs))]


def embedder_similarity(settings: Settings | None, prune: bool = True) -> Similarity | None:
    """The configured embedder's cosine of each task with each item (the best of the item's
    whole text and its dash items), vectors cached under ``<home>/section-vectors/``; None
    without settings. The function returns None when the embedder cannot load (the score
    then stays lexical). ``prune=False`` (an incremental re-linking, which embeds only the
    texts it re-links) keeps the cache file's other vectors."""
    if settings is None:
        return None
    home = settings.home / VECTOR_FOLDER

    def similarity(texts: Sequence[str], items: Sequence[Item]) -> list[list[float]] | None:
        units = item_units(items)
        vectors = text_vectors([*texts, *(t for _, t in units)], settings.embedder, home, prune=prune)
        if vectors is None:
            return None
        out = []
        for text in texts:
            row = [-1.0] * len(items)
            for k, unit in units:
                row[k] = max(row[k], float(vectors[text] @ vectors[unit]))
            out.append(row)
        return out

    return similarity


def _margin(a: np.ndarray) -> np.ndarray:
    """Each entry less the best other entry of its row: how far an item leads (or trails) the
    others on one kind of evidence."""
    if a.shape[1] < 2:
        return np.zeros_like(a)
    top = np.sort(a, axis=1)
    return a - np.where(a >= top[:, -1:], top[:, -2:-1], top[:, -1:])


def _centred(a: np.ndarray) -> np.ndarray:
    return a - a.mean(axis=1, keepdims=True)


def _per_document(a: np.ndarray, rows: Sequence[TaskText], own: int) -> np.ndarray:
    """``a`` over its standard deviation among the first ``own`` rows of the same document (a
    document's own tasks): per document, so the incremental upkeep stays exact."""
    out = np.zeros_like(a)
    docs = [t.doc for t in rows]
    for doc in set(docs):
        mine = [i for i, d in enumerate(docs) if d == doc]
        spread = float(a[[i for i in mine if i < own]].std()) if any(i < own for i in mine) else 0.0
        if spread > 0:
            out[mine] = a[mine] / spread
    return out


def pair_features(scorer: Scorer, rows: Sequence[TaskText], headings: Sequence[str],
                  cos: Sequence[Sequence[float]] | None, own: int,
                  head_cos: Sequence[Sequence[float] | None] | None = None,
                  doc_titles: dict[str, str] | None = None) -> dict[str, np.ndarray]:
    """Feature name → [rows × items] array: the evidence the learned scorer weighs.

    ``rows``: the tasks (the first ``own``), then units of plan parts standing in for the task
    that points to them; ``headings``: the heading each row is printed under; ``cos``: the
    embedder's cosines (None without one: the embedding features are 0).

    * ``tfidf``, ``dash``, ``heading``, ``pillar``: :meth:`Scorer.lexical_features`;
    * ``title``: the share of the heading's words in the item's title, ``named``: the heading
      names the item (:func:`named_item`), ``titled``: the item is a task group with a title;
    * ``heading_embed``: the embedder's cosine of the heading alone (``head_cos``), centred:
      a sector scheme's own group heading ("Phát triển hạ tầng dữ liệu …") read as a sentence;
    * ``embed``: the embedder's cosine less its mean over the items (``embed_doc``: that over
      its spread among the document's own tasks, a per-document normalisation: a sector
      scheme's cosines lie closer together), ``embed_margin`` and
      ``lex_margin`` (TF-IDF + dash cosines): how far the item leads the best other one;
    * ``plan_*``: the plan's leaning (:func:`plan_leaning`) on each kind of evidence, the mean
      over the document's tasks, centred over the items;
    * ``group_*``: the mean over the other tasks printed under the same heading of their
      centred evidence (a plan prints the tasks of one purpose together); none for a heading
      that is a configured part ("Tổ chức thực hiện": the plan's own organisation) or for the
      plan's own administration (:func:`serves_no_item`);
    * ``doc_title``: the TF-IDF cosine of the title of the task's document (``doc_titles``:
      document → title) with the item, centred over the items: what the whole document is
      about ("Quy chế … Hệ thống thư điện tử công vụ", "Quy định … hạ tầng kỹ thuật viễn
      thông thụ động"), evidence of its own that a duty printed under "Trách nhiệm của Sở …"
      lacks. One title per document, so the incremental upkeep stays exact;
    * ``learned``: left 0 here; a model with learned term weights (``section_model.TermModel``)
      scores it from ``text``, each row's text with its heading (:func:`embedding_text`), a
      1-D array of strings.

    Everything is per document, so the incremental upkeep (which re-links whole documents)
    gives what a full recompute gives."""
    n, m = len(rows), len(scorer.items)
    f = {name: np.zeros((n, m)) for name in FEATURES}
    f["titled"][:] = [1.0 if item.pillar else 0.0 for item in scorer.items]
    f[TEXT] = np.array([embedding_text(t, h) for t, h in zip(rows, headings)], dtype=object)
    titles: dict[str, tuple[list[float], int | None]] = {}
    for i, (task, heading) in enumerate(zip(rows, headings)):
        f["tfidf"][i], f["dash"][i], f["heading"][i], f["pillar"][i] = scorer.lexical_features(task, heading)
        if heading not in titles:
            named = named_item(scorer, heading)
            titles[heading] = (title_shares(scorer, heading)[0], named[0] if named else None)
        f["title"][i], k = titles[heading]
        if k is not None:
            f["named"][i, k] = 1.0
        if cos is not None:
            f["embed"][i] = np.asarray(cos[i], dtype=float)
        if head_cos is not None and head_cos[i] is not None:
            f["heading_embed"][i] = np.asarray(head_cos[i], dtype=float)
    by_title = {d: [_cosine(scorer.vector(t), v) for v in scorer.item_vectors] for d, t in (doc_titles or {}).items()}
    for i, task in enumerate(rows):
        if task.doc in by_title:
            f["doc_title"][i] = by_title[task.doc]
    f["doc_title"] = _centred(f["doc_title"])
    f["embed"], f["heading_embed"] = _centred(f["embed"]), _centred(f["heading_embed"])
    f["embed_doc"] = _per_document(f["embed"], rows, own)
    lex = f["tfidf"] + f["dash"]
    f["lex_margin"], f["embed_margin"] = _margin(lex), _margin(f["embed"])
    docs = [t.doc for t in rows]
    for name in ("tfidf", "dash", "heading", "embed"):
        lean = plan_leaning(rows[:own], f[name][:own].tolist())
        f[f"plan_{name}"] = np.array([lean.get(d, [0.0] * m) for d in docs]).reshape(n, m)
    parts = policy_config()[1]
    members: dict[tuple[str, str], list[int]] = {}
    for i, (task, heading) in enumerate(zip(rows[:own], headings[:own])):
        if heading and fold_words(heading) not in parts and not serves_no_item(task.text):
            members.setdefault((task.doc, heading), []).append(i)
    for name, source in (("group_lex", _centred(lex)), ("group_embed", f["embed"])):
        for i, (task, heading) in enumerate(zip(rows, headings)):
            others = [j for j in members.get((task.doc, heading), []) if j != i]
            if others:
                f[name][i] = source[others].mean(axis=0)
    return f


def rank_items(tasks: Sequence[TaskText], items: Sequence[Item], *, headings: dict[str, str] | None = None,
               similarity: Similarity | None = None, extra: Sequence[tuple[TaskText, str]] = (),
               model: PairModel | None = None) -> tuple[Scorer, list[list[tuple[float, int]]], bool]:
    """For each task, (probability, item index) for every item, best first (ties in item
    order), from the stored model (``model`` overrides it: the training script's folds); and
    whether the embedder's cosine took part. ``extra``: (text, heading) scored like a task of
    its document (the part of a plan a task points to) after the tasks, with the plan's
    leaning of ``tasks`` but not counted in it; their rows follow the tasks' rows."""
    scorer, table, embedded = feature_table(tasks, items, headings=headings, similarity=similarity, extra=extra)
    model = model or load_models()["embedding" if embedded else "lexical"]
    ranked = _ranked(model.probabilities(table))
    return scorer, ranked, embedded


def _ranked(probs: np.ndarray) -> list[list[tuple[float, int]]]:
    """Each row's (probability, item index), best first, ties in item order."""
    return [sorted(((round(float(p), 4), k) for k, p in enumerate(row)), key=lambda x: (-x[0], x[1]))
            for row in probs]


def feature_table(tasks: Sequence[TaskText], items: Sequence[Item], *, headings: dict[str, str] | None = None,
                  similarity: Similarity | None = None,
                  extra: Sequence[tuple[TaskText, str]] = ()) -> tuple[Scorer, dict[str, np.ndarray], bool]:
    """The scorer, the (task, item) features of ``tasks`` then ``extra`` (:func:`pair_features`),
    and whether the embedder's cosine took part."""
    heads = headings or {}
    scorer = Scorer(items)
    rows = [*tasks, *(t for t, _ in extra)]
    row_heads = [heads.get(t.iri, "") for t in tasks] + [h for _, h in extra]
    texts = [embedding_text(t, h) for t, h in zip(rows, row_heads)]
    heading_texts = sorted({h for h in row_heads if h})
    cos = similarity([*texts, *heading_texts], items) if similarity else None
    head_cos = None
    if cos is not None:
        by_heading = dict(zip(heading_texts, cos[len(texts):]))
        head_cos = [by_heading.get(h) for h in row_heads]
        cos = cos[:len(texts)]
    doc_titles = heads.titles if isinstance(heads, TaskHeadings) else None
    return scorer, pair_features(scorer, rows, row_heads, cos, len(tasks), head_cos, doc_titles), cos is not None


def align_sections(tasks: Sequence[TaskText], items: Sequence[Item], *, headings: dict[str, str] | None = None,
                   threshold: float | None = None, margin: float | None = None,
                   similarity: Similarity | None = None, second: bool = False,
                   model: PairModel | None = None) -> list[SectionLink]:
    """The kept links of ``tasks`` to ``items``, in a stable order: each task's best item when
    its probability reaches ``threshold`` and beats the runner-up's by ``margin`` (the stored
    model's operating point, with or without the embedder, unless given). A near tie is left
    unlinked; with ``second``, both items of a near tie that reach the threshold are linked (a
    measured variant, off in the pipeline)."""
    if not items or not tasks:
        return []
    heads = headings if headings is not None else {}
    part_tasks = _part_tasks(tasks, heads.parts if isinstance(heads, TaskHeadings) else {})
    scorer, table, embedded = feature_table(tasks, items, headings=heads, similarity=similarity,
                                            extra=[(t, heading) for t, _, heading in part_tasks])
    model = model or load_models()["embedding" if embedded else "lexical"]
    ranked = _ranked(model.probabilities(table))
    method = METHOD if embedded else METHOD_LEXICAL
    threshold = model.threshold if threshold is None else threshold
    margin = model.margin if margin is None else margin
    second = second or model.second
    named = {h: named_item(scorer, h) for h in sorted({heads.get(t.iri, "") for t in tasks})} \
        if model.heading_rule else {}
    by_part = _part_links(scorer, part_tasks, ranked[len(tasks):], threshold, margin)
    links: list[SectionLink] = []
    for task, row in zip(tasks, ranked):
        if serves_no_item(task.text):  # the plan's own administration
            continue
        kept = _own_links(row, threshold, margin, second)
        links += [SectionLink(task.iri, scorer.best_sub(task, i), s, ", ".join(scorer.evidence(task, i)[:6]), method)
                  for s, i in kept]
        own = {x.section for x in links if x.task == task.iri}
        pointed = [x for x in by_part.get(task.iri, []) if not any(s == x.section or s.startswith(x.section + "-")
                                                                    for s in own)]
        links += pointed
        inherited = named.get(heads.get(task.iri, ""))
        if not kept and not pointed and inherited is not None:  # no link of its own: its heading's item
            k, share, shared = inherited
            links.append(SectionLink(task.iri, scorer.best_sub(task, k), round(share, 4), ", ".join(shared[:6]),
                                     METHOD_HEADING))
    return sorted(links, key=lambda x: (x.task, x.section))


def _part_tasks(tasks: Sequence[TaskText], parts: dict[str, tuple[PlanPart, ...]]) -> list[tuple[TaskText, PlanPart, str]]:
    """(a unit of a part standing in for the task that points to it, the part, the unit's
    heading), for each unit of each part a task points to."""
    return [(TaskText(t.iri, t.doc, text, t.pillar, t.due_year), part, heading)
            for t in tasks for part in parts.get(t.iri, ()) for heading, text in part.units]


def _part_links(scorer: Scorer, part_tasks: Sequence[tuple[TaskText, PlanPart, str]],
                ranked: Sequence[Sequence[tuple[float, int]]], threshold: float,
                margin: float) -> dict[str, list[SectionLink]]:
    """task → the links the parts it points to give it. Each unit of a part is scored as a
    task of the plan; the part serves the item that more than half of its units rank first,
    when at least one unit's link to it is kept at the operating point (so one weak unit, or
    a part whose units are split between items, gives none)."""
    votes: dict[tuple[str, str], list[tuple[int, bool, TaskText]]] = {}
    for (unit, part, _), row in zip(part_tasks, ranked):
        kept = {i for _, i in _own_links(row, threshold, margin, False)}
        votes.setdefault((unit.iri, part.path), []).append((row[0][1], row[0][1] in kept, unit))
    out: dict[str, list[SectionLink]] = {}
    for (task, path), voted in votes.items():
        k, n = Counter(i for i, _, _ in voted).most_common(1)[0]
        section = scorer.items[k].iri
        if 2 * n <= len(voted) or not any(ok for i, ok, _ in voted if i == k) \
                or section in {x.section for x in out.get(task, [])}:
            continue
        words = Counter(w for i, _, unit in voted if i == k for w in scorer.evidence(unit, i)[:3])
        evidence = f"{path} ({n}/{len(voted)}): " + ", ".join(w for w, _ in words.most_common(6))
        out.setdefault(task, []).append(SectionLink(task, section, round(n / len(voted), 4), evidence, METHOD_PART))
    return out


def _own_links(row: Sequence[tuple[float, int]], threshold: float, margin: float,
               second: bool) -> list[tuple[float, int]]:
    """The (score, item) a task's own score keeps: the best item when it reaches the threshold
    and beats the runner-up by the margin; a near tie, both items with ``second``, else none."""
    (best, k), (runner, j) = row[0], row[1] if len(row) > 1 else (0.0, -1)
    if best < threshold:
        return []
    if best - runner >= margin:
        return [(best, k)]
    return [(best, k), (runner, j)] if second and runner >= threshold else []


def task_headings(store: GraphStore, base: str, docs: Iterable[str] | None = None) -> TaskHeadings:
    """task → the heading of the section it is printed in (its plan's group of tasks), with
    the parts of its own plan each task points to (:func:`plan_parts`); only the tasks of
    ``docs`` when given (an incremental re-linking reads what it re-links)."""
    only = "" if docs is None else "VALUES ?doc { " + " ".join(f"<{d}>" for d in sorted(docs)) + " } ?t pk:inDocument ?doc . "
    rows = _rows(store, base, "SELECT ?t (SAMPLE(?h) AS ?heading) WHERE { " + only + "?t a pk:Task ; pk:inSection ?s . "
                              "?s pk:heading ?h } GROUP BY ?t")
    titles = _rows(store, base, "SELECT ?doc (SAMPLE(?title) AS ?t) WHERE { " + only.replace("?t pk:inDocument ?doc . ", "")
                                + "?task a pk:Task ; pk:inDocument ?doc . ?doc <http://data.europa.eu/eli/ontology#title> ?title }"
                                  " GROUP BY ?doc")
    return TaskHeadings({str(r["t"]): str(r["heading"]) for r in rows}, plan_parts(store, base, docs),
                        {str(r["doc"]): str(r["t"]) for r in titles})


def scoring_similarity(settings: Settings | None, prune: bool = True) -> Similarity | None:
    """The cosines the pipeline scores with: the configured embedder's when the stored default
    model is the one with the embedder (``section_model.default_variant``), else none (the
    lexical model: the embedder is not loaded)."""
    return embedder_similarity(settings, prune) if default_variant() == "embedding" else None


def pipeline_method() -> str:
    """The method a task's own link gets in the pipeline when the embedder loads (or is not
    needed): ``METHOD`` with the embedder's model as the default, else ``METHOD_LEXICAL``."""
    return METHOD if default_variant() == "embedding" else METHOD_LEXICAL


def compute_section_links(store: GraphStore, base: str, settings: Settings | None = None) -> list[SectionLink]:
    """Links of every task whose document cites (transitively) a configured policy document;
    with ``settings``, scored with the configured embedder too when the default model uses it
    (:func:`scoring_similarity`)."""
    documents, _ = policy_config()
    similarity = scoring_similarity(settings)
    tasks = read_tasks(store, base)
    links: list[SectionLink] = []
    for path in documents:
        doc = base + path
        items = read_items(store, base, doc)
        if not items:
            continue
        citing = citing_documents(store, base, doc)
        candidates = [t for d in sorted(citing) for t in tasks.get(d, [])]
        links += align_sections(candidates, items, headings=task_headings(store, base), similarity=similarity)
    return links


def links_graph(links: Sequence[SectionLink]) -> rdflib.Graph:
    """``pk:servesSection`` shortcuts and their qualified ``pk:SectionAlignment`` form."""
    g = rdflib.Graph()
    g.bind("pk", PK)
    terms = (PK.servesSection, PK.SectionAlignment, PK.servingTask, PK.servedSection)
    for link in links:
        add_qualified_link(g, link.task, link.section, "serves", terms, link.score, link.method, link.evidence)
    return g


def refresh_section_alignment(store: GraphStore, base: str, settings: Settings | None = None) -> int:
    """The assembly hook: recompute ``graph/section-alignment`` from the merged view; returns
    the link count. Called after the merged view is written and before ``refresh_inferred``."""
    links = compute_section_links(store, base, settings)
    store.replace_graph(iris.section_alignment_graph_iri(base), links_graph(links))
    return len(links)
