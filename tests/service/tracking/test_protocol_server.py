"""Through the real `candor serve` process: the protocol's answers over real sockets.

tests/service/tracking/test_protocol.py drives the protocol itself, step by step; here
the process as users start it answers pipelined requests in order, resolves the client
behind the trusted proxy, and lets every hit in flight finish on SIGTERM.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from pixel.gif import TRANSPARENT_GIF
from tests.conftest import ADMIN_KEY
from tests.factories import BROWSER_UA, EMAIL_HTML
from tests.servers import CandorProcess


@pytest.fixture
def candor(tmp_path: Path) -> Iterator[CandorProcess]:
    server = CandorProcess(database_url=f"sqlite:///{tmp_path / 'candor.db'}", workdir=tmp_path)
    server.start()
    yield server
    server.stop()


def sent_message(candor: CandorProcess) -> dict[str, Any]:
    """A message sent through the API; its pixel and first link fetched once (cached)."""
    with httpx.Client(base_url=candor.base, timeout=10) as http:
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        rep = http.post("/api/users", json={"name": "Rita", "role": "rep"}, headers=admin).json()
        headers = {"Authorization": f"Bearer {rep['api_key']}"}
        prospect = http.post(
            "/api/prospects", json={"email": "anna@example.com"}, headers=headers
        ).json()
        message: dict[str, Any] = http.post(
            "/api/messages",
            json={"prospect_id": prospect["id"], "subject": "Proposal", "html": EMAIL_HTML},
            headers=headers,
        ).json()
        for url in (message["pixel_url"], message["links"][0]["tracked_url"]):
            http.get(url, headers={"User-Agent": BROWSER_UA, "X-Forwarded-For": "192.0.2.1"})
    return message


def path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def request(target: str, method: str = "GET", **headers: str) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: t.example.com", f"User-Agent: {BROWSER_UA}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_response(
    sock: socket.socket, buffer: bytearray, head: bool = False
) -> tuple[bytes, bytes]:
    """(head, body) of the next response on ``sock``."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    response_head = bytes(buffer[:end])
    del buffer[:end]
    length = 0
    for line in response_head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if head:
        length = 0
    while len(buffer) < length:
        buffer += sock.recv(65536)
    body = bytes(buffer[:length])
    del buffer[:length]
    return response_head, body


def events(candor: CandorProcess, kind: str) -> list[Any]:
    engine = sa.create_engine(candor.env["CANDOR_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text("SELECT event_key, ip_prefix FROM event WHERE kind = :k"), {"k": kind}
                )
            )
    finally:
        engine.dispose()


class TestOneConnection:
    def test_pipelined_hits_are_answered_in_order_and_stored_behind_the_trusted_proxy(
        self, candor: CandorProcess
    ) -> None:
        message = sent_message(candor)
        pixel, link = path(message["pixel_url"]), path(message["links"][0]["tracked_url"])
        with socket.create_connection(("127.0.0.1", candor.port), timeout=10) as sock:
            sock.sendall(
                request(pixel, X_Forwarded_For="198.51.100.20")
                + request(link, X_Forwarded_For="198.51.100.21")
                + request("/healthz")
                + request(pixel, "HEAD")
                + request("/c/forged")
            )
            buffer = bytearray()
            answers = [read_response(sock, buffer, head=n == 3) for n in range(5)]
            # The connection is still open: one more hit on it.
            sock.sendall(request("/o/forged.gif"))
            answers.append(read_response(sock, buffer))
        statuses = [head.split(b"\r\n", 1)[0] for head, _ in answers]
        assert statuses == [
            b"HTTP/1.1 200 OK",
            b"HTTP/1.1 302 Found",
            b"HTTP/1.1 200 OK",
            b"HTTP/1.1 200 OK",
            b"HTTP/1.1 404 Not Found",
            b"HTTP/1.1 200 OK",
        ]
        assert answers[0][1] == TRANSPARENT_GIF and answers[5][1] == TRANSPARENT_GIF
        assert b"location: https://example.com/pricing" in answers[1][0]
        assert answers[2][1] == b'{"status":"ok"}'
        assert answers[3][1] == b"" and b"content-length: 43" in answers[3][0]
        assert b"location" not in answers[4][0] and b"Nothing was recorded" in answers[4][1]
        prefixes = {row.ip_prefix for row in events(candor, "open") + events(candor, "click")}
        assert {"198.51.100.0"} <= prefixes

    def test_connection_close_is_answered_then_closed(self, candor: CandorProcess) -> None:
        with socket.create_connection(("127.0.0.1", candor.port), timeout=10) as sock:
            sock.sendall(request("/o/forged.gif", Connection="close"))
            data = b""
            while chunk := sock.recv(65536):  # returns once the server has closed
                data += chunk
        assert data.endswith(TRANSPARENT_GIF) and b"connection: close\r\n" in data


class TestSigterm:
    def test_hits_in_flight_are_answered_and_every_answered_hit_is_stored_once(
        self, candor: CandorProcess
    ) -> None:
        pixel = path(sent_message(candor)["pixel_url"])
        before = len(events(candor, "open"))
        answered = [0] * 8
        started = threading.Barrier(9)

        def hammer(n: int) -> None:
            with socket.create_connection(("127.0.0.1", candor.port), timeout=10) as sock:
                buffer = bytearray()
                started.wait()
                for i in range(100_000):
                    try:
                        sock.sendall(request(pixel, X_Forwarded_For=f"10.{n}.{i // 250}.{i % 250}"))
                        _, body = read_response(sock, buffer)
                    except OSError:  # the server has closed this connection: it stops
                        return
                    assert body == TRANSPARENT_GIF
                    answered[n] += 1

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        started.wait()
        while sum(answered) < 400:
            threading.Event().wait(0.01)
        assert candor.process is not None
        candor.process.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=30)
        # uvicorn shuts down gracefully, then raises the signal it caught again.
        assert candor.process.wait(timeout=30) in (0, -signal.SIGTERM)
        stored = events(candor, "open")[before:]
        assert len({row.event_key for row in stored}) == len(stored)  # none stored twice
        # Every answer means stored; a request sent as the server closed may be stored
        # without its answer having been read (one per connection at most).
        assert sum(answered) <= len(stored) <= sum(answered) + len(threads)
