"""User-maintained corrections, applied after extraction and kept across re-ingest.

The file ``PLANKG_HOME/corrections.yaml`` (or ``PLANKG_CORRECTIONS``) lists fixes for
fields the extractor read wrongly; each carries who made it and why, and the graph
records it as a ``pk:Correction`` linked from the corrected entity. Example::

    - source: 000_fe8eef2ddadfd7b2.txt   # optional: limit to one file
      task: PL2.56                       # or target: PL1.I.3
      field: lead                        # lead | cooperating | deadline | output | text | unit | value
      value: ["Sở Y tế"]
      by: Nguyễn Văn A
      why: Bảng phụ lục in nhầm cơ quan chủ trì
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from plankg.ingest.errors import IngestError
from plankg.ingest.extract.deadlines import parse_deadline
from plankg.ingest.extract.values import parse_value
from plankg.ingest.model import Extraction, TargetRecord, TaskRecord
from plankg.store import iris

TASK_FIELDS = {"lead", "cooperating", "deadline", "output", "text"}
TARGET_FIELDS = {"indicator", "unit", "value", "monitoring"}


def load_corrections(path: Path) -> list[dict[str, Any]]:
    """The corrections in ``path`` (``Settings.corrections_path``); none when the file is absent."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or []
    except yaml.YAMLError as exc:
        raise IngestError(f"Tệp sửa lỗi {path} không đọc được (corrections file is not valid YAML): {exc}") from exc
    if not isinstance(data, list):
        raise IngestError(f"Tệp sửa lỗi {path} phải là một danh sách (corrections file must be a YAML list)")
    for i, c in enumerate(data, 1):
        if not isinstance(c, dict) or "field" not in c or "value" not in c or not ("task" in c or "target" in c):
            raise IngestError(f"Sửa lỗi thứ {i} trong {path} thiếu task/target, field hoặc value (correction {i} needs task or target, field, value)")
        allowed = TASK_FIELDS if "task" in c else TARGET_FIELDS
        if c["field"] not in allowed:
            raise IngestError(f"Sửa lỗi thứ {i}: trường '{c['field']}' không hỗ trợ (field not supported; use one of {sorted(allowed)})")
    return data


def apply_corrections(ex: Extraction, corrections: list[dict[str, Any]], doc_iri: str) -> tuple[Extraction, list[dict[str, Any]]]:
    """A corrected copy of ``ex`` and the list of corrections applied (with entity IRIs)."""
    mine = [c for c in corrections if c.get("source") in (None, ex.source.name)]
    if not mine:
        return ex, []
    ex = copy.deepcopy(ex)
    applied = []
    tasks = {t.path: t for t in ex.tasks}
    targets = {t.path: t for t in ex.targets}
    for c in mine:
        item: TaskRecord | TargetRecord
        if "task" in c and c["task"] in tasks:
            item, kind = tasks[c["task"]], "task"
        elif "target" in c and c["target"] in targets:
            item, kind = targets[c["target"]], "target"
        else:
            continue
        old = _set_field(item, c["field"], c["value"])
        applied.append({"iri": iris.part_iri(doc_iri, kind, item.path), "field": c["field"], "old": old,
                        "new": c["value"], "by": c.get("by"), "why": c.get("why")})
    return ex, applied


def _set_field(item: Any, field: str, value: Any) -> Any:
    as_list = value if isinstance(value, list) else [value]
    if field in ("lead", "cooperating", "monitoring"):
        old = getattr(item, field)
        setattr(item, field, [str(v) for v in as_list])
    elif field == "deadline":
        old = item.deadline.text if item.deadline else None
        item.deadline = parse_deadline(str(value))
    elif field == "value":
        old = item.value_text
        item.comparator, item.value_min, item.value_max, item.value_text = parse_value(str(value))
    else:
        old = getattr(item, field)
        setattr(item, field, str(value))
    return old
