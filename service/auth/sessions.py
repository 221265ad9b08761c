"""Server-side sign-in sessions, behind the sign-in throttle (``service.auth.throttle``).

A session token lives in the browser's cookie; the database holds only its SHA-256
digest, so a copy of the database signs nobody in. Sessions end when signed out, when
revoked, after 12 hours without a request, or at once when their user is deactivated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.auth import throttle
from service.auth.keys import hash_token, new_token
from service.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_nothing,
    verify_password,
)
from service.compliance import audit
from service.models import User, UserSession, utcnow

__all__ = [
    "IDLE_TIMEOUT",
    "SignInLocked",
    "SignInRefused",
    "close_sessions",
    "end_session",
    "list_sessions",
    "revoke_session",
    "revoke_sessions",
    "sign_in",
    "user_for_session",
]

IDLE_TIMEOUT = timedelta(hours=12)
# last_seen_at is written at most this often, so a page view is not always a write.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 200


class SignInRefused(Exception):
    """Wrong name, wrong password, or an account that may not sign in: never says which."""

    def __init__(self) -> None:
        super().__init__("Wrong name or password.")


class SignInLocked(Exception):
    """Too many failures for this name: refused without checking, for ``retry_after`` s.

    ``budget`` says which lock it is (``address``: this name from this address;
    ``name``: this name from everywhere); the sentence is the same for both.
    """

    def __init__(self, retry_after: int, *, budget: throttle.Budget) -> None:
        self.retry_after = retry_after
        self.budget = budget
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many failed sign-ins for this name. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}."
        )


def sign_in(session: Session, *, name: str, password: str, client: str) -> tuple[User, str]:
    """Check a name and password; return the user and a new session token (shown once).

    ``client`` is the keyed digest of the client's address
    (``throttle.ClientDigests.of``), never the address itself. Raises SignInLocked while
    the name is locked out from this client (before the password is even checked),
    SignInRefused otherwise on any failure. The failure that spends a budget of the
    throttle locks and is audited; a success is audited and forgets this name's
    failures from this client.
    """
    name = name.strip()
    throttle_key = throttle.throttle_key(name)
    now = utcnow()
    lock = throttle.lock_in_force(session, name=throttle_key, client=client, now=now)
    if lock is not None:
        retry_after = max(1, math.ceil((lock.until - now).total_seconds()))
        raise SignInLocked(retry_after=retry_after, budget=lock.budget)

    user = _user_named(session, name=name)
    matched = False
    if user is not None and user.password_hash is not None and len(password) <= MAX_PASSWORD_LENGTH:
        matched = verify_password(user.password_hash, password)
    else:  # no password can match: spend the same work, on a bounded input
        verify_nothing(password[:MAX_PASSWORD_LENGTH])
    if user is None or not matched or not user.active:
        throttle.record_failure(session, name=throttle_key, client=client, user=user, now=now)
        raise SignInRefused()

    assert user.password_hash is not None and user.id is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    throttle.clear_failures(session, name=throttle_key, client=client)
    token = new_token()
    row = UserSession(
        token_hash=hash_token(token), user_id=user.id, created_at=now, last_seen_at=now
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=user, action="session.signed_in", detail={"session_id": row.id})
    session.commit()
    session.refresh(user)
    return user, token


def user_for_session(session: Session, *, token: str) -> User | None:
    """The signed-in user, or None when the token is unknown, revoked, idle 12 h or inactive."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    row = session.exec(
        select(UserSession).where(col(UserSession.token_hash) == hash_token(token))
    ).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or now - row.last_seen_at >= IDLE_TIMEOUT:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
        session.refresh(user)
    return user


def end_session(session: Session, *, token: str) -> None:
    """Sign out: the session stops at once. An unknown or ended token changes nothing."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return
    row = session.exec(
        select(UserSession).where(col(UserSession.token_hash) == hash_token(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session,
        actor=session.get(User, row.user_id),
        action="session.signed_out",
        detail={"session_id": row.id},
    )
    session.commit()


def list_sessions(session: Session, *, user_id: int) -> list[UserSession]:
    """The user's live sessions (not revoked, not idle past the timeout), newest first."""
    since = utcnow() - IDLE_TIMEOUT
    query = (
        select(UserSession)
        .where(
            col(UserSession.user_id) == user_id,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.last_seen_at) > since,
        )
        .order_by(col(UserSession.id).desc())
    )
    return list(session.exec(query))


def revoke_sessions(
    session: Session,
    *,
    user_id: int,
    actor: User | None = None,
    origin: Mapping[str, Any] | None = None,
) -> int:
    """End every live session of a user at once; returns how many there were. Audited."""
    count = close_sessions(session, user_id=user_id, actor=actor, reason="revoked", origin=origin)
    session.commit()
    return count


def revoke_session(
    session: Session, *, user_id: int, session_id: int, actor: User | None = None
) -> bool:
    """End one session of a user; False when the user has no such live session. Audited."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="session.revoked",
        detail={"user_id": user_id, "session_ids": [session_id]},
    )
    session.commit()
    return True


def close_sessions(
    session: Session,
    *,
    user_id: int,
    actor: User | None,
    reason: str,
    origin: Mapping[str, Any] | None = None,
) -> int:
    """End a user's open sessions inside the caller's transaction (the caller commits)."""
    rows = list(
        session.exec(
            select(UserSession).where(
                col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None)
            )
        )
    )
    now = utcnow()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    if rows:
        audit.record(
            session,
            actor=actor,
            action="session.revoked",
            detail={
                "user_id": user_id,
                "session_ids": [row.id for row in rows],
                "why": reason,
                **(origin or {}),
            },
        )
    return len(rows)


def _user_named(session: Session, *, name: str) -> User | None:
    """Names are unique ignoring case; an exact match wins over older look-alikes."""
    if not name or len(name) > 200:
        return None
    candidates = list(
        session.exec(
            select(User).where(sa.func.lower(col(User.name)) == sa.func.lower(sa.literal(name)))
        )
    )
    exact = [user for user in candidates if user.name == name]
    if exact:
        return exact[0]
    return candidates[0] if len(candidates) == 1 else None
