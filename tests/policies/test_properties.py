"""Properties of the evaluator over random policies, viewers, prospects and events.

1. No fact exceeds what the matched rule allows.
2. A hidden kind leaves no trace.
3. A stricter policy never reveals more.
4. ``evaluate`` never raises.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from policies import (
    CONFIGURABLE_KINDS,
    EVIDENCE_STRENGTH,
    SEGMENT_KEYS,
    Decision,
    Detail,
    EventView,
    Fact,
    FactKind,
    MinEvidence,
    Policy,
    ProspectView,
    Role,
    Rule,
    TimeLevel,
    Viewer,
    evaluate,
    load_policy,
    match_rule,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEGMENT_VALUES = ["finance", "Retail", "eu", "us", "acme"]
SUBJECTS = ["Hello", "Pricing for Q4", None]
URLS = [
    "https://acme.example/pricing?plan=team",
    "https://acme.example/trust#soc2",
    "https://acme.example/blog/post",
    "https://docs.partner.example/guide",
    "https://acme.example",
    None,
]
KIND_OF_EVENT = {"open": "email_opened", "click": "link_clicked", "visit": "page_visited"}
MIN_STRENGTH = {"any": 0, "human": 2, "confirmed": 3}
WHEN_FORMATS = {
    TimeLevel.EXACT: r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
    TimeLevel.DAY: r"^\d{4}-\d{2}-\d{2}$",
    TimeLevel.WEEK: r"^\d{4}-W\d{2}$",
}

# ---------------------------------------------------------------------------
# Strategies

visibilities = st.fixed_dictionaries(
    {
        "detail": st.sampled_from([d.value for d in Detail if d is not Detail.HIDDEN]),
        "time": st.sampled_from([t.value for t in TimeLevel]),
    }
)


@st.composite
def shows(draw: st.DrawFn) -> dict[str, Any]:
    """Per configurable kind: a visibility (most often), the `hidden` shorthand, or absent."""
    show: dict[str, Any] = {}
    for kind in CONFIGURABLE_KINDS:
        choice = draw(st.sampled_from(["visible", "visible", "visible", "hidden", "absent"]))
        if choice == "visible":
            show[kind.value] = draw(visibilities)
        elif choice == "hidden":
            show[kind.value] = "hidden"
    return show


rules = st.fixed_dictionaries(
    {
        "roles": st.lists(
            st.sampled_from([r.value for r in Role]), min_size=1, max_size=3, unique=True
        ),
        "segments": st.just({})
        | st.dictionaries(
            st.sampled_from(SEGMENT_KEYS),
            st.lists(st.sampled_from(SEGMENT_VALUES), min_size=1, max_size=2),
            max_size=2,
        ),
        "delay_hours": st.sampled_from([0, 0.5, 24, 48, 72.25]),
        "min_evidence": st.sampled_from([m.value for m in MinEvidence]),
        "show": shows(),
    }
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    drawn = draw(st.lists(rules, min_size=1, max_size=4))
    return load_policy(
        {
            "name": "random",
            "honor_gpc": draw(st.booleans()),
            "topics": draw(
                st.sampled_from(
                    [
                        {},
                        {"pricing": ["*/pricing*"]},
                        {"pricing": ["*/pricing*"], "security": ["*/trust*", "*/security*"]},
                    ]
                )
            ),
            "rules": [{"name": f"rule-{index}", **rule} for index, rule in enumerate(drawn)],
        }
    )


viewers = st.builds(
    Viewer,
    role=st.sampled_from(["rep", "rep", "manager", "manager", "compliance", "admin", "intern"]),
)
rarely = st.sampled_from([False] * 7 + [True])
seldom = st.sampled_from([False] * 29 + [True])  # per event: one GPC event withholds all
prospects = st.builds(
    ProspectView,
    industry=st.sampled_from([None, *SEGMENT_VALUES]),
    region=st.sampled_from([None, "EU", "us"]),
    company=st.sampled_from([None, "ACME"]),
    opted_out=rarely,
    gpc=rarely,
)


# Around the delays the policies use, and anywhere from the future to weeks ago.
hours_ago = st.sampled_from([100, 30, 200, 0, 0.5, 1, 23.9, 24, 48, 72.25, 80, 170]) | st.integers(
    -5, 400
).map(float)


@st.composite
def event_views(draw: st.DrawFn) -> EventView:
    return EventView(
        kind=draw(st.sampled_from(["email_sent", "open", "click", "visit"])),
        occurred_at=NOW - timedelta(hours=draw(hours_ago)),
        evidence=draw(st.sampled_from(["human", "confirmed", "machine", "bot"])),
        message_id=draw(st.sampled_from([None, 1, 2])),
        message_subject=draw(st.sampled_from(SUBJECTS)),
        url=draw(st.sampled_from(URLS)),
        gpc=draw(seldom),
    )


events_lists = st.lists(event_views(), min_size=2, max_size=25)


def run(
    policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView]
) -> Decision:
    return evaluate(policy, viewer=viewer, prospect=prospect, events=events, now=NOW)


def engagement_withheld(policy: Policy, prospect: ProspectView, events: list[EventView]) -> bool:
    refused = prospect.gpc or any(e.gpc for e in events if e.kind != "email_sent")
    return prospect.opted_out or (policy.honor_gpc and refused)


def evidence_seen(rule: Rule, event: EventView) -> str:
    """A click confirmed by a visit counts as a person's where the rule hides visits."""
    hidden_visits = rule.visibility(FactKind.PAGE_VISITED).hidden
    if event.kind == "click" and event.evidence == "confirmed" and hidden_visits:
        return "human"
    return event.evidence


