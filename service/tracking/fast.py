"""The lean ASGI path for the two hottest routes, ``/o/{token}.gif`` and ``/c/{token}``.

A plain ASGI middleware in front of the whole FastAPI stack (``service.app.CandorApp``):
it resolves the client behind a trusted proxy, lets ``service.tracking.collector``
decide (token, cached target, operations), loads a target the cache lacks in a worker
thread, waits for the group commit, and answers. Everything else passes through to the
application untouched.

``candor serve`` answers most of these requests before they become ASGI requests at
all (``service.tracking.protocol``); this path serves any other ASGI host, the tests'
clients, and the hits the protocol hands on (a target to read from the database).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio.to_thread

from pixel.gif import TRANSPARENT_GIF
from service.metrics import COLLECTOR_ERRORS, HITS
from service.tracking.collector import (
    GIF_RESPONSE_HEADERS,
    NOT_FOUND_HEADERS,
    NOT_FOUND_PAGE,
    REDIRECT_HEADERS,
    RETRY_HEADERS,
    RETRY_PAGE,
    Collector,
    client_info,
    location_header,
)
from service.tracking.schemas import ClientInfo
from service.tracking.targets import MISSING

__all__ = ["FastCollector"]

log = logging.getLogger("candor.collector")
OPEN_HITS, CLICK_HITS = HITS.labels("open"), HITS.labels("click")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _client(scope: Scope) -> ClientInfo:
    return client_info(scope["method"], scope.get("client"), scope["headers"])


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, head: bool
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


class FastCollector:
    """ASGI middleware answering the pixel and tracked links before the FastAPI stack."""

    def __init__(self, app: Callable[..., Awaitable[None]], collector: Collector) -> None:
        self.app = app
        self.collector = collector
        self.runtime = collector.runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path: str = scope["path"]
            # Anything under /o/ is a pixel and anything under /c/ a link, slashes and a
            # missing ".gif" included: a bad token gets the GIF or the 404 page.
            if path.startswith("/o/"):
                self.collector.proxies.resolve(scope)
                await self._open(scope, send, path[3:].removesuffix(".gif"))
                return
            if path.startswith("/c/"):
                self.collector.proxies.resolve(scope)
                await self._click(scope, send, path[3:])
                return
        await self.app(scope, receive, send)

    async def _open(self, scope: Scope, send: Send, token: str) -> None:
        OPEN_HITS.inc()
        try:
            ref, target = self.collector.open_target(token)
            if ref is not None:
                await self._record_open(ref, target, _client(scope))
        except Exception:  # the pixel must answer even when recording fails
            COLLECTOR_ERRORS.labels("open").inc()
            log.exception("open not recorded")
        await _respond(send, 200, GIF_RESPONSE_HEADERS, TRANSPARENT_GIF, scope["method"] == "HEAD")

    async def _record_open(self, ref: str, target: Any, client: ClientInfo) -> None:
        collector, runtime = self.collector, self.runtime
        if target is MISSING:
            try:
                target = await anyio.to_thread.run_sync(runtime.targets.load_message, ref)
            except Exception:  # database down: keep the hit by reference, resolve it later
                ops = collector.unresolved_open_ops(ref, client)
                if ops:
                    await runtime.writer.write(ops)
                return
        ops = collector.open_ops(ref, target, client)
        if ops:
            await runtime.writer.write(ops)

    async def _click(self, scope: Scope, send: Send, token: str) -> None:
        CLICK_HITS.inc()
        head = scope["method"] == "HEAD"
        try:
            location = await self._follow(scope, token)
        except Exception:
            COLLECTOR_ERRORS.labels("click").inc()
            log.exception("click not resolved")
            await _respond(send, 503, RETRY_HEADERS, RETRY_PAGE, head)
            return
        if location is None:  # a bad token never redirects anywhere
            await _respond(send, 404, NOT_FOUND_HEADERS, NOT_FOUND_PAGE, head)
            return
        headers = [(b"location", location_header(location)), *REDIRECT_HEADERS]
        await _respond(send, 302, headers, b"", head)

    async def _follow(self, scope: Scope, token: str) -> str | None:
        """The redirect target of a click token (recording the click), or None."""
        collector, runtime = self.collector, self.runtime
        ref, target = collector.link_target(token)
        if ref is None:
            return None
        if target is MISSING:
            try:
                target = await anyio.to_thread.run_sync(runtime.targets.load_link, ref)
            except Exception:  # the database is away: redirect to the last known target
                target = runtime.targets.links.stale(ref)
                if target is MISSING:
                    raise
        client = _client(scope)
        location, ops = collector.click_plan(ref, target, client)
        if ops:
            await runtime.writer.write(ops)
            if location is not None:
                location = collector.click_answer(ref, client, ops, location)
        return location
