"""Points in time as clients may send them: ISO 8601 text that has a place in UTC.

Every time Candor stores or compares is UTC. ``0001-01-01T00:00:00+14:00`` is a valid
ISO 8601 time whose UTC instant falls before year 1, and ``9999-12-31`` taken "through
the day" ends after year 9999: Python cannot represent either, and each surfaced as an
``OverflowError`` (a 500) where the value met the database. Pydantic would also read a
bare number such as ``0.5`` as seconds since 1970, which no person means by a date.
These types turn each of those into a 422 naming the field.

A time that records a fact (``SentAt``) is not in the future: a "sent" email dated
2099 would sit at the top of its timeline. Like every time here, a naive one is UTC
(what ``datetime.utcnow().isoformat()`` writes, which many clients send).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

__all__ = ["CLOCK_SKEW", "SentAt", "Timestamp", "UntilTimestamp"]

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a client's "now" may be: clocks drift apart."""

_ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_START.match(value):
        raise ValueError("must be an ISO 8601 date and time, such as 2026-11-25T09:30:00Z")
    return value


def _in_utc(value: datetime) -> datetime:
    """Naive times are UTC; every time is handed on in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must fall between years 1 and 9999 once converted to UTC") from None


def _not_ahead(value: datetime) -> datetime:
    minutes = int(CLOCK_SKEW.total_seconds() // 60)
    if value > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError(
            f"must not be in the future (more than {minutes} minutes ahead of the "
            "server's clock): give the time the email was sent, or leave it out for now"
        )
    return value


def _through_the_day(value: object) -> object:
    """A date alone means the end of that day, not its first instant."""
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        if day == date.max:  # the day after it has no date: the end of time it is
            return datetime.max.replace(tzinfo=UTC)
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    return value


Timestamp = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_in_utc)]
"""An ISO 8601 date and time, handed on in UTC (naive: taken as UTC)."""

SentAt = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_in_utc),
    AfterValidator(_not_ahead),
]
"""When something happened: not after now (give or take ``CLOCK_SKEW``); handed on in
UTC (naive: taken as UTC)."""

UntilTimestamp = Annotated[
    Timestamp,
    BeforeValidator(_through_the_day),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "format": "date"},
            ]
        }
    ),
]
"""An exclusive upper bound; a date alone (``2026-11-25``) includes that whole day."""