def eligible(rule: Rule, event: EventView) -> bool:
    """Old enough for the rule's delay and strong enough for its evidence floor."""
    old_enough = event.occurred_at <= NOW - timedelta(hours=rule.delay_hours)
    strength = EVIDENCE_STRENGTH[evidence_seen(rule, event)]
    return old_enough and strength >= MIN_STRENGTH[rule.min_evidence]


def when_at(moment: datetime, level: TimeLevel) -> str | None:
    if level is TimeLevel.NONE:
        return None
    if level is TimeLevel.WEEK:
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return moment.strftime("%Y-%m-%d" if level is TimeLevel.DAY else "%Y-%m-%dT%H:%M:%SZ")


def coarsen(when: str, level: TimeLevel) -> str:
    """A shown ``when`` (exact, day or week) at a coarser ``level`` (day or week)."""
    if "W" in when or level is TimeLevel.EXACT:
        return when
    day = date.fromisoformat(when[:10])
    if level is TimeLevel.DAY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def by_kind(facts: list[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.kind != "email_sent":
            grouped[fact.kind].append(fact)
    return grouped


def bucket(evidence: str) -> str:
    return "read" if evidence in ("human", "confirmed") else evidence


# ---------------------------------------------------------------------------
# Properties


ANY_EVIDENCE = load_policy(
    {
        "name": "any-evidence",
        "rules": [
            {
                "name": "reps",
                "roles": ["rep"],
                "min_evidence": "any",
                "show": {"email_opened": {"detail": "count", "time": "day"}},
            }
        ],
    }
)
MACHINE_AND_HUMAN_OPENS = [
    EventView(kind="open", occurred_at=NOW - timedelta(hours=5), evidence=evidence)
    for evidence in ("machine", "human", "bot", "confirmed")
]


class TestNoFactExceedsTheMatchedRule:
    @settings(max_examples=100, deadline=None)
    @given(policy=policies(), viewer=viewers, prospect=prospects, events=events_lists)
    @example(
        policy=ANY_EVIDENCE,
        viewer=Viewer(role="rep"),
        prospect=ProspectView(),
        events=MACHINE_AND_HUMAN_OPENS,
    )
    def test_every_engagement_fact_is_within_the_rules_levels_delay_and_evidence(
        self, policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView]
    ) -> None:
        import re

        decision = run(policy, viewer, prospect, events)
        rule = match_rule(policy, viewer=viewer, prospect=prospect)
        assert decision.rule == (rule.name if rule else None)
        sent = [e for e in events if e.kind == "email_sent"]
        assert len([f for f in decision.facts if f.kind == "email_sent"]) == len(sent)

        grouped = by_kind(decision.facts)
        if rule is None or engagement_withheld(policy, prospect, events):
            assert not grouped
            return
        assert all(not rule.visibility(kind).hidden for kind in grouped)
        for kind in CONFIGURABLE_KINDS:
            visibility = rule.visibility(kind)
            facts = grouped.get(kind, [])
            shown = [e for e in events if KIND_OF_EVENT.get(e.kind) == kind and eligible(rule, e)]
            # A visible kind has facts exactly when it has eligible events.
            assert bool(facts) == (bool(shown) and not visibility.hidden)
            latest_allowed = when_at(NOW - timedelta(hours=rule.delay_hours), visibility.time)
            for fact in facts:
                assert fact.detail == visibility.detail.value
                assert (fact.count is None) == (visibility.detail is Detail.EXISTS)
                if visibility.time is TimeLevel.NONE:
                    assert fact.when is None
                else:
                    assert fact.when is not None
                    assert re.match(WHEN_FORMATS[visibility.time], fact.when)
                    assert latest_allowed is not None and fact.when <= latest_allowed
                assert EVIDENCE_STRENGTH[fact.evidence] >= MIN_STRENGTH[rule.min_evidence]
            if visibility.detail >= Detail.COUNT:
                # Counted per evidence bucket: a machine open is never counted as a read.
                for name in {"read", "bot", "machine"}:
                    counted = sum(f.count or 0 for f in facts if bucket(f.evidence) == name)
                    assert counted == len([e for e in shown if bucket(e.evidence) == name])

    @settings(max_examples=60, deadline=None)
    @given(policy=policies(), viewer=viewers, prospect=prospects, events=events_lists)
    def test_events_the_rule_withholds_change_nothing(
        self, policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView]
    ) -> None:
        rule = match_rule(policy, viewer=viewer, prospect=prospect)
        if rule is None:
            return
        # Dropping too-young and too-weak events (keeping consent flags) changes no fact.
        kept = [e for e in events if e.kind == "email_sent" or e.gpc or eligible(rule, e)]
        assert (
            run(policy, viewer, prospect, kept).facts == run(policy, viewer, prospect, events).facts
        )


