"""References a sentence makes to numbered parts of a document: "các nhiệm vụ tại mục (IV) (1)
của Kế hoạch", "Nhiệm vụ tại mục II.1 Kế hoạch", "các nhiệm vụ nêu tại điểm a khoản 2 Mục III".

Why: a plan's list of agencies' duties often names no work of its own, only the part of the
plan whose tasks the agency leads ("Sở Nông nghiệp và Môi trường: Chủ trì triển khai các
nhiệm vụ tại mục (IV) (1) của Kế hoạch"). What such a row serves is what that part says, so
the reference is read into the paths the section tree gives the plan's own parts
(:mod:`plankg.ingest.extract.structure`: ``IV.1``, ``IV.3.4.a``: roman, then arabic numbers,
"3.4" kept as two steps, then the letter).

The grammar: after a pointer word ("tại", "ở", "theo", "thuộc"), a run of parts, each a
keyword (phần, mục, khoản, điểm, tiết; optionally "các") with one or more values, or a bare
value in brackets ("(IV) (3.4)(a)"), the values joined by commas or "và". Values are read by
their form: an upper-case roman numeral (or any roman numeral after "phần"/"mục") is the top
level, digits ("2", "3.4", or "II.1" after a roman) the numbered items, a single lower-case
letter (after "điểm", or bracketed) the lettered items, digits after "tiết" the numbered
points under a letter. Vietnamese legal style names parts from the smallest up ("điểm a
khoản 2 Mục III"), brackets from the top down ("(IV) (3.4)(a)"); either way each reference
is put in top-down order by level. A list ("các điểm c, g mục 1, điểm d mục 3 … Phần III")
gives one path per value, and parts printed once at the end (Phần III) apply to every path
that lacks them.

What follows the run says whose parts they are (:attr:`PartReference.named`): nothing, "Kế
hoạch", "Kế hoạch này" name the document the sentence is in; a number, a symbol or "Điều"
("khoản 1 Điều 15 Nghị định 76/2025/…") name another document (``external``), which a
caller resolving parts of its own document leaves alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plankg.folding import fold_aligned

#: level of a path step: the larger, the higher in the tree
TOP, NUMBER, LETTER, POINT = 3, 2, 1, 0
_KEYWORDS = {"phan": TOP, "muc": None, "khoan": NUMBER, "diem": LETTER, "tiet": POINT}
_ROMAN = re.compile(r"^(?=[IVXL])(?:L?X{0,3})(?:IX|IV|V?I{0,3})$")
_POINTER = re.compile(r"\b(?:tai|o|theo|thuoc)\s+(?:cac\s+)?(?=(?:phan|muc|khoan|diem|tiet)\b|\()")
_KEYWORD = re.compile(r"(?:cac\s+)?(phan|muc|khoan|diem|tiet)\b\s*")
_VALUE = re.compile(r"\(\s*([0-9ivxl]+(?:\.[0-9a-z]+)*|[a-z])\s*\)\s*"  # bracketed: "(IV)", "(3.4)", "(a)"
                    r"|(?:([0-9ivxl]+(?:\.[0-9a-z]+)*)(?![0-9a-z/]|\.[0-9a-z])"  # "III", "2", "II.1"
                    r"|([a-z])(?![0-9a-z/)]))\s*",  # "a", not the list marker "b)"
                    re.IGNORECASE)
_JOINER = re.compile(r"(?:,|\bva\b)\s*")
#: "; điểm a, b mục 7": a semicolon joins a list only when a keyword follows it
_SEMICOLON = re.compile(r";\s*(?=(?:cac\s+)?(?:phan|muc|khoan|diem|tiet)\b)")
#: the keywords as printed (accented, or without any accent in an OCR copy): "mức" (a level)
#: and "phân" (to divide) fold to "muc" and "phan" too
_PRINTED_KEYWORD = re.compile(r"(?:các\s+|cac\s+)?(phần|mục|khoản|điểm|tiết|phan|muc|khoan|diem|tiet)\b", re.IGNORECASE)
#: the value forms each keyword takes: khoản a number; điểm a letter or a number ("điểm 3.3");
#: phần and mục a roman or arabic number; tiết a number or a letter
_FORMS = {"phan": {TOP, NUMBER}, "muc": {TOP, NUMBER}, "khoan": {NUMBER}, "diem": {LETTER, NUMBER},
          "tiet": {POINT, LETTER, NUMBER}}
#: what follows a run of parts and says whose parts they are (up to the next punctuation)
_TAIL = re.compile(r"(?:cua\s+)?([^.;:()\n]{0,60})")
_OTHER_DOCUMENT = re.compile(r"\d|/|\bdieu\b|\bso\b")
_THIS = re.compile(r"\bnay\b")


@dataclass(frozen=True)
class PartReference:
    """One reference: the paths of the parts it names (top-down, "IV.3.4.a"), its span in the
    sentence, and what follows it (folded: "ke hoach", "chuong trinh nay", "" for nothing)."""

    paths: tuple[str, ...]
    start: int
    end: int
    named: str

    @property
    def external(self) -> bool:
        """Names another document ("khoản 1 Điều 15 Nghị định 76/2025/…", "Kế hoạch số 12")."""
        return bool(_OTHER_DOCUMENT.search(self.named))

    def names_own(self, kinds: tuple[str, ...] = ()) -> bool:
        """The parts are of the document the sentence is in: nothing is named after them, the
        document is "this" one ("… này"), or its kind (folded: "ke hoach") is named bare."""
        if self.external:
            return False
        if not self.named or _THIS.search(self.named):
            return True
        return any(re.search(rf"\b{re.escape(k)}\b", self.named) for k in kinds)


def _steps(value: str, keyword_level: int | None, printed: str) -> list[tuple[int, str]]:
    """(level, token) steps of one printed value: "II.1" → [(TOP, II), (NUMBER, 1)]; "3.4" →
    two NUMBER steps; "a" after "điểm" → LETTER."""
    out: list[tuple[int, str]] = []
    for n, token in enumerate(printed.split(".")):
        if token.isdigit():
            level = POINT if keyword_level == POINT and n == 0 else NUMBER
            if keyword_level == TOP and n == 0:
                level = TOP
            out.append((level, token))
        elif _ROMAN.match(token.upper()) and (token.isupper() or keyword_level == TOP) and (n == 0) \
                and keyword_level != LETTER:
            out.append((TOP, token.upper()))
        elif len(token) == 1 and token.isalpha():
            out.append((LETTER, token.lower()))
        else:
            return []
    return out


def _run(text: str, folded: str, pos: int) -> tuple[list[list[list[tuple[int, str]]]], int]:
    """The groups of a run of parts starting at ``pos``: each group the values printed together
    under one keyword (or one bracket), each value its steps; and where the run ends."""
    groups: list[list[list[tuple[int, str]]]] = []
    end = pos
    keyword: int | None = None
    while True:
        m = _KEYWORD.match(folded, pos)
        word = None
        if m:
            if not _PRINTED_KEYWORD.match(text, pos):
                break  # "ở mức 107": not a keyword as printed
            word = m.group(1)
            keyword = _KEYWORDS[word]
            pos = m.end()
            groups.append([])
        v = _VALUE.match(folded, pos)
        if not v:
            break
        bracket = v.group(1) is not None
        span = v.span(1) if bracket else v.span(2) if v.group(2) is not None else v.span(3)
        steps = _steps(folded[span[0]:span[1]], keyword if not bracket or keyword else None,
                       text[span[0]:span[1]])
        if not steps or (word is not None and steps[0][0] not in _FORMS[word]):
            break
        if bracket and groups and groups[-1] and not m:
            groups.append([])  # "(IV) (3.4)": each bracket is a part of its own
        if not groups:
            groups.append([])
        groups[-1].append(steps)
        pos = end = v.end()
        j = _JOINER.match(folded, pos) or _SEMICOLON.match(folded, pos)
        if j and (_VALUE.match(folded, j.end()) or _KEYWORD.match(folded, j.end())):
            pos = j.end()
            if _KEYWORD.match(folded, pos):
                continue
            continue
        if not (_KEYWORD.match(folded, pos) or folded.startswith("(", pos)):
            break
    return [g for g in groups if g], end


def _paths(groups: list[list[list[tuple[int, str]]]]) -> tuple[str, ...]:
    """Top-down paths of a run's groups (see the module docstring)."""
    if not groups:
        return ()
    level = [g[0][0][0] for g in groups]
    if level[0] > level[-1]:  # printed top-down ("(IV) (3.4)(a)"): read bottom-up like the rest
        groups, level = groups[::-1], level[::-1]
    chains: list[list[list[list[tuple[int, str]]]]] = [[]]
    for g, lv in zip(groups, level):
        if chains[-1] and lv <= chains[-1][-1][0][0][0]:
            if lv == chains[-1][-1][0][0][0] and len(chains[-1]) == 1:
                chains[-1][-1] = chains[-1][-1] + g  # "(4.1) (4.2)": alternatives of one level
                continue
            chains.append([])
        chains[-1].append(g)
    # parts printed once at the end apply to every chain that lacks their level
    for n in range(len(chains) - 2, -1, -1):
        top = chains[n][-1][0][0][0]
        chains[n] += [g for g in chains[n + 1] if g[0][0][0] > top]
    out: list[str] = []
    for chain in chains:
        partial = [""]
        for g in reversed(chain):
            partial = [".".join(filter(None, (p, *(t for _, t in steps)))) for p in partial for steps in g]
        out += partial
    return tuple(sorted(dict.fromkeys(out), key=_natural))


def _natural(path: str) -> tuple[tuple[int, int, str], ...]:
    """Document order of paths: roman and arabic numbers by value, letters alphabetically."""
    return tuple((0, int(t), "") if t.isdigit() else (0, _roman_value(t), "") if _ROMAN.match(t) else (1, 0, t)
                 for t in path.split("."))


def _roman_value(token: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for a, b in zip(token, token[1:] + " "):
        total += -values[a] if values.get(b, 0) > values[a] else values[a]
    return total


def part_references(text: str) -> list[PartReference]:
    """Every reference ``text`` makes to numbered parts (see the module docstring)."""
    folded = fold_aligned(text)
    out: list[PartReference] = []
    for m in _POINTER.finditer(folded):
        groups, end = _run(text, folded, m.end())
        paths = _paths(groups)
        if not paths:
            continue
        tail = _TAIL.match(folded, end)
        named = " ".join(re.sub(r"[^0-9a-z/ ]+", " ", tail.group(1) if tail else "").split()[:6])
        out.append(PartReference(paths, m.end(), end, named))
    return out
