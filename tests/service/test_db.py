"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from service.db import create_db_engine
from service.runtime import Runtime


class TestMigrations:
    def test_the_migrated_schema_matches_the_models(self, runtime: Runtime) -> None:
        with runtime.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []

    def test_migrating_twice_changes_nothing(self, runtime: Runtime) -> None:
        from service.db import migrate

        migrate(runtime.engine)
        with runtime.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is not None

    def test_events_are_ready_for_time_partitions(self, runtime: Runtime) -> None:
        # PostgreSQL partitions a table by time only if every unique key includes it.
        inspector = sa.inspect(runtime.engine)
        unique_keys = [
            index["column_names"] for index in inspector.get_indexes("event") if index["unique"]
        ]
        unique_keys += [key["column_names"] for key in inspector.get_unique_constraints("event")]
        if runtime.engine.dialect.name == "postgresql":
            unique_keys.append(inspector.get_pk_constraint("event")["constrained_columns"])
        assert ["event_key", "occurred_at"] in unique_keys
        assert all("occurred_at" in columns for columns in unique_keys), unique_keys


def _migrate_to(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", "service:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


class TestVisitorIdsMoveOntoTheirClicks:
    """Migration 0005: a click's visitor id leaves the visitor table for the click's row."""

    NOW = "2026-11-20 10:00:00.000000"

    def test_upgrade_keeps_every_id_whose_click_is_known_and_downgrade_restores_the_rows(
        self, tmp_path: Path
    ) -> None:
        engine = create_db_engine(f"sqlite:///{tmp_path}/old.db")
        _migrate_to(engine, "0004")
        with engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO user (id, name, role, api_key_hash, created_at) "
                f"VALUES (1, 'rep', 'rep', 'h', '{self.NOW}')"
            )
            run(
                "INSERT INTO prospect (id, ref, owner_id, email, created_at) "
                f"VALUES (7, 'p7', 1, 'p@example.com', '{self.NOW}')"
            )
            for key, kind in (("click-key", "click"), ("visit-key", "visit")):
                run(
                    "INSERT INTO event (event_key, kind, prospect_id, occurred_at, received_at,"
                    " evidence, reasons) VALUES "
                    f"('{key}', '{kind}', 7, '{self.NOW}', '{self.NOW}', 'human', '')"
                )
            run(
                "INSERT INTO visitor (id, prospect_id, click_event_key, created_at) VALUES "
                f"('vid-of-click', 7, 'click-key', '{self.NOW}'), "
                f"('vid-before-keys', 7, NULL, '{self.NOW}')"
            )

        _migrate_to(engine, "head")
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT kind, visitor_id FROM event ORDER BY kind"
            ).all()
        assert [tuple(row) for row in rows] == [("click", "vid-of-click"), ("visit", None)]
        assert "visitor" not in sa.inspect(engine).get_table_names()

        _migrate_to(engine, "0004", down=True)
        with engine.connect() as connection:
            visitors = connection.exec_driver_sql(
                "SELECT id, prospect_id, click_event_key FROM visitor"
            ).all()
            clicks = connection.exec_driver_sql(
                "SELECT visitor_id FROM event WHERE kind = 'click'"
            ).all()
        assert [tuple(row) for row in visitors] == [("vid-of-click", 7, "click-key")]
        assert [tuple(row) for row in clicks] == [(None,)]
        engine.dispose()
