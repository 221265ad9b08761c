"""`candor serve`'s HTTP protocol: pixels and tracked links answered without ASGI.

An ASGI request costs uvicorn a request-response cycle (with an ``asyncio.Event``), a
task, the middleware's coroutines, a future to wait for the group commit, two ``send``
messages and their header checks: most of an open's time on the event loop
(docs/collector.md, "Where a hit's time goes"). This protocol, uvicorn's httptools one
with the bounded head (``service.request_head``), answers ``GET``/``HEAD`` on ``/o/``
and ``/c/`` itself once their head is read:

- the decisions are ``service.tracking.collector``'s, the very ones the ASGI path
  (``service.tracking.fast``) takes, with the same trusted-proxy resolution;
- the operations go to the group-commit writer with a callback
  (``EventWriter.write_later``), and the callback writes the prebuilt response bytes
  to the transport once the batch is committed or spooled: an answer still means stored;
- a token whose target the cache lacks (a database read, in a thread) goes the ASGI way,
  as does anything unusual: a percent-encoded path, an upgrade, a root path, a
  concurrency limit.

What uvicorn does for its own cycles holds for these requests too: pipelined requests
are answered in order (one at a time, reading paused meanwhile, whichever path answers
each), HTTP/1.0 and ``Connection: close`` close after the answer, a client that
disconnects gets nothing written (its hit is stored all the same), an answer waits while
the transport's write buffer is above its high-water mark, ``Date`` comes from the
server's clock, the access line is written when ``CANDOR_ACCESS_LOG`` keeps it, and on
SIGTERM the connection closes after its answer, which uvicorn waits for before the
writer flushes.
"""

from __future__ import annotations

import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from pixel.gif import TRANSPARENT_GIF
from service.metrics import COLLECTOR_ERRORS
from service.request_head import BoundedHttpToolsProtocol
from service.tracking.collector import (
    GIF_RESPONSE_HEADERS,
    NOT_FOUND_HEADERS,
    NOT_FOUND_PAGE,
    REDIRECT_HEADERS,
    RETRY_HEADERS,
    RETRY_PAGE,
    Collector,
    Headers,
    client_info,
    location_header,
)
from service.tracking.fast import CLICK_HITS, OPEN_HITS
from service.tracking.spool import Op
from service.tracking.targets import MISSING

__all__ = ["CollectorProtocol"]

log = logging.getLogger("candor.collector")


def _block(headers: Headers) -> bytes:
    return b"".join(name + b": " + value + b"\r\n" for name, value in headers)


_GIF = _block(GIF_RESPONSE_HEADERS)
_NOT_FOUND = _block(NOT_FOUND_HEADERS)
_RETRY = _block(RETRY_HEADERS)
_REDIRECT = _block(REDIRECT_HEADERS)
_CLOSE = b"connection: close\r\n"


class _DefaultHeaders:
    """uvicorn's default headers (``Date``, ``--header``) as bytes, rebuilt only when the
    server replaces its list (once a second)."""

    def __init__(self) -> None:
        self._of: list[tuple[bytes, bytes]] | None = None
        self._block = b""

    def block(self, headers: list[tuple[bytes, bytes]]) -> bytes:
        if headers is not self._of:
            self._block, self._of = _block(headers), headers
        return self._block


_defaults = _DefaultHeaders()


