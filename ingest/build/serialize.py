"""JSON round trip of extraction records, so the store can be rebuilt without the files.

Each ingested file's :class:`Extraction` is kept under ``PLANKG_HOME/extractions``; when a
second rendition of a document arrives (or one is removed), every rendition's graph is
rebuilt from these records, which is what makes the result independent of ingest order.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
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
    return None if value is None else _converter(tp)(value)


_SCALARS = (str, int, float, bool, Any)


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """The function that turns a JSON value (never None) into ``tp``, built once per type:
    type hints and field lists are read once, not for every record (loading the saved
    extractions of a bulk ingest spent most of its time in ``typing.get_type_hints``)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else _identity
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        if inner in _SCALARS:
            return list
        item = _converter(inner)
        return lambda value: [None if v is None else item(v) for v in value]
    if origin is typing.Literal:
        return _identity
    if tp is date:
        return date.fromisoformat
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a type hint: a class, never an instance
        return _dataclass_converter(tp)
    return _identity


def _dataclass_converter(tp: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(tp, vars(model))
    names = [f.name for f in dataclasses.fields(tp)]
    fields: list[tuple[str, Callable[[Any], Any]]] = []  # filled on first use: a record type may contain itself

    def convert(value: Any) -> Any:
        if not fields:
            fields.extend((name, _converter(hints[name])) for name in names)
        return tp(**{name: None if (v := value.get(name)) is None else conv(v)
                     for name, conv in fields if name in value})
    return convert


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
