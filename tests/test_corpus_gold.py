"""The corpus gold files (tests/gold/corpus/<stem>.json) are well-formed.

Data checks only — no extraction and no accuracy thresholds (those are reported by
benchmarks/corpus_extraction.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "corpus"
DATA = REPO / "tests" / "data"
GOLD_NAME = re.compile(r"[0-9a-f]{16}\.json")  # <stem>.json; other files hold splits, labels, inventories

GOLD_FILES = sorted(p for p in GOLD_DIR.glob("*.json") if GOLD_NAME.fullmatch(p.name))
SPLIT = json.loads((GOLD_DIR / "split.json").read_text("utf-8"))
ROUND2 = json.loads((GOLD_DIR / "round2.json").read_text("utf-8"))
ROUND3 = json.loads((GOLD_DIR / "round3.json").read_text("utf-8"))["tasks"]
ROUND4 = json.loads((GOLD_DIR / "round4.json").read_text("utf-8"))["tasks"]
ROUND4_GOLD = sorted(f"{p.stem}.md" for p in GOLD_FILES if json.loads(p.read_text("utf-8")).get("round") == 4)
ROUND5 = json.loads((GOLD_DIR / "round5.json").read_text("utf-8"))["tasks"]
ROUND5_GOLD = sorted(f"{p.stem}.md" for p in GOLD_FILES if json.loads(p.read_text("utf-8")).get("round") == 5)
ROUND6 = json.loads((GOLD_DIR / "round6.json").read_text("utf-8"))["tasks"]
ROUND6_GOLD = sorted(f"{p.stem}.md" for p in GOLD_FILES if json.loads(p.read_text("utf-8")).get("round") == 6)
ROUND7_FILE = json.loads((GOLD_DIR / "round7.json").read_text("utf-8"))
ROUND7 = ROUND7_FILE["tasks"]
ROUND7_GOLD = sorted(f"{p.stem}.md" for p in GOLD_FILES if json.loads(p.read_text("utf-8")).get("round") == 7)
ROUND8_FILE = json.loads((GOLD_DIR / "round8.json").read_text("utf-8"))
ROUND8 = ROUND8_FILE["tasks"]
ROUND8_GOLD = sorted(f"{p.stem}.md" for p in GOLD_FILES if json.loads(p.read_text("utf-8")).get("round") == 8)
HALVES = {h: set(SPLIT[h]) | set(ROUND2["tasks"][h]) | set(ROUND3[h]) for h in ("dev", "heldout")}
HALVES["dev"] |= set(ROUND4_GOLD)
HALVES["heldout"] |= set(ROUND5_GOLD) | (set(ROUND6["heldout"]) & set(ROUND6_GOLD))
HALVES["dev"] |= set(ROUND6["dev"]) & set(ROUND6_GOLD)
HALVES["heldout"] |= set(ROUND7["heldout"]) & set(ROUND7_GOLD)
HALVES["reserve"] = set(ROUND7["reserve"]) & set(ROUND7_GOLD)
HALVES["heldout"] |= set(ROUND8["heldout"]) & set(ROUND8_GOLD)
HALVES["reserve"] |= set(ROUND8["reserve"]) & set(ROUND8_GOLD)
#: round-8 documents whose original is a PDF: the PDF and its text layer (.md), no DOCX
PDF_ORIGINALS = {f"{c['stem']}.md" for c in ROUND8["order"] if c["format"] == "pdf"}

DOC_KEYS = {"kind", "symbol", "date", "issuer"}
TASK_KEYS = {"path", "text_start", "lead", "cooperating", "output", "deadline"}
TARGET_KEYS = {"path", "indicator", "unit", "value_text", "comparator", "min", "max", "horizon", "monitoring"}
COMPARATORS = {"ge", "gt", "le", "lt", "eq", "range", "text"}


def _collapse(s: str) -> str:
    return " ".join(s.replace("*", "").split())


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_there_is_gold() -> None:
    assert GOLD_FILES, "no gold files in tests/gold/corpus"


def test_split_is_a_partition() -> None:
    dev, heldout = set(SPLIT["dev"]), set(SPLIT["heldout"])
    assert not dev & heldout
    strata = set().union(*map(set, SPLIT["strata"].values()))
    assert strata == dev | heldout
    two = ROUND2["tasks"]
    assert not set(two["dev"]) & set(two["heldout"])
    assert set().union(*map(set, two["strata"].values())) == set(two["dev"]) | set(two["heldout"])
    assert not (dev | heldout) & (set(two["dev"]) | set(two["heldout"])), "a round-2 file was already in round 1"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file(path: Path) -> None:
    g = _load(path)
    stem = path.stem
    # identity and split membership
    assert g.get("source") == f"{stem}.md"
    assert g.get("split") in ("dev", "heldout", "reserve")
    assert g["source"] in HALVES[g["split"]], f"{stem}: split {g['split']!r} disagrees with split.json/round2.json/round7.json/round8.json"
    # the document in all three formats
    formats = (("corpus", "md"), ("corpus_docx", "docx"), ("corpus_pdf", "pdf"))
    if g["source"] in PDF_ORIGINALS:
        formats = (("corpus", "md"), ("corpus_pdf", "pdf"))
    for sub, ext in formats:
        assert (DATA / sub / f"{stem}.{ext}").is_file(), f"{stem}.{ext} missing from tests/data/{sub}"
    # schema
    for key in ("document", "tasks", "targets"):
        assert key in g, f"{stem}: no {key!r}"
    assert DOC_KEYS <= set(g["document"]), f"{stem}: document lacks {DOC_KEYS - set(g['document'])}"
    date = g["document"]["date"]
    assert date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), f"{stem}: date {date!r}"
    for t in g["tasks"]:
        assert TASK_KEYS <= set(t), f"{stem} task {t.get('path')}: lacks {TASK_KEYS - set(t)}"
        assert isinstance(t["lead"], list) and isinstance(t["cooperating"], list), f"{stem} {t['path']}: agencies not lists"
        assert isinstance(t["text_start"], str) and t["text_start"].strip(), f"{stem} {t['path']}: empty text_start"
        assert isinstance(t.get("optional", False), bool)
    for t in g["targets"]:
        assert TARGET_KEYS <= set(t), f"{stem} target {t.get('path')}: lacks {TARGET_KEYS - set(t)}"
        assert t["comparator"] in COMPARATORS, f"{stem} {t['path']}: comparator {t['comparator']!r}"
        assert isinstance(t["monitoring"], list)
        for k in ("min", "max"):
            assert t[k] is None or isinstance(t[k], int | float), f"{stem} {t['path']}: {k} {t[k]!r}"
    # unique task paths
    paths = [t["path"] for t in g["tasks"]]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    assert not dupes, f"{stem}: task paths printed twice: {dupes}"
    # every text_start is in the document (whitespace collapsed, '*' removed)
    text = _collapse((DATA / "corpus" / f"{stem}.md").read_text("utf-8"))
    missing = [
        t["path"]
        for t in g["tasks"]
        if _collapse(t["text_start"]) not in text and not (t.get("text_start_alt") and _collapse(t["text_start_alt"]) in text)
    ]
    assert not missing, f"{stem}: text_start not found in the document for {missing}"


def test_round3_is_a_fresh_held_out_set() -> None:
    """Round 3 is a prefix of its fixed candidate order, held out in whole, and shares no
    document with rounds 1 and 2."""
    earlier = set(SPLIT["dev"]) | set(SPLIT["heldout"]) | set(ROUND2["tasks"]["dev"]) | set(ROUND2["tasks"]["heldout"])
    assert not set(ROUND3["candidates"]) & earlier
    assert set(ROUND3["excluded"]) | set(ROUND3["order"]) == set(ROUND3["candidates"])
    assert ROUND3["order"] == sorted(ROUND3["order"]) and not set(ROUND3["excluded"]) & set(ROUND3["order"])
    walked = ROUND3["walked"]
    assert walked == ROUND3["order"][: len(walked)] and ROUND3["not_reached"] == ROUND3["order"][len(walked):]
    assert set(walked) == set(ROUND3["heldout"]) | set(ROUND3["dropped"])
    assert not set(ROUND3["heldout"]) & set(ROUND3["dropped"]) and ROUND3["dev"] == []
    for source in ROUND3["heldout"]:
        g = _load(GOLD_DIR / source.replace(".md", ".json"))
        assert g["split"] == "heldout" and g.get("round") == 3, source


def _walked_and_kept(round_name: str, order: list[str], sides: str) -> set[str]:
    """The documents the labellers of a round kept, after checking each labeller's walk
    (``<round>_walk_<side>.json``): labeller k of n takes positions k, k + n, k + 2n, … of the
    round's order, and walks a prefix of them, each document kept or dropped, never both."""
    kept: set[str] = set()
    for start, side in enumerate(sides):
        path = GOLD_DIR / f"{round_name}_walk_{side}.json"
        if not path.is_file():
            continue
        walk = _load(path)
        mine = order[start::len(sides)]
        assert walk["walked"] == mine[: len(walk["walked"])], side
        assert set(walk["walked"]) == set(walk["kept"]) | set(walk["dropped"]), side
        assert not set(walk["kept"]) & set(walk["dropped"]), side
        kept |= set(walk["kept"])
    return kept


