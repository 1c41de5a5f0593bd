"""The agency registry: who the plans assign tasks to, under one stable id each.

Why a registry and not free text: the same department is printed as "Sở Thông tin và
Truyền thông", "Sở TT&TT", "STTTT" or, in OCR, "So Thong tin va Truyen thong"; "Sở Y tế"
means a different body in every province; collectives ("Các sở, ban, ngành") are not one
agency; and the 2025 reorganisation gave many units successors. The facts live in
``ontology/registry/agencies.yaml``; this module loads them, splits printed cells into
names (:func:`split_agencies`) and resolves a name in a document's locality
(:meth:`Registry.resolve`). Nothing printed is lost: an unknown name gets an ad-hoc id
(``known=False``).
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from plankg.folding import fold, fold_aligned, slugify
from plankg.ontology import REGISTRY_DIR

REGISTRY_PATH = REGISTRY_DIR / "agencies.yaml"
GRAMMAR_PATH = REGISTRY_DIR / "agency_grammar.yaml"
FUZZY_THRESHOLD = 90.0  # fuzz.ratio on normalised keys; 88 would confuse "bo y te"/"so y te"-like pairs
LEVEL_WORDS = ("tinh", "tinh uy", "phuong", "xa", "huyen", "thanh pho", "thi xa")
# Words that begin an agency name: a " và " before them separates two agencies.
Level = Literal["central", "province", "district", "ward", "commune"]


@dataclass(frozen=True)
class Locality:
    id: str
    name: str  # "Bình Phước"
    label: str  # "tỉnh Bình Phước"
    level: str
    parent: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    successor: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Agency:
    """A registered agency or, with ``kind == "group"``, a collective (pk:AgentGroup)."""

    id: str  # "binh-phuoc/so-y-te"
    name: str  # skos:prefLabel within its locality: "Sở Y tế"
    label: str  # full name: "Sở Y tế tỉnh Bình Phước"
    locality: str
    level: str
    alt: tuple[str, ...] = ()
    parent: str | None = None
    kind: Literal["agency", "group"] = "agency"
    member_pattern: str | None = None
    members: tuple[str, ...] = ()  # slug globs of member agencies (groups only)
    phrases: tuple[str, ...] = ()  # printed forms of a group
    valid_from: date | None = None
    valid_until: date | None = None
    merge: bool = True  # follows its locality into the successor locality
    note: str | None = None

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]


@dataclass(frozen=True)
class Succession:
    predecessor: str
    successor: str
    date: date
    legal_basis: str | None
    note: str | None = None
    partial: bool = False  # only some functions moved (e.g. press from Sở TT&TT to Sở VHTTDL)


@dataclass(frozen=True)
class AgencyMatch:
    id: str  # registry id, or an ad-hoc "<locality>/<slug>"
    name: str  # registry prefLabel, or the cleaned printed name
    raw: str  # as given
    collective: bool
    score: float  # 100 exact, fuzzy ratio otherwise, 0 ad hoc
    known: bool = True
    locality: str | None = None


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def clean_name(text: str) -> str:
    """A printed name without bullets, parenthetical remarks and trailing punctuation."""
    text = _collapse(re.sub(r"\([^)]*\)?|<[^>]*>?", " ", text))
    text = re.sub(r"^[-–+•·*]\s*", "", text)
    text = re.sub(r"^(?:và|với|cùng)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" .,;:/-–").strip()


class Registry:
    """Agencies, groups, localities and successions, with name resolution in context."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._abbr_printed: dict[str, str] = {str(k): str(v) for k, v in (data.get("abbreviations") or {}).items()}
        self._terms: dict[str, str] = {str(k): str(v) for k, v in (data.get("terms") or {}).items()}
        self._abbr: dict[str, str] = {}
        for k, v in self._abbr_printed.items():
            self._abbr[re.sub(r"[^a-z0-9]", "", fold(k))] = self._key(v, expand=False)
        self.localities: dict[str, Locality] = {}
        for loc in data.get("localities") or []:
            self.localities[loc["id"]] = Locality(
                id=loc["id"], name=loc["name"], label=loc["label"], level=loc["level"], parent=loc.get("parent"),
                valid_from=_date(loc.get("valid_from")), valid_until=_date(loc.get("valid_until")),
                successor=loc.get("successor"), note=loc.get("note"))
        bases = {str(k): str(v) for k, v in (data.get("legal_bases") or {}).items()}
        self.agencies: dict[str, Agency] = {}
        self.successions: list[Succession] = []
        for tpl in data.get("templates") or []:
            for loc_id in tpl["applies_to"]:
                for entry in tpl.get("agencies") or []:
                    self._add_agency({**entry, "id": f"{loc_id}/{entry['slug']}"})
                for s in tpl.get("successions") or []:
                    self._add_succession(s, bases, prefix=f"{loc_id}/")
        for entry in data.get("agencies") or []:
            self._add_agency(entry)
        for g in data.get("groups") or []:
            for loc in self.localities.values():
                if loc.level in g["levels"]:
                    self._add_agency({**g, "id": f"{loc.id}/{g['slug']}", "kind": "group"})
        for s in data.get("successions") or []:
            self._add_succession(s, bases)
        for ls in data.get("locality_successions") or []:
            self._merge_locality(ls, bases)
        self._build_index()

    # -- loading -------------------------------------------------------------------
    def _add_agency(self, e: dict[str, Any]) -> None:
        loc_id = e["id"].split("/", 1)[0]
        loc = self.localities[loc_id]
        subst = {"name": loc.name, "label": loc.label}
        name = str(e["name"]).format(**subst)
        label = str(e["label"]).format(**subst) if e.get("label") else self._full_label(name, loc)
        parent = e.get("parent")
        if parent and "/" not in parent:
            parent = f"{loc_id}/{parent}"
        self.agencies[e["id"]] = Agency(
            id=e["id"], name=name, label=label, locality=loc_id, level=loc.level,
            alt=tuple(str(a).format(**subst) for a in e.get("alt") or ()), parent=parent,
            kind=e.get("kind", "agency"), member_pattern=e.get("member_pattern"),
            members=tuple(e.get("members") or ()), phrases=tuple(e.get("phrases") or ()),
            valid_from=_date(e.get("valid_from")) or loc.valid_from,
            valid_until=_date(e.get("valid_until")) or loc.valid_until,
            merge=e.get("merge", True), note=e.get("note"))

    def _full_label(self, name: str, loc: Locality) -> str:
        if loc.level == "central":
            return name
        if _ends_with_level(name):
            return f"{name} {loc.name}"  # "UBND tỉnh" → "UBND tỉnh Bình Phước"
        return f"{name} {loc.label}"  # "Sở Y tế" → "Sở Y tế tỉnh Bình Phước"

    def _add_succession(self, s: dict[str, Any], bases: dict[str, str], prefix: str = "") -> None:
        basis = s.get("basis")
        for pred in s["from"]:
            self.successions.append(Succession(
                predecessor=prefix + pred, successor=prefix + s["to"], date=_date(s["date"]),  # type: ignore[arg-type]
                legal_basis=bases.get(basis, basis) if basis else None, note=s.get("note"),
                partial=bool(s.get("partial", False))))

    def _merge_locality(self, ls: dict[str, Any], bases: dict[str, str]) -> None:
        """A merged province: each unit alive the day before goes to the same-named unit."""
        when = _date(ls["date"])
        assert when is not None
        for a in list(self.agencies.values()):
            if a.locality != ls["from"] or a.kind != "agency" or not a.merge:
                continue
            if a.valid_until is not None and a.valid_until < when - timedelta(days=1):
                continue
            target = self.agencies.get(f"{ls['to']}/{a.slug}")
            if target is not None:
                self._add_succession({"from": [a.id], "to": target.id, "date": when, "basis": ls.get("basis"),
                                      "note": ls.get("note")}, bases)

    def _build_index(self) -> None:
        """Normalised key → [(agency id, names its locality explicitly)]; group phrases apart."""
        self._index: dict[str, list[tuple[str, bool]]] = {}
        self._group_phrases: list[tuple[str, str]] = []  # (key, group slug), longest first
        printed: set[str] = set()
        for a in self.agencies.values():
            if a.kind == "group":
                for p in (a.name, *a.phrases):
                    self._group_phrases.append((self._key(p), a.slug))
                    printed.add(p)
                continue
            loc = self.localities[a.locality]
            generic = {a.name, *a.alt}
            explicit = {a.label} | {self._full_label(n, loc) for n in generic if loc.level != "central"}
            if loc.level != "central":  # "Sở Y tế tỉnh", "Trạm Y tế phường"
                word = loc.label[: len(loc.label) - len(loc.name)].strip()
                generic |= {f"{n} {word}" for n in generic if not _ends_with_level(n)}
            for names, flag in ((generic - explicit, False), (explicit, True)):
                for n in names:
                    k = self._key(n)
                    if k and (a.id, flag) not in self._index.setdefault(k, []):
                        self._index[k].append((a.id, flag))
                    printed.add(n)
        self._group_phrases = sorted(set(self._group_phrases), key=lambda p: -len(p[0]))
        phrases = sorted({p for p in printed if len(p.split()) >= 2}, key=len, reverse=True)
        self._protect = re.compile(
            r"(?<![a-z0-9])(?:" + "|".join(_phrase_pattern(p) for p in phrases) + r")(?![a-z0-9])")

    # -- normalisation -------------------------------------------------------------
    def _key(self, text: str, expand: bool = True) -> str:
        """Matching key: folded, no remarks or punctuation, abbreviations expanded."""
        t = fold(re.sub(r"\([^)]*\)?", " ", text))
        t = re.sub(r"\s*&\s*", "&", t)
        out: list[str] = []
        for tok in re.findall(r"[a-z0-9]+(?:[&./-][a-z0-9]+)*", t):
            compact = re.sub(r"[^a-z0-9]", "", tok)
            if expand and compact in self._abbr:
                out.append(self._abbr[compact])
            else:
                out.append(re.sub(r"[./-]", " ", tok.replace("&", " va ")))
        return " ".join(" ".join(out).split())

    def abbreviations(self) -> dict[str, str]:
        """Printed abbreviation → expansion (agency abbreviations and domain terms), for query expansion."""
        return {**self._abbr_printed, **self._terms}

    # -- lookups -------------------------------------------------------------------
    def get(self, agency_id: str) -> Agency | None:
        return self.agencies.get(agency_id)

    def locality(self, text: str | None, level: str | None = None) -> Locality | None:
        """'Bình Phước' + 'province', 'phường Bình Phước', 'binh-phuoc' or 'dong-nai' → a Locality."""
        if not text:
            return self.localities.get("vn") if level == "central" else None
        if text in self.localities:
            return self.localities[text]
        key = fold(_collapse(text))
        hits = [loc for loc in self.localities.values() if key in (fold(loc.name), fold(loc.label), loc.id)]
        if level:
            same = [loc for loc in hits if loc.level == level or {loc.level, level} <= {"ward", "commune"}]
            hits = same or hits
        exact = [loc for loc in hits if key == fold(loc.label)]
        hits = exact or hits
        by_rank = sorted(hits, key=lambda loc: ["province", "central", "district", "ward", "commune"].index(loc.level))
        return by_rank[0] if by_rank else None

    def _chain(self, loc: Locality | None, as_of: date | None) -> list[str]:
        """The locality, its successor if it had ceased by ``as_of``, then its ancestors up to vn."""
        chain: list[str] = []
        while loc is not None and loc.id not in chain:
            if as_of and loc.valid_until and as_of > loc.valid_until and loc.successor:
                loc = self.localities[loc.successor]
                continue
            chain.append(loc.id)
            loc = self.localities.get(loc.parent) if loc.parent else None
        if chain and "vn" not in chain and "vn" in self.localities:
            chain.append("vn")
        return chain

    def members(self, group_id: str) -> list[Agency]:
        """Registered agencies a group stands for (its ``members`` slug globs; "*/x" = child localities)."""
        g = self.agencies[group_id]
        out: list[Agency] = []
        for a in self.agencies.values():
            if a.kind != "agency":
                continue
            loc = self.localities[a.locality]
            for pat in g.members:
                here = "/" not in pat and a.locality == g.locality and fnmatch.fnmatch(a.slug, pat)
                child = "/" in pat and loc.parent == g.locality and fnmatch.fnmatch(a.slug, pat.split("/", 1)[1])
                if here or child:
                    out.append(a)
                    break
        return out

    # -- resolution ----------------------------------------------------------------
    def resolve(self, name: str, locality: str | None = None, level: str | None = None, *,
                as_of: date | None = None) -> AgencyMatch | None:
        """The agency or group a printed name means in a document of ``locality``/``level``.

        Scoping: a generic name ("Sở Y tế", "UBND tỉnh") resolves in the document's
        locality or the nearest enclosing one (a ward's "Sở Y tế" is its province's); a
        name that states its place ("UBND tỉnh Đồng Nai") resolves anywhere. ``as_of``
        (the document date) moves a locality that had ceased to its successor. Returns
        None only when ``name`` has no letters or digits.
        """
        cleaned = clean_name(name)
        key = self._key(cleaned)
        if not key:
            return None
        loc = self.locality(locality, level)
        chain = self._chain(loc, as_of)
        if loc is None and locality:  # a place the registry does not know: its own names are ad hoc
            place = re.sub(r"^(?:tinh|thanh pho|thi xa|huyen|quan|phuong|xa|thi tran)\s+", "", fold(_collapse(locality)))
            chain = [slugify(place), "vn"]
        hit = self._exact(key, chain, as_of)
        if hit:
            return self._match(hit[0], name, hit[1])
        group = self._group(key, name, chain)
        if group:
            return group
        hit = self._fuzzy(key, chain)
        if hit:
            return self._match(hit[0], name, hit[1])
        return self._ad_hoc(cleaned, key, name, chain)

    def resolve_or_keep(self, name: str, locality: str | None = None, level: str | None = None, *,
                        as_of: date | None = None) -> AgencyMatch:
        """:meth:`resolve` that never returns None: a name without letters ("-", "…") is kept
        as an unknown agency ("unnamed") so that one bad cell never stops a batch."""
        m = self.resolve(name, locality, level, as_of=as_of)
        if m is not None:
            return m
        place = self._chain(self.locality(locality, level), as_of)[:1] or ["unknown"]
        return AgencyMatch(id=f"{place[0]}/unnamed", name=clean_name(name) or name.strip() or "?", raw=name,
                           collective=False, score=0.0, known=False, locality=place[0])

    def _rank(self, agency_id: str, explicit: bool, chain: list[str]) -> int | None:
        """Lower is nearer; None = out of scope (a generic name of another locality)."""
        a = self.agencies[agency_id]
        if a.locality in chain:
            return chain.index(a.locality)
        if explicit or (not chain and a.level == "central"):
            return 50
        return None if chain else 60

    def _exact(self, key: str, chain: list[str], as_of: date | None) -> tuple[str, float] | None:
        ranked = []
        for agency_id, explicit in self._index.get(key, []):
            rank = self._rank(agency_id, explicit, chain)
            if rank is not None:
                a = self.agencies[agency_id]
                alive = as_of is None or ((a.valid_from or date.min) <= as_of <= (a.valid_until or date.max))
                ranked.append((rank, not alive, agency_id))
        if not ranked:
            return None
        ranked.sort()
        ambiguous = not chain and len({r[2] for r in ranked if r[0] == ranked[0][0]}) > 1
        return ranked[0][2], 80.0 if ambiguous else 100.0

    def _group(self, key: str, raw: str, chain: list[str]) -> AgencyMatch | None:
        """A collective: the group's instance in the nearest locality of the chain that has one."""
        for phrase, slug in self._group_phrases:
            if key == phrase or key.startswith(phrase + " "):
                for loc_id in chain:
                    if f"{loc_id}/{slug}" in self.agencies:
                        return self._match(f"{loc_id}/{slug}", raw, 100.0)
                first = next(a for a in self.agencies.values() if a.slug == slug)
                if not chain:  # no context: the first instance, flagged by a lower score
                    return self._match(first.id, raw, 80.0)
                # a collective of a level the document's place lacks (or an unknown place)
                return AgencyMatch(id=f"{chain[0]}/{slug}", name=first.name, raw=raw, collective=True,
                                   score=0.0, known=False, locality=chain[0])
        return None

    def _fuzzy(self, key: str, chain: list[str]) -> tuple[str, float] | None:
        best: tuple[float, int, str] | None = None
        for k, entries in self._index.items():
            if k[:1] != key[:1]:
                continue  # the head noun's first letter must agree: never "Bộ Y tế" for "Sở Y tế"
            score = fuzz.ratio(key, k)
            # a ratio alone lets "so ngoai vu" pass for "so noi vu": also bound the edits by length
            if score < FUZZY_THRESHOLD or Levenshtein.distance(key, k) > max(1, len(k) // 8):
                continue
            for agency_id, _explicit in entries:
                # a near miss of a place-named variant is no evidence of that place
                rank = self._rank(agency_id, False, chain)
                if rank is not None and (best is None or (score, -rank) > (best[0], -best[1])):
                    best = (score, rank, agency_id)
        return (best[2], round(best[0], 1)) if best else None

    def _match(self, agency_id: str, raw: str, score: float) -> AgencyMatch:
        a = self.agencies[agency_id]
        return AgencyMatch(id=a.id, name=a.name, raw=raw, collective=a.kind == "group", score=score,
                           known=True, locality=a.locality)

    def _ad_hoc(self, cleaned: str, key: str, raw: str, chain: list[str]) -> AgencyMatch:
        """An unregistered name: id from the place it names (else the document's) and its slug."""
        place, name = (chain[0] if chain else "unknown"), cleaned
        if (re.match(r"(bo|quoc hoi|chinh phu|ban chap hanh trung uong) ", key + " ") or key.endswith(" trung uong")
                or re.search(r" cua (?:quoc hoi|chinh phu)$", key)):
            # a ministry or central body, whatever the document's place; a body "of" the National
            # Assembly or the Government ("các Ủy ban của Quốc hội") is one of theirs
            place = "vn"
        folded = fold(cleaned)
        locs = [x for x in self.localities.values() if x.level != "central"]
        tails = sorted(((x.label, x) for x in locs), key=lambda t: -len(t[0])) + sorted(
            ((x.name, x) for x in locs), key=lambda t: (t[1].id not in chain, t[1].level != "province"))
        for tail, other in tails:
            if folded.endswith(" " + fold(tail)):
                name, place = cleaned[: len(cleaned) - len(tail)].strip(), other.id
                break
        collective = key.startswith("cac ") or " cac " in f" {key} "
        return AgencyMatch(id=f"{place}/{slugify(name) or 'unnamed'}", name=cleaned, raw=raw, collective=collective,
                           score=0.0, known=False, locality=place)

    # -- successions ---------------------------------------------------------------
    def successors(self, agency_id: str, *, include_partial: bool = False) -> list[Succession]:
        """Every succession link reachable forward from ``agency_id`` (breadth first, with dates)."""
        return self._walk(agency_id, forward=True, include_partial=include_partial)

    def predecessors(self, agency_id: str, *, include_partial: bool = False) -> list[Succession]:
        """Every succession link reachable backward from ``agency_id`` (breadth first, with dates)."""
        return self._walk(agency_id, forward=False, include_partial=include_partial)

    def _walk(self, start: str, *, forward: bool, include_partial: bool) -> list[Succession]:
        out: list[Succession] = []
        seen = {start}
        todo = deque([start])
        while todo:
            cur = todo.popleft()
            for s in self.successions:
                if s.partial and not include_partial:
                    continue
                here, there = (s.predecessor, s.successor) if forward else (s.successor, s.predecessor)
                if here == cur:
                    out.append(s)
                    if there not in seen:
                        seen.add(there)
                        todo.append(there)
        return out

    # -- splitting -----------------------------------------------------------------
    def name_mask(self, text: str) -> list[bool]:
        """For each character of ``text``: does it lie inside a registered name or group phrase?

        Why: a comma or " và " inside "Sở Văn hóa, Thể thao và Du lịch" or "Viện Văn hóa,
        Nghệ thuật, …" is part of the name, not a separator; every reader that cuts a sentence
        at such marks asks this first (one home for the registry's printed names).
        """
        folded = fold_aligned(text)
        mask = [False] * len(text)
        for m in self._protect.finditer(folded):
            mask[m.start():m.end()] = [True] * (m.end() - m.start())
        return mask

    def split(self, cell: str) -> list[str]:
        """See :func:`split_agencies`."""
        text = _collapse(cell)
        if not text:
            return []
        listed = locality_list(text)
        if listed is not None:  # "Ủy ban nhân dân các xã: A, B, C": the places end the name
            colon, end = listed
            head = self.split(text[:colon])
            if head:
                return [*head[:-1], f"{head[-1]}: {text[colon + 1:end].strip()}", *self.split(text[end:])]
        folded = fold_aligned(text)
        guarded = self.name_mask(text)
        depth = 0
        for i, ch in enumerate(text):  # never split inside a parenthesis
            depth += ch == "("
            guarded[i] = guarded[i] or depth > 0
            depth -= ch == ")" and depth > 0
        cuts: list[tuple[int, int]] = []
        for m in _separator_re().finditer(folded):
            if not guarded[m.start()]:
                cuts.append((m.start(), m.end()))
        for m in _juxta_re().finditer(text):
            if not guarded[m.start()] and _ends_an_agency(text[: m.start()], cuts):
                cuts.append((m.start(), m.end()))
        for m in re.finditer(r"\s+", text):  # two protected names side by side
            if (m.start() and m.end() < len(text) and guarded[m.start() - 1] and guarded[m.end()]
                    and not guarded[m.start()] and text[m.end()].isupper()):
                # a lower-case group after a name qualifies it: "Ủy ban nhân dân | các địa
                # phương" is the committees of the localities, one collective
                cuts.append((m.start(), m.end()))
        pieces, pos = [], 0
        for a, b in _keep_collectives(text, sorted(set(cuts))):
            if a >= pos:
                pieces.append(text[pos:a])
                pos = b
        pieces.append(text[pos:])
        return [p for p in (clean_name(p) for p in pieces) if p and re.search(r"\w", p)]


@dataclass(frozen=True)
class Grammar:
    """The agency-name grammar of ``ontology/registry/agency_grammar.yaml`` (folded keys)."""

    heads: tuple[str, ...]
    body_heads: tuple[str, ...]
    words: frozenset[str]  # printed, lower case
    collective_nouns: tuple[str, ...]
    qualifiers: tuple[str, ...]
    proper_after: frozenset[str]
    after_conjunction: tuple[str, ...] = ()  # folded keys
    juxtaposed: tuple[str, ...] = ()  # printed, case kept
    level_nouns: tuple[str, ...] = ()  # folded keys
    level_printed: tuple[str, ...] = ()  # the same, printed lower case ("phường" ≠ "địa phương")
    after_and_new: tuple[str, ...] = ()  # folded keys
    titles: tuple[str, ...] = ()  # folded keys
    heads_printed: tuple[str, ...] = ()  # ``heads`` printed, lower case ("sở" ≠ "số")
    body_heads_printed: tuple[str, ...] = ()  # ``body_heads`` printed, lower case
    not_heads: tuple[str, ...] = ()  # folded keys
    distributive: tuple[str, ...] = ()  # folded keys
    piece_words: int = 8  # ``collective_piece_words``
    level_descriptors: tuple[str, ...] = ()  # folded keys
    remark_openers: tuple[str, ...] = ()  # folded keys
    owned_units: tuple[str, ...] = ()  # folded keys
    kind_words: tuple[str, ...] = ()  # folded keys
    role_appositions: tuple[str, ...] = ()  # folded keys
    description_verbs: tuple[str, ...] = ()  # folded keys

    def not_head_lookahead(self) -> str:
        """A regex lookahead that refuses a text opening with a ``not_heads`` noun ("trường hợp")."""
        if not self.not_heads:
            return ""
        # also after "các": "Các trường hợp …" (the cases) is no collective of schools
        return r"(?!(?:cac\s+)?(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in self.not_heads) + r")(?![a-z0-9]))"

    def head_pattern(self, heads: tuple[str, ...] | None = None) -> re.Pattern[str]:
        """Folded, lower-case text starting with one of ``heads`` (default: all heads)."""
        alts = sorted(set(heads or self.heads + tuple(f"cac {n}" for n in self.collective_nouns)), key=len, reverse=True)
        return re.compile(r"^" + self.not_head_lookahead()
                          + r"(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in alts) + r")(?![a-z0-9])")


@lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    """The grammar (cached): one list of head words, name words and collective nouns."""
    with open(GRAMMAR_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)

    def keys(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fold(str(w)).lower() for w in data.get(name) or ()))

    def printed(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(w).lower() for w in data.get(name) or ()))

    return Grammar(heads=keys("heads"), body_heads=keys("body_heads"),
                   words=frozenset(str(w).lower() for w in data.get("words") or ()),
                   collective_nouns=keys("collective_nouns"), qualifiers=keys("collective_qualifiers"),
                   proper_after=frozenset(str(w).lower() for w in data.get("proper_after") or ()),
                   after_conjunction=keys("after_conjunction"),
                   juxtaposed=tuple(dict.fromkeys(str(w) for w in data.get("juxtaposed") or ())),
                   level_nouns=keys("level_nouns"),
                   level_printed=tuple(dict.fromkeys(str(w).lower() for w in data.get("level_nouns") or ())),
                   after_and_new=keys("after_and_new"), titles=keys("titles"), not_heads=keys("not_heads"),
                   distributive=keys("distributive_nouns"),
                   piece_words=int(data.get("collective_piece_words") or 8),
                   level_descriptors=keys("level_descriptors"), remark_openers=keys("remark_openers"),
                   owned_units=keys("owned_units"), kind_words=keys("kind_words"),
                   role_appositions=keys("role_appositions"), description_verbs=keys("description_verbs"),
                   heads_printed=printed("heads"), body_heads_printed=printed("body_heads"))


