"""FastAPI dependencies of the web pages: the template renderer, the entity data, the source texts.

``create_app`` makes one :class:`Pages` per application (``Pages.create``) and puts it on
``app.state.pages``; the page handlers in ``plankg.api.web.routes`` ask for it with
``Depends(get_pages)``, next to the service's own dependencies (``plankg.api.http.deps``).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from plankg.api.http.deps import Service
from plankg.api.web.entities import EntityData
from plankg.api.web.render import Renderer
from plankg.api.web.source import SourceTexts

__all__ = ["Pages", "get_pages"]


@dataclass(frozen=True)
class Pages:
    """Per-application objects of the web pages (the entity-page middleware shares ``renderer`` and ``data``)."""

    renderer: Renderer
    data: EntityData
    texts: SourceTexts

    @classmethod
    def create(cls, svc: Service) -> Pages:
        return cls(Renderer(svc.settings.base_iri), EntityData(svc.settings, svc.snapshot, svc.cache),
                   SourceTexts(svc.settings))


async def get_pages(request: Request) -> Pages:
    """The application's :class:`Pages` (``app.state.pages``, set by ``create_app``)."""
    pages: Pages = request.app.state.pages
    return pages
