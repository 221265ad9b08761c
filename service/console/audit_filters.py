"""The audit page's filter form: query parameters read into a checked filter.

A filter is a GET form (so a filtered view can be bookmarked and shared); a bad value
comes back beside its field instead of being silently dropped, because an officer who
asked for one prospect's entries must never be shown everyone's. For the same reason the
API's names of the same filters (``prospect_id``, ``actor_id``, ``before_id``, as in
``GET /api/audit``) are read as the form's, and any other name is refused before the
page runs (``service.console.query_names``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from service.compliance.audit import BACKWARDS
from service.ids import MAX_ID

__all__ = ["ALIASES", "FIELDS", "PAGE_SIZE", "AuditFilter", "read_filter"]

PAGE_SIZE = 50
_DIGITS = re.compile(r"[0-9]{1,19}")
_MAX_ACTION = 40

# The form's fields, and the API's names for the same filters (GET /api/audit).
FIELDS = ("actor", "action", "prospect", "since", "until", "before")
ALIASES = {"actor_id": "actor", "prospect_id": "prospect", "before_id": "before"}
_TWICE = {
    "actor": "Choose one person; this address names two.",
    "action": "Give one action; this address names two.",
    "prospect": "Give one prospect number; this address names two.",
    "since": "Give one start date; this address names two.",
    "until": "Give one end date; this address names two.",
    "before": "This page link is not valid; start again from the first page.",
}


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


def _values(
    params: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[dict[str, str], dict[str, str]]:
    """The typed value of each field, its API alias read as the field; and the conflicts.

    A field given twice with different values (``prospect=1&prospect_id=2``) is an
    error against it rather than one of them winning in silence.
    """
    pairs = params.items() if isinstance(params, Mapping) else params
    values = dict.fromkeys(FIELDS, "")
    errors: dict[str, str] = {}
    for name, raw in pairs:
        field_name = ALIASES.get(name, name)
        if field_name not in values:
            continue  # refused before the page runs (service.console.query_names)
        value = raw.strip()
        if values[field_name] and value and value != values[field_name]:
            errors[field_name] = _TWICE[field_name]
        values[field_name] = values[field_name] or value
    return values, errors


def read_filter(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> AuditFilter:
    """Check the filter's fields; every problem is named against its field."""
    values, twice = _values(params)
    result = AuditFilter(values=values)
    errors = result.errors
    errors.update(twice)
    if values["actor"]:
        result.actor_id = _row_id(values["actor"])
        if result.actor_id is None:
            errors["actor"] = "Choose a person from the list."
    if values["action"]:
        if len(values["action"]) > _MAX_ACTION:
            errors["action"] = f"An action is at most {_MAX_ACTION} characters."
        else:
            # Actions are lower case ("timeline.read"); "Timeline.Read" means the same.
            result.action = values["action"].lower()
    if values["prospect"]:
        # "#42", as every page writes a prospect's number, is 42.
        result.prospect_id = _row_id(values["prospect"].removeprefix("#").strip())
        if result.prospect_id is None:
            errors["prospect"] = "A prospect number is a whole number, like 42."
    since = _day(values["since"]) if values["since"] else None
    if values["since"] and since is None:
        errors["since"] = "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    until = _day(values["until"]) if values["until"] else None
    if values["until"] and until is None:
        errors["until"] = "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    if since and until and until < since:
        errors["until"] = BACKWARDS
    if since:
        result.since = datetime.combine(since, time.min, tzinfo=UTC)
    if until and until < date.max:  # inclusive: the whole of that day
        result.until = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    if values["before"]:
        result.before_id = _row_id(values["before"])
        if result.before_id is None:
            errors["before"] = "This page link is not valid; start again from the first page."
    return result
