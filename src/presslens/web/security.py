"""What the web app checks before it reads a request's body, and adds to every response.

A form post is accepted only from this site: its ``Origin`` (or, without one, its
``Referer``) must name the host the request was sent to, and the form's action URL carries
a token signed with a secret of this app, bound to a nonce in a same-site cookie and valid
for a limited time. All of that is in the headers and the query string, so a forged post is
refused before a byte of its body is read, and the body is then read up to a limit while it
streams (chunked uploads included), never spooled past it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "presslens_csrf"
FORM_OVERHEAD_BYTES = 64 * 1024  # the form's fields and multipart boundaries

# Inline styles are allowed because the reports (and the pages) carry style attributes for
# swatches and bars; no script runs at all, inline or not.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'none'; "
                           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class RequestRefused(Exception):
    """A request refused before its body is read: an HTTP status and a one-line reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class SecureResponses:
    """ASGI middleware: the security headers on every response, and a 400 for a path or
    query string holding a NUL byte, which no route can use and some databases refuse."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(
                    h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        raw = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string", b""))
        if b"\x00" in unquote_to_bytes(raw) or "\x00" in scope.get("path", ""):
            body = b'{"detail":"a NUL byte in the address"}'
            await send_secured({"type": "http.response.start", "status": 400, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})
            await send_secured({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_secured)


class FormTokens:
    """Tokens for the analyse form: ``issued.signature``, where the signature is an HMAC of
    the issue time and the browser's cookie nonce under a per-app secret. A token is worth
    nothing without the cookie it was made for, nor after ``max_age`` seconds."""

    def __init__(self, *, max_age: float, secret: bytes | None = None) -> None:
        self.max_age = max_age
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(24)

    def _sign(self, nonce: str, issued: int) -> str:
        message = f"{issued}:{nonce}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def issue(self, nonce: str, *, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        return f"{issued}.{self._sign(nonce, issued)}"

    def check(self, token: str, nonce: str | None, *, now: float | None = None) -> None:
        """Raise ``RequestRefused`` (403) unless ``token`` was issued here for ``nonce``
        and has not expired."""
        issued_text, _, signature = token.partition(".")
        if not nonce or not issued_text.isdigit() or len(issued_text) > 12:
            raise RequestRefused(403, "missing or wrong form token (reload the form)")
        issued = int(issued_text)
        if not hmac.compare_digest(signature, self._sign(nonce, issued)):
            raise RequestRefused(403, "missing or wrong form token (reload the form)")
        age = (time.time() if now is None else now) - issued
        if not -60 <= age <= self.max_age:
            raise RequestRefused(403, "the form has expired (reload the form)")


def check_same_origin(request: Request) -> None:
    """Raise ``RequestRefused`` (403) unless the request's Origin, or without one its
    Referer, names the host it was sent to: a post from another site is refused."""
    host = (request.headers.get("host") or "").lower()
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        origin = request.headers.get("referer") if origin is None else None
    if not origin:
        raise RequestRefused(403, "a form post must come from this site (no Origin or "
                                  "Referer header)")
    try:
        parts = urlsplit(origin)
        default = {"http": 80, "https": 443}.get(parts.scheme)
        port = parts.port
    except ValueError:
        raise RequestRefused(403, "a form post must come from this site (bad Origin)"
                             ) from None
    netloc = (parts.hostname or "").lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"
    names = {f"{netloc}:{port or default}"} | ({netloc} if port in (None, default) else set())
    if not host or host not in names:
        raise RequestRefused(403, "a form post must come from this site (its Origin "
                                  "names another)")


async def read_body(request: Request, max_upload_bytes: int) -> bytes:
    """The request's body, read as it streams and refused with 413 once it passes the
    upload limit (plus room for the form's other fields), whatever its Content-Length
    says (a chunked upload has none)."""
    limit = max_upload_bytes + FORM_OVERHEAD_BYTES
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise RequestRefused(400, "a malformed Content-Length header")
        if int(declared) > limit:
            raise RequestRefused(413, f"upload over the limit of {max_upload_bytes:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestRefused(413, f"upload over the limit of {max_upload_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def replayed(request: Request, body: bytes) -> Request:
    """A request like ``request`` whose body is ``body``, already read, for the form
    parser."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)
