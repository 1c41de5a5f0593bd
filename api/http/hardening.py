"""Security headers, a clean 400 for URLs that are not UTF-8, and size limits (issue 12).

Three pure ASGI middlewares (they wrap streamed responses without buffering them):

* :class:`SecurityHeaders` — every response gets ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: strict-origin-when-cross-origin``; every HTML page a
  Content-Security-Policy without inline scripts or styles and with
  ``frame-ancestors 'none'`` (plus ``X-Frame-Options: DENY`` for old browsers). A route
  that sets its own CSP keeps it (the API docs page, ``api/http/api_docs.py``). CORS is
  not touched: ``/sparql`` stays open to every origin as the protocol expects.
* :class:`Utf8Guard` — a path or query string whose percent-escapes are not UTF-8
  (``/%ff%fe``, ``?iri=%ff``, ``?co_quan=%c3``) is answered 400 before any route sees a
  half-decoded value.
* :class:`RequestLimits` — a query string over ``PLANKG_MAX_QUERY_STRING_BYTES`` is answered
  414 and a body over ``PLANKG_MAX_REQUEST_BYTES`` 413 (from ``Content-Length`` at once, or
  while a chunked body streams in), before any route parses them.
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


def _plain(status: int, text: str, extra: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[Message, Message]:
    body = (text + "\n").encode("utf-8")
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                         *extra]}
    return start, {"type": "http.response.body", "body": body}


class BodyTooLarge(Exception):
    """Raised from ``receive`` once a streamed body passes the limit."""


class RequestLimits:
    def __init__(self, app: ASGIApp, max_query_string_bytes: int, max_body_bytes: int) -> None:
        self.app, self.max_qs, self.max_body = app, max_query_string_bytes, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        qs = len(scope.get("query_string", b""))
        if qs > self.max_qs:
            for m in _plain(414, f"Địa chỉ quá dài: chuỗi truy vấn {qs} byte, tối đa {self.max_qs} (URI too long: query "
                                 f"string of {qs} bytes, at most {self.max_qs}; PLANKG_MAX_QUERY_STRING_BYTES; "
                                 "send long SPARQL queries by POST)"):
                await send(m)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        seen, started = 0, False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        for m in _plain(413, f"Yêu cầu quá lớn: tối đa {self.max_body} byte (request too large: at most "
                             f"{self.max_body} bytes; PLANKG_MAX_REQUEST_BYTES)", ((b"connection", b"close"),)):
            await send(m)
