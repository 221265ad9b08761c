"""Prospect routes: create, import, find, list, correct."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.auth.deps import CurrentUser, require_roles
from service.db import SessionDep
from service.errors import invalid, invalid_query
from service.ids import Count, PathId, QueryId
from service.models import User
from service.paging import set_paging_headers
from service.prospects import handover, importing, service
from service.prospects.access import get_readable
from service.prospects.schemas import (
    HandoverReport,
    HandoverRequest,
    ImportReport,
    NotMoved,
    ProspectCreate,
    ProspectFields,
    ProspectListItem,
    ProspectOrder,
    ProspectPublic,
    ProspectUpdate,
)
from service.responses import errors

router = APIRouter(prefix="/api", tags=["prospects"])

Writer = Annotated[User, Depends(require_roles("rep", "manager"))]
Editor = Annotated[User, Depends(require_roles("rep", "manager", "admin"))]
Handing = Annotated[User, Depends(require_roles(*handover.HANDOVER_ROLES))]

_CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain"})
_CSV_EXAMPLE = (
    "email,name,company,industry,region,language\n"
    "anna@example.com,Anna Berg,Acme,finance,eu,de\n"
    "ben@example.com,Ben Ode,Beta,,us,\n"
)
_JSON_EXAMPLE = [
    {"email": "anna@example.com", "name": "Anna Berg", "company": "Acme", "industry": "finance"},
    {"email": "ben@example.com", "name": "Ben Ode", "region": "us"},
]
# Inlined: a schema only openapi_extra names would never reach the components.
_ARRAY_SCHEMA = {
    "type": "array",
    "items": ProspectFields.model_json_schema(),
    "minItems": 1,
    "description": "Prospects to import; each item is validated on its own.",
}
_OWNER_QUERY = Query(
    description="For an import: whose prospects these become: you (the default) or, for "
    "a manager, one of your reps."
)


async def import_rows_body(request: Request) -> list[importing.ImportRow]:
    """The rows of an import body: ``text/csv`` (UTF-8, header first) or a JSON array."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    raw = await request.body()
    if media in _CSV_TYPES:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid((), "The CSV must be UTF-8 text.") from None
        return await run_in_threadpool(importing.parse_csv, text)
    if media == "application/json" or media.endswith("+json"):
        try:
            value = json.loads(raw)
        except ValueError:
            raise invalid((), "The body is not valid JSON; send a JSON array.") from None
        return importing.parse_json(value)
    raise HTTPException(
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        detail="Send the rows as text/csv (header email,name,company,industry,region,language) "
        "or as a JSON array (application/json).",
    )


@router.post(
    "/prospects",
    summary="Add a prospect, or import an array of them",
    status_code=status.HTTP_201_CREATED,
    response_model=ProspectPublic,
    responses={
        200: {"model": ImportReport, "description": "A JSON array was imported: the report."},
        **errors(401, 403, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"oneOf": [ProspectCreate.model_json_schema(), _ARRAY_SCHEMA]},
                    "examples": {
                        "one": {"value": {"email": "anna@example.com", "name": "Anna Berg"}},
                        "many": {"value": _JSON_EXAMPLE},
                    },
                }
            },
        }
    },
)
def create_prospect(
    body: Annotated[Any, Body(include_in_schema=False)],
    session: SessionDep,
    user: Writer,
    owner_id: Annotated[QueryId, _OWNER_QUERY] = None,
) -> Any:
    """One object creates a prospect (201); an array imports them, as /prospects/import (200)."""
    if isinstance(body, list):
        report = importing.import_for(
            session, user=user, owner_id=owner_id, rows=importing.parse_json(body)
        )
        return JSONResponse(report.model_dump(mode="json"), status_code=status.HTTP_200_OK)
    try:
        data = ProspectCreate.model_validate(body)
    except ValidationError as error:
        raise RequestValidationError(
            [{**entry, "loc": ("body", *entry["loc"])} for entry in error.errors(include_url=False)]
        ) from None
    if owner_id is not None:
        raise invalid_query(
            "owner_id", "For one prospect, owner_id goes in the body; the query is for arrays."
        )
    return service.public(session, service.create(session, user=user, data=data))


