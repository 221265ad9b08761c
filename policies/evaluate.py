"""The evaluator: stored events + viewer + prospect -> the facts that viewer may see.

This module is the product's disclosure contract. Its semantics, in order:

1. **Rule matching.** The first rule of the policy whose ``roles`` contains the viewer's
   role and whose every ``segments`` key matches the prospect wins. A key matches when
   the prospect's attribute equals one of the listed values, compared case-insensitively
   after trimming spaces; a prospect with no value for a key does not match that key.
   No matching rule means *default deny*: only ``email_sent`` facts, ``rule=None``.

2. **email_sent** is the rep's own act, so it is always shown to anyone who may read the
   timeline: one fact per sent event, subject = the message subject, detail ``full``,
   ``when`` exact, evidence ``sent``, no count, and no delay. ``sent`` is no evidence
   level: sending is the sender's act and says nothing about what the recipient did,
   so it is never presented as ``confirmed``.

3. **Consent beats disclosure.** A prospect who opted out, or (when the policy's
   ``honor_gpc`` is on) a prospect flagged for Sec-GPC/DNT or any of whose engagement
   events came with it, shows only ``email_sent``. The GPC flag of an event is the
   prospect's consent state, so it applies even when that event's kind is hidden.

4. **Filtering.** Engagement events map to kinds: ``open`` -> ``email_opened``,
   ``click`` -> ``link_clicked``, ``visit`` -> ``page_visited``. A kind whose detail is
   ``hidden`` (or that the rule does not list) produces nothing at all, and its events
   are not even counted in the reasons. Of the rest, events younger than the rule's
   ``delay_hours`` (``occurred_at > now - delay``, which also drops events from the
   future) and events below ``min_evidence`` are dropped. Evidence strength is
   machine < bot < human < confirmed; ``any`` keeps all, ``human`` keeps human and
   confirmed, ``confirmed`` keeps confirmed only. An unknown evidence string counts as
   ``machine``, the weakest.

5. **Grouping by detail.** ``exists`` and ``count``: one group per kind (subject
   ``None``). ``topic``: opens by message subject; clicks and visits by
   ``topic_of(policy, url)``; an unmatched click falls back to the destination host, an
   unmatched visit to ``"other pages"``. ``full``: opens by message subject; clicks by the
   URL without query or fragment (``scheme://host/path``); visits by the path alone.
   Within a group, events are split by evidence bucket: human and confirmed together
   (labelled ``confirmed`` if any is confirmed, else ``human``), machine alone, bot
   alone: a machine open is never merged into, or presented as, a read.

6. **The fact.** ``count`` (the number of events in the group) appears for detail
   ``count`` and above, never for ``exists``. ``when`` is the latest event of the group
   at the rule's time level: ``exact`` -> ``2026-11-20T14:03:00Z`` (UTC, seconds),
   ``day`` -> ``2026-11-20``, ``week`` -> ISO week ``2026-W47``, ``none`` -> absent.

7. **Order.** Facts are sorted by kind (email_sent, email_opened, link_clicked,
   page_visited), then subject, then evidence (strongest first), then the shown ``when``;
   never by a time the viewer may not see, so the order betrays nothing.

8. **No inference.** A click is not turned into an open, nor a visit into a click: an
   inferred fact would let a hidden kind leave a trace in a visible one. For the same
   reason a click confirmed by a later visit counts as ``human`` (for ``min_evidence``
   and its label) when the rule hides ``page_visited``.

Naive datetimes (``now`` or ``occurred_at``) are taken as UTC. ``evaluate`` never raises
for well-typed inputs; odd values (unknown roles, evidence or URLs) fall on the side of
showing less.

``Decision.reasons`` explain the decision for the audit log and for compliance ("why
can't I see this?"); they are never shown to reps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from policies.schema import (
    CONFIGURABLE_KINDS,
    Detail,
    FactKind,
    MinEvidence,
    Policy,
    Rule,
    TimeLevel,
)

__all__ = [
    "EVIDENCE_STRENGTH",
    "Decision",
    "EventView",
    "Fact",
    "ProspectView",
    "Viewer",
    "evaluate",
    "match_rule",
    "topic_of",
]

EventKind = Literal["email_sent", "open", "click", "visit"]

# Evidence classes, weakest first (see pixel.classify.Evidence).
EVIDENCE_STRENGTH: dict[str, int] = {"machine": 0, "bot": 1, "human": 2, "confirmed": 3}
_MIN_STRENGTH = {MinEvidence.ANY: 0, MinEvidence.HUMAN: 2, MinEvidence.CONFIRMED: 3}
_KIND_OF_EVENT: dict[str, FactKind] = {
    "open": FactKind.EMAIL_OPENED,
    "click": FactKind.LINK_CLICKED,
    "visit": FactKind.PAGE_VISITED,
}
_KIND_ORDER = {kind.value: index for index, kind in enumerate(FactKind)}
_EVIDENCE_ORDER = {"confirmed": 0, "human": 1, "bot": 2, "machine": 3}
OTHER_PAGES = "other pages"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their role decides which rule applies."""

    role: str
    user_id: int | None = None


