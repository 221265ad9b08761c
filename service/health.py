"""Liveness, readiness and metrics, on both the full app and the collector."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.runtime import RuntimeDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def read_health() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def read_readiness(runtime: RuntimeDep, response: Response) -> dict[str, str]:
    """Ready: the database answers a query (503 otherwise)."""
    try:
        with runtime.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "database unreachable"}
    return {"status": "ok"}


@router.get("/metrics")
def read_metrics() -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