@lru_cache(maxsize=1)
def _separator_re() -> re.Pattern[str]:
    """A separator between two agencies in folded text: "," ";" or "và"/"với" before a head
    of the grammar's ``after_conjunction`` ("Sở Y tế và Sở Tài chính") or an official's
    title ("Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các xã")."""
    g = load_grammar()
    heads = "|".join(re.escape(h).replace(r"\ ", " ") for h in g.after_conjunction + g.titles)
    return re.compile(r"[;,]|\s(?:va|voi)\s(?=(?:" + heads + r")\b)")


@lru_cache(maxsize=1)
def _juxta_re() -> re.Pattern[str]:
    """The space before a capitalised head of the grammar's ``juxtaposed`` (printed text)."""
    g = load_grammar()
    heads = "|".join(re.escape(h).replace(r"\ ", " ") for h in g.juxtaposed)
    # "Phòng thủ dân sự" is no "Phòng": the grammar's not_heads, printed, any case
    refuse = "|".join(re.escape(w).replace(r"\ ", " ") for w in _printed_not_heads())
    guard = rf"(?!(?i:{refuse})\b)" if refuse else ""
    # a head printed with no name after it ("… thành phố Hải Phòng và tỉnh …", "… Hải Phòng,") is
    # the end of a place name, not a body: a body's head is followed by its name
    named = r"(?!\s*(?:[,;.:)]|$|và\s|hoặc\s))"
    return re.compile(r"\s" + guard + r"(?=(?:" + heads + r")\b" + named + ")")


