"""What the bounded request head costs per request, inside one process, without a network.

    python bench/request_head.py [--requests 20000] [--rounds 10]

uvicorn's httptools protocol and Candor's bounded one (``service.request_head``) each
parse and answer the same pixel request over one kept-alive connection (a fake
transport, a GIF app), alternately and in turn first, ``--rounds`` times. Prints the median and the
fastest round in microseconds per request: the fastest is the least disturbed by
whatever else the machine runs. Two more rows run with the logging ``candor serve``
configures (``service.logs.log_config``, ``CANDOR_ACCESS_LOG`` off): uvicorn's protocol,
which builds an access record per request for the logger's filter to drop, and the
bounded one, which decides before the record is built. The log stream is discarded.
The last two rows answer the same request with Candor's collector app (a token that
fails its check, so no database and no writer): through ASGI (``FastCollector`` behind
the bounded protocol) and in ``candor serve``'s protocol itself
(``service.tracking.protocol``), which builds no cycle, task or ``send`` messages.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import logging.config
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pixel.gif import TRANSPARENT_GIF
from service.logs import CollectorAccessLog, log_config
from service.request_head import BoundedHttpToolsProtocol
from service.tracking.protocol import CollectorProtocol

REQUEST = (
    b"GET /o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.gif HTTP/1.1\r\nHost: t.example.com\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
    b"Accept: image/avif,image/webp,*/*\r\nAccept-Language: en-US,en;q=0.5\r\n"
    b"X-Forwarded-For: 10.1.2.3\r\n\r\n"
)
HEADERS = [(b"content-type", b"image/gif"), (b"content-length", str(len(TRANSPARENT_GIF)).encode())]


async def gif(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": TRANSPARENT_GIF})


class Transport(asyncio.Transport):
    """A connection that accepts every write and never blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: Any) -> None:
        pass

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def per_request(
    protocol_class: type[HttpToolsProtocol],
    requests: int,
    *,
    logged: bool = False,
    app: Any = gif,
) -> float:
    if logged:  # candor serve's logging; the lines go nowhere
        logging.config.dictConfig(log_config("info", access_log="all"))
        for handler in logging.getLogger("uvicorn.access").handlers:
            assert isinstance(handler, logging.StreamHandler)
            handler.setStream(io.StringIO())
        logging.getLogger("uvicorn.access").filters[:] = [CollectorAccessLog(0)]
        config = Config(app, log_config=None, log_level="info", lifespan="off")
    else:
        config = Config(app, log_level="warning", access_log=False, lifespan="off")
    config.load()
    protocol = protocol_class(
        config=config,
        server_state=ServerState(),
        app_state={},
        _loop=asyncio.get_running_loop(),
    )
    protocol.connection_made(Transport())
    started = time.perf_counter()
    for _ in range(requests):
        protocol.data_received(REQUEST)
        await asyncio.sleep(0)  # the request's task runs and answers
        await asyncio.sleep(0)
    return (time.perf_counter() - started) / requests * 1e6


def candor_app(workdir: Path) -> Any:
    """Candor's collector app on a fresh SQLite file (its writer never starts here)."""
    from service.app import create_collector_app
    from service.config import Settings
    from service.db import create_db_engine
    from service.runtime import build_runtime, prepare_database

    settings = Settings(
        database_url=f"sqlite:///{workdir / 'bench.db'}",
        secret_keys=["bench-signing-key"],
        spool_dir=workdir / "spool",
        retention_interval_hours=0,
    )
    engine = create_db_engine(settings.database_url)
    prepare_database(settings, engine)
    return create_collector_app(settings, build_runtime(settings, engine))


async def measure(requests: int, rounds: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as workdir:
        return await _measure(requests, rounds, candor_app(Path(workdir)))


async def _measure(requests: int, rounds: int, candor: Any) -> dict[str, list[float]]:
    classes: list[tuple[str, type[HttpToolsProtocol], bool, Any]] = [
        ("uvicorn httptools, no access log", HttpToolsProtocol, False, gif),
        ("bounded head, no access log", BoundedHttpToolsProtocol, False, gif),
        ("uvicorn httptools, access record built, filter drops it", HttpToolsProtocol, True, gif),
        (
            "bounded head (candor serve), access line decided first",
            BoundedHttpToolsProtocol,
            True,
            gif,
        ),
        (
            "Candor's app: pixel through ASGI (FastCollector)",
            BoundedHttpToolsProtocol,
            False,
            candor,
        ),
        ("Candor's app: pixel in the protocol (candor serve)", CollectorProtocol, False, candor),
    ]
    results: dict[str, list[float]] = {name: [] for name, _, _, _ in classes}
    for _ in range(rounds):
        for name, protocol_class, logged, app in classes:
            results[name].append(
                await per_request(protocol_class, requests, logged=logged, app=app)
            )
        classes.reverse()  # neither always runs second
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    results = uvloop.run(measure(args.requests, args.rounds))
    print(f"# Request head bound, {args.rounds} rounds of {args.requests} requests\n")
    print("| protocol | median µs/request | fastest round µs/request |")
    print("|---|---:|---:|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} |")


if __name__ == "__main__":
    main()
