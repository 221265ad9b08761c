"""Response shapes of the timeline and the opener coach."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.prospects.schemas import ProspectPublic


class PolicyRef(BaseModel):
    name: str
    version: int
    rule: str | None = Field(description="The rule that decided what this viewer sees.")


class OpenerOut(BaseModel):
    text: str
    why: str


class Timeline(BaseModel):
    prospect: ProspectPublic
    policy: PolicyRef
    facts: list[dict[str, Any]]
    openers: list[OpenerOut]


class Openers(BaseModel):
    openers: list[OpenerOut]


class LintIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "I saw you opened my email three times!"}]},
    )

    text: str = Field(min_length=1, max_length=20_000)


class FindingOut(BaseModel):
    kind: Literal["trap", "surveillance"]
    start: int
    end: int
    excerpt: str
    why: str
    suggestion: str


class LintOut(BaseModel):
    ok: bool
    findings: list[FindingOut]
