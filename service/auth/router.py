"""User routes: create (admin), list (admin), who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from service.auth import service
from service.auth.deps import CurrentUser, require_roles
from service.auth.schemas import UserCreate, UserCreated, UserPublic
from service.db import SessionDep
from service.models import User

router = APIRouter(prefix="/api", tags=["users"])

AdminUser = Annotated[User, Depends(require_roles("admin"))]


def _public(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(id=user.id, name=user.name, role=user.role, manager_id=user.manager_id)


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> UserCreated:
    """Create a user and return its API key, which is shown only this once."""
    user, key = service.create(
        session, name=body.name, role=body.role, manager_id=body.manager_id, actor=admin
    )
    return UserCreated(**_public(user).model_dump(), api_key=key)


@router.get("/users")
def list_users(session: SessionDep, _admin: AdminUser) -> list[UserPublic]:
    """Every user (never their keys)."""
    return [_public(user) for user in service.list_users(session)]


@router.get("/me")
def read_me(user: CurrentUser) -> UserPublic:
    """Who the API key belongs to."""
    return _public(user)
