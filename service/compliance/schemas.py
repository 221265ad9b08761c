"""Request and response shapes of the compliance API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.ids import MAX_INT, BodyId
from service.prospects.schemas import ProspectPublic

Document = str | dict[str, Any]
DOCUMENT_HELP = "The policy as YAML text or as a JSON object."
EXAMPLE_DOCUMENT = (
    "name: quiet\n"
    "description: Reps see that an email was opened, a day later.\n"
    "rules:\n"
    "  - name: reps\n"
    "    roles: [rep, manager]\n"
    "    delay_hours: 24\n"
    "    show:\n"
    "      email_opened: {detail: exists, time: day}\n"
)


def _examples(*bodies: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(bodies)})


class PolicyCreate(BaseModel):
    model_config = _examples({"name": "quiet", "document": EXAMPLE_DOCUMENT})

    name: str = Field(min_length=1, max_length=64)
    document: Document = Field(description=DOCUMENT_HELP)


class PolicyUpdate(BaseModel):
    model_config = _examples({"document": EXAMPLE_DOCUMENT})

    document: Document = Field(description=DOCUMENT_HELP)


class Activation(BaseModel):
    model_config = _examples({"version": 1})

    version: int = Field(ge=1, le=MAX_INT, strict=True)


class PolicyVersionOut(BaseModel):
    name: str
    version: int
    active: bool
    document: dict[str, Any]
    created_at: datetime
    created_by: int | None


class PolicySummary(BaseModel):
    name: str
    description: str
    latest_version: int
    active_version: int | None


class PreviewIn(BaseModel):
    model_config = _examples({"document": EXAMPLE_DOCUMENT, "prospect_id": 1, "role": "rep"})

    document: Document = Field(description=DOCUMENT_HELP)
    prospect_id: BodyId
    role: Literal["rep", "manager", "compliance", "admin"]


ReadRole = Literal["rep", "manager", "compliance", "admin"]


class ImpactIn(BaseModel):
    model_config = _examples({"document": EXAMPLE_DOCUMENT, "roles": ["rep", "manager"]})

    document: Document = Field(description=DOCUMENT_HELP)
    roles: list[ReadRole] = Field(
        default_factory=lambda: list[ReadRole](["rep", "manager"]), min_length=1
    )


class View(BaseModel):
    policy: dict[str, Any]
    facts: list[dict[str, Any]]
    openers: list[dict[str, str]]


class Precision(BaseModel):
    kind: str
    more: list[Literal["detail", "time", "delay"]] = Field(
        description="Aspects the draft shows more precisely or sooner."
    )
    less: list[Literal["detail", "time", "delay"]] = Field(
        description="Aspects the draft shows less precisely or later."
    )
    current: dict[str, str | float] = Field(
        description="Today's rule for this kind: detail, time, delay (delay_hours)."
    )
    draft: dict[str, str | float] = Field(description="The draft's rule for this kind.")


class Preview(BaseModel):
    prospect: ProspectPublic
    role: str
    current: View
    draft: View
    revealed: list[dict[str, Any]] = Field(
        description="Facts the draft shows that today's policy does not."
    )
    withdrawn: list[dict[str, Any]] = Field(
        description="Facts today's policy shows that the draft does not."
    )
    precision: list[Precision] = Field(
        description="Kinds shown to this prospect's viewer today and under the draft whose "
        "detail, time or delay_hours changes, as the impact's more_precise_or_sooner and "
        "less_precise_or_later count them."
    )


class KindImpact(BaseModel):
    current: int = Field(description="Prospects for whom this kind is visible today.")
    draft: int = Field(description="Prospects for whom it would be visible under the draft.")
    revealed: int = Field(description="Visible under the draft, not today.")
    withdrawn: int = Field(description="Visible today, not under the draft.")
    more_precise_or_sooner: int = Field(
        description="Visible under both, and the draft's rule shows it with more detail, a "
        "finer time or a shorter delay_hours. A prospect can count here and in "
        "less_precise_or_later (more detail, a day later).",
    )
    less_precise_or_later: int = Field(
        description="Visible under both, and the draft's rule shows it with less detail, a "
        "coarser time or a longer delay_hours.",
    )


class RoleImpact(BaseModel):
    kinds: dict[str, KindImpact]
    rules_current: dict[str, int] = Field(
        description="Prospects decided by each rule today ('(none)': default deny)."
    )
    rules_draft: dict[str, int]


class Impact(BaseModel):
    prospects: int
    policy: dict[str, Any]
    roles: dict[str, RoleImpact]


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_role: str | None
    action: str
    prospect_id: int | None
    policy_name: str | None
    policy_version: int | None
    rule: str | None
    facts_shown: int | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditOut]
    next_before_id: int | None = Field(
        description="Pass as before_id for the next page; null at the end."
    )
