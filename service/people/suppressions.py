"""The suppression list as compliance manages it: list, add, remove; each audited.

The list holds keyed hashes only (``service.people.identity``): an officer adds an
address, which is hashed at once, and can never read one back. Removing a suppression
resumes tracking for that person, as their own opt-in would.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.compliance import audit
from service.errors import not_found
from service.models import Person, Suppression, User
from service.paging import Paging
from service.people import service as people
from service.people.schemas import SuppressionPublic

__all__ = ["SuppressionPage", "add", "list_page", "remove"]


@dataclass(frozen=True)
class SuppressionPage(Paging):
    """One page of the list, newest first, and how many there are in all."""

    items: list[SuppressionPublic]


def _public(row: Suppression, person_id: int | None) -> SuppressionPublic:
    assert row.id is not None
    return SuppressionPublic(
        id=row.id,
        reason=row.reason,  # type: ignore[arg-type]  # the writers use the three reasons
        created_at=row.created_at,
        created_by=row.created_by,
        matches_person=person_id is not None,
    )


def list_page(session: Session, *, limit: int = 100, offset: int = 0) -> SuppressionPage:
    """The suppressions, newest first, one page of them."""
    total = session.exec(select(sa.func.count()).select_from(Suppression)).one()
    rows = session.exec(
        select(Suppression, col(Person.id))
        .outerjoin(Person, col(Person.address_hash) == col(Suppression.address_hash))
        .order_by(col(Suppression.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return SuppressionPage(
        items=[_public(row, person_id) for row, person_id in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class Added:
    """The suppression, whether this call made it, and the person it stops (if any)."""

    suppression: SuppressionPublic
    created: bool
    person_id: int | None


def add(session: Session, *, user: User, email: str) -> Added:
    """Put an address on the list (reason ``added``); commits. An address already on it
    keeps its suppression (``created`` is False), now compliance's: a person's own
    opt-out or erasure becomes ``added``, which the person cannot lift."""
    digest = people.hash_of(session, email)
    existing = session.exec(
        select(col(Suppression.reason)).where(col(Suppression.address_hash) == digest)
    ).first()
    row = people.suppress(session, digest=digest, reason="added", actor=user)
    person_id = session.exec(
        select(col(Person.id)).where(col(Person.address_hash) == digest)
    ).first()
    if existing != "added":
        audit.record(
            session,
            actor=user,
            action="suppression.add",
            detail={"suppression_id": row.id, "person_id": person_id}
            | ({"was": existing} if existing else {}),
        )
    session.commit()
    return Added(_public(row, person_id), existing is None, person_id)


def remove(session: Session, *, user: User, suppression_id: int) -> int | None:
    """Take a suppression off the list; commits. Returns the person it stopped tracking
    (None: no current person has the address). An unknown id is a 404."""
    row = session.get(Suppression, suppression_id)
    if row is None:
        raise not_found("suppression")
    person_id = session.exec(
        select(col(Person.id)).where(col(Person.address_hash) == row.address_hash)
    ).first()
    audit.record(
        session,
        actor=user,
        action="suppression.remove",
        detail={"suppression_id": suppression_id, "reason": row.reason, "person_id": person_id},
    )
    session.delete(row)
    session.commit()
    return person_id
