"""Which kinds of engagement a viewer would see of a prospect, from a summary of its events.

A policy's impact (how many prospects would gain or lose each kind of fact under a
draft) asks less of a prospect than its timeline: only whether each kind appears at all.
Whether ``evaluate`` shows a kind depends on the matched rule, the consent state, and,
per kind, whether any of its events is old enough for the rule's delay and strong
enough for its evidence bar. So the earliest event per (event kind, evidence) decides,
and that is what ``EventSummary`` keeps (a database can compute it with ``MIN`` and
``GROUP BY``). ``visible_kinds`` gives exactly the engagement kinds of
``evaluate(...).facts`` and its rule; the test suite checks that on random inputs.

Whether a kind is visible is not the whole impact: a kind that stays visible can be
shown with more detail, a finer time or a shorter delay (or less of each).
``precision_change`` compares the two rules that decide for one viewer and prospect,
kind by kind, and ``delay_changes`` the delays of the rules two policies share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from policies.evaluate import (
    _KIND_OF_EVENT,
    _MIN_STRENGTH,
    EventView,
    ProspectView,
    Viewer,
    _label,
    _strength,
    _utc,
    match_rule,
)
from policies.schema import FactKind, Policy, Rule

__all__ = [
    "DelayChange",
    "EventSummary",
    "PrecisionChange",
    "delay_changes",
    "kinds_under",
    "precision_change",
    "summarize",
    "visible_kinds",
]


@dataclass(frozen=True)
class EventSummary:
    """A prospect's engagement events reduced to what decides which kinds show.

    ``earliest`` maps (event kind: open, click or visit; evidence as stored) to the
    earliest ``occurred_at`` of such events; ``gpc``: any of them carried Sec-GPC/DNT.
    Other event kinds (``email_sent``) are not kept: they never decide a kind.
    """

    earliest: Mapping[tuple[str, str], datetime] = field(default_factory=dict)
    gpc: bool = False


def summarize(events: Iterable[EventView]) -> EventSummary:
    """The summary of events as ``evaluate`` takes them."""
    earliest: dict[tuple[str, str], datetime] = {}
    gpc = False
    for event in events:
        if event.kind not in _KIND_OF_EVENT:
            continue
        gpc = gpc or event.gpc
        key = (event.kind, event.evidence)
        moment = _utc(event.occurred_at)
        if key not in earliest or moment < earliest[key]:
            earliest[key] = moment
    return EventSummary(earliest, gpc)


def visible_kinds(
    policy: Policy,
    *,
    viewer: Viewer,
    prospect: ProspectView,
    events: EventSummary,
    now: datetime,
) -> tuple[str | None, frozenset[str]]:
    """The rule that decides (``None``: default deny) and the engagement kinds
    (``email_opened``, ``link_clicked``, ``page_visited``) that ``evaluate`` would show."""
    rule = match_rule(policy, viewer=viewer, prospect=prospect)
    if rule is None:
        return None, frozenset()
    return rule.name, kinds_under(policy, rule, prospect=prospect, events=events, now=now)


def kinds_under(
    policy: Policy, rule: Rule, *, prospect: ProspectView, events: EventSummary, now: datetime
) -> frozenset[str]:
    """The engagement kinds ``evaluate`` shows when ``rule`` decides (``visible_kinds``
    for a caller that matched the rule already, once for many prospects)."""
    if not events.earliest or prospect.opted_out:
        return frozenset()
    if policy.honor_gpc and (prospect.gpc or events.gpc):
        return frozenset()
    try:
        cutoff = _utc(now) - timedelta(hours=rule.delay_hours)
    except OverflowError:  # as evaluate: a delay reaching before year 1 withholds everything
        cutoff = datetime.min.replace(tzinfo=UTC)
    min_strength = _MIN_STRENGTH[rule.min_evidence]
    shown_kinds = {kind: not rule.visibility(kind).hidden for kind in _KIND_OF_EVENT.values()}
    visits_hidden = not shown_kinds[FactKind.PAGE_VISITED]
    shown: set[str] = set()
    for (kind, evidence), moment in events.earliest.items():
        fact_kind = _KIND_OF_EVENT.get(kind)
        if fact_kind is None or not shown_kinds[fact_kind] or fact_kind.value in shown:
            continue
        if _utc(moment) > cutoff:
            continue
        label = _label(evidence)
        if label == "confirmed" and fact_kind is FactKind.LINK_CLICKED and visits_hidden:
            label = "human"  # evaluate's rule: a click is not confirmed by a hidden visit
        if _strength(label) >= min_strength:
            shown.add(fact_kind.value)
    return frozenset(shown)


Aspect = Literal["detail", "time", "delay"]


@dataclass(frozen=True)
class PrecisionChange:
    """How one kind that two rules both show changes from ``before`` to ``after``.

    ``more`` names the aspects the second rule shows more precisely or sooner, ``less``
    those it shows less precisely or later, each among ``detail`` (exists < count <
    topic < full), ``time`` (none < week < day < exact) and ``delay`` (a shorter
    ``delay_hours`` is sooner). A change can be in both, such as more detail a day later.
    ``before`` and ``after`` hold each aspect's value, for saying what changed.
    """

    kind: str
    more: tuple[Aspect, ...]
    less: tuple[Aspect, ...]
    before: Mapping[str, str | float]
    after: Mapping[str, str | float]

    @property
    def changed(self) -> bool:
        """Whether any aspect differs."""
        return bool(self.more or self.less)


def precision_change(before: Rule, after: Rule, kind: str) -> PrecisionChange:
    """How ``after`` shows ``kind`` compared with ``before``: detail, time and delay.

    Meant for a kind both rules show; for a hidden kind the detail compares as
    ``hidden``, below every shown level.

    Raises:
        ValueError: ``kind`` is not an engagement kind (``email_opened``,
            ``link_clicked``, ``page_visited``).
    """
    if kind not in {fact_kind.value for fact_kind in _KIND_OF_EVENT.values()}:
        raise ValueError(f"not an engagement kind: {kind!r}")
    old, new = before.visibility(kind), after.visibility(kind)
    more: list[Aspect] = []
    less: list[Aspect] = []
    aspects: tuple[tuple[Aspect, float, float], ...] = (
        ("detail", old.detail.rank, new.detail.rank),
        ("time", old.time.rank, new.time.rank),
        # a shorter delay is sooner: compare the negated hours
        ("delay", -before.delay_hours, -after.delay_hours),
    )
    for aspect, was, now in aspects:
        if now > was:
            more.append(aspect)
        elif now < was:
            less.append(aspect)
    return PrecisionChange(
        kind=kind,
        more=tuple(more),
        less=tuple(less),
        before={"detail": old.detail.value, "time": old.time.value, "delay": before.delay_hours},
        after={"detail": new.detail.value, "time": new.time.value, "delay": after.delay_hours},
    )


@dataclass(frozen=True)
class DelayChange:
    """A rule both policies have, by name, whose ``delay_hours`` differs."""

    rule: str
    before: float
    after: float


def delay_changes(before: Policy, after: Policy) -> list[DelayChange]:
    """The rules of ``after`` that ``before`` has too (by name) with another delay, in
    ``after``'s order. Rules only one policy has are not listed."""
    changes = []
    for rule in after.rules:
        old = before.rule(rule.name)
        if old is not None and old.delay_hours != rule.delay_hours:
            changes.append(DelayChange(rule.name, old.delay_hours, rule.delay_hours))
    return changes
