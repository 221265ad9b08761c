"""Liveness, readiness and metrics, on both the full app and the collector."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from service.responses import PrometheusResponse, text
from service.runtime import RuntimeDep

router = APIRouter(tags=["operations"])


class Status(BaseModel):
    status: str


@router.get("/healthz")
def read_health() -> Status:
    """Alive: the process answers."""
    return Status(status="ok")


@router.get(
    "/readyz",
    responses={503: {"description": "The database does not answer.", "model": Status}},
)
def read_readiness(runtime: RuntimeDep, response: Response) -> Status:
    """Ready: the database answers a query (503 otherwise)."""
    try:
        with runtime.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Status(status="database unreachable")
    return Status(status="ok")


@router.get(
    "/metrics",
    response_class=PrometheusResponse,
    responses=text(CONTENT_TYPE_LATEST, "Prometheus' text exposition format."),
)
def read_metrics() -> Response:
    """Prometheus metrics of this process."""
    return PrometheusResponse(generate_latest())
