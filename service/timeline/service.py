"""Reading a prospect's timeline through the active disclosure policy.

Rows never leave this module: events become ``EventView`` inputs for
``policies.evaluate``, and only the facts it returns reach the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col

from policies import Decision, EventView, Policy, ProspectView, Viewer, evaluate
from policies.coach import recommend
from service.compliance import audit
from service.compliance.policy_store import ActivePolicy, get_active_policy
from service.errors import forbidden
from service.models import Event, Link, Message, Prospect, User, utcnow
from service.people import service as people
from service.people.service import Consent
from service.prospects.access import READ_TIMELINE_ROLES, get_readable

__all__ = [
    "TimelineRead",
    "View",
    "event_view_queries",
    "event_views",
    "event_views_by_prospect",
    "events_since",
    "prospect_view",
    "read",
    "view",
]

_KINDS = ("email_sent", "open", "click", "visit")
_CLOCK_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class View:
    """One evaluation: the decision, and the facts and openers it lets through."""

    decision: Decision
    facts: list[dict[str, Any]]
    openers: list[dict[str, str]]


@dataclass(frozen=True)
class TimelineRead:
    """A reader's evaluated read of one prospect under the active policy."""

    prospect: Prospect
    active: ActivePolicy
    view: View
    consent: Consent


if TYPE_CHECKING:  # SQLAlchemy 2.1's variadic Select, which 2.0 cannot subscript at run time
    _Pairs = sa.Select[int | None, str]
    _EventRows = sa.Select[str, datetime, str, int | None, int | None, str | None]


def events_since(connection: sa.Connection, *, prospect_id: int) -> datetime | None:
    """The earliest time the prospect's events can carry, or None when it has no message.

    Every event follows a message to the prospect (``email_sent`` at its ``sent_at``,
    hits after it was stored), so the events query may start there: on PostgreSQL that
    prunes it to the monthly partitions since (service.tracking.partitions). A day of
    margin absorbs the clocks of several replicas.
    """
    first_sent, first_stored = connection.execute(
        sa.select(sa.func.min(col(Message.sent_at)), sa.func.min(col(Message.created_at))).where(
            col(Message.prospect_id) == prospect_id
        )
    ).one()
    known = [when for when in (first_sent, first_stored) if when is not None]
    if not known:
        return None
    first = min(when if when.tzinfo else when.replace(tzinfo=UTC) for when in known)
    return first - _CLOCK_MARGIN


def event_view_queries(
    prospect_id: int, *, since: datetime | None = None
) -> tuple[_Pairs, _Pairs, _EventRows]:
    """The three statements ``event_views`` runs: subjects, link destinations, events
    (from ``since``, see ``events_since``).

    Three index lookups instead of one join: joined, PostgreSQL's planner hashes the
    whole message and link tables for a busy prospect. Public so that the benchmark
    explains exactly these.
    """
    subjects = sa.select(col(Message.id), col(Message.subject)).where(
        col(Message.prospect_id) == prospect_id
    )
    destinations = (
        sa.select(col(Link.id), col(Link.url))
        .join(Message, col(Link.message_id) == col(Message.id))
        .where(col(Message.prospect_id) == prospect_id)
    )
    events = (
        sa.select(
            col(Event.kind),
            col(Event.occurred_at),
            col(Event.evidence),
            col(Event.message_id),
            col(Event.link_id),
            col(Event.url),
        )
        .where(col(Event.prospect_id) == prospect_id, col(Event.kind).in_(_KINDS))
        .order_by(col(Event.occurred_at))
    )
    if since is not None:
        events = events.where(col(Event.occurred_at) >= since)
    return subjects, destinations, events


def event_views(session: Session, *, prospect_id: int) -> list[EventView]:
    """The prospect's stored events as evaluator inputs.

    Plain rows of the columns the evaluator reads, not ORM objects: building a
    thousand of those cost more than the queries themselves.
    """
    connection = session.connection()
    since = events_since(connection, prospect_id=prospect_id)
    subjects_query, destinations_query, events_query = event_view_queries(prospect_id, since=since)
    subjects: dict[int | None, str] = dict(connection.execute(subjects_query).all())
    destinations: dict[int | None, str] = dict(connection.execute(destinations_query).all())
    return [
        EventView(
            kind=kind,  # type: ignore[arg-type]  # the query keeps only _KINDS
            occurred_at=occurred_at,
            evidence=evidence,
            message_id=message_id,
            message_subject=subjects.get(message_id),
            url=destinations.get(link_id) if kind == "click" else url,
        )
        # fetched at once: iterating the result would fetch row by row
        for kind, occurred_at, evidence, message_id, link_id, url in connection.execute(
            events_query
        ).all()
    ]


