"""Compliance routes: policies, preview, audit log, data-subject export and erasure."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from service.auth.deps import require_roles
from service.compliance import audit, policy_service, subjects
from service.compliance.schemas import (
    Activation,
    AuditOut,
    AuditPage,
    Impact,
    ImpactIn,
    PolicyCreate,
    PolicySummary,
    PolicyUpdate,
    PolicyVersionOut,
    Preview,
    PreviewIn,
)
from service.db import SessionDep
from service.errors import ErrorMessage, invalid_query
from service.ids import MAX_INT, BigQueryId, PathId, QueryId
from service.models import User
from service.runtime import RuntimeDep
from service.timestamps import Timestamp, UntilTimestamp

router = APIRouter(prefix="/api", tags=["compliance"])

Officer = Annotated[User, Depends(require_roles("compliance", "admin"))]


@router.get("/policies")
def list_policies(session: SessionDep, _user: Officer) -> list[PolicySummary]:
    """Every policy with its latest and active version."""
    return policy_service.list_policies(session)


@router.post(
    "/policies",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "A policy of that name exists.", "model": ErrorMessage}},
)
def create_policy(body: PolicyCreate, session: SessionDep, user: Officer) -> PolicyVersionOut:
    """Store a new policy document as version 1 (not yet active)."""
    return policy_service.create(session, user=user, name=body.name, document=body.document)


@router.post(
    "/policies/preview",
    responses={404: {"description": "No such prospect.", "model": ErrorMessage}},
)
def preview_policy(body: PreviewIn, session: SessionDep, user: Officer) -> Preview:
    """The timeline a role would see of one prospect under a draft, beside today's."""
    return policy_service.preview(
        session, user=user, document=body.document, prospect_id=body.prospect_id, role=body.role
    )


@router.post("/policies/impact")
def assess_policy(body: ImpactIn, session: SessionDep, user: Officer) -> Impact:
    """Across all prospects: what a draft would reveal or withdraw, by kind and rule."""
    return policy_service.impact(session, user=user, document=body.document, roles=list(body.roles))


@router.get("/policies/{name}")
def read_policy(
    name: str,
    session: SessionDep,
    _user: Officer,
    version: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> PolicyVersionOut:
    """The latest (or a given) version of a policy."""
    return policy_service.get_version(session, name=name, version=version)


@router.put("/policies/{name}")
def update_policy(
    name: str, body: PolicyUpdate, session: SessionDep, user: Officer
) -> PolicyVersionOut:
    """Store a new version of a policy (activate it separately)."""
    return policy_service.update(session, user=user, name=name, document=body.document)


@router.get("/policies/{name}/versions")
def list_policy_versions(name: str, session: SessionDep, _user: Officer) -> list[PolicyVersionOut]:
    """Every version of a policy, oldest first."""
    return policy_service.list_versions(session, name=name)


@router.post("/policies/{name}/activate")
def activate_policy(
    name: str, body: Activation, session: SessionDep, runtime: RuntimeDep, user: Officer
) -> PolicyVersionOut:
    """Make a stored version the active policy for every reader."""
    result = policy_service.activate(session, user=user, name=name, version=body.version)
    runtime.policies.invalidate()
    return result


@router.get("/audit")
def read_audit(
    request: Request,
    session: SessionDep,
    _user: Officer,
    actor_id: QueryId = None,
    prospect_id: QueryId = None,
    action: str | None = None,
    since: Annotated[Timestamp | None, Query()] = None,
    until: Annotated[UntilTimestamp | None, Query()] = None,
    before_id: BigQueryId = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditPage:
    """The audit log, newest first: reads, policy changes, exports and erasures.

    ``since`` is inclusive and ``until`` exclusive; ``until`` given as a date alone
    (``2026-11-25``) includes that whole day. A range that ends where or before it
    starts is a 422 naming ``until``, as the console's audit page refuses it; its
    ``input`` is what was sent, not the instant it was read as.
    """
    if since is not None and until is not None and until <= since:
        raise invalid_query("until", audit.BACKWARDS, request.query_params.get("until"))
    rows = audit.list_entries(
        session,
        actor_id=actor_id,
        prospect_id=prospect_id,
        action=action,
        since=since,
        until=until,
        before_id=before_id,
        limit=limit,
    )
    items = [AuditOut(**{**row.model_dump(), "detail": json.loads(row.detail)}) for row in rows]
    next_id = items[-1].id if len(items) == limit else None
    return AuditPage(items=items, next_before_id=next_id)


@router.get("/prospects/{prospect_id}/export")
def export_prospect(prospect_id: PathId, session: SessionDep, user: Officer) -> dict[str, Any]:
    """Everything stored about the person behind this record, across every owner's record
    of them (``prospect`` is this one), for a data-subject access request."""
    return subjects.export(session, user=user, prospect_id=prospect_id)


@router.delete("/prospects/{prospect_id}", status_code=status.HTTP_204_NO_CONTENT)
def erase_prospect(
    prospect_id: PathId, session: SessionDep, runtime: RuntimeDep, user: Officer
) -> Response:
    """Erase the person behind this record: every owner's record of them, with their
    events, visitor ids and messages; their links record nothing; the address stays
    suppressed (hashed)."""
    erased = subjects.erase(session, user=user, prospect_id=prospect_id)
    runtime.targets.forget_person(erased.person_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
