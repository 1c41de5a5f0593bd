"""Typed response models of the JSON API (they also document it in OpenAPI at ``/docs``).

They mirror the objects of ``plankg export`` (``api/records.py``) field for field, so a
script can switch between the CLI export and the HTTP API without changes.
"""

from __future__ import annotations

from typing import Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Span(BaseModel):
    file: str
    start: int
    end: int


class AgencyRef(BaseModel):
    iri: str
    name: Optional[str] = None
    raw: Optional[str] = Field(None, description="the name as printed in the document")
    collective: bool = Field(False, description="a collective agent such as 'Các sở, ban, ngành'")


class DocumentBrief(BaseModel):
    iri: str
    identifier: Optional[str] = Field(None, description="the printed symbol, e.g. 57/KH-UBND")
    date: Optional[str] = None
    title: Optional[str] = None


class Deadline(BaseModel):
    text: str
    start: Optional[str] = None
    end: Optional[str] = None
    recurrence: str = "none"


class TaskLink(BaseModel):
    """One link across levels of government (graph/alignment)."""

    iri: str
    score: float
    method: Optional[str] = None


class SectionLink(BaseModel):
    """One item of a policy resolution a task serves (graph/section-alignment)."""

    iri: str
    path: str
    heading: Optional[str] = None
    document: str
    identifier: Optional[str] = None
    score: float
    method: Optional[str] = None


class Task(BaseModel):
    iri: str
    document: DocumentBrief
    number: Optional[str] = None
    path: str
    text: str
    lead: list[AgencyRef] = []
    cooperating: list[AgencyRef] = []
    output: Optional[str] = None
    deadline: Optional[Deadline] = None
    section: Optional[str] = None
    source: Optional[Span] = None
    sources: list[Span] = []
    carries_out: list[TaskLink] = Field([], description="higher-level tasks this task carries out "
                                                      "(Thực hiện nhiệm vụ cấp trên), best score first")
    carried_out_by: list[TaskLink] = Field([], description="lower-level tasks that carry this one out "
                                                         "(Được cụ thể hóa bởi)")
    serves_sections: list[SectionLink] = Field([], description="items of 57-NQ/TW (III.x, III.x.y, IV.x) the task "
                                                               "serves (Phục vụ nội dung của Nghị quyết), best score first")


class TargetValue(BaseModel):
    min: Optional[float] = None
    max: Optional[float] = None
    text: Optional[str] = None


class Horizon(BaseModel):
    text: str
    start: Optional[str] = None
    end: Optional[str] = None


class Target(BaseModel):
    iri: str
    document: DocumentBrief
    number: Optional[str] = None
    path: str
    indicator: str
    comparator: str
    value: TargetValue
    unit: Optional[str] = None
    horizon: Optional[Horizon] = None
    monitoring: list[AgencyRef] = []
    source: Optional[Span] = None
    sources: list[Span] = []


class Document(BaseModel):
    iri: str
    kind: Optional[str] = None
    identifier: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    locality: Optional[str] = None
    title: Optional[str] = None
    renditions: list[str] = []
    cites: list[str] = []
    implements: list[str] = []
    inferred: list[str] = Field([], description="fields inferred, not printed (e.g. issuer)")


class Agency(BaseModel):
    iri: str
    name: Optional[str] = None
    collective: bool = False
    locality: Optional[str] = None
    level: Optional[str] = None
    lead_tasks: int = 0
    cooperating_tasks: int = 0
    successors: list[str] = []
    predecessors: list[str] = []


class Page(BaseModel, Generic[T]):
    total: int = Field(description="items matching the filters, before paging")
    limit: int
    offset: int
    items: list[T]


class Term(BaseModel):
    type: Literal["uri", "literal", "bnode"]
    value: str
    lang: Optional[str] = None
    datatype: Optional[str] = None


class EntityTriple(BaseModel):
    subject: str
    predicate: str
    object: Term


class Entity(BaseModel):
    iri: str
    label: Optional[str] = None
    types: list[str] = []
    triples: list[EntityTriple] = Field(description="the entity's triples and those of its dependent resources "
                                                    "(spans, associations, deadline intervals)")
    labels: dict[str, str] = Field({}, description="a label for each IRI mentioned")


class ServiceInfo(BaseModel):
    query_workers: int
    query_timeout_s: float
    max_rows: int
    max_request_bytes: int
    network_isolated_workers: Optional[bool] = None
    store_snapshot: str = Field(description="store version the server reads (changes after each ingest)")


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow")

    documents: int
    tasks: int
    targets: int
    agencies: int
    triples: int = Field(description="triples of the default dataset: what COUNT(*) at /sparql answers")
    quads: Optional[int] = Field(None, description="quads stored in every named graph (per-source graphs included)")
    sources: int
    store_path: str
    store_backend: str
    index_path: str
    ontology_version: str
    store_ontology_version: Optional[str] = None
    store_version: Optional[int] = None
    index_version: Optional[str | int] = None
    base_iri: str
    service: Optional[ServiceInfo] = None


class AnswerItem(BaseModel):
    iri: str
    type: str = Field(description="Task | Target")
    label: str


class AnswerValue(BaseModel):
    text: str = Field(description="the value as printed, e.g. 'trên 90%'")
    unit: Optional[str] = None
    comparator: Optional[str] = None


class SearchAnswer(BaseModel):
    """The optional direct answer of ``/api/search`` (``answer``; null when the question asks
    for no fact or the ranking does not settle it). See docs/search.md."""

    kind: Literal["agency", "deadline", "value"]
    text: str = Field(description="the answer in one Vietnamese line, e.g. 'Chủ trì: Sở Y tế · Phối hợp: …'")
    item: AnswerItem = Field(description="the result that answers (the appendix row of the task or the target)")
    lead: list[AgencyRef] = Field([], description="kind agency: the lead agencies (targets: monitoring)")
    cooperating: list[AgencyRef] = []
    deadline: Optional[Deadline] = Field(None, description="kind deadline")
    value: Optional[AnswerValue] = Field(None, description="kind value")
    horizon: Optional[Deadline] = Field(None, description="kind value: the target's horizon")
    document: Optional[DocumentBrief] = None
    passage: str = Field(description="the text of the answering item")
    source: Optional[Span] = Field(None, description="where the passage is in the source file")
    confidence: Optional[float] = Field(None, ge=0, le=1, description="how sure the answer is (0-1): topic share of "
                                        "the passage × separation from a differing runner-up; answers below the "
                                        "threshold chosen on the tuning questions are not given (docs/search.md)")


class Problem(BaseModel):
    detail: str
