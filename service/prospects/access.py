"""Who may read or write which prospect, applied inside the query.

Reps reach their own prospects; managers also read those of the reps they manage;
compliance and admin see prospect records (for data-subject requests) but read
timelines only through policy preview. Anything out of reach is a 404, never a 403,
so that an id reveals nothing about prospects the caller cannot see.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.errors import forbidden, not_found
from service.models import Prospect, User

__all__ = [
    "READ_TIMELINE_ROLES",
    "get_readable",
    "get_sendable",
    "get_writable",
    "readable_filter",
]

READ_TIMELINE_ROLES = ("rep", "manager")


def readable_filter(user: User) -> Any:
    """A WHERE clause selecting the prospects ``user`` may read."""
    if user.role in ("compliance", "admin"):
        return sa.true()
    if user.role == "manager":
        # The reps they manage: a manager listed under another manager is not a rep.
        team = select(col(User.id)).where(col(User.manager_id) == user.id, col(User.role) == "rep")
        return sa.or_(col(Prospect.owner_id) == user.id, col(Prospect.owner_id).in_(team))
    return col(Prospect.owner_id) == user.id


def get_readable(session: Session, *, user: User, prospect_id: int) -> Prospect:
    """The prospect if ``user`` may read it; 404 otherwise."""
    prospect = session.exec(
        select(Prospect).where(col(Prospect.id) == prospect_id, readable_filter(user))
    ).first()
    if prospect is None:
        raise not_found()
    return prospect


def get_writable(session: Session, *, user: User, prospect_id: int) -> Prospect:
    """The prospect if ``user`` owns it (the only way to write to one); 404 otherwise."""
    prospect = session.get(Prospect, prospect_id)
    if prospect is None or prospect.owner_id != user.id:
        raise not_found()
    return prospect


def get_sendable(session: Session, *, user: User, prospect_id: int) -> Prospect:
    """The prospect if ``user`` owns it, the only one who writes to them.

    A manager who may read a report's prospect gets a 403 that says so: the email, its
    tracking and its ``email_sent`` fact are the owner's, and the manager knows the
    prospect exists already. Anyone who may not read it gets the usual 404.
    """
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    if prospect.owner_id != user.id:
        raise forbidden(
            "Only the prospect's owner sends messages to them; reassign the prospect "
            "(PATCH /api/prospects/{id} with owner_id) to write to them yourself."
        )
    return prospect
