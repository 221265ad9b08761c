"""Request and response shapes for messages."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.ids import RowId
from service.timestamps import Timestamp


class MessageCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "prospect_id": 1,
                    "subject": "Our proposal",
                    "html": (
                        "<html><body><p>Hi Anna,</p><p>Here is "
                        '<a href="https://example.com/pricing">our pricing</a>.</p>'
                        "</body></html>"
                    ),
                    "sent_at": "2026-11-25T09:30:00Z",
                }
            ]
        },
    )

    prospect_id: RowId
    subject: str = Field(min_length=1, max_length=500)
    html: str = Field(min_length=1, max_length=2_000_000)
    text: str | None = Field(default=None, max_length=2_000_000)
    sent_at: Timestamp | None = Field(
        default=None, description="Defaults to now; naive times are UTC."
    )


class LinkPublic(BaseModel):
    id: int
    url: str
    tracked_url: str


class MessageInstrumented(BaseModel):
    id: int
    prospect_id: RowId
    subject: str
    sent_at: datetime
    html: str
    text: str | None
    pixel_url: str | None = Field(
        description="None when the prospect opted out: nothing is tracked."
    )
    links: list[LinkPublic]
