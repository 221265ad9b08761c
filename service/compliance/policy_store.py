"""Policy documents versioned in the database, and which version is active."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from policies import Policy, load_policy, policy_to_document, resolve_policy
from service.models import PolicyActivation, PolicyVersion

__all__ = [
    "ActivePolicy",
    "ensure_active_policy",
    "get_active_policy",
    "latest_version",
    "store_version",
]


@dataclass(frozen=True)
class ActivePolicy:
    """The policy in force, with the name and version that readers and the audit log cite."""

    name: str
    version: int
    policy: Policy


def store_version(session: Session, *, policy: Policy, created_by: int | None) -> PolicyVersion:
    """Add ``policy`` as the next version of its name (not committed, not activated)."""
    latest = session.exec(
        select(sa.func.max(col(PolicyVersion.version))).where(
            col(PolicyVersion.name) == policy.name
        )
    ).one()
    row = PolicyVersion(
        name=policy.name,
        version=(latest or 0) + 1,
        document=json.dumps(policy_to_document(policy), sort_keys=True),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row


def latest_version(session: Session, *, policy: Policy) -> PolicyVersion | None:
    """The latest stored version of ``policy``'s name when it holds exactly ``policy``.

    Compared as parsed documents, not as text, so a version stored with other spacing
    or key order still counts as the same policy.
    """
    latest = session.exec(
        select(PolicyVersion)
        .where(col(PolicyVersion.name) == policy.name)
        .order_by(col(PolicyVersion.version).desc())
        .limit(1)
    ).first()
    if latest is None or json.loads(latest.document) != policy_to_document(policy):
        return None
    return latest


def ensure_active_policy(session: Session, *, name_or_path: str) -> None:
    """On a fresh install, store and activate ``CANDOR_POLICY``; later starts change nothing."""
    if session.exec(select(col(PolicyActivation.id))).first() is not None:
        return
    row = store_version(session, policy=resolve_policy(name_or_path), created_by=None)
    assert row.id is not None
    session.add(PolicyActivation(policy_version_id=row.id))
    try:
        session.commit()
    except IntegrityError:  # a parallel first start stored version 1 already
        session.rollback()


# The three columns a reader needs, not the ORM row: every timeline read asks, and
# loading an ORM object cost three times the query (bench/RESULTS.md).
_ACTIVE = (
    sa.select(col(PolicyVersion.name), col(PolicyVersion.version), col(PolicyVersion.document))
    .join(PolicyActivation, col(PolicyActivation.policy_version_id) == col(PolicyVersion.id))
    .order_by(col(PolicyActivation.id).desc())
    .limit(1)
)


def get_active_policy(session: Session) -> ActivePolicy:
    """The newest activation's policy version."""
    row = session.connection().execute(_ACTIVE).first()
    if row is None:
        raise LookupError("No policy is active; run `candor serve` or `candor migrate` first.")
    name, version, document = row
    return ActivePolicy(name=name, version=version, policy=load_policy(json.loads(document)))