@dataclass(frozen=True)
class ProspectView:
    """The prospect attributes a policy may segment on, and their consent state."""

    industry: str | None = None
    region: str | None = None
    company: str | None = None
    opted_out: bool = False
    gpc: bool = False  # the prospect refused tracking (Sec-GPC or DNT) at some point


class EventView(NamedTuple):
    """One stored event, as the evaluator needs it.

    ``url`` is the click's destination or the visited page's URL; ``evidence`` is one
    of machine, bot, human, confirmed; ``gpc`` says the request carried Sec-GPC or DNT.

    A named tuple, immutable like the other inputs: a reader builds one per stored
    event, a thousand for a busy prospect, and a tuple costs a third of a frozen dataclass
    to make (bench/RESULTS.md).
    """

    kind: EventKind
    occurred_at: datetime
    evidence: str = "human"
    message_id: int | None = None
    message_subject: str | None = None
    url: str | None = None
    gpc: bool = False


@dataclass(frozen=True)
class Fact:
    """One thing the viewer may see. ``count`` and ``when`` are ``None`` when withheld."""

    kind: str
    subject: str | None
    detail: str
    count: int | None
    when: str | None
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        """The fact as the API shows it: ``count`` and ``when`` omitted when withheld."""
        data: dict[str, Any] = {"kind": self.kind, "subject": self.subject, "detail": self.detail}
        if self.count is not None:
            data["count"] = self.count
        if self.when is not None:
            data["when"] = self.when
        data["evidence"] = self.evidence
        return data


@dataclass(frozen=True)
class Decision:
    """The visible facts, the rule that decided (``None``: default deny), and why.

    ``reasons`` are for the audit log and compliance staff, never for reps: they may
    mention that events were withheld.
    """

    facts: list[Fact]
    rule: str | None
    reasons: list[str] = field(default_factory=list)


def _norm(value: str) -> str:
    return value.strip().casefold()


def _segments_match(rule: Rule, prospect: ProspectView) -> bool:
    for key, allowed in rule.segments.items():
        value = getattr(prospect, key, None)
        if not isinstance(value, str) or not value.strip():
            return False
        if _norm(value) not in {_norm(option) for option in allowed}:
            return False
    return True


def match_rule(policy: Policy, *, viewer: Viewer, prospect: ProspectView) -> Rule | None:
    """The first rule granting ``viewer``'s role for this prospect, or ``None``."""
    for rule in policy.rules:
        if viewer.role in rule.roles and _segments_match(rule, prospect):
            return rule
    return None


def topic_of(policy: Policy, url: str | None) -> str | None:
    """The first topic one of whose globs matches the lowercased URL, or ``None``.

    Globs use ``fnmatch`` syntax and are matched case-insensitively against the whole
    URL, so ``*/pricing*`` matches ``https://example.com/Pricing?plan=team``.
    """
    if not url:
        return None
    lowered = url.lower()
    for topic, globs in policy.topics.items():
        if any(fnmatchcase(lowered, glob.lower()) for glob in globs):
            return topic
    return None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:  # as PostgreSQL sessions in UTC hand them back
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # within hours of year 1 or 9999: clamp, don't raise
        edge = datetime.min if moment.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)


def _when(moment: datetime, level: TimeLevel) -> str | None:
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    if level is TimeLevel.EXACT:
        return f"{day}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    if level is TimeLevel.DAY:
        return day
    if level is TimeLevel.WEEK:
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return None


def _split(url: str | None) -> tuple[str, str, str]:
    """(scheme, host, path) of a URL, lowercased scheme and host; empty when unparsable."""
    if not url:
        return "", "", ""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "", "", ""
    if port is not None:
        host = f"{host}:{port}"
    return parts.scheme.lower(), host, parts.path


def _subject(policy: Policy, kind: FactKind, detail: Detail, event: EventView) -> str | None:
    if detail < Detail.TOPIC:
        return None
    if kind is FactKind.EMAIL_OPENED:
        return event.message_subject
    scheme, host, path = _split(event.url)
    if detail is Detail.TOPIC:
        topic = topic_of(policy, event.url)
        if topic is not None:
            return topic
        if kind is FactKind.LINK_CLICKED:
            return host or None
        return OTHER_PAGES
    if kind is FactKind.LINK_CLICKED:
        if not host:
            return None
        return f"{scheme}://{host}{path}" if scheme else f"{host}{path}"
    return path or "/"


def _bucket(evidence: str) -> str:
    # human and confirmed are both reads; machine and bot stay apart and labelled.
    return "read" if evidence in ("human", "confirmed") else evidence


def _strength(evidence: str) -> int:
    return EVIDENCE_STRENGTH.get(evidence, 0)


