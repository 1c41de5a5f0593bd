"""Settings of the HTTP service that are not settings of the store (read from the environment).

Kept apart from ``plankg.config.Settings`` because only ``plankg serve`` needs them and
they may change per deployment without touching the data: limits, licence, publisher.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from plankg.api.http.sparql.worker import PoolConfig

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


@dataclass(frozen=True)
class ServiceConfig:
    max_request_bytes: int = 1 << 20
    license: str = CC0
    publisher: str = "plankg"
    publisher_url: str | None = None
    pool: PoolConfig = field(default_factory=PoolConfig)

    @classmethod
    def from_env(cls) -> "ServiceConfig":
        env = os.environ
        return cls(
            max_request_bytes=int(env.get("PLANKG_MAX_REQUEST_BYTES", cls.max_request_bytes)),
            license=env.get("PLANKG_LICENSE", CC0),
            publisher=env.get("PLANKG_PUBLISHER", cls.publisher),
            publisher_url=env.get("PLANKG_PUBLISHER_URL") or None,
            pool=PoolConfig.from_env(),
        )
