"""People: creating, changing and deactivating users, their keys, and the bootstrap admin.

Every change here is audited in the same transaction as the change itself; ``origin``
joins the audit detail where no signed-in user acts (the command line names the OS
account).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import sqlalchemy as sa
from fastapi import HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.auth.keys import hash_api_key, new_api_key
from service.auth.passwords import check_password, hash_password
from service.auth.schemas import MANAGED_ROLES, OWNER_ROLES, ROLES
from service.auth.sessions import close_sessions
from service.compliance import audit
from service.errors import invalid, not_found
from service.models import Invitation, Prospect, User, utcnow

__all__ = [
    "KEEP",
    "authenticate",
    "check_new_user",
    "create",
    "deactivate",
    "ensure_admin",
    "get_user",
    "issue_key",
    "leaver_note",
    "list_users",
    "other_active_admins",
    "prospects_owned",
    "reactivate",
    "revoke_key",
    "update_user",
]


class _Keep:
    """The type of KEEP: "leave this field as it is" (None means "clear it")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


# Without an active admin nobody can manage people or policies from the API or the
# console; recovery would need a shell. So the last one can be neither demoted nor stopped.
LAST_ADMIN_ROLE: Final = (
    "This is the only active admin, and the workspace needs one: make another user an "
    "admin first (candor users update ID --role admin), then change this role."
)
LAST_ADMIN_DEACTIVATION: Final = (
    "This is the only active admin, and the workspace needs one: make another user an "
    "admin first (candor users update ID --role admin), then deactivate this one."
)


def owns_prospects(name: str, count: int, role: str, *, user_id: int) -> str:
    """Why a role change is refused while the user owns prospects, and what to do first."""
    return (
        f"{name} owns {count} prospect{'' if count == 1 else 's'}; give "
        f"{'it' if count == 1 else 'them'} to a rep or manager first (all at once: Hand "
        f"over on their page in the console, or POST /api/users/{user_id}/prospects/handover; "
        "one by one: PATCH /api/prospects/{id} with owner_id), then change the role: "
        f"{_a(role)} cannot own prospects."
    )


def _a(role: str) -> str:
    """ "a rep", "a compliance user", "an admin": a role in a sentence."""
    return {"compliance": "a compliance user", "admin": "an admin"}.get(role, f"a {role}")


def prospects_owned(session: Session, *, user_ids: list[int]) -> dict[int, int]:
    """How many prospects each of these users owns (users who own none are left out)."""
    if not user_ids:
        return {}
    query = (
        select(col(Prospect.owner_id), sa.func.count())
        .where(col(Prospect.owner_id).in_(user_ids))
        .group_by(col(Prospect.owner_id))
    )
    return {owner_id: count for owner_id, count in session.exec(query)}


def leaver_note(session: Session, *, user: User) -> str | None:
    """What becomes of a deactivated user's prospects, in a sentence; None if they own none.

    They stay the user's (nothing is moved without someone choosing where): a rep's
    manager keeps reading them and can Reassign them; anyone else's only an admin moves.
    """
    assert user.id is not None
    count = prospects_owned(session, user_ids=[user.id]).get(user.id, 0)
    if not count:
        return None
    owned = (
        f"{user.name} still owns 1 prospect, which stays theirs"
        if count == 1
        else f"{user.name} still owns {count} prospects, which stay theirs"
    )
    manager = session.get(User, user.manager_id) if user.manager_id is not None else None
    if user.role in MANAGED_ROLES and manager is not None and manager.active:
        return (
            f"{owned}: {manager.name}, their manager, still reads them and can give them to "
            f"another rep (POST /api/users/{user.id}/prospects/handover, or Reassign on each "
            "prospect's page); an admin can too, with Hand over on their page."
        )
    return (
        f"{owned}, and no manager reads them now: give them to an active rep or manager "
        "(Hand over on their page in the console, or POST "
        f"/api/users/{user.id}/prospects/handover)."
    )