@router.post(
    "/prospects/import",
    summary="Import prospects from CSV or a JSON array",
    responses=errors(401, 403, 409, 415, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
                "application/json": {"schema": _ARRAY_SCHEMA, "example": _JSON_EXAMPLE},
            },
        }
    },
)
def import_prospects(
    rows: Annotated[list[importing.ImportRow], Depends(import_rows_body)],
    session: SessionDep,
    user: Writer,
    owner_id: Annotated[QueryId, _OWNER_QUERY] = None,
) -> ImportReport:
    """Create or update prospects by email for one owner; refused rows say line and reason."""
    return importing.import_for(session, user=user, owner_id=owner_id, rows=rows)


@router.get(
    "/prospects",
    summary="List, search and page the prospects you may read",
    responses={
        200: {
            "description": "One page; the total is in X-Total-Count, the next page in Link.",
            "headers": {
                "X-Total-Count": {
                    "description": "Prospects matching in all pages.",
                    "schema": {"type": "integer"},
                },
                "Link": {
                    "description": 'The next page, as <url>; rel="next" (absent on the last).',
                    "schema": {"type": "string"},
                },
            },
        },
        **errors(401, 403, 422),
    },
)
def list_prospects(
    session: SessionDep,
    user: CurrentUser,
    request: Request,
    response: Response,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of a name, email or company; case-insensitive."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[Count, Query()] = 0,
    order: Annotated[
        ProspectOrder,
        Query(
            description="id (oldest first), -id, name, email, company, or last_engagement: "
            "the latest fact your timeline shows, newest first."
        ),
    ] = "id",
) -> list[ProspectListItem]:
    """The prospects you may read (a manager: yours and your reps'), with their latest fact."""
    page = service.list_page(session, user=user, q=q, limit=limit, offset=offset, order=order)
    set_paging_headers(request, response, page)
    return [service.to_list_item(row) for row in page.rows]


@router.get(
    "/prospects/{prospect_id}",
    summary="Read one prospect",
    responses=errors(401, 404, 422),
)
def read_prospect(prospect_id: PathId, session: SessionDep, user: CurrentUser) -> ProspectPublic:
    """One prospect, if the caller may read it."""
    return service.public(session, get_readable(session, user=user, prospect_id=prospect_id))


@router.patch(
    "/prospects/{prospect_id}",
    summary="Correct a prospect, or hand it to another owner",
    responses=errors(401, 403, 404, 422),
)
def update_prospect(
    prospect_id: PathId, body: ProspectUpdate, session: SessionDep, user: Editor
) -> ProspectPublic:
    """Change only the fields sent; owner_id by a manager for their team, or an admin."""
    return service.public(
        session, service.update(session, user=user, prospect_id=prospect_id, data=body)
    )


@router.post(
    "/users/{user_id}/prospects/handover",
    summary="Give every prospect of a person (a leaver) to another owner",
    responses=errors(401, 403, 404, 409, 422),
)
def hand_over_prospects(
    user_id: PathId, body: HandoverRequest, session: SessionDep, user: Handing
) -> HandoverReport:
    """Move all of a person's prospects in one transaction, each audited as a reassignment.

    An admin: anyone's, to any active rep or manager. A manager: their own or one of
    their reps', to themselves or one of their active reps (anyone else is a 404). A
    prospect whose email the new owner has already stays, listed under not_moved.
    """
    done = handover.hand_over(session, actor=user, user_id=user_id, to_user_id=body.to_user_id)
    return HandoverReport(
        from_user_id=user_id,
        to_user_id=body.to_user_id,
        moved=len(done.moved),
        not_moved=[
            NotMoved(prospect_id=kept.prospect_id, email=kept.email, reason=kept.reason)
            for kept in done.kept
        ],
    )
