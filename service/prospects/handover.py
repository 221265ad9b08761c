"""Handing every prospect of one person (a leaver, or someone changing role) to another.

The rules are those of a single reassignment (``service.update`` with ``owner_id``), in
one place (``owners.eligible_owner``): an admin gives them to any active rep or manager;
a manager, for themselves or one of their reps (active or not), to themselves or one of
their active reps; never to a deactivated user. Only the owner changes: messages keep their sender, events their
prospect, so the new owner's timeline shows the emails the leaver sent as sent by them.

A prospect whose email the new owner already has cannot move (one owner holds one
record of an address): it stays where it was and the answer lists it, never a 500 and
never silently dropped. Everything else moves in one transaction, each move audited as
a single one is (``prospect.owner_changed``, with ``handover: true``), plus one
``prospects.handed_over`` entry that counts the whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.auth.schemas import OWNER_ROLES
from service.compliance import audit
from service.errors import forbidden, invalid, not_found
from service.models import Prospect, User
from service.prospects import owners

__all__ = [
    "ALREADY_HAS",
    "HANDOVER_ROLES",
    "Handover",
    "Kept",
    "eligible_owners",
    "giver",
    "hand_over",
    "plan",
]

HANDOVER_ROLES = ("manager", "admin")
ALREADY_HAS = "The new owner already has a prospect with this email"
RACED = (
    "The new owner was given a prospect with one of these emails meanwhile: nothing was "
    "moved. Send it again."
)


@dataclass(frozen=True)
class Kept:
    """A prospect that stays with its owner, and why."""

    prospect_id: int
    email: str
    reason: str


@dataclass(frozen=True)
class Handover:
    """What a hand-over moves (or would move) from one owner to another."""

    giver: User
    receiver: User
    moved: list[int]
    kept: list[Kept]


def giver(session: Session, *, actor: User | None, user_id: int) -> User:
    """The person whose prospects ``actor`` may hand over; 404 for anyone else.

    An admin (or ``actor`` None, an operator on the command line): anyone. A manager:
    themselves or one of their reps, active or not (a manager still reads a deactivated
    rep's prospects). Someone out of reach is the same 404 as an unknown id, as for
    prospects.
    """
    if actor is not None and actor.role not in HANDOVER_ROLES:
        raise forbidden("Only a manager or an admin hands prospects to someone else.")
    person = session.get(User, user_id)
    if person is None:
        raise not_found("user")
    if (
        actor is not None
        and actor.role == "manager"
        and not (person.id == actor.id or (person.role == "rep" and person.manager_id == actor.id))
    ):
        raise not_found("user")
    return person


def eligible_owners(session: Session, *, actor: User, giver: User) -> list[User]:
    """Whom ``actor`` may give ``giver``'s prospects to, by name: the choices of a form."""
    query = select(User).where(
        col(User.deactivated_at).is_(None),
        col(User.role).in_(OWNER_ROLES),
        col(User.id) != giver.id,
    )
    if actor.role == "manager":
        query = query.where(
            sa.or_(
                col(User.id) == actor.id,
                sa.and_(col(User.role) == "rep", col(User.manager_id) == actor.id),
            )
        )
    return sorted(session.exec(query), key=lambda user: (user.name.lower(), user.id or 0))


def _receiver(session: Session, *, actor: User | None, giver: User, to_user_id: int) -> User:
    """The new owner, locked to share until the commit; a 422 naming ``to_user_id``."""
    if to_user_id == giver.id:
        raise invalid("to_user_id", "to_user_id is the person who owns them now.", to_user_id)
    return owners.eligible_owner(session, actor=actor, owner_id=to_user_id, field="to_user_id")


def plan(session: Session, *, actor: User, user_id: int, to_user_id: int) -> Handover:
    """What ``hand_over`` would do now, changing nothing: for a confirmation page."""
    person = giver(session, actor=actor, user_id=user_id)
    receiver = _receiver(session, actor=actor, giver=person, to_user_id=to_user_id)
    prospects = list(
        session.exec(
            select(Prospect).where(col(Prospect.owner_id) == person.id).order_by(col(Prospect.id))
        )
    )
    return _split(session, person, receiver, prospects)


def _split(session: Session, person: User, receiver: User, prospects: list[Prospect]) -> Handover:
    emails = [prospect.email for prospect in prospects]
    taken: set[str] = set()
    for start in range(0, len(emails), 1000):  # bounded IN lists
        taken.update(
            session.exec(
                select(col(Prospect.email)).where(
                    col(Prospect.owner_id) == receiver.id,
                    col(Prospect.email).in_(emails[start : start + 1000]),
                )
            )
        )
    moved = [p.id for p in prospects if p.email not in taken and p.id is not None]
    kept = [
        Kept(p.id, p.email, f"{ALREADY_HAS} (theirs is kept; this one stays with its owner).")
        for p in prospects
        if p.email in taken and p.id is not None
    ]
    return Handover(giver=person, receiver=receiver, moved=moved, kept=kept)


def hand_over(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    to_user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> Handover:
    """Give every prospect of ``user_id`` that can move to ``to_user_id``; commits.

    One transaction: the giver's prospects are locked (PostgreSQL), those whose email the
    receiver has already stay and are listed, the rest change owner, each audited. If the
    receiver gains one of these emails meanwhile, nothing moves (409). The API, the
    console and ``candor users handover`` all call this; ``actor`` None is the command
    line's operator (an admin's rules), and ``origin`` (the command line's ``via: cli``
    and OS account) goes into every audit entry.
    """
    person = giver(session, actor=actor, user_id=user_id)
    receiver = _receiver(session, actor=actor, giver=person, to_user_id=to_user_id)
    prospects = list(
        session.exec(
            select(Prospect)
            .where(col(Prospect.owner_id) == person.id)
            .order_by(col(Prospect.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    done = _split(session, person, receiver, prospects)
    moving = set(done.moved)
    for prospect in prospects:
        if prospect.id not in moving:
            continue
        prospect.owner_id = receiver.id or 0
        session.add(prospect)
        audit.record(
            session,
            actor=actor,
            action="prospect.owner_changed",
            prospect_id=prospect.id,
            detail={"from": person.id, "to": receiver.id, "handover": True, **(origin or {})},
        )
    audit.record(
        session,
        actor=actor,
        action="prospects.handed_over",
        detail={
            "from": person.id,
            "to": receiver.id,
            "moved": len(done.moved),
            "not_moved": [kept.prospect_id for kept in done.kept],
            **(origin or {}),
        },
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=RACED) from None
    return done