def other_active_admins(session: Session, *, user: User) -> list[int]:
    """The ids of the active admins other than ``user``, their rows locked until the commit.

    Every active admin's row is locked in id order (on PostgreSQL), ``user``'s included,
    so two admins demoting each other at the same moment queue instead of deadlocking,
    and the second then sees the first's change and is refused.
    """
    query = (
        select(User.id)
        .where(col(User.role) == "admin", col(User.deactivated_at).is_(None))
        .order_by(col(User.id))
        .with_for_update()
    )
    return [
        user_id for user_id in session.exec(query) if user_id is not None and user_id != user.id
    ]


def conflict(message: str) -> HTTPException:
    """A 409 for an act that the user's current state does not allow."""
    return HTTPException(status.HTTP_409_CONFLICT, detail=message)


def check_new_user(session: Session, *, name: str, role: str, manager_id: int | None) -> str:
    """Validate a new user's fields (422 naming the field); returns the trimmed name."""
    name = _check_name(session, name=name)
    _check_role(role)
    _check_manager(session, manager_id=manager_id, user_id=None, role=role)
    return name


def create(
    session: Session,
    *,
    name: str,
    role: str,
    manager_id: int | None = None,
    password: str | None = None,
    actor: User | None = None,
    origin: Mapping[str, Any] | None = None,
) -> tuple[User, str]:
    """Create a user with a fresh API key (and a password if given); the key is shown once."""
    name = check_new_user(session, name=name, role=role, manager_id=manager_id)
    if password is not None:
        check_password(password)
    key = new_api_key()
    user = User(
        name=name,
        role=role,
        manager_id=manager_id,
        api_key_hash=hash_api_key(key),
        password_hash=hash_password(password) if password is not None else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        detail={
            "user_id": user.id,
            "name": name,
            "role": role,
            "manager_id": manager_id,
            "password": password is not None,
            **(origin or {}),
        },
    )
    _commit_or_name_taken(session, name)
    session.refresh(user)
    return user, key


def get_user(session: Session, *, user_id: int) -> User:
    """The user with this id, or a 404."""
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user")
    return user


