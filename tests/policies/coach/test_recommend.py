"""Openers come only from visible facts, name visible topics, and always pass the lint."""

from __future__ import annotations

import importlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.coach import lint, recommend

SENT = {
    "kind": "email_sent",
    "subject": "Our proposal",
    "detail": "full",
    "when": "2026-11-20T09:00:00Z",
    "evidence": "confirmed",
}
CLICKED_PRICING = {
    "kind": "link_clicked",
    "subject": "pricing",
    "detail": "topic",
    "count": 3,
    "when": "2026-11-21",
    "evidence": "confirmed",
}
OPENED = {
    "kind": "email_opened",
    "subject": None,
    "detail": "count",
    "count": 5,
    "when": "2026-11-21",
    "evidence": "human",
}
MACHINE_OPEN = {
    "kind": "email_opened",
    "subject": None,
    "detail": "count",
    "count": 1,
    "evidence": "machine",
}


def texts(facts: list[dict[str, Any]]) -> list[str]:
    return [opener.text for opener in recommend(facts, prospect_name="Anna")]


class TestRecommendations:
    def test_two_to_four_openers_each_with_a_why(self) -> None:
        for facts in ([], [SENT], [SENT, OPENED], [SENT, OPENED, CLICKED_PRICING]):
            openers = recommend(facts)
            assert 2 <= len(openers) <= 4
            assert all(opener.why for opener in openers)

    def test_a_visible_topic_is_named(self) -> None:
        assert any("the pricing information" in text for text in texts([SENT, CLICKED_PRICING]))

    def test_with_nothing_visible_the_openers_presume_nothing(self) -> None:
        for text in texts([]):
            assert "sent" not in text and "pricing" not in text

    def test_with_only_the_send_visible_no_opener_asks_how_useful_it_was(self) -> None:
        # Asking how useful it was presumes they read it; only engagement may suggest that.
        assert not any("How useful" in text for text in texts([SENT]))
        assert any(
            "How useful was the information I sent" in text for text in texts([SENT, OPENED])
        )

    def test_counts_times_and_evidence_are_never_echoed(self) -> None:
        joined = " ".join(texts([SENT, OPENED, CLICKED_PRICING]))
        for leak in ("3", "5", "2026", "confirmed", "times", "opened", "clicked"):
            assert leak not in joined

    def test_machine_opens_are_not_engagement(self) -> None:
        assert texts([SENT, MACHINE_OPEN]) == texts([SENT])

    def test_the_output_is_deterministic(self) -> None:
        assert texts([SENT, CLICKED_PRICING]) == texts([SENT, CLICKED_PRICING])

    def test_the_lint_cache_keeps_no_prospect_name(self) -> None:
        """An erased person's name (here in the subject of what was sent) must not outlive
        the read in a process's memory."""
        module = importlib.import_module("policies.coach.recommend")

        sent = {**SENT, "subject": "Notes for Quillon"}
        named = [o.text for o in recommend([sent, CLICKED_PRICING], prospect_name="Quillon")]
        assert any("Quillon" in text for text in named)
        assert module._FLAGGED, "the openers were linted through the cache"
        assert all(isinstance(key, bytes) and len(key) == 16 for key in module._FLAGGED)
        assert not any(b"Quillon" in key for key in module._FLAGGED)


FACT = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["email_sent", "email_opened", "link_clicked", "page_visited"]),
        "subject": st.one_of(
            st.none(),
            st.sampled_from(["pricing", "security", "example.com", "/careers"]),
            st.text(max_size=30),
        ),
        "detail": st.sampled_from(["exists", "count", "topic", "full"]),
        "evidence": st.sampled_from(["machine", "bot", "human", "confirmed"]),
    }
)


class TestAnyFacts:
    @settings(max_examples=150, deadline=None)
    @given(st.lists(FACT, max_size=6))
    def test_every_recommendation_passes_the_lint(self, facts: list[dict[str, Any]]) -> None:
        openers = recommend(facts)
        assert 2 <= len(openers) <= 4
        for opener in openers:
            assert lint(opener.text) == [], opener.text
