"""Request and response shapes of the suppression list and person-level requests.

No answer carries an address: a suppression is its id, reason and dates, and whether a
current person's records match it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.prospects.schemas import email_address


class EmailIn(BaseModel):
    """A person named by their email address (normalised before it is hashed)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"email": "anna@example.com"}]},
    )

    email: str = Field(max_length=320)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return email_address(value)


class SuppressionPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "reason": "erased",
                    "created_at": "2026-11-20T10:00:00Z",
                    "created_by": 3,
                    "matches_person": False,
                }
            ]
        }
    )

    id: int
    reason: Literal["opted_out", "erased", "added"] = Field(
        description="opted_out: the person opted out on their transparency page; erased: "
        "their data was erased; added: compliance added the address."
    )
    created_at: datetime
    created_by: int | None = Field(description="The user who added it (None: the person).")
    matches_person: bool = Field(
        description="Whether a current person (some owner's record) has this address."
    )