def _label(evidence: str) -> str:
    return evidence if evidence in EVIDENCE_STRENGTH else "machine"


def _sort_key(fact: Fact) -> tuple[int, bool, str, int, str]:
    return (
        _KIND_ORDER.get(fact.kind, len(_KIND_ORDER)),
        fact.subject is not None,
        fact.subject or "",
        _EVIDENCE_ORDER.get(fact.evidence, len(_EVIDENCE_ORDER)),
        fact.when or "",
    )


def _plural(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"


def _sent_facts(events: Iterable[EventView]) -> list[Fact]:
    return [
        Fact(
            kind=FactKind.EMAIL_SENT.value,
            subject=event.message_subject,
            detail=Detail.FULL.value,
            count=None,
            when=_when(_utc(event.occurred_at), TimeLevel.EXACT),
            evidence="sent",
        )
        for event in events
        if event.kind == "email_sent"
    ]


def _engagement_facts(
    policy: Policy, rule: Rule, events: Sequence[EventView], now: datetime, reasons: list[str]
) -> list[Fact]:
    try:
        cutoff = now - timedelta(hours=rule.delay_hours)
    except OverflowError:  # a delay reaching before year 1 withholds everything
        cutoff = datetime.min.replace(tzinfo=UTC)
    min_strength = _MIN_STRENGTH[rule.min_evidence]
    # A click is "confirmed" by a later visit: with visits hidden, the label would betray one.
    visits_hidden = rule.visibility(FactKind.PAGE_VISITED).hidden
    delayed = weak = 0
    facts: list[Fact] = []
    for kind in CONFIGURABLE_KINDS:
        visibility = rule.visibility(kind)
        if visibility.hidden:
            reasons.append(f"{kind} hidden by rule {rule.name!r}")
            continue
        groups: dict[tuple[str | None, str], list[tuple[datetime, str]]] = {}
        # A prospect's events share a handful of subjects and URLs: each is worked out once.
        subjects: dict[tuple[str | None, str | None], str | None] = {}
        for event in events:
            if _KIND_OF_EVENT.get(event.kind) is not kind:
                continue
            occurred = _utc(event.occurred_at)
            if occurred > cutoff:
                delayed += 1
                continue
            evidence = _label(event.evidence)
            if evidence == "confirmed" and kind is FactKind.LINK_CLICKED and visits_hidden:
                evidence = "human"
            if _strength(evidence) < min_strength:
                weak += 1
                continue
            shown = (event.message_subject, event.url)
            if shown not in subjects:
                subjects[shown] = _subject(policy, kind, visibility.detail, event)
            key = (subjects[shown], _bucket(evidence))
            groups.setdefault(key, []).append((occurred, evidence))
        for (subject, bucket), members in groups.items():
            if bucket == "read":
                confirmed = any(evidence == "confirmed" for _, evidence in members)
                label = "confirmed" if confirmed else "human"
            else:
                label = bucket
            facts.append(
                Fact(
                    kind=kind.value,
                    subject=subject,
                    detail=visibility.detail.value,
                    count=len(members) if visibility.detail >= Detail.COUNT else None,
                    when=_when(max(moment for moment, _ in members), visibility.time),
                    evidence=label,
                )
            )
    if delayed:
        reasons.append(f"{_plural(delayed)} withheld by {rule.delay_hours:g}h delay")
    if weak:
        reasons.append(f"{_plural(weak)} below min_evidence {rule.min_evidence}")
    return facts


def evaluate(
    policy: Policy,
    *,
    viewer: Viewer,
    prospect: ProspectView,
    events: Sequence[EventView],
    now: datetime,
) -> Decision:
    """Decide which facts about ``prospect`` the ``viewer`` may see at ``now``.

    The semantics are those of this module's docstring: first matching rule, default
    deny, consent beats disclosure, delay and evidence filters, grouping by detail and
    evidence bucket, deterministic order. Never raises for well-typed inputs.
    """
    now = _utc(now)
    reasons: list[str] = []
    facts = _sent_facts(events)
    rule = match_rule(policy, viewer=viewer, prospect=prospect)
    engagement = [event for event in events if event.kind in _KIND_OF_EVENT]
    if rule is None:
        reasons.append(
            f"no rule matches role {viewer.role!r} for this prospect: "
            "only email_sent shown (default deny)"
        )
    else:
        reasons.append(f"matched rule {rule.name!r}")
        if prospect.opted_out:
            reasons.append("prospect opted out: only email_sent shown")
        elif policy.honor_gpc and (prospect.gpc or any(event.gpc for event in engagement)):
            reasons.append("prospect refused tracking (Sec-GPC/DNT): only email_sent shown")
        else:
            facts += _engagement_facts(policy, rule, engagement, now, reasons)
    facts.sort(key=_sort_key)
    return Decision(facts=facts, rule=rule.name if rule else None, reasons=reasons)