@lru_cache(maxsize=1)
def _printed_qualifiers() -> tuple[str, ...]:
    """The grammar's ``collective_qualifiers`` as printed, lower case (folded, "khác" would
    also be "khắc")."""
    with open(GRAMMAR_PATH, encoding="utf-8") as fh:
        return tuple(unicodedata.normalize("NFC", str(w)).lower() for w in yaml.safe_load(fh).get("collective_qualifiers") or ())


@lru_cache(maxsize=1)
def _printed_not_heads() -> tuple[str, ...]:
    """The grammar's ``not_heads`` as printed, lower case ("phòng thủ")."""
    with open(GRAMMAR_PATH, encoding="utf-8") as fh:
        return tuple(str(w).lower() for w in yaml.safe_load(fh).get("not_heads") or ())


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern[str]:
    return load_grammar().head_pattern()


@lru_cache(maxsize=1)
def _body_re() -> re.Pattern[str]:
    g = load_grammar()
    return g.head_pattern(g.body_heads)


@lru_cache(maxsize=1)
def _continuation_re() -> re.Pattern[str]:
    """A piece made only of collective nouns and a closing qualifier ("phường", "địa phương liên quan")."""
    g = load_grammar()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.collective_nouns, key=len, reverse=True))
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in sorted(g.qualifiers, key=len, reverse=True))
    return re.compile(rf"^(?:{nouns})(?:\s+(?:va|hoac)\s+(?:{nouns}))*(?:\s+(?:{quals})\b.*)?\s*[.;:]?$")


