"""Monthly event partitions on PostgreSQL: created ahead, dropped by retention, pruned
by the timeline, and carried over from an unpartitioned install (migration 0008)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from service.compliance.subjects import purge_expired
from service.db import migrate_to
from service.runtime import Runtime
from service.timeline.service import event_view_queries, events_since
from service.tracking.partitions import ensure_partitions, is_partitioned, partitions
from tests.conftest import BACKENDS
from tests.migrations import blank_database

NOW = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)


def _postgres_only(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no partitions")


def _seed_people(connection: sa.Connection) -> None:
    run = connection.exec_driver_sql
    run(
        'INSERT INTO "user" (id, name, role, api_key_hash, created_at) '
        "VALUES (99, 'rep-99', 'rep', 'h', '2025-01-01')"
    )
    if not sa.inspect(connection).has_table("person"):  # an install before migration 0010
        run(
            "INSERT INTO prospect (id, ref, owner_id, email, created_at) "
            "VALUES (7, 'p7', 99, 'p@example.com', '2025-01-01')"
        )
        return
    run("INSERT INTO person (id, address_hash, created_at) VALUES (7, 'h7', '2025-01-01')")
    run(
        "INSERT INTO prospect (id, ref, owner_id, person_id, email, created_at) "
        "VALUES (7, 'p7', 99, 7, 'p@example.com', '2025-01-01')"
    )


def _add_event(
    connection: sa.Connection, key: str, kind: str, when: datetime, visitor: str | None = None
) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO event (event_key, kind, prospect_id, visitor_id, occurred_at, "
            "received_at, evidence, reasons) "
            "VALUES (:key, :kind, 7, :visitor, :when, :when, 'human', '')"
        ),
        {"key": key, "kind": kind, "visitor": visitor, "when": when},
    )


def _where_each_row_is(connection: sa.Connection) -> dict[str, str]:
    rows = connection.exec_driver_sql(
        "SELECT event_key, tableoid::regclass::text FROM event ORDER BY id"
    ).all()
    return {key: table for key, table in rows}


class TestMigration:
    """Migration 0008: an existing events table is copied into the partitioned one."""

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        """A database at 0006 holding events of two past months and one far ahead."""
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0006")
            with engine.begin() as connection:
                _seed_people(connection)
                _add_event(connection, "march", "open", datetime(2025, 3, 4, tzinfo=UTC))
                _add_event(
                    connection, "november", "click", datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
                )
                _add_event(connection, "far-ahead", "open", datetime(2030, 1, 1, tzinfo=UTC))
            yield engine

    def test_every_row_keeps_its_id_and_lands_in_its_months_partition(
        self, old_install: sa.Engine
    ) -> None:
        with old_install.connect() as connection:
            before = connection.exec_driver_sql("SELECT id, event_key FROM event").all()
        migrate_to(old_install, "head")
        with old_install.begin() as connection:
            after = connection.exec_driver_sql("SELECT id, event_key FROM event").all()
            assert sorted(after) == sorted(before)
            if old_install.dialect.name == "sqlite":
                assert not is_partitioned(connection)
                return
            assert is_partitioned(connection)
            assert _where_each_row_is(connection) == {
                "march": "event_y2025m03",
                "november": "event_y2026m11",
                "far-ahead": "event_default",
            }
            # every month from the oldest event's through a few ahead exists
            names = [partition.name for partition in partitions(connection)]
            assert names[0] == "event_y2025m03" and "event_y2025m04" in names
            _add_event(connection, "new", "open", datetime.now(UTC))
            new_id = connection.exec_driver_sql("SELECT id FROM event WHERE event_key = 'new'")
            assert new_id.scalar_one() > max(row_id for row_id, _ in before)

    def test_downgrading_gives_back_a_plain_table_with_every_row(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        migrate_to(old_install, "0006", down=True)
        with old_install.connect() as connection:
            assert not is_partitioned(connection)
            keys = connection.exec_driver_sql("SELECT event_key FROM event ORDER BY id").scalars()
            assert list(keys) == ["march", "november", "far-ahead"]


class TestPartitionsAhead:
    def test_the_current_month_the_next_three_and_a_default_exist(self, runtime: Runtime) -> None:
        _postgres_only(runtime)
        with runtime.engine.begin() as connection:
            ensure_partitions(connection, now=NOW)
            names = {partition.name for partition in partitions(connection)}
            default = connection.exec_driver_sql("SELECT to_regclass('event_default')").scalar()
        assert {"event_y2026m12", "event_y2027m01", "event_y2027m02", "event_y2027m03"} <= names
        assert default is not None

    def test_a_month_created_later_takes_its_rows_over_from_the_default_partition(
        self, runtime: Runtime
    ) -> None:
        _postgres_only(runtime)
        later = datetime(2031, 5, 2, tzinfo=UTC)
        with runtime.engine.begin() as connection:
            _seed_people(connection)
            _add_event(connection, "early-hit", "open", later)
            assert _where_each_row_is(connection) == {"early-hit": "event_default"}
            created = ensure_partitions(connection, now=later, months_ahead=0)
            assert created == ["event_y2031m05"]
            assert _where_each_row_is(connection) == {"early-hit": "event_y2031m05"}
            assert ensure_partitions(connection, now=later, months_ahead=0) == []

    def test_serving_creates_them_without_a_migration(self, runtime: Runtime) -> None:
        # prepare_database (candor serve, candor migrate) ran in the fixture
        _postgres_only(runtime)
        this_month = datetime.now(UTC).strftime("event_y%Ym%m")
        with runtime.engine.connect() as connection:
            assert this_month in {partition.name for partition in partitions(connection)}


class TestRetention:
    """Whole expired months are dropped; what retention keeps survives; the rest goes row-wise."""

    def _store(self, runtime: Runtime) -> None:
        with runtime.engine.begin() as connection:
            ensure_partitions(connection, now=NOW, since=datetime(2026, 6, 1, tzinfo=UTC))
            _seed_people(connection)
            _add_event(connection, "june-open", "open", datetime(2026, 6, 3, tzinfo=UTC))
            _add_event(connection, "july-sent", "email_sent", datetime(2026, 7, 1, tzinfo=UTC))
            _add_event(connection, "july-click", "click", datetime(2026, 7, 2, tzinfo=UTC), "vid-1")
            _add_event(connection, "aug-early", "open", datetime(2026, 8, 2, tzinfo=UTC))
            _add_event(connection, "aug-late", "open", datetime(2026, 8, 30, tzinfo=UTC))

    def test_the_same_rows_go_on_both_databases(self, runtime: Runtime) -> None:
        self._store(runtime)
        cutoff_days = (NOW - datetime(2026, 8, 15, tzinfo=UTC)).days
        with Session(runtime.engine) as session:
            counts = purge_expired(session, retention_days=cutoff_days, now=NOW)
        assert counts == {"events": 3, "visitors": 1}
        with runtime.engine.connect() as connection:
            left = connection.exec_driver_sql("SELECT event_key FROM event ORDER BY id").scalars()
            assert list(left) == ["july-sent", "aug-late"]

    def test_whole_months_are_dropped_and_a_month_with_kept_rows_is_rebuilt(
        self, runtime: Runtime
    ) -> None:
        _postgres_only(runtime)
        self._store(runtime)
        with Session(runtime.engine) as session:
            purge_expired(
                session, retention_days=(NOW - datetime(2026, 8, 15, tzinfo=UTC)).days, now=NOW
            )
        with runtime.engine.connect() as connection:
            names = {partition.name for partition in partitions(connection)}
            assert "event_y2026m06" not in names  # dropped whole
            assert "event_y2026m08" in names  # partly expired: deleted row-wise
            assert _where_each_row_is(connection) == {
                "july-sent": "event_y2026m07",
                "aug-late": "event_y2026m08",
            }


class TestTimelinePruning:
    def test_the_events_query_reads_only_the_months_since_the_first_message(
        self, runtime: Runtime
    ) -> None:
        _postgres_only(runtime)
        with runtime.engine.begin() as connection:
            ensure_partitions(connection, now=NOW, since=datetime(2026, 1, 1, tzinfo=UTC))
            _seed_people(connection)
            connection.exec_driver_sql(
                "INSERT INTO message (id, ref, prospect_id, sender_id, subject, html, "
                "link_count, sent_at, created_at) VALUES "
                "(3, 'm3', 7, 99, 'Hi', '<p/>', 0, '2026-10-20', '2026-10-20')"
            )
            since = events_since(connection, prospect_id=7)
            assert since == datetime(2026, 10, 19, tzinfo=UTC)
            events = event_view_queries(7, since=since)[1]
            sql = str(
                events.compile(
                    dialect=runtime.engine.dialect, compile_kwargs={"literal_binds": True}
                )
            )
            plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        scanned = {
            name
            for name in ("event_y2026m09", "event_y2026m10", "event_y2026m11", "event_default")
            if name in plan
        }
        assert scanned == {"event_y2026m10", "event_y2026m11", "event_default"}, plan

    def test_a_prospect_without_messages_reads_without_a_bound(self, runtime: Runtime) -> None:
        with runtime.engine.begin() as connection:
            _seed_people(connection)
            assert events_since(connection, prospect_id=7) is None


def test_a_month_is_its_utc_calendar_month() -> None:
    from service.tracking.partitions import add_months, partition_for

    partition = partition_for(datetime(2026, 12, 31, 23, 30, tzinfo=UTC) + timedelta(hours=1))
    assert (partition.name, partition.start) == (
        "event_y2027m01",
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert add_months(datetime(2026, 11, 1, tzinfo=UTC), 3) == datetime(2027, 2, 1, tzinfo=UTC)
