"""A deterministic generator of a realistic plankg graph, for the store benchmark.

It writes the shapes the ingest pipeline writes, with the terms of
``docs/vocabulary-contract.md`` only: documents (kinds, symbols, dates, issuers,
localities, renditions) that cite — directly or through a chain — Resolution
57-NQ/TW; sections and appendices; tasks with lead and cooperating agencies (the
shortcut properties *and* the qualified ``prov:Association`` form); deadlines
(``pk:Deadline`` intervals plus the ``pk:dueDate`` / ``pk:dueYear`` /
``pk:recurrence`` shortcuts); targets (indicator, comparator, value, unit, horizon,
monitoring agency); about 200 agencies over 20 localities with the 2025 mergers as
successions; and a ``pk:SourceSpan`` for every entity and qualified link.

The graph is spread over one named graph per (synthetic) source file, plus the agency
registry graph and a small ontology graph holding the SKOS concept schemes, exactly as
in a real store. Documents are added until the ``triples`` target is reached, so the
size is the target plus at most one document.

Everything is drawn from ``random.Random(seed)`` and emitted in a fixed order: the same
arguments give byte-identical N-Quads.

Usage::

    python benchmarks/synthetic.py --triples 1000000 --out /tmp/synthetic.nq
    from synthetic import generate, write_nquads, to_rdflib_graphs
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from plankg.folding import slugify  # IRI segments as ingest makes them (one home of folding)

BASE = "https://plankg.example.org/"
PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

# --------------------------------------------------------------------------- vocab data
PROVINCES = [
    ("binh-phuoc", "Bình Phước"), ("dong-nai", "Đồng Nai"), ("ha-noi", "Hà Nội"),
    ("ho-chi-minh", "Hồ Chí Minh"), ("da-nang", "Đà Nẵng"), ("hai-phong", "Hải Phòng"),
    ("can-tho", "Cần Thơ"), ("quang-ninh", "Quảng Ninh"), ("nghe-an", "Nghệ An"),
    ("thanh-hoa", "Thanh Hóa"), ("lam-dong", "Lâm Đồng"), ("khanh-hoa", "Khánh Hòa"),
    ("bac-ninh", "Bắc Ninh"), ("thai-nguyen", "Thái Nguyên"), ("an-giang", "An Giang"),
    ("binh-duong", "Bình Dương"), ("quang-nam", "Quảng Nam"), ("lao-cai", "Lào Cai"),
    ("dak-lak", "Đắk Lắk"),
]
CITIES = {"ha-noi", "ho-chi-minh", "da-nang", "hai-phong", "can-tho"}

# (slug, name, abbreviation, successor slug or None) — provincial departments.
# Successors model the 2025 mergers (effective 1 March 2025).
PROVINCIAL_DEPTS = [
    ("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", "Sở KH&CN", None),
    ("so-thong-tin-va-truyen-thong", "Sở Thông tin và Truyền thông", "Sở TT&TT", "so-khoa-hoc-va-cong-nghe"),
    ("so-tai-chinh", "Sở Tài chính", "STC", None),
    ("so-ke-hoach-va-dau-tu", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "so-tai-chinh"),
    ("so-noi-vu", "Sở Nội vụ", "SNV", None),
    ("so-lao-dong-thuong-binh-va-xa-hoi", "Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH", "so-noi-vu"),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", None),
    ("so-y-te", "Sở Y tế", "SYT", None),
    ("so-cong-thuong", "Sở Công Thương", "SCT", None),
    ("cong-an-tinh", "Công an tỉnh", "CAT", None),
]
# Older renaming: the posts-and-telecoms department became Sở TT&TT (2008), so some
# agencies have a two-step predecessor chain.
OLD_DEPT = ("so-buu-chinh-vien-thong", "Sở Bưu chính, Viễn thông", "Sở BCVT", "so-thong-tin-va-truyen-thong")

CENTRAL = [
    ("bo-chinh-tri", "Bộ Chính trị", "BCT", None),
    ("chinh-phu", "Chính phủ", "CP", None),
    ("quoc-hoi", "Quốc hội", "QH", None),
    ("bo-khoa-hoc-va-cong-nghe", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", None),
    ("bo-thong-tin-va-truyen-thong", "Bộ Thông tin và Truyền thông", "Bộ TT&TT", "bo-khoa-hoc-va-cong-nghe"),
    ("bo-tai-chinh", "Bộ Tài chính", "BTC", None),
    ("bo-ke-hoach-va-dau-tu", "Bộ Kế hoạch và Đầu tư", "Bộ KH&ĐT", "bo-tai-chinh"),
    ("bo-noi-vu", "Bộ Nội vụ", "BNV", None),
    ("bo-lao-dong-thuong-binh-va-xa-hoi", "Bộ Lao động - Thương binh và Xã hội", "Bộ LĐTBXH", "bo-noi-vu"),
    ("bo-giao-duc-va-dao-tao", "Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", None),
    ("bo-cong-an", "Bộ Công an", "BCA", None),
    ("bo-y-te", "Bộ Y tế", "BYT", None),
    ("bo-cong-thuong", "Bộ Công Thương", "BCT", None),
]
MERGER_DATE = date(2025, 3, 1)

# (class local name, Vietnamese kind, symbol suffix, skos notation, weight)
KINDS = [
    ("Plan", "Kế hoạch", "KH-UBND", "KH", 55),
    ("Decision", "Quyết định", "QĐ-UBND", "QĐ", 20),
    ("Program", "Chương trình", "CTr-UBND", "CTr", 10),
    ("OfficialLetter", "Công văn", "UBND-KGVX", "CV", 10),
    ("Directive", "Chỉ thị", "CT-UBND", "CT", 5),
]

PILLARS = [
    ("the-che", "Hoàn thiện thể chế"), ("ha-tang", "Phát triển hạ tầng số"),
    ("nhan-luc", "Phát triển nguồn nhân lực"), ("doi-moi-sang-tao", "Đổi mới sáng tạo"),
    ("chuyen-doi-so", "Chuyển đổi số"), ("an-ninh-mang", "Bảo đảm an ninh mạng"),
]
# (slug, label, unit, typical value range, comparator weights)
INDICATORS = [
    ("ty-le-kinh-te-so-grdp", "Tỷ trọng kinh tế số trong GRDP", "%", (15, 40)),
    ("chi-ngan-sach-khcn", "Chi ngân sách cho khoa học, công nghệ", "% tổng chi ngân sách", (2, 3)),
    ("ho-so-truc-tuyen-toan-trinh", "Tỷ lệ hồ sơ được xử lý trực tuyến toàn trình", "%", (70, 100)),
    ("doanh-nghiep-khcn", "Số doanh nghiệp khoa học và công nghệ", "doanh nghiệp", (10, 200)),
    ("doanh-nghiep-so", "Số doanh nghiệp công nghệ số", "doanh nghiệp", (50, 2000)),
    ("ho-gia-dinh-cap-quang", "Tỷ lệ hộ gia đình có cáp quang", "%", (80, 100)),
    ("phu-song-5g", "Tỷ lệ phủ sóng 5G", "% dân số", (50, 100)),
    ("don-dang-ky-sang-che", "Số đơn đăng ký sáng chế", "đơn", (5, 150)),
    ("nhan-luc-nghien-cuu", "Số nhân lực nghiên cứu trên một vạn dân", "người/vạn dân", (7, 15)),
    ("dich-vu-cong-truc-tuyen", "Tỷ lệ người dân sử dụng dịch vụ công trực tuyến", "%", (60, 95)),
    ("chi-so-pii", "Xếp hạng Chỉ số đổi mới sáng tạo cấp địa phương (PII)", "bậc", (1, 30)),
    ("von-dau-tu-khcn", "Vốn đầu tư cho khoa học, công nghệ", "tỷ đồng", (50, 5000)),
]
COMPARATORS = [("GE", "ge", "≥", 45), ("GT", "gt", ">", 10), ("LE", "le", "≤", 10), ("LT", "lt", "<", 5), ("EQ", "eq", "=", 15), ("Range", "range", "–", 10), ("Text", "text", "", 5)]

VERBS = ["Triển khai", "Xây dựng", "Hoàn thiện", "Tổ chức", "Đẩy mạnh", "Nghiên cứu, đề xuất", "Rà soát, sửa đổi", "Thúc đẩy", "Nâng cấp", "Phát triển", "Đánh giá", "Tăng cường"]
OBJECTS = [
    "cơ sở dữ liệu dùng chung của tỉnh", "nền tảng tích hợp, chia sẻ dữ liệu", "hệ thống thông tin giải quyết thủ tục hành chính",
    "chương trình đào tạo nhân lực số", "trung tâm đổi mới sáng tạo", "hạ tầng mạng 5G", "cơ chế thử nghiệm có kiểm soát (sandbox)",
    "quỹ phát triển khoa học và công nghệ", "nền tảng học tập trực tuyến mở", "hệ sinh thái khởi nghiệp sáng tạo",
    "dịch vụ công trực tuyến toàn trình", "trung tâm giám sát an toàn thông tin (SOC)", "kho dữ liệu số của tỉnh",
    "bản đồ số dùng chung", "hạ tầng trung tâm dữ liệu", "chính sách thu hút chuyên gia công nghệ",
]
PURPOSES = [
    "bảo đảm kết nối, chia sẻ dữ liệu thông suốt", "phục vụ người dân và doanh nghiệp", "nâng cao năng lực cạnh tranh cấp tỉnh",
    "theo chỉ đạo của Chính phủ", "đáp ứng yêu cầu chuyển đổi số quốc gia", "gắn với cải cách hành chính",
    "huy động nguồn lực xã hội", "bảo đảm an toàn, an ninh mạng",
]
OUTPUTS = ["Kế hoạch được phê duyệt", "Báo cáo kết quả", "Hệ thống được đưa vào vận hành", "Quyết định ban hành", "Đề án trình UBND tỉnh", "Cơ sở dữ liệu được cập nhật"]
SECTION_HEADINGS = ["MỤC ĐÍCH, YÊU CẦU", "MỤC TIÊU", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"]
TASK_SUBHEADINGS = [p[1] for p in PILLARS] + ["Nâng cao nhận thức, đổi mới tư duy", "Huy động nguồn lực"]
SIGNERS = ["Trần Văn A", "Nguyễn Thị B", "Lê Văn C", "Phạm Minh D", "Võ Thị E", "Hoàng Văn G", "Đặng Quốc H"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


# --------------------------------------------------------------------------- helpers
def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def _date(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _str(s: str) -> Literal:
    return Literal(s)


def _vi(s: str) -> Literal:
    return Literal(s, lang="vi")


def _dec(x: float) -> Literal:
    return Literal(f"{x:.2f}".rstrip("0").rstrip(".") if "." in f"{x:.2f}" else f"{x}", datatype=XSD.decimal)


def _bool(b: bool) -> Literal:
    return Literal("true" if b else "false", datatype=XSD.boolean)


@dataclass
class Agency:
    iri: URIRef
    slug: str
    label: str
    locality: str  # slug
    successor: str | None  # slug within the same locality


@dataclass
class SourceGraph:
    """One named graph: the triples read from one source file (or the registry/ontology)."""

    iri: str
    triples: list[Triple]


@dataclass
class Corpus:
    graphs: list[SourceGraph] = field(default_factory=list)

    @property
    def triple_count(self) -> int:
        return sum(len(g.triples) for g in self.graphs)


class _Builder:
    """Keeps a running list of triples for the current graph and mints spans."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[Triple] = []
        self.file = ""
        self.rendition: URIRef | None = None
        self.offset = 0
        self.line = 1
        self.method = "synthetic"

    def add(self, s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node) -> None:
        self.out.append((s, p, o))

    def start_file(self, file_name: str, rendition: URIRef) -> None:
        self.out = []
        self.file = file_name
        self.rendition = rendition
        self.offset = self.rng.randint(300, 900)
        self.line = 10

    def span(self, quote: str, method: str, *, inside: tuple[int, int, int] | None = None) -> URIRef:
        """A pk:SourceSpan for ``quote``; consecutive calls move forward through the file.

        ``inside`` = (start, end, line) of an enclosing span: the new span is a piece of it
        (an agency name in a table cell), so the file offsets stay consistent.
        """
        assert self.rendition is not None
        if inside is None:
            start = self.offset
            end = start + len(quote)
            line = self.line
            lines = 1 + len(quote) // 90
            self.offset = end + self.rng.randint(2, 40)
            self.line += lines + self.rng.randint(0, 2)
        else:
            p_start, p_end, line = inside
            start = min(p_end - 1, p_start + self.rng.randint(0, max(0, p_end - p_start - len(quote))))
            end = min(p_end, start + len(quote))
            lines = 1
        iri = URIRef(f"{self.rendition}/span/{start}-{end}")
        a = self.add
        a(iri, RDF.type, PK.SourceSpan)
        a(iri, PK.sourceFile, _str(self.file))
        a(iri, PK.startOffset, _int(start))
        a(iri, PK.endOffset, _int(end))
        a(iri, PK.startLine, _int(line))
        a(iri, PK.endLine, _int(line + lines - 1))
        a(iri, PK.extractionMethod, _str(method))
        a(iri, PK.quote, _str(quote[:500]))
        self._last = (start, end, line)
        return iri

    @property
    def last_span(self) -> tuple[int, int, int]:
        return self._last


