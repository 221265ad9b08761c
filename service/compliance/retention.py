"""Retention: drop engagement data older than the active policy allows."""

from __future__ import annotations

from sqlmodel import Session

from service.compliance.policy_store import get_active_policy
from service.compliance.subjects import purge_expired
from service.runtime import Runtime
from service.tracking.partitions import ensure_partitions

__all__ = ["run_retention"]


def run_retention(runtime: Runtime) -> dict[str, int]:
    """Purge once under the active policy's ``retention_days``; returns what was deleted.

    Creates the months ahead's event partitions first: a long-running server does so here.
    """
    with runtime.engine.begin() as connection:
        ensure_partitions(connection)
    with Session(runtime.engine) as session:
        days = get_active_policy(session).policy.retention_days
        return purge_expired(session, retention_days=days)
