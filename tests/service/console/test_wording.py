"""Facts in plain words: never more than the fact says."""

from __future__ import annotations

import pytest

from service.console.wording import evidence_of, sentence


class TestSentence:
    @pytest.mark.parametrize(
        ("fact", "expected"),
        [
            (
                {
                    "kind": "email_opened",
                    "subject": "Our proposal",
                    "detail": "full",
                    "when": "2026-11-30",
                },
                "Opened the email 'Our proposal' — day: 2026-11-30",
            ),
            (
                {
                    "kind": "email_opened",
                    "subject": None,
                    "detail": "count",
                    "count": 2,
                    "when": "2026-W48",
                },
                "Opened an email (2 times) — week: 2026-W48",
            ),
            (
                {"kind": "email_opened", "subject": None, "detail": "exists"},
                "Opened an email",
            ),
            (
                {"kind": "link_clicked", "subject": "pricing", "detail": "topic", "count": 1},
                "Clicked a link about pricing (once)",
            ),
            (
                {
                    "kind": "page_visited",
                    "subject": "/security",
                    "detail": "full",
                    "when": "2026-11-30T09:15:00Z",
                },
                "Visited the page /security — at 2026-11-30 09:15:00 UTC",
            ),
            (
                {"kind": "email_sent", "subject": "Our proposal", "detail": "full"},
                "Sent the email 'Our proposal'",
            ),
        ],
    )
    def test_each_kind_reads_as_a_sentence(self, fact: dict[str, object], expected: str) -> None:
        assert sentence(fact) == expected


class TestEvidence:
    @pytest.mark.parametrize("evidence", ["machine", "bot"])
    def test_machine_and_bot_facts_say_they_are_not_a_person_reading(self, evidence: str) -> None:
        badge = evidence_of({"kind": "email_opened", "evidence": evidence})
        assert "not a person reading" in badge.label
        assert badge.note is not None and "not a person" in badge.note

    def test_an_unknown_class_is_never_shown_as_a_read(self) -> None:
        assert evidence_of({"kind": "email_opened", "evidence": "??"}).css == "badge-machine"
