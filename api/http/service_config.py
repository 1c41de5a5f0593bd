"""Typed groups of the service's settings: limits of the SPARQL workers and of the HTTP service.

Both are views of the one :class:`plankg.config.Settings` (``from_settings``), kept as small
frozen dataclasses so tests and the worker processes can pass exactly the limits they need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plankg.config import CC0, Settings, load_settings

__all__ = ["CC0", "PoolConfig", "ServiceConfig"]


@dataclass(frozen=True)
class PoolConfig:
    """Limits of the query workers (see docs/api.md)."""

    workers: int = 2
    timeout_s: float = 30.0
    max_rows: int = 50_000
    isolate_network: bool = True
    client_slots: int = 0  # 0: workers - 1, at least 1 (api/http/sparql/fairness.py)
    client_budget_s: float = 60.0  # seconds of worker time per client per minute; 0: no budget
    queue: int = 16  # requests that may wait beyond the workers; more get 503

    @classmethod
    def from_settings(cls, settings: Settings) -> "PoolConfig":
        return cls(workers=settings.query_workers, timeout_s=settings.query_timeout,
                   max_rows=settings.max_rows, isolate_network=settings.worker_netns,
                   client_slots=settings.client_query_slots, client_budget_s=settings.client_query_budget,
                   queue=settings.query_queue)

    @classmethod
    def from_env(cls) -> "PoolConfig":
        return cls.from_settings(load_settings())


@dataclass(frozen=True)
class ServiceConfig:
    max_request_bytes: int = 1 << 20
    max_query_string_bytes: int = 64 * 1024
    trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For is believed
    license: str = CC0
    publisher: str = "plankg"
    publisher_url: str | None = None
    pool: PoolConfig = field(default_factory=PoolConfig)

    @classmethod
    def from_settings(cls, settings: Settings) -> "ServiceConfig":
        return cls(max_request_bytes=settings.max_request_bytes, max_query_string_bytes=settings.max_query_string_bytes,
                   trusted_proxies=settings.trusted_proxies, license=settings.license,
                   publisher=settings.publisher, publisher_url=settings.publisher_url,
                   pool=PoolConfig.from_settings(settings))

    @classmethod
    def from_env(cls) -> "ServiceConfig":
        return cls.from_settings(load_settings())
