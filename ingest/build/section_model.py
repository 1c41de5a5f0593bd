"""The learned scorer of the section alignment: a logistic model over (task, item) features.

Why learned: the hand-set sum the aligner used until v5 (TF-IDF cosines, heading share × 0.3,
pillar 0.15, 12 × embedding cosine, plan leaning, threshold 1.15) was fitted by hand to
provincial plans whose group headings repeat 57-NQ/TW's titles, and did not carry to sector
schemes with headings of their own. The weights are now fitted by
``benchmarks/section_alignment_train.py`` (scikit-learn's ``LogisticRegression`` over the
features :func:`plankg.ingest.build.section_alignment.pair_features` computes, on the hand-read
tasks of the gold's development splits only) and stored in
``ontology/registry/section_scorer.yaml`` with the operating point chosen by leave-one-
document-out cross-validation. At run time only a dot product and a logistic are needed
(numpy), so scikit-learn stays a dependency of the training script alone.

Two models: ``embedding`` (with the configured embedder's cosines) and ``lexical``, each with
its own features and operating point; the file's ``default`` names the one the pipeline scores
with (:func:`default_variant`: ``lexical`` at stop 20, ``embedding`` again since stop 21, each
chosen on leave-one-document-out figures, docs/ontology.md; with ``embedding``, the lexical
model is the fallback when no embedder loads).

Since v8 (2026-12-07, h14u) a model may be a **softmax** over a task's items (``kind``: a
conditional logit, whose probabilities of one task's items sum to one, so a task whose evidence
is split between two items is less sure of either) instead of a logistic per pair, and its
terms may include **products** of two features ("embed*titled": the embedder's evidence
weighs differently for the task groups III.x than for the paragraphs of IV). Both stay a dot
product, so the stored form is the same: the training's leave-one-document-out chooses.

Since v9 (2026-12-07, h14r) a model may carry **learned term weights** (:class:`TermModel`, the
``terms`` entry of a stored model): a one-vs-rest logistic model per item over the TF-IDF of
the folded words and word pairs of the task with its heading, fitted on the hand-read tasks
themselves. Its score is the feature ``learned``. Why: 57-NQ/TW's items are written in policy
prose, the tasks in plan prose; which plan words go with which item ("thanh toán không dùng
tiền mặt" with III.6, "tuyên truyền" with III.1, "kỹ năng số" with III.4) is learned from the
tasks a reader labelled, not read off the item's own words. Still a dot product per item
(numpy), stored in YAML with its vocabulary.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import yaml

from plankg.folding import fold_words
from plankg.ontology import REGISTRY_DIR

MODEL_FILE = REGISTRY_DIR / "section_scorer.yaml"
#: the feature a model's learned term weights give (:class:`TermModel`), and the table's entry
#: holding each row's text (the task with its heading) it reads
LEARNED = "learned"
TEXT = "text"


def term_counts(text: str) -> Counter[str]:
    """The folded words and word pairs of ``text``, counted: what the term weights read (the
    training's vectoriser uses this same function, so run time and training agree)."""
    words = fold_words(text).split()
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


@dataclass(frozen=True)
class TermModel:
    """Learned term weights: per item, a logistic model's coefficients over the L2-normalised
    sublinear TF × IDF vector of a text's terms (:func:`term_counts`), fitted one item against
    the rest on the hand-read tasks. ``terms`` and ``idf`` are the vocabulary (terms of at least
    a few training tasks), ``coef`` [terms × items], ``intercept`` [items]."""

    terms: tuple[str, ...]
    idf: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def scores(self, texts: "list[str] | np.ndarray") -> np.ndarray:
        """[texts × items] decision values, centred over the items (a task's leaning, not its
        scale)."""
        index, idf, coef = self._arrays
        out = np.zeros((len(texts), len(self.intercept)))
        for i, text in enumerate(texts):
            counts = {index[t]: c for t, c in term_counts(str(text)).items() if t in index}
            if counts:
                cols = np.fromiter(counts, dtype=int)
                w = np.array([(1.0 + math.log(counts[j])) * idf[j] for j in cols])
                out[i] = (w / np.linalg.norm(w)) @ coef[cols]
        out += np.asarray(self.intercept)
        return np.asarray(out - out.mean(axis=1, keepdims=True))

    @cached_property
    def _arrays(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        return {t: j for j, t in enumerate(self.terms)}, np.asarray(self.idf), np.asarray(self.coef)

    def as_dict(self) -> dict:
        """The stored form: one line per term, ``term: [idf, coef per item]``."""
        return {"intercept": [round(float(v), 5) for v in self.intercept],
                "weights": {t: [round(float(self.idf[j]), 4), *(round(float(c), 4) for c in self.coef[j])]
                            for j, t in enumerate(self.terms)}}


def term_model_from_dict(data: dict) -> TermModel:
    """A :class:`TermModel` from its stored form (:meth:`TermModel.as_dict`)."""
    weights = data["weights"]
    return TermModel(tuple(weights), tuple(float(v[0]) for v in weights.values()),
                     tuple(tuple(float(c) for c in v[1:]) for v in weights.values()),
                     tuple(float(v) for v in data["intercept"]))


@dataclass(frozen=True)
class PairModel:
    """A fitted logistic model: standardised features (``mean``, ``scale``) · ``coef`` +
    ``intercept`` through a logistic (``kind`` "logistic") or a softmax over the task's items
    ("softmax"), and the operating point (a task's best item is linked when its probability
    reaches ``threshold`` and beats the runner-up's by ``margin``)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    margin: float
    heading_rule: bool = True  # a task with no link of its own inherits the item its heading names
    second: bool = False  # a near tie (both items at the threshold, within the margin) links both
    #: "logistic": each (task, item) pair's own probability; "softmax": the probabilities of a
    #: task's items sum to one (a conditional logit, fitted on the task's items together: the
    #: evidence of one item counts against the others, as a reader weighs them)
    kind: str = "logistic"
    #: learned term weights (v9): the feature ``learned``, computed from the table's row texts
    terms: TermModel | None = None

    def probabilities(self, table: dict[str, np.ndarray]) -> np.ndarray:
        """[rows × items] probability that the item is one the task serves, from the feature
        ``table`` (feature name → [rows × items] array; ``text``: each row's text, which the
        model's term weights score into the feature ``learned``)."""
        if self.terms is not None:
            table = {**table, LEARNED: self.terms.scores(table[TEXT])}
        x = np.stack([feature_column(table, f) for f in self.features], axis=-1)
        z = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef) + self.intercept
        if self.kind == "softmax":
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            return np.asarray(e / e.sum(axis=-1, keepdims=True))
        return np.asarray(1.0 / (1.0 + np.exp(-z)))


def feature_column(table: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A feature's [rows × items] array: a name of the table, or an interaction "a*b" (the
    product of two of them: a logistic model stays linear in its stored terms)."""
    if "*" in name:
        a, b = name.split("*", 1)
        return table[a] * feature_column(table, b)
    return table[name]


def model_from_dict(data: dict, terms: TermModel | None = None) -> PairModel:
    """A model from its stored form (one entry of ``section_scorer.yaml``'s ``models``).
    ``terms``: the file's shared term weights, which a model whose features name ``learned``
    scores with (a model's own ``terms`` entry, the form before stop 20, wins)."""
    own = term_model_from_dict(data["terms"]) if data.get("terms") else None
    uses = any(LEARNED in name.split("*") for name in data["features"])
    return PairModel(tuple(data["features"]), tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                     tuple(map(float, data["coef"])), float(data["intercept"]), float(data["threshold"]),
                     float(data["margin"]), bool(data.get("heading_rule", True)), bool(data.get("second", False)),
                     str(data.get("kind", "logistic")), own or (terms if uses else None))


@lru_cache(maxsize=1)
def _stored() -> dict:
    # the C loader when libyaml is there: the term weights make the file a few thousand lines
    return dict(yaml.load(MODEL_FILE.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


@lru_cache(maxsize=1)
def load_models() -> dict[str, PairModel]:
    """``embedding`` and ``lexical`` models from ``section_scorer.yaml``. The learned term weights
    are stored once (its top-level ``terms``: words only, so both models share one fit) and lent
    to each model that scores ``learned``."""
    data = _stored()
    terms = term_model_from_dict(data["terms"]) if data.get("terms") else None
    return {name: model_from_dict(m, terms) for name, m in data["models"].items()}


def default_variant() -> str:
    """The model the pipeline scores with: ``lexical`` or ``embedding`` (the stored ``default``,
    chosen by the training's leave-one-document-out figures; ``embedding`` in files written
    before stop 20). With ``lexical`` the pipeline does not load the embedder at all, so its
    links are the same wherever it runs; with ``embedding`` the lexical model stays the
    fallback for a machine where the embedder cannot load."""
    variant = str(_stored().get("default", "embedding"))
    if variant not in load_models():
        raise ValueError(f"section_scorer.yaml: default {variant!r} names no stored model")
    return variant


def model_stamp() -> str:
    """A digest of the stored models: the links depend on them, so a retrained model re-links
    every task (the incremental upkeep compares it)."""
    return hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()[:16]
