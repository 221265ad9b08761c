"""policies.evaluate: events + viewer + prospect -> the facts that viewer may see."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest

from policies import (
    Decision,
    EventView,
    Fact,
    Policy,
    ProspectView,
    Viewer,
    evaluate,
    load_policy,
    match_rule,
    topic_of,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # Friday, ISO week 2026-W47
REP = Viewer(role="rep", user_id=1)
TOPICS = {"pricing": ["*/pricing*"], "security": ["*/security*", "*/trust*"]}


def policy_with(
    show: dict[str, Any] | None = None, *, topics: dict[str, list[str]] | None = None, **rule: Any
) -> Policy:
    """A one-rule policy for reps; ``show`` defaults to counting everything."""
    if show is None:
        show = {
            kind: {"detail": "count"} for kind in ("email_opened", "link_clicked", "page_visited")
        }
    return load_policy(
        {
            "name": "test",
            "topics": TOPICS if topics is None else topics,
            "rules": [{"name": "reps", "roles": ["rep"], "show": show, **rule}],
        }
    )


def event(kind: str, hours_ago: float = 30, **fields: Any) -> EventView:
    return EventView(kind=kind, occurred_at=NOW - timedelta(hours=hours_ago), **fields)  # type: ignore[arg-type]


def decide(
    policy: Policy,
    events: list[EventView],
    *,
    viewer: Viewer = REP,
    prospect: ProspectView | None = None,
    now: datetime = NOW,
) -> Decision:
    return evaluate(
        policy, viewer=viewer, prospect=prospect or ProspectView(), events=events, now=now
    )


def facts(policy: Policy, events: list[EventView], **kwargs: Any) -> list[dict[str, Any]]:
    return [fact.as_dict() for fact in decide(policy, events, **kwargs).facts]


class TestFact:
    def test_as_dict_omits_count_and_when_when_withheld(self) -> None:
        fact = Fact("email_opened", None, "exists", None, None, "human")
        assert fact.as_dict() == {
            "kind": "email_opened",
            "subject": None,
            "detail": "exists",
            "evidence": "human",
        }

    def test_as_dict_keeps_the_contract_key_order(self) -> None:
        fact = Fact("link_clicked", "pricing", "topic", 2, "2026-W47", "human")
        assert list(fact.as_dict()) == ["kind", "subject", "detail", "count", "when", "evidence"]


class TestEmailSent:
    def test_each_sent_message_is_one_exact_full_fact_whose_evidence_is_sent_not_confirmed(
        self,
    ) -> None:
        sent = event("email_sent", hours_ago=2.5, message_subject="Hello", message_id=7)
        assert facts(policy_with(delay_hours=48), [sent]) == [
            {
                "kind": "email_sent",
                "subject": "Hello",
                "detail": "full",
                "when": "2026-11-20T09:30:00Z",
                "evidence": "sent",
            }
        ]

    def test_email_sent_ignores_the_delay_and_the_evidence_floor(self) -> None:
        sent = event("email_sent", hours_ago=0, message_subject="Hi", evidence="machine")
        assert len(facts(policy_with(delay_hours=72, min_evidence="confirmed"), [sent])) == 1


class TestDetailLevels:
    def test_hidden_produces_no_fact_at_all(self) -> None:
        policy = policy_with({"email_opened": "hidden"})
        assert facts(policy, [event("open", message_subject="Hi")]) == []

    def test_a_kind_not_listed_in_show_is_hidden(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count"}})
        assert facts(policy, [event("click", url="https://a.example/pricing")]) == []

    def test_exists_gives_one_fact_per_kind_without_count_or_subject(self) -> None:
        policy = policy_with({"email_opened": {"detail": "exists"}})
        opens = [event("open", h, message_subject=s) for h, s in [(30, "A"), (40, "B")]]
        assert facts(policy, opens) == [
            {"kind": "email_opened", "subject": None, "detail": "exists", "evidence": "human"}
        ]

    def test_count_gives_one_fact_per_kind_with_the_number_of_events(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count"}})
        opens = [event("open", h, message_subject=s) for h, s in [(30, "A"), (40, "B")]]
        assert facts(policy, opens) == [
            {
                "kind": "email_opened",
                "subject": None,
                "detail": "count",
                "count": 2,
                "evidence": "human",
            }
        ]

    def test_topic_groups_opens_by_message_subject(self) -> None:
        policy = policy_with({"email_opened": {"detail": "topic"}})
        opens = [event("open", h, message_subject=s) for h, s in [(30, "B"), (40, "A"), (50, "B")]]
        assert [(f["subject"], f["count"]) for f in facts(policy, opens)] == [("A", 1), ("B", 2)]

    def test_topic_groups_clicks_by_the_first_matching_topic_else_the_host(self) -> None:
        policy = policy_with({"link_clicked": {"detail": "topic"}})
        clicks = [
            event("click", url="https://acme.example/pricing?plan=team"),
            event("click", url="https://ACME.example/Trust/center"),
            event("click", url="https://docs.partner.example/guide?x=1"),
        ]
        assert [(f["subject"], f["count"]) for f in facts(policy, clicks)] == [
            ("docs.partner.example", 1),
            ("pricing", 1),
            ("security", 1),
        ]

    def test_topic_groups_visits_by_topic_else_other_pages(self) -> None:
        policy = policy_with({"page_visited": {"detail": "topic"}})
        visits = [
            event("visit", url="https://acme.example/security"),
            event("visit", url="https://acme.example/careers"),
            event("visit", url="https://acme.example/blog"),
        ]
        assert [(f["subject"], f["count"]) for f in facts(policy, visits)] == [
            ("other pages", 2),
            ("security", 1),
        ]

    def test_full_shows_clicks_without_query_or_fragment(self) -> None:
        policy = policy_with({"link_clicked": {"detail": "full"}})
        clicks = [
            event("click", url="HTTPS://Acme.example/pricing?utm_source=mail#team"),
            event("click", url="https://acme.example/pricing"),
        ]
        assert facts(policy, clicks) == [
            {
                "kind": "link_clicked",
                "subject": "https://acme.example/pricing",
                "detail": "full",
                "count": 2,
                "evidence": "human",
            }
        ]

    def test_full_shows_visits_as_the_path_alone(self) -> None:
        policy = policy_with({"page_visited": {"detail": "full"}})
        visits = [
            event("visit", url="https://acme.example/pricing?cnd_vid=abc"),
            event("visit", url="https://acme.example"),
        ]
        assert [f["subject"] for f in facts(policy, visits)] == ["/", "/pricing"]

    def test_full_shows_opens_by_exact_subject(self) -> None:
        policy = policy_with({"email_opened": {"detail": "full"}})
        assert facts(policy, [event("open", message_subject="Re: Q4 plan")])[0]["subject"] == (
            "Re: Q4 plan"
        )


class TestTimeLevels:
    @pytest.mark.parametrize(
        ("level", "when"),
        [
            ("exact", "2026-11-19T06:15:09Z"),
            ("day", "2026-11-19"),
            ("week", "2026-W47"),
            ("none", None),
        ],
    )
    def test_when_is_the_latest_event_at_the_rules_time_level(
        self, level: str, when: str | None
    ) -> None:
        policy = policy_with({"email_opened": {"detail": "count", "time": level}})
        latest = NOW - timedelta(hours=29, minutes=44, seconds=51)
        opens = [
            event("open", 100),
            EventView(kind="open", occurred_at=latest.replace(microsecond=123456)),
            event("open", 50),
        ]
        assert facts(policy, opens)[0].get("when") == when

    def test_exact_times_are_shown_in_utc(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count", "time": "exact"}})
        local = datetime(2026, 11, 19, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
        assert facts(policy, [EventView(kind="open", occurred_at=local)])[0]["when"] == (
            "2026-11-19T14:00:00Z"
        )

    def test_the_iso_week_may_belong_to_the_previous_year(self) -> None:
        policy = policy_with({"email_opened": {"detail": "exists", "time": "week"}})
        new_year = datetime(2027, 1, 1, 12, tzinfo=UTC)  # a Friday in ISO week 2026-W53
        got = facts(policy, [EventView(kind="open", occurred_at=new_year)], now=new_year)
        assert got[0]["when"] == "2026-W53"

    def test_naive_datetimes_are_taken_as_utc(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count", "time": "exact"}})
        naive = datetime(2026, 11, 19, 9, 0)
        got = facts(
            policy, [EventView(kind="open", occurred_at=naive)], now=NOW.replace(tzinfo=None)
        )
        assert got[0]["when"] == "2026-11-19T09:00:00Z"


class TestDelay:
    def test_events_younger_than_the_delay_are_not_shown(self) -> None:
        policy = policy_with(delay_hours=24)
        got = facts(policy, [event("open", 23.9), event("open", 24.1)])
        assert got[0]["count"] == 1

    def test_an_event_exactly_delay_hours_old_is_shown(self) -> None:
        assert facts(policy_with(delay_hours=24), [event("open", 24)])[0]["count"] == 1

    def test_events_from_the_future_are_never_shown(self) -> None:
        assert facts(policy_with(), [event("open", -1)]) == []

    def test_withheld_events_are_counted_in_the_reasons(self) -> None:
        decision = decide(policy_with(delay_hours=24), [event("open", 1), event("click", 2)])
        assert "2 events withheld by 24h delay" in decision.reasons


class TestMinEvidence:
    EVENTS: ClassVar[list[EventView]] = [
        event("open", evidence=e) for e in ("machine", "bot", "human", "confirmed")
    ]

    @pytest.mark.parametrize(
        ("floor", "shown"),
        [
            ("any", {"machine", "bot", "confirmed"}),
            ("human", {"confirmed"}),
            ("confirmed", {"confirmed"}),
        ],
    )
    def test_events_below_min_evidence_are_not_shown(self, floor: str, shown: set[str]) -> None:
        got = facts(policy_with(min_evidence=floor), self.EVENTS)
        assert {f["evidence"] for f in got} == shown

    def test_min_evidence_defaults_to_human(self) -> None:
        got = facts(policy_with(), self.EVENTS)
        assert [(f["evidence"], f["count"]) for f in got] == [("confirmed", 2)]

    def test_an_unknown_evidence_class_counts_as_machine(self) -> None:
        assert facts(policy_with(), [event("open", evidence="psychic")]) == []
        got = facts(policy_with(min_evidence="any"), [event("open", evidence="psychic")])
        assert got[0]["evidence"] == "machine"

    def test_weak_events_are_counted_in_the_reasons(self) -> None:
        decision = decide(policy_with(), [event("open", evidence="machine")])
        assert "1 event below min_evidence human" in decision.reasons


class TestEvidenceBuckets:
    def test_a_machine_open_is_never_merged_into_a_read(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count"}}, min_evidence="any")
        got = facts(policy, [event("open", evidence="machine"), event("open", evidence="human")])
        assert [(f["evidence"], f["count"]) for f in got] == [("human", 1), ("machine", 1)]

    def test_bot_events_stay_apart_from_machine_and_human_events(self) -> None:
        policy = policy_with({"link_clicked": {"detail": "exists"}}, min_evidence="any")
        evidence = ("bot", "machine", "human", "bot")
        got = facts(
            policy, [event("click", url="https://a.example/", evidence=e) for e in evidence]
        )
        assert [f["evidence"] for f in got] == ["human", "bot", "machine"]

    def test_human_and_confirmed_merge_and_are_labelled_confirmed(self) -> None:
        policy = policy_with(
            {"link_clicked": {"detail": "count"}, "page_visited": {"detail": "exists"}}
        )
        got = facts(
            policy, [event("click", evidence="human"), event("click", evidence="confirmed")]
        )
        assert got == [
            {
                "kind": "link_clicked",
                "subject": None,
                "detail": "count",
                "count": 2,
                "evidence": "confirmed",
            }
        ]

    def test_a_group_of_human_events_only_is_labelled_human(self) -> None:
        got = facts(policy_with(), [event("visit"), event("visit")])
        assert got[0]["evidence"] == "human"


class TestRuleMatching:
    TWO_RULES: ClassVar[dict[str, Any]] = {
        "name": "p",
        "rules": [
            {
                "name": "finance-reps",
                "roles": ["rep"],
                "segments": {"industry": ["finance", "Banking"], "region": ["eu"]},
                "show": {"email_opened": {"detail": "exists"}},
            },
            {
                "name": "reps",
                "roles": ["rep", "manager"],
                "show": {"email_opened": {"detail": "count"}},
            },
            {
                "name": "managers",
                "roles": ["manager"],
                "show": {"email_opened": {"detail": "full"}},
            },
        ],
    }

    def rule_for(self, prospect: ProspectView, role: str = "rep") -> str | None:
        policy = load_policy(self.TWO_RULES)
        return decide(policy, [], viewer=Viewer(role=role), prospect=prospect).rule

    def test_a_prospect_matching_every_segment_key_gets_the_segment_rule(self) -> None:
        assert self.rule_for(ProspectView(industry="finance", region="eu")) == "finance-reps"

    def test_segment_values_compare_case_insensitively(self) -> None:
        assert self.rule_for(ProspectView(industry="banking ", region="EU")) == "finance-reps"

    def test_a_mismatch_on_any_segment_key_skips_the_rule(self) -> None:
        assert self.rule_for(ProspectView(industry="finance", region="us")) == "reps"

    def test_a_prospect_without_a_value_for_a_key_does_not_match_it(self) -> None:
        assert self.rule_for(ProspectView(region="eu")) == "reps"
        assert self.rule_for(ProspectView(industry="", region="eu")) == "reps"

    def test_the_first_matching_rule_wins(self) -> None:
        assert self.rule_for(ProspectView(), role="manager") == "reps"

    def test_match_rule_returns_the_rule_itself(self) -> None:
        policy = load_policy(self.TWO_RULES)
        rule = match_rule(policy, viewer=Viewer(role="manager"), prospect=ProspectView())
        assert rule is policy.rules[1]

    def test_the_decision_names_the_matched_rule_in_its_reasons(self) -> None:
        decision = decide(load_policy(self.TWO_RULES), [])
        assert decision.reasons[0] == "matched rule 'reps'"


class TestDefaultDeny:
    EVENTS: ClassVar[list[EventView]] = [
        event("email_sent", 100, message_subject="Hello"),
        event("open", 50, message_subject="Hello"),
        event("click", 50, url="https://a.example/pricing"),
        event("visit", 50, url="https://a.example/pricing"),
    ]

    @pytest.mark.parametrize("role", ["compliance", "admin", "intern"])
    def test_a_viewer_no_rule_matches_sees_only_email_sent(self, role: str) -> None:
        decision = decide(policy_with(), self.EVENTS, viewer=Viewer(role=role))
        assert decision.rule is None
        assert [fact.kind for fact in decision.facts] == ["email_sent"]
        assert "default deny" in decision.reasons[0]

    def test_a_policy_without_rules_shows_only_email_sent(self) -> None:
        policy = load_policy({"name": "p", "rules": []})
        assert [f["kind"] for f in facts(policy, self.EVENTS)] == ["email_sent"]


class TestConsent:
    EVENTS: ClassVar[list[EventView]] = TestDefaultDeny.EVENTS

    def test_an_opted_out_prospect_shows_only_email_sent(self) -> None:
        decision = decide(policy_with(), self.EVENTS, prospect=ProspectView(opted_out=True))
        assert [fact.kind for fact in decision.facts] == ["email_sent"]
        assert decision.rule == "reps"
        assert "prospect opted out: only email_sent shown" in decision.reasons

    def test_a_prospect_flagged_for_gpc_shows_only_email_sent(self) -> None:
        decision = decide(policy_with(), self.EVENTS, prospect=ProspectView(gpc=True))
        assert [fact.kind for fact in decision.facts] == ["email_sent"]
        assert any("Sec-GPC" in reason for reason in decision.reasons)

    def test_one_event_carrying_gpc_withholds_all_engagement(self) -> None:
        events = [*self.EVENTS, event("open", 60, gpc=True)]
        assert [f["kind"] for f in facts(policy_with(), events)] == ["email_sent"]

    def test_gpc_is_ignored_when_the_policy_does_not_honor_it(self) -> None:
        policy = policy_with().model_copy(update={"honor_gpc": False})
        got = facts(policy, self.EVENTS, prospect=ProspectView(gpc=True))
        assert [f["kind"] for f in got] == [
            "email_sent",
            "email_opened",
            "link_clicked",
            "page_visited",
        ]

    def test_opt_out_applies_even_when_gpc_is_not_honored(self) -> None:
        policy = policy_with().model_copy(update={"honor_gpc": False})
        got = facts(policy, self.EVENTS, prospect=ProspectView(opted_out=True))
        assert [f["kind"] for f in got] == ["email_sent"]


class TestOrdering:
    def test_facts_are_sorted_by_kind_then_subject_then_evidence(self) -> None:
        policy = policy_with(
            {
                "email_opened": {"detail": "topic"},
                "link_clicked": {"detail": "topic"},
                "page_visited": {"detail": "topic"},
            },
            min_evidence="any",
        )
        events = [
            event("visit", 30, url="https://a.example/pricing"),
            event("click", 40, url="https://a.example/security", evidence="machine"),
            event("click", 50, url="https://a.example/security", evidence="human"),
            event("open", 60, message_subject="Zebra"),
            event("email_sent", 70, message_subject="Zebra"),
            event("open", 80, message_subject="Apple"),
        ]
        assert [(f["kind"], f["subject"], f["evidence"]) for f in facts(policy, events)] == [
            ("email_sent", "Zebra", "sent"),
            ("email_opened", "Apple", "human"),
            ("email_opened", "Zebra", "human"),
            ("link_clicked", "security", "human"),
            ("link_clicked", "security", "machine"),
            ("page_visited", "pricing", "human"),
        ]

    def test_the_order_does_not_depend_on_event_order_or_hidden_times(self) -> None:
        policy = policy_with({"email_opened": {"detail": "topic", "time": "none"}})
        early_a = [event("open", 90, message_subject="A"), event("open", 30, message_subject="B")]
        early_b = [event("open", 30, message_subject="A"), event("open", 90, message_subject="B")]
        assert facts(policy, early_a) == facts(policy, early_b)
        assert facts(policy, early_a) == facts(policy, list(reversed(early_a)))

    def test_the_output_is_json_serialisable(self) -> None:
        got = facts(policy_with(), TestDefaultDeny.EVENTS)
        assert json.loads(json.dumps(got)) == got


class TestNoInference:
    def test_a_click_does_not_imply_an_open(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count"}, "link_clicked": "hidden"})
        assert facts(policy, [event("click", url="https://a.example/pricing")]) == []

    def test_a_hidden_kind_is_only_named_in_the_reasons(self) -> None:
        policy = policy_with({"email_opened": {"detail": "count"}})
        decision = decide(policy, [event("visit", 1)])
        assert "page_visited hidden by rule 'reps'" in decision.reasons
        assert not any("delay" in reason for reason in decision.reasons)

    def test_a_click_confirmed_by_a_hidden_visit_reads_as_a_persons_click(self) -> None:
        click = event("click", url="https://a.example/pricing", evidence="confirmed")
        visits_hidden = policy_with({"link_clicked": {"detail": "topic"}})
        assert [f["evidence"] for f in facts(visits_hidden, [click])] == ["human"]
        confirmed_only = policy_with(
            {"link_clicked": {"detail": "topic"}}, min_evidence="confirmed"
        )
        assert facts(confirmed_only, [click]) == []  # its presence would betray the visit
        visits_shown = policy_with(
            {"link_clicked": {"detail": "topic"}, "page_visited": {"detail": "exists"}}
        )
        assert [f["evidence"] for f in facts(visits_shown, [click])] == ["confirmed"]


class TestTopicOf:
    POLICY = policy_with()

    @pytest.mark.parametrize(
        ("url", "topic"),
        [
            ("https://acme.example/pricing", "pricing"),
            ("https://acme.example/PRICING/teams?x=1", "pricing"),
            ("https://acme.example/trust", "security"),
            ("https://acme.example/", None),
            ("", None),
            (None, None),
        ],
    )
    def test_the_first_matching_glob_names_the_topic(
        self, url: str | None, topic: str | None
    ) -> None:
        assert topic_of(self.POLICY, url) == topic

    def test_topics_are_tried_in_document_order(self) -> None:
        policy = policy_with(topics={"first": ["*/a*"], "second": ["*/ab*"]})
        assert topic_of(policy, "https://x.example/abc") == "first"
