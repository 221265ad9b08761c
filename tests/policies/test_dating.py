"""``policies.dating``: the bounds are never earlier than the latest fact shown.

Over random policies, viewers, prospects (segments, opt-out, GPC) and events, the
latest dated fact ``evaluate`` shows, read back as the listing reads it, is never later
than the largest ``bound_of`` over the events inside their kind's ``dating_windows``;
and no event inside a window means no dated fact at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import EventView, Policy, ProspectView, TimeLevel, Viewer, evaluate, load_policy
from policies.dating import DatingWindow, bound_of, dating_windows
from policies.evaluate import _when
from service.prospects.activity import shown_time
from tests.policies.test_properties import NOW, event_views, prospects
from tests.policies.test_properties import policies as random_policies


def _inside(window: DatingWindow, event: EventView) -> bool:
    occurred = event.occurred_at.astimezone(UTC)
    return (
        event.kind == window.kind
        and (window.cutoff is None or occurred <= window.cutoff)
        and (window.evidence is None or event.evidence in window.evidence)
    )


def _bound(windows: list[DatingWindow], events: list[EventView]) -> datetime | None:
    bounds = [
        bound_of(event.occurred_at, window.time)
        for window in windows
        for event in events
        if _inside(window, event)
    ]
    return max(bounds, default=None)


def _latest(
    policy: Policy, role: str, prospect: ProspectView, events: list[EventView]
) -> datetime | None:
    decision = evaluate(policy, viewer=Viewer(role=role), prospect=prospect, events=events, now=NOW)
    moments = [shown_time(fact.when) for fact in decision.facts]
    return max((moment for moment in moments if moment is not None), default=None)


class TestDatingBounds:
    @settings(max_examples=600, deadline=None)
    @given(
        policy=random_policies(),
        role=st.sampled_from(["rep", "manager"]),
        prospect=prospects,
        events=st.lists(event_views(), max_size=12),
    )
    def test_no_fact_is_later_than_the_bound(
        self, policy: Policy, role: str, prospect: ProspectView, events: list[EventView]
    ) -> None:
        latest = _latest(policy, role, prospect, events)
        bound = _bound(dating_windows(policy, role=role, now=NOW), events)
        if latest is not None:
            assert bound is not None and latest <= bound

    def test_the_shortest_delay_of_the_rules_granting_a_kind_is_its_window(self) -> None:
        policy = load_policy(
            {
                "name": "two-delays",
                "rules": [
                    {
                        "name": "finance",
                        "roles": ["rep"],
                        "segments": {"industry": ["finance"]},
                        "delay_hours": 48,
                        "show": {"email_opened": {"detail": "exists", "time": "week"}},
                    },
                    {
                        "name": "others",
                        "roles": ["rep"],
                        "delay_hours": 1,
                        "min_evidence": "any",
                        "show": {"email_opened": {"detail": "exists", "time": "day"}},
                    },
                ],
            }
        )
        windows = {window.kind: window for window in dating_windows(policy, role="rep", now=NOW)}
        assert windows["open"] == DatingWindow(
            "open", NOW - timedelta(hours=1), None, TimeLevel.DAY
        )
        assert windows["email_sent"] == DatingWindow("email_sent", None, None, TimeLevel.EXACT)
        assert "click" not in windows and "visit" not in windows
        assert "open" not in {w.kind for w in dating_windows(policy, role="manager", now=NOW)}

    def test_a_kind_shown_without_a_time_dates_nothing(self) -> None:
        policy = load_policy(
            {
                "name": "no-times",
                "rules": [
                    {
                        "name": "reps",
                        "roles": ["rep"],
                        "show": {"link_clicked": {"detail": "full", "time": "none"}},
                    }
                ],
            }
        )
        assert [w.kind for w in dating_windows(policy, role="rep", now=NOW)] == ["email_sent"]

    @settings(max_examples=400, deadline=None)
    @given(
        moment=st.datetimes(
            min_value=datetime(1, 1, 8), max_value=datetime(9999, 12, 24), timezones=st.just(UTC)
        ),
        level=st.sampled_from([TimeLevel.EXACT, TimeLevel.DAY, TimeLevel.WEEK]),
    )
    def test_a_bound_is_the_evaluators_when_read_back(
        self, moment: datetime, level: TimeLevel
    ) -> None:
        assert bound_of(moment, level) == shown_time(_when(moment, level))

    def test_a_bound_reads_the_time_at_its_level(self) -> None:
        moment = datetime(2026, 11, 20, 14, 3, 7, 500, tzinfo=UTC)  # a Friday of week 47
        assert bound_of(moment, TimeLevel.EXACT) == moment.replace(microsecond=0)
        assert bound_of(moment, TimeLevel.DAY) == datetime(2026, 11, 20, tzinfo=UTC)
        assert bound_of(moment, TimeLevel.WEEK) == datetime(2026, 11, 16, tzinfo=UTC)
