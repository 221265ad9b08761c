"""Request and response shapes for prospects."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.ids import RowId

_EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]+\.[^@\s<>\"]+$")


class ProspectCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "email": "anna@example.com",
                    "name": "Anna Berg",
                    "company": "Example AB",
                    "industry": "software",
                    "region": "emea",
                }
            ]
        },
    )

    email: str = Field(max_length=320)
    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    owner_id: RowId | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("must be an email address such as anna@example.com")
        return value.lower()

    @field_validator("industry", "region")
    @classmethod
    def _segment(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class ProspectPublic(BaseModel):
    id: int
    email: str
    name: str | None
    company: str | None
    industry: str | None
    region: str | None
    owner_id: int
    opted_out: bool
    created_at: datetime
