"""Creating, correcting, finding and listing prospects.

Every read goes through ``access.readable_filter`` inside the query; every order and
badge that speaks of engagement goes through the disclosure policy (``activity``).
Bulk import lives in ``service.prospects.importing``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, get_args

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pixel.tokens import new_ref
from service.auth.schemas import OWNER_ROLES
from service.compliance import audit
from service.compliance.policy_store import get_active_policy
from service.errors import forbidden, invalid, invalid_query
from service.models import Prospect, User
from service.paging import Paging
from service.people import service as people
from service.people.service import Consent
from service.prospects import owners, ranking
from service.prospects.access import get_readable, readable_filter
from service.prospects.activity import latest_facts
from service.prospects.schemas import (
    ActivityPublic,
    ProspectCreate,
    ProspectListItem,
    ProspectOrder,
    ProspectPublic,
    ProspectUpdate,
)

__all__ = [
    "ORDERS",
    "OWNER_ROLES",
    "ProspectPage",
    "ProspectRow",
    "create",
    "list_page",
    "list_prospects",
    "owner_for",
    "public",
    "to_list_item",
    "to_public",
    "update",
]

ORDERS: tuple[str, ...] = get_args(ProspectOrder)
_EDITABLE = ("name", "company", "industry", "region", "language")


def create(session: Session, *, user: User, data: ProspectCreate) -> Prospect:
    """Create a prospect owned by ``user``, or by one of their reps when a manager says so."""
    owner_id = owner_for(session, user=user, owner_id=data.owner_id)
    # A suppressed address is recorded all the same (the rep needs the record); the
    # answer says it is not tracked (``public``).
    person_id = people.person_for(session, data.email)
    prospect = Prospect(
        ref=new_ref(),
        owner_id=owner_id,
        person_id=person_id,
        **data.model_dump(exclude={"owner_id"}),
    )
    session.add(prospect)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise invalid(
            "email", "This owner already has a prospect with this email.", data.email
        ) from None
    session.refresh(prospect)
    return prospect


def owner_for(session: Session, *, user: User, owner_id: int | None) -> int:
    """The owner ``user`` may give a new prospect: themselves, or a manager's own rep.

    Raises a 422 naming ``owner_id`` for anyone else (an unknown id included, so that
    the answer tells nothing about who exists).
    """
    assert user.id is not None
    if owner_id is None or owner_id == user.id:
        return user.id
    owner = session.get(User, owner_id)
    allowed = (
        owner is not None
        and owner.active
        and user.role == "manager"
        and owner.role == "rep"
        and owner.manager_id == user.id
    )
    if not allowed:
        raise invalid(
            "owner_id", "owner_id must be you or, for a manager, one of your reps.", owner_id
        )
    return owner_id


@dataclass(frozen=True)
class ProspectRow:
    """A listed prospect and its latest fact as the viewer's timeline shows it."""

    prospect: Prospect
    last_activity: dict[str, Any] | None
    consent: Consent = dataclasses.field(default_factory=Consent)


@dataclass(frozen=True)
class ProspectPage(Paging):
    """One page of a listing, the number of prospects matching in all, and where next."""

    rows: list[ProspectRow]


def _search(q: str | None) -> Any:
    """Case-insensitive substring match over name, email and company (``%``/``_`` literal)."""
    if not q or not q.strip():
        return sa.true()
    needle = q.strip().lower()
    return sa.or_(
        *(
            sa.func.lower(column).contains(needle, autoescape=True)
            for column in (col(Prospect.name), col(Prospect.email), col(Prospect.company))
        )
    )


def _order_by(order: str) -> list[Any]:
    if order == "-id":
        return [col(Prospect.id).desc()]
    if order in ("name", "email", "company"):
        column = getattr(Prospect, order)
        # Blanks last on both backends, then case-insensitively, then oldest first.
        return [sa.case((column.is_(None), 1), else_=0), sa.func.lower(column), col(Prospect.id)]
    return [col(Prospect.id)]


