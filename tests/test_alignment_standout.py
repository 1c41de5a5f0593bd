"""The standout rule of the alignment score (#14) and the fragment floor of its lexical part,
on real documents the rule was not tuned on.

The rule (ingest/build/alignment_score.py ``stands_out``): a lower task's best candidate is
kept below the threshold when its score stands ``STANDOUT_Z`` standard deviations above the
tasks of its own document. It was tuned on the development half of the seeds' gold; here the
ward plan (seed 002, phường Bình Phước, Đồng Nai) also has among its candidates two plans of
its province it does not carry out, both in tests/data/corpus: 179/KH-UBND (digital economy
and society 2026–2030, issued in November 2025, after the ward plan) and 182/KH-UBND (drug
prevention). Neither may add a link to the province plan it does carry out (seed 000) or take
one away, except where a ward task's best candidate is a task of the other plan (the best
candidate wins; at most a stray link), and the unrelated one gets no link.
"""

from __future__ import annotations

import numpy as np
import pytest

from plankg.folding import fold_words
from plankg.ingest.build import alignment as al
from plankg.ingest.build.alignment_evidence import read_evidence
from plankg.ingest.build.alignment_score import METHOD_STANDOUT, STANDOUT_MIN_POOL, stands_out
from plankg.ingest.build.alignment_vectors import text_vectors
from plankg.store.read.queries import PREFIXES, run_query
from tests.conftest import REPO, seed_path

CORPUS = REPO / "tests" / "data" / "corpus"
DIGITAL, DRUGS = CORPUS / "f004d93b21e7fc5f.md", CORPUS / "f069c23c942c1ec6.md"


@pytest.fixture(scope="module")
def wider(tmp_path_factory: pytest.TempPathFactory):
    """Seeds 000–002 with the two Đồng Nai plans: (store, settings, docs by source, tasks,
    evidence, vectors)."""
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    mp = pytest.MonkeyPatch()
    mp.setenv("PLANKG_HOME", str(tmp_path_factory.mktemp("standout")))
    settings = load_settings()
    store = open_store(settings)
    seeds = [str(seed_path(p)) for p in ("000", "001", "002")]  # 001: the OCR copy of 000, as the benchmark
    Workspace(settings, store).ingest([*seeds, str(DIGITAL), str(DRUGS)])
    mp.undo()
    base = settings.base_iri
    docs = {str(r["f"]): str(r["d"]) for r in run_query(store, settings, PREFIXES + """SELECT ?d (MIN(?f0) AS ?f) WHERE {
        ?d pk:hasRendition/pk:sourceFile ?f0 } GROUP BY ?d""").records()}
    docs = {name[:3] if name[:3].isdigit() else name.split(".")[0]: d for name, d in docs.items()}
    tasks = al.read_tasks(store, base)
    evidence = read_evidence(store, base, al.document_localities(store, base)[1])
    vectors = text_vectors(sorted({t.text for ts in tasks.values() for t in ts}), settings.embedder, settings.home)
    assert vectors is not None, "the configured embedder must load for these tests"
    yield store, settings, docs, tasks, evidence, vectors
    store.close()


@pytest.mark.slow
def test_the_ward_plan_has_the_unrelated_plans_among_its_candidates(wider) -> None:
    store, settings, docs, *_ = wider
    cands = al.candidate_documents(store, settings.base_iri, set(docs.values()))
    assert cands[docs["002"]] == {docs["000"], docs[DIGITAL.stem], docs[DRUGS.stem]}


@pytest.mark.slow
def test_other_candidate_plans_change_no_link_to_the_plan_carried_out(wider) -> None:
    _, _, docs, tasks, evidence, vectors = wider
    ward, prov = docs["002"], docs["000"]
    alone = al.align(tasks, {ward: {prov}}, evidence=evidence, vectors=vectors)
    among = al.align(tasks, {ward: {prov, docs[DIGITAL.stem], docs[DRUGS.stem]}}, evidence=evidence, vectors=vectors)
    assert any(link.method == METHOD_STANDOUT for link in alone)
    kept = [link for link in among if link.higher.startswith(prov + "/")]
    # no link to the province plan appears because other plans are candidates ...
    assert set(kept) <= set(alone)
    # ... and one disappears only where the same ward task found a better-scoring task in
    # another candidate plan (the best candidate wins; since EXTRACTOR_VERSION 2025.10
    # 179/KH-UBND yields more tasks, and one ward task's best candidate is among them)
    elsewhere = {link.lower: link.score for link in among if not link.higher.startswith(prov + "/")}
    for link in set(alone) - set(kept):
        assert elsewhere.get(link.lower, -1.0) >= link.score, link
    assert len(set(alone) - set(kept)) <= 2, "other plans took more than a stray link from the province plan"


@pytest.mark.slow
def test_no_ward_task_carries_out_the_drug_prevention_plan(wider) -> None:
    store, settings, docs, *_ = wider
    assert run_query(store, settings, PREFIXES + f"""ASK {{ ?t pk:carriesOut ?h ; pk:inDocument <{docs["002"]}> .
        ?h pk:inDocument <{docs[DRUGS.stem]}> }}""").boolean is False


@pytest.mark.slow
def test_a_standout_link_is_far_above_the_rest_of_its_document(wider) -> None:
    """What a standout link in the store means, recomputed from its own document's tasks."""
    store, settings, docs, tasks, evidence, vectors = wider
    rows = run_query(store, settings, PREFIXES + f"""SELECT ?t ?h ?s WHERE {{ ?a pk:alignedTask ?t ; pk:alignedTo ?h ;
        pk:alignmentScore ?s ; pk:alignmentMethod "{METHOD_STANDOUT}" }}""").records()
    assert rows
    by_iri = {t.iri: t for ts in tasks.values() for t in ts}
    folded = {i: fold_words(t.text) for i, t in by_iri.items()}
    for r in rows:
        lower, higher = by_iri[str(r["t"])], by_iri[str(r["h"])]
        scores = [al.score(lower, h, folded, evidence, vectors) for h in tasks[higher.doc]]
        assert float(str(r["s"])) == pytest.approx(max(scores), abs=1e-4)
        assert max(scores) < al.THRESHOLD
        assert (max(scores) - np.mean(scores)) / np.std(scores) >= 2.75


@pytest.mark.slow
def test_a_fragment_is_not_contained_in_every_assignment(wider) -> None:
    """182/KH-UBND's cell "Chủ trì, phối hợp" (cut short by its table) is three word pairs,
    all found in any ward task that assigns work; it counts as four, so never a full match."""
    _, _, docs, tasks, *_ = wider
    assigning = [t for t in tasks[docs["002"]] if "chu tri phoi hop" in fold_words(t.text)]
    assert assigning
    for t in assigning:
        assert al.text_similarity(fold_words("Chủ trì, phối hợp"), fold_words(t.text)) == pytest.approx(0.75)


def test_stands_out_needs_a_pool_and_a_spread() -> None:
    few = [0.9] + [0.1] * (STANDOUT_MIN_POOL - 2)
    assert not stands_out(0.9, few)
    assert stands_out(0.9, few + [0.1])
    assert not stands_out(0.3, [0.3] * 20)
    assert not stands_out(0.4, [0.4, 0.39, 0.38, 0.37] * 5)
