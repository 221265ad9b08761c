"""The lean path for the two hottest routes, ``/o/{token}.gif`` and ``/c/{token}``.

A plain ASGI middleware in front of the whole FastAPI stack (``service.app.CandorApp``):
it resolves the client behind a trusted proxy, verifies the token, resolves
its target from the cache (a database read only on a miss, in a worker thread),
classifies the hit, waits for the group commit, and answers. Everything else passes
through to the application untouched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

import anyio.to_thread

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF
from pixel.tokens import BadToken, Purpose
from service.metrics import COLLECTOR_ERRORS, HITS, REJECTED_TOKENS
from service.models import utcnow
from service.proxies import TrustedProxies
from service.runtime import Runtime
from service.tracking import service
from service.tracking.schemas import CLIENT_HEADERS, ClientInfo
from service.tracking.targets import MISSING

__all__ = ["FastCollector"]

log = logging.getLogger("candor.collector")
_OPEN_HITS, _CLICK_HITS = HITS.labels("open"), HITS.labels("click")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

_GIF_HEADERS = [
    (b"content-type", b"image/gif"),
    (b"content-length", str(len(TRANSPARENT_GIF)).encode()),
    *[(name.lower().encode(), value.encode()) for name, value in GIF_HEADERS.items()],
]
_NO_STORE = [(b"cache-control", b"no-store, private"), (b"referrer-policy", b"no-referrer")]
_HTML = [(b"content-type", b"text/html; charset=utf-8")]
NOT_FOUND_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Link not found</title>"
    b"<p>This link is not valid. Nothing was recorded.</p>"
)
RETRY_PAGE = b"<!doctype html><meta charset=utf-8><title>Try again</title><p>Please try this link again in a moment.</p>"


# Only what classification and consent read is decoded.
_CLIENT_HEADERS = frozenset(name.encode("latin-1") for name in CLIENT_HEADERS)

# Everything legal in a URL stays; anything else (non-ASCII in a path) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9:/?#\[\]@!$&'()*+,;=%~._-]")


def _location(url: str) -> bytes:
    """The Location header: nearly every destination is plain ASCII already."""
    if _NEEDS_QUOTING.search(url):
        url = quote(url, safe=_URL_SAFE)
    return url.encode("ascii")


def _client(scope: Scope) -> ClientInfo:
    headers = {
        name.decode("latin-1"): value.decode("latin-1")
        for raw, value in scope["headers"]
        if (name := raw.lower()) in _CLIENT_HEADERS
    }
    client = scope.get("client")
    return ClientInfo.from_parts(scope["method"], client[0] if client else None, headers)


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, head: bool
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


class FastCollector:
    """ASGI middleware answering the pixel and tracked links before the FastAPI stack."""

    def __init__(
        self, app: Callable[..., Awaitable[None]], runtime: Runtime, proxies: TrustedProxies
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path: str = scope["path"]
            # Anything under /o/ is a pixel and anything under /c/ a link, slashes and a
            # missing ".gif" included: a bad token gets the GIF or the 404 page.
            if path.startswith("/o/"):
                self.proxies.resolve(scope)
                await self._open(scope, send, path[3:].removesuffix(".gif"))
                return
            if path.startswith("/c/"):
                self.proxies.resolve(scope)
                await self._click(scope, send, path[3:])
                return
        await self.app(scope, receive, send)

    def _verify(self, purpose: Purpose, token: str) -> str | None:
        try:
            return self.runtime.signer.verify(purpose, token)
        except BadToken:
            REJECTED_TOKENS.labels(purpose.name.lower()).inc()
            return None

    async def _open(self, scope: Scope, send: Send, token: str) -> None:
        _OPEN_HITS.inc()
        try:
            ref = self._verify(Purpose.OPEN, token)
            if ref is not None:
                await self._record_open(ref, _client(scope))
        except Exception:  # the pixel must answer even when recording fails
            COLLECTOR_ERRORS.labels("open").inc()
            log.exception("open not recorded")
        await _respond(send, 200, _GIF_HEADERS, TRANSPARENT_GIF, scope["method"] == "HEAD")

    async def _record_open(self, ref: str, client: ClientInfo) -> None:
        runtime, now = self.runtime, utcnow()
        target = runtime.targets.messages.get(ref)
        if target is MISSING:
            try:
                target = await anyio.to_thread.run_sync(runtime.targets.load_message, ref)
            except Exception:  # database down: keep the hit by reference, resolve it later
                ops = service.unresolved_open_op(runtime, ref=ref, client=client, now=now)
                if ops:
                    await runtime.writer.write(ops)
                return
        if target is None:
            REJECTED_TOKENS.labels("open").inc()
            return
        ops = service.open_ops(runtime, ref=ref, target=target, client=client, now=now)
        if ops:
            await runtime.writer.write(ops)

    async def _click(self, scope: Scope, send: Send, token: str) -> None:
        _CLICK_HITS.inc()
        head = scope["method"] == "HEAD"
        try:
            location = await self._follow(scope, token)
        except Exception:
            COLLECTOR_ERRORS.labels("click").inc()
            log.exception("click not resolved")
            await _respond(
                send, 503, [*_HTML, (b"retry-after", b"5"), *_NO_STORE], RETRY_PAGE, head
            )
            return
        if location is None:  # a bad token never redirects anywhere
            await _respond(send, 404, [*_HTML, *_NO_STORE], NOT_FOUND_PAGE, head)
            return
        headers = [
            (b"location", _location(location)),
            (b"content-length", b"0"),
        ]
        await _respond(send, 302, [*headers, *_NO_STORE], b"", head)

    async def _follow(self, scope: Scope, token: str) -> str | None:
        """The redirect target of a click token (recording the click), or None."""
        ref = self._verify(Purpose.CLICK, token)
        if ref is None:
            return None
        runtime = self.runtime
        target = runtime.targets.links.get(ref)
        if target is MISSING:
            try:
                target = await anyio.to_thread.run_sync(runtime.targets.load_link, ref)
            except Exception:  # the database is away: redirect to the last known target
                target = runtime.targets.links.stale(ref)
                if target is MISSING:
                    raise
        if target is None:
            REJECTED_TOKENS.labels("click").inc()
            return None
        client = _client(scope)
        location, ops = service.click_plan(
            runtime, ref=ref, target=target, client=client, now=utcnow()
        )
        if ops:
            await runtime.writer.write(ops)
            if location is not None and runtime.shared:
                location = service.click_answer(
                    runtime, ref=ref, client=client, ops=ops, location=location
                )
        return location
