"""``visible_kinds`` on an ``EventSummary`` is exactly the kinds ``evaluate`` shows.

The impact of a draft counts, per prospect and role, the rule that decides and which
engagement kinds appear; it reads a summary of the events (the earliest per kind and
evidence) instead of evaluating them. Random policies, viewers, prospects and events,
odd ones included (unknown evidence, any time zone, delays past year 1), must give the
same rule and the same kinds as the full evaluation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import (
    EventSummary,
    EventView,
    Policy,
    ProspectView,
    Viewer,
    evaluate,
    load_policy,
    summarize,
    visible_kinds,
)
from tests.policies.test_properties import (
    NOW,
    any_datetimes,
    event_views,
    odd_events,
    policies,
    prospects,
    viewers,
)

ENGAGEMENT = {"email_opened", "link_clicked", "page_visited"}


def full(
    policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView], now: datetime
) -> tuple[str | None, frozenset[str]]:
    decision = evaluate(policy, viewer=viewer, prospect=prospect, events=events, now=now)
    return decision.rule, frozenset(f.kind for f in decision.facts if f.kind in ENGAGEMENT)


def fast(
    policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView], now: datetime
) -> tuple[str | None, frozenset[str]]:
    return visible_kinds(
        policy, viewer=viewer, prospect=prospect, events=summarize(events), now=now
    )


@settings(max_examples=400, deadline=None)
@given(
    policy=policies(),
    viewer=viewers,
    prospect=prospects,
    events=st.lists(event_views(), max_size=25),
)
def test_the_summary_shows_the_kinds_the_evaluation_shows(
    policy: Policy, viewer: Viewer, prospect: ProspectView, events: list[EventView]
) -> None:
    assert fast(policy, viewer, prospect, events, NOW) == full(
        policy, viewer, prospect, events, NOW
    )


@settings(max_examples=200, deadline=None)
@given(
    policy=policies(),
    viewer=viewers,
    prospect=prospects,
    events=st.lists(odd_events(), max_size=10),
    now=any_datetimes,
)
def test_odd_inputs_agree_too(
    policy: Policy,
    viewer: Viewer,
    prospect: ProspectView,
    events: list[EventView],
    now: datetime,
) -> None:
    assert fast(policy, viewer, prospect, events, now) == full(
        policy, viewer, prospect, events, now
    )


CONFIRMED_CLICKS = load_policy(
    {
        "name": "clicks",
        "rules": [
            {
                "name": "r",
                "roles": ["rep"],
                "min_evidence": "confirmed",
                "show": {"link_clicked": {"detail": "count"}},
            }
        ],
    }
)


def test_a_confirmed_click_is_no_confirmed_fact_when_visits_are_hidden() -> None:
    click = EventView("click", NOW - timedelta(days=1), "confirmed")
    viewer, prospect = Viewer(role="rep"), ProspectView()
    assert full(CONFIRMED_CLICKS, viewer, prospect, [click], NOW) == ("r", frozenset())
    assert fast(CONFIRMED_CLICKS, viewer, prospect, [click], NOW) == ("r", frozenset())


def test_a_delay_reaching_before_year_one_withholds_everything() -> None:
    policy = load_policy(
        {
            "name": "slow",
            "rules": [
                {
                    "name": "r",
                    "roles": ["rep"],
                    "delay_hours": 87600,
                    "show": {"email_opened": {"detail": "exists"}},
                }
            ],
        }
    )
    early = datetime(1, 1, 2, tzinfo=UTC)
    events = [EventView("open", early, "human")]
    summary = EventSummary({("open", "human"): early})
    assert visible_kinds(
        policy, viewer=Viewer(role="rep"), prospect=ProspectView(), events=summary, now=early
    ) == full(policy, Viewer(role="rep"), ProspectView(), events, early)
