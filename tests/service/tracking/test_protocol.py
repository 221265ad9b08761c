"""`candor serve`'s protocol answers pixels and links itself, as uvicorn would answer them.

The protocol runs here over a fake transport on an event loop of the test's own, in
front of the test app and its running writer; the app is wrapped so that every request
that reaches ASGI is seen. The same behaviour through the real `candor serve` process
is in tests/service/tracking/test_protocol_server.py.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from uvicorn.config import Config
from uvicorn.server import ServerState

from pixel.gif import TRANSPARENT_GIF
from service import request_head
from service.config import get_settings
from service.runtime import Runtime
from service.tracking.protocol import CollectorProtocol
from tests.factories import (
    BROWSER_UA,
    make_prospect,
    make_user,
    path_of,
    send_message,
    stored_events,
)


class Transport(asyncio.Transport):
    """A connection that keeps what is written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: Any) -> None:  # after close too: a test sees what was written
        self.written += bytes(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class SeenApp:
    """The Candor app, noting the path of every request that reaches it as ASGI."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


def request(path: str, method: str = "GET", version: str = "1.1", **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/{version}", "Host: t.example.com", f"User-Agent: {BROWSER_UA}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def responses(
    data: bytes, heads: frozenset[int] = frozenset()
) -> list[tuple[bytes, dict[bytes, bytes], bytes]]:
    """(status line, headers, body) of each response in ``data``, in order; the answers
    numbered in ``heads`` answer HEAD requests, so no body follows their headers."""
    found = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        status, *lines = head.split(b"\r\n")
        headers = dict(line.split(b": ", 1) for line in lines)
        length = 0 if len(found) in heads else int(headers.get(b"content-length", b"0"))
        found.append((status, headers, data[:length]))
        data = data[length:]
    return found


class Server:
    """One connection of the protocol, on the test's loop."""

    def __init__(
        self, app: SeenApp, loop: asyncio.AbstractEventLoop, log_level: str = "warning"
    ) -> None:
        config = Config(app, lifespan="off", log_config=None, log_level=log_level)
        config.load()
        self.state = ServerState()
        self.protocol = CollectorProtocol(
            config=config, server_state=self.state, app_state={}, _loop=loop
        )
        self.transport = Transport()
        self.protocol.connection_made(self.transport)

    async def until(self, done: Callable[[], bool], seconds: float = 10.0) -> None:
        for _ in range(int(seconds / 0.01)):
            if done():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("not done in time")


@pytest.fixture
def app(client: TestClient) -> SeenApp:
    return SeenApp(client.app)


@pytest.fixture
def message(client: TestClient) -> dict[str, Any]:
    """A sent message whose pixel and first link are cached, as on a running collector."""
    rep = make_user(client)
    sent = send_message(client, rep, make_prospect(client, rep)["id"])
    headers = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "192.0.2.99"}
    client.get(path_of(sent["pixel_url"]), headers=headers)
    client.get(path_of(sent["links"][0]["tracked_url"]), headers=headers)
    return sent


