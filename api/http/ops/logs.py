"""Structured logs: one JSON object a line, carrying the request id of the request being served.

Why JSON: log collectors (journald → Loki, Elasticsearch, CloudWatch) index fields, and a
request id in every line ties an access line to the warnings logged while serving it.
The handler goes on the ``plankg`` logger only (uvicorn keeps its own format), and the
records still propagate, so pytest's ``caplog`` and an operator's root handler see them.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

#: the id of the request this task serves ("-" outside a request)
request_id: ContextVar[str] = ContextVar("plankg_request_id", default="-")

_HANDLER_NAME = "plankg-ops"
_EXTRA = ("method", "path", "route", "status", "duration_ms", "client")


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, plus the access fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for key in _EXTRA:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", None) or request_id.get()
        return super().format(record)


def configure_logging(fmt: str) -> None:
    """Put one stderr handler on the ``plankg`` logger (idempotent: an app made twice adds none)."""
    logger = logging.getLogger("plankg")
    if any(h.get_name() == _HANDLER_NAME for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         _TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
