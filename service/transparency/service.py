"""What the transparency page shows, and the opt-out it offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from pixel.tokens import BadToken, Purpose
from service.compliance.policy_store import get_active_policy
from service.models import Event, Link, Message, Prospect, User, utcnow
from service.runtime import Runtime
from service.timeline.service import view

__all__ = ["Transparency", "find_prospect", "opt_out", "read"]

KIND_LABELS = {
    "email_sent": "email sent",
    "open": "email opened",
    "click": "link clicked",
    "visit": "page visited",
}


@dataclass(frozen=True)
class Transparency:
    """Everything the page shows; also its JSON form."""

    opted_out: bool
    tracking_refused: bool
    policy: dict[str, Any]
    recorded: list[dict[str, Any]]
    rep_sees: list[dict[str, Any]]  # the salesperson who owns the prospect
    manager_sees: list[dict[str, Any]] | None  # their manager, when that differs

    def as_dict(self) -> dict[str, Any]:
        return {
            "opted_out": self.opted_out,
            "tracking_refused": self.tracking_refused,
            "policy": self.policy,
            "recorded": self.recorded,
            "rep_sees": self.rep_sees,
            "manager_sees": self.manager_sees,
        }


def find_prospect(session: Session, runtime: Runtime, token: str) -> Prospect | None:
    """The prospect a transparency token names, or None for a bad or erased one."""
    try:
        ref = runtime.signer.verify(Purpose.PAGE, token)
    except BadToken:
        return None
    return session.exec(select(Prospect).where(col(Prospect.ref) == ref)).first()


def read(session: Session, *, prospect: Prospect) -> Transparency:
    """What was recorded about this person, and exactly what the salesperson who owns
    them (and, where it differs, that salesperson's manager) sees today."""
    rows = session.exec(
        select(Event, col(Message.subject), col(Link.url))
        .outerjoin(Message, col(Event.message_id) == col(Message.id))
        .outerjoin(Link, col(Event.link_id) == col(Link.id))
        .where(col(Event.prospect_id) == prospect.id)
        .order_by(col(Event.occurred_at))
    ).all()
    recorded = [
        {
            "what": KIND_LABELS.get(event.kind, event.kind),
            "when": event.occurred_at.strftime("%Y-%m-%d %H:%M UTC"),
            "email": subject,
            "address": link_url if event.kind == "click" else event.url,
            "evidence": event.evidence,
            "network": event.ip_prefix,
            "browser": event.user_agent,
        }
        for event, subject, link_url in rows
    ]
    active = get_active_policy(session)
    owner = session.get(User, prospect.owner_id)

    def facts_for(role: str, user_id: int | None) -> list[dict[str, Any]]:
        return view(
            session, policy=active.policy, role=role, user_id=user_id, prospect=prospect
        ).facts

    # The salesperson is whoever owns the prospect: a rep, or a manager selling too.
    owner_role = owner.role if owner is not None and owner.role == "manager" else "rep"
    seen = facts_for(owner_role, owner.id if owner else None)
    manager_seen = None
    if owner is not None and owner.role == "rep" and owner.manager_id is not None:
        manager_seen = facts_for("manager", owner.manager_id)
        if manager_seen == seen:
            manager_seen = None
    return Transparency(
        opted_out=prospect.opted_out_at is not None,
        tracking_refused=prospect.tracking_refused_at is not None,
        policy={
            "name": active.name,
            "version": active.version,
            "description": active.policy.description,
        },
        recorded=recorded,
        rep_sees=seen,
        manager_sees=manager_seen,
    )


def opt_out(session: Session, *, prospect: Prospect) -> None:
    """Stop open and click tracking for this person and hide their past facts from reps."""
    if prospect.opted_out_at is None:
        prospect.opted_out_at = utcnow()
        session.add(prospect)
        session.commit()
