"""Policy documents for compliance: create, version, activate, preview, impact."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from policies import (
    CONFIGURABLE_KINDS,
    Policy,
    PolicyError,
    load_policy,
    parse_yaml,
    policy_to_document,
    precision_change,
)
from service.compliance import audit
from service.compliance import impact as impact_counts
from service.compliance.policy_store import get_active_policy, store_version
from service.compliance.schemas import (
    Document,
    Impact,
    KindImpact,
    PolicySummary,
    PolicyVersionOut,
    Precision,
    Preview,
    RoleImpact,
    View,
)
from service.errors import not_found
from service.models import PolicyActivation, PolicyVersion, Prospect, User, utcnow
from service.prospects.service import public
from service.timeline.service import view

__all__ = [
    "activate",
    "create",
    "get_version",
    "impact",
    "list_policies",
    "list_versions",
    "parse_document",
    "preview",
    "update",
]


def parse_document(document: Document, *, name: str | None = None) -> Policy:
    """Validate a document; a missing ``name`` is taken from ``name``. 422 on any error."""
    mapping: Any = document
    if isinstance(document, str):
        try:
            mapping = parse_yaml(document)
        except PolicyError as error:
            raise _document_errors(error) from None
    if isinstance(mapping, Mapping) and name is not None and "name" not in mapping:
        mapping = {"name": name, **mapping}
    try:
        policy = load_policy(mapping)
    except PolicyError as error:
        raise _document_errors(error) from None
    if name is not None and policy.name != name:
        raise _document_errors(
            PolicyError(
                [
                    {
                        "loc": ("name",),
                        "msg": f"name: {policy.name!r} must be {name!r}",
                        "input": policy.name,
                    }
                ]
            )
        )
    return policy


def _document_errors(error: PolicyError) -> HTTPException:
    detail = []
    for item in error.errors:
        loc = list(item["loc"])
        if loc[:1] == ["document"]:  # the document as a whole, e.g. a YAML syntax error
            loc = loc[1:]
        where = ["body", "document", *loc]
        detail.append(
            {
                "type": "policy_error",
                "loc": where,
                "msg": item["msg"],
                "input": _plain(item.get("input")),
            }
        )
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


_MAX_INPUT_CHARS = 200


def _plain(value: Any) -> Any:
    """The offending value as JSON can carry it, and short: an odd type or a large value
    comes back as the start of its text."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return repr(value)[:_MAX_INPUT_CHARS]
    return json.loads(text) if len(text) <= _MAX_INPUT_CHARS else text[:_MAX_INPUT_CHARS] + "…"


def _versions(session: Session, name: str) -> list[PolicyVersion]:
    query = (
        select(PolicyVersion)
        .where(col(PolicyVersion.name) == name)
        .order_by(col(PolicyVersion.version))
    )
    return list(session.exec(query))


