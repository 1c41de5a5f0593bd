"""JSON round trip of extraction records, so the store can be rebuilt without the files.

Each ingested file's :class:`Extraction` is kept under ``PLANKG_HOME/extractions``; when a
second rendition of a document arrives (or one is removed), every rendition's graph is
rebuilt from these records, which is what makes the result independent of ingest order.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from plankg.ingest import model
from plankg.ingest.model import Extraction

FORMAT_VERSION = 1


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, set):
        return sorted(to_jsonable(x) for x in obj)
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    return obj


def _from(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _from(args[0], value) if len(args) == 1 else value
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        return [_from(inner, v) for v in value]
    if origin is typing.Literal:
        return value
    if tp is date:
        return date.fromisoformat(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a type hint: a class, never an instance
        hints = typing.get_type_hints(tp, vars(model))
        return tp(**{f.name: _from(hints[f.name], value.get(f.name)) for f in dataclasses.fields(tp) if f.name in value})
    return value


def from_jsonable(cls: type, data: dict[str, Any]) -> Any:
    return _from(cls, data)


def save_extraction(ex: Extraction, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"format": FORMAT_VERSION, "extraction": to_jsonable(ex)}, ensure_ascii=False), "utf-8")
    tmp.replace(path)


def load_extraction(path: Path) -> Extraction:
    data = json.loads(path.read_text("utf-8"))
    return from_jsonable(Extraction, data["extraction"])
