"""The caller, from ``Authorization: Bearer <key>``, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.auth import service
from service.db import SessionDep
from service.errors import forbidden
from service.models import User

__all__ = ["CurrentUser", "RoleCheck", "current_user", "require_roles"]

_bearer = HTTPBearer(auto_error=False, description="An API key from POST /api/users.")


def current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The authenticated user; 401 when the key is missing or unknown."""
    user = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        user = service.authenticate(session, api_key=credentials.credentials)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="A valid API key is required: Authorization: Bearer <key>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


class RoleCheck:
    """A dependency that lets only ``roles`` through (403 for the others).

    A class rather than a closure, so that the OpenAPI document can find every route
    that may answer 403 (``service.openapi``).
    """

    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles

    def __call__(self, user: CurrentUser) -> User:
        if user.role not in self.roles:
            raise forbidden(f"This needs one of the roles: {', '.join(self.roles)}.")
        return user


def require_roles(*roles: str) -> Callable[[User], User]:
    """A dependency that lets only ``roles`` through (403 for the others)."""
    return RoleCheck(roles)