def update_user(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    name: str | _Keep = KEEP,
    role: str | _Keep = KEEP,
    manager_id: int | _Keep | None = KEEP,
    origin: Mapping[str, Any] | None = None,
) -> User:
    """Change a user's name, role or manager (KEEP leaves a field as it is).

    Only a rep has a manager: a role change away from rep that leaves ``manager_id`` as it
    is removes the manager (the answer and the audit entry show it); naming one for
    another role is a 422. A user who owns prospects keeps a role that may own them
    (rep, manager) until the prospects move: 409.
    """
    user = get_user(session, user_id=user_id)
    changes: dict[str, Any] = {}
    if not isinstance(name, _Keep) and name.strip() != user.name:
        changes["name"] = _check_name(session, name=name)
    new_role = user.role if isinstance(role, _Keep) else role
    if new_role != user.role:
        _check_role(new_role)
        if user.bootstrap and new_role != "admin":
            raise invalid(
                "role", "The bootstrap admin (CANDOR_ADMIN_KEY) stays an admin.", new_role
            )
        if user.role == "admin" and user.active and not other_active_admins(session, user=user):
            raise invalid("role", LAST_ADMIN_ROLE, new_role)
        if user.role == "manager":
            reports = _reports(session, manager_id=user_id)
            if reports:
                raise invalid(
                    "role",
                    f"This manager still manages users {', '.join(map(str, reports))}; "
                    "give them another manager first.",
                    new_role,
                )
        if new_role not in OWNER_ROLES:
            _lock(session, user_id=user_id)
            count = prospects_owned(session, user_ids=[user_id]).get(user_id, 0)
            if count:
                raise conflict(owns_prospects(user.name, count, new_role, user_id=user_id))
        changes["role"] = new_role
    if isinstance(manager_id, _Keep):
        if new_role not in MANAGED_ROLES and user.manager_id is not None:
            changes["manager_id"] = None  # a reporting line only a rep has ends with the role
    elif manager_id != user.manager_id or (
        manager_id is not None and new_role not in MANAGED_ROLES
    ):
        _check_manager(session, manager_id=manager_id, user_id=user_id, role=new_role)
        if manager_id != user.manager_id:
            changes["manager_id"] = manager_id
    if not changes:
        return user
    before = {field: getattr(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.updated",
        detail={"user_id": user_id, "before": before, "after": changes, **(origin or {})},
    )
    _commit_or_name_taken(session, changes.get("name", user.name))
    session.refresh(user)
    return user


def deactivate(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> User:
    """Stop a user at once: key cleared, sessions and links ended; their prospects stay.

    Deactivating an inactive user changes nothing. Nobody may deactivate themselves
    (409), so an admin cannot lock the last admin out by accident.
    """
    user = get_user(session, user_id=user_id)
    if actor is not None and actor.id == user_id:
        raise conflict("You cannot deactivate yourself; ask another admin.")
    if not user.active:
        return user
    if user.role == "admin" and not other_active_admins(session, user=user):
        raise conflict(LAST_ADMIN_DEACTIVATION)
    now = utcnow()
    user.deactivated_at = now
    user.api_key_hash = None
    session.add(user)
    sessions_ended = close_sessions(
        session, user_id=user_id, actor=actor, reason="deactivated", origin=origin
    )
    for invitation in session.exec(
        select(Invitation).where(
            col(Invitation.user_id) == user_id, col(Invitation.used_at).is_(None)
        )
    ):
        invitation.used_at = now
        session.add(invitation)
    audit.record(
        session,
        actor=actor,
        action="user.deactivated",
        detail={
            "user_id": user_id,
            "sessions_ended": sessions_ended,
            "prospects_owned": prospects_owned(session, user_ids=[user_id]).get(user_id, 0),
            **(origin or {}),
        },
    )
    session.commit()
    session.refresh(user)
    return user


def reactivate(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> tuple[User, str]:
    """Let a deactivated user back in with a new API key (their old one stays dead).

    Their password, if they had one, works again; 409 when the user is active.
    """
    user = get_user(session, user_id=user_id)
    if user.active:
        raise conflict("This user is active already.")
    key = new_api_key()
    user.deactivated_at = None
    user.api_key_hash = hash_api_key(key)
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.reactivated",
        detail={"user_id": user_id, **(origin or {})},
    )
    session.commit()
    session.refresh(user)
    return user, key


def issue_key(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> tuple[User, str]:
    """Replace a user's API key: the new one is returned once, the old stops at once."""
    user = get_user(session, user_id=user_id)
    if not user.active:
        raise conflict("This user is deactivated; reactivate them to give them a key.")
    key = new_api_key()
    user.api_key_hash = hash_api_key(key)
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.key_issued",
        detail={"user_id": user_id, **(origin or {})},
    )
    session.commit()
    session.refresh(user)
    return user, key


BOOTSTRAP_KEY: Final = (
    "This is the key CANDOR_ADMIN_KEY names, which every start of Candor gives back to this "
    "admin: change or unset that setting to stop it (a new value replaces the key at the "
    "next start)."
)
# Revoking the key of the one active admin who has no password would leave nobody able to
# administer Candor but from a shell.
LAST_ADMIN_KEY: Final = (
    "This is the only active admin and they have no password: without their API key nobody "
    "could manage Candor. Set them a password (a reset link) or make another user an admin "
    "first, or issue a new key instead."
)


def revoke_key(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> tuple[User, bool]:
    """Stop a user's API key without issuing another (a leaked key, an integration
    retired); their password and sessions stay. Returns the user and whether they held a
    key: revoking none changes nothing and is not audited."""
    user = get_user(session, user_id=user_id)
    if user.api_key_hash is None:
        return user, False
    if user.bootstrap:
        # Start-up gives the bootstrap admin CANDOR_ADMIN_KEY again: a revocation here would
        # quietly end at the next start.
        raise conflict(BOOTSTRAP_KEY)
    if (
        user.role == "admin"
        and user.active
        and user.password_hash is None
        and not other_active_admins(session, user=user)
    ):
        raise conflict(LAST_ADMIN_KEY)
    user.api_key_hash = None
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.key_revoked",
        detail={"user_id": user_id, **(origin or {})},
    )
    session.commit()
    session.refresh(user)
    return user, True


def authenticate(session: Session, *, api_key: str) -> User | None:
    """The active user holding this key, or None."""
    if not api_key or len(api_key) > 200:
        return None
    user = session.exec(select(User).where(col(User.api_key_hash) == hash_api_key(api_key))).first()
    return user if user is not None and user.active else None


def list_users(session: Session) -> list[User]:
    """Every user, oldest first, deactivated ones included."""
    return list(session.exec(select(User).order_by(col(User.id))))


def ensure_admin(session: Session, *, api_key: str) -> None:
    """Make CANDOR_ADMIN_KEY the bootstrap admin's key, creating that admin only once.

    When the configured key changes, the bootstrap admin's key is replaced (audited) and
    the old one stops working; no second admin appears. A bootstrap admin that someone
    deactivated stays deactivated: ``candor users reactivate`` brings them back.
    """
    digest = hash_api_key(api_key)
    holder = session.exec(select(User).where(col(User.api_key_hash) == digest)).first()
    admin = session.exec(select(User).where(col(User.bootstrap).is_(True))).first()
    if holder is not None:
        if admin is None and holder.role == "admin":
            holder.bootstrap = True
            session.add(holder)
            session.commit()
        return
    if admin is not None:
        if not admin.active:
            return
        admin.api_key_hash = digest
        session.add(admin)
        audit.record(
            session,
            actor=None,
            action="user.key_issued",
            detail={"user_id": admin.id, "source": "CANDOR_ADMIN_KEY"},
        )
        session.commit()
        return
    name = "admin"
    if session.exec(select(User).where(col(User.name) == name)).first() is not None:
        name = "bootstrap admin"
    admin = User(name=name, role="admin", api_key_hash=digest, bootstrap=True)
    session.add(admin)
    session.flush()
    audit.record(
        session,
        actor=None,
        action="user.created",
        detail={"user_id": admin.id, "name": name, "role": "admin", "source": "CANDOR_ADMIN_KEY"},
    )
    try:
        session.commit()
    except IntegrityError:  # another process bootstrapped it at the same moment
        session.rollback()


def _check_name(session: Session, *, name: str) -> str:
    name = name.strip()
    if not name:
        raise invalid("name", "The name must not be blank.", name)
    if len(name) > 200:
        raise invalid("name", "The name must be at most 200 characters long.", name)
    taken = session.exec(
        select(User.id).where(sa.func.lower(col(User.name)) == sa.func.lower(sa.literal(name)))
    ).first()
    if taken is not None:
        raise invalid("name", "Another user has this name; people sign in by name.", name)
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise invalid("role", f"The role must be one of {', '.join(ROLES)}.", role)


def _check_manager(
    session: Session, *, manager_id: int | None, user_id: int | None, role: str
) -> None:
    if manager_id is None:
        return
    if role not in MANAGED_ROLES:
        raise invalid(
            "manager_id",
            f"Only a rep has a manager (who reads the rep's prospects); {_a(role)} has none: "
            "leave manager_id out, or null.",
            manager_id,
        )
    manager = session.get(User, manager_id)
    if manager is None or manager.role != "manager" or manager_id == user_id or not manager.active:
        raise invalid(
            "manager_id",
            "manager_id must name another active user whose role is manager.",
            manager_id,
        )


def _reports(session: Session, *, manager_id: int) -> list[int]:
    """The reps who report to this manager, deactivated ones too (their manager reads
    their prospects still)."""
    query = (
        select(User.id)
        .where(col(User.manager_id) == manager_id, col(User.role).in_(MANAGED_ROLES))
        .order_by(col(User.id))
    )
    return [user_id for user_id in session.exec(query) if user_id is not None]


def _lock(session: Session, *, user_id: int) -> None:
    """Lock the user's row until the commit (on PostgreSQL) before counting their prospects.

    A prospect handed to them at the same moment locks the row to share: either it waits
    and then finds the new role, or the count waits for it and includes it. (An admin's
    row is locked already, with the other admins', in id order.)
    """
    session.exec(
        select(User)
        .where(col(User.id) == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def _commit_or_name_taken(session: Session, name: str) -> None:
    """Commit; two requests racing for one name: the loser gets the 422 the check gives."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise invalid("name", "Another user has this name; people sign in by name.", name) from None
