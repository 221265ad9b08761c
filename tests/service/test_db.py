"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

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
