"""The audit page: who read what about whom, and every policy change, filtered and paged.

Entries come from ``service.compliance.audit.list_entries``, the function behind
``GET /api/audit``; names of actors come from ``service.auth.service.list_users``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, Response

from service.auth import service as users
from service.compliance import audit
from service.console.audit_filters import ALIASES, FIELDS, PAGE_SIZE, read_filter
from service.console.deps import ComplianceForm, ComplianceUser
from service.console.query_names import reads_query
from service.console.templating import render
from service.db import SessionDep

router = APIRouter(prefix="/console/audit", include_in_schema=False)

Officer = ComplianceUser
OfficerForm = ComplianceForm

# Actions Candor records, offered as suggestions; the field takes any action.
KNOWN_ACTIONS = (
    "timeline.read",
    "openers.read",
    "prospects.list",
    "prospects.imported",
    "prospect.owner_changed",
    "prospects.handed_over",
    "message.discarded",
    "policy.create",
    "policy.version",
    "policy.activate",
    "policy.preview",
    "policy.impact",
    "prospect.find",
    "prospect.export",
    "prospect.erase",
    "retention.purge",
    "session.signed_in",
    "session.signed_out",
    "session.revoked",
    "sign_in.locked",
    "user.created",
    "user.invited",
    "user.invitation_issued",
    "user.password_set",
    "user.updated",
    "user.key_issued",
    "user.key_revoked",
    "user.deactivated",
    "user.reactivated",
)


def _detail(text: str) -> str:
    """The stored detail as indented JSON text (the template escapes it)."""
    try:
        value: Any = json.loads(text)
    except ValueError:
        return text
    return "" if value == {} else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@router.get("", response_class=HTMLResponse)
@reads_query(*FIELDS, *ALIASES)
def read_audit(request: Request, session: SessionDep, user: Officer) -> Response:
    """The audit log, newest first, with a filter form and an "Older entries" link."""
    chosen = read_filter(request.query_params.multi_items())
    people = users.list_users(session)
    entries = []
    older = None
    if not chosen.errors:
        rows = audit.list_entries(session, **chosen.query(), limit=PAGE_SIZE + 1)
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            older = {k: v for k, v in chosen.values.items() if v and k != "before"}
            older["before"] = str(rows[-1].id)
        entries = [(row, _detail(row.detail)) for row in rows]
    return render(
        request,
        "audit.html",
        {
            "user": user,
            "filter": chosen,
            "people": people,
            "names": {person.id: person.name for person in people},
            "entries": entries,
            "older": older,
            "newest": {k: v for k, v in chosen.values.items() if v and k != "before"},
            "actions": KNOWN_ACTIONS,
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if chosen.errors else 200,
    )