@lru_cache(maxsize=1)
def _level_lists() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a name ending in a level noun, a piece made only of level nouns and a qualifier).

    "UBND xã, phường, đặc khu" and "Ủy ban nhân dân phường, xã" list levels without "các":
    after a name that ends in a level noun, a piece that is only level nouns continues it.
    """
    g = load_grammar()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.level_nouns, key=len, reverse=True))
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in sorted(g.qualifiers, key=len, reverse=True))
    printed = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.level_printed, key=len, reverse=True))
    ends = re.compile(rf"(?<!\w)(?:{printed})\s*$")  # printed: folding makes "địa phương" end in "phuong"
    descr = "|".join(re.escape(d).replace(r"\ ", r"\s+") for d in sorted(g.level_descriptors, key=len, reverse=True))
    # "… thành phố ven biển", "… thành phố từ Hà Tĩnh đến Lâm Đồng": which localities the list means
    described = (rf"(?:\s+(?:{descr})(?![a-z0-9]))?(?:\s+tu\s+[a-z][^,;:]{{0,40}}\s+den\s+[a-z][^,;:]{{0,40}}?)?"
                 if descr else "")
    only = re.compile(rf"^(?:{nouns})(?:\s+(?:va|hoac)\s+(?:{nouns}))*{described}(?:\s+(?:{quals})\b.*)?\s*[.;:]?$")
    return ends, only


def _ends_an_agency(before: str, cuts: list[tuple[int, int]]) -> bool:
    """May a capitalised head right after ``before`` start a second agency ("… Sở Tài chính
    Sở Xây dựng", a PDF cell broken over lines)? Only when the piece it would close (from
    the last separator) is an agency or the next item of a list, and does not end in a word
    that binds the head to it ("của", "và", "Chỉ huy Công an xã": a title, not a list)."""
    prev = fold(before).rsplit(" ", 1)[-1]
    if prev in ("va", "voi", "cua", "thuoc", "cho", "tai", "cac"):
        return False
    start = max((b for a, b in cuts if b <= len(before)), default=0)
    piece = before[start:]
    key = fold(piece).lower().strip()
    if key in load_grammar().owned_units or key in load_grammar().titles:
        return False  # "Văn phòng Ban Chỉ huy …", "Trưởng Ban Chỉ đạo": a unit or head of the body after it
    unit = next((u for u in load_grammar().owned_units if key.startswith(u + " ")), None)
    if unit is not None and re.search(r"\s[-–]\s*$", before) and key[len(unit):].strip(" -–") in load_grammar().heads:
        # "Văn phòng HĐND - UBND cấp xã": one office serving both bodies the dash joins (the
        # first printed bare, its level after the second); "Văn phòng UBND tỉnh - Sở …" is two
        return False
    if looks_like_agency(piece):
        return True
    left = before[: max(start - 1, 0)]
    return bool(start) and _continues_list(left, fold(piece).lower().strip())


def _continues_name(left: str, right_printed: str) -> bool:
    """A short lower-case piece with no agency head after a comma ends the name before it:
    "Trung tâm Xúc tiến đầu tư, thương mại và du lịch", "các doanh nghiệp sản xuất, chế biến
    và xuất khẩu hàng hóa" — such a piece names no body of its own."""
    piece = right_printed.strip()
    return (bool(piece[:1].islower()) and (looks_like_agency(left) or is_collective(left)) and not looks_like_agency(piece)
            and not is_collective(piece) and len(piece.split()) <= 8 and not any(w[:1].isupper() for w in piece.split()))


def _continues_list(left: str, right: str) -> bool:
    """Is the piece ``right`` (folded, lower case) the next item of a list that ``left`` opened?"""
    ends, only = _level_lists()
    left_key = unicodedata.normalize("NFC", clean_name(left)).lower()
    bare = fold(without_title(left)).lower()  # "Người đứng đầu | cơ quan" + "tổ chức": the title's list
    if (is_collective(left) or _continuation_re().match(fold(clean_name(left)).lower())
            or _continuation_re().match(bare)) and _continuation_re().match(right):
        # "Các sở" + "ngành"; "UBND các xã" + "phường" — but a list of levels goes on with
        # levels only: "UBND các xã, phường và cơ quan, đơn vị có liên quan" is two bodies
        return not ((ends.search(left_key) or _closed_level_list(left)) and not only.match(right))
    return bool(looks_like_agency(without_title(left)) and ends.search(left_key) and only.match(right))


def _bare_list(left: str, right: str) -> bool:
    """Is ``left`` a comma list of bare collective nouns in lower case ("bộ, ngành") and the
    piece after the next comma one more ("địa phương")? "Đề nghị bộ, ngành, địa phương quan tâm
    …" asks one collective, as "các bộ, ngành, địa phương" would. ``right`` is folded."""
    if not left.strip()[:1].islower():
        return False
    g = load_grammar()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.collective_nouns, key=len, reverse=True))
    key = fold(clean_name(left)).lower().strip()
    return bool(re.fullmatch(rf"(?:{nouns})(?:\s*,\s*(?:{nouns}))+", key)) and bool(_continuation_re().match(right))


def _more_qualifiers(left: str, right_printed: str) -> bool:
    """Does the piece after a comma open, in lower case, with a second qualifier of the
    collective that ``left`` closed with one ("Thủ trưởng các đơn vị thuộc, trực thuộc Bộ": the
    units under the ministry and those directly under it, one collective; grammar
    ``collective_qualifiers``, printed)? A qualifier names no body of its own."""
    piece = unicodedata.normalize("NFC", right_printed.strip())
    low = unicodedata.normalize("NFC", clean_name(left)).lower()
    quals = _printed_qualifiers()
    return (piece[:1].islower() and any(piece.startswith(q + " ") for q in quals)
            and any(low.endswith(" " + q) for q in quals))


def _more_localities(left: str, right_printed: str) -> bool:
    """Does the piece after a cut name more localities of the body before it? "Ủy ban nhân dân
    thành phố Hà Nội, thành phố Hồ Chí Minh, thành phố Hải Phòng và tỉnh Quảng Ninh" and "Ủy
    ban nhân dân các xã, phường, đặc khu Cồn Cỏ" are the committees of those places, one lead:
    ``left`` is a body whose name ends in a level noun (and its place), the piece is only level
    nouns with a place name each (grammar ``level_nouns``, printed in lower case, as a list's
    next member is), joined by "và"."""
    g = load_grammar()
    levels = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.level_printed, key=len, reverse=True))
    name = r"[^\W\d_][\w'’-]*"
    place = rf"(?:{levels})(?:\s+(?-i:[A-ZĐÀ-Ỹ]){name}){{1,5}}"
    piece = unicodedata.normalize("NFC", right_printed.strip()).rstrip(" .;:")
    if not levels or not piece[:1].islower() or not re.fullmatch(rf"(?i:{place})(?:\s+và\s+(?i:{place}))*", piece):
        return False  # "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh": capitalised, the city itself is a second body
    body = without_title(clean_name(left))
    tail = unicodedata.normalize("NFC", body)
    return looks_like_agency(body) and bool(re.search(
        rf"(?<!\w)(?i:{levels})(?:\s+(?-i:[A-ZĐÀ-Ỹ]){name}){{0,5}}\s*$", tail))


def _closed_level_list(left: str) -> bool:
    """Does ``left`` end in a list of levels closed by a qualifier ("Ủy ban nhân dân các tỉnh,
    thành phố trực thuộc trung ương")? Like a list of levels, it goes on with levels only: "…,
    cơ quan, tổ chức khác có liên quan" after it is a second collective."""
    g = load_grammar()
    printed = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.level_printed, key=len, reverse=True))
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in sorted(_printed_qualifiers(), key=len, reverse=True))
    key = unicodedata.normalize("NFC", clean_name(left)).lower()
    return bool(printed and quals and re.search(rf"(?<!\w)(?:{printed})\s+(?:{quals})(?!\w)[^,;]*$", key))


def without_role(name: str) -> str:
    """The name without a role printed after a dash ("Sở Tài chính - Cơ quan thường trực Ban
    Chỉ đạo" → "Sở Tài chính"; grammar ``role_appositions``), like a role parenthesis."""
    m = re.search(r"\s+[-–]\s+", name)
    if m and any(fold(name[m.end():]).lower().startswith(r) for r in load_grammar().role_appositions):
        return name[:m.start()].strip()
    return name


