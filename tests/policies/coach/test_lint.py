"""The lint flags trap questions and surveillance reveals, with honest rewrites."""

from __future__ import annotations

import pytest

from policies.coach import lint


class TestTrapQuestions:
    @pytest.mark.parametrize(
        "text",
        [
            "Did you read my email?",
            "Have you had a chance to look at the proposal?",
            "you probably haven't had a chance to read it, have you?",
            "I assume you didn't get to it",
            "Did u see my email??",
            "HAVE YOU READ IT",
        ],
    )
    def test_closed_questions_about_reading_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    def test_a_question_after_a_greeting_is_found_at_its_own_span(self) -> None:
        text = "Hi Anna, hope you're well. Did you get a chance to read my email?"
        [finding] = lint(text)
        assert finding.excerpt == "Did you get a chance to read my email?"
        assert text[finding.start : finding.end] == finding.excerpt

    def test_spans_hold_on_the_original_text_with_curly_quotes(self) -> None:
        text = "Morning! You probably haven\u2019t had a chance to read it, have you?"
        [finding] = lint(text)
        assert text[finding.start : finding.end] == finding.excerpt
        assert "\u2019" in finding.excerpt


class TestSurveillance:
    @pytest.mark.parametrize(
        "text",
        [
            "I saw you opened my email three times",
            "I noticed you clicked the pricing link",
            "Looks like you've been on our pricing page",
            "You viewed the deck at 11pm",
            "Our system shows you visited twice",
        ],
    )
    def test_telling_what_tracking_showed_is_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    def test_both_kinds_in_one_message_are_both_found_in_order(self) -> None:
        text = "I noticed you visited our pricing page. Have you had a chance to review the quote?"
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]


class TestHonestOpenersPass:
    @pytest.mark.parametrize(
        "text",
        [
            "What did you think of the proposal?",
            "Which sections were most relevant to you?",
            "How useful was the information I sent over?",
            "Did you see the game last night?",
            "I read your article on pricing strategy.",
            "Which parts did you read?",
            "",
        ],
    )
    def test_open_questions_and_unrelated_uses_pass(self, text: str) -> None:
        assert lint(text) == []


class TestFindings:
    def test_every_finding_says_why_and_offers_a_rewrite_that_passes(self) -> None:
        for text in ("Did you read the proposal?", "I saw you opened the deck twice."):
            [finding] = lint(text)
            assert finding.why and finding.suggestion
            assert lint(finding.suggestion) == []
            assert "the proposal" in finding.suggestion or "the deck" in finding.suggestion

    def test_the_api_shape_has_the_six_fields(self) -> None:
        [finding] = lint("Did you read my email?")
        assert set(finding.as_dict()) == {"kind", "start", "end", "excerpt", "why", "suggestion"}
