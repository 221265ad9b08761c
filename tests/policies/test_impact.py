"""``visible_kinds`` on an ``EventSummary`` is exactly the kinds ``evaluate`` shows.

The impact of a draft counts, per prospect and role, the rule that decides and which
engagement kinds appear; it reads a summary of the events (the earliest per kind and
evidence) instead of evaluating them. Random policies, viewers, prospects and events,
odd ones included (unknown evidence, any time zone, delays past year 1), must give the
same rule and the same kinds as the full evaluation.

For a kind visible under both, ``precision_change`` says whether the draft's rule shows
it more precisely or sooner, or less precisely or later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies import (
    DelayChange,
    EventSummary,
    EventView,
    Policy,
    ProspectView,
    Rule,
    Viewer,
    builtin_policy,
    delay_changes,
    evaluate,
    load_policy,
    policy_to_document,
    precision_change,
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


def _rule(delay_hours: float = 24, **show: dict[str, str]) -> Rule:
    return Rule(name="reps", roles=["rep"], delay_hours=delay_hours, show=show)


class TestPrecisionChange:
    """Of a kind two rules both show: which of detail, time and delay the second rule
    shows more precisely or sooner, and which less precisely or later."""

    def test_full_and_exact_with_no_delay_is_more_of_all_three(self) -> None:
        today = _rule(24, email_opened={"detail": "count", "time": "day"})
        draft = _rule(0, email_opened={"detail": "full", "time": "exact"})
        change = precision_change(today, draft, "email_opened")
        assert (change.more, change.less) == (("detail", "time", "delay"), ())
        assert change.before == {"detail": "count", "time": "day", "delay": 24}
        assert change.after == {"detail": "full", "time": "exact", "delay": 0}

    def test_the_reverse_is_less_of_all_three(self) -> None:
        today = _rule(0, email_opened={"detail": "full", "time": "exact"})
        draft = _rule(24, email_opened={"detail": "count", "time": "day"})
        change = precision_change(today, draft, "email_opened")
        assert (change.more, change.less) == ((), ("detail", "time", "delay"))

    def test_only_a_shorter_delay_is_sooner(self) -> None:
        shown = {"detail": "count", "time": "day"}
        change = precision_change(
            _rule(24, email_opened=shown), _rule(12, email_opened=shown), "email_opened"
        )
        assert (change.more, change.less) == (("delay",), ())

    def test_more_detail_a_day_later_is_both(self) -> None:
        today = _rule(24, link_clicked={"detail": "topic", "time": "day"})
        draft = _rule(48, link_clicked={"detail": "full", "time": "day"})
        change = precision_change(today, draft, "link_clicked")
        assert (change.more, change.less) == (("detail",), ("delay",))

    def test_the_same_visibility_and_delay_is_no_change(self) -> None:
        shown = {"detail": "topic", "time": "week"}
        change = precision_change(
            _rule(24, page_visited=shown), _rule(24, page_visited=shown), "page_visited"
        )
        assert not change.changed

    def test_levels_compare_by_rank_not_alphabetically(self) -> None:
        # "count" < "exists" alphabetically, yet count shows more than exists.
        today = _rule(24, email_opened={"detail": "exists", "time": "week"})
        draft = _rule(24, email_opened={"detail": "count", "time": "none"})
        change = precision_change(today, draft, "email_opened")
        assert (change.more, change.less) == (("detail",), ("time",))

    def test_email_sent_is_no_kind_to_compare(self) -> None:
        with pytest.raises(ValueError, match="email_sent"):
            precision_change(_rule(), _rule(), "email_sent")


class TestDelayChanges:
    def test_a_rule_both_policies_have_with_another_delay_is_listed(self) -> None:
        today = builtin_policy("default")
        draft = load_policy(
            {
                **policy_to_document(today),
                "rules": [
                    {**rule.model_dump(mode="json"), "delay_hours": 0}
                    if rule.name == "reps"
                    else rule.model_dump(mode="json")
                    for rule in today.rules
                ],
            }
        )
        assert delay_changes(today, draft) == [DelayChange("reps", 24, 0)]

    def test_rules_only_one_policy_has_are_not_listed(self) -> None:
        today = load_policy({"name": "a", "rules": [{"name": "old", "roles": ["rep"]}]})
        draft = load_policy(
            {"name": "a", "rules": [{"name": "new", "roles": ["rep"], "delay_hours": 5}]}
        )
        assert delay_changes(today, draft) == []
