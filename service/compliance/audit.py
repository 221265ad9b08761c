"""The audit trail: who saw what about whom, and every policy change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.models import AuditEntry, User

__all__ = ["BACKWARDS", "list_entries", "record"]

# A range that ends before it starts: the API and the console refuse it in these words.
BACKWARDS = "The end date must be the same as or after the start date."


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    prospect_id: int | None = None,
    policy_name: str | None = None,
    policy_version: int | None = None,
    rule: str | None = None,
    facts_shown: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the session; the caller's commit makes it durable with its act."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        action=action,
        prospect_id=prospect_id,
        policy_name=policy_name,
        policy_version=policy_version,
        rule=rule,
        facts_shown=facts_shown,
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    *,
    actor_id: int | None = None,
    prospect_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries newest first, filtered; page with ``before_id`` (the last id seen)."""
    query = select(AuditEntry)
    conditions: list[Any] = []
    if actor_id is not None:
        conditions.append(col(AuditEntry.actor_id) == actor_id)
    if prospect_id is not None:
        conditions.append(col(AuditEntry.prospect_id) == prospect_id)
    if action is not None:
        conditions.append(col(AuditEntry.action) == action)
    if since is not None:
        conditions.append(col(AuditEntry.at) >= since)
    if until is not None:
        conditions.append(col(AuditEntry.at) < until)
    if before_id is not None:
        conditions.append(col(AuditEntry.id) < before_id)
    if conditions:
        query = query.where(sa.and_(*conditions))
    query = query.order_by(col(AuditEntry.id).desc()).limit(limit)
    return list(session.exec(query))
