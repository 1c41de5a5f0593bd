"""Security headers on every response and a clean 400 for URLs that are not UTF-8 (issue 12).

Two pure ASGI middlewares (they wrap streamed responses without buffering them):

* :class:`SecurityHeaders` — every response gets ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: strict-origin-when-cross-origin``; every HTML page a
  Content-Security-Policy without inline scripts or styles and with
  ``frame-ancestors 'none'`` (plus ``X-Frame-Options: DENY`` for old browsers). A route
  that sets its own CSP keeps it (the API docs page, ``api/http/api_docs.py``). CORS is
  not touched: ``/sparql`` stays open to every origin as the protocol expects.
* :class:`Utf8Guard` — a path or query string whose percent-escapes are not UTF-8
  (``/%ff%fe``, ``?iri=%ff``, ``?co_quan=%c3``) is answered 400 before any route sees a
  half-decoded value.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The policy of every HTML page: own scripts, styles and images only; no plugins, no framing.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
REFERRER_POLICY = "strict-origin-when-cross-origin"
COMMON_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", REFERRER_POLICY.encode()))
HTML_HEADERS = ((b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"))

NOT_UTF8 = ("Yêu cầu không hợp lệ: địa chỉ (URL) chứa byte không phải UTF-8 "
            "(bad request: the URL's percent-escapes are not valid UTF-8)\n")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = list(COMMON_HEADERS)
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.lower().startswith(b"text/html"):
                    extra += HTML_HEADERS
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def is_utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return False
    return True


class Utf8Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
            if not (is_utf8(raw_path) and is_utf8(scope.get("query_string", b""))):
                body = NOT_UTF8.encode("utf-8")
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
