"""Data-subject rights: export everything about a person, erase it, expire old data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from service.compliance import audit
from service.errors import not_found
from service.models import ErasedLink, Event, Link, Message, Prospect, User, utcnow
from service.tracking.partitions import drop_expired_partitions

__all__ = ["erase", "export", "find_by_email", "purge_expired"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def find_by_email(session: Session, *, user: User, email: str) -> list[Prospect]:
    """Every prospect record holding this email, whoever owns it (case-insensitive).

    A data-subject request names a person, not a record: each rep who added them holds
    a record of their own. The audit entry counts the matches and keeps no email, so an
    erased person is not remembered by the log of the search for them.
    """
    wanted = email.strip().lower()
    query = (
        select(Prospect)
        .where(sa.func.lower(col(Prospect.email)) == wanted)
        .order_by(col(Prospect.id))
    )
    found = list(session.exec(query))
    audit.record(session, actor=user, action="prospect.find", detail={"matches": len(found)})
    session.commit()
    return found


def export(session: Session, *, user: User, prospect_id: int) -> dict[str, Any]:
    """Everything stored about one prospect (GDPR Art. 15), as JSON-able data."""
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise not_found()
    messages = list(
        session.exec(
            select(Message).where(col(Message.prospect_id) == prospect_id).order_by(col(Message.id))
        )
    )
    message_ids = [m.id for m in messages]
    links = (
        list(
            session.exec(
                select(Link).where(col(Link.message_id).in_(message_ids)).order_by(col(Link.id))
            )
        )
        if message_ids
        else []
    )
    events = list(
        session.exec(
            select(Event).where(col(Event.prospect_id) == prospect_id).order_by(col(Event.id))
        )
    )
    audit.record(session, actor=user, action="prospect.export", prospect_id=prospect_id)
    session.commit()
    return {
        "exported_at": utcnow().isoformat(),
        "prospect": {
            "id": prospect.id,
            "email": prospect.email,
            "name": prospect.name,
            "company": prospect.company,
            "industry": prospect.industry,
            "region": prospect.region,
            "owner_id": prospect.owner_id,
            "created_at": _iso(prospect.created_at),
            "opted_out_at": _iso(prospect.opted_out_at),
            "tracking_refused_at": _iso(prospect.tracking_refused_at),
        },
        "messages": [
            {
                "id": m.id,
                "subject": m.subject,
                "sent_at": _iso(m.sent_at),
                "sender_id": m.sender_id,
                "html": m.html or None,  # "" marks a text-only email
                "text": m.text,
            }
            for m in messages
        ],
        "links": [
            {
                "id": link.id,
                "message_id": link.message_id,
                "url": link.url,
                "honeypot": link.honeypot,
            }
            for link in links
        ],
        "events": [
            {
                "id": e.id,
                "kind": e.kind,
                "message_id": e.message_id,
                "link_id": e.link_id,
                "occurred_at": _iso(e.occurred_at),
                "received_at": _iso(e.received_at),
                "evidence": e.evidence,
                "reasons": [r for r in e.reasons.split(",") if r],
                "user_agent": e.user_agent,
                "ip_prefix": e.ip_prefix,
                "site": e.site,
                "url": e.url,
                "title": e.title,
                "referrer": e.referrer,
                "visitor_id": e.visitor_id,
            }
            for e in events
        ],
        "visitor_ids": sorted(
            {e.visitor_id for e in events if e.kind == "click" and e.visitor_id is not None}
        ),
    }


def erase(session: Session, *, user: User, prospect_id: int) -> dict[str, int]:
    """Erase a prospect and everything derived from them (GDPR Art. 17).

    Tracked links keep redirecting (their destinations are the sender's own URLs) but
    every later hit on the person's tokens records nothing.
    """
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise not_found()
    message_ids = list(
        session.exec(select(col(Message.id)).where(col(Message.prospect_id) == prospect_id))
    )
    links = (
        list(session.exec(select(Link).where(col(Link.message_id).in_(message_ids))))
        if message_ids
        else []
    )
    for link in links:
        if not link.honeypot:
            session.merge(ErasedLink(ref=link.ref, url=link.url))
    visitor_ids = _visitor_ids(session, col(Event.prospect_id) == prospect_id)
    counts = {
        "events": _delete(
            session,
            delete(Event).where(
                sa.or_(
                    col(Event.prospect_id) == prospect_id,
                    col(Event.message_id).in_(message_ids),
                    col(Event.visitor_id).in_(visitor_ids),
                )
            ),
        ),
        "visitors": len(visitor_ids),  # gone with their clicks
        "links": _delete(session, delete(Link).where(col(Link.message_id).in_(message_ids))),
        "messages": _delete(
            session, delete(Message).where(col(Message.prospect_id) == prospect_id)
        ),
    }
    session.delete(prospect)
    audit.record(
        session, actor=user, action="prospect.erase", prospect_id=prospect_id, detail=counts
    )
    session.commit()
    return counts


def _visitor_ids(session: Session, *where: Any) -> list[str]:
    """The visitor ids handed out on the clicks matching ``where``."""
    query = select(col(Event.visitor_id)).where(
        col(Event.kind) == "click", col(Event.visitor_id).is_not(None), *where
    )
    return [vid for vid in session.exec(query) if vid is not None]


def _delete(session: Session, statement: Any) -> int:
    return int(session.exec(statement).rowcount or 0)


def purge_expired(
    session: Session, *, retention_days: int, now: datetime | None = None
) -> dict[str, int]:
    """Delete engagement events, and with their clicks the visitor ids, older than the
    retention period.

    On PostgreSQL whole expired months go at once (service.tracking.partitions); the
    rest is deleted row by row, in only the partitions that can still hold any.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    dropped = drop_expired_partitions(session.connection(), cutoff=cutoff)
    if dropped.dropped_until is not None:
        # Detaching holds the event table exclusively: release it before the slow part.
        session.commit()
    expired = col(Event.occurred_at) < cutoff
    if dropped.dropped_until is not None:  # prunes the months already done
        expired = sa.and_(expired, col(Event.occurred_at) >= dropped.dropped_until)
    visitors = session.exec(
        select(sa.func.count())
        .select_from(Event)
        .where(expired, col(Event.kind) == "click", col(Event.visitor_id).is_not(None))
    ).one()
    deleted = _delete(session, delete(Event).where(expired, col(Event.kind) != "email_sent"))
    counts = {
        "events": dropped.events + deleted,
        "visitors": dropped.visitors + int(visitors),
    }
    audit.record(
        session,
        actor=None,
        action="retention.purge",
        detail={"cutoff": cutoff.isoformat(), **counts},
    )
    session.commit()
    return counts
