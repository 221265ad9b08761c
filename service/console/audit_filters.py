"""The audit page's filter form: query parameters read into a checked filter.

A filter is a GET form (so a filtered view can be bookmarked and shared); a bad value
comes back beside its field instead of being silently dropped, because an officer who
asked for one prospect's entries must never be shown everyone's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from service.ids import MAX_ID

__all__ = ["PAGE_SIZE", "AuditFilter", "read_filter"]

PAGE_SIZE = 50
_DIGITS = re.compile(r"[0-9]{1,19}")
_MAX_ACTION = 40


@dataclass
class AuditFilter:
    """What the officer asked for, as typed (``values``) and as checked."""

    values: dict[str, str]
    actor_id: int | None = None
    action: str | None = None
    prospect_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, Any]:
        """Keyword arguments for ``audit.list_entries``."""
        return {
            "actor_id": self.actor_id,
            "action": self.action,
            "prospect_id": self.prospect_id,
            "since": self.since,
            "until": self.until,
            "before_id": self.before_id,
        }


def _row_id(text: str) -> int | None:
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def read_filter(params: dict[str, str]) -> AuditFilter:
    """Check the filter's fields; every problem is named against its field."""
    values = {
        name: params.get(name, "").strip()
        for name in ("actor", "action", "prospect", "since", "until", "before")
    }
    result = AuditFilter(values=values)
    errors = result.errors
    if values["actor"]:
        result.actor_id = _row_id(values["actor"])
        if result.actor_id is None:
            errors["actor"] = "Choose a person from the list."
    if values["action"]:
        if len(values["action"]) > _MAX_ACTION:
            errors["action"] = f"An action is at most {_MAX_ACTION} characters."
        else:
            result.action = values["action"]
    if values["prospect"]:
        result.prospect_id = _row_id(values["prospect"])
        if result.prospect_id is None:
            errors["prospect"] = "A prospect number is a whole number, like 42."
    since = _day(values["since"]) if values["since"] else None
    if values["since"] and since is None:
        errors["since"] = "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    until = _day(values["until"]) if values["until"] else None
    if values["until"] and until is None:
        errors["until"] = "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    if since and until and until < since:
        errors["until"] = "The end date must be the same as or after the start date."
    if since:
        result.since = datetime.combine(since, time.min, tzinfo=UTC)
    if until and until < date.max:  # inclusive: the whole of that day
        result.until = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    if values["before"]:
        result.before_id = _row_id(values["before"])
        if result.before_id is None:
            errors["before"] = "This page link is not valid; start again from the first page."
    return result
