"""The audit page's filter: typed values checked against their fields, dates as whole days."""

from __future__ import annotations

from datetime import UTC, datetime

from service.console.audit_filters import read_filter


class TestReadFilter:
    def test_an_empty_form_filters_nothing(self) -> None:
        chosen = read_filter({})
        assert chosen.errors == {}
        assert all(value is None for value in chosen.query().values())

    def test_the_end_date_includes_that_whole_day(self) -> None:
        chosen = read_filter({"since": "2026-11-30", "until": "2026-11-30"})
        assert chosen.since == datetime(2026, 11, 30, tzinfo=UTC)
        assert chosen.until == datetime(2026, 12, 1, tzinfo=UTC)

    def test_each_bad_value_is_named_against_its_own_field(self) -> None:
        chosen = read_filter(
            {
                "actor": "x",
                "prospect": "1x",
                "since": "30/11/2026",
                "before": "99999999999999999999",
            }
        )
        assert set(chosen.errors) == {"actor", "prospect", "since", "before"}

    def test_an_end_before_the_start_is_refused(self) -> None:
        chosen = read_filter({"since": "2026-11-30", "until": "2026-11-01"})
        # The sentence GET /api/audit answers for the same range (service.compliance.audit).
        assert chosen.errors["until"] == (
            "The end date must be the same as or after the start date."
        )

    def test_the_last_possible_day_does_not_overflow(self) -> None:
        chosen = read_filter({"until": "9999-12-31"})
        assert chosen.errors == {} and chosen.until is None

    def test_the_apis_names_are_read_as_the_forms_fields(self) -> None:
        chosen = read_filter([("prospect_id", "7"), ("actor_id", "3"), ("before_id", "9")])
        assert chosen.errors == {}
        assert (chosen.prospect_id, chosen.actor_id, chosen.before_id) == (7, 3, 9)
        assert chosen.values["prospect"] == "7"

    def test_one_field_given_two_different_values_is_refused(self) -> None:
        chosen = read_filter([("prospect", "7"), ("prospect_id", "8")])
        assert set(chosen.errors) == {"prospect"}

    def test_one_value_given_twice_is_read_once(self) -> None:
        chosen = read_filter([("prospect", "7"), ("prospect_id", "7")])
        assert chosen.errors == {} and chosen.prospect_id == 7

    def test_a_prospect_number_written_as_the_pages_write_it_is_read(self) -> None:
        assert read_filter({"prospect": "#42"}).prospect_id == 42
        assert read_filter({"prospect": "# 42"}).prospect_id == 42
        assert "prospect" in read_filter({"prospect": "#x"}).errors

    def test_an_action_is_matched_whatever_its_case(self) -> None:
        assert read_filter({"action": "Timeline.Read"}).action == "timeline.read"
