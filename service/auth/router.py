"""User routes: people, their keys, invitations and sessions (admin), and who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from service.auth import invitations, service, sessions
from service.auth.deps import CurrentUser, require_roles
from service.auth.schemas import (
    Deactivated,
    InvitationAccept,
    InvitationCreate,
    InvitationLink,
    InvitationSent,
    KeyRevoked,
    NewApiKey,
    Problem,
    SessionPublic,
    SessionsRevoked,
    UserAccount,
    UserCreate,
    UserCreated,
    UserPublic,
    UserUpdate,
)
from service.db import SessionDep
from service.errors import not_found
from service.ids import PathId
from service.models import User

router = APIRouter(prefix="/api", tags=["users"])

AdminUser = Annotated[User, Depends(require_roles("admin"))]

_401: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No API key, or one that is unknown or deactivated."}
}
_ADMIN: dict[int | str, dict[str, Any]] = {
    **_401,
    403: {"model": Problem, "description": "Only an admin may do this."},
}
_USER = {**_ADMIN, 404: {"model": Problem, "description": "No such user."}}
_STATE = {**_USER, 409: {"model": Problem, "description": "The user's state does not allow it."}}


def _public(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(id=user.id, name=user.name, role=user.role, manager_id=user.manager_id)


def _account(session: SessionDep, user: User, *, owned: int | None = None) -> UserAccount:
    """The user as an admin sees them; ``owned`` when the caller counted it already."""
    assert user.id is not None
    if owned is None:
        owned = service.prospects_owned(session, user_ids=[user.id]).get(user.id, 0)
    return UserAccount(
        **_public(user).model_dump(),
        active=user.active,
        has_password=user.password_hash is not None,
        has_api_key=user.api_key_hash is not None,
        bootstrap=user.bootstrap,
        deactivated_at=user.deactivated_at,
        created_at=user.created_at,
        prospects_owned=owned,
    )


def _link(request: Request, session: SessionDep, *, user_id: int, token: str) -> InvitationLink:
    row = invitations.find_invitation(session, token=token)
    assert row is not None
    return InvitationLink(
        user_id=user_id,
        purpose="reset" if row.purpose == "reset" else "invite",
        url=invitations.invitation_url(request.app.state.runtime.settings, token),
        expires_at=row.expires_at,
    )


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses={**_ADMIN, 422: {"description": "A field is invalid (named in the answer)."}},
)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> UserCreated:
    """Create a user and return its API key, which is shown only this once."""
    user, key = service.create(
        session,
        name=body.name,
        role=body.role,
        manager_id=body.manager_id,
        password=body.password,
        actor=admin,
    )
    return UserCreated(**_public(user).model_dump(), api_key=key)


@router.get("/users", summary="List users", responses=_ADMIN)
def list_users(session: SessionDep, _admin: AdminUser) -> list[UserAccount]:
    """Every user with their state: active, password set, key held (never the secrets)."""
    users = service.list_users(session)
    owned = service.prospects_owned(session, user_ids=[user.id for user in users if user.id])
    return [_account(session, user, owned=owned.get(user.id or 0, 0)) for user in users]


@router.get("/users/{user_id}", summary="Read a user", responses=_USER)
def read_user(user_id: PathId, session: SessionDep, _admin: AdminUser) -> UserAccount:
    """One user with their state."""
    return _account(session, service.get_user(session, user_id=user_id))


@router.patch(
    "/users/{user_id}",
    summary="Change a user's name, role or manager",
    responses={
        **_USER,
        409: {
            "model": Problem,
            "description": "The user owns prospects, and the new role may not own them "
            "(compliance, admin): give the prospects to a rep or manager first.",
        },
        422: {"description": "A field is invalid (named in the answer)."},
    },
)
def update_user(
    user_id: PathId, body: UserUpdate, session: SessionDep, admin: AdminUser
) -> UserAccount:
    """Change only the fields sent; a manager_id must name a manager (null removes it).

    Only a rep has a manager: another role with a manager_id is a 422, and a role change
    away from rep that leaves manager_id out removes the manager.
    """
    sent = body.model_fields_set
    user = service.update_user(
        session,
        actor=admin,
        user_id=user_id,
        name=body.name if "name" in sent and body.name is not None else service.KEEP,
        role=body.role if "role" in sent and body.role is not None else service.KEEP,
        manager_id=body.manager_id if "manager_id" in sent else service.KEEP,
    )
    return _account(session, user)


@router.delete("/users/{user_id}", summary="Deactivate a user", responses=_STATE)
def deactivate_user(user_id: PathId, session: SessionDep, admin: AdminUser) -> Deactivated:
    """Deactivate: the key and sessions stop at once; the user's prospects stay theirs.

    ``prospects_owned`` says how many: a rep's manager still reads them and can reassign
    them; anyone else's wait for an admin to give them to a rep or manager. Sent again,
    it changes nothing and says ``already_deactivated: true``.
    """
    already = not service.get_user(session, user_id=user_id).active
    user = service.deactivate(session, actor=admin, user_id=user_id)
    return Deactivated(**_account(session, user).model_dump(), already_deactivated=already)


@router.post("/users/{user_id}/reactivate", summary="Reactivate a user", responses=_STATE)
def reactivate_user(user_id: PathId, session: SessionDep, admin: AdminUser) -> NewApiKey:
    """Let a deactivated user back in, with a new API key shown once (the old stays dead)."""
    user, key = service.reactivate(session, actor=admin, user_id=user_id)
    assert user.id is not None
    return NewApiKey(user_id=user.id, api_key=key)


@router.post("/users/{user_id}/api-key", summary="Issue a new API key", responses=_STATE)
def issue_api_key(user_id: PathId, session: SessionDep, admin: AdminUser) -> NewApiKey:
    """A new key, shown once; the user's previous key stops working at once."""
    user, key = service.issue_key(session, actor=admin, user_id=user_id)
    assert user.id is not None
    return NewApiKey(user_id=user.id, api_key=key)


