"""Web pages of retired IRIs: a page that shows one entity answers 301 to the page of the
IRI its thing moved to, or 410 with a page saying what it was and where it came from.

Why: a user following an old link to an entity page (a bookmark, a page saved before a
source was read again) must learn that the thing moved or is gone — as linked data and
``/api/entities`` already answer — not get the 404 of something that never existed
(docs/vocabulary-contract.md, "Changed and retired IRIs"). The record and its lookup are the
linked-data layer's (``plankg.api.http.linked_data.retired.lookup``, ``gone_message``);
this module only turns an answer into a page, for every page route that shows one entity
(the entity pages, ``/tong-quan/…``).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from starlette.responses import Response

from plankg.api.http.linked_data.retired import gone_message, lookup
from plankg.api.web.render import Renderer
from plankg.config import Settings
from plankg.store.retired import KINDS

__all__ = ["retired_page"]


def retired_page(renderer: Renderer, settings: Settings, iri: str,
                 page_of: Callable[[str], str]) -> Response | None:
    """The answer of a page route for ``iri`` when it was retired, else None (the route goes
    on to its own 404). ``page_of`` gives the route's page for an IRI (the successor's)."""
    gone = lookup(settings, iri)
    if gone is None:
        return None
    if gone.successor is not None:
        return RedirectResponse(page_of(gone.successor), status_code=301, headers={"Vary": "Accept"})
    what_vi, what_en = KINDS[gone.kind(settings.base_iri)]
    why_vi, why_en = gone.why()
    return renderer.response(
        "gone.html", 410, headers={"Vary": "Accept"}, title="Mục này không còn tồn tại (gone)",
        iri=iri, what_vi=what_vi, what_en=what_en, why_vi=why_vi, why_en=why_en, retirement=gone,
        message=gone_message(gone), alternates=[])
