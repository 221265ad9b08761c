"""Liveness, readiness and metrics, on both the full app and the collector.

They say what a hit meets now. ``/healthz`` fails only when the process can no longer
record anything however long it waits (its writer thread has stopped): restart it.
``/readyz`` fails while hits are answered but neither stored nor spooled (the database
is unreachable and the spool is full or unwritable), and, on the full app, while the
database is unreachable or not yet prepared, since the API then answers 503. The
collector alone (``--collector-only``) stays ready while it spools.
"""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from service.responses import PrometheusResponse, text
from service.runtime import Runtime, RuntimeDep

router = APIRouter(tags=["operations"])

_UNAVAILABLE = status.HTTP_503_SERVICE_UNAVAILABLE


class Status(BaseModel):
    status: str


@router.get(
    "/healthz",
    responses={
        503: {"description": "The writer has stopped: restart the process.", "model": Status}
    },
)
def read_health(runtime: RuntimeDep, response: Response) -> dict[str, str]:
    """Alive: the process answers and its writer runs (503: restart it)."""
    if not runtime.writer.alive:
        response.status_code = _UNAVAILABLE
        return {"status": "the writer has stopped: hits are answered but not recorded"}
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        503: {"description": "Hits cannot be recorded, or the database is away.", "model": Status}
    },
)
def read_readiness(request: Request, runtime: RuntimeDep, response: Response) -> dict[str, str]:
    """Ready: hits are recorded (stored, or spooled) and, on the full app, the database
    answers a query (503 otherwise, with the reason)."""
    problem = _not_ready(runtime, collector_only=request.app.state.collector_only)
    if problem is None:
        return {"status": "ok"}
    text, fatal = problem
    if fatal:
        response.status_code = _UNAVAILABLE
    return {"status": text}


def _not_ready(runtime: Runtime, *, collector_only: bool) -> tuple[str, bool] | None:
    """What keeps this process from serving fully, and whether that makes it unready."""
    writer = runtime.writer
    if not writer.alive:
        return "the writer has stopped: hits are answered but not recorded", True
    if not writer.recording:
        return "database unreachable and spool full: hits are answered but not recorded", True
    if not writer.prepared.is_set():
        return "database not prepared yet: hits are spooled", not collector_only
    try:
        with runtime.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return "database unreachable: hits are spooled", not collector_only
    return None


@router.get(
    "/metrics",
    response_class=PrometheusResponse,
    responses={
        **text(CONTENT_TYPE_LATEST, "Prometheus' text exposition format."),
        **text("text/plain", "CANDOR_METRICS_TOKEN is set and the bearer token is not it.", 401),
    },
)
def read_metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Prometheus metrics of this process (a bearer token when CANDOR_METRICS_TOKEN is set)."""
    token = runtime.settings.metrics_token
    if token and not _bearer_matches(request.headers.get("authorization", ""), token):
        return Response(
            "A metrics token is required: Authorization: Bearer <CANDOR_METRICS_TOKEN>.\n",
            status_code=status.HTTP_401_UNAUTHORIZED,
            media_type="text/plain",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return PrometheusResponse(generate_latest())


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass")
    )
