"""Data-subject requests: find a person by email, download their export, erase them.

Finding, exporting and erasing go through ``service.compliance.subjects``, the functions
behind the API's export and erasure, so each is audited the same way. Erasure is
irreversible: it has a page of its own where the officer types the person's email again.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, Response

from service.auth import service as users
from service.compliance import subjects
from service.console.deps import ComplianceForm, ComplianceUser
from service.console.templating import render, see_other
from service.db import SessionDep
from service.ids import PathId
from service.models import Prospect, User
from service.prospects.access import get_readable
from service.runtime import RuntimeDep

router = APIRouter(prefix="/console/requests", include_in_schema=False)

Officer = ComplianceUser
OfficerForm = ComplianceForm

_MAX_EMAIL = 320


def _owners(session: SessionDep) -> dict[int | None, str]:
    return {person.id: person.name for person in users.list_users(session)}


def _find_page(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    email: str = "",
    errors: dict[str, str] | None = None,
    found: list[Prospect] | None = None,
) -> Response:
    return render(
        request,
        "requests_find.html",
        {
            "user": user,
            "email": email,
            "errors": errors or {},
            "found": found,
            "owners": _owners(session) if found else {},
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if errors else status.HTTP_200_OK,
    )


@router.get("", response_class=HTMLResponse)
def start_request(request: Request, session: SessionDep, user: Officer) -> Response:
    """The search form: find a person by the email they wrote from."""
    return _find_page(request, session, user)


@router.post("", response_class=HTMLResponse)
def find_person(
    request: Request,
    session: SessionDep,
    user: OfficerForm,
    email: Annotated[str, Form()] = "",
) -> Response:
    """The records holding that email; each can be exported or erased.

    A POST, not a query string: the person's email stays out of URLs, and so out of
    access logs and browser history, which outlive an erasure.
    """
    email = email.strip()
    if not email:
        error = "Enter the email address the person gave in their request."
    elif len(email) > _MAX_EMAIL or "@" not in email:
        error = "Enter an email address, like name@example.com."
    else:
        found = subjects.find_by_email(session, user=user, email=email)
        return _find_page(request, session, user, email=email, found=found)
    return _find_page(request, session, user, email=email, errors={"email": error})


@router.get("/{prospect_id}/export")
def download_export(prospect_id: PathId, session: SessionDep, user: Officer) -> Response:
    """Everything stored about the person, as a JSON file to hand to them."""
    data = subjects.export(session, user=user, prospect_id=prospect_id)
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="candor-export-{prospect_id}.json"',
            "Cache-Control": "no-store",
        },
    )


def _erase_page(
    request: Request,
    session: SessionDep,
    user: User,
    prospect: Prospect,
    *,
    errors: dict[str, str],
    typed: str = "",
    status_code: int = status.HTTP_200_OK,
) -> Response:
    return render(
        request,
        "requests_erase.html",
        {
            "user": user,
            "prospect": prospect,
            "owner": _owners(session).get(prospect.owner_id),
            "errors": errors,
            "typed": typed,
        },
        status_code=status_code,
    )


@router.get("/{prospect_id}/erase", response_class=HTMLResponse)
def confirm_erasure(
    request: Request, prospect_id: PathId, session: SessionDep, user: Officer
) -> Response:
    """The one decision: erase this record, confirmed by typing the email again."""
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    return _erase_page(request, session, user, prospect, errors={})


@router.post("/{prospect_id}/erase", response_class=HTMLResponse)
def erase_person(
    request: Request,
    prospect_id: PathId,
    session: SessionDep,
    runtime: RuntimeDep,
    user: OfficerForm,
    email: Annotated[str, Form()] = "",
) -> Response:
    """Erase the record when the typed email matches it; otherwise nothing changes."""
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    typed = email.strip()
    if typed.lower() != prospect.email.strip().lower():
        message = (
            "Type the person's email address to confirm."
            if not typed
            else "This is not the email of the record being erased; nothing was erased."
        )
        return _erase_page(
            request,
            session,
            user,
            prospect,
            errors={"email": message},
            typed=typed,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    counts = subjects.erase(session, user=user, prospect_id=prospect_id)
    runtime.targets.forget_prospect(prospect_id)
    return see_other(
        request,
        "/console/requests",
        flash=f"Erased prospect #{prospect_id}: {counts['messages']} messages, "
        f"{counts['events']} events and {counts['links']} links.",
    )
