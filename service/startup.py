"""Starting without the database: what a process does until it answers, and after.

``candor serve`` tries to prepare the database (migrate, policy, admin, signing key)
before it serves. If the database cannot be reached it serves anyway
(``defer_preparation``): pixels answer and are spooled, known links redirect from the
snapshot of an earlier run (``service.tracking.snapshot``), other links get the retry
page, and API routes that need the database answer 503. A thread prepares the database
as soon as it answers (under the same advisory lock), and the writer then drains the
spool. Once prepared, the same thread warms the link cache and keeps the snapshot fresh.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pixel.tokens import TokenSigner
from service.config import spool_directory, sqlite_path
from service.console.security import is_console_path
from service.runtime import Runtime, prepare_database
from service.signing import load_signing_keys
from service.tracking.snapshot import Snapshot, write_snapshot

__all__ = [
    "DatabaseGate",
    "defer_preparation",
    "preparation_deferred",
    "upkeep",
]

log = logging.getLogger("candor")

# Set by `candor serve` for the app processes it starts (workers are separate processes).
_DEFERRED = "CANDOR_INTERNAL_PREPARE_DEFERRED"
_RETRY_SECONDS = 1.0

# What answers while the database is not prepared: the collector, and health.
_WITHOUT_DATABASE = frozenset(
    ("/", "/docs", "/openapi.json", "/healthz", "/readyz", "/metrics", "/t.js", "/v", "/v.gif")
)
_UNAVAILABLE = b'{"detail":"The database is not reachable yet; try again in a moment."}'
# The same sentence for a person: the console's pages and a prospect's transparency page.
_UNAVAILABLE_PAGE = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Not ready yet</title></head><body><h1>Not ready yet</h1>"
    b"<p>The database is not reachable yet; try again in a moment.</p></body></html>"
)


def _is_page(path: str) -> bool:
    """Whether a person reads the answer on ``path`` in a browser, as a page."""
    if is_console_path(path):
        return not path.startswith("/console/api/")
    return path.startswith("/p/") and not path.endswith(".json")


def defer_preparation() -> None:
    """The app processes of this `candor serve` prepare the database once it answers."""
    os.environ[_DEFERRED] = "1"


def preparation_deferred() -> bool:
    return os.environ.get(_DEFERRED) == "1"


def upkeep(runtime: Runtime, stop: threading.Event) -> None:
    """The thread: prepare the database if that was deferred, then warm the link cache
    and, every ``CANDOR_SNAPSHOT_INTERVAL_SECONDS``, rewrite the snapshot and keep the
    links sent since then for a redirect during an outage."""
    if not runtime.writer.prepared.is_set() and not _prepare_when_back(runtime, stop):
        return
    settings, first = runtime.settings, True
    while True:
        try:
            messages, links = runtime.targets.recent()
            if first:
                log.info("cached %d tracked links", runtime.targets.warm(messages, links))
                if settings.gc_freeze:
                    gc.freeze()  # the warmed links live as long as the process
                first = False
            else:  # links sent since, for an outage that begins before they are clicked
                runtime.targets.restore(messages, links)
            keys: list[str] = []
            if not settings.secret_keys and sqlite_path(settings.database_url) is None:
                keys = load_signing_keys(settings, runtime.engine)  # from the database
            write_snapshot(
                spool_directory(settings),
                Snapshot(keys, runtime.policies.get(), messages, links),
            )
        except Exception:  # a cold cache costs a read per first hit; an old snapshot, little
            log.warning("could not warm the link cache or write the snapshot", exc_info=True)
        if stop.wait(settings.snapshot_interval_seconds):
            return


def _prepare_when_back(runtime: Runtime, stop: threading.Event) -> bool:
    """Try to prepare the database every second until it works (True) or ``stop``."""
    while not stop.is_set():
        try:
            prepare_database(runtime.settings, runtime.engine)
            runtime.signer = TokenSigner(load_signing_keys(runtime.settings, runtime.engine))
        except Exception as error:
            log.debug("database not prepared yet: %s", error)
            stop.wait(_RETRY_SECONDS)
            continue
        runtime.policies.invalidate()
        runtime.writer.prepared.set()  # the writer drains the spool once it sees this
        log.warning("database prepared; draining the spool and serving everything")
        return True
    return False


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class DatabaseGate:
    """ASGI middleware: until the database is prepared, routes that need it answer 503
    with a sentence instead of failing one by one."""

    def __init__(self, app: Callable[..., Awaitable[None]], prepared: threading.Event) -> None:
        self.app = app
        self.prepared = prepared

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.prepared.is_set()
            or scope["type"] != "http"
            or scope["path"] in _WITHOUT_DATABASE
            or scope["path"].startswith(("/o/", "/c/"))
        ):
            await self.app(scope, receive, send)
            return
        page = _is_page(scope["path"])
        body = _UNAVAILABLE_PAGE if page else _UNAVAILABLE
        headers = [
            (b"content-type", b"text/html; charset=utf-8" if page else b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", b"5"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})