# --------------------------------------------------------------------------- fixed graphs
def _ontology_graph() -> SourceGraph:
    """The SKOS concept schemes and class hierarchy the queries lean on (a small part of ontology/plankg.ttl)."""
    t: list[Triple] = []
    a = lambda s, p, o: t.append((s, p, o))

    def concept(iri: URIRef, scheme: URIRef, label: str, notation: str | None = None) -> None:
        a(iri, RDF.type, SKOS.Concept)
        a(iri, SKOS.inScheme, scheme)
        a(iri, SKOS.prefLabel, _vi(label))
        if notation:
            a(iri, SKOS.notation, _str(notation))

    for cls, vi_kind, _sfx, notation, _w in KINDS + [("Resolution", "Nghị quyết", "", "NQ", 0), ("Law", "Luật", "", "L", 0)]:
        if cls != "Law":
            a(PK[cls], RDF.type, rdflib.OWL.Class)
            a(PK[cls], RDFS.subClassOf, PK.Document)
            a(PK[cls], RDFS.label, _vi(vi_kind))
        concept(PK[f"kind-{notation}"], PK.DocumentKindScheme, vi_kind, notation)
    a(PK.Document, RDFS.subClassOf, ELI.LegalResource)
    for local, notation, sign, _w in COMPARATORS:
        concept(PK[f"Comparator{local}"], PK.ComparatorScheme, sign or "văn bản", notation)
    for local, label in [("NoRecurrence", "Một lần"), ("Continuous", "Thường xuyên"), ("Annual", "Hằng năm")]:
        concept(PK[local], PK.RecurrenceScheme, label)
    for local, label in [("CitationImplements", "Thực hiện"), ("CitationBasis", "Căn cứ"), ("CitationAmends", "Sửa đổi"), ("CitationMention", "Đề cập")]:
        concept(PK[local], PK.CitationTypeScheme, label)
    for local, label in [("LevelCentral", "Trung ương"), ("LevelProvince", "Tỉnh"), ("LevelDistrict", "Huyện"), ("LevelCommune", "Xã")]:
        concept(PK[local], PK.AdminLevelScheme, label)
    for local, label in [("LeadRole", "Chủ trì"), ("CooperatingRole", "Phối hợp")]:
        a(PK[local], RDF.type, PROV.Role)
        a(PK[local], RDFS.label, _vi(label))
    for slug, label in PILLARS:
        concept(PK[f"pillar-{slug}"], PK.PillarScheme, label)
    for slug, label, _unit, _rng in INDICATORS:
        a(PK[f"indicator-{slug}"], RDF.type, PK.Indicator)
        concept(PK[f"indicator-{slug}"], PK.IndicatorScheme, label)
    for sub in (ELI.ensures_implementation_of, ELI.based_on, ELI.amends):
        a(sub, RDFS.subPropertyOf, ELI.cites)
    a(PK.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of)
    return SourceGraph(f"{BASE}graph/ontology", t)


