"""What the transparency page shows, and the opt-out and opt-in it offers.

The page opens for whoever holds the email, and the rep who prepared it holds it too. So
it must never tell a rep more than the policy and the console do: it shows the record
whose link was followed (its owner, what the owner and their manager see, its events),
and of the person's other records (other reps who added the same address) only how many
there are, since a colleague's prospect is not this rep's to read; it gives each event's
day, never its time, browser or network; and it lists what the person did only in whole
days older than the policy's longest delay, so a rep reloading it learns the day, not the
minute. The whole record is the person's on request, through the controller's contact,
answered with compliance's export. Opting out applies to the person, so to every record
at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from pixel.tokens import BadToken, Purpose
from policies import Policy
from service.compliance.policy_store import get_active_policy
from service.models import Event, Message, Prospect, User, utcnow
from service.people import service as people
from service.people.service import Consent
from service.runtime import Runtime
from service.timeline.service import view

__all__ = [
    "FACT_KINDS",
    "Transparency",
    "find_prospect",
    "is_genuine",
    "may_resume",
    "opt_in",
    "opt_out",
    "read",
    "resume_proof",
]

# Stored event kinds in the timeline's fact vocabulary (one vocabulary everywhere the
# person or a compliance officer reads their data).
FACT_KINDS = {
    "email_sent": "email_sent",
    "open": "email_opened",
    "click": "link_clicked",
    "visit": "page_visited",
}
# The English words of the JSON's ``what`` (kept for clients that read it); the page
# words each kind in its template.
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
    suppressed: str | None  # why: opted_out | erased | added (None: not suppressed)
    tracking_refused: bool
    policy: dict[str, Any]
    recorded: list[dict[str, Any]]
    recorded_before: str  # the day (UTC) from which the person's acts are not listed yet
    other_records: int  # other reps' records of the same person, not shown here
    records: list[dict[str, Any]]  # each owner's record: who holds it and what they see
    rep_sees: list[dict[str, Any]]  # the owner of the record whose link was followed
    manager_sees: list[dict[str, Any]] | None  # their manager, when that differs

    def as_dict(self) -> dict[str, Any]:
        return {
            "opted_out": self.opted_out,
            "suppressed": self.suppressed,
            "tracking_refused": self.tracking_refused,
            "policy": self.policy,
            "recorded": self.recorded,
            "recorded_before": self.recorded_before,
            "other_records": self.other_records,
            "records": self.records,
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


def is_genuine(runtime: Runtime, token: str) -> bool:
    """Whether the token is one Candor signed (its record may since have been erased)."""
    try:
        runtime.signer.verify(Purpose.PAGE, token)
    except BadToken:
        return False
    return True


def resume_proof(runtime: Runtime, *, prospect: Prospect) -> str:
    """What the browser that opted this person out keeps, to be allowed to resume."""
    return runtime.signer.sign(Purpose.RESUME, prospect.ref)


def may_resume(
    session: Session, runtime: Runtime, *, prospect: Prospect, cookie: str | None
) -> bool:
    """Whether ``cookie`` was left by opting out this prospect's person (through any of
    their records): only that browser may resume, not anyone else holding the email."""
    if not cookie:
        return False
    try:
        ref = runtime.signer.verify(Purpose.RESUME, cookie)
    except BadToken:
        return False
    record = session.exec(select(Prospect).where(col(Prospect.ref) == ref)).first()
    return record is not None and record.person_id == prospect.person_id


def _seen_by(
    session: Session, *, policy: Policy, record: Prospect, owner: User | None, consent: Consent
) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None, User | None]:
    """What the record's owner sees, what their manager sees where it differs, and who
    that manager is."""

    def facts_for(role: str, user_id: int | None) -> list[dict[str, Any]]:
        return view(
            session,
            policy=policy,
            role=role,
            user_id=user_id,
            prospect=record,
            consent=consent,
        ).facts

    # The salesperson is whoever owns the record: a rep, or a manager selling too.
    owner_role = owner.role if owner is not None and owner.role == "manager" else "rep"
    seen = facts_for(owner_role, owner.id if owner else None)
    manager = None
    manager_seen = None
    if owner is not None and owner.role == "rep" and owner.manager_id is not None:
        manager = session.get(User, owner.manager_id)
        manager_seen = facts_for("manager", owner.manager_id)
        if manager_seen == seen:
            manager_seen = None
    return seen, manager_seen, manager


def listed_before(now: datetime, longest_delay_hours: float) -> datetime:
    """The midnight (UTC) before which the person's opens, clicks and visits are listed:
    the start of the day that holds ``now`` less the policy's longest delay. Whole days
    appear at once, so watching the page tells no one the hour of anything."""
    held = now - timedelta(hours=longest_delay_hours)
    return held.replace(hour=0, minute=0, second=0, microsecond=0)


def read(session: Session, *, prospect: Prospect, now: datetime | None = None) -> Transparency:
    """What was recorded through the record whose link was followed, by day, and what its
    salespeople see today; how many other records the person has."""
    others = len(people.records_of(session, prospect.person_id)) - 1
    consent = people.consent_of(session, prospect.person_id)
    owner = session.get(User, prospect.owner_id)
    active = get_active_policy(session)
    longest = max((rule.delay_hours for rule in active.policy.rules), default=0.0)
    before = listed_before(now or utcnow(), longest)
    # The sender is whoever prepared the email (Message.sender_id), not the record's
    # owner today: a prospect handed to another rep keeps its first owner's emails.
    rows = session.exec(
        select(Event, col(Message.subject), col(User.name))
        .outerjoin(Message, col(Event.message_id) == col(Message.id))
        .outerjoin(User, col(Message.sender_id) == col(User.id))
        .where(col(Event.prospect_id) == prospect.id)
        .where((col(Event.kind) == "email_sent") | (col(Event.occurred_at) < before))
        .order_by(col(Event.occurred_at), col(Event.id))
    ).all()
    recorded = []
    for event, subject, sender in rows:
        recorded.append(
            {
                "kind": FACT_KINDS.get(event.kind, event.kind),
                "what": KIND_LABELS.get(event.kind, event.kind),
                "when": event.occurred_at.strftime("%Y-%m-%d"),
                "email": subject,
                # A page visit belongs to no email, so it has no sender.
                "sender": sender,
                # Sending is the sender's act: no evidence of anything the person did.
                "evidence": None if event.kind == "email_sent" else event.evidence,
            }
        )
    rep_sees, manager_sees, manager = _seen_by(
        session, policy=active.policy, record=prospect, owner=owner, consent=consent
    )
    listed = [
        {
            "owner": owner.name if owner else None,
            "added": prospect.created_at.strftime("%Y-%m-%d"),
            "language": prospect.language,
            "this_link": True,
            "owner_sees": rep_sees,
            "manager": manager.name if manager is not None else None,
            "manager_sees": manager_sees,
        }
    ]
    return Transparency(
        opted_out=consent.opted_out,
        suppressed=consent.suppressed,
        tracking_refused=consent.tracking_refused_at is not None,
        policy={
            "name": active.name,
            "version": active.version,
            "description": active.policy.description,
            "retention_days": active.policy.retention_days,
        },
        recorded=recorded,
        recorded_before=before.strftime("%Y-%m-%d"),
        other_records=max(others, 0),
        records=listed,
        rep_sees=rep_sees,
        manager_sees=manager_sees,
    )


def opt_out(session: Session, *, prospect: Prospect) -> bool:
    """Stop open and click tracking for this person, through every record, and hide
    their past facts from every owner; commits. Returns whether anything changed."""
    return people.opt_out(session, prospect=prospect)


def opt_in(session: Session, *, prospect: Prospect) -> bool:
    """Resume tracking for this person: their suppression goes; commits."""
    return people.opt_in(session, prospect=prospect)
