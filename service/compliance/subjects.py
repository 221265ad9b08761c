"""Data-subject rights: export everything about a person, erase it, expire old data.

A request is about a person, not one owner's record: export and erasure reach every
record of the person's address, whichever record (or the address itself) names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from service.compliance import audit
from service.errors import not_found
from service.models import (
    ErasedLink,
    Event,
    Link,
    Message,
    Person,
    Prospect,
    Suppression,
    User,
    utcnow,
)
from service.people import service as people
from service.tracking.partitions import drop_expired_partitions

__all__ = [
    "EVENT_KINDS",
    "Erasure",
    "Subject",
    "erase",
    "erase_by_email",
    "export",
    "export_by_email",
    "find_by_email",
    "purge_expired",
]

# Stored event kinds as the export names them: the timeline's fact vocabulary.
EVENT_KINDS = {
    "email_sent": "email_sent",
    "open": "email_opened",
    "click": "link_clicked",
    "visit": "page_visited",
}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Subject:
    """A data subject as a search finds them: their person (None: no record holds the
    address), every owner's record of them, and their suppression if any."""

    person_id: int | None
    records: list[Prospect]
    suppression: Suppression | None


def find_by_email(session: Session, *, user: User, email: str) -> Subject:
    """The person with this address (normalised: blanks, Unicode form and case do not
    matter), every owner's record of them, and whether the address is suppressed.

    A data-subject request names a person, not a record: each rep who added them holds
    a record of their own. The audit entry counts the matches and keeps no email, so an
    erased person is not remembered by the log of the search for them.
    """
    digest = people.hash_of(session, email)
    person = session.exec(select(Person).where(col(Person.address_hash) == digest)).first()
    records = people.records_of(session, person.id) if person and person.id else []
    suppression = session.exec(
        select(Suppression).where(col(Suppression.address_hash) == digest)
    ).first()
    audit.record(
        session,
        actor=user,
        action="prospect.find",
        detail={"matches": len(records), "suppressed": suppression is not None},
    )
    session.commit()
    return Subject(person.id if person else None, records, suppression)


def _person_of(session: Session, prospect_id: int) -> Prospect:
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise not_found()
    return prospect


def _person_by_email(session: Session, email: str) -> int:
    digest = people.hash_of(session, email)
    person_id = session.exec(
        select(col(Person.id)).where(col(Person.address_hash) == digest)
    ).first()
    if person_id is None:
        raise not_found("person")
    return person_id


def export(session: Session, *, user: User, prospect_id: int) -> dict[str, Any]:
    """Everything stored about the person behind one record (GDPR Art. 15), across every
    owner's record of them; ``prospect`` is the record asked about."""
    prospect = _person_of(session, prospect_id)
    return _export(session, user=user, person_id=prospect.person_id, asked=prospect)


def export_by_email(session: Session, *, user: User, email: str) -> dict[str, Any]:
    """Everything stored about the person with this address (404 when no record holds
    it); ``prospect`` is their oldest record."""
    return _export(session, user=user, person_id=_person_by_email(session, email), asked=None)


def _record(prospect: Prospect) -> dict[str, Any]:
    return {
        "id": prospect.id,
        "email": prospect.email,
        "name": prospect.name,
        "company": prospect.company,
        "industry": prospect.industry,
        "region": prospect.region,
        "language": prospect.language,
        "owner_id": prospect.owner_id,
        "created_at": _iso(prospect.created_at),
    }


