"""Liveness, readiness and metrics, on both the full app and the collector."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response, status
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
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass")
    )
