"""Request and response shapes for users, keys, invitations and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from service.ids import BodyId

Role = Literal["rep", "manager", "compliance", "admin"]
ROLES: tuple[str, ...] = ("rep", "manager", "compliance", "admin")
# Who may own prospects (and so be given one, or keep theirs through a role change).
OWNER_ROLES: tuple[str, ...] = ("rep", "manager")
# Who has a manager: a rep, whose prospects that manager reads (docs/prospects.md).
MANAGED_ROLES: tuple[str, ...] = ("rep",)

# Passwords are taken exactly as typed (never trimmed); the 12-character rule is the
# service's (service.auth.passwords), so the API and the console say the same sentence.
Password = Annotated[str, StringConstraints(strip_whitespace=False, max_length=1024)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"name": "Rita", "role": "rep", "manager_id": 2},
                {"name": "Maya", "role": "manager", "password": "a long enough passphrase"},
            ]
        },
    )

    name: Name
    role: Role
    manager_id: BodyId | None = None
    password: Password | None = Field(
        default=None, description="At least 12 characters; lets the person sign in by name."
    )


class UserUpdate(BaseModel):
    """Only the fields sent change; ``manager_id: null`` removes the manager."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"role": "manager"}, {"manager_id": 2, "name": "Rita K."}]},
    )

    name: Name | None = None
    role: Role | None = None
    manager_id: BodyId | None = None

    @field_validator("name", "role", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null; leave the field out to keep it")
        return value


class UserPublic(BaseModel):
    id: int
    name: str
    role: str
    manager_id: int | None


class UserCreated(UserPublic):
    api_key: str = Field(description="Shown once; only a digest is stored.")


class UserAccount(UserPublic):
    """A user as an admin sees them: state, never secrets."""

    active: bool
    has_password: bool
    has_api_key: bool
    bootstrap: bool = Field(description="The admin whose key CANDOR_ADMIN_KEY names.")
    deactivated_at: datetime | None
    created_at: datetime
    prospects_owned: int = Field(
        description="How many prospects are theirs: they stay theirs through a deactivation, "
        "and keep them from a role that may not own prospects (compliance, admin)."
    )


class Deactivated(UserAccount):
    """The answer to a deactivation: the account, and whether it was inactive already."""

    already_deactivated: bool = Field(
        description="True when the user was deactivated before this request, which then "
        "changed nothing."
    )


class KeyRevoked(UserAccount):
    """The answer to a revocation: the account, and whether it held no key already."""

    already_revoked: bool = Field(
        description="True when the user held no API key before this request, which then "
        "changed nothing."
    )


class NewApiKey(BaseModel):
    user_id: int
    api_key: str = Field(description="Shown once; the user's previous key no longer works.")


class InvitationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"name": "Nina", "role": "rep", "manager_id": 2}]},
    )

    name: Name
    role: Role
    manager_id: BodyId | None = None


class InvitationLink(BaseModel):
    user_id: int
    purpose: Literal["invite", "reset"]
    url: str = Field(description="One-time link where the person sets a password; 72 hours.")
    expires_at: datetime


class InvitationSent(InvitationLink):
    user: UserAccount


class InvitationAccept(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "token": "pbNf0ZlqH6Xc3hS7yZ0w1oUu1QeM2vJtG4hWkq9sA8c",
                    "password": "a long enough passphrase",
                }
            ]
        },
    )

    token: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
    password: Password


class SessionPublic(BaseModel):
    id: int
    created_at: datetime
    last_seen_at: datetime


class SessionsRevoked(BaseModel):
    revoked: int = Field(description="How many live sessions were ended.")


class Problem(BaseModel):
    """An error with a sentence."""

    detail: str