def _registry(rng: random.Random) -> tuple[SourceGraph, dict[str, dict[str, Agency]], dict[str, URIRef]]:
    """Localities, ~200 agencies with their successions, and the collective groups."""
    b = _Builder(rng)
    b.start_file("agencies.yaml", URIRef(f"{BASE}source/registry-agencies-yaml"))
    a = b.add
    agencies: dict[str, dict[str, Agency]] = {}
    groups: dict[str, URIRef] = {}

    def locality(slug: str, label: str, level: URIRef) -> URIRef:
        iri = URIRef(f"{BASE}locality/{slug}")
        a(iri, RDF.type, PK.Locality)
        a(iri, SKOS.prefLabel, _vi(label))
        a(iri, PK.adminLevel, level)
        return iri

    def agency(loc: str, loc_iri: URIRef, slug: str, label: str, abbr: str, level: URIRef, parent: URIRef | None, successor: str | None) -> Agency:
        iri = URIRef(f"{BASE}agency/{loc}/{slug}")
        span = b.span(f"- id: {loc}/{slug}\n  prefLabel: {label}\n  altLabel: [{abbr}]", "registry")
        a(iri, RDF.type, PK.Agency)
        a(iri, SKOS.prefLabel, _vi(label))
        a(iri, SKOS.altLabel, _vi(abbr))
        a(iri, PK.adminLevel, level)
        a(iri, PK.locality, loc_iri)
        if parent is not None:
            a(iri, ORG.subOrganizationOf, parent)
        a(iri, PK.extractedFrom, span)
        ag = Agency(iri, slug, label, loc, successor)
        agencies.setdefault(loc, {})[slug] = ag
        return ag

    vn = locality("vn", "Việt Nam", PK.LevelCentral)
    for slug, label, abbr, succ in CENTRAL:
        agency("vn", vn, slug, label, abbr, PK.LevelCentral, None, succ)
    for i, (loc, name) in enumerate(PROVINCES):
        loc_iri = locality(loc, ("Thành phố " if loc in CITIES else "Tỉnh ") + name, PK.LevelProvince)
        unit = "thành phố" if loc in CITIES else "tỉnh"
        ubnd = agency(loc, loc_iri, "ubnd", f"Ủy ban nhân dân {unit} {name}", f"UBND {unit}", PK.LevelProvince, None, None)
        agency(loc, loc_iri, "van-phong-ubnd", f"Văn phòng UBND {unit} {name}", "VP UBND", PK.LevelProvince, ubnd.iri, None)
        depts = list(PROVINCIAL_DEPTS) + ([OLD_DEPT] if i % 3 == 0 else [])
        for slug, label, abbr, succ in depts:
            full = label.replace("tỉnh", unit) if slug == "cong-an-tinh" else f"{label} {unit} {name}"
            agency(loc, loc_iri, slug, full, abbr, PK.LevelProvince, ubnd.iri, succ)
        g = URIRef(f"{BASE}group/{loc}/cac-so-ban-nganh")
        a(g, RDF.type, PK.AgentGroup)
        a(g, SKOS.prefLabel, _vi("Các sở, ban, ngành"))
        a(g, PK.memberPattern, _str(f"các sở, ban, ngành {unit} {name}"))
        a(g, PK.locality, loc_iri)
        groups[loc] = g
    # successions: shortcut both ways plus a qualified org:ChangeEvent
    for loc, by_slug in agencies.items():
        for ag in by_slug.values():
            if ag.successor is None:
                continue
            succ = by_slug[ag.successor]
            when = date(2008, 3, 1) if ag.slug == OLD_DEPT[0] else MERGER_DATE
            ev = URIRef(f"{BASE}agency/{loc}/change/{ag.slug}--{succ.slug}")
            a(ag.iri, PK.successor, succ.iri)
            a(succ.iri, PK.predecessor, ag.iri)
            a(ev, RDF.type, ORG.ChangeEvent)
            a(ev, ORG.originalOrganization, ag.iri)
            a(ev, ORG.resultingOrganization, succ.iri)
            a(ev, PK.effectiveDate, _date(when))
            a(ev, PK.legalBasis, _str("Nghị quyết số 190/2025/QH15" if when == MERGER_DATE else "Nghị định số 13/2008/NĐ-CP"))
            a(ev, SKOS.note, _vi(f"{ag.label} hợp nhất vào {succ.label}"))
            a(ev, PK.extractedFrom, b.span(f"  successor: {loc}/{succ.slug}  # từ {when.isoformat()}", "registry"))
    return SourceGraph(f"{BASE}graph/registry", b.out), agencies, groups


