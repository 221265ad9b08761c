"""`candor serve` served directly bounds the request head, in size and in time."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pixel.gif import TRANSPARENT_GIF
from tests.servers import CandorProcess

MAX_HEAD = 16384


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CandorProcess]:
    """One `candor serve` on SQLite with a 16 KiB head bound and a 2 s head timeout."""
    workdir: Path = tmp_path_factory.mktemp("request-head")
    candor = CandorProcess(
        database_url=f"sqlite:///{workdir / 'candor.db'}",
        workdir=workdir,
        CANDOR_MAX_REQUEST_HEAD_BYTES=str(MAX_HEAD),
        CANDOR_REQUEST_HEAD_TIMEOUT_SECONDS="2",
    )
    candor.start()
    yield candor
    candor.stop()


def connect(server: CandorProcess) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


class TestHeadSize:
    def test_a_head_over_the_bound_is_answered_431_and_the_connection_closed(
        self, server: CandorProcess
    ) -> None:
        with connect(server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (MAX_HEAD + 1))
            response = read_all(sock)
        assert response.startswith(b"HTTP/1.1 431 ")
        assert b"connection: close" in response

    def test_a_huge_head_is_not_read_to_its_end(self, server: CandorProcess) -> None:
        sent, chunk = 0, b"a" * 65536
        with connect(server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
            try:
                while sent < 64 * 1024 * 1024:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:  # the server has closed the connection on us
                pass
        assert sent < 64 * 1024 * 1024

    def test_a_large_head_within_the_bound_and_a_body_beyond_it_are_served(
        self, server: CandorProcess
    ) -> None:
        with httpx.Client(base_url=server.base, timeout=10) as http:
            cookie = {"Cookie": "c=" + "x" * (MAX_HEAD - 1024)}
            assert http.get("/healthz", headers=cookie).status_code == 200
            assert http.get("/o/anything.gif").content == TRANSPARENT_GIF
            # The same kept-alive connection serves the next requests too.
            for _ in range(3):
                assert http.get("/o/anything.gif").content == TRANSPARENT_GIF

    def test_a_body_beyond_the_bound_read_with_its_head_in_one_go_is_not_refused(
        self, server: CandorProcess
    ) -> None:
        body = b"x" * (4 * MAX_HEAD)
        head = f"POST /api/openers/lint HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
        for _ in range(5):
            with connect(server) as sock:
                sock.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
                response = read_all(sock)
            assert response.startswith(b"HTTP/1.1 4") and not response.startswith(b"HTTP/1.1 431")


class TestHeadTime:
    def test_a_head_that_trickles_in_is_answered_408_and_closed(
        self, server: CandorProcess
    ) -> None:
        with connect(server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            for n in range(100):  # a header line every 0.2 s, as slowloris does
                readable, _, _ = select.select([sock], [], [], 0.2)
                if readable:
                    break
                sock.sendall(f"X-Line-{n}: a\r\n".encode())
            response = read_all(sock)
        assert response.startswith(b"HTTP/1.1 408 ")

    def test_a_connection_that_sends_nothing_is_closed(self, server: CandorProcess) -> None:
        with connect(server) as sock:
            assert read_all(sock) == b""

    def test_many_slow_clients_are_all_let_go_and_the_pixel_answers_meanwhile(
        self, server: CandorProcess
    ) -> None:
        slow = [connect(server) for _ in range(200)]
        try:
            for sock in slow:
                sock.sendall(b"GET /o/x.gif HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            with httpx.Client(base_url=server.base, timeout=10) as http:
                assert http.get("/o/anything.gif").content == TRANSPARENT_GIF
            assert all(read_all(sock).startswith(b"HTTP/1.1 408 ") for sock in slow)
        finally:
            for sock in slow:
                sock.close()