class TestHiddenKindsLeaveNoTrace:
    @settings(max_examples=100, deadline=None)
    @given(policy=policies(), viewer=viewers, prospect=prospects, events=events_lists)
    def test_removing_every_event_of_a_hidden_kind_changes_nothing(
        self, policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView]
    ) -> None:
        rule = match_rule(policy, viewer=viewer, prospect=prospect)
        hidden = {
            kind.value
            for kind in CONFIGURABLE_KINDS
            if rule is None or rule.visibility(kind).hidden
        }
        # Consent flags belong to the prospect, not to the event that carried them (a
        # GPC visit withholds everything even if visits are hidden), so hidden-kind events
        # here carry none.
        events = [
            e._replace(gpc=False) if KIND_OF_EVENT.get(e.kind) in hidden else e for e in events
        ]
        without = [e for e in events if KIND_OF_EVENT.get(e.kind) not in hidden]

        with_hidden = run(policy, viewer, prospect, events).facts
        without_hidden = run(policy, viewer, prospect, without).facts
        assert [f.as_dict() for f in with_hidden] == [f.as_dict() for f in without_hidden]
        assert json.dumps([f.as_dict() for f in with_hidden]) == json.dumps(
            [f.as_dict() for f in without_hidden]
        )
        assert not any(f.kind in hidden for f in with_hidden)


@st.composite
def stricter_versions(draw: st.DrawFn) -> tuple[Policy, Policy]:
    """A policy and a stricter one: each level lowered, delay raised, evidence raised."""
    policy = draw(policies())
    stricter_rules: list[dict[str, Any]] = []
    for rule in policy.rules:
        show: dict[str, Any] = {}
        for kind in CONFIGURABLE_KINDS:
            visibility = rule.visibility(kind)
            show[kind.value] = {
                "detail": draw(
                    st.sampled_from([d for d in Detail if d <= visibility.detail])
                ).value,
                "time": draw(st.sampled_from([t for t in TimeLevel if t <= visibility.time])).value,
            }
        stricter_rules.append(
            {
                **rule.model_dump(mode="json"),
                "show": show,
                "delay_hours": rule.delay_hours + draw(st.sampled_from([0, 1, 24, 100])),
                "min_evidence": draw(
                    st.sampled_from([m for m in MinEvidence if m >= rule.min_evidence])
                ).value,
            }
        )
    honor_gpc = policy.honor_gpc or draw(st.booleans())
    document = {**policy.model_dump(mode="json"), "rules": stricter_rules, "honor_gpc": honor_gpc}
    return policy, load_policy(document)