class _Hit:
    """One pixel fetch or click answered by the protocol: what uvicorn's cycle would
    hold, for the parts of uvicorn that look at ``protocol.cycle``."""

    __slots__ = (
        "access_log",
        "client",
        "disconnected",
        "failed",
        "keep_alive",
        "location",
        "method",
        "open",
        "ops",
        "protocol",
        "ref",
        "response_complete",
        "scope",
        "target",
    )

    def __init__(
        self,
        protocol: CollectorProtocol,
        scope: dict[str, Any],
        *,
        open: bool,
        ref: str | None,
        target: Any,
        failed: bool,
        keep_alive: bool,
        access_log: bool,
    ) -> None:
        self.protocol = protocol
        self.scope = scope
        self.method: str = scope["method"]
        self.open = open
        self.ref = ref
        self.target = target
        self.failed = failed  # the token check raised: GIF, or the retry page
        self.keep_alive = keep_alive
        self.access_log = access_log
        self.response_complete = False
        self.disconnected = False
        self.location: str | None = None
        self.client: Any = None
        self.ops: list[Op] = []

    def written(self, outcome: Any) -> None:
        """The writer's callback: the hit's batch is committed, spooled or dropped."""
        protocol = self.protocol
        if not self.open and self.location is not None:
            try:
                self.location = protocol.collector.click_answer(
                    self.ref or "", self.client, self.ops, self.location
                )
            except Exception:
                COLLECTOR_ERRORS.labels("click").inc()
                log.exception("click not resolved")
                self.failed = True
        try:
            protocol.answer(self)
        except Exception:  # never leave the connection waiting for an answer
            log.exception("answer not written")
            protocol.transport.close()


def _collector_of(app: Any) -> Collector | None:
    """The Candor app's collector, under whatever middleware uvicorn wrapped it in."""
    for _ in range(8):
        collector = getattr(getattr(app, "state", None), "collector", None)
        if isinstance(collector, Collector):
            return collector
        app = getattr(app, "app", None)
        if app is None:
            break
    return None


