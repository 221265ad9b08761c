"""One-time invitation links where a person sets their own password (72 hours).

An invitation creates the user at once, with neither password nor API key: they can do
nothing until they accept. A password reset is a new invitation for an existing user;
issuing one retires that user's earlier unused links. Only a digest of the token is
stored, and accepting it consumes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal

from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from service.auth import service as users
from service.auth.keys import hash_token, new_token
from service.auth.passwords import check_password, hash_password
from service.auth.sessions import close_sessions
from service.compliance import audit
from service.config import Settings
from service.errors import not_found
from service.models import Invitation, User, utcnow

__all__ = [
    "INVITATION_LIFETIME",
    "InvitationInvalid",
    "LinkRefusal",
    "accept_invitation",
    "find_invitation",
    "invitation_url",
    "invitation_user",
    "invite",
    "reset_invitation",
    "why_not_valid",
]

INVITATION_LIFETIME = timedelta(hours=72)
_MAX_TOKEN_LENGTH = 200


class InvitationInvalid(HTTPException):
    """The link is unknown, already used, expired, or its user was deactivated (a 422)."""

    def __init__(self) -> None:
        super().__init__(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {
                    "type": "value_error",
                    "loc": ["body", "token"],
                    "msg": "This invitation link is not valid: it was already used, it "
                    "expired (links last 72 hours), or it was replaced by a newer one. "
                    "Ask an admin for a new link.",
                    "input": None,
                }
            ],
        )


def invitation_url(settings: Settings, token: str) -> str:
    """The link a person opens to set their password, on the console's address."""
    return f"{settings.console_url}/invite/{token}"


def invite(
    session: Session,
    *,
    actor: User | None,
    name: str,
    role: str,
    manager_id: int | None = None,
    origin: Mapping[str, Any] | None = None,
) -> tuple[User, str]:
    """Create a user without password or key and return them with a one-time token."""
    name = users.check_new_user(session, name=name, role=role, manager_id=manager_id)
    user = User(name=name, role=role, manager_id=manager_id)
    session.add(user)
    session.flush()
    token = _issue(session, user=user, actor=actor, purpose="invite")
    audit.record(
        session,
        actor=actor,
        action="user.invited",
        detail={
            "user_id": user.id,
            "name": name,
            "role": role,
            "manager_id": manager_id,
            **(origin or {}),
        },
    )
    session.commit()
    session.refresh(user)
    return user, token


def reset_invitation(
    session: Session,
    *,
    actor: User | None,
    user_id: int,
    origin: Mapping[str, Any] | None = None,
) -> str:
    """A new one-time link for an existing user (a reset, or a fresh invite if never used).

    The user's earlier unused links stop working; their current password keeps working
    until the new one is set. A deactivated user gets none (409): reactivate them first.
    """
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user")
    if not user.active:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="This user is deactivated; reactivate them before sending a link.",
        )
    purpose = "reset" if user.password_hash is not None else "invite"
    token = _issue(session, user=user, actor=actor, purpose=purpose)
    audit.record(
        session,
        actor=actor,
        action="user.invitation_issued",
        detail={"user_id": user.id, "purpose": purpose, **(origin or {})},
    )
    session.commit()
    return token


def find_invitation(session: Session, *, token: str) -> Invitation | None:
    """The stored invitation for a token, valid or not (its purpose and expiry)."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return session.exec(
        select(Invitation).where(col(Invitation.token_hash) == hash_token(token))
    ).first()


LinkRefusal = Literal["unknown", "used", "replaced", "expired", "deactivated"]


def why_not_valid(session: Session, *, token: str) -> tuple[LinkRefusal, Invitation | None]:
    """Why a link that ``invitation_user`` refuses is not valid, for the page that says so.

    ``unknown`` (no such link), ``deactivated`` (its user was), ``replaced`` (retired by
    a newer link for the same user), ``used`` (a password was set through it), or
    ``expired``. Only whoever holds the token learns this, and only of that link.
    """
    invitation = find_invitation(session, token=token)
    if invitation is None:
        return "unknown", None
    user = session.get(User, invitation.user_id)
    if user is None or not user.active:
        return "deactivated", invitation
    if invitation.used_at is not None:
        # A newer link retires the older ones at the moment it is made (``_issue``).
        newer = session.exec(
            select(Invitation.id).where(
                col(Invitation.user_id) == invitation.user_id,
                col(Invitation.id) != invitation.id,
                col(Invitation.created_at) == invitation.used_at,
            )
        ).first()
        return ("replaced" if newer is not None else "used"), invitation
    return "expired", invitation


def invitation_user(session: Session, *, token: str) -> User | None:
    """The user a valid (known, unused, unexpired) link is for, or None."""
    found = _valid(session, token=token)
    return found[1] if found is not None else None


def accept_invitation(session: Session, *, token: str, password: str) -> User:
    """Set the password through a link and consume it; the user's old sessions end.

    Raises InvitationInvalid (422 naming ``token``) for a bad link, and a 422 naming
    ``password`` when it is shorter than 12 characters; neither consumes the link.
    """
    found = _valid(session, token=token)
    if found is None:
        raise InvitationInvalid()
    check_password(password)
    invitation, user = found
    now = utcnow()
    user.password_hash = hash_password(password)
    invitation.used_at = now
    session.add(user)
    session.add(invitation)
    close_sessions(session, user_id=invitation.user_id, actor=user, reason="password set")
    audit.record(
        session,
        actor=user,
        action="user.password_set",
        detail={"user_id": user.id, "via": invitation.purpose},
    )
    session.commit()
    session.refresh(user)
    return user


def _issue(session: Session, *, user: User, actor: User | None, purpose: str) -> str:
    """Retire the user's unused links and add a new one (the caller commits)."""
    now = utcnow()
    for old in session.exec(
        select(Invitation).where(
            col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None)
        )
    ):
        old.used_at = now
        session.add(old)
    token = new_token()
    assert user.id is not None
    session.add(
        Invitation(
            token_hash=hash_token(token),
            user_id=user.id,
            purpose=purpose,
            created_by=actor.id if actor is not None else None,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
    )
    return token


def _valid(session: Session, *, token: str) -> tuple[Invitation, User] | None:
    invitation = find_invitation(session, token=token)
    if invitation is None or invitation.used_at is not None:
        return None
    if invitation.expires_at <= utcnow():
        return None
    user = session.get(User, invitation.user_id)
    if user is None or not user.active:
        return None
    return invitation, user
