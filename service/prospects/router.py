"""Prospect routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from service.auth.deps import CurrentUser, require_roles
from service.db import SessionDep
from service.ids import Count, PathId
from service.models import User
from service.prospects import service
from service.prospects.access import get_readable
from service.prospects.schemas import ProspectCreate, ProspectPublic

router = APIRouter(prefix="/api", tags=["prospects"])

Writer = Annotated[User, Depends(require_roles("rep", "manager"))]


@router.post("/prospects", status_code=status.HTTP_201_CREATED)
def create_prospect(body: ProspectCreate, session: SessionDep, user: Writer) -> ProspectPublic:
    """Add a prospect, owned by the caller unless a manager names one of their reps."""
    return service.to_public(service.create(session, user=user, data=body))


@router.get("/prospects")
def list_prospects(
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[Count, Query()] = 0,
) -> list[ProspectPublic]:
    """The prospects the caller may read."""
    rows = service.list_prospects(session, user=user, limit=limit, offset=offset)
    return [service.to_public(row) for row in rows]


@router.get("/prospects/{prospect_id}")
def read_prospect(prospect_id: PathId, session: SessionDep, user: CurrentUser) -> ProspectPublic:
    """One prospect, if the caller may read it."""
    return service.to_public(get_readable(session, user=user, prospect_id=prospect_id))