class CollectorProtocol(BoundedHttpToolsProtocol):
    """The bounded httptools protocol, answering ``/o/`` and ``/c/`` without ASGI."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # None when the app is not Candor's: then every request goes the ASGI way.
        self._collector = _collector_of(self.app)
        self._blocked: _Hit | None = None  # an answer waiting for the write buffer

    @property
    def collector(self) -> Collector:
        assert self._collector is not None
        return self._collector

    # -- parser callbacks and uvicorn's hooks --------------------------------------------
    def on_headers_complete(self) -> None:
        hit = self._hit() if self._collector is not None else None
        if hit is None:
            super().on_headers_complete()
            return
        self._head_done()
        existing = self.cycle
        self.cycle = hit  # type: ignore[assignment]
        if existing is None or existing.response_complete:
            self._run(hit)
        else:  # pipelined: answered after the requests before it, as uvicorn does
            self.flow.pause_reading()
            self.pipeline.appendleft((hit, None))  # type: ignore[arg-type]

    def on_body(self, body: bytes) -> None:
        if not isinstance(self.cycle, _Hit):  # a GET's body means nothing here
            super().on_body(body)

    def on_message_complete(self) -> None:
        if isinstance(self.cycle, _Hit):
            self._expect_head()
        else:
            super().on_message_complete()

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        """uvicorn starts the next pipelined request here: one of ours, or its own."""
        if isinstance(cycle, _Hit):
            self._run(cycle)
        else:
            super()._start_asgi_task(cycle, app)

    def connection_lost(self, exc: Exception | None) -> None:
        cycle = self.cycle
        if isinstance(cycle, _Hit):
            if not cycle.response_complete:
                cycle.disconnected = True
            self.cycle = None  # type: ignore[assignment]  # uvicorn's handler knows its own
        self._blocked = None
        super().connection_lost(exc)

    def resume_writing(self) -> None:
        super().resume_writing()
        hit, self._blocked = self._blocked, None
        if hit is not None:
            self.answer(hit)

    # -- the protocol's own path ---------------------------------------------------------
    def _hit(self) -> _Hit | None:
        """The hit this head asks for, or None for the ASGI path."""
        parser = self.parser
        method = parser.get_method()
        if method != b"GET" and method != b"HEAD":
            return None
        url: bytes = self.url
        route = url[:3]
        if route != b"/o/" and route != b"/c/":
            return None
        if self.root_path or self.limit_concurrency is not None or parser.should_upgrade():
            return None
        raw_path, _, query = url.partition(b"?")
        if b"%" in raw_path or b"#" in url:  # uvicorn decodes these; let it
            return None
        try:
            path = raw_path.decode("ascii")
        except UnicodeDecodeError:
            return None
        collector = self.collector
        is_open = route == b"/o/"
        failed = False
        try:
            if is_open:
                ref, target = collector.open_target(path[3:].removesuffix(".gif"))
            else:
                ref, target = collector.link_target(path[3:])
        except Exception:
            log.exception("token check failed")
            ref, target, failed = None, None, True
        if target is MISSING:  # the ASGI path reads it from the database in a thread
            return None
        scope: dict[str, Any] = self.scope  # type: ignore[assignment]
        scope["method"] = "GET" if method == b"GET" else "HEAD"
        http_version = parser.get_http_version()
        if http_version != "1.1":
            scope["http_version"] = http_version
        scope["path"], scope["raw_path"], scope["query_string"] = path, raw_path, query
        return _Hit(
            self,
            scope,
            open=is_open,
            ref=ref,
            target=target,
            failed=failed,
            keep_alive=http_version != "1.0" and parser.should_keep_alive(),
            access_log=self.access_log and self._access_lines.keeps(path),
        )

    def _run(self, hit: _Hit) -> None:
        """Decide the hit and hand its operations to the writer (or answer at once)."""
        collector = self.collector
        (OPEN_HITS if hit.open else CLICK_HITS).inc()
        if hit.failed:
            COLLECTOR_ERRORS.labels("open" if hit.open else "click").inc()
        else:
            try:
                scope = hit.scope
                collector.proxies.resolve(scope)  # for the access line too
                if hit.ref is not None:  # else a bad token: the GIF, or the 404 page
                    client = hit.client = client_info(hit.method, scope["client"], scope["headers"])
                    if hit.open:
                        hit.ops = collector.open_ops(hit.ref, hit.target, client)
                    else:
                        hit.location, hit.ops = collector.click_plan(hit.ref, hit.target, client)
            except Exception:  # a pixel still answers; a link gets the retry page
                COLLECTOR_ERRORS.labels("open" if hit.open else "click").inc()
                log.exception("open not recorded" if hit.open else "click not resolved")
                hit.failed, hit.ops, hit.location = True, [], None
        if hit.ops:
            collector.runtime.writer.write_later(hit.ops, hit.written, self.loop)
        else:
            self.answer(hit)

    def answer(self, hit: _Hit) -> None:
        """Write the hit's response, then let uvicorn go on with the connection."""
        transport = self.transport
        if hit.disconnected or transport.is_closing():
            hit.response_complete = True
            return
        if self.flow.write_paused:  # the client does not read: wait for it (resume_writing)
            self._blocked = hit
            return
        status, headers, body = self._response(hit)
        if hit.access_log:
            scope = hit.scope
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                get_client_addr(scope),  # type: ignore[arg-type]
                hit.method,
                get_path_with_query_string(scope),  # type: ignore[arg-type]
                scope["http_version"],
                status,
            )
        parts = [STATUS_LINE[status], _defaults.block(self.server_state.default_headers), headers]
        if not hit.keep_alive:
            parts.append(_CLOSE)
        parts.append(b"\r\n")
        if hit.method != "HEAD":
            parts.append(body)
        transport.write(b"".join(parts))
        hit.response_complete = True
        if not hit.keep_alive:
            transport.close()
        self.on_response_complete()

    @staticmethod
    def _response(hit: _Hit) -> tuple[int, bytes, bytes]:
        """(status, header lines, body) of the hit's answer."""
        if hit.open:
            return 200, _GIF, TRANSPARENT_GIF
        if hit.failed:
            return 503, _RETRY, RETRY_PAGE
        if hit.location is None:  # a bad token never redirects anywhere
            return 404, _NOT_FOUND, NOT_FOUND_PAGE
        return 302, b"location: " + location_header(hit.location) + b"\r\n" + _REDIRECT, b""
