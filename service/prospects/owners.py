"""Who may be given prospects by whom: one check for a single reassignment and a hand-over.

``PATCH /api/prospects/{id}`` with ``owner_id`` and ``POST /api/users/{id}/prospects/
handover`` (the console's and the CLI's hand-over too) refuse a new owner the same way,
with the same sentence naming their own field: an admin gives prospects to any active
rep or manager; a manager to themselves or one of their active reps; a rep to nobody
but themselves; never to a deactivated user.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.auth.schemas import OWNER_ROLES
from service.errors import invalid
from service.models import User

__all__ = ["eligible_owner"]


def eligible_owner(session: Session, *, actor: User | None, owner_id: int, field: str) -> User:
    """The user ``actor`` may give prospects to, locked to share until the commit.

    ``actor`` None is an operator on the command line, held to an admin's rules. Raises a 422 naming ``field`` (under ``body``) for anyone else, an unknown id
    included: "``field`` must be an active rep or manager." (an admin's choice),
    "``field`` must be you or one of your reps." (a manager's), "``field`` names a
    deactivated user; choose an active owner.", and for a rep or compliance "Only a
    manager or an admin hands a prospect to someone else."
    """
    # FOR SHARE on PostgreSQL until the commit: a role change or a deactivation of this
    # user at the same moment waits for it, then counts these prospects as theirs.
    owner = session.exec(
        select(User)
        .where(col(User.id) == owner_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).first()
    if owner is not None and not owner.active:
        raise invalid(field, f"{field} names a deactivated user; choose an active owner.", owner_id)
    role = actor.role if actor is not None else "admin"
    if actor is not None and owner is not None and owner.id == actor.id and role in OWNER_ROLES:
        return owner
    if role == "admin":
        if owner is None or owner.role not in OWNER_ROLES:
            raise invalid(field, f"{field} must be an active rep or manager.", owner_id)
        return owner
    if actor is not None and role == "manager":
        if owner is None or owner.role != "rep" or owner.manager_id != actor.id:
            raise invalid(field, f"{field} must be you or one of your reps.", owner_id)
        return owner
    raise invalid(field, "Only a manager or an admin hands a prospect to someone else.", owner_id)