def without_title(name: str) -> str:
    """The body an official's title names ("Chủ tịch Ủy ban nhân dân xã" → "Ủy ban nhân dân
    xã"); the name itself when it opens with no title of the grammar's ``titles``."""
    cleaned = clean_name(name)
    key = fold(cleaned).lower()
    for t in sorted(load_grammar().titles, key=len, reverse=True):
        if key.startswith(t + " "):
            return cleaned[len(t) + 1:]
    return cleaned


def in_registered_name(text: str, pos: int) -> bool:
    """Does the character at ``pos`` of ``text`` lie inside a registered agency name or group?"""
    return 0 <= pos < len(text) and load_registry().name_mask(text)[pos]


def distributive_prefix(text: str) -> re.Match[str] | None:
    """"Bộ trưởng các Bộ:" / "Các Bộ:" opening a list of members (grammar ``distributive_nouns``);
    groups ``title`` (with its space, may be empty), ``noun`` (as printed) and the colon's end."""
    g = load_grammar()
    if not g.distributive:
        return None
    titles = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(g.titles, key=len, reverse=True))
    nouns = "|".join(re.escape(n) for n in g.distributive)
    m = re.match(rf"(?P<title>(?:{titles})\s+)?cac\s+(?P<noun>{nouns})\s*:\s*", fold_aligned(text[:80]),
                 re.IGNORECASE) if text else None
    if m is None or not text[m.end():m.end() + 1].isupper():
        return None
    return m


_LIST_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _capitalised_run(text: str, pos: int, most: int = 5) -> int:
    """End of a run of at most ``most`` capitalised words from ``pos`` (a place name: "Gò
    Công Đông", "Cần Thơ", "Huế"); ``pos`` when no such word starts there."""
    end, n = pos, 0
    while n < most:
        m = _LIST_WORD.match(text, end + len(text[end:]) - len(text[end:].lstrip(" ")))
        if m is None or not m.group()[:1].isupper():
            break
        end, n = m.end(), n + 1
    return end


def locality_list(text: str, start: int = 0) -> tuple[int, int] | None:
    """(colon, end) of a list of places printed after a collective of local bodies:
    "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông" (the committees of those
    communes), "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh,
    Quảng Trị, …". The colon only says which members are meant: the list is part of the
    name, not a label followed by work. None when ``text[start:]`` opens no such name.

    Why here: the same name is a heading that scopes items, the subject of a sentence and a
    table cell; each reader asks this one rule (grammar ``level_nouns``)."""
    colon = text.find(":", start)
    if colon < 0 or colon - start > 200 or "\n" in text[start:colon]:
        return None
    before = without_title(text[start:colon])
    g = load_grammar()
    levels = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.level_printed, key=len, reverse=True))
    if not looks_like_agency(before) or not re.search(rf"(?:các|\d+)\s+(?:{levels})(?!\w)", before.lower()):
        return None
    pos, pieces, end = colon + 1, 0, colon + 1
    while True:
        stop = _capitalised_run(text, pos)
        if stop == pos or looks_like_agency(text[pos:stop]):
            break  # "…: Gia Thuận, Tân Điền, Sở Tài chính": a body after the places
        pieces, end = pieces + 1, stop
        sep = re.match(r"\s*(?:,|\svà\s)\s*", text[stop:])
        if sep is None:
            break
        pos = stop + sep.end()
    rest = text[end:].lstrip(" ")
    if pieces >= 2 or (pieces == 1 and (not rest or rest[:1] in "\n.;:")):
        return colon, end
    return None


def distribute(text: str) -> list[str] | None:
    """The members of a distributive list, the head put back on each: "Bộ trưởng các Bộ:
    Quốc phòng, Văn hóa, Thể thao và Du lịch" → ["Bộ trưởng Bộ Quốc phòng", "Bộ trưởng Bộ
    Văn hóa, Thể thao và Du lịch"] (a member whose pieces make a registered name stays whole);
    None when ``text`` is no such list."""
    m = distributive_prefix(text)
    if m is None:
        return None
    title = text[m.start("title"):m.end("title")] if m.group("title") else ""
    noun = text[m.start("noun"):m.end("noun")]
    noun = noun[0].upper() + noun[1:]
    pieces = [p.strip() for p in text[m.end():].split(",") if p.strip()]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        j = next((j for j in range(len(pieces), i + 1, -1)
                  if all(registered_name_mask(f"{noun} " + ", ".join(pieces[i:j])))), i + 1)
        out.append(f"{title}{noun} " + ", ".join(pieces[i:j]))
        i = j
    return out


def registered_name_mask(text: str) -> list[bool]:
    """Per character of ``text``: inside a registered agency name or group phrase (see
    :meth:`Registry.name_mask`); for readers that test many positions of one text."""
    return load_registry().name_mask(text)


def looks_like_agency(text: str) -> bool:
    """Does the text begin like an agency name ("Sở …", "UBND …", "Các bộ, ngành …")?"""
    return bool(_head_re().match(fold(clean_name(text)).lower()))


def starts_body(text: str) -> bool:
    """Does the text begin a body that can sit under a superior in a header ("SỞ Y TẾ", "BAN …")?"""
    return bool(_body_re().match(fold(clean_name(text)).lower()))


def lowest_body(name: str) -> str:
    """The body a header line names under its superior, when both share one line ("BỘ TÀI
    CHÍNH CỤC THUẾ" → "CỤC THUẾ", "BAN CHẤP HÀNH TRUNG ƯƠNG BAN TỔ CHỨC" → "BAN TỔ CHỨC");
    the name itself otherwise.

    Why: a Markdown or DOCX cell joins the header's lines, and the issuer is the lower body
    (Decree 30/2020/NĐ-CP, Appendix I). Words are read left to right, each head of the
    grammar taking its words ("ỦY BAN" is not "BAN"); a cut is made before a ``body_heads``
    word only when more words follow it ("BỘ CÔNG AN", "BỘ NỘI VỤ", "BỘ NÔNG NGHIỆP VÀ MÔI
    TRƯỜNG" end in a head word and stay whole), only after a superior that has a name of its
    own ("BAN THƯỜNG VỤ TỈNH ỦY X" is one body) and never right after a level word, which a
    place name follows ("THÀNH PHỐ HẢI PHÒNG")."""
    g = load_grammar()
    spans = [m.span() for m in re.finditer(r"\S+", name)]
    words = [name[a:b].lower() for a, b in spans]  # printed words: "SỞ" is a head, "SỐ" is not
    heads = sorted({tuple(h.split()) for h in g.heads_printed + g.body_heads_printed}, key=len, reverse=True)
    bodies = {tuple(h.split()) for h in g.body_heads_printed}
    levels = {tuple(h.split()) for h in g.level_printed}
    key = [w.strip(",.;:") for w in words]
    cut, i, after_level, named = 0, 0, False, False
    while i < len(words):
        head = next((h for h in heads if tuple(key[i:i + len(h)]) == h), None)
        if head is None:
            level = next((lv for lv in levels if tuple(key[i:i + len(lv)]) == lv), None)
            after_level, named = level is not None, True
            i += len(level) if level else 1
            continue
        body = max((len(b) for b in bodies if head[:len(b)] == b), default=0)
        if named and body and i + body < len(words) and not after_level:
            cut = i  # a superior with a name before it, a body with a name of its own after
        after_level = head in levels
        i += len(head)
    return name[spans[cut][0]:] if cut else name


