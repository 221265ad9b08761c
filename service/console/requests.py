"""Data-subject requests: find a person by email, download their export, erase them;
and the suppression list.

Finding, exporting and erasing go through ``service.compliance.subjects``, the functions
behind the API's export and erasure, so each is audited the same way; the suppression
list through ``service.people.suppressions``, as ``/api/suppressions``. A request is about
a person: export and erasure cover every owner's record of their address. Erasure is
irreversible: it has a page of its own where the officer types the person's email again.
Addresses are only ever posted, never put in a URL.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from service.auth import service as users
from service.compliance import subjects
from service.console.deps import ComplianceForm, ComplianceUser
from service.console.templating import render, see_other
from service.console.wording import owner_label
from service.db import SessionDep
from service.errors import not_found
from service.ids import PathId
from service.models import Prospect, Suppression, User
from service.people import service as people
from service.people import suppressions
from service.people.identity import normalise_email
from service.people.schemas import EmailIn
from service.prospects.access import get_readable
from service.runtime import RuntimeDep

router = APIRouter(prefix="/console/requests", include_in_schema=False)

Officer = ComplianceUser
OfficerForm = ComplianceForm

_MAX_EMAIL = 320
_SUPPRESSIONS_PAGE = 50


def _owners(session: SessionDep) -> dict[int | None, str]:
    """Every owner's name, a deactivated one marked so (``wording.owner_label``)."""
    return {
        person.id: owner_label(person.name, active=person.active)
        for person in users.list_users(session)
    }


def _email_error(email: str) -> str | None:
    """The sentence to show beside the email field, or None for a usable address."""
    if not email:
        return "Enter the email address the person gave in their request."
    if len(email) > _MAX_EMAIL:
        return "Enter an email address, like name@example.com."
    try:
        EmailIn(email=email)
    except ValidationError:
        return "Enter an email address, like name@example.com."
    return None


def _find_page(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    email: str = "",
    errors: dict[str, str] | None = None,
    found: subjects.Subject | None = None,
    suppress_email: str = "",
    page: int = 1,
) -> Response:
    listing = suppressions.list_page(
        session, limit=_SUPPRESSIONS_PAGE, offset=(page - 1) * _SUPPRESSIONS_PAGE
    )
    return render(
        request,
        "requests_find.html",
        {
            "user": user,
            "email": email,
            "errors": errors or {},
            "found": found,
            "owners": _owners(session) if found and found.records else {},
            "suppressions": listing,
            "suppress_email": suppress_email,
            "page": page,
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if errors else status.HTTP_200_OK,
    )


@router.get("", response_class=HTMLResponse)
def start_request(
    request: Request,
    session: SessionDep,
    user: Officer,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The search form, and the suppression list."""
    return _find_page(request, session, user, page=page)


@router.post("", response_class=HTMLResponse)
def find_person(
    request: Request,
    session: SessionDep,
    user: OfficerForm,
    email: Annotated[str, Form()] = "",
) -> Response:
    """The person's records; their export, or their erasure.

    A POST, not a query string: the person's email stays out of URLs, and so out of
    access logs and browser history, which outlive an erasure.
    """
    email = email.strip()
    error = "Enter the email address the person gave in their request." if not email else None
    if error is None and (len(email) > _MAX_EMAIL or "@" not in email):
        error = "Enter an email address, like name@example.com."
    if error is None:
        found = subjects.find_by_email(session, user=user, email=email)
        return _find_page(request, session, user, email=email, found=found)
    return _find_page(request, session, user, email=email, errors={"email": error})


@router.get("/{prospect_id}/export")
def download_export(prospect_id: PathId, session: SessionDep, user: Officer) -> Response:
    """Everything stored about the person, across their records, as a JSON file."""
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
            "records": people.records_of(session, prospect.person_id),
            "owners": _owners(session),
            "errors": errors,
            "typed": typed,
        },
        status_code=status_code,
    )


@router.get("/{prospect_id}/erase", response_class=HTMLResponse)
def confirm_erasure(
    request: Request, prospect_id: PathId, session: SessionDep, user: Officer
) -> Response:
    """The one decision: erase this person, confirmed by typing the email again."""
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
    """Erase every record of the person when the typed email matches; otherwise nothing
    changes."""
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    typed = email.strip()
    if normalise_email(typed) != normalise_email(prospect.email):
        message = (
            "Type the person's email address to confirm."
            if not typed
            else "This is not the email of the person being erased; nothing was erased."
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
    erased = subjects.erase(session, user=user, prospect_id=prospect_id)
    runtime.targets.forget_person(erased.person_id)
    counts = erased.counts
    records = counts["prospects"]
    return see_other(
        request,
        "/console/requests",
        flash=f"Erased {records} record{'' if records == 1 else 's'} of this person: "
        f"{counts['messages']} messages, {counts['events']} events and {counts['links']} "
        "links. The address stays on the suppression list, as a hash.",
    )


@router.post("/suppressions", response_class=HTMLResponse)
def add_suppression(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: OfficerForm,
    email: Annotated[str, Form()] = "",
) -> Response:
    """Put an address on the suppression list; nothing sent to it is tracked."""
    typed = email.strip()
    error = _email_error(typed)
    if error is not None:
        return _find_page(
            request, session, user, errors={"suppress_email": error}, suppress_email=typed
        )
    added = suppressions.add(session, user=user, email=typed)
    if added.person_id is not None:
        runtime.targets.forget_person(added.person_id)
    flash = (
        f"Added suppression #{added.suppression.id}: nothing sent to this address is tracked."
        if added.created
        else f"This address was on the list already (suppression #{added.suppression.id})."
    )
    return see_other(request, "/console/requests", flash=flash)


def _suppression(session: SessionDep, suppression_id: int) -> Suppression:
    row = session.get(Suppression, suppression_id)
    if row is None:
        raise not_found("suppression")
    return row


@router.get("/suppressions/{suppression_id}/remove", response_class=HTMLResponse)
def confirm_removal(
    request: Request, suppression_id: PathId, session: SessionDep, user: Officer
) -> Response:
    """The decision: take this suppression off the list, resuming tracking."""
    row = _suppression(session, suppression_id)
    context: dict[str, Any] = {"user": user, "suppression": row}
    return render(request, "requests_unsuppress.html", context)


@router.post("/suppressions/{suppression_id}/remove", response_class=HTMLResponse)
def remove_suppression(
    request: Request,
    suppression_id: PathId,
    session: SessionDep,
    runtime: RuntimeDep,
    user: OfficerForm,
) -> Response:
    """Take the suppression off the list; tracking that person resumes."""
    person_id = suppressions.remove(session, user=user, suppression_id=suppression_id)
    if person_id is not None:
        runtime.targets.forget_person(person_id)
    return see_other(
        request,
        "/console/requests",
        flash=f"Removed suppression #{suppression_id}: that address may be tracked again.",
    )
