"""Upper bounds on when a viewer's timeline can date a prospect: for ranking lists.

A list ordered by "latest engagement" ranks prospects by the latest dated fact the
evaluator shows the viewer. Evaluating every prospect just to rank them is costly, so a
caller may narrow the candidates first with bounds that hold for *any* prospect, and
evaluate only those that can still reach the page. This module says what such a
bound is, from the policy alone, so that it never drifts from ``evaluate``:

- ``dating_windows`` names, per stored event kind, the loosest conditions under which
  some rule granting the viewer's role could turn an event of that kind into a dated
  fact: the earliest delay cutoff, the weakest evidence, the finest time level. An event
  outside its kind's window is never the ``when`` of a fact this viewer sees.
- ``bound_of`` reads an event's time at its window's time level, as a listing reads the
  evaluator's ``when`` back (the start of its second, day or ISO week). A fact's ``when`` is the latest member of its group at the rule's level, and
  every level is a floor (second, day, ISO week) no later than the finer ones, so the
  latest fact is never later than the largest ``bound_of`` over the prospect's events
  inside their windows.

Segments, consent and grouping only ever show *less*, so they are ignored here: the
bound is loose for some prospects, never wrong for any.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from policies.evaluate import _KIND_OF_EVENT, _MIN_STRENGTH, EVIDENCE_STRENGTH, _utc
from policies.schema import Policy, TimeLevel

__all__ = ["DatingWindow", "bound_of", "dating_windows"]


class DatingWindow(NamedTuple):
    """Where events of one stored ``kind`` may date a fact for some rule of a role.

    ``cutoff``: events after it are still inside every granting rule's delay (``None``:
    no delay at all, as for ``email_sent``). ``evidence``: the evidence classes some
    granting rule shows (``None``: any string, unknown ones included). ``time``: the
    finest time level a granting rule shows the kind at.
    """

    kind: str
    cutoff: datetime | None
    evidence: tuple[str, ...] | None
    time: TimeLevel


def dating_windows(policy: Policy, *, role: str, now: datetime) -> list[DatingWindow]:
    """The windows of every kind that can date a fact for ``role`` at ``now``.

    ``email_sent`` always dates (exact, no delay, any evidence); an engagement kind
    only where some rule granting ``role`` shows it with a time (``time: none`` dates
    nothing). Kinds no such rule dates are absent.
    """
    windows = [DatingWindow("email_sent", None, None, TimeLevel.EXACT)]
    now = _utc(now)
    rules = [rule for rule in policy.rules if role in rule.roles]
    for event_kind, fact_kind in _KIND_OF_EVENT.items():
        granting = [
            rule
            for rule in rules
            if not rule.visibility(fact_kind).hidden
            and rule.visibility(fact_kind).time is not TimeLevel.NONE
        ]
        if not granting:
            continue
        try:  # the evaluator's own cutoff, for the shortest delay
            cutoff = now - timedelta(hours=min(rule.delay_hours for rule in granting))
        except OverflowError:
            cutoff = datetime.min.replace(tzinfo=UTC)
        strength = min(_MIN_STRENGTH[rule.min_evidence] for rule in granting)
        evidence = (
            None
            if strength == 0  # "any": unknown strings count as machine and are shown
            else tuple(name for name, rank in EVIDENCE_STRENGTH.items() if rank >= strength)
        )
        finest = max((rule.visibility(fact_kind).time for rule in granting), key=lambda t: t.rank)
        windows.append(DatingWindow(event_kind, cutoff, evidence, finest))
    return windows


def bound_of(moment: datetime, level: TimeLevel) -> datetime:
    """The start of the period in which ``moment`` falls at ``level``, in UTC.

    Exactly what a fact dated by ``moment`` at ``level`` reads back as (``2026-W47``:
    that week's Monday, ``2026-11-20``: that day's midnight, an exact time: its second;
    tests/policies/test_dating.py checks it against the evaluator's text), computed
    without the text: a listing bounds tens of thousands of prospects this way.
    ``none`` dates nothing, so it has no period: the moment itself (still a bound).
    """
    moment = _utc(moment)
    if level is TimeLevel.EXACT:
        return moment.replace(microsecond=0)
    if level is TimeLevel.NONE:
        return moment
    day = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    if level is TimeLevel.DAY:
        return day
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