def is_collective(text: str) -> bool:
    """A collective name: it lists "các" units ("UBND các xã, phường", "Các sở, ngành")."""
    return bool(re.search(r"(?<![a-z])cac\s", fold(text).lower()))


def _keep_collectives(text: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop the cuts inside a collective: after "… các xã" a ", phường" continues the list."""
    kept: list[tuple[int, int]] = []
    start = 0
    for i, (a, b) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        left, right = text[start:a], fold(text[b:end]).lower().strip()
        if _starts_new_collective(fold(text[a:b]).lower(), fold(text[b:]).lower()):
            pass  # "… ngành và cơ quan, đơn vị có liên quan": a second collective
        elif _other_localities(fold(text[a:b]).lower(), fold(text[b:end]).lower()):
            continue  # "UBND Thành phố Hồ Chí Minh và các tỉnh/thành phố khác": the same body elsewhere
        elif _continues_list(left, right) or _more_localities(left, text[b:end]) or (text[a] == "," and (
                _more_qualifiers(left, text[b:end]) or _bare_list(left, right) or
                _continues_name(left, text[b:end]) or _continues_collective(left, text[b:end])
                or _repeats_noun(left, text[b:end]) or _pairs_bare_noun(left, text[b:end])
                or _inside_description(left, text[b:end]))):
            continue  # the cut is inside the collective; the piece goes on
        kept.append((a, b))
        start = b
    return kept


@lru_cache(maxsize=1)
def _collective_piece_re() -> re.Pattern[str]:
    """A piece (folded, lower case) that opens with a collective noun and carries a short
    description: "viện nghiên cứu", "cơ quan trung ương và địa phương", "tổ chức xã hội"."""
    g = load_grammar()
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(g.collective_nouns, key=len, reverse=True))
    return re.compile(rf"^(?:{nouns})(?![a-z0-9])")


def _list_noun(left: str) -> str | None:
    """The printed noun that "các" governs at the start of a collective ("Các Tập đoàn" →
    "Tập"), after an official's title; None when ``left`` opens no "các" list."""
    g = load_grammar()
    cleaned = clean_name(left)
    key = fold(cleaned).lower()
    skip = next((len(t) + 1 for t in sorted(g.titles, key=len, reverse=True) if key.startswith(t + " ")), 0)
    m = re.match(r"cac\s+(\S+)", key[skip:])
    return cleaned[skip + m.start(1): skip + m.end(1)] if m else None


def _continues_collective(left: str, right_printed: str) -> bool:
    """Does the piece after a comma name one more kind of body of the collective that "các"
    opened ("Các trường đại học, viện nghiên cứu"; "Các bộ, cơ quan Trung ương và địa
    phương")? Only when the piece opens with a collective noun printed in the case of the
    list's first noun ("Các Tập đoàn, Tổng Công ty nhà nước" goes on; "…, doanh nghiệp xuất
    khẩu" after it does not), holds no new "các" list nor a capitalised agency head (a body
    of its own: "…, Sở Y tế"), is short (grammar ``collective_piece_words``), and the
    collective is still open: a qualifier ("… liên quan", "… khác") or a list of levels
    ("UBND các xã, phường") closes it."""
    g = load_grammar()
    noun = _list_noun(left)
    piece = right_printed.strip().rstrip(" .;:")
    key = fold(piece).lower()
    left_key = fold(clean_name(left)).lower()
    if noun is None or not piece or len(piece.split()) > g.piece_words or re.search(r"(?<![a-z])cac\s", key):
        return False
    if any(left_key.endswith(" " + q) for q in g.qualifiers) or _level_lists()[0].search(clean_name(left).lower()):
        return False
    if piece[:1].isupper() != noun[:1].isupper() or not (collective := _collective_piece_re().match(key)):
        return False
    if piece[:1].isupper() and _longest_head(key) > collective.end():
        return False  # "các Ủy ban của Quốc hội, Đoàn đại biểu Quốc hội": a longer head than "đoàn", a body of its own
    if _juxta_re().match(" " + piece) or all(registered_name_mask(piece)):
        return False  # "…, Sở Y tế": a body of its own, printed with its head
    later = piece.split(None, 1)[1] if " " in piece else ""
    return not any(w[:1].isupper() and looks_like_agency(w) for w in later.split())


def _longest_head(key: str) -> int:
    """Length of the longest grammar ``heads`` word opening ``key`` (folded, lower case), 0 if none."""
    return max((len(h) for h in load_grammar().heads
                if key.startswith(h) and key[len(h):len(h) + 1] in ("", " ", ",")), default=0)


def _pairs_bare_noun(left: str, right_printed: str) -> bool:
    """Is ``left`` nothing but a collective noun ("cơ quan", "Đơn vị") and the piece after the
    comma one more collective noun with the description both share? "cơ quan, tổ chức quản lý
    trực tiếp" and "Đơn vị, tổ chức thực hiện nhiệm vụ bồi thường" are one collective without
    "các": a bare noun names no body of its own, so the description after the second noun
    qualifies both. A capitalised head or a new "các" list in the piece is a body of its own."""
    g = load_grammar()
    left_key = fold(clean_name(left)).lower().strip()
    piece = right_printed.strip().rstrip(" .;:")
    key = fold(piece).lower()
    if left_key not in g.collective_nouns or not piece or re.search(r"(?<![a-z])cac\s", key):
        return False
    if piece[:1].isupper() or not _collective_piece_re().match(key) or _juxta_re().match(" " + piece):
        return False
    return not any(w[:1].isupper() and looks_like_agency(w) for w in piece.split())


def _inside_description(left: str, right_printed: str) -> bool:
    """Is the comma inside the description of a collective of bare nouns, listing what the
    bodies have ("cơ quan, đơn vị trên địa bàn tỉnh có hệ thống thông tin, cơ sở dữ liệu
    chuyên ngành kết nối với …")? The collective is made of collective nouns only, its
    description holds a verb of grammar ``description_verbs`` ("có") and no qualifier closes it
    ("… có liên quan, doanh nghiệp" is two collectives); the piece is in lower case, opens no
    "các" list, no collective noun (but a thing named like one, grammar ``not_heads``: "cơ sở
    dữ liệu"; "cơ quan có thẩm quyền, tổ chức …" is two bodies) and prints no agency head: it
    goes on listing the verb's objects."""
    g = load_grammar()
    key = fold(clean_name(left)).lower()
    nouns = "|".join(re.escape(n) for n in sorted(g.collective_nouns, key=len, reverse=True))
    m = re.match(rf"(?:cac\s+)?(?:(?:{nouns}),\s*)*(?:{nouns})\s+(.+)$", key)
    piece = right_printed.strip().rstrip(" .;:")
    if m is None or not piece[:1].islower() or re.search(r"(?<![a-z])(?:cac|va)\s", fold(piece).lower()):
        return False
    words = m.group(1).split()
    if not any(v in words for v in g.description_verbs) or any(key.endswith(" " + q) for q in g.qualifiers):
        return False
    right_key = fold(piece).lower()
    if _collective_piece_re().match(right_key) and not any(right_key.startswith(n) for n in g.not_heads):
        return False  # "cơ quan nhà nước có thẩm quyền, tổ chức …": a second body
    return not any(w[:1].isupper() and looks_like_agency(w) for w in piece.split())


def _repeats_noun(left: str, right_printed: str) -> bool:
    """Does the piece after a comma open, in lower case, with the collective noun that the
    piece before it (an official's title set aside) opened with? "Thủ trưởng cơ quan ngang
    bộ, cơ quan thuộc Chính phủ" is one title over two kinds of "cơ quan", and "Bộ, cơ quan
    ngang bộ, cơ quan thuộc Chính phủ" one list: the repeated noun goes on describing the
    same list. A capitalised piece ("…, Cơ quan X") is a body of its own."""
    piece = right_printed.strip()
    before = without_title(left.rsplit(",", 1)[-1].strip())
    if not piece[:1].islower() or not before:
        return False
    a = _collective_piece_re().match(fold(before).lower())
    b = _collective_piece_re().match(fold(piece).lower())
    return bool(a and b and a.group(0) == b.group(0) and not re.search(r"(?<![a-z])cac\s", fold(piece).lower()))


def _other_localities(cut: str, rest: str) -> bool:
    """Is a "và" cut followed only by "các <level nouns> khác" ("… và các tỉnh/thành phố
    khác")? The piece names no body of its own: it extends the body before it to the other
    localities ("UBND Thành phố Hồ Chí Minh và các tỉnh/thành phố khác" = the committees of
    that city and of the other provinces). ``cut`` and ``rest`` are folded, lower case."""
    if cut.strip() != "va":
        return False
    nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(load_grammar().level_nouns, key=len, reverse=True))
    return bool(re.fullmatch(rf"cac\s+(?:{nouns})(?:\s*[/,]\s*(?:{nouns}))*\s+khac\s*[.;:]?", rest.strip()))