def _active_version_id(session: Session) -> int | None:
    query = (
        select(col(PolicyActivation.policy_version_id))
        .order_by(col(PolicyActivation.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def _out(row: PolicyVersion, active_id: int | None) -> PolicyVersionOut:
    return PolicyVersionOut(
        name=row.name,
        version=row.version,
        active=row.id == active_id,
        document=json.loads(row.document),
        created_at=row.created_at,
        created_by=row.created_by,
    )


def list_policies(session: Session) -> list[PolicySummary]:
    """Every policy name with its latest and active versions."""
    active_id = _active_version_id(session)
    summaries: dict[str, PolicySummary] = {}
    for row in session.exec(
        select(PolicyVersion).order_by(col(PolicyVersion.name), col(PolicyVersion.version))
    ):
        document = json.loads(row.document)
        current = summaries.get(row.name)
        summaries[row.name] = PolicySummary(
            name=row.name,
            description=document.get("description", ""),
            latest_version=row.version,
            active_version=row.version
            if row.id == active_id
            else (current.active_version if current else None),
        )
    return list(summaries.values())


def list_versions(session: Session, *, name: str) -> list[PolicyVersionOut]:
    """Every version of one policy, oldest first; 404 for an unknown name."""
    rows = _versions(session, name)
    if not rows:
        raise not_found("policy")
    active_id = _active_version_id(session)
    return [_out(row, active_id) for row in rows]


def get_version(session: Session, *, name: str, version: int | None = None) -> PolicyVersionOut:
    """One version of a policy (the latest by default); 404 when there is none."""
    rows = _versions(session, name)
    chosen = [row for row in rows if version is None or row.version == version]
    if not chosen:
        raise not_found("policy version" if rows else "policy")
    return _out(chosen[-1], _active_version_id(session))


def create(session: Session, *, user: User, name: str, document: Document) -> PolicyVersionOut:
    """Store a new policy as version 1 (409 if the name exists: PUT adds versions)."""
    policy = parse_document(document, name=name)
    if _versions(session, name):
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"Policy {name!r} exists; PUT /api/policies/{name} adds a version.",
        )
    row = store_version(session, policy=policy, created_by=user.id)
    audit.record(
        session,
        actor=user,
        action="policy.create",
        policy_name=name,
        policy_version=row.version,
        detail={"before": None, "after": policy_to_document(policy)},
    )
    session.commit()
    return _out(row, _active_version_id(session))


def update(session: Session, *, user: User, name: str, document: Document) -> PolicyVersionOut:
    """Store a new version of an existing policy (not activated)."""
    rows = _versions(session, name)
    if not rows:
        raise not_found("policy")
    policy = parse_document(document, name=name)
    row = store_version(session, policy=policy, created_by=user.id)
    audit.record(
        session,
        actor=user,
        action="policy.version",
        policy_name=name,
        policy_version=row.version,
        detail={"before": json.loads(rows[-1].document), "after": policy_to_document(policy)},
    )
    session.commit()
    return _out(row, _active_version_id(session))


def activate(
    session: Session,
    *,
    user: User | None,
    name: str,
    version: int,
    origin: Mapping[str, Any] | None = None,
) -> PolicyVersionOut:
    """Make one stored version the active policy, recording what it replaced.

    ``origin`` joins the audit detail: where an act without a signed-in user came from
    (the command line and its OS user).
    """
    row = next((r for r in _versions(session, name) if r.version == version), None)
    if row is None:
        raise not_found("policy version")
    assert row.id is not None
    before = get_active_policy(session)
    session.add(PolicyActivation(policy_version_id=row.id, activated_by=user.id if user else None))
    audit.record(
        session,
        actor=user,
        action="policy.activate",
        policy_name=name,
        policy_version=version,
        detail={
            "before": {"name": before.name, "version": before.version},
            "after": {"name": name, "version": version},
            **(origin or {}),
        },
    )
    session.commit()
    return _out(row, row.id)


def _facts_key(fact: Mapping[str, Any]) -> str:
    return json.dumps(fact, sort_keys=True)


def _precision(
    current: Policy,
    current_rule: str | None,
    draft: Policy,
    draft_rule: str | None,
    shown: set[str],
) -> list[Precision]:
    """Of the kinds ``shown`` under both policies, those whose rule changes how."""
    before = current.rule(current_rule) if current_rule else None
    after = draft.rule(draft_rule) if draft_rule else None
    if before is None or after is None:
        return []
    changes = []
    for kind in CONFIGURABLE_KINDS:
        if kind.value not in shown:
            continue
        change = precision_change(before, after, kind.value)
        if change.changed:
            changes.append(
                Precision(
                    kind=kind.value,
                    more=list(change.more),
                    less=list(change.less),
                    current=dict(change.before),
                    draft=dict(change.after),
                )
            )
    return changes


def preview(
    session: Session, *, user: User, document: Document, prospect_id: int, role: str
) -> Preview:
    """The timeline ``role`` would see of a prospect under a draft, beside today's."""
    draft_policy = parse_document(document)
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise not_found()
    active = get_active_policy(session)
    current = view(session, policy=active.policy, role=role, user_id=None, prospect=prospect)
    draft = view(session, policy=draft_policy, role=role, user_id=None, prospect=prospect)
    current_keys = {_facts_key(f) for f in current.facts}
    draft_keys = {_facts_key(f) for f in draft.facts}
    audit.record(
        session,
        actor=user,
        action="policy.preview",
        prospect_id=prospect.id,
        policy_name=draft_policy.name,
        rule=draft.decision.rule,
        facts_shown=len(draft.facts),
        detail={"role": role},
    )
    session.commit()
    return Preview(
        prospect=public(session, prospect),
        role=role,
        current=View(
            policy={"name": active.name, "version": active.version, "rule": current.decision.rule},
            facts=current.facts,
            openers=current.openers,
        ),
        draft=View(
            policy={"name": draft_policy.name, "version": None, "rule": draft.decision.rule},
            facts=draft.facts,
            openers=draft.openers,
        ),
        revealed=[f for f in draft.facts if _facts_key(f) not in current_keys],
        withdrawn=[f for f in current.facts if _facts_key(f) not in draft_keys],
        precision=_precision(
            active.policy,
            current.decision.rule,
            draft_policy,
            draft.decision.rule,
            {f["kind"] for f in current.facts} & {f["kind"] for f in draft.facts},
        ),
    )


def impact(session: Session, *, user: User, document: Document, roles: list[str]) -> Impact:
    """Across every prospect: which kinds a draft would reveal or withdraw, per role and rule.

    Counted per group of prospects and from a summary of their events
    (``service.compliance.impact``), with the answer of evaluating every timeline.
    """
    draft_policy = parse_document(document)
    active = get_active_policy(session)
    counted = impact_counts.count(
        session, current=active.policy, draft=draft_policy, roles=roles, now=utcnow()
    )
    total, kinds, rules = counted.total, counted.kinds, counted.rules
    audit.record(
        session,
        actor=user,
        action="policy.impact",
        policy_name=draft_policy.name,
        detail={"roles": roles, "prospects": total},
    )
    session.commit()
    return Impact(
        prospects=total,
        policy={
            "current": {"name": active.name, "version": active.version},
            "draft": {"name": draft_policy.name},
        },
        roles={
            role: RoleImpact(
                kinds={
                    kind: KindImpact(**{k: c[k] for k in KindImpact.model_fields})
                    for kind, c in kinds[role].items()
                },
                rules_current=dict(rules[role][0]),
                rules_draft=dict(rules[role][1]),
            )
            for role in roles
        },
    )