def test_round4_is_development_data_from_its_fixed_order() -> None:
    """Round 4 (development gold for the layouts of round 3) comes from its own fixed candidate
    order, shares no document with rounds 1-3 and holds nothing out; each labeller's walk is a
    prefix of its positions in the order (A even, B odd)."""
    earlier = set(SPLIT["dev"]) | set(SPLIT["heldout"]) | set(ROUND2["tasks"]["dev"]) | set(ROUND2["tasks"]["heldout"])
    earlier |= set(ROUND3["candidates"])
    order = ROUND4["order"]
    assert order == sorted(order) and not set(order) & earlier and ROUND4["heldout"] == []
    assert set(ROUND4_GOLD) <= set(order)
    assert _walked_and_kept("round4", order, "ab") == set(ROUND4_GOLD)
    for source in ROUND4_GOLD:
        assert _load(GOLD_DIR / source.replace(".md", ".json"))["split"] == "dev", source


def test_round5_is_held_out_from_its_fixed_order() -> None:
    """Round 5 (the held-out set after round 3 was retired) comes from its own fixed candidate
    order, shares no document with rounds 1-4 or with the metadata golds, and is held out in
    whole; each labeller's walk is a prefix of its positions in the order (A 0, 3, 6…; B 1, 4…;
    C 2, 5…)."""
    earlier = set(SPLIT["dev"]) | set(SPLIT["heldout"]) | set(ROUND2["tasks"]["dev"]) | set(ROUND2["tasks"]["heldout"])
    earlier |= set(ROUND3["candidates"]) | set(ROUND4["order"])
    for name in ("metadata_round2.json", "metadata_round4.json"):
        earlier |= {f"{stem}.md" for stem in re.findall(r"[0-9a-f]{16}", (GOLD_DIR / name).read_text("utf-8"))}
    order = ROUND5["order"]
    assert order == sorted(order) and not set(order) & earlier and ROUND5["dev"] == []
    assert not set(order) & set(ROUND5["excluded"])
    assert set(ROUND5_GOLD) <= set(order)
    assert _walked_and_kept("round5", order, "abc") == set(ROUND5_GOLD)
    for source in ROUND5_GOLD:
        assert _load(GOLD_DIR / source.replace(".md", ".json"))["split"] == "heldout", source