# --------------------------------------------------------------------------- documents
@dataclass
class _Doc:
    iri: URIRef
    symbol: str
    when: date
    locality: str


def _doc_iri(issuer_slug: str, year: int, symbol: str) -> URIRef:
    return URIRef(f"{BASE}eli/{issuer_slug}/{year}/{slugify(symbol)}")


def _write_doc_header(b: _Builder, doc: URIRef, cls: str, notation: str, symbol: str, number: str, when: date,
                      issuer: Agency, issuer_name: str, loc_iri: URIRef, title: str, signer: str,
                      file_name: str, index: int) -> None:
    a = b.add
    rendition = b.rendition
    assert rendition is not None
    head = b.span(f"{issuer_name}\nSố: {symbol}\n{title}", "rule:header")
    a(doc, RDF.type, PK[cls])
    a(doc, ELI.type_document, PK[f"kind-{notation}"])
    a(doc, ELI.id_local, _str(symbol))
    a(doc, PK.documentNumber, _str(number))
    a(doc, ELI.date_document, _date(when))
    a(doc, PK.year, _int(when.year))
    a(doc, ELI.passed_by, issuer.iri)
    a(doc, PK.issuerName, _str(issuer_name))
    a(doc, PK.locality, loc_iri)
    a(doc, ELI["title"], _vi(title))
    a(doc, PK.signer, _str(signer))
    if index % 7 == 3:
        a(doc, PK.inferredField, _str("issuer"))
    a(doc, PK.hasRendition, rendition)
    a(doc, PK.extractedFrom, head)
    a(rendition, RDF.type, PK.Rendition)
    a(rendition, PK.renditionOf, doc)
    a(rendition, PK.sourceFile, _str(file_name))
    a(rendition, PK.checksum, _str(hashlib.sha256(file_name.encode()).hexdigest()))
    a(rendition, PK["format"], _str("txt"))
    a(rendition, PK.ingestedAt, Literal((datetime(2025, 6, 1, 8, 0) + timedelta(minutes=index)).isoformat(), datatype=XSD.dateTime))
    a(rendition, PK.precedence, _int(10))
    a(rendition, PK.ocr, _bool(index % 11 == 5))