def _export(
    session: Session, *, user: User, person_id: int, asked: Prospect | None
) -> dict[str, Any]:
    records = people.records_of(session, person_id)
    person = session.get(Person, person_id)
    assert person is not None and records, "a person exists while a record of them does"
    consent = people.consent_of(session, person_id)
    record_ids = [record.id for record in records]
    messages = list(
        session.exec(
            select(Message)
            .where(col(Message.prospect_id).in_(record_ids))
            .order_by(col(Message.id))
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
            select(Event).where(col(Event.prospect_id).in_(record_ids)).order_by(col(Event.id))
        )
    )
    asked = asked or records[0]
    audit.record(
        session,
        actor=user,
        action="prospect.export",
        prospect_id=asked.id,
        detail={"person_id": person_id, "prospects": record_ids},
    )
    session.commit()
    return {
        "exported_at": utcnow().isoformat(),
        "prospect": {
            **_record(asked),
            "opted_out_at": _iso(consent.suppressed_at),
            "tracking_refused_at": _iso(consent.tracking_refused_at),
        },
        "person": {
            "id": person_id,
            "created_at": _iso(person.created_at),
            "opted_out": consent.opted_out,
            "suppressed": consent.suppressed,
            "opted_out_at": _iso(consent.suppressed_at),
            "tracking_refused_at": _iso(consent.tracking_refused_at),
        },
        "prospects": [_record(record) for record in records],
        "messages": [
            {
                "id": m.id,
                "prospect_id": m.prospect_id,
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
                "prospect_id": e.prospect_id,
                # The timeline's fact vocabulary (EVENT_KINDS maps the stored kinds).
                "kind": EVENT_KINDS.get(e.kind, e.kind),
                "message_id": e.message_id,
                "link_id": e.link_id,
                "occurred_at": _iso(e.occurred_at),
                "received_at": _iso(e.received_at),
                # Sending is the sender's act: no evidence of anything the person did.
                "evidence": None if e.kind == "email_sent" else e.evidence,
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


@dataclass(frozen=True)
class Erasure:
    """What an erasure deleted, and whose person it was (for the collector's caches)."""

    person_id: int
    counts: dict[str, int]


def erase(session: Session, *, user: User, prospect_id: int) -> Erasure:
    """Erase the person behind one record (GDPR Art. 17): every owner's record of them."""
    prospect = _person_of(session, prospect_id)
    return _erase(session, user=user, person_id=prospect.person_id, asked=prospect_id)


def erase_by_email(session: Session, *, user: User, email: str) -> Erasure:
    """Erase the person with this address (404 when no record holds it)."""
    return _erase(session, user=user, person_id=_person_by_email(session, email), asked=None)


def _erase(session: Session, *, user: User, person_id: int, asked: int | None) -> Erasure:
    """Every record of the person, their messages, links, events and the visitor ids of
    their clicks (with every visit those ids tied to them) go, then the person; their
    address hash stays on the suppression list (reason ``erased``), so a later record
    of them is not tracked. Tracked links keep redirecting (their destinations are the
    sender's own URLs) but every later hit on the person's tokens records nothing.
    """
    person = session.get(Person, person_id)
    assert person is not None
    record_ids = [record.id for record in people.records_of(session, person_id)]
    message_ids = list(
        session.exec(select(col(Message.id)).where(col(Message.prospect_id).in_(record_ids)))
    )
    links = (
        list(session.exec(select(Link).where(col(Link.message_id).in_(message_ids))))
        if message_ids
        else []
    )
    for link in links:
        if not link.honeypot:
            session.merge(ErasedLink(ref=link.ref, url=link.url))
    visitor_ids = _visitor_ids(session, col(Event.prospect_id).in_(record_ids))
    counts = {
        "prospects": len(record_ids),
        "events": _delete(
            session,
            delete(Event).where(
                sa.or_(
                    col(Event.prospect_id).in_(record_ids),
                    col(Event.message_id).in_(message_ids),
                    col(Event.visitor_id).in_(visitor_ids),
                )
            ),
        ),
        "visitors": len(visitor_ids),  # gone with their clicks
        "links": _delete(session, delete(Link).where(col(Link.message_id).in_(message_ids))),
        "messages": _delete(
            session, delete(Message).where(col(Message.prospect_id).in_(record_ids))
        ),
    }
    _delete(session, delete(Prospect).where(col(Prospect.id).in_(record_ids)))
    suppression = people.suppress(session, digest=person.address_hash, reason="erased", actor=user)
    session.delete(person)
    audit.record(
        session,
        actor=user,
        action="prospect.erase",
        prospect_id=asked,
        detail={
            **counts,
            "person_id": person_id,
            "prospect_ids": record_ids,
            "suppression_id": suppression.id,
        },
    )
    session.commit()
    return Erasure(person_id=person_id, counts=counts)


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
