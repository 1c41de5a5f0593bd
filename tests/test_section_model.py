"""The stored section scorer's forms (logistic, softmax, interaction terms) and the training
loader's guard on the held-out split of round 3 (``split_rule_round3``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from benchmarks.section_alignment_eval import HELD_OUT, load_gold, training_gold
from plankg.ingest.build.section_model import PairModel, feature_column, load_models


def _table(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"a": rng.normal(size=(5, 13)), "b": rng.normal(size=(5, 13)), "c": rng.normal(size=(5, 13))}


def test_an_interaction_term_is_the_product_of_its_features() -> None:
    table = _table()
    assert np.array_equal(feature_column(table, "a*b"), table["a"] * table["b"])
    assert np.allclose(feature_column(table, "a*b*c"), table["a"] * table["b"] * table["c"])
    with pytest.raises(KeyError):
        feature_column(table, "a*missing")


def test_a_softmax_model_shares_one_unit_of_probability_among_a_tasks_items_in_the_logistics_order() -> None:
    table = _table(1)
    logistic = PairModel(("a", "b", "a*c"), (0.1, -0.2, 0.0), (1.0, 2.0, 0.5), (1.5, -0.7, 0.3), -0.4, 0.5, 0.0)
    softmax = dataclasses.replace(logistic, kind="softmax")
    p, q = logistic.probabilities(table), softmax.probabilities(table)
    assert np.allclose(q.sum(axis=1), 1.0) and not np.allclose(p.sum(axis=1), 1.0)
    assert (np.argsort(-p, axis=1) == np.argsort(-q, axis=1)).all()  # the same linear score, another link


def test_the_stored_models_name_features_the_aligner_computes() -> None:
    from plankg.ingest.build.section_alignment import FEATURES

    for model in load_models().values():
        assert model.kind in ("logistic", "softmax")
        assert all(part in FEATURES for name in model.features for part in name.split("*"))
        assert len(model.features) == len(model.coef) == len(model.mean) == len(model.scale)


def test_the_training_loader_never_reads_a_held_out_label() -> None:
    """The held-out split (``split_rule_round4``: heldout4) is refused by the training loader, and
    no label of a held-out task survives in what it returns; the retired splits (heldout2,
    heldout3) are training data."""
    gold = load_gold()
    with pytest.raises(ValueError, match="held out"):
        training_gold(gold, ("dev", "dev3", *HELD_OUT))
    kept = training_gold(gold, ("dev", "heldout", "heldout2", "dev3", "heldout3"))
    by_name = {d["name"]: d for d in kept["documents"]}
    held = {(d["name"], path) for d in gold["documents"] for h in HELD_OUT for path in d.get(h, ())}
    assert not held & {(name, path) for name, d in by_name.items() for path in d["labels"]}
    round3 = [d for d in gold["documents"] if d.get("heldout3")]
    assert round3, "the round-3 documents (dev3/heldout3) are in the gold"
    for doc in round3:
        assert set(by_name[doc["name"]]["labels"]) == set(doc["dev3"]) | set(doc["heldout3"])


def test_learned_term_weights_score_the_normalised_tf_idf_of_a_texts_folded_words_and_pairs() -> None:
    """A :class:`TermModel` scores a text as its training's vectoriser reads it: the folded words
    and word pairs, sublinear TF × IDF, L2-normalised, dotted with each item's weights plus its
    intercept, centred over the items; terms outside its vocabulary count for nothing, and the
    stored form gives the same model back."""
    from plankg.ingest.build.section_model import TermModel, term_counts, term_model_from_dict

    assert term_counts("Thanh toán số, thanh toán") == {"thanh": 2, "toan": 2, "so": 1, "thanh toan": 2,
                                                         "toan so": 1, "so thanh": 1}
    model = TermModel(("thanh toan", "so", "tuyen truyen"), (1.5, 1.0, 2.0),
                      ((1.0, -1.0, 0.0), (0.0, 0.5, 0.0), (0.0, 0.0, 2.0)), (0.1, 0.2, -0.3))
    scores = model.scores(["Thanh toán số, thanh toán", "Không từ nào"])
    w = np.array([(1 + np.log(2)) * 1.5, 1.0])
    w /= np.linalg.norm(w)
    raw = np.array([w[0] * 1.0, w[0] * -1.0 + w[1] * 0.5, 0.0]) + [0.1, 0.2, -0.3]
    assert np.allclose(scores[0], raw - raw.mean())
    assert np.allclose(scores[1], np.array([0.1, 0.2, -0.3]) - 0.0)  # no known term: the intercepts alone
    again = term_model_from_dict(model.as_dict())
    assert np.allclose(again.scores(["Thanh toán số, thanh toán"]), scores[:1])


def test_a_model_with_term_weights_scores_the_feature_learned_from_the_rows_text() -> None:
    """The feature ``learned`` of a model with term weights comes from the table's row texts,
    whatever the table holds under that name (the aligner leaves it 0)."""
    from plankg.ingest.build.section_model import LEARNED, TEXT, TermModel

    terms = TermModel(("so",), (1.0,), ((1.0, -1.0),), (0.0, 0.0))
    model = PairModel((LEARNED,), (0.0,), (1.0,), (2.0,), 0.0, 0.5, 0.0, kind="softmax", terms=terms)
    table = {LEARNED: np.zeros((2, 2)), TEXT: np.array(["số", "khác"], dtype=object)}
    p = model.probabilities(table)
    assert p[0, 0] > 0.9 and np.allclose(p[1], 0.5)


def test_the_term_weights_are_stored_once_and_shared_by_every_model_that_scores_learned() -> None:
    """``section_scorer.yaml`` holds the learned term weights once (its top-level ``terms``); each
    model whose features name ``learned`` gets that one fit, and a model stored in the older form
    (its own copy under ``terms``) loads to the same model."""
    import yaml

    from plankg.ingest.build.section_model import LEARNED, MODEL_FILE, model_from_dict, term_model_from_dict

    data = yaml.load(MODEL_FILE.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert not any("terms" in m for m in data["models"].values())
    shared = term_model_from_dict(data["terms"])
    models = load_models()
    for name, stored in data["models"].items():
        uses = any(LEARNED in f.split("*") for f in stored["features"])
        assert (models[name].terms is not None) == uses
        if uses:
            assert models[name].terms == shared
            assert model_from_dict({**stored, "terms": data["terms"]}) == models[name]  # the older form
    assert any(m.terms is not None for m in models.values())


def test_the_pipeline_scores_with_the_stored_default_model(monkeypatch) -> None:
    """The stored ``default`` names a stored model; with ``lexical`` the pipeline asks for no
    embedder (its links are the same wherever it runs) and its own links carry the lexical
    method; with ``embedding`` it uses the configured embedder. A default naming no stored
    model is an error, not a silent fallback."""
    from plankg.ingest.build import section_alignment as sa
    from plankg.ingest.build import section_model as sm

    assert sm.default_variant() in load_models()
    asked: list[object] = []
    monkeypatch.setattr(sa, "embedder_similarity", lambda settings, prune=True: asked.append(settings) or "cosines")
    monkeypatch.setattr(sa, "default_variant", lambda: "lexical")
    assert sa.scoring_similarity("settings") is None and not asked and sa.pipeline_method() == sa.METHOD_LEXICAL
    monkeypatch.setattr(sa, "default_variant", lambda: "embedding")
    assert sa.scoring_similarity("settings") == "cosines" and asked == ["settings"] and sa.pipeline_method() == sa.METHOD
    monkeypatch.setattr(sm, "_stored", lambda: {"default": "no-such-model"})
    with pytest.raises(ValueError, match="no-such-model"):
        sm.default_variant()
