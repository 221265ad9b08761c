"""Compliance routes for people: the suppression list, person-level export and erasure.

Compliance and admin only; every write is audited without the address. The address a
request names travels in a JSON body, never in a URL: URLs end up in access logs and
proxies' logs, which outlive an erasure.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from service.auth.deps import require_roles
from service.compliance import subjects
from service.db import SessionDep
from service.ids import Count, PathId
from service.models import User
from service.paging import set_paging_headers
from service.people import suppressions
from service.people.schemas import EmailIn, SuppressionPublic
from service.responses import errors
from service.runtime import RuntimeDep

router = APIRouter(prefix="/api", tags=["compliance"])

Officer = Annotated[User, Depends(require_roles("compliance", "admin"))]

_PAGED = {
    "description": "One page, newest first; the total is in X-Total-Count, the next page in Link.",
    "headers": {
        "X-Total-Count": {
            "description": "Suppressions in all pages.",
            "schema": {"type": "integer"},
        },
        "Link": {
            "description": 'The next page, as <url>; rel="next" (absent on the last).',
            "schema": {"type": "string"},
        },
    },
}
_NO_PERSON: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No record holds this address.",
        "content": {"application/json": {"example": {"detail": "No such person."}}},
    }
}


@router.get(
    "/suppressions",
    summary="List the suppression list (no addresses: ids, reasons, dates)",
    responses={200: _PAGED, **errors(401, 403, 422)},
)
def list_suppressions(
    session: SessionDep,
    _user: Officer,
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[Count, Query()] = 0,
) -> list[SuppressionPublic]:
    """Every suppressed address as its id, reason and date, and whether a person matches."""
    page = suppressions.list_page(session, limit=limit, offset=offset)
    set_paging_headers(request, response, page)
    return page.items


@router.post(
    "/suppressions",
    summary="Put an address on the suppression list",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": SuppressionPublic, "description": "The address was on the list already."},
        **errors(401, 403, 422),
    },
)
def add_suppression(
    body: EmailIn, session: SessionDep, runtime: RuntimeDep, user: Officer, response: Response
) -> SuppressionPublic:
    """Nothing sent to this address is tracked from now on, through any record (reason added)."""
    added = suppressions.add(session, user=user, email=body.email)
    if added.person_id is not None:
        runtime.targets.forget_person(added.person_id)
    if not added.created:
        response.status_code = status.HTTP_200_OK
    return added.suppression


@router.delete(
    "/suppressions/{suppression_id}",
    summary="Take an address off the suppression list",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        404: {
            "description": "No such suppression.",
            "content": {"application/json": {"example": {"detail": "No such suppression."}}},
        },
        **errors(401, 403, 422),
    },
)
def remove_suppression(
    suppression_id: PathId, session: SessionDep, runtime: RuntimeDep, user: Officer
) -> Response:
    """Tracking resumes for that person, as if they had opted back in."""
    person_id = suppressions.remove(session, user=user, suppression_id=suppression_id)
    if person_id is not None:
        runtime.targets.forget_person(person_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/people/export",
    summary="Export everything stored about the person with this address",
    responses={**_NO_PERSON, **errors(401, 403, 422)},
)
def export_person(body: EmailIn, session: SessionDep, user: Officer) -> dict[str, Any]:
    """Every owner's record of the person, their messages, links and events, for an access
    request; the address goes in the body so that it stays out of access logs."""
    return subjects.export_by_email(session, user=user, email=body.email)


@router.post(
    "/people/erase",
    summary="Erase the person with this address, across every owner's record",
    responses={**_NO_PERSON, **errors(401, 403, 422)},
)
def erase_person(
    body: EmailIn, session: SessionDep, runtime: RuntimeDep, user: Officer
) -> dict[str, int]:
    """Every record, message, link and event goes; the address stays suppressed (hashed)."""
    erased = subjects.erase_by_email(session, user=user, email=body.email)
    runtime.targets.forget_person(erased.person_id)
    return erased.counts