class TestStricterPoliciesRevealLess:
    """What a stricter policy shows is implied by what the original shows.

    Per kind: the stricter policy shows the kind only if the original does, at a detail
    no higher; its evidence buckets (read, bot, machine) are among the original's; its
    total count is at most the original's when both count; at an equal detail of topic
    or above, its subjects are among the original's; and its latest ``when`` is no later
    than the original's latest, read at the stricter time level.
    """

    @settings(max_examples=100, deadline=None)
    @given(versions=stricter_versions(), viewer=viewers, prospect=prospects, events=events_lists)
    def test_a_stricter_policy_shows_a_subset_of_the_information(
        self,
        versions: tuple[Policy, Policy],
        viewer: Viewer,
        prospect: ProspectView,
        events: list[EventView],
    ) -> None:
        policy, stricter = versions
        loose = run(policy, viewer, prospect, events)
        strict = run(stricter, viewer, prospect, events)
        assert strict.rule == loose.rule

        def sent(decision: Decision) -> list[Fact]:
            return [f for f in decision.facts if f.kind == "email_sent"]

        assert sent(strict) == sent(loose)
        loose_kinds, strict_kinds = by_kind(loose.facts), by_kind(strict.facts)
        assert set(strict_kinds) <= set(loose_kinds)
        for kind, strict_facts in strict_kinds.items():
            loose_facts = loose_kinds[kind]
            strict_detail, loose_detail = (
                Detail(strict_facts[0].detail),
                Detail(loose_facts[0].detail),
            )
            assert strict_detail <= loose_detail
            assert {bucket(f.evidence) for f in strict_facts} <= {
                bucket(f.evidence) for f in loose_facts
            }
            if strict_detail >= Detail.COUNT:
                assert sum(f.count or 0 for f in strict_facts) <= sum(
                    f.count or 0 for f in loose_facts
                )
            if strict_detail == loose_detail >= Detail.TOPIC:
                assert {f.subject for f in strict_facts} <= {f.subject for f in loose_facts}
            strict_whens = [f.when for f in strict_facts if f.when is not None]
            if strict_whens:
                loose_whens = [f.when for f in loose_facts if f.when is not None]
                assert loose_whens, "the stricter policy shows a time the original does not"
                level = _level_of(strict_whens[0])
                assert max(strict_whens) <= coarsen(max(loose_whens), level)


def _level_of(when: str) -> TimeLevel:
    if "W" in when:
        return TimeLevel.WEEK
    return TimeLevel.EXACT if "T" in when else TimeLevel.DAY


# ---------------------------------------------------------------------------
# Robustness

odd_text = st.text(max_size=40)
offsets = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)
any_datetimes = st.datetimes(timezones=st.none() | offsets)


@st.composite
def odd_events(draw: st.DrawFn) -> EventView:
    return EventView(
        kind=draw(st.sampled_from(["email_sent", "open", "click", "visit"])),
        occurred_at=draw(any_datetimes),
        evidence=draw(st.sampled_from(list(EVIDENCE_STRENGTH)) | odd_text),
        message_id=draw(st.none() | st.integers()),
        message_subject=draw(st.none() | odd_text),
        url=draw(
            st.none() | odd_text | st.sampled_from(["http://[::1", "https://h:99999/x", "//x"])
        ),
        gpc=draw(st.booleans()),
    )


class TestEvaluateNeverRaises:
    @settings(max_examples=100, deadline=None)
    @given(
        policy=policies(),
        role=odd_text,
        prospect=st.builds(
            ProspectView,
            industry=st.none() | odd_text,
            region=st.none() | odd_text,
            company=st.none() | odd_text,
            opted_out=st.booleans(),
            gpc=st.booleans(),
        ),
        events=st.lists(odd_events(), max_size=10),
        now=any_datetimes,
    )
    def test_any_input_gives_a_decision_with_json_serialisable_facts(
        self,
        policy: Policy,
        role: str,
        prospect: ProspectView,
        events: list[EventView],
        now: datetime,
    ) -> None:
        decision = evaluate(
            policy, viewer=Viewer(role=role), prospect=prospect, events=events, now=now
        )
        json.dumps([fact.as_dict() for fact in decision.facts])
        assert all(isinstance(reason, str) for reason in decision.reasons)