def test_round6_is_split_before_reading_from_its_fixed_order() -> None:
    """Round 6 (pages without an assignment cue) comes from its own fixed order, shares no
    document with rounds 1-5, any earlier gold file or the metadata golds, and is split by
    position (even dev, odd held out) before any reading; the walks are prefixes as in round 5."""
    earlier = set(ROUND5["order"]) | set(ROUND5["excluded"]) | set(ROUND4["order"]) | set(ROUND3["candidates"])
    earlier |= set(SPLIT["dev"]) | set(SPLIT["heldout"]) | set(ROUND2["tasks"]["dev"]) | set(ROUND2["tasks"]["heldout"])
    for name in ("metadata_round2.json", "metadata_round4.json"):
        earlier |= {f"{stem}.md" for stem in re.findall(r"[0-9a-f]{16}", (GOLD_DIR / name).read_text("utf-8"))}
    order = ROUND6["order"]
    assert order == sorted(order) and not set(order) & earlier and not set(order) & set(ROUND6["excluded"])
    assert ROUND6["dev"] == order[0::2] and ROUND6["heldout"] == order[1::2]
    assert _walked_and_kept("round6", order, "abc") == set(ROUND6_GOLD)
    for source in ROUND6_GOLD:
        split = "dev" if source in ROUND6["dev"] else "heldout"
        assert _load(GOLD_DIR / source.replace(".md", ".json"))["split"] == split, source


