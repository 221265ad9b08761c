"""The request head's bounds for `candor serve` served directly: its size and its time.

uvicorn's httptools protocol buffers a request head of any size and waits for it for
ever: one 64 MiB header is held in memory whole, and a client that sends a header line
every few seconds keeps its connection (and a descriptor) as long as it likes. This
protocol, which `candor serve` gives uvicorn, adds what nginx's
``large_client_header_buffers`` and ``client_header_timeout`` do:

- a head (request line and headers) larger than ``CANDOR_MAX_REQUEST_HEAD_BYTES`` is
  answered ``431`` and the connection closed, before more of it is buffered;
- a connection whose head is not complete ``CANDOR_REQUEST_HEAD_TIMEOUT_SECONDS`` after
  its first byte (or after the connection opened) is answered ``408`` and closed.

Between requests on a kept-alive connection uvicorn's own keep-alive timeout applies;
the head timer starts again with the first read that leaves a head incomplete. The cost
on the hot path is a flag test per read: a head that arrives in one read (nearly all)
arms no timer but the connection's first.

It also decides, once the head is read, whether the request's access line is wanted
(``CANDOR_ACCESS_LOG``: the collector routes' lines are off by default). uvicorn
otherwise builds every request's log record, with the client's address and the path,
and only then lets a logger filter drop it: a tenth of an open's CPU time, spent on a
line nobody reads (docs/collector.md).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.config import get_settings
from service.logs import CollectorAccessLog, parse_access_log

__all__ = ["BoundedHttpToolsProtocol"]


def _response(status: bytes, text: bytes) -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"connection: close\r\ncontent-length: " + str(len(text)).encode() + b"\r\n\r\n" + text
    )


_TOO_LARGE = _response(
    b"431 Request Header Fields Too Large", b"The request line and headers are too large.\n"
)
_TOO_SLOW = _response(b"408 Request Timeout", b"The request line and headers came too slowly.\n")


@functools.cache
def _access_lines(setting: str) -> CollectorAccessLog:
    """One sampler per process and setting, shared by every connection."""
    return CollectorAccessLog(parse_access_log(setting))


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head (size and time), which
    also decides which access lines are written before uvicorn builds them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self._max_head = settings.max_request_head_bytes
        self._head_timeout = settings.request_head_timeout_seconds
        self._in_head = True  # the next bytes belong to a request head
        self._heads = 0  # heads completed on this connection
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._access_lines = _access_lines(settings.access_log)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a byte is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        was_in_head, heads = self._in_head, self._heads
        super().data_received(data)
        # Only a read that was all incomplete head costs anything: a head that arrives
        # whole (nearly every request) arms no timer. A read that also completed a head
        # or a body is not counted: the bound may be passed by at most one read.
        if was_in_head and self._in_head and heads == self._heads:
            self._head_bytes += len(data)
            if self._head_bytes > self._max_head:
                self._refuse(_TOO_LARGE)
            elif self._head_timer is None:
                self._arm()

    def on_headers_complete(self) -> None:
        self._head_done()
        cycle = self.cycle
        super().on_headers_complete()
        if self.cycle is not cycle and self.cycle.access_log:  # a new request's cycle
            self.cycle.access_log = self._access_lines.keeps(self.scope["path"])

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._expect_head()

    def _head_done(self) -> None:
        """A request head is complete: its bounds no longer apply."""
        self._in_head = False
        self._heads += 1
        self._head_bytes = 0
        self._disarm()

    def _expect_head(self) -> None:
        """A request is complete: a pipelined request's head may follow; its timer
        starts with the next read."""
        self._in_head = True
        self._head_bytes = 0

    def _arm(self) -> None:
        self._head_timer = self.loop.call_later(self._head_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self._in_head or self.transport.is_closing():
            return
        if self._head_bytes:
            self._refuse(_TOO_SLOW)
        elif self.cycle is None:  # connected and silent: close without a word
            self._refuse(b"")

    def _refuse(self, response: bytes) -> None:
        self._disarm()
        self._in_head = False
        if not self.transport.is_closing():
            if response:
                self.transport.write(response)
            self.transport.close()
