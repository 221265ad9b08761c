"""Points in time as clients may send them: ISO 8601 text that has a place in UTC.

Every time Candor stores or compares is UTC. ``0001-01-01T00:00:00+14:00`` is a valid
ISO 8601 time whose UTC instant falls before year 1, and ``9999-12-31`` taken "through
the day" ends after year 9999: Python cannot represent either, and each surfaced as an
``OverflowError`` (a 500) where the value met the database. Pydantic would also read a
bare number such as ``0.5`` as seconds since 1970, which no person means by a date.
These types turn each of those into a 422 naming the field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

__all__ = ["Timestamp", "UntilTimestamp"]

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
