"""Creating users and finding who holds a key."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.auth.keys import hash_api_key, new_api_key
from service.errors import invalid
from service.models import User

__all__ = ["authenticate", "create", "ensure_admin", "list_users"]


def create(
    session: Session, *, name: str, role: str, manager_id: int | None = None
) -> tuple[User, str]:
    """Create a user with a fresh API key; returns the user and the key, shown once."""
    if manager_id is not None:
        manager = session.get(User, manager_id)
        if manager is None or manager.role != "manager":
            raise invalid(
                "manager_id",
                "manager_id must name an existing user whose role is manager.",
                manager_id,
            )
    key = new_api_key()
    user = User(name=name, role=role, manager_id=manager_id, api_key_hash=hash_api_key(key))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user, key


def authenticate(session: Session, *, api_key: str) -> User | None:
    """The user holding this key, or None."""
    return session.exec(select(User).where(col(User.api_key_hash) == hash_api_key(api_key))).first()


def list_users(session: Session) -> list[User]:
    """Every user, oldest first."""
    return list(session.exec(select(User).order_by(col(User.id))))


def ensure_admin(session: Session, *, api_key: str) -> None:
    """Make sure an ``admin`` user holds ``api_key`` (the CANDOR_ADMIN_KEY bootstrap)."""
    digest = hash_api_key(api_key)
    if session.exec(select(User).where(col(User.api_key_hash) == digest)).first() is not None:
        return
    session.add(User(name="admin", role="admin", api_key_hash=digest))
    try:
        session.commit()
    except IntegrityError:  # another process bootstrapped it at the same moment
        session.rollback()