@router.delete("/users/{user_id}/api-key", summary="Revoke an API key", responses=_STATE)
def revoke_api_key(user_id: PathId, session: SessionDep, admin: AdminUser) -> KeyRevoked:
    """Stop the user's API key at once, issuing none in its place: their password and
    console sessions stay. Sent again, it changes nothing and says ``already_revoked: true``.
    The only active admin's key is kept while they have no password (409), and so is the
    bootstrap admin's, which every start gives back from CANDOR_ADMIN_KEY (409)."""
    user, revoked = service.revoke_key(session, actor=admin, user_id=user_id)
    return KeyRevoked(**_account(session, user).model_dump(), already_revoked=not revoked)


@router.post(
    "/users/{user_id}/invitation",
    status_code=status.HTTP_201_CREATED,
    summary="Send an invitation or password reset link",
    responses=_STATE,
)
def issue_invitation(
    user_id: PathId, request: Request, session: SessionDep, admin: AdminUser
) -> InvitationLink:
    """A one-time link (72 hours) where the user sets a new password; earlier links die."""
    token = invitations.reset_invitation(session, actor=admin, user_id=user_id)
    return _link(request, session, user_id=user_id, token=token)


@router.post(
    "/invitations",
    status_code=status.HTTP_201_CREATED,
    summary="Invite a person",
    responses={**_ADMIN, 422: {"description": "A field is invalid (named in the answer)."}},
)
def invite_person(
    body: InvitationCreate, request: Request, session: SessionDep, admin: AdminUser
) -> InvitationSent:
    """Create a user with no password or key yet, and their one-time link (72 hours)."""
    user, token = invitations.invite(
        session, actor=admin, name=body.name, role=body.role, manager_id=body.manager_id
    )
    assert user.id is not None
    link = _link(request, session, user_id=user.id, token=token)
    return InvitationSent(**link.model_dump(), user=_account(session, user, owned=0))


@router.post(
    "/invitations/accept",
    summary="Accept an invitation: set a password",
    responses={
        422: {
            "description": "The link is invalid, used or expired (token), or the password "
            "is shorter than 12 characters (password)."
        }
    },
)
def accept_invitation(body: InvitationAccept, session: SessionDep) -> UserPublic:
    """Set the password through a one-time link (no API key needed); the link is used up."""
    user = invitations.accept_invitation(session, token=body.token, password=body.password)
    return _public(user)


@router.get("/users/{user_id}/sessions", summary="List a user's sessions", responses=_USER)
def list_user_sessions(
    user_id: PathId, session: SessionDep, _admin: AdminUser
) -> list[SessionPublic]:
    """The user's signed-in browsers that are still live, newest first."""
    service.get_user(session, user_id=user_id)
    return [
        SessionPublic(id=row.id or 0, created_at=row.created_at, last_seen_at=row.last_seen_at)
        for row in sessions.list_sessions(session, user_id=user_id)
    ]


@router.delete("/users/{user_id}/sessions", summary="Sign a user out everywhere", responses=_USER)
def revoke_user_sessions(user_id: PathId, session: SessionDep, admin: AdminUser) -> SessionsRevoked:
    """End every live session of the user at once (their API key is not affected)."""
    service.get_user(session, user_id=user_id)
    return SessionsRevoked(revoked=sessions.revoke_sessions(session, user_id=user_id, actor=admin))


@router.delete(
    "/users/{user_id}/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End one session",
    responses={**_ADMIN, 404: {"model": Problem, "description": "No such live session."}},
)
def revoke_user_session(
    user_id: PathId, session_id: PathId, session: SessionDep, admin: AdminUser
) -> Response:
    """End one of the user's sessions."""
    if not sessions.revoke_session(session, user_id=user_id, session_id=session_id, actor=admin):
        raise not_found("session")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", summary="Who am I", responses=_401)
def read_me(user: CurrentUser) -> UserPublic:
    """Who the API key belongs to."""
    return _public(user)
