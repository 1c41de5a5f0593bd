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

Two models: ``embedding`` (with the configured embedder's cosines) and ``lexical`` (the
fallback when no embedder loads), each with its own features and operating point.

Since v8 (2026-12-07, h14u) a model may be a **softmax** over a task's items (``kind``: a
conditional logit, whose probabilities of one task's items sum to one, so a task whose evidence
is split between two items is less sure of either) instead of a logistic per pair, and its
terms may include **products** of two features ("embed*titled": the embedder's evidence
weighs differently for the task groups III.x than for the paragraphs of IV). Both stay a dot
product, so the stored form is the same: the training's leave-one-document-out chooses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import yaml

from plankg.ontology import REGISTRY_DIR

MODEL_FILE = REGISTRY_DIR / "section_scorer.yaml"


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

    def probabilities(self, table: dict[str, np.ndarray]) -> np.ndarray:
        """[rows × items] probability that the item is one the task serves, from the feature
        ``table`` (feature name → [rows × items] array)."""
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


def model_from_dict(data: dict) -> PairModel:
    """A model from its stored form (one entry of ``section_scorer.yaml``'s ``models``)."""
    return PairModel(tuple(data["features"]), tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                     tuple(map(float, data["coef"])), float(data["intercept"]), float(data["threshold"]),
                     float(data["margin"]), bool(data.get("heading_rule", True)), bool(data.get("second", False)),
                     str(data.get("kind", "logistic")))


@lru_cache(maxsize=1)
def load_models() -> dict[str, PairModel]:
    """``embedding`` and ``lexical`` models from ``section_scorer.yaml``."""
    data = yaml.safe_load(MODEL_FILE.read_text("utf-8"))
    return {name: model_from_dict(m) for name, m in data["models"].items()}


def model_stamp() -> str:
    """A digest of the stored models: the links depend on them, so a retrained model re-links
    every task (the incremental upkeep compares it)."""
    return hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()[:16]
