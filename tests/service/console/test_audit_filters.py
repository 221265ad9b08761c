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
        assert "until" in chosen.errors

    def test_the_last_possible_day_does_not_overflow(self) -> None:
        chosen = read_filter({"until": "9999-12-31"})
        assert chosen.errors == {} and chosen.until is None