# Ids per IN list: far under SQLite's and PostgreSQL's bound-parameter limits.
_ID_CHUNK = 900


def event_views_by_prospect(
    session: Session, *, prospect_ids: Sequence[int]
) -> dict[int, list[EventView]]:
    """The stored events of many prospects at once, as evaluator inputs, oldest first.

    The same inputs ``event_views`` builds for one prospect, read with three queries
    per chunk of ids instead of three per prospect, so that a list of prospects can be
    ordered and badged by what each one's timeline shows.
    """
    connection = session.connection()
    views: dict[int, list[EventView]] = {prospect_id: [] for prospect_id in prospect_ids}
    ids = list(views)
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        subjects: dict[int | None, str] = dict(
            connection.execute(
                sa.select(col(Message.id), col(Message.subject)).where(
                    col(Message.prospect_id).in_(chunk)
                )
            ).all()
        )
        destinations: dict[int | None, str] = dict(
            connection.execute(
                sa.select(col(Link.id), col(Link.url))
                .join(Message, col(Link.message_id) == col(Message.id))
                .where(col(Message.prospect_id).in_(chunk))
            ).all()
        )
        rows = connection.execute(
            sa.select(
                col(Event.prospect_id),
                col(Event.kind),
                col(Event.occurred_at),
                col(Event.evidence),
                col(Event.message_id),
                col(Event.link_id),
                col(Event.url),
            )
            .where(col(Event.prospect_id).in_(chunk), col(Event.kind).in_(_KINDS))
            .order_by(col(Event.occurred_at))
        )
        for prospect_id, kind, occurred_at, evidence, message_id, link_id, url in rows.all():
            assert prospect_id is not None  # the query selects by prospect id
            views[prospect_id].append(
                EventView(
                    kind=kind,  # type: ignore[arg-type]  # the query keeps only _KINDS
                    occurred_at=occurred_at,
                    evidence=evidence,
                    message_id=message_id,
                    message_subject=subjects.get(message_id),
                    url=destinations.get(link_id) if kind == "click" else url,
                )
            )
    return views


def prospect_view(prospect: Prospect, consent: Consent) -> ProspectView:
    """The prospect attributes a policy may segment on, and its person's consent state."""
    return ProspectView(
        industry=prospect.industry,
        region=prospect.region,
        company=prospect.company,
        opted_out=consent.opted_out,
        gpc=consent.tracking_refused_at is not None,
    )


def view(
    session: Session,
    *,
    policy: Policy,
    role: str,
    user_id: int | None,
    prospect: Prospect,
    consent: Consent | None = None,
) -> View:
    """What a viewer of ``role`` sees of ``prospect`` under ``policy``: facts and openers.

    ``consent`` is the person's, read here when not given.
    """
    assert prospect.id is not None
    if consent is None:
        consent = people.consent_of(session, prospect.person_id)
    decision = evaluate(
        policy,
        viewer=Viewer(role=role, user_id=user_id),
        prospect=prospect_view(prospect, consent),
        events=event_views(session, prospect_id=prospect.id),
        now=utcnow(),
    )
    facts = [fact.as_dict() for fact in decision.facts]
    openers = [opener.as_dict() for opener in recommend(facts, prospect_name=prospect.name)]
    return View(decision=decision, facts=facts, openers=openers)


def read(
    session: Session, *, user: User, prospect_id: int, action: str = "timeline.read"
) -> TimelineRead:
    """The facts and openers ``user`` may see for one prospect, recorded in the audit log."""
    if user.role not in READ_TIMELINE_ROLES:
        raise forbidden("Compliance staff read timelines through POST /api/policies/preview.")
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    active = get_active_policy(session)
    consent = people.consent_of(session, prospect.person_id)
    seen = view(
        session,
        policy=active.policy,
        role=user.role,
        user_id=user.id,
        prospect=prospect,
        consent=consent,
    )
    audit.record(
        session,
        actor=user,
        action=action,
        prospect_id=prospect.id,
        policy_name=active.name,
        policy_version=active.version,
        rule=seen.decision.rule,
        facts_shown=len(seen.facts),
        detail={
            "kinds": sorted({str(fact["kind"]) for fact in seen.facts}),
            "reasons": seen.decision.reasons,
        },
    )
    session.commit()
    return TimelineRead(prospect=prospect, active=active, view=seen, consent=consent)