def list_page(
    session: Session,
    *,
    user: User,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
    order: str = "id",
) -> ProspectPage:
    """The prospects ``user`` may read (a manager: theirs and their reps'), one page of them.

    ``q`` keeps those whose name, email or company contains it, ignoring case. ``order``
    is one of ``ORDERS``: ``id`` (oldest first, the default), ``-id``, ``name``,
    ``email``, ``company`` (blanks last), or ``last_engagement``: the latest fact this
    viewer's timeline shows first (the policy's delay, evidence bar and time granularity
    applied; an ``email_sent`` counts), undated prospects last, ties oldest first. Each
    row carries that latest fact for reps and managers. Compliance and admin may list
    prospect records but see no engagement, so ``last_engagement`` is a 403 for them.
    A page that may show engagement (a rep's or a manager's) is audited as one
    ``prospects.list`` entry, committed here; the rows stay loaded after that commit.
    """
    if order not in ORDERS:
        raise invalid_query("order", f"order must be one of {', '.join(ORDERS)}.", order)
    where = sa.and_(readable_filter(user), _search(q))
    total = session.exec(select(sa.func.count()).select_from(Prospect).where(where)).one()
    active = get_active_policy(session)
    if order == "last_engagement":
        if user.role not in ("rep", "manager"):
            raise forbidden(
                "Only reps and managers see engagement; compliance reads it through "
                "POST /api/policies/preview."
            )
        chosen, latest = ranking.by_last_engagement(
            session, policy=active.policy, user=user, where=where, limit=limit, offset=offset
        )
    else:
        query = select(Prospect).where(where).order_by(*_order_by(order))
        chosen = list(session.exec(query.offset(offset).limit(limit)))
        latest = latest_facts(session, policy=active.policy, user=user, prospects=chosen)
    consent = people.consents(session, [prospect.person_id for prospect in chosen])
    rows = [
        ProspectRow(
            prospect, latest.get(prospect.id or 0), consent.get(prospect.person_id, Consent())
        )
        for prospect in chosen
    ]
    if user.role in ("rep", "manager") and rows:
        audit.record(
            session,
            actor=user,
            action="prospects.list",
            policy_name=active.name,
            policy_version=active.version,
            facts_shown=sum(1 for row in rows if row.last_activity is not None),
            detail={"order": order, "q": q or "", "offset": offset, "listed": len(rows)},
        )
        for row in rows:  # loaded rows stay readable after the commit, without a refresh
            session.expunge(row.prospect)
        session.commit()
    return ProspectPage(rows=rows, total=total, limit=limit, offset=offset)


def list_prospects(session: Session, *, user: User, limit: int, offset: int) -> list[Prospect]:
    """The prospects ``user`` may read, oldest first (no search, no engagement)."""
    query = (
        select(Prospect)
        .where(readable_filter(user))
        .order_by(col(Prospect.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query))


def update(session: Session, *, user: User, prospect_id: int, data: ProspectUpdate) -> Prospect:
    """Correct a prospect's fields, or hand it to another owner; commits.

    Fields: whoever may read the prospect and own or manage prospects (its owner, their
    manager) and admins; only the fields sent change. ``owner_id``: whoever
    ``owners.eligible_owner`` accepts from ``user`` (as a hand-over does), else a 422
    naming ``owner_id``.
    Compliance changes nothing (403). A prospect out of reach is a 404. A change of
    owner is audited (``prospect.owner_changed``).
    """
    if user.role not in ("rep", "manager", "admin"):
        raise forbidden("Compliance staff do not edit prospects; reps, managers and admins do.")
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    sent = data.model_fields_set
    for field in _EDITABLE:
        if field in sent:
            setattr(prospect, field, getattr(data, field))
    previous_owner = prospect.owner_id
    if "owner_id" in sent:
        if data.owner_id is None:
            raise invalid("owner_id", "owner_id must name a user; a prospect always has one.")
        new_owner = owners.eligible_owner(
            session, actor=user, owner_id=data.owner_id, field="owner_id"
        )
        prospect.owner_id = new_owner.id or 0
    session.add(prospect)
    if prospect.owner_id != previous_owner:
        audit.record(
            session,
            actor=user,
            action="prospect.owner_changed",
            prospect_id=prospect.id,
            detail={"from": previous_owner, "to": prospect.owner_id},
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise invalid(
            "owner_id", "The new owner already has a prospect with this email.", data.owner_id
        ) from None
    session.refresh(prospect)
    return prospect


def public(session: Session, prospect: Prospect) -> ProspectPublic:
    """The API shape of a prospect, with its person's consent read now."""
    return to_public(prospect, consent=people.consent_of(session, prospect.person_id))


def to_public(prospect: Prospect, *, consent: Consent) -> ProspectPublic:
    """The API shape of a prospect (never its transparency ref), given its person's consent."""
    assert prospect.id is not None
    tracking, note = people.tracking_of(consent)
    return ProspectPublic(
        id=prospect.id,
        email=prospect.email,
        name=prospect.name,
        company=prospect.company,
        industry=prospect.industry,
        region=prospect.region,
        language=prospect.language,
        owner_id=prospect.owner_id,
        opted_out=consent.opted_out,
        tracking=tracking,
        tracking_note=note,
        created_at=prospect.created_at,
    )


def to_list_item(row: ProspectRow) -> ProspectListItem:
    """The API shape of a listed prospect with its latest visible fact."""
    fact = row.last_activity
    activity = (
        ActivityPublic(
            kind=fact["kind"],
            subject=fact.get("subject"),
            when=fact.get("when"),
            evidence=fact["evidence"],
        )
        if fact
        else None
    )
    return ProspectListItem(
        **to_public(row.prospect, consent=row.consent).model_dump(), last_activity=activity
    )
