"""Reading a prospect's timeline through the active disclosure policy.

Rows never leave this module: events become ``EventView`` inputs for
``policies.evaluate``, and only the facts it returns reach the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col

from policies import Decision, EventView, Policy, ProspectView, Viewer, evaluate
from policies.coach import recommend
from service.compliance import audit
from service.compliance.policy_store import ActivePolicy, get_active_policy
from service.errors import forbidden, not_found
from service.models import Event, Link, Message, Prospect, User, utcnow
from service.people import service as people
from service.people.service import Consent
from service.prospects.access import READ_TIMELINE_ROLES, readable_filter

__all__ = [
    "TimelineRead",
    "View",
    "event_view_queries",
    "event_views",
    "event_views_by_prospect",
    "events_since",
    "prospect_view",
    "read",
    "timeline_start",
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
    _StoryRows = sa.Select[int | None, str, datetime, datetime, int | None, str]
    _EventRows = sa.Select[str, datetime, str, int | None, int | None, str | None]

# The events' time as the driver hands it (aware on PostgreSQL, naive UTC on SQLite),
# without UTCDateTime's per-row conversion: the evaluator reads naive as UTC and
# converts each time it uses once (``policies.evaluate``).
_OCCURRED_AT = sa.type_coerce(col(Event.occurred_at), sa.DateTime(timezone=True))


@dataclass(frozen=True)
class _Story:
    """A prospect's messages: their subjects, their links' destinations, and where its
    events can start (see ``events_since``)."""

    subjects: dict[int | None, str]
    destinations: dict[int | None, str]
    since: datetime | None


def _story_query(where: Any) -> _StoryRows:
    # One row per link (or per message without links): two index lookups on the
    # prospect, not a join of the events with the message and link tables, which
    # PostgreSQL's planner answers by hashing both whole tables for a busy prospect.
    return (
        sa.select(
            col(Message.id),
            col(Message.subject),
            col(Message.sent_at),
            col(Message.created_at),
            col(Link.id),
            col(Link.url),
        )
        .outerjoin(Link, col(Link.message_id) == col(Message.id))
        .where(where)
    )


# Built once, run with the prospect's values: a statement built anew for every read
# cost more to build and to key for the compiled cache than to run (bench/RESULTS.md).
_STORY = _story_query(col(Message.prospect_id) == sa.bindparam("prospect_id"))
_EVENTS = (
    sa.select(
        col(Event.kind),
        _OCCURRED_AT,
        col(Event.evidence),
        col(Event.message_id),
        col(Event.link_id),
        col(Event.url),
    )
    .where(col(Event.prospect_id) == sa.bindparam("prospect_id"), col(Event.kind).in_(_KINDS))
    .order_by(col(Event.occurred_at))
)
_EVENTS_SINCE = _EVENTS.where(col(Event.occurred_at) >= sa.bindparam("since"))


def timeline_start(moments: Iterable[datetime | None]) -> datetime | None:
    """Where a prospect's timeline starts reading events: a margin before the first
    time any of its messages was sent or stored (None: no message yet)."""
    known = [moment for moment in moments if moment is not None]
    return min(known) - _CLOCK_MARGIN if known else None


def _story(rows: Iterable[Sequence[Any]]) -> _Story:
    subjects: dict[int | None, str] = {}
    destinations: dict[int | None, str] = {}
    moments: list[datetime | None] = []
    for message_id, subject, sent_at, created_at, link_id, url in rows:
        subjects[message_id] = subject
        if link_id is not None:
            destinations[link_id] = url
        moments += (sent_at, created_at)
    return _Story(subjects, destinations, timeline_start(moments))


def events_since(connection: sa.Connection, *, prospect_id: int) -> datetime | None:
    """The earliest time the prospect's events can carry, or None when it has no message.

    Every event follows a message to the prospect (``email_sent`` at its ``sent_at``,
    hits after it was stored), so the events query may start there: on PostgreSQL that
    prunes it to the monthly partitions since (service.tracking.partitions). A day of
    margin absorbs the clocks of several replicas.
    """
    return _story(connection.execute(_STORY, {"prospect_id": prospect_id}).all()).since


def event_view_queries(
    prospect_id: int, *, since: datetime | None = None
) -> tuple[_StoryRows, _EventRows]:
    """The two statements ``event_views`` runs: the prospect's messages with their links
    (subjects, destinations, and ``events_since``), then its events from ``since``.

    Public so that the benchmark explains exactly these.
    """
    story = _STORY.params(prospect_id=prospect_id)
    if since is None:
        return story, _EVENTS.params(prospect_id=prospect_id)
    return story, _EVENTS_SINCE.params(prospect_id=prospect_id, since=since)


def _views(rows: Iterable[Sequence[Any]], story: _Story) -> list[EventView]:
    subjects, destinations = story.subjects, story.destinations
    # Positional, in EventView's field order: keywords cost a third more per event.
    return [
        EventView(
            kind,
            occurred_at,
            evidence,
            message_id,
            subjects.get(message_id),
            destinations.get(link_id) if kind == "click" else url,
        )
        for kind, occurred_at, evidence, message_id, link_id, url in rows
    ]


def event_views(session: Session, *, prospect_id: int) -> list[EventView]:
    """The prospect's stored events as evaluator inputs, oldest first, in two queries.

    Plain rows of the columns the evaluator reads, not ORM objects: building a
    thousand of those cost more than the queries themselves.
    """
    connection = session.connection()
    story = _story(connection.execute(_STORY, {"prospect_id": prospect_id}).all())
    if story.since is None:
        events = connection.execute(_EVENTS, {"prospect_id": prospect_id})
    else:
        events = connection.execute(
            _EVENTS_SINCE, {"prospect_id": prospect_id, "since": story.since}
        )
    # fetched at once: iterating the result would fetch row by row
    return _views(events.all(), story)


# Ids per IN list: far under SQLite's and PostgreSQL's bound-parameter limits.
_ID_CHUNK = 900


def event_views_by_prospect(
    session: Session, *, prospect_ids: Sequence[int]
) -> dict[int, list[EventView]]:
    """The stored events of many prospects at once, as evaluator inputs, oldest first.

    The same inputs ``event_views`` builds for one prospect, read with two queries
    per chunk of ids instead of two per prospect, so that a list of prospects can be
    ordered and badged by what each one's timeline shows.
    """
    connection = session.connection()
    views: dict[int, list[EventView]] = {prospect_id: [] for prospect_id in prospect_ids}
    ids = list(views)
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        story = _story(connection.execute(_story_query(col(Message.prospect_id).in_(chunk))).all())
        rows = connection.execute(
            sa.select(
                col(Event.prospect_id),
                col(Event.kind),
                _OCCURRED_AT,
                col(Event.evidence),
                col(Event.message_id),
                col(Event.link_id),
                col(Event.url),
            )
            .where(col(Event.prospect_id).in_(chunk), col(Event.kind).in_(_KINDS))
            .order_by(col(Event.occurred_at))
        ).all()
        grouped: dict[int, list[Sequence[Any]]] = {}
        for prospect_id, *event in rows:
            assert prospect_id is not None  # the query selects by prospect id
            grouped.setdefault(prospect_id, []).append(event)
        for prospect_id, events in grouped.items():
            views[prospect_id] = _views(events, story)
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


def _readable_with_consent(
    session: Session, *, user: User, prospect_id: int
) -> tuple[Prospect, Consent]:
    """``get_readable`` and the person's consent in one query; 404 when out of reach."""
    row = session.execute(
        people.with_consent(
            sa.select(Prospect).where(col(Prospect.id) == prospect_id, readable_filter(user)),
            col(Prospect.person_id),
        )
    ).first()
    if row is None:
        raise not_found()
    prospect, reason, suppressed_at, refused_at = row
    return prospect, Consent(reason, suppressed_at, refused_at)


def read(
    session: Session, *, user: User, prospect_id: int, action: str = "timeline.read"
) -> TimelineRead:
    """The facts and openers ``user`` may see for one prospect, recorded in the audit log."""
    if user.role not in READ_TIMELINE_ROLES:
        raise forbidden("Compliance staff read timelines through POST /api/policies/preview.")
    prospect, consent = _readable_with_consent(session, user=user, prospect_id=prospect_id)
    active = get_active_policy(session)
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
