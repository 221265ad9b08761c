"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

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
