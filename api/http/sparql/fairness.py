"""Fair sharing of the query workers: one heavy client cannot starve the others (issue 12).

Three rules, applied by :class:`FairGate` before a query is handed to a worker:

* **Slots per client** (``PLANKG_CLIENT_QUERY_SLOTS``, default workers − 1, at least 1): a
  client's further queries wait while it already holds that many workers, so with two
  workers one client running heavy queries always leaves one worker to everybody else —
  the "cheap lane" (measured by ``benchmarks/sparql_fairness.py``).
* **Query-time budget** (``PLANKG_CLIENT_QUERY_BUDGET`` seconds of worker time per minute,
  as Wikidata's 60 s per 60 s): a leaky bucket per client, charged with each query's time in
  a worker and drained at budget/60 per second; a client over it gets 429 with
  ``Retry-After`` until enough has drained.
* **Bounded queue** (``PLANKG_QUERY_QUEUE``): at most workers + queue requests in the system;
  one more gets 503 with ``Retry-After`` at once instead of piling up threads.

The client is the socket's address, or the last address in ``X-Forwarded-For`` not itself a
trusted proxy when the request comes from one of ``PLANKG_TRUSTED_PROXIES`` (addresses or
networks) — a header from anyone else is ignored, so it cannot be used to dodge the budget.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

WINDOW_S = 60.0  # the budget is "seconds per minute"


@dataclass(frozen=True)
class Refusal:
    status: int  # 429 (budget used up) or 503 (queue full, or waited too long)
    message: str
    retry_after: int


class FairGate:
    """Admission of queries per client; ``enter`` before a worker is taken, ``leave`` after."""

    def __init__(self, workers: int, slots: int, budget_s: float, queue: int) -> None:
        self.slots = slots if slots > 0 else max(1, workers - 1)
        self.budget_s = budget_s
        self.capacity = max(1, workers) + max(0, queue)
        self._cond = threading.Condition()
        self._inflight: dict[str, int] = {}
        self._level: dict[str, tuple[float, float]] = {}  # client -> (used seconds, at monotonic time)
        self._in_system = 0

    def used(self, client: str, now: float | None = None) -> float:
        """Seconds of the budget ``client`` has used, after draining (caller holds no lock)."""
        now = time.monotonic() if now is None else now
        level, at = self._level.get(client, (0.0, now))
        return max(0.0, level - (now - at) * self.budget_s / WINDOW_S)

    def enter(self, client: str, wait_s: float) -> Refusal | None:
        """Admit ``client``'s query (None), waiting up to ``wait_s`` for one of its slots; or refuse."""
        with self._cond:
            used = self.used(client)
            if self.budget_s > 0 and used >= self.budget_s:
                retry = math.ceil((used - self.budget_s) * WINDOW_S / self.budget_s) + 1
                return Refusal(429, f"Bạn đã dùng hết {self.budget_s:g} giây truy vấn mỗi phút; thử lại sau {retry} giây "
                                    f"(query-time budget of {self.budget_s:g} s per minute used up; retry after {retry} s)",
                               retry)
            if self._in_system >= self.capacity:
                return Refusal(503, "Hàng đợi truy vấn đã đầy, vui lòng thử lại sau "
                                    "(the query queue is full; try again later)", 5)
            self._in_system += 1
            deadline = time.monotonic() + wait_s
            while self._inflight.get(client, 0) >= self.slots:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._in_system -= 1
                    return Refusal(503, "Máy chủ đang bận với các truy vấn khác của bạn, vui lòng thử lại sau "
                                        "(your other queries still hold the workers; try again later)", 5)
                self._cond.wait(left)
            self._inflight[client] = self._inflight.get(client, 0) + 1
            return None

    def leave(self, client: str, seconds: float) -> None:
        """Release ``client``'s slot and charge ``seconds`` of worker time to its budget."""
        with self._cond:
            now = time.monotonic()
            self._level[client] = (self.used(client, now) + seconds, now)
            n = self._inflight.get(client, 0) - 1
            if n > 0:
                self._inflight[client] = n
            else:
                self._inflight.pop(client, None)
            self._in_system = max(0, self._in_system - 1)
            if len(self._level) > 10_000:  # forget clients whose bucket has drained
                self._level = {c: v for c, v in self._level.items() if self.used(c, now) > 0}
            self._cond.notify_all()


# --------------------------------------------------------------------------- who is the client

def parse_networks(spec: str) -> tuple[Any, ...]:
    """``PLANKG_TRUSTED_PROXIES`` ("10.0.0.1, 192.168.0.0/24") as networks; bad entries raise ValueError."""
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in spec.split(",") if p.strip())


def _trusted(host: str, networks: tuple[Any, ...]) -> bool:
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(addr in net for net in networks)


def client_key(peer: str | None, forwarded_for: str | None, networks: tuple[Any, ...]) -> str:
    """The client a request counts against: the peer, or — from a trusted proxy — the last
    ``X-Forwarded-For`` address that is not a trusted proxy."""
    host = peer or "unknown"
    if not forwarded_for or not _trusted(host, networks):
        return host
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else host
