"""A prospect's latest visible fact: what lists are ordered and badged by.

The key is computed from the facts ``policies.evaluate`` lets this viewer see, and from
nothing else: an event still inside the policy's delay, below its evidence bar, of a
hidden kind, or of a prospect who opted out, is not a fact, so it cannot move a
prospect up a list. A fact's time is read at the granularity the viewer was shown
(``2026-W47`` means that week's Monday, ``2026-11-20`` that day's midnight, UTC), so
the order is no finer than the timeline it summarises.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from policies import Policy, Viewer, evaluate
from service.models import Prospect, User, utcnow
from service.people import service as people
from service.people.service import Consent
from service.prospects.access import READ_TIMELINE_ROLES
from service.timeline.service import event_views_by_prospect, prospect_view

__all__ = ["latest_facts", "shown_time"]

_ENGAGEMENT_FIRST = {"email_sent": 0}  # on a tie, an engagement fact is the badge


def shown_time(when: str | None) -> datetime | None:
    """The start of the period a fact's ``when`` names, in UTC; None when it has none.

    ``exact`` times (``2026-11-20T14:03:00Z``), days (``2026-11-20``) and ISO weeks
    (``2026-W47``) are the evaluator's three shapes; anything else reads as undated.
    """
    if not when:
        return None
    try:
        if "-W" in when:
            year, week = when.split("-W", 1)
            return datetime.combine(
                date.fromisocalendar(int(year), int(week), 1), datetime.min.time(), UTC
            )
        if "T" in when:
            return datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UTC)
        return datetime.combine(date.fromisoformat(when), datetime.min.time(), UTC)
    except ValueError:
        return None


def _latest(facts: list[dict[str, Any]]) -> dict[str, Any] | None:
    dated = [(shown_time(fact.get("when")), fact) for fact in facts]
    candidates = [(moment, fact) for moment, fact in dated if moment is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: (pair[0], _ENGAGEMENT_FIRST.get(pair[1]["kind"], 1)))[1]


def latest_facts(
    session: Session,
    *,
    policy: Policy,
    user: User,
    prospects: Sequence[Prospect],
    now: datetime | None = None,
) -> dict[int, dict[str, Any] | None]:
    """Each prospect's latest dated fact as ``user`` would see it on the timeline.

    Everyone outside ``READ_TIMELINE_ROLES`` gets None for every prospect: compliance
    staff and admins read no timelines, so lists show them no engagement at all.
    ``now`` (default: the current time) is the moment of the read: a ranking that
    bounded the facts at some moment evaluates them at the same one.
    """
    ids = [prospect.id for prospect in prospects if prospect.id is not None]
    if user.role not in READ_TIMELINE_ROLES:
        return dict.fromkeys(ids)
    events = event_views_by_prospect(session, prospect_ids=ids)
    consent = people.consents(session, [prospect.person_id for prospect in prospects])
    viewer = Viewer(role=user.role, user_id=user.id)
    if now is None:
        now = utcnow()
    latest: dict[int, dict[str, Any] | None] = {}
    for prospect in prospects:
        assert prospect.id is not None
        if not events[prospect.id]:
            latest[prospect.id] = None  # every fact, email_sent included, is an event
            continue
        decision = evaluate(
            policy,
            viewer=viewer,
            prospect=prospect_view(prospect, consent.get(prospect.person_id, Consent())),
            events=events[prospect.id],
            now=now,
        )
        latest[prospect.id] = _latest([fact.as_dict() for fact in decision.facts])
    return latest
