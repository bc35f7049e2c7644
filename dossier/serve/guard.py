"""Safety around every request: only our own host and origin, bounded bodies, strict browser headers.

A page from another site cannot post to the server (its Origin or Sec-Fetch-Site says so), a rebound DNS name
cannot reach it (the Host header must be the address the server listens on, unless --host was given), and no
request body may exceed MAX_BODY bytes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 4 * 1024 * 1024
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make Chrome send "Origin: null" with a form post
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def refusal(scope: Scope, hosts: Iterable[str] | None) -> str | None:
    """Return why a request must be refused (Dutch), or None when it may pass.

    hosts are the Host header values allowed; None allows any host (the server was given --host).
    """
    host = _header(scope, b"host")
    if hosts is not None and (host or "").lower() not in hosts:
        return "onbekende host; open de server via het adres dat hij bij het starten toont"
    if scope["method"] in SAFE_METHODS:
        return None
    origin = _header(scope, b"origin")
    scheme = scope.get("scheme", "http")
    if origin is not None and origin.lower() != f"{scheme}://{host}".lower():
        return "verzoek van een andere website geweigerd"
    site = _header(scope, b"sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return "verzoek van een andere website geweigerd"
    length = _header(scope, b"content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return f"verzoek is te groot (maximaal {MAX_BODY // 1024 // 1024} MB)"
    return None


class Guard:
    """ASGI middleware: refuse foreign hosts, origins and oversized bodies; add the security headers."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] | None) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts} if hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = refusal(scope, self.hosts)
        if reason is not None:
            status = 413 if reason.startswith("verzoek is te groot") else 403
            await _plain(send, status, reason)
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY:
                    raise BodyTooLarge
            return message

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        try:
            await self.app(scope, bounded_receive, secured_send)
        except BodyTooLarge:
            await _plain(send, 413, f"verzoek is te groot (maximaal {MAX_BODY // 1024 // 1024} MB)")


class BodyTooLarge(Exception):
    """Raised inside a request whose body grows past MAX_BODY."""


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
