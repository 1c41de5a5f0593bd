"""Which pillar (task group of 57-NQ/TW, or digital-transformation pillar) a task serves.

Plans implementing 57-NQ/TW repeat its task groups as section headings ("Nâng cao nhận
thức, đột phá về đổi mới tư duy…", "Hoàn thiện thể chế…"); a section whose heading
contains a pillar's label is that pillar, and every task under it inherits it.

An agency's name is not a topic: plans list each agency's duties under its name ("Sở Khoa
học và Công nghệ", "Ban Quản lý Khu kinh tế Đông Nam"), whose words ("khoa học, công nghệ",
"kinh tế") would otherwise match a pillar's label. Registered agency names are blanked out
of a heading before matching (:func:`topic_words`, the agency registry and grammar of
:mod:`plankg.ingest.extract.agencies`), and a heading that is as a whole an agency's name
names no pillar.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz
from rdflib import Namespace
from rdflib.namespace import SKOS

from plankg.folding import fold_words as fold
from plankg.ingest.extract.agencies import agency_coverage, looks_like_agency, registered_name_mask
from plankg.ingest.model import SectionRecord

PK = Namespace("https://w3id.org/plankg/ontology#")
MATCH_THRESHOLD = 85.0
#: a heading that begins like an agency and whose words are this much agency-name words (the
#: grammar's :func:`agency_coverage`) is a name ("Ban Quản lý Khu kinh tế Đông Nam": 0.75);
#: a topic that begins with an agency word stays one ("Doanh nghiệp số": 0.67)
AGENCY_NAME_COVERAGE = 0.75


@lru_cache(maxsize=1)
def pillar_labels() -> tuple[tuple[str, str], ...]:
    from plankg.ontology import load_ontology

    g = load_ontology()
    out = []
    for concept in g.subjects(SKOS.inScheme, PK.PillarScheme):
        for label in g.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) == "vi":
                out.append((str(concept), fold(str(label))))
    return tuple(sorted(out))


def topic_words(heading: str) -> str:
    """The heading without the agency names it holds: registered names blanked out, and
    nothing left of a heading that is an agency's name as a whole (see the module docstring)."""
    if looks_like_agency(heading) and agency_coverage(heading) >= AGENCY_NAME_COVERAGE:
        return ""
    mask = registered_name_mask(heading)
    return "".join(" " if inside else c for c, inside in zip(heading, mask))


def assign_pillars(sections: list[SectionRecord]) -> dict[str, str]:
    """section path → pillar IRI, for every section under a pillar heading."""
    direct: dict[str, str] = {}
    for s in sections:
        heading = fold(topic_words(s.heading or ""))
        if len(heading) < 8:
            continue
        best, best_score = None, MATCH_THRESHOLD
        for iri, label in pillar_labels():
            score = fuzz.partial_ratio(label, heading)
            if len(label.split()) >= 5:  # all words of a long label inside the heading, in any order
                score = max(score, fuzz.token_set_ratio(label, heading) - 5)
            if score > best_score:
                best, best_score = iri, score
        if best:
            direct[s.path] = best
    parents = {s.path: s.parent for s in sections}
    out: dict[str, str] = {}
    for path in parents:
        p: str | None = path
        while p is not None and p not in direct:
            p = parents.get(p)
        if p is not None:
            out[path] = direct[p]
    return out