def _fixed_order_stems(pool: dict, repo: str, gold: list[str]) -> list[str]:
    """The checks rounds 7 and 8 share: positions in order, stems sorted and each the SHA-256 of
    ``<repo>:<path>`` (no candidate placed by its content), even positions heldout and odd
    reserve, no excluded path kept, no document of an earlier round. The pool's ``<stem>.md`` names."""
    import hashlib

    order = pool["order"]
    assert [c["position"] for c in order] == list(range(len(order)))
    assert [c["stem"] for c in order] == sorted(c["stem"] for c in order)
    for c in order:
        assert c["stem"] == hashlib.sha256(f"{repo}:{c['path']}".encode()).hexdigest()[:16], c["path"]
        assert c["split"] == ("heldout" if c["position"] % 2 == 0 else "reserve"), c["stem"]
        assert c["path"] not in pool["excluded"]
    stems = [f"{c['stem']}.md" for c in order]
    assert pool["heldout"] == stems[0::2] and pool["reserve"] == stems[1::2]
    earlier = {f"{p.stem}.md" for p in GOLD_FILES} - set(gold)
    assert not set(stems) & earlier
    return stems


def _assert_walk(walk: dict, positions: list[str], side: str) -> None:
    """A labeller walked a prefix of its positions, kept or dropped (with a reason) each once."""
    walked = walk["walked"]
    assert walked == positions[: len(walked)], side
    assert set(walked) == set(walk["kept"]) | set(walk["dropped"]), side
    assert not set(walk["kept"]) & set(walk["dropped"]), side
    assert all(isinstance(why, str) and why for why in walk["dropped"].values()), side


def _assert_gold_splits(pool: dict, gold: list[str]) -> None:
    """Each gold file's split is the one its pool gives its position."""
    for source in gold:
        g = _load(GOLD_DIR / source.replace(".md", ".json"))
        assert g["split"] == ("heldout" if source in pool["heldout"] else "reserve"), source


def test_round7_is_split_before_reading_from_its_fixed_order() -> None:
    """Round 7 (a second public source) is an order fixed by the stems — SHA-256 of
    ``<repo>:<path>``, so no candidate was placed by its content —, split by position (even
    heldout, odd reserve) before any reading, shares no document with earlier rounds, and each
    labeller walks a prefix of its heldout positions, then of its reserve positions: labeller k of
    a, b, c takes heldout positions 2k, 2k + 6, … and reserve positions 2k + 1, 2k + 7, …"""
    stems = _fixed_order_stems(ROUND7, ROUND7_FILE["source"]["repo"], ROUND7_GOLD)
    kept: set[str] = set()
    for k, side in enumerate("abc"):
        path = GOLD_DIR / f"round7_walk_{side}.json"
        if not path.is_file():
            continue
        walk = _load(path)
        held, reserve = stems[2 * k :: 6], stems[2 * k + 1 :: 6]
        _assert_walk(walk, held + reserve, side)
        kept |= set(walk["kept"])
    assert kept == set(ROUND7_GOLD)
    _assert_gold_splits(ROUND7, ROUND7_GOLD)


def test_round8_is_split_before_reading_from_its_fixed_order() -> None:
    """Round 8 (Lào Cai provincial originals) is an order fixed by the stems — SHA-256 of
    ``<repo>:<path>`` —, split by position (even heldout, odd reserve) before any reading,
    shares no document with earlier rounds, and its one labeller walks a prefix of the heldout
    positions 0, 2, 4, … then of the reserve positions 1, 3, 5, …"""
    stems = _fixed_order_stems(ROUND8, ROUND8_FILE["source"]["repo"], ROUND8_GOLD)
    for c in ROUND8["order"]:
        assert c["format"] == c["path"].rsplit(".", 1)[-1], c["path"]
    walk = _load(GOLD_DIR / "round8_walk_a.json")
    _assert_walk(walk, stems[0::2] + stems[1::2], "a")
    assert set(walk["kept"]) == set(ROUND8_GOLD)
    _assert_gold_splits(ROUND8, ROUND8_GOLD)


