"""Creating and listing prospects."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pixel.tokens import new_ref
from service.errors import invalid
from service.models import Prospect, User
from service.prospects.access import readable_filter
from service.prospects.schemas import ProspectCreate, ProspectPublic

__all__ = ["create", "list_prospects", "to_public"]


def create(session: Session, *, user: User, data: ProspectCreate) -> Prospect:
    """Create a prospect owned by ``user``, or by one of their reps when a manager says so."""
    owner_id = _owner_for(session, user=user, owner_id=data.owner_id)
    prospect = Prospect(ref=new_ref(), owner_id=owner_id, **data.model_dump(exclude={"owner_id"}))
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


def _owner_for(session: Session, *, user: User, owner_id: int | None) -> int:
    assert user.id is not None
    if owner_id is None or owner_id == user.id:
        return user.id
    owner = session.get(User, owner_id)
    allowed = (
        owner is not None
        and user.role == "manager"
        and owner.role == "rep"
        and owner.manager_id == user.id
    )
    if not allowed:
        raise invalid(
            "owner_id", "owner_id must be you or, for a manager, one of your reps.", owner_id
        )
    return owner_id


def list_prospects(session: Session, *, user: User, limit: int, offset: int) -> list[Prospect]:
    """The prospects ``user`` may read, oldest first."""
    query = (
        select(Prospect)
        .where(readable_filter(user))
        .order_by(col(Prospect.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query))


def to_public(prospect: Prospect) -> ProspectPublic:
    """The API shape of a prospect (never its transparency ref)."""
    assert prospect.id is not None
    return ProspectPublic(
        id=prospect.id,
        email=prospect.email,
        name=prospect.name,
        company=prospect.company,
        industry=prospect.industry,
        region=prospect.region,
        owner_id=prospect.owner_id,
        opted_out=prospect.opted_out_at is not None,
        created_at=prospect.created_at,
    )
