"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from service.auth.invitations import invite
from service.auth.keys import hash_api_key
from service.auth.service import authenticate, ensure_admin
from service.db import create_db_engine, migrate, migrate_to
from service.models import Prospect, User
from service.runtime import Runtime
from service.tracking.partitions import is_event_partition
from tests.conftest import BACKENDS
from tests.migrations import blank_database


class TestMigrations:
    def test_the_migrated_schema_matches_the_models(self, runtime: Runtime) -> None:
        with runtime.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                # The event table's monthly partitions are the database's, not the models'.
                opts={"compare_type": True, "include_name": _not_a_partition},
            )
            assert compare_metadata(context, SQLModel.metadata) == []

    def test_migrating_twice_changes_nothing(self, runtime: Runtime) -> None:

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


def _not_a_partition(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name is not None and is_event_partition(name))


def _migrate_to(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    migrate_to(engine, revision, down=down)


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


class TestPeopleCarryOver:
    """Migration 0006: existing users keep their keys; names become unique; one bootstrap."""

    NOW = "2026-11-20 10:00:00"

    @pytest.fixture(params=BACKENDS)
    def old_install(self, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
        """A database at 0005 holding the users the old start-up left behind."""
        with blank_database(request, tmp_path) as engine:
            migrate_to(engine, "0005")
            with engine.begin() as connection:
                for user_id, name, role, key in (
                    (1, "admin", "admin", "first-admin-key"),
                    (2, "admin", "admin", "second-admin-key"),  # a restart with a new key made it
                    (3, "Rita", "rep", "rita-key"),
                ):
                    connection.execute(
                        sa.text(
                            'INSERT INTO "user" (id, name, role, api_key_hash, created_at) '
                            "VALUES (:id, :name, :role, :hash, :now)"
                        ),
                        {
                            "id": user_id,
                            "name": name,
                            "role": role,
                            "hash": hash_api_key(key),
                            "now": self.NOW,
                        },
                    )
                connection.execute(
                    sa.text(
                        "INSERT INTO prospect (id, ref, owner_id, email, created_at) "
                        "VALUES (7, 'p7', 3, 'p@example.com', :now)"
                    ),
                    {"now": self.NOW},
                )
                if request.param == "postgresql":  # explicit ids leave the sequence behind
                    connection.execute(
                        sa.text("SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), 3)")
                    )
            yield engine

    def test_users_keep_their_keys_and_the_oldest_admin_becomes_the_bootstrap_one(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            users = {user.id: user for user in session.exec(select(User))}
            assert [users[i].name for i in (1, 2, 3)] == ["admin", "admin #2", "Rita"]
            assert [users[i].bootstrap for i in (1, 2, 3)] == [True, False, False]
            assert all(user.active and user.password_hash is None for user in users.values())
            assert authenticate(session, api_key="rita-key") == users[3]
            assert session.get(Prospect, 7) is not None

    def test_a_new_admin_key_then_replaces_the_bootstrap_admins_key(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            ensure_admin(session, api_key="third-admin-key")
            admin = authenticate(session, api_key="third-admin-key")
            assert admin is not None and admin.id == 1
            assert authenticate(session, api_key="first-admin-key") is None
            assert len(session.exec(select(User).where(User.role == "admin")).all()) == 2

    def test_downgrading_gives_keyless_users_a_placeholder_and_keeps_the_rest(
        self, old_install: sa.Engine
    ) -> None:
        migrate_to(old_install, "head")
        with Session(old_install) as session:
            invite(session, actor=None, name="Nina", role="rep")
        migrate_to(old_install, "0005", down=True)
        with old_install.connect() as connection:
            names = connection.execute(sa.text('SELECT name FROM "user" ORDER BY id')).scalars()
            assert list(names) == ["admin", "admin #2", "Rita", "Nina"]
            tables = sa.inspect(connection).get_table_names()
        assert "user_session" not in tables and "invitation" not in tables