def _starts_new_collective(cut: str, rest: str) -> bool:
    """Does a "và" cut open a second collective: one of the grammar's ``after_and_new`` nouns
    opening a list of its own ("… ngành và cơ quan, đơn vị có liên quan")? A single noun
    ("Các sở, ngành, địa phương và đơn vị liên quan") stays in the collective. ``cut`` and
    ``rest`` are folded, lower case."""
    if cut.strip() != "va":
        return False
    rest = re.sub(r"^cac\s+", "", rest)
    return any(rest.startswith(n + ",") or rest.startswith(n + " ,") for n in load_grammar().after_and_new)


@lru_cache(maxsize=1)
def _closing_qualifier_re() -> re.Pattern[str]:
    """ "(có) liên quan" in folded text and the word after it (group ``next``), if any."""
    return re.compile(r"(?<![a-z])(?:co\s+)?lien\s+quan(?![a-z0-9])(?P<gap>\s*)(?P<next>[^\s,;.:()]*)")


#: "liên quan đến | việc thực hiện …" (folded): the work a collective is concerned with, part of its
#: name; other objects ("… liên quan đến các lĩnh vực …") are read as before, the name ends at "liên quan"
_WORK_AFTER = re.compile(r"\s+viec\s")


def qualifier_end(text: str, start: int = 0, end: int | None = None) -> int:
    """Where a collective that "(có) liên quan" closes ends in ``text[start:end]``.

    Why: "liên quan" (concerned) is the last word of a collective's name ("các cơ quan có
    liên quan", "Các sở, ban, ngành tỉnh có liên quan"); a word after it that is no other
    qualifier ("… khác", "… trên địa bàn"), no conjunction, level noun or capitalised name
    begins the sentence's predicate, whatever verb it is: "các cơ quan liên quan | bám sát
    …", "các đơn vị, địa phương có liên quan | tại khu vực biên giới …". ``end`` when no
    such word follows."""
    end = len(text) if end is None else end
    g = load_grammar()
    folded = fold_aligned(text)
    # printed: folded, "quản" (quản lý …, the predicate) is the level noun "quận"
    keep = {"và", "hoặc", "của", *(lv.split()[0] for lv in g.level_printed)}
    qualifier_words = {q.split()[0] for q in _printed_qualifiers()}  # printed: "khắc phục" is no "khác"
    for m in _closing_qualifier_re().finditer(folded, start, end):
        nxt = m.group("next").lower()
        printed = unicodedata.normalize("NFC", text[m.start("next"):m.end("next")]).lower()
        if not nxt or m.start("next") >= end or printed in keep or printed in qualifier_words \
                or text[m.start("next")].isupper():
            continue
        if printed == "đến" and _WORK_AFTER.match(folded, m.end("next")):
            # "… liên quan đến việc thực hiện sắp xếp": the work the bodies are concerned with (round
            # 5's resolutions); "… có liên quan | tới việc thực hiện Kế hoạch này" ends the name (round
            # 1, bffd9da6f0d38031; tests/test_role_subjects.py): the golds part on this, "đến" follows round 5
            continue
        return m.start("gap")
    return end


def agency_coverage(text: str) -> float:
    """Share of words that belong to an agency name: grammar words, and proper names after a
    level word or a press head ("tỉnh Hà Tĩnh", "Báo Nhân Dân")."""
    g = load_grammar()
    toks = [t.strip(",.;:()") for t in text.split()]
    toks = [t for t in toks if t]
    if not toks:
        return 0.0
    if len(toks) <= 4 and all(t[:1].isupper() and t[1:].islower() for t in toks):
        return 1.0  # a bare proper name: the place that ends a wrapped name ("… tỉnh" / "Hà Tĩnh")
    ok, proper = 0, False
    for t in toks:
        low = t.lower()
        proper = proper and t[:1].isupper() and low not in g.words
        if low in g.words or proper:
            ok += 1
        proper = proper or low in g.proper_after
    return ok / len(toks)


def _ends_with_level(name: str) -> bool:
    """Does the name already end with its level ("UBND tỉnh", "Ban Tuyên giáo Tỉnh ủy")?"""
    key = fold(name)
    return any(key == w or key.endswith(" " + w) for w in LEVEL_WORDS)


def _phrase_pattern(phrase: str) -> str:
    """A folded, whitespace- and punctuation-tolerant regex for a printed name."""
    toks = re.findall(r"[a-z0-9]+|[^a-z0-9\s]", fold(_collapse(phrase)))
    out = ""
    for i, tok in enumerate(toks):
        if i:
            word_pair = toks[i - 1][0].isalnum() and tok[0].isalnum()
            out += r"\s+" if word_pair else r"\s*"
        out += re.escape(tok)
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> Registry:
    with open(path, encoding="utf-8") as fh:
        return Registry(yaml.safe_load(fh))


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry from ``ontology/registry/agencies.yaml`` (or ``path``); cached per path."""
    return _load(str(Path(path) if path else REGISTRY_PATH))


@lru_cache(maxsize=1)
def _remark_re() -> re.Pattern[str]:
    g = load_grammar()
    alts = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in sorted(g.remark_openers, key=len, reverse=True))
    return re.compile(rf",\s*(?:{alts})(?![a-z0-9])") if alts else re.compile(r"(?!)")


def without_remark(text: str) -> str:
    """A list of agencies without the remark a comma sets off at its end (``remark_openers``:
    "…, trong đó trọng tâm là các tỉnh: A, B", "…, nhất là các tỉnh miền Trung")."""
    m = _remark_re().search(fold_aligned(text).lower())
    return text[: m.start()] if m else text


def split_agencies(cell: str) -> list[str]:
    """Split a printed cell into agency names, as printed (whitespace collapsed, remarks dropped).

    Splits on commas, semicolons, " và "/" với " before another agency, and between two
    names that a line break put side by side — but never inside a registered name or
    collective ("Sở Văn hóa, Thể thao và Du lịch", "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố") nor inside a parenthesis,
    which is a remark (role, cooperating units) and is dropped.
    """
    return load_registry().split(cell)