def _cite(b: _Builder, doc: URIRef, n: int, cited: _Doc, kind: str, cited_as: str) -> None:
    a = b.add
    shortcut = {"implements": PK.implements, "basis": ELI.based_on, "mention": None, "amends": ELI.amends}[kind]
    ctype = {"implements": PK.CitationImplements, "basis": PK.CitationBasis, "mention": PK.CitationMention, "amends": PK.CitationAmends}[kind]
    c = URIRef(f"{doc}/citation/{n}")
    a(doc, ELI.cites, cited.iri)
    if shortcut is not None:
        a(doc, shortcut, cited.iri)
        if kind == "implements":
            a(doc, ELI.ensures_implementation_of, cited.iri)
    a(c, RDF.type, PK.Citation)
    a(c, PK.citingDocument, doc)
    a(c, PK.citedDocument, cited.iri)
    a(c, PK.citationType, ctype)
    a(c, PK.citedAs, _str(cited_as))
    a(c, PK.extractedFrom, b.span(cited_as, "rule:citation"))


def _cited_as(d: _Doc, kind_vi: str) -> str:
    return f"{kind_vi} số {d.symbol} ngày {d.when.day:02d}/{d.when.month:02d}/{d.when.year}"


def _section(b: _Builder, doc: URIRef, parent: URIRef, path: str, number: str, heading: str, appendix: bool = False) -> URIRef:
    a = b.add
    s = URIRef(f"{doc}/section/{path}")
    span = b.span(f"{number}. {heading}" if not appendix else heading, "rule:structure")
    a(s, RDF.type, PK.Appendix if appendix else PK.Section)
    a(s, ELI.is_part_of, parent)
    a(parent, ELI.has_part, s)
    a(s, PK.inDocument, doc)
    a(s, PK.number, _str(number))
    a(s, PK.path, _str(path))
    a(s, PK.heading, _vi(heading))
    a(s, PK.extractedFrom, span)
    return s


def _deadline(rng: random.Random, when: date) -> tuple[str, date | None, date | None, URIRef, bool]:
    """(text, start, end, recurrence, before) with a plan-like distribution."""
    r = rng.random()
    y = when.year
    if r < 0.30:
        return "Thường xuyên", None, None, PK.Continuous, False
    if r < 0.45:
        return "Hằng năm", None, None, PK.Annual, False
    if r < 0.60:
        q = rng.randint(1, 4)
        end = date(max(y, 2025), q * 3, 31 if q in (1, 4) else 30)
        return f"Quý {ROMAN[q - 1]}/{end.year}", date(end.year, q * 3 - 2, 1), end, PK.NoRecurrence, False
    if r < 0.80:
        month = rng.randint(1, 12)
        d = date(max(y, 2025) + rng.choice([0, 0, 0, 1]), month, 28 if month == 2 else rng.choice([15, 20, 30]))
        return f"Trước {d.day:02d}/{d.month:02d}/{d.year}", None, d, PK.NoRecurrence, True
    year = rng.choice([2025, 2025, 2026, 2027, 2030])
    return f"Năm {year}", date(year, 1, 1), date(year, 12, 31), PK.NoRecurrence, False


def _task_text(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(PURPOSES)}"
    if rng.random() < 0.5:
        text += f"; {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}"
    if rng.random() < 0.3:
        text += f", {rng.choice(PURPOSES)}"
    return text + "."


