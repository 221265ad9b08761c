"""Timeline, openers and the opener lint."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from policies.coach import lint
from service.auth.deps import CurrentUser
from service.db import SessionDep
from service.errors import ErrorMessage
from service.ids import PathId
from service.prospects.service import to_public
from service.timeline import service
from service.timeline.schemas import (
    FindingOut,
    LintIn,
    LintOut,
    OpenerOut,
    Openers,
    PolicyRef,
    Timeline,
)

router = APIRouter(prefix="/api", tags=["timeline"])

_COMPLIANCE_READS_BY_PREVIEW: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "Compliance staff and admins read timelines through the policy preview.",
        "model": ErrorMessage,
    }
}


@router.get("/prospects/{prospect_id}/timeline", responses=_COMPLIANCE_READS_BY_PREVIEW)
def read_timeline(prospect_id: PathId, session: SessionDep, user: CurrentUser) -> Timeline:
    """The facts the active policy lets you see about this prospect, with openers."""
    result = service.read(session, user=user, prospect_id=prospect_id)
    return Timeline(
        prospect=to_public(result.prospect, consent=result.consent),
        policy=PolicyRef(
            name=result.active.name, version=result.active.version, rule=result.view.decision.rule
        ),
        facts=result.view.facts,
        openers=[OpenerOut(**opener) for opener in result.view.openers],
    )


@router.get("/prospects/{prospect_id}/openers", responses=_COMPLIANCE_READS_BY_PREVIEW)
def read_openers(prospect_id: PathId, session: SessionDep, user: CurrentUser) -> Openers:
    """Honest conversation openers built only from what you may see."""
    result = service.read(session, user=user, prospect_id=prospect_id, action="openers.read")
    return Openers(openers=[OpenerOut(**opener) for opener in result.view.openers])


@router.post("/openers/lint")
def lint_opener(body: LintIn, _user: CurrentUser) -> LintOut:
    """Flag trap questions and surveillance reveals, each with an honest rewrite."""
    findings = [FindingOut(**finding.as_dict()) for finding in lint(body.text)]
    return LintOut(ok=not findings, findings=findings)
