"""FastAPI dependencies: the service objects of one application, for ``Depends(...)``.

Why: the route handlers used to be closures over the objects ``create_app`` made, so a test
could only change them by building another application. Now ``create_app`` puts one
:class:`Service` on ``app.state.service`` and the handlers (module-level functions on
module-level routers) ask for what they need — ``svc: Service = Depends(get_service)`` or a
finer ``Depends(get_settings)`` — so ``app.dependency_overrides[get_settings] = …`` swaps it
for one test.

The SPARQL worker pool and the dump cache have their dependencies next to their classes
(``sparql.endpoint.get_pool``, ``linked_data.dumps.get_dumps``) and the web pages theirs in
``plankg.api.web.deps``: importing those classes here would tie this module and the route
packages into an import circle (see the import contracts in pyproject.toml).

The getters are ``async`` only so that FastAPI calls them on the event loop rather than
through the thread pool; they do no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.snapshot import StoreSnapshot, VersionedCache
from plankg.config import Settings

__all__ = ["Service", "get_cache", "get_config", "get_service", "get_settings", "get_snapshot"]


@dataclass(frozen=True)
class Service:
    """What every part of the service reads: settings, limits, the store snapshot and its cache."""

    settings: Settings
    config: ServiceConfig
    snapshot: StoreSnapshot
    cache: VersionedCache

    @classmethod
    def create(cls, settings: Settings, config: ServiceConfig) -> Service:
        snapshot = StoreSnapshot(settings)
        return cls(settings, config, snapshot, VersionedCache(snapshot))


async def get_service(request: Request) -> Service:
    """The application's :class:`Service` (``app.state.service``, set by ``create_app``)."""
    service: Service = request.app.state.service
    return service


async def get_settings(svc: Service = Depends(get_service)) -> Settings:
    return svc.settings


async def get_config(svc: Service = Depends(get_service)) -> ServiceConfig:
    return svc.config


async def get_snapshot(svc: Service = Depends(get_service)) -> StoreSnapshot:
    return svc.snapshot


async def get_cache(svc: Service = Depends(get_service)) -> VersionedCache:
    return svc.cache
