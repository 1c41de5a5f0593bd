"""Published IRIs keep answering: every data IRI the seeds had when they were first published
(the code of stop 8, commit f98e64e) is still in the graph built today.

How the list was made: the seeds ingested with that commit's wheel, then
``SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }`` over the default view, keeping
the IRIs under the default base. When a change must drop or rename one of them, the linked-data
layer has to answer 301 (renamed) or 410 (gone) for it and docs/vocabulary-contract.md must list
it — this test is what notices. An IRI in the record of retired IRIs (ingest fills it, and
the linked-data routes answer 301/410 from it) passes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

PUBLISHED = Path(__file__).parent / "data" / "published_iris" / "seeds-session8.txt.gz"


def test_every_published_seed_iri_is_still_there(seeded) -> None:
    from plankg.store.read.queries import run_query
    from plankg.store.retired import RetiredRecord, record_path

    settings, store, _, _ = seeded
    published = set(gzip.decompress(PUBLISHED.read_bytes()).decode("utf-8").split())
    assert len(published) > 3000
    now = {str(r["s"]) for r in run_query(store, settings, "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }").records()}
    # an IRI a change retired on purpose answers 301 or 410 from the record (store/retired.py)
    retired = RetiredRecord.load(record_path(settings.home))
    gone = sorted(i for i in published - now if retired.get(i) is None)
    assert not gone, f"{len(gone)} published IRIs no longer in the graph nor retired (need 301/410): {gone[:10]}"