@pytest.mark.parametrize("source", ROUND8_GOLD)
def test_round8_originals_are_in_the_tree(source: str) -> None:
    """The original of a round-8 document is in tests/data as its first rendition (a DOCX is a
    zip, a PDF starts with its magic), byte-identical to the source repository's file (its git
    blob id, recorded in round8.json), and the other renditions exist beside it."""
    import hashlib

    stem = source.removesuffix(".md")
    if source in PDF_ORIGINALS:
        assert (DATA / "corpus_pdf" / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
        assert not (DATA / "corpus_docx" / f"{stem}.docx").exists(), f"{stem}: a PDF original has no DOCX"
    else:
        assert (DATA / "corpus_docx" / f"{stem}.docx").read_bytes()[:2] == b"PK"
    assert (DATA / "corpus" / source).read_text("utf-8").strip(), f"{stem}: empty text rendition"
    # byte-identical to the source's file: its git blob id (a .doc was converted, so it cannot be)
    entry = next(c for c in ROUND8["order"] if c["stem"] == stem)
    if entry["format"] != "doc":
        data = (DATA / ("corpus_pdf" if entry["format"] == "pdf" else "corpus_docx") / f"{stem}.{entry['format']}").read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == entry["blob"], f"{stem}: not the original"


@pytest.mark.parametrize("source", ROUND7_GOLD)
def test_round7_copies_carry_no_gazette_wrapper(source: str) -> None:
    """tests/data/round7_import.py cut the Official Gazette's page furniture and signature
    stamps from the copy: none is left between the document's lines."""
    lines = [line.strip() for line in (DATA / "corpus" / source).read_text("utf-8").splitlines()]
    head = re.compile(r"CÔNG BÁO/Số .*/Ngày \d{1,2}-\d{1,2}-\d{4}")
    stamp = ("Ký bởi: CÔNG BÁO", "Người ký: Cổng Thông tin điện tử Chính phủ")
    left = [line for line in lines if head.fullmatch(line) or line.startswith(stamp)]
    assert not left, f"{source}: gazette wrapper left: {left[:3]}"


@pytest.mark.parametrize("source", ROUND3["heldout"] + ROUND5_GOLD + ROUND6_GOLD + ROUND7_GOLD + ROUND8_GOLD)
def test_round3_counts_match_the_lists(source: str) -> None:
    from benchmarks.corpus_extraction import gold_counts

    g = _load(GOLD_DIR / source.replace(".md", ".json"))
    counts = gold_counts(g)
    check = g["count_check"]
    assert check["tasks"] == len(g["tasks"]) and check["targets"] == len(g["targets"])
    for key in ("tasks_required", "tasks_optional", "targets_required", "targets_optional"):
        assert check[key] == counts[key], f"{source}: {key}"


def test_benchmark_reads_round3_as_held_out_only() -> None:
    """The benchmark's loader finds every round-3 gold file under --split heldout and none under
    --split dev, and its dry run sees their renditions — without extracting anything."""
    from benchmarks.corpus_extraction import dry_run, load_gold

    held = load_gold("heldout", "3")
    assert sorted(f"{g['_stem']}.md" for g in held) == sorted(ROUND3["heldout"])
    assert load_gold("dev", "3") == []
    assert {g["_stem"] for g in held} <= {g["_stem"] for g in load_gold("heldout", "all")}
    assert not {g["_stem"] for g in held} & {g["_stem"] for g in load_gold("all", "1") + load_gold("all", "2")}
    listing = dry_run(held, ["md", "docx"])
    assert listing.count("renditions md,docx") == len(held)
    required = sum(sum(1 for t in g["tasks"] if not t.get("optional")) for g in held)
    assert f"tasks {required} required" in listing
