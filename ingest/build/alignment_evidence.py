"""Read, for the alignment score, what tasks say besides their text: agencies and deadlines.

Agencies are resolved against the registry graph the way a reader would: a group
("Các sở, ban, ngành") stands for itself and its members (``foaf:member``), and every agency
for itself and its successors (``pk:successor``, followed forward: the 2025 mergers, Sở
Thông tin và Truyền thông → Sở Khoa học và Công nghệ; the units of the former Bình Phước →
those of Đồng Nai), so two tasks written before and after a merger meet in the agency that
now does the work. Following successions both ways would join every unit of a merged
province to every other and make agreement meaningless. See
:mod:`plankg.ingest.build.alignment_score` for how the evidence is weighed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from plankg.ingest.build.alignment_score import Evidence
from plankg.store import iris
from plankg.store.base import GraphStore

PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
LEVEL_RANK = {"LevelCentral": 0, "LevelProvince": 1, "LevelDistrict": 2, "LevelCommune": 3}


def level_rank(level_iri: object) -> int:
    """The rank of a ``pk:Level…`` IRI (central 0 … commune 3; unknown 9)."""
    return LEVEL_RANK.get(str(level_iri).rsplit("#", 1)[-1], 9)


def _records(store: GraphStore, base: str, body: str) -> list[dict[str, object]]:
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]
    return store.query(PREFIXES + body, default_graphs=graphs).records()


def read_evidence(store: GraphStore, base: str, doc_levels: dict[str, int],
                  docs: Iterable[str] | None = None) -> dict[str, Evidence]:
    """Task IRI → its :class:`Evidence`; ``doc_levels`` gives each document's level rank
    (a task delegates when an agency it names ranks below its own document). Only the tasks
    of ``docs`` when given (an incremental update reads the documents it re-aligns)."""
    only = "" if docs is None else "VALUES ?d { " + " ".join(f"<{d}>" for d in sorted(docs)) + " }"
    agencies: dict[str, set[str]] = defaultdict(set)
    ranks: dict[str, set[int]] = defaultdict(set)
    doc_of: dict[str, str] = {}
    for r in _records(store, base, """SELECT DISTINCT ?t ?d ?r ?lv WHERE { """ + only + """ ?t a pk:Task ; pk:inDocument ?d .
            { ?t pk:leadAgency ?a } UNION { ?t pk:cooperatingAgency ?a }
            ?a foaf:member? ?m . ?m pk:successor* ?r . OPTIONAL { ?r pk:adminLevel ?lv } }"""):
        t = str(r["t"])
        doc_of[t] = str(r["d"])
        agencies[t].add(str(r["r"]))
        if r.get("lv") is not None:
            ranks[t].add(level_rank(r["lv"]))
    due: dict[str, str] = {}
    for r in _records(store, base, """SELECT ?t (MIN(STR(?due0)) AS ?due) WHERE { """ + only + """
            ?t a pk:Task ; pk:inDocument ?d ; pk:dueDate ?due0 } GROUP BY ?t"""):
        due[str(r["t"])] = str(r["due"])
    out: dict[str, Evidence] = {}
    for t in set(agencies) | set(due):
        own = doc_levels.get(doc_of.get(t, ""), 9)
        out[t] = Evidence(frozenset(agencies.get(t, ())), any(k > own for k in ranks.get(t, ()) if k != 9),
                          due.get(t))
    return out
