"""Outbound network rule for processes that reach a remote store: the store's endpoints only.

Why: the SPARQL query workers are cut off the network (an empty network namespace,
``api/http/sparql/worker.py``) so that nothing a query does can reach another host. With a
remote store they must reach one server, so the namespace cannot be used; instead the
worker installs this rule: a Python audit hook (PEP 578, it cannot be removed once added)
that refuses every ``connect`` and name lookup except to the hosts and ports of the
configured store URLs. It covers everything Python does (httpx, urllib, sockets); native
code that opens sockets itself would not pass through it, which is why ``SERVICE`` is also
refused before a query is sent (``store/read/inspect.py``) and the server's own federation
must be off (docs/deployment.md).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

_INSTALLED: list[frozenset[tuple[str, int]]] = []


def _endpoints(urls: list[str]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for url in urls:
        parts = urlsplit(url)
        if not parts.hostname:
            continue
        port = parts.port or (443 if parts.scheme == "https" else 80)
        out.add((parts.hostname.lower(), port))
        try:  # the addresses the name resolves to now: connect() sees addresses, not names
            for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP):
                out.add((str(info[4][0]).lower(), port))
        except OSError:
            pass
    return out


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def restrict_outbound(urls: list[str]) -> bool:
    """Allow connections to the hosts/ports of ``urls`` only, from now on, in this process."""
    allowed = frozenset(_endpoints(urls))
    if not allowed:
        return False
    names = {h for h, _ in allowed if not _is_ip(h)}

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect":
            address = args[1]
            if isinstance(address, tuple) and len(address) >= 2:
                if (str(address[0]).lower(), int(address[1])) not in allowed:
                    raise PermissionError(f"outbound connection to {address[0]}:{address[1]} refused "
                                          "(only the configured store may be reached)")
            elif not isinstance(address, (str, bytes)):  # AF_UNIX paths are local; anything else: no
                raise PermissionError("outbound connection refused (only the configured store may be reached)")
        elif event == "socket.getaddrinfo":
            host = args[0].decode() if isinstance(args[0], bytes) else args[0]
            if host is not None and str(host).lower() not in names and not _is_ip(str(host)):
                raise PermissionError(f"name lookup of {host} refused (only the configured store may be reached)")

    sys.addaudithook(hook)
    _INSTALLED.append(allowed)
    return True
