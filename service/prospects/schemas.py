"""Request and response shapes for prospects."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.i18n import languages, supported_tag
from service.ids import BodyId

# A local part without blanks, quotes, brackets or list separators; a domain of
# letter/digit/hyphen labels (any script: IDN addresses are people's addresses too).
_EMAIL = re.compile(
    r"^[^@\s<>\"(),;:\\\[\]]{1,64}@(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})$",
    re.IGNORECASE,
)


def email_address(value: str) -> str:
    """``value`` if it is an email address (lower-cased); a ValueError saying so if not."""
    if not _EMAIL.match(value):
        raise ValueError("must be an email address such as anna@example.com")
    return value.lower()


def _segment_value(value: str | None) -> str | None:
    return value.lower() if value else value


def _language_tag(value: str | None) -> str | None:
    """A shipped language's canonical BCP 47 tag (``de-at`` -> ``de-AT``); blank is none."""
    return supported_tag(value) if value else None


def _language_description() -> str:
    return (
        "The language of this person's email footer and transparency page: a BCP 47 tag "
        f"of a supported language ({', '.join(languages())}), such as de, de-AT or en-GB. "
        "Unset: the page follows the browser's Accept-Language, and footers are in English."
    )


class ProspectFields(BaseModel):
    """A prospect's own fields, as a client sends them: one row of an import."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(max_length=320)
    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=35, description=_language_description())

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return email_address(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return _language_tag(value)

    @field_validator("email", "name", "company", "industry", "region")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        # PostgreSQL cannot store NUL; CSV cells never pass the JSON body guard.
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value

    @field_validator("name", "company", "industry", "region")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("industry", "region")
    @classmethod
    def _segment(cls, value: str | None) -> str | None:
        return _segment_value(value)


class ProspectCreate(ProspectFields):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "email": "anna@example.com",
                    "name": "Anna Berg",
                    "company": "Acme",
                    "industry": "finance",
                    "region": "eu",
                    "language": "de",
                }
            ]
        },
    )

    owner_id: BodyId | None = None


class ProspectUpdate(BaseModel):
    """A correction: only the fields sent change; ``null`` clears a field (not the owner)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"industry": "healthcare", "region": "us"}]},
    )

    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=35, description=_language_description())
    owner_id: BodyId | None = Field(
        default=None,
        description="A manager: themselves or one of their reps. An admin: any rep or manager.",
    )

    @field_validator("name", "company", "industry", "region")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return _language_tag(value)

    @field_validator("industry", "region")
    @classmethod
    def _segment(cls, value: str | None) -> str | None:
        return _segment_value(value)


class ProspectPublic(BaseModel):
    id: int
    email: str
    name: str | None
    company: str | None
    industry: str | None
    region: str | None
    language: str | None = Field(
        description="The BCP 47 tag of this person's footer and transparency page, or null."
    )
    owner_id: int
    opted_out: bool = Field(
        description="Whether this person (every record of their address) is on the "
        "suppression list: opted out, erased before, or added by compliance."
    )
    tracking: Literal["tracked", "suppressed", "refused"] = Field(
        description="tracked: nothing stops tracking this person. suppressed: they are on "
        "the suppression list, so messages to them are stored but never tracked. refused: "
        "their browser sent Sec-GPC or DNT, so under a policy that honours it (honor_gpc) "
        "you see only what was sent to them."
    )
    tracking_note: str | None = Field(
        default=None,
        description="Why this person is not tracked, in a sentence (for refused: never when "
        "it began, since a refusal arrives with a hit); null when tracked.",
    )
    created_at: datetime


class ActivityPublic(BaseModel):
    """The most recent visible fact of a prospect, exactly as their timeline shows it."""

    kind: str
    subject: str | None = None
    when: str | None = None
    evidence: str


class ProspectListItem(ProspectPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "email": "anna@example.com",
                    "name": "Anna Berg",
                    "company": "Acme",
                    "industry": "retail",
                    "region": "eu",
                    "language": "de",
                    "owner_id": 2,
                    "opted_out": False,
                    "tracking": "tracked",
                    "created_at": "2026-11-02T09:30:00Z",
                    "last_activity": {
                        "kind": "link_clicked",
                        "subject": "pricing",
                        "when": "2026-11-20",
                        "evidence": "human",
                    },
                }
            ]
        }
    )

    last_activity: ActivityPublic | None = Field(
        default=None,
        description=(
            "The latest fact this viewer may see on the timeline (after the policy's delay, "
            "at its time granularity); null when none is dated, and always null for "
            "compliance and admin, who read no timelines."
        ),
    )


ProspectOrder = Literal["id", "-id", "name", "email", "company", "last_engagement"]


class RefusedRow(BaseModel):
    line: int = Field(
        description="CSV: the line in the file (the header is line 1). JSON: the item's "
        "position in the array, counting from 1."
    )
    field: str | None = Field(description="The field at fault, when one is.")
    reason: str
    email: str | None = Field(description="The row's email as sent, when it had one.")


class SuppressedRow(BaseModel):
    line: int = Field(description="Where the row is, counted as for refused rows.")
    email: str
    reason: str = Field(description="Why the record was made but will not be tracked.")


class ImportReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "owner_id": 2,
                    "rows": 3,
                    "created": 1,
                    "updated": 1,
                    "unchanged": 0,
                    "refused": [
                        {
                            "line": 4,
                            "field": "email",
                            "reason": "must be an email address such as anna@example.com",
                            "email": "not-an-email",
                        }
                    ],
                }
            ]
        }
    )

    owner_id: int
    rows: int = Field(description="Rows read (the header excluded).")
    created: int
    updated: int = Field(description="Rows that matched an existing prospect and changed it.")
    unchanged: int = Field(description="Rows that matched an existing prospect as it was.")
    refused: list[RefusedRow]
    suppressed: list[SuppressedRow] = Field(
        default_factory=list,
        description="Rows imported for a person on the suppression list: the record is "
        "kept, and nothing sent to them is tracked.",
    )


class HandoverRequest(BaseModel):
    """Whom to give every prospect of a person to."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"to_user_id": 2}]})

    to_user_id: BodyId = Field(
        description="The new owner: for an admin, any active rep or manager; for a manager, "
        "themselves or one of their active reps."
    )


class NotMoved(BaseModel):
    """A prospect that stayed with its owner, and why."""

    prospect_id: int
    email: str
    reason: str


class HandoverReport(BaseModel):
    """What a hand-over moved, and what it could not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from_user_id": 4,
                    "to_user_id": 2,
                    "moved": 11,
                    "not_moved": [
                        {
                            "prospect_id": 17,
                            "email": "anna@example.com",
                            "reason": "The new owner already has a prospect with this email "
                            "(theirs is kept; this one stays with its owner).",
                        }
                    ],
                }
            ]
        }
    )

    from_user_id: int
    to_user_id: int
    moved: int = Field(description="Prospects that now belong to to_user_id.")
    not_moved: list[NotMoved] = Field(
        description="Prospects that stay with from_user_id, each with the reason."
    )
