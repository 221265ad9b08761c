"""The ASGI applications: the full API + collector, and the collector alone."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from service import health
from service.auth.router import router as users_router
from service.compliance.retention import run_retention
from service.compliance.router import router as compliance_router
from service.config import Settings, get_settings
from service.console import install as install_console
from service.errors import validation_error
from service.input_guard import InputGuard
from service.messages.router import router as messages_router
from service.nosniff import NoSniff
from service.openapi import install_docs
from service.people.router import router as people_router
from service.prospects.router import router as prospects_router
from service.proxies import ForwardedHeadersMiddleware, TrustedProxies
from service.runtime import Runtime, build_runtime
from service.startup import DatabaseGate, preparation_deferred, upkeep
from service.timeline.router import router as timeline_router
from service.tracking.collector import Collector
from service.tracking.fast import FastCollector
from service.tracking.router import root_router as collector_root_router
from service.tracking.router import router as collector_router
from service.transparency.router import router as transparency_router

__all__ = ["CandorApp", "create_app", "create_collector_app"]

log = logging.getLogger("candor")

DESCRIPTION = (
    "Candor records opens, clicks and visits, and a disclosure policy decides what a rep "
    "may see. API keys go in `Authorization: Bearer <key>`."
)


class CandorApp(FastAPI):
    """FastAPI, with pixels and tracked links answered before its middleware stack.

    A request meets, in order: the lean pixel and link path, which resolves the client
    behind a trusted proxy itself; for everything else the same resolution
    (``service.proxies``: ``candor serve`` turns uvicorn's own pass off), the
    ``nosniff`` header, FastAPI's error handling, the input guard and routing. The two hottest routes skip six
    layers they have no use for.
    """

    def build_middleware_stack(self) -> ASGIApp:
        collector: Collector = self.state.collector
        rest = ForwardedHeadersMiddleware(
            NoSniff(super().build_middleware_stack()), collector.proxies
        )
        return FastCollector(rest, collector)


def _base(
    settings: Settings | None, runtime: Runtime | None, *, title: str, retention: bool
) -> FastAPI:
    settings = settings or get_settings()
    app = CandorApp(
        title=title,
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
        docs_url=None,  # install_docs serves /docs and /redoc from local assets
        redoc_url=None,
        # Candor exports Prometheus metrics and JSON logs. FastAPI's OpenTelemetry hook
        # otherwise asks the global providers, and so the environment, on every request
        # (a sixth of a tracked click's time, bench/collector.py).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = runtime = runtime or build_runtime(
        settings, prepared=not preparation_deferred()
    )
    app.state.retention = retention
    app.state.collector_only = not retention
    app.state.trusted_proxies = TrustedProxies(settings.forwarded_allow_ips.split(","))
    # The pixel and link decisions, shared by both hosts of those routes: the ASGI
    # middleware (CandorApp) and `candor serve`'s protocol (service.tracking.protocol).
    app.state.collector = Collector(runtime, app.state.trusted_proxies)
    # The guard against unstorable text sits in front of FastAPI's routing; the proxy
    # headers and the lean collector path sit in front of everything (CandorApp).
    app.add_middleware(InputGuard)
    app.add_middleware(DatabaseGate, prepared=runtime.writer.prepared)
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(sa.exc.OperationalError, _database_unavailable)
    app.include_router(health.router)
    app.include_router(collector_router)
    app.include_router(transparency_router)
    install_docs(app)
    return app


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "Internal error; it has been logged."}, status_code=500)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "The database is not reachable; try again in a moment."},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The embedded default: API, collector, health and metrics on one port."""
    app = _base(settings, runtime, title="Candor", retention=True)
    for router in (
        users_router,
        prospects_router,
        messages_router,
        timeline_router,
        compliance_router,
        people_router,
    ):
        app.include_router(router)
    install_console(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Purge expired data periodically (full app only), prepare the database if that was
    deferred, keep the link cache and snapshot (service.startup); flush the writer on
    shutdown."""
    runtime: Runtime = app.state.runtime
    stop = threading.Event()
    hours = runtime.settings.retention_interval_hours
    worker = threading.Thread(target=_retention_loop, args=(runtime, stop, hours), daemon=True)
    if app.state.retention and hours > 0:
        worker.start()
    runtime.writer.start()
    keeper = threading.Thread(
        target=upkeep, args=(runtime, stop), name="candor-upkeep", daemon=True
    )
    keeper.start()
    if runtime.settings.gc_freeze:
        # Modules, models, the app and its caches live as long as the process; a full
        # collection that rescans them all pauses every request in flight.
        gc.collect()
        gc.freeze()
    try:
        yield
    finally:
        stop.set()
        # Both threads hold database connections; the engine must outlive them.
        for thread in (worker, keeper):
            if thread.is_alive():
                thread.join(timeout=10)
        runtime.close()


def _retention_loop(runtime: Runtime, stop: threading.Event, hours: float) -> None:
    while not runtime.writer.prepared.wait(1.0):  # started without the database
        if stop.is_set():
            return
    while True:
        purged = _purge(runtime) is not None
        # After a failure, try again in a minute rather than a whole interval later.
        if stop.wait(hours * 3600 if purged else 60.0):
            return


def _purge(runtime: Runtime) -> dict[str, int] | None:
    try:
        return run_retention(runtime)
    except Exception:  # a failed purge is retried on the next tick, never fatal
        log.exception("retention purge failed")
        return None


def create_collector_app(
    settings: Settings | None = None, runtime: Runtime | None = None
) -> FastAPI:
    """Only the public collector routes, to scale the tracking domain on its own."""
    app = _base(settings, runtime, title="Candor collector", retention=False)
    app.include_router(collector_root_router)
    return app
