"""Request and response shapes for users."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.ids import RowId

Role = Literal["rep", "manager", "compliance", "admin"]
ROLES: tuple[str, ...] = ("rep", "manager", "compliance", "admin")


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"name": "Rita", "role": "rep", "manager_id": None}]},
    )

    name: str = Field(min_length=1, max_length=200)
    role: Role
    manager_id: RowId | None = None


class UserPublic(BaseModel):
    id: int
    name: str
    role: str
    manager_id: int | None


class UserCreated(UserPublic):
    api_key: str = Field(description="Shown once; only a digest is stored.")