def _document(b: _Builder, rng: random.Random, index: int, loc: str, loc_name: str, regs: dict[str, dict[str, Agency]],
              groups: dict[str, URIRef], cite_pool: list[_Doc], nq57: _Doc, numbering: dict[tuple[str, int], int]) -> _Doc:
    a = b.add
    kind = rng.choices(KINDS, weights=[k[4] for k in KINDS])[0]
    cls, kind_vi, suffix, notation, _w = kind
    when = date(2024, 12, 25) + timedelta(days=int(600 * rng.random() ** 1.5))  # most plans in early 2025
    key = (loc, when.year)
    numbering[key] = numbering.get(key, 0) + rng.randint(1, 9)
    number = str(numbering[key])
    symbol = f"{number}/{suffix}"
    local = regs[loc]
    ubnd = local["ubnd"]
    doc = _doc_iri(f"ubnd-{loc}", when.year, symbol)
    file_name = f"{index:06d}_{hashlib.sha1(f'{index}-{loc}'.encode()).hexdigest()[:16]}.txt"
    b.start_file(file_name, URIRef(f"{BASE}source/{slugify(file_name)}"))
    unit = "THÀNH PHỐ" if loc in CITIES else "TỈNH"
    title = f"{kind_vi} triển khai thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    _write_doc_header(b, doc, cls, notation, symbol, number, when, ubnd, f"ỦY BAN NHÂN DÂN {unit} {loc_name.upper()}",
                      URIRef(f"{BASE}locality/{loc}"), title, rng.choice(SIGNERS), file_name, index)
    me = _Doc(doc, symbol, when, loc)

    # citations: 57-NQ/TW directly or through the chain (a provincial or central document)
    n = 0
    earlier = [d for d in cite_pool if d.when < when]
    same_loc = [d for d in earlier if d.locality == loc]
    targets_to_cite: list[tuple[_Doc, str]] = []
    if same_loc and rng.random() < 0.6:
        targets_to_cite.append((rng.choice(same_loc[-20:]), "implements"))
    elif earlier and rng.random() < 0.5:
        targets_to_cite.append((rng.choice([d for d in earlier if d.locality == "vn" and "QH" not in d.symbol]), "implements"))
    else:
        targets_to_cite.append((nq57, "implements"))
    if rng.random() < 0.5:
        targets_to_cite.append((nq57, "mention" if targets_to_cite[0][0] is not nq57 else "basis"))
    law = next((d for d in cite_pool if d.symbol == "72/2025/QH15"), None)
    if law is not None and rng.random() < 0.7:
        targets_to_cite.append((law, "basis"))
    seen: set[str] = set()
    for cited, ckind in targets_to_cite:
        if str(cited.iri) in seen:
            continue
        seen.add(str(cited.iri))
        n += 1
        _cite(b, doc, n, cited, ckind, _cited_as(cited, "Nghị quyết" if "NQ" in cited.symbol else "Luật" if "QH" in cited.symbol else "Kế hoạch"))

    # structure: I, II (no tasks), III with subsections holding tasks, IV; appendix table
    secs = [_section(b, doc, doc, ROMAN[i], ROMAN[i], h) for i, h in enumerate(SECTION_HEADINGS)]
    size = rng.choice([8, 12, 20, 30, 40, 60, 90, 120])
    n_sub = max(2, min(8, size // 8))
    subs = [_section(b, doc, secs[2], f"III.{k + 1}", str(k + 1), TASK_SUBHEADINGS[k % len(TASK_SUBHEADINGS)]) for k in range(n_sub)]
    appendix = _section(b, doc, doc, "PL1", "I", "Phụ lục: DANH MỤC NHIỆM VỤ TRỌNG TÂM", appendix=True) if cls in ("Plan", "Program") else None

    # targets in section II (Mục tiêu)
    n_targets = max(2, size // 6)
    for k in range(n_targets):
        _target(b, rng, doc, secs[1], f"II.{k + 1}", str(k + 1), when, local)

    # tasks in III.x, plus appendix rows for part of them
    dept_slugs = [d[0] for d in PROVINCIAL_DEPTS] + ["van-phong-ubnd"]
    row = 0
    for k in range(size):
        sub_i = k % n_sub
        path = f"III.{sub_i + 1}.{k // n_sub + 1}"
        task = _task(b, rng, doc, subs[sub_i], path, str(k // n_sub + 1), "narrative", when, local, dept_slugs, groups[loc])
        if appendix is not None and rng.random() < 0.5:
            row += 1
            row_task = _task(b, rng, doc, appendix, f"PL1.{row}", str(row), "appendix", when, local, dept_slugs, groups[loc])
            a(task, PK.correspondsTo, row_task)
            a(row_task, PK.correspondsTo, task)
    return me


def _task(b: _Builder, rng: random.Random, doc: URIRef, section: URIRef, path: str, number: str, origin: str, when: date,
          local: dict[str, Agency], dept_slugs: list[str], group: URIRef) -> URIRef:
    a = b.add
    t = URIRef(f"{doc}/task/{path}")
    text = _task_text(rng)
    span = b.span(f"{number}. {text}", f"rule:{origin}")
    parent_span = b.last_span
    a(t, RDF.type, PK.Task)
    a(t, PK.inDocument, doc)
    a(t, PK.inSection, section)
    a(t, PK.number, _str(number))
    a(t, PK.path, _str(path))
    a(t, PK.text, _str(text))
    a(t, PK.origin, _str(origin))
    a(t, PK.pillar, PK[f"pillar-{rng.choice(PILLARS)[0]}"])
    if rng.random() < 0.6:
        a(t, PK.expectedOutput, _str(rng.choice(OUTPUTS)))
    a(t, PK.extractedFrom, span)

    # agencies: the pre-merger names are used in documents dated before the merger
    chosen = rng.sample(dept_slugs, k=1 + min(3, int(rng.expovariate(1.0))))
    people: list[tuple[object, URIRef]] = []
    for i, slug in enumerate(chosen):
        ag = local.get(slug) or local["ubnd"]
        if when >= MERGER_DATE:
            while ag.successor is not None:
                ag = local[ag.successor]
        people.append((ag, PK.LeadRole if i == 0 else PK.CooperatingRole))
    if rng.random() < 0.15:
        people.append((group, PK.CooperatingRole))
    for i, (ag, role) in enumerate(people):
        iri = ag.iri if isinstance(ag, Agency) else ag
        raw = ag.label if isinstance(ag, Agency) else "Các sở, ban, ngành"
        a(t, PK.leadAgency if role == PK.LeadRole else PK.cooperatingAgency, iri)
        assoc = URIRef(f"{t}/association/{i + 1}")
        a(t, PROV.qualifiedAssociation, assoc)
        a(assoc, RDF.type, PROV.Association)
        a(assoc, PROV.agent, iri)
        a(assoc, PROV.hadRole, role)
        a(assoc, PK.rawName, _str(raw))
        a(assoc, PK.extractedFrom, b.span(raw, f"rule:{origin}-agency", inside=parent_span))

    # deadline
    dtext, start, end, recurrence, before = _deadline(rng, when)
    dl = URIRef(f"{t}/deadline")
    a(t, PK.deadline, dl)
    a(t, PK.deadlineText, _str(dtext))
    a(t, PK.recurrence, recurrence)
    a(dl, RDF.type, PK.Deadline)
    if start is not None:
        b_i = URIRef(f"{dl}/beginning")
        a(dl, TIME.hasBeginning, b_i)
        a(b_i, RDF.type, TIME.Instant)
        a(b_i, TIME.inXSDDate, _date(start))
        a(t, PK.startDate, _date(start))
    if end is not None:
        e_i = URIRef(f"{dl}/end")
        a(dl, TIME.hasEnd, e_i)
        a(e_i, RDF.type, TIME.Instant)
        a(e_i, TIME.inXSDDate, _date(end))
        a(t, PK.dueDate, _date(end))
        a(t, PK.dueYear, _int(end.year))
    if before:
        a(t, PK.dueBefore, _bool(True))
    a(dl, PK.extractedFrom, b.span(dtext, "rule:deadline", inside=parent_span))
    return t


def _target(b: _Builder, rng: random.Random, doc: URIRef, section: URIRef, path: str, number: str, when: date, local: dict[str, Agency]) -> None:
    a = b.add
    t = URIRef(f"{doc}/target/{path}")
    slug, label, unit, (lo, hi) = rng.choice(INDICATORS)
    comp_local, _notation, comp_sign, _w = rng.choices(COMPARATORS, weights=[c[3] for c in COMPARATORS])[0]
    year = rng.choices([2025, 2026, 2030, 2035, 2045], weights=[30, 10, 45, 5, 10])[0]
    value = round(rng.uniform(lo, hi), 1 if hi <= 100 else 0)
    horizon_text = f"Đến năm {year}"
    if comp_local == "Range":
        v2 = round(value * 1.2, 1)
        vtext = f"{value:g}–{v2:g} {unit}"
    elif comp_local == "Text":
        vtext = "đạt mức khá trở lên"
    else:
        vtext = f"{comp_sign}{value:g} {unit}".strip()
    text = f"{horizon_text}, {label[0].lower() + label[1:]} {vtext}."
    span = b.span(f"- {text}", "rule:target")
    a(t, RDF.type, PK.Target)
    a(t, PK.inDocument, doc)
    a(t, PK.inSection, section)
    a(t, PK.number, _str(number))
    a(t, PK.path, _str(path))
    a(t, PK.origin, _str("narrative"))
    a(t, PK.indicator, PK[f"indicator-{slug}"])
    a(t, PK.indicatorText, _str(label))
    a(t, PK.comparator, PK[f"Comparator{comp_local}"])
    if comp_local == "Range":
        a(t, PK.minValue, _dec(value))
        a(t, PK.maxValue, _dec(round(value * 1.2, 1)))
    elif comp_local != "Text":
        a(t, PK.value, _dec(value))
    a(t, PK.valueText, _str(vtext))
    a(t, PK.unit, _str(unit))
    h = URIRef(f"{t}/horizon")
    a(t, PK.horizon, h)
    a(h, RDF.type, PK.Horizon)
    he = URIRef(f"{h}/end")
    a(h, TIME.hasEnd, he)
    a(he, RDF.type, TIME.Instant)
    a(he, TIME.inXSDDate, _date(date(year, 12, 31)))
    a(t, PK.horizonText, _str(horizon_text))
    a(t, PK.horizonYear, _int(year))
    a(t, PK.horizonDate, _date(date(year, 12, 31)))
    monitor = local["so-khoa-hoc-va-cong-nghe"] if rng.random() < 0.5 else local[rng.choice(["so-tai-chinh", "so-noi-vu", "so-y-te", "so-giao-duc-va-dao-tao"])]
    if when < MERGER_DATE and rng.random() < 0.5:
        monitor = local["so-thong-tin-va-truyen-thong"]
    a(t, PK.monitoringAgency, monitor.iri)
    a(t, PK.extractedFrom, span)


def _central_docs(b: _Builder, regs: dict[str, dict[str, Agency]], start_index: int) -> list[tuple[SourceGraph, _Doc]]:
    """57-NQ/TW (Politburo), 03/NQ-CP (Government, implements 57), Law 72/2025/QH15, and a ministry plan."""
    out = []
    central = regs["vn"]
    specs = [
        ("57-NQ/TW", "57", "Resolution", "NQ", date(2024, 12, 22), "bo-chinh-tri", "BAN CHẤP HÀNH TRUNG ƯƠNG", "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", []),
        ("03/NQ-CP", "03", "Resolution", "NQ", date(2025, 1, 9), "chinh-phu", "CHÍNH PHỦ", "Nghị quyết ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW", [(0, "implements")]),
        ("72/2025/QH15", "72", "Document", "L", date(2025, 2, 19), "quoc-hoi", "QUỐC HỘI", "Luật Tổ chức chính quyền địa phương", []),
        ("1024/KH-BKHCN", "1024", "Plan", "KH", date(2025, 3, 20), "bo-khoa-hoc-va-cong-nghe", "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Kế hoạch thực hiện Chương trình hành động của Chính phủ", [(1, "implements"), (0, "mention")]),
    ]
    docs: list[_Doc] = []
    for i, (symbol, number, cls, notation, when, issuer, issuer_name, title, cites) in enumerate(specs):
        file_name = f"central_{slugify(symbol)}.txt"
        b.start_file(file_name, URIRef(f"{BASE}source/{slugify(file_name)}"))
        doc = _doc_iri(issuer, when.year, symbol)
        _write_doc_header(b, doc, cls, notation, symbol, number, when, central[issuer], issuer_name, URIRef(f"{BASE}locality/vn"), title, "Tô Lâm" if i == 0 else "Phạm Minh Chính", file_name, start_index + i)
        me = _Doc(doc, symbol, when, "vn")
        for n, (j, ckind) in enumerate(cites, start=1):
            _cite(b, doc, n, docs[j], ckind, _cited_as(docs[j], "Nghị quyết"))
        docs.append(me)
        out.append((SourceGraph(f"{BASE}graph/source/{slugify(file_name)}", b.out), me))
    return out


# --------------------------------------------------------------------------- API
def iter_graphs(triples: int = 1_000_000, seed: int = 57) -> Iterator[SourceGraph]:
    """Yield the named graphs one by one (registry and ontology first), stopping at ``triples``."""
    rng = random.Random(seed)
    onto = _ontology_graph()
    registry, regs, groups = _registry(rng)
    yield onto
    yield registry
    total = len(onto.triples) + len(registry.triples)
    b = _Builder(rng)
    pool: list[_Doc] = []
    nq57: _Doc | None = None
    for g, d in _central_docs(b, regs, 0):
        pool.append(d)
        nq57 = nq57 or d
        total += len(g.triples)
        yield g
    assert nq57 is not None
    numbering: dict[tuple[str, int], int] = {}
    index = 0
    while total < triples:
        loc, loc_name = PROVINCES[rng.randrange(len(PROVINCES)) if index >= len(PROVINCES) else index]
        d = _document(b, rng, index, loc, loc_name, regs, groups, pool, nq57, numbering)
        pool.append(d)
        out = list(dict.fromkeys(b.out))  # no duplicate triple inside a graph
        total += len(out)
        index += 1
        yield SourceGraph(f"{BASE}graph/source/{slugify(b.file)}", out)


def generate(triples: int = 1_000_000, seed: int = 57) -> Corpus:
    """The whole corpus in memory (graphs as triple lists)."""
    return Corpus(list(iter_graphs(triples, seed)))


def to_rdflib_graphs(corpus: Corpus | Iterator[SourceGraph]) -> Iterator[rdflib.Graph]:
    """Each source graph as an rdflib Graph whose identifier is the graph IRI."""
    graphs = corpus.graphs if isinstance(corpus, Corpus) else corpus
    for sg in graphs:
        g = rdflib.Graph(identifier=URIRef(sg.iri))
        for t in sg.triples:
            g.add(t)
        yield g


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def nt_term(t: rdflib.term.Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        body = f'"{_esc(str(t))}"'
        if t.language:
            return f"{body}@{t.language}"
        if t.datatype is not None and t.datatype != XSD.string:
            return f"{body}^^<{t.datatype}>"
        return body
    return t.n3()


def write_nquads(graphs: Iterator[SourceGraph] | Corpus, path: Path) -> int:
    """Write N-Quads grouped by graph (one block per source graph); returns the quad count."""
    graphs = graphs.graphs if isinstance(graphs, Corpus) else graphs
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for sg in graphs:
            g = f"<{sg.iri}>"
            fh.write("".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {g} .\n" for s, p, o in sg.triples))
            n += len(sg.triples)
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size target (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=57)
    ap.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    args = ap.parse_args(argv)
    graphs = 0

    def counted() -> Iterator[SourceGraph]:
        nonlocal graphs
        for g in iter_graphs(args.triples, args.seed):
            graphs += 1
            yield g

    n = write_nquads(counted(), args.out)
    print(f"wrote {n:,} quads in {graphs} named graphs to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
