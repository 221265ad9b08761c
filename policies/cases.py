"""Test cases that ship with policy documents, and the runner that checks them.

Like a Cerbos policy's test suite, each document in ``policies/`` has a YAML file of
cases in ``policies/cases/`` (same name). A case states a viewer, a prospect, a few
events (times relative to ``now``) and the expected outcome::

    policy: default
    cases:
      - name: a rep in finance sees that an email was opened, not when
        viewer: {role: rep}
        prospect: {industry: finance}
        events:
          - {kind: open, hours_ago: 72, subject: Hello}
        expect:
          rule: reps-in-high-trust-barrier-industries
          facts:
            - {kind: email_opened, detail: exists, when: null, evidence: human}
          absent_kinds: [page_visited]

``expect.facts`` lists every fact in the evaluator's order, each compared on the keys
it gives (``null`` means the key must be absent, as ``Fact.as_dict`` omits it). The
suite runs every case of every built-in document; the service can run the cases of a
custom document with ``parse_cases`` and ``run_case`` before activating it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from policies.evaluate import EventView, ProspectView, Viewer, evaluate
from policies.schema import Policy

__all__ = [
    "DEFAULT_NOW",
    "Case",
    "CaseEvent",
    "CaseExpectation",
    "CaseProspect",
    "CaseViewer",
    "load_cases",
    "parse_cases",
    "run_case",
]

# A Friday (ISO week 2026-W47), so day and week levels differ from "now" in cases.
DEFAULT_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseViewer(_Model):
    """Who looks: a role (any string; unknown roles fall to default deny)."""

    role: str
    user_id: int | None = None


class CaseProspect(_Model):
    """The prospect's segment attributes and consent state."""

    industry: str | None = None
    region: str | None = None
    company: str | None = None
    opted_out: bool = False
    gpc: bool = False


class CaseEvent(_Model):
    """One event, ``hours_ago`` before the case's ``now``.

    ``subject`` is the message subject, ``message`` the message id, ``url`` the click
    destination or the visited page.
    """

    kind: Literal["email_sent", "open", "click", "visit"]
    hours_ago: float = Field(ge=0)
    evidence: Literal["machine", "bot", "human", "confirmed"] = "human"
    subject: str | None = None
    message: int | None = None
    url: str | None = None
    gpc: bool = False


class CaseExpectation(_Model):
    """The rule that must decide (``None``: default deny) and the facts it must give."""

    rule: str | None
    facts: list[dict[str, Any]]
    absent_kinds: list[str] = []


class Case(_Model):
    """One named scenario for a policy document."""

    name: str = Field(min_length=1)
    viewer: CaseViewer
    prospect: CaseProspect = CaseProspect()
    now: datetime = DEFAULT_NOW
    events: list[CaseEvent] = []
    expect: CaseExpectation

    def event_views(self) -> list[EventView]:
        """The case's events as evaluator inputs, at absolute times."""
        now = self.aware_now()
        return [
            EventView(
                kind=event.kind,
                occurred_at=now - timedelta(hours=event.hours_ago),
                evidence=event.evidence,
                message_id=event.message,
                message_subject=event.subject,
                url=event.url,
                gpc=event.gpc,
            )
            for event in self.events
        ]

    def aware_now(self) -> datetime:
        """``now`` in UTC (a time without zone is taken as UTC)."""
        if self.now.tzinfo is None:
            return self.now.replace(tzinfo=UTC)
        return self.now.astimezone(UTC)


class _CaseFile(_Model):
    policy: str
    cases: list[Case] = Field(min_length=1)


def parse_cases(document: str | Mapping[str, Any]) -> tuple[str, list[Case]]:
    """The policy name and the cases of a case file (YAML text or a mapping).

    Raises:
        ValueError: the document is not YAML or not a valid case file (pydantic's
            ``ValidationError`` is a ``ValueError``).
    """
    data = yaml.safe_load(document) if isinstance(document, str) else document
    parsed = _CaseFile.model_validate(data)
    return parsed.policy, list(parsed.cases)


def load_cases(name: str) -> list[Case]:
    """The cases shipped for the built-in policy ``name`` (``policies/cases/{name}.yaml``).

    Raises:
        FileNotFoundError: no case file for that name.
        ValueError: the case file is invalid or names another policy.
    """
    resource = resources.files("policies").joinpath("cases", f"{name}.yaml")
    if not resource.is_file():
        raise FileNotFoundError(f"No test cases for policy {name!r} (policies/cases/{name}.yaml).")
    policy_name, cases = parse_cases(resource.read_text(encoding="utf-8"))
    if policy_name != name:
        raise ValueError(f"policies/cases/{name}.yaml is for policy {policy_name!r}, not {name!r}.")
    return cases


def run_case(policy: Policy, case: Case) -> list[str]:
    """Evaluate ``case`` under ``policy``; the mismatches, or an empty list if it passes."""
    decision = evaluate(
        policy,
        viewer=Viewer(role=case.viewer.role, user_id=case.viewer.user_id),
        prospect=ProspectView(**case.prospect.model_dump()),
        events=case.event_views(),
        now=case.aware_now(),
    )
    actual = [fact.as_dict() for fact in decision.facts]
    problems: list[str] = []
    if decision.rule != case.expect.rule:
        problems.append(f"expected rule {case.expect.rule!r}, got {decision.rule!r}")
    if len(actual) != len(case.expect.facts):
        problems.append(
            f"expected {len(case.expect.facts)} facts, got {len(actual)}: {actual} "
            f"(reasons: {decision.reasons})"
        )
    for index, (expected, got) in enumerate(zip(case.expect.facts, actual, strict=False)):
        for key, value in expected.items():
            if got.get(key) != value:
                problems.append(
                    f"fact {index} ({got.get('kind')}): expected {key} {value!r}, "
                    f"got {got.get(key)!r}"
                )
    for kind in case.expect.absent_kinds:
        if any(fact["kind"] == kind for fact in actual):
            problems.append(f"expected no {kind} facts, got some: {actual}")
    return problems
