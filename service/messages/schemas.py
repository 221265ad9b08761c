"""Request and response shapes for messages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.ids import BodyId
from service.timestamps import CLOCK_SKEW, SentAt


class MessageCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "prospect_id": 1,
                    "subject": "Our proposal",
                    "html": '<p>Hi Anna, <a href="https://example.com/pricing">pricing</a></p>',
                    "text": "Hi Anna, pricing: https://example.com/pricing",
                },
                {
                    "prospect_id": 1,
                    "subject": "Our proposal",
                    "text": "Hi Anna, pricing: https://example.com/pricing",
                },
            ]
        },
    )

    prospect_id: BodyId
    subject: str = Field(min_length=1, max_length=500)
    html: str | None = Field(
        default=None,
        min_length=1,
        max_length=2_000_000,
        description="The HTML part; leave it out for a plain-text email (no open pixel).",
    )
    text: str | None = Field(default=None, min_length=1, max_length=2_000_000)
    sent_at: SentAt | None = Field(
        default=None,
        description="When the email was sent; defaults to now. ISO 8601 (2026-11-25T09:30:00Z, "
        f"or +01:00; naive times are UTC), at most {CLOCK_SKEW.seconds // 60} minutes "
        "ahead of the server's clock.",
    )


class LinkPublic(BaseModel):
    id: int
    url: str
    tracked_url: str


class MessageInstrumented(BaseModel):
    id: int
    prospect_id: int
    subject: str
    sent_at: datetime
    html: str | None = Field(description="None for a plain-text email.")
    text: str | None
    pixel_url: str | None = Field(
        description="None when the person is on the suppression list (nothing is tracked) "
        "or when the email is plain text: a text-only email carries no open pixel."
    )
    links: list[LinkPublic]
    notes: list[str] = Field(
        default_factory=list,
        description="Plain sentences on what this email does and does not track, what "
        "Candor removed from its HTML (scripts, event handlers, javascript: addresses, frames), "
        "and what it carries that Candor's footer and opt-out do not cover (remote images, "
        "other services' tracked links, forms), with their hosts.",
    )
    tracked: bool = Field(
        default=True,
        description="Whether anything in this email records: False when the person is on "
        "the suppression list (the email is stored with the disclosure footer, but no pixel "
        "and no tracked link; untracked_reason says why), or when it carries neither a "
        "pixel nor a tracked link.",
    )
    untracked_reason: str | None = Field(
        default=None, description="Why this email is not tracked, in a sentence."
    )


class MessagePublic(BaseModel):
    """A sent message as listed for its prospect: what was sent and its tracked links."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "prospect_id": 7,
                    "sender_id": 2,
                    "subject": "Our proposal",
                    "sent_at": "2026-11-02T09:30:00Z",
                    "pixel_url": None,
                    "links": [
                        {
                            "id": 5,
                            "url": "https://example.com/pricing",
                            "tracked_url": "https://t.example.com/c/Ab3...",
                        }
                    ],
                }
            ]
        }
    )

    id: int
    prospect_id: int
    sender_id: int
    subject: str
    sent_at: datetime
    pixel_url: str | None = Field(description="None when the email carried no open pixel.")
    links: list[LinkPublic]