@pytest.fixture
def held(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The writer holds each batch until the event is set (set it to let them go)."""
    release = threading.Event()
    flush = runtime.writer._flush

    def held_flush(*batch: Any) -> None:
        release.wait(10)
        flush(*batch)

    monkeypatch.setattr(runtime.writer, "_flush", held_flush)
    yield release
    release.set()


def run(test: Callable[[asyncio.AbstractEventLoop], Any]) -> None:
    async def main() -> None:
        await test(asyncio.get_running_loop())

    asyncio.run(main())


def opens(runtime: Runtime) -> int:
    return len(stored_events(runtime, "open"))


class TestWithoutAsgi:
    def test_an_open_is_stored_and_answered_the_gif_without_reaching_asgi(
        self, app: SeenApp, message: dict[str, Any], runtime: Runtime
    ) -> None:
        before = opens(runtime)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["pixel_url"]), X_Forwarded_For="198.51.100.7")
            )
            await server.until(lambda: bool(server.transport.written))
            [(status, headers, body)] = responses(server.transport.written)
            assert status == b"HTTP/1.1 200 OK"
            assert headers[b"content-type"] == b"image/gif" and body == TRANSPARENT_GIF
            assert headers[b"cache-control"] == b"no-store, no-cache, must-revalidate, private"
            assert not server.transport.closed and not server.state.tasks

        run(test)
        assert app.paths == []
        assert opens(runtime) == before + 1
        assert stored_events(runtime, "open")[-1].ip_prefix == "198.51.100.0"  # proxy resolved

    def test_a_click_redirects_to_its_destination_without_reaching_asgi(
        self, app: SeenApp, message: dict[str, Any]
    ) -> None:
        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["links"][0]["tracked_url"]), X_Forwarded_For="198.51.100.8")
            )
            await server.until(lambda: bool(server.transport.written))
            [(status, headers, body)] = responses(server.transport.written)
            assert status == b"HTTP/1.1 302 Found" and body == b""
            assert headers[b"location"].startswith(b"https://example.com/pricing?plan=team")
            assert headers[b"referrer-policy"] == b"no-referrer"

        run(test)
        assert app.paths == []

    def test_a_bad_link_token_gets_the_404_page_and_a_bad_pixel_the_gif(self, app: SeenApp) -> None:
        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(request("/c/forged") + request("/o/forged.gif"))
            await server.until(lambda: len(responses(server.transport.written)) == 2)
            (link, headers, page), (pixel, _, gif) = responses(server.transport.written)
            assert link == b"HTTP/1.1 404 Not Found" and b"Nothing was recorded" in page
            assert b"location" not in headers
            assert pixel == b"HTTP/1.1 200 OK" and gif == TRANSPARENT_GIF

        run(test)
        assert app.paths == []

    def test_every_answer_it_writes_itself_says_nosniff(
        self, app: SeenApp, message: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        paths = [path_of(message["pixel_url"]), path_of(message["links"][0]["tracked_url"])]
        paths += ["/o/forged.gif", "/c/forged"]

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(b"".join(request(path) for path in paths))
            await server.until(lambda: len(responses(server.transport.written)) == len(paths))
            answers = responses(server.transport.written)
            assert [status.split()[1] for status, _, _ in answers] == [
                b"200",
                b"302",
                b"200",
                b"404",
            ]
            for _, headers, _ in answers:
                assert headers[b"x-content-type-options"] == b"nosniff"

        run(test)
        assert app.paths == []

    def test_a_message_the_cache_lacks_is_answered_through_asgi_and_stored(
        self, app: SeenApp, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        message = send_message(client, rep, make_prospect(client, rep)["id"])  # not fetched yet
        before = opens(runtime)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["pixel_url"]), X_Forwarded_For="198.51.100.9")
            )
            await server.until(lambda: bool(server.transport.written))
            assert responses(server.transport.written)[0][2] == TRANSPARENT_GIF

        run(test)
        assert app.paths == [path_of(message["pixel_url"])]
        assert opens(runtime) == before + 1


class TestConnection:
    def test_pipelined_requests_are_answered_in_order_whichever_path_answers_them(
        self, app: SeenApp, message: dict[str, Any], held: threading.Event
    ) -> None:
        pixel, link = path_of(message["pixel_url"]), path_of(message["links"][0]["tracked_url"])

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(pixel, X_Forwarded_For="198.51.100.10")  # waits for the writer
                + request("/healthz")
                + request(link, X_Forwarded_For="198.51.100.10")
                + request("/c/forged", "HEAD")
                + request("/o/forged.gif")
            )
            await asyncio.sleep(0.2)
            assert server.transport.written == b""  # nothing overtakes the held open
            held.set()
            heads = frozenset({3})
            await server.until(lambda: len(responses(server.transport.written, heads)) == 5)
            answers = responses(server.transport.written, heads)
            assert [status for status, _, _ in answers] == [
                b"HTTP/1.1 200 OK",
                b"HTTP/1.1 200 OK",
                b"HTTP/1.1 302 Found",
                b"HTTP/1.1 404 Not Found",
                b"HTTP/1.1 200 OK",
            ]
            assert answers[0][2] == TRANSPARENT_GIF and answers[1][2] == b'{"status":"ok"}'
            assert answers[3][2] == b"" and answers[4][2] == TRANSPARENT_GIF
            assert not server.transport.closed

        run(test)
        assert app.paths == ["/healthz"]

    def test_head_answers_the_headers_of_get_without_a_body(
        self, app: SeenApp, message: dict[str, Any]
    ) -> None:
        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(request(path_of(message["pixel_url"]), "HEAD"))
            await server.until(lambda: bool(server.transport.written))
            head, _, rest = server.transport.written.partition(b"\r\n\r\n")
            assert rest == b"" and b"content-length: 43" in head
            server.protocol.data_received(request("/c/forged", "HEAD"))  # kept alive
            heads = frozenset({0, 1})
            await server.until(lambda: len(responses(server.transport.written, heads)) == 2)
            assert server.transport.written.endswith(b"\r\n\r\n")

        run(test)
        assert app.paths == []

    @pytest.mark.parametrize(
        ("version", "headers"), [("1.0", {}), ("1.1", {"Connection": "close"})]
    )
    def test_http_1_0_and_connection_close_are_answered_then_closed(
        self, app: SeenApp, version: str, headers: dict[str, str]
    ) -> None:
        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(request("/o/forged.gif", "GET", version, **headers))
            await server.until(lambda: bool(server.transport.written))
            assert server.transport.closed  # at once, not at the keep-alive timeout
            [(_, response_headers, body)] = responses(server.transport.written)
            assert response_headers[b"connection"] == b"close" and body == TRANSPARENT_GIF

        run(test)

    def test_a_client_gone_before_its_answer_gets_nothing_written_and_its_hit_is_stored(
        self, app: SeenApp, message: dict[str, Any], runtime: Runtime, held: threading.Event
    ) -> None:
        before = opens(runtime)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["pixel_url"]), X_Forwarded_For="198.51.100.11")
            )
            await asyncio.sleep(0.05)
            server.transport.closed = True
            server.protocol.connection_lost(None)
            held.set()
            await server.until(lambda: opens(runtime) == before + 1)
            await asyncio.sleep(0.05)  # the batch's answer has run by now
            assert server.transport.written == b""
            assert server.protocol not in server.state.connections

        run(test)

    def test_an_answer_waits_while_the_client_does_not_read(
        self, app: SeenApp, message: dict[str, Any], runtime: Runtime
    ) -> None:
        before = opens(runtime)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.pause_writing()  # the transport's buffer is past its mark
            server.protocol.data_received(
                request(path_of(message["pixel_url"]), X_Forwarded_For="198.51.100.12")
            )
            await server.until(lambda: opens(runtime) == before + 1)
            await asyncio.sleep(0.05)
            assert server.transport.written == b""
            server.protocol.resume_writing()
            assert responses(server.transport.written)[0][2] == TRANSPARENT_GIF

        run(test)

    def test_shutdown_lets_a_hit_in_flight_finish_then_closes_its_connection(
        self, app: SeenApp, message: dict[str, Any], runtime: Runtime, held: threading.Event
    ) -> None:
        before = opens(runtime)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["pixel_url"]), X_Forwarded_For="198.51.100.13")
            )
            await asyncio.sleep(0.05)
            server.protocol.shutdown()  # uvicorn, on SIGTERM
            assert not server.transport.closed  # the hit is still in flight
            held.set()
            await server.until(lambda: bool(server.transport.written))
            assert server.transport.closed
            [(_, headers, body)] = responses(server.transport.written)
            assert headers[b"connection"] == b"close" and body == TRANSPARENT_GIF

        run(test)
        assert opens(runtime) == before + 1


class TestAccessLog:
    def _lines(self, app: SeenApp, monkeypatch: pytest.MonkeyPatch, setting: str) -> list[Any]:
        monkeypatch.setenv("CANDOR_ACCESS_LOG", setting)
        get_settings.cache_clear()
        request_head._access_lines.cache_clear()
        seen: list[Any] = []

        class Seen(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                seen.append(record.args)

        logger = logging.getLogger("uvicorn.access")
        saved = logger.handlers, logger.filters, logger.level
        logger.handlers, logger.filters = [Seen()], []
        logger.setLevel(logging.INFO)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop, "info")
            server.protocol.data_received(
                request("/o/forged.gif?x=1", X_Forwarded_For="198.51.100.14")
                + request("/c/forged", "HEAD")
            )
            await server.until(lambda: len(responses(server.transport.written, {1})) == 2)

        try:
            run(test)
        finally:
            logger.handlers, logger.filters, _ = saved
            logger.setLevel(saved[2])
            get_settings.cache_clear()
        return seen

    def test_the_lines_asked_for_name_the_resolved_client_as_uvicorn_would(
        self, app: SeenApp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert self._lines(app, monkeypatch, "all") == [
            ("198.51.100.14:0", "GET", "/o/forged.gif?x=1", "1.1", 200),
            ("127.0.0.1:5000", "HEAD", "/c/forged", "1.1", 404),
        ]
        assert app.paths == []

    def test_by_default_the_collector_routes_write_no_line(
        self, app: SeenApp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert self._lines(app, monkeypatch, "off") == []


class TestFailures:
    def test_a_click_that_cannot_be_decided_gets_the_retry_page_and_a_pixel_its_gif(
        self, app: SeenApp, message: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        collector = app.app.state.collector

        def broken(*args: Any) -> Any:
            raise RuntimeError("a bug")

        monkeypatch.setattr(collector, "click_plan", broken)
        monkeypatch.setattr(collector, "open_ops", broken)

        async def test(loop: asyncio.AbstractEventLoop) -> None:
            server = Server(app, loop)
            server.protocol.data_received(
                request(path_of(message["links"][0]["tracked_url"]))
                + request(path_of(message["pixel_url"]))
            )
            await server.until(lambda: len(responses(server.transport.written)) == 2)
            (status, headers, page), (pixel, _, gif) = responses(server.transport.written)
            assert status == b"HTTP/1.1 503 Service Unavailable"
            assert headers[b"retry-after"] == b"5" and b"try this link again" in page
            assert headers[b"x-content-type-options"] == b"nosniff"
            assert b"location" not in headers
            assert pixel == b"HTTP/1.1 200 OK" and gif == TRANSPARENT_GIF
            assert not server.transport.closed

        run(test)
        assert app.paths == []
